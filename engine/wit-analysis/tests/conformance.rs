//! Conformance against wit-parser's UI test corpus (`../shared/conformance/wit-parser-ui`),
//! read in place.
//!
//! * Accepted cases (a top-level `x.wit` or directory `x/` with an `x.wit.json` beside it) must
//!   produce no error.
//! * Rejected cases (`parse-fail/x.wit` or `parse-fail/x/` with an `x.wit.result` beside it)
//!   must produce at least one error, and our first error must sit where wit-parser's does
//!   (the `--> file:line:col` of the `.wit.result`).
//!
//! Cases that differ are listed in `tests/conformance-known-differences.txt` (`case: reason`).
//! The list is enforced both ways: an unlisted difference fails, and so does a listed case
//! that now agrees. `CANOPY_BLESS=1 cargo test -p canopy-wit-analysis --test conformance`
//! rewrites the list from the current results, keeping the written reasons of cases still
//! listed (generated `not yet:` placeholders are refreshed).
//!
//! A second test requires at least 95% of the rejected cases that name a location to agree
//! on it.

use std::collections::BTreeMap;
use std::fmt;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use canopy_wit_analysis::{AnalysisHost, Diagnostic, Features, Severity, loader};

/// How generated reasons start; blessing refreshes these and keeps every other reason.
const PLACEHOLDER: &str = "not yet:";

/// Share of located rejected cases whose first error must be where wit-parser puts it.
const LOCATION_THRESHOLD: f64 = 0.95;

fn corpus_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/wit-parser-ui")
}

fn known_differences_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance-known-differences.txt")
}

/// A place in a corpus file: path relative to the corpus root, 1-based line, 1-based column
/// counted in bytes (as wit-parser counts).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Location {
    file: String,
    line: u32,
    col: u32,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.col)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Category {
    AcceptedFile,
    AcceptedDir,
    RejectedFile,
    RejectedDir,
}

impl Category {
    fn label(self) -> &'static str {
        match self {
            Category::AcceptedFile => "accepted files",
            Category::AcceptedDir => "accepted directories",
            Category::RejectedFile => "rejected files",
            Category::RejectedDir => "rejected directories",
        }
    }

    fn is_rejected(self) -> bool {
        matches!(self, Category::RejectedFile | Category::RejectedDir)
    }
}

struct Case {
    /// Path of the input relative to the corpus root (`async.wit`, `parse-fail/bad-pkg1`).
    name: String,
    input: PathBuf,
    category: Category,
    /// For rejected cases: where wit-parser reports its (only) error, when the result says.
    expected: Option<Location>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    /// Accepted case with no error.
    Clean,
    /// Accepted case with errors; the first one.
    UnexpectedError { at: Location, message: String },
    /// Rejected case whose first error is where expected (or no location is expected).
    Agree,
    /// Rejected case with no error at all.
    NoError,
    /// Rejected case whose first error is elsewhere.
    WrongLocation { at: Location, expected: Location, message: String },
    /// The analysis panicked; never acceptable.
    Panicked(String),
}

impl Outcome {
    fn agrees(&self) -> bool {
        matches!(self, Outcome::Clean | Outcome::Agree)
    }

    /// A placeholder reason for the known-differences list.
    fn placeholder_reason(&self) -> String {
        match self {
            Outcome::Clean | Outcome::Agree => String::new(),
            Outcome::UnexpectedError { at, message } => {
                format!("{PLACEHOLDER} {} (at {at})", one_line(message))
            }
            Outcome::NoError => format!("{PLACEHOLDER} no error reported"),
            Outcome::WrongLocation { at, expected, message } => {
                format!("{PLACEHOLDER} {} (at {at}, expected {expected})", one_line(message))
            }
            Outcome::Panicked(message) => format!("panicked: {}", one_line(message)),
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Clean => write!(f, "clean"),
            Outcome::Agree => write!(f, "rejected where expected"),
            Outcome::UnexpectedError { at, message } => {
                write!(f, "error at {at}: {}", one_line(message))
            }
            Outcome::NoError => write!(f, "no error reported"),
            Outcome::WrongLocation { at, expected, message } => {
                write!(f, "first error at {at} ({}), expected at {expected}", one_line(message))
            }
            Outcome::Panicked(message) => write!(f, "analysis panicked: {}", one_line(message)),
        }
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Finds every case of the corpus, sorted by name.
fn discover(root: &Path) -> Vec<Case> {
    let mut cases = Vec::new();
    for entry in sorted_entries(root) {
        let Some(name) = file_name(&entry) else {
            continue;
        };
        let json_beside = root.join(format!("{name}.wit.json"));
        if entry.is_dir() {
            if name != "parse-fail" && json_beside.is_file() {
                cases.push(Case { name, input: entry, category: Category::AcceptedDir, expected: None });
            }
        } else if name.ends_with(".wit") && root.join(format!("{name}.json")).is_file() {
            cases.push(Case { name, input: entry, category: Category::AcceptedFile, expected: None });
        }
    }
    let fail_dir = root.join("parse-fail");
    for entry in sorted_entries(&fail_dir) {
        let Some(name) = file_name(&entry) else {
            continue;
        };
        let (category, result) = if entry.is_dir() {
            (Category::RejectedDir, fail_dir.join(format!("{name}.wit.result")))
        } else if name.ends_with(".wit") {
            (Category::RejectedFile, fail_dir.join(format!("{name}.result")))
        } else {
            continue;
        };
        // Every input in parse-fail/ is a rejected case; one without a result is a broken corpus.
        let text = std::fs::read_to_string(&result)
            .unwrap_or_else(|e| panic!("cannot read the expected result {}: {e}", result.display()));
        cases.push(Case {
            name: format!("parse-fail/{name}"),
            input: entry,
            category,
            expected: expected_location(&text),
        });
    }
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    cases
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| {
        panic!("cannot read {} (the shared corpus must be checked out beside the project): {e}", dir.display())
    });
    let mut paths: Vec<PathBuf> = entries.map(|e| e.expect("directory entry").path()).collect();
    paths.sort();
    paths
}

fn file_name(path: &Path) -> Option<String> {
    path.file_name()?.to_str().map(str::to_string)
}

/// The location wit-parser reports in a `.wit.result`: the `--> file:line:col` line if there is
/// one, otherwise the first `file:line:col` mentioned anywhere (some messages list places as
/// bullets or start with one). Paths in results look like `tests/ui/parse-fail/x.wit`.
fn expected_location(result: &str) -> Option<Location> {
    let arrow = result
        .lines()
        .find_map(|line| line.trim_start().strip_prefix("-->"))
        .and_then(|rest| parse_location(rest.trim()));
    arrow.or_else(|| {
        result
            .split_whitespace()
            .find_map(|word| parse_location(word.trim_matches(|c| matches!(c, ':' | '[' | ']' | ','))))
    })
}

fn parse_location(text: &str) -> Option<Location> {
    let mut parts = text.rsplitn(3, ':');
    let col = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    let path = parts.next()?;
    if !path.ends_with(".wit") {
        return None;
    }
    let file = path.strip_prefix("tests/ui/").unwrap_or(path).to_string();
    Some(Location { file, line, col })
}

/// Analyzes one case.
fn run_case(root: &Path, case: &Case) -> Outcome {
    let layout = loader::load_path(&case.input).unwrap_or_else(|e| panic!("{}: {e}", case.name));
    let mut host = AnalysisHost::new();
    host.set_layout(layout, Features { enabled: vec!["active".to_string()], all: false });
    let errors: Vec<Diagnostic> = host.diagnostics().into_iter().filter(|d| d.severity == Severity::Error).collect();
    // wit-parser counts columns in bytes (our line index counts characters), so the column is
    // computed here from the text.
    let locate = |d: &Diagnostic| {
        let text = host.file_text(&d.path).expect("diagnostic in a file of the layout");
        let offset = usize::from(d.range.start()).min(text.len());
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        Location {
            file: relative(root, &d.path),
            line: text[..offset].matches('\n').count() as u32 + 1,
            col: (offset - line_start) as u32 + 1,
        }
    };
    if !case.category.is_rejected() {
        return match first_error(root, &errors, None) {
            None => Outcome::Clean,
            Some(d) => Outcome::UnexpectedError { at: locate(d), message: d.message.clone() },
        };
    }
    let Some(first) = first_error(root, &errors, case.expected.as_ref()) else {
        return Outcome::NoError;
    };
    match &case.expected {
        None => Outcome::Agree,
        Some(expected) => {
            let at = locate(first);
            if same_place(&at, expected) {
                Outcome::Agree
            } else {
                Outcome::WrongLocation { at, expected: expected.clone(), message: first.message.clone() }
            }
        }
    }
}

/// Our "first" error: wit-parser stops at its first error, we report all of them. Among the
/// errors in the file the expected location names (all errors when none is there), the one
/// that starts first.
fn first_error<'a>(root: &Path, errors: &'a [Diagnostic], expected: Option<&Location>) -> Option<&'a Diagnostic> {
    let in_expected_file: Vec<&Diagnostic> = match expected {
        Some(expected) => errors.iter().filter(|d| same_file(&relative(root, &d.path), &expected.file)).collect(),
        None => Vec::new(),
    };
    let pool = if in_expected_file.is_empty() { errors.iter().collect() } else { in_expected_file };
    pool.into_iter().min_by(|a, b| (&a.path, a.range.start()).cmp(&(&b.path, b.range.start())))
}

fn same_place(ours: &Location, expected: &Location) -> bool {
    same_file(&ours.file, &expected.file) && ours.line == expected.line && ours.col == expected.col
}

/// Files are compared by their path relative to the corpus root (stricter than the base name,
/// which two `deps/*/types.wit` can share); a path outside the corpus falls back to the name.
fn same_file(ours: &str, expected: &str) -> bool {
    ours == expected || (!ours.contains('/') && Path::new(expected).file_name().is_some_and(|n| n == ours))
}

fn relative(root: &Path, path: &str) -> String {
    match Path::new(path).strip_prefix(root) {
        Ok(rel) => rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"),
        Err(_) => file_name(Path::new(path)).unwrap_or_else(|| path.to_string()),
    }
}

struct Results {
    cases: Vec<Case>,
    outcomes: Vec<Outcome>,
}

/// Runs every case once per test binary, on a few threads.
fn results() -> &'static Results {
    static RESULTS: OnceLock<Results> = OnceLock::new();
    RESULTS.get_or_init(|| {
        let root = corpus_root();
        let cases = discover(&root);
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
        let chunk = cases.len().div_ceil(threads).max(1);
        let outcomes = std::thread::scope(|scope| {
            let handles: Vec<_> = cases
                .chunks(chunk)
                .map(|chunk| {
                    let root = &root;
                    scope.spawn(move || {
                        chunk
                            .iter()
                            .map(|case| {
                                std::panic::catch_unwind(AssertUnwindSafe(|| run_case(root, case)))
                                    .unwrap_or_else(|payload| Outcome::Panicked(panic_message(payload.as_ref())))
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles.into_iter().flat_map(|h| h.join().expect("conformance worker")).collect()
        });
        Results { cases, outcomes }
    })
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".to_string())
}

/// The known-differences file: leading comment block, then `case: reason` lines.
struct KnownDifferences {
    header: Vec<String>,
    entries: BTreeMap<String, String>,
}

fn read_known_differences() -> KnownDifferences {
    let path = known_differences_path();
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let mut header = Vec::new();
    let mut entries = BTreeMap::new();
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            if entries.is_empty() {
                header.push(line.to_string());
            }
            continue;
        }
        let (name, reason) = trimmed.split_once(':').unwrap_or_else(|| {
            panic!("{}:{}: expected `case-name: reason`, found {trimmed:?}", path.display(), index + 1)
        });
        let previous = entries.insert(name.trim().to_string(), reason.trim().to_string());
        assert!(previous.is_none(), "{}:{}: `{}` is listed twice", path.display(), index + 1, name.trim());
    }
    while header.last().is_some_and(|l| l.trim().is_empty()) {
        header.pop();
    }
    if header.is_empty() {
        header = DEFAULT_HEADER.lines().map(str::to_string).collect();
    }
    KnownDifferences { header, entries }
}

const DEFAULT_HEADER: &str = "\
# Cases of wit-parser's UI corpus where Canopy's analysis does not (yet) agree with wit-parser.
# One `case-name: reason` per line; case names are paths relative to the corpus root.
# Enforced by tests/conformance.rs both ways: an unlisted difference fails the test, and so does
# a listed case that agrees. Regenerate with
#   CANOPY_BLESS=1 cargo test -p canopy-wit-analysis --test conformance
# Written reasons of cases still listed are kept; `not yet:` placeholders are regenerated.";

fn write_known_differences(known: &KnownDifferences, results: &Results) {
    let mut text = known.header.join("\n");
    text.push_str("\n\n");
    for (case, outcome) in results.cases.iter().zip(&results.outcomes) {
        if outcome.agrees() {
            continue;
        }
        // A written reason is kept; a placeholder is refreshed with what happens now.
        let reason = match known.entries.get(&case.name) {
            Some(reason) if !reason.starts_with(PLACEHOLDER) => reason.clone(),
            _ => outcome.placeholder_reason(),
        };
        text.push_str(&format!("{}: {reason}\n", case.name));
    }
    std::fs::write(known_differences_path(), text).expect("write the known-differences list");
}

fn print_summary(results: &Results) -> (usize, usize) {
    let mut per_category: BTreeMap<Category, (usize, usize)> = BTreeMap::new();
    let (mut accepted, mut accepted_clean) = (0, 0);
    let (mut rejected, mut rejected_some) = (0, 0);
    let (mut located, mut located_agree, mut unlocated) = (0, 0, 0);
    for (case, outcome) in results.cases.iter().zip(&results.outcomes) {
        let entry = per_category.entry(case.category).or_default();
        entry.0 += 1;
        if outcome.agrees() {
            entry.1 += 1;
        }
        if case.category.is_rejected() {
            rejected += 1;
            if matches!(outcome, Outcome::Agree | Outcome::WrongLocation { .. }) {
                rejected_some += 1;
            }
            if case.expected.is_some() {
                located += 1;
                if *outcome == Outcome::Agree {
                    located_agree += 1;
                }
            } else {
                unlocated += 1;
            }
        } else {
            accepted += 1;
            if *outcome == Outcome::Clean {
                accepted_clean += 1;
            }
        }
    }
    for (category, (total, agree)) in &per_category {
        println!("  {:<22} {agree:>3}/{total:<3} agree", category.label());
    }
    println!("  ({unlocated} rejected cases name no location; for them, any error agrees)");
    let percent = if located == 0 { 100.0 } else { 100.0 * located_agree as f64 / located as f64 };
    println!(
        "conformance: accepted {accepted_clean}/{accepted} clean, rejected {rejected_some}/{rejected} rejected, \
         locations {located_agree}/{located} agree ({percent:.1}%)"
    );
    (located_agree, located)
}

#[test]
fn wit_parser_ui_corpus_matches_known_differences() {
    let results = results();
    assert!(
        results.cases.len() > 200,
        "expected the wit-parser UI corpus at {}, found {} cases",
        corpus_root().display(),
        results.cases.len()
    );
    print_summary(results);

    let panics: Vec<String> = results
        .cases
        .iter()
        .zip(&results.outcomes)
        .filter_map(|(case, outcome)| match outcome {
            Outcome::Panicked(message) => Some(format!("  {}: {}", case.name, one_line(message))),
            _ => None,
        })
        .collect();
    assert!(panics.is_empty(), "the analysis panicked on:\n{}", panics.join("\n"));

    let known = read_known_differences();
    if std::env::var_os("CANOPY_BLESS").is_some_and(|v| v == "1") {
        write_known_differences(&known, results);
        println!("rewrote {}", known_differences_path().display());
        return;
    }

    let mut problems = Vec::new();
    for (case, outcome) in results.cases.iter().zip(&results.outcomes) {
        match (outcome.agrees(), known.entries.contains_key(&case.name)) {
            (false, false) => problems.push(format!("  {} differs and is not listed: {outcome}", case.name)),
            (true, true) => problems.push(format!("  {} now agrees: remove it from the list", case.name)),
            _ => {}
        }
    }
    for name in known.entries.keys() {
        if !results.cases.iter().any(|c| &c.name == name) {
            problems.push(format!("  {name} is listed but is not a case of the corpus: remove it from the list"));
        }
    }
    assert!(
        problems.is_empty(),
        "conformance differs from {}:\n{}\n(fix the analysis, edit the list, or run with CANOPY_BLESS=1 to regenerate it)",
        known_differences_path().display(),
        problems.join("\n")
    );
}

#[test]
fn rejected_cases_mostly_fail_where_wit_parser_does() {
    let results = results();
    let (agree, located) = print_summary(results);
    let wrong: Vec<String> = results
        .cases
        .iter()
        .zip(&results.outcomes)
        .filter(|(case, outcome)| case.expected.is_some() && **outcome != Outcome::Agree)
        .map(|(case, outcome)| format!("  {}: {outcome}", case.name))
        .collect();
    let share = if located == 0 { 1.0 } else { agree as f64 / located as f64 };
    assert!(
        share >= LOCATION_THRESHOLD,
        "only {agree}/{located} rejected cases ({:.1}%) report their first error where wit-parser does; \
         at least {:.0}% must. Disagreeing:\n{}",
        share * 100.0,
        LOCATION_THRESHOLD * 100.0,
        wrong.join("\n")
    );
}

#[test]
fn expected_locations_are_read_from_results() {
    let arrow = "type `bar` does not exist\n     --> tests/ui/parse-fail/alias-no-type.wit:5:14\n      |\n";
    assert_eq!(
        expected_location(arrow),
        Some(Location { file: "parse-fail/alias-no-type.wit".into(), line: 5, col: 14 })
    );
    let prefixed = "tests/ui/parse-fail/very-large-column.wit:1:65543: expected '{', found an identifier";
    assert_eq!(expected_location(prefixed).map(|l| (l.line, l.col)), Some((1, 65543)));
    let dir = "failed for path [tests/ui/parse-fail/bad-pkg1]: tests/ui/parse-fail/bad-pkg1: oops\n  --> tests/ui/parse-fail/bad-pkg1/root.wit:4:7\n";
    assert_eq!(expected_location(dir).map(|l| l.file), Some("parse-fail/bad-pkg1/root.wit".to_string()));
    assert_eq!(expected_location("no `package` header was found in any WIT file for this package"), None);
}
