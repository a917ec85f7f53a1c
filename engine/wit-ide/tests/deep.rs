//! Every editor feature on inputs as deep as they are long (chains and cycles of aliases,
//! records, variants, resources, `use`s across interfaces, files, nested packages and `deps/`,
//! `include`s; see `wit-analysis/tests/support/deep_inputs.rs`), on a 256 KiB stack: hover,
//! navigation, references, highlights, rename, completion, code actions, inlay hints, semantic
//! tokens, symbols, folding and selection answer at the head of each chain, where the answer
//! depends on the whole chain, and nothing recurses once per link.

#[path = "../../wit-analysis/tests/support/deep_inputs.rs"]
mod deep_inputs;

use canopy_wit_analysis::Features;
use canopy_wit_ide::*;
use deep_inputs::DeepInput;

/// Stack of the threads the features run on (a main thread has 8 MiB).
const SMALL_STACK: usize = 256 * 1024;

/// Length of the chains (of files and `deps/` packages: [`MANY`]); debug builds use a fifth.
const LONG: usize = if cfg!(debug_assertions) { 1_000 } else { 5_000 };
/// Length of chains of files and of `deps/` packages.
const MANY: usize = if cfg!(debug_assertions) { 2_000 } else { 10_000 };

/// Runs `f` on a thread with a [`SMALL_STACK`]; a stack overflow aborts the test binary.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new().stack_size(SMALL_STACK).spawn(f).unwrap().join().unwrap();
}

/// Every feature at the input's probe (and over its whole file); returns the hover markdown
/// and where goto-definition leads (path, offset).
fn every_feature(input: &DeepInput) -> (String, Vec<(String, u32)>) {
    let started = std::time::Instant::now();
    let lap = |what: &str| {
        if std::env::var_os("DEEP_TIMES").is_some() {
            eprintln!("{} {what}: {:.2?}", input.name, started.elapsed());
        }
    };
    let mut host = AnalysisHost::new();
    host.set_layout(input.layout(), Features::default());
    let (path, _) = &input.probe;
    let path = path.as_str();
    let text = input.text(path);
    let offset = TextSize::from(input.probe_offset());
    let whole = TextRange::up_to(TextSize::try_from(text.len()).unwrap());
    let name = &input.name;

    // In a cycle the name at the probe may not resolve: no hover then.
    let hover = hover(&host, path, offset);
    assert!(hover.is_some() || input.expected.is_some(), "{name}: no hover at the probe");
    lap("hover");
    let definitions: Vec<(String, u32)> = goto_definition(&host, path, offset)
        .into_iter()
        .map(|target| (target.path.to_string(), u32::from(target.focus_range.start())))
        .collect();
    let _ = goto_declaration(&host, path, offset);
    lap("goto_declaration");
    let _ = goto_type_definition(&host, path, offset);
    lap("goto_type_definition");
    let _ = find_references(&host, path, offset, true);
    lap("find_references");
    let _ = document_highlights(&host, path, offset);
    lap("document_highlights");
    if prepare_rename(&host, path, offset).is_ok() {
        let _ = rename(&host, path, offset, "renamed");
    }
    let _ = completions(&host, path, offset);
    lap("completions");
    let _ = code_actions(&host, path, TextRange::at(offset, 1.into()));
    lap("code_actions");
    let _ = selection_ranges(&host, path, offset);
    lap("selection_ranges");
    let tokens = semantic_tokens(&host, path, None);
    lap("semantic_tokens");
    assert!(!tokens.is_empty() || input.expected.is_some(), "{name}: no semantic tokens");
    let _ = semantic_tokens(&host, path, Some(TextRange::at(offset, 100.into())));
    lap("semantic_tokens");
    let _ = inlay_hints(&host, path, whole);
    lap("inlay_hints");
    let _ = document_symbols(&host, path);
    lap("document_symbols");
    let _ = folding_ranges(&host, path);
    lap("folding_ranges");
    let _ = workspace_symbols(&host, "a1");
    lap("workspace_symbols");
    (hover.map(|h| h.markdown).unwrap_or_default(), definitions)
}

/// Runs [`every_feature`] on a small stack and checks its answers with `check`.
fn survives(input: fn() -> DeepInput, check: fn(&DeepInput, &str, &[(String, u32)])) {
    on_small_stack(move || {
        let input = input();
        let (hover, definitions) = every_feature(&input);
        check(&input, &hover, &definitions);
    });
}

/// Any answer will do: the features survive.
fn anything(_: &DeepInput, _: &str, _: &[(String, u32)]) {}

/// The hover shows the canonical ABI facts of the whole chain: a `u32` at the end of it.
fn facts_of_a_u32(input: &DeepInput, hover: &str, _: &[(String, u32)]) {
    assert!(hover.contains("Canonical ABI: size 4, align 4; flattens to `i32`"), "{}: {hover}", input.name);
}

/// The hover says the type nests too deep for facts.
fn too_deep_for_facts(input: &DeepInput, hover: &str, _: &[(String, u32)]) {
    assert!(hover.contains("Canonical ABI: not computed (the type nests more than"), "{}: {hover}", input.name);
}

/// Goto-definition on the `use`d name at the head of the chain reaches `type t = u32` at its end.
fn reaches_the_definition(input: &DeepInput, hover: &str, definitions: &[(String, u32)]) {
    let (path, text) = input.groups.iter().flat_map(|g| &g.files).find(|(_, t)| t.contains("type t = u32")).unwrap();
    let offset = (text.find("type t = u32").unwrap() + "type ".len()) as u32;
    assert_eq!(definitions, [(path.clone(), offset)], "{}", input.name);
    assert!(hover.contains("type t = u32"), "{}: {hover}", input.name);
}

macro_rules! long_inputs {
    ($($test:ident: $input:expr, $check:expr;)*) => {$(
        #[test]
        fn $test() {
            survives(|| $input, $check);
        }
    )*};
}

long_inputs! {
    alias_chain: deep_inputs::alias_chain(LONG), facts_of_a_u32;
    alias_chain_through_list_option_result_tuple: deep_inputs::wrapped_alias_chain(LONG), too_deep_for_facts;
    alias_cycle: deep_inputs::alias_cycle(LONG), anything;
    record_chain: deep_inputs::record_chain(LONG), too_deep_for_facts;
    record_cycle: deep_inputs::record_cycle(LONG), anything;
    variant_chain: deep_inputs::variant_chain(LONG), too_deep_for_facts;
    resource_chain: deep_inputs::resource_chain(LONG), anything;
    borrow_at_the_end_of_an_alias_chain: deep_inputs::borrow_at_the_end(LONG), anything;
    use_chain: deep_inputs::use_chain(LONG), reaches_the_definition;
    use_cycle: deep_inputs::use_cycle(LONG), anything;
    use_chain_across_files: deep_inputs::use_chain_across_files(MANY), reaches_the_definition;
    nested_package_chain: deep_inputs::nested_package_chain(LONG), reaches_the_definition;
    nested_package_cycle: deep_inputs::nested_package_cycle(LONG), anything;
    deps_chain: deep_inputs::deps_chain(MANY), reaches_the_definition;
    include_chain: deep_inputs::include_chain(LONG), anything;
    include_with_chain: deep_inputs::include_with_chain(LONG), anything;
    include_cycle: deep_inputs::include_cycle(LONG), anything;
    type_nested_as_deep_as_the_parser_allows: deep_inputs::deepest_type(LONG), anything;
    type_nested_past_the_parser_limit: deep_inputs::nested_type(LONG), anything;
    packages_nested_past_the_parser_limit: deep_inputs::nested_packages(LONG), anything;
}

/// A record that holds the next one twice, 40 levels deep, is 2^40 parts once expanded: the
/// hover says so instead of expanding it.
#[test]
fn exponential_expansion_is_refused() {
    on_small_stack(|| {
        let mut text = String::from("package deep:doubling;\n\ninterface i {\n");
        for k in 0..40 {
            text.push_str(&format!("    record r{k} {{ a: r{}, b: r{} }}\n", k + 1, k + 1));
        }
        text.push_str("    record r40 { last: u8 }\n    f: func(x: r0);\n}\n");
        let mut host = AnalysisHost::new();
        host.set_layout(
            canopy_wit_analysis::Layout::single_package(vec![("doubling.wit".to_string(), text.clone())]),
            Features::default(),
        );
        let offset = TextSize::from(text.find("r0").unwrap() as u32);
        let markdown = hover(&host, "doubling.wit", offset).unwrap().markdown;
        assert!(markdown.contains("Canonical ABI: not computed (the type has more than"), "{markdown}");
        let at_f = TextSize::from(text.find("f: func").unwrap() as u32);
        let markdown = hover(&host, "doubling.wit", at_f).unwrap().markdown;
        assert!(markdown.contains("Canonical ABI: not computed"), "{markdown}");
    });
}
