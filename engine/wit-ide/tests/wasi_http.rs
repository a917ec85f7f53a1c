//! Cross-package answers on the real wasi-http 0.3 tree (`wit/` plus `wit/deps/`), read in
//! place from the shared corpora.

use std::path::Path;

use canopy_wit_analysis::{AnalysisHost, Features, loader};
use canopy_wit_ide::*;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpora/wasi-http-0.3");

fn host() -> AnalysisHost {
    let layout = loader::load_path(Path::new(CORPUS)).expect("corpus loads");
    let mut host = AnalysisHost::new();
    host.set_layout(layout, Features::default());
    host
}

/// The layout path ending with `suffix`.
fn path(host: &AnalysisHost, suffix: &str) -> String {
    host.paths().into_iter().find(|p| p.ends_with(suffix)).unwrap_or_else(|| panic!("no {suffix}")).to_string()
}

/// The offset of the `nth` occurrence of `needle` in a file, plus `delta`.
fn offset(host: &AnalysisHost, path: &str, needle: &str, nth: usize, delta: u32) -> TextSize {
    let text = host.file_text(path).unwrap();
    let at = text.match_indices(needle).nth(nth).unwrap_or_else(|| panic!("no {needle}")).0;
    TextSize::try_from(at).unwrap() + TextSize::from(delta)
}

fn slice(host: &AnalysisHost, path: &str, range: TextRange) -> String {
    host.file_text(path).unwrap()[range].to_string()
}

#[test]
fn the_corpus_is_clean() {
    assert_eq!(host().diagnostics(), vec![]);
}

#[test]
fn goto_definition_from_http_types_lands_in_deps() {
    let host = host();
    let types = path(&host, "wit/types.wit");
    // `use wasi:clocks/types@0.3.0.{duration};`
    let on_duration = offset(&host, &types, "{duration}", 0, 3);
    let targets = goto_definition(&host, &types, on_duration);
    assert_eq!(targets.len(), 1);
    assert!(targets[0].path.ends_with("wit/deps/clocks/types.wit"), "{}", targets[0].path);
    assert_eq!(targets[0].name, "duration");
    assert_eq!(slice(&host, &targets[0].path, targets[0].focus_range), "duration");
    // The whole item, its gate included.
    assert_eq!(
        slice(&host, &targets[0].path, targets[0].full_range),
        "@since(version = 0.3.0)\n    type duration = u64;"
    );

    let on_interface = offset(&host, &types, "clocks/types@", 0, 8);
    let targets = goto_definition(&host, &types, on_interface);
    assert_eq!(targets.len(), 1);
    assert!(targets[0].path.ends_with("wit/deps/clocks/types.wit"));
    assert_eq!(targets[0].name, "types");

    let on_package = offset(&host, &types, "wasi:clocks", 0, 6);
    let targets = goto_definition(&host, &types, on_package);
    assert_eq!(targets.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["wasi:clocks@0.3.0"]);
}

#[test]
fn hover_on_a_dependency_type_shows_its_layout() {
    let host = host();
    let types = path(&host, "wit/types.wit");
    let hover = hover(&host, &types, offset(&host, &types, "{duration}", 0, 1)).unwrap();
    assert!(
        hover.markdown.starts_with("```wit\ntype duration = u64\n```\nin `wasi:clocks/types@0.3.0`"),
        "{}",
        hover.markdown
    );
    assert!(hover.markdown.ends_with("Canonical ABI: size 8, align 8; flattens to `i64`"), "{}", hover.markdown);
}

#[test]
fn references_to_a_dependency_type_reach_the_root_package() {
    let host = host();
    let clocks = path(&host, "deps/clocks/types.wit");
    let on_duration = offset(&host, &clocks, "type duration", 0, 5);
    let references = find_references(&host, &clocks, on_duration, false);
    let http = path(&host, "wit/types.wit");
    let lines: Vec<usize> = references
        .iter()
        .filter(|r| *r.path == *http)
        .map(|r| {
            assert_eq!(slice(&host, &http, r.range), "duration");
            host.line_col(&http, r.range.start()).unwrap().line as usize
        })
        .collect();
    // The `use` in wasi:http/types, then each `option<duration>` (parameters named
    // `duration` are not references).
    assert_eq!(lines, [7, 389, 394, 397, 402, 406, 411]);
}

#[test]
fn outline_and_workspace_search() {
    let host = host();
    let types = path(&host, "wit/types.wit");
    let symbols = document_symbols(&host, &types);
    assert_eq!(symbols.len(), 1);
    assert_eq!((symbols[0].kind, symbols[0].name.as_str()), (SymbolKind::Package, "wasi:http@0.3.0"));
    let interfaces: Vec<&str> = symbols[0].children.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(interfaces, ["types"]);

    let found = workspace_symbols(&host, "request");
    let exact: Vec<(String, Option<String>, SymbolKind)> =
        found.iter().filter(|s| s.name == "request").map(|s| (s.name.clone(), s.container.clone(), s.kind)).collect();
    assert_eq!(exact, vec![("request".to_string(), Some("wasi:http@0.3.0/types".to_string()), SymbolKind::Resource)]);
}

#[test]
fn every_identifier_of_a_clean_file_gets_a_semantic_token() {
    let host = host();
    for suffix in ["wit/types.wit", "wit/worlds.wit"] {
        let file = path(&host, suffix);
        let text = host.file_text(&file).unwrap();
        let tokens = semantic_tokens(&host, &file, None);
        for pair in tokens.windows(2) {
            assert!(pair[0].range.end() <= pair[1].range.start());
        }
        let parse = canopy_wit_syntax::parse(&text);
        let idents: Vec<TextRange> = parse
            .syntax()
            .descendants_with_tokens()
            .filter_map(|e| e.into_token())
            .filter(|t| {
                matches!(t.kind(), canopy_wit_syntax::SyntaxKind::IDENT | canopy_wit_syntax::SyntaxKind::EXPLICIT_IDENT)
            })
            .map(|t| t.text_range())
            .collect();
        let missing: Vec<&str> =
            idents.iter().filter(|r| !tokens.iter().any(|t| t.range == **r)).map(|r| &text[*r]).collect();
        assert_eq!(missing, Vec::<&str>::new(), "{suffix}");
    }
}
