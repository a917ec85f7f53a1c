//! Corpus test: every `.wit` file of the WASI HTTP 0.2 and 0.3 trees (dependencies included)
//! and of every accepted case of the wit-parser UI corpus is formatted, and the result must be
//! stable and mean the same thing:
//! - formatting succeeds and is idempotent (`format(format(x)) == format(x)`);
//! - the comments are the same multiset of texts (line comments compared without trailing
//!   whitespace);
//! - the significant tokens are the same sequence, ignoring only trailing commas (which the
//!   formatter adds to block lists and drops from inline lists);
//! - the analysis resolves the formatted workspace to the same model, with as many
//!   diagnostics of each code, as the original one;
//! - wit-parser still parses each formatted file it parsed before (on its own);
//! - the edits of `format_range` over the whole file turn it into the formatted text.

mod common;

use std::collections::BTreeMap;

use common::{cases, comments, significant};

use canopy_wit_analysis::loader::{Layout, load_path};
use canopy_wit_analysis::{AnalysisHost, Features};
use canopy_wit_fmt::{FormatOptions, format, format_range};
use canopy_wit_syntax::{TextRange, TextSize};

/// Checks one file; returns its formatted text and whether wit-parser accepts it on its own
/// (files of multi-file packages may need their siblings), or what went wrong.
fn check_file(path: &str, text: &str) -> Result<(String, bool), String> {
    let options = FormatOptions::default();
    let formatted = format(text, &options).map_err(|e| format!("{path}: {e}"))?;
    let again = format(&formatted, &options).map_err(|e| format!("{path}: formatted text does not parse: {e}"))?;
    if again != formatted {
        return Err(format!("{path}: not idempotent\n--- first ---\n{formatted}\n--- second ---\n{again}"));
    }
    if comments(text) != comments(&formatted) {
        return Err(format!("{path}: comments changed\n{:?}\n{:?}", comments(text), comments(&formatted)));
    }
    if significant(text) != significant(&formatted) {
        return Err(format!("{path}: significant tokens changed\n{formatted}"));
    }
    let edits =
        format_range(text, TextRange::up_to(TextSize::of(text)), &options).map_err(|e| format!("{path}: {e}"))?;
    let mut edited = text.to_string();
    for edit in edits.iter().rev() {
        edited.replace_range(usize::from(edit.range.start())..usize::from(edit.range.end()), &edit.new_text);
    }
    let accepted = |text: &str| wit_parser::UnresolvedPackageGroup::parse(path, text).map_err(|(_, e)| e.to_string());
    let accepted_alone = accepted(text).is_ok();
    if accepted_alone && let Err(e) = accepted(&formatted) {
        return Err(format!("{path}: wit-parser accepts the original but not the formatted text: {e}\n{formatted}"));
    }
    if edited != formatted {
        return Err(format!("{path}: the edits of format_range over the whole file do not give the formatted text"));
    }
    Ok((formatted, accepted_alone))
}

/// The analysis's model and diagnostic counts per code for a layout.
fn analyse(layout: Layout, features: &[String]) -> (canopy_wit_analysis::model::Model, BTreeMap<String, usize>) {
    let mut host = AnalysisHost::new();
    host.set_layout(layout, Features { enabled: features.to_vec(), all: false });
    let mut counts = BTreeMap::new();
    for diagnostic in host.diagnostics() {
        *counts.entry(diagnostic.code.to_string()).or_insert(0) += 1;
    }
    (host.model(), counts)
}

#[test]
fn corpus_formats_stably_and_keeps_meaning() {
    let mut files_checked = 0;
    let mut cases_checked = 0;
    let mut wit_parser_checked = 0;
    let mut failures = Vec::new();
    for case in cases() {
        let layout = load_path(&case.path).unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let mut formatted_layout = layout.clone();
        let mut case_ok = true;
        for group in &mut formatted_layout.groups {
            for (path, text) in &mut group.files {
                if !path.ends_with(".wit") {
                    continue; // decoded binary packages are not files anyone formats
                }
                match check_file(path, text) {
                    Ok((formatted, accepted_by_wit_parser)) => {
                        *text = formatted;
                        files_checked += 1;
                        wit_parser_checked += usize::from(accepted_by_wit_parser);
                    }
                    Err(message) => {
                        failures.push(message);
                        case_ok = false;
                    }
                }
            }
        }
        if !case_ok {
            continue;
        }
        let (model_before, diagnostics_before) = analyse(layout, &case.features);
        let (model_after, diagnostics_after) = analyse(formatted_layout, &case.features);
        if model_before != model_after {
            failures.push(format!("{}: the resolved model changed", case.name));
        } else if diagnostics_before != diagnostics_after {
            failures
                .push(format!("{}: diagnostics changed: {diagnostics_before:?} -> {diagnostics_after:?}", case.name));
        } else {
            cases_checked += 1;
        }
    }
    println!(
        "wit-fmt corpus: {files_checked} files formatted ({wit_parser_checked} also re-parsed by wit-parser), \
         {cases_checked} workspaces with an equal model"
    );
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n\n"));
    assert!(files_checked >= 150, "only {files_checked} files found: is ../shared missing?");
}
