//! Inputs as deep as they are long (chains and cycles of aliases, records, variants, resources,
//! `use`s across interfaces, files, nested packages and `deps/`, `include`s with and without
//! `with`; see `support/deep_inputs.rs`) are analyzed on a 256 KiB stack: nothing in lowering,
//! resolution, elaboration or the model conversion may recurse once per link. Each ends in
//! exactly the answer the input calls for: no error, or its first error where it belongs.
//! Small versions of the same inputs are checked against wit-parser, so the expected answers
//! are the reference's too.

mod support;

use canopy_wit_analysis::{AnalysisHost, Features, Severity};
use support::deep_inputs::{self, DeepInput};

/// Stack of the threads the analysis runs on here: far less than a main thread's 8 MiB, so
/// that recursion once per link of a chain overflows at a few thousand links.
const SMALL_STACK: usize = 256 * 1024;

/// Length of the chains (files and `deps/` packages: [`MANY`]). Debug builds, several times
/// slower, use a fifth: still far more links than a small stack has room for frames.
const LONG: usize = if cfg!(debug_assertions) { 20_000 } else { 100_000 };
/// Length of chains of files and of `deps/` packages, each a file of its own.
const MANY: usize = if cfg!(debug_assertions) { 2_000 } else { 10_000 };

/// Runs `f` on a thread with a [`SMALL_STACK`]; a stack overflow aborts the test binary.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new().stack_size(SMALL_STACK).spawn(f).unwrap().join().unwrap()
}

/// Analyzes `input` and checks its diagnostics against what it expects; returns the host.
fn check(input: &DeepInput) -> AnalysisHost {
    let mut host = AnalysisHost::new();
    host.set_layout(input.layout(), Features::default());
    let errors: Vec<_> = host.diagnostics().into_iter().filter(|d| d.severity == Severity::Error).collect();
    match &input.expected {
        None => assert!(errors.is_empty(), "{}: unexpected errors {:#?}", input.name, &errors[..errors.len().min(5)]),
        Some(expected) => {
            let first = errors.iter().find(|d| d.code == expected.code).unwrap_or_else(|| {
                panic!("{}: no {} error in {:#?}", input.name, expected.code, &errors[..errors.len().min(5)])
            });
            assert_eq!(&*first.path, expected.path, "{}: {first:?}", input.name);
            assert!(first.message.contains(expected.message), "{}: {first:?}", input.name);
            if let Some(offset) = input.expected_offset() {
                assert_eq!(u32::from(first.range.start()), offset, "{}: {first:?}", input.name);
            }
        }
    }
    host
}

/// Analyzes `input` on a small stack: diagnostics as expected, then the current-text
/// analysis and the model conversion.
fn survives(input: fn() -> DeepInput) {
    on_small_stack(move || {
        let input = input();
        let host = check(&input);
        assert!(!host.analysis().resolved.packages.is_empty(), "{}: nothing resolved", input.name);
        let model = host.model();
        assert!(!model.packages.is_empty(), "{}: an empty model", input.name);
    });
}

/// One test per kind of input, at full length.
macro_rules! long_inputs {
    ($($test:ident: $input:expr;)*) => {$(
        #[test]
        fn $test() {
            survives(|| $input);
        }
    )*};
}

long_inputs! {
    alias_chain: deep_inputs::alias_chain(LONG);
    alias_chain_through_list_option_result_tuple: deep_inputs::wrapped_alias_chain(LONG);
    alias_cycle: deep_inputs::alias_cycle(LONG);
    record_chain: deep_inputs::record_chain(LONG);
    record_cycle: deep_inputs::record_cycle(LONG);
    variant_chain: deep_inputs::variant_chain(LONG);
    resource_chain: deep_inputs::resource_chain(LONG);
    borrow_at_the_end_of_an_alias_chain: deep_inputs::borrow_at_the_end(LONG);
    use_chain: deep_inputs::use_chain(LONG);
    use_cycle: deep_inputs::use_cycle(LONG);
    use_chain_across_files: deep_inputs::use_chain_across_files(MANY);
    nested_package_chain: deep_inputs::nested_package_chain(LONG);
    nested_package_cycle: deep_inputs::nested_package_cycle(LONG);
    deps_chain: deep_inputs::deps_chain(MANY);
    include_chain: deep_inputs::include_chain(LONG);
    include_with_chain: deep_inputs::include_with_chain(LONG);
    include_cycle: deep_inputs::include_cycle(LONG);
    type_nested_as_deep_as_the_parser_allows: deep_inputs::deepest_type(LONG);
    type_nested_past_the_parser_limit: deep_inputs::nested_type(LONG);
    packages_nested_past_the_parser_limit: deep_inputs::nested_packages(LONG);
}

/// The same inputs, short: the answer (clean, or rejected) is wit-parser's too.
#[test]
fn short_chains_and_cycles_agree_with_wit_parser() {
    for input in deep_inputs::all(5, 5) {
        // The parser's nesting limits are Canopy's own; wit-parser has none at this depth.
        if input.name == "nested-type" || input.name == "nested-packages" {
            continue;
        }
        check(&input);
        let mut parsed = Vec::new();
        let mut outcome: Result<(), String> = Ok(());
        for group in &input.groups {
            let mut sources = wit_parser::SourceMap::default();
            for (path, text) in &group.files {
                sources.push_str(path, text.clone());
            }
            match sources.parse() {
                Ok(package) => parsed.push(package),
                Err((_, e)) => outcome = Err(e.to_string()),
            }
        }
        if outcome.is_ok() {
            // The root is last; wit-parser orders the dependencies itself.
            let root = parsed.pop().unwrap();
            let mut resolve = wit_parser::Resolve::default();
            outcome = resolve.push_groups(root, parsed).map(|_| ()).map_err(|e| e.to_string());
        }
        match (&input.expected, outcome) {
            (None, Err(error)) => panic!("{}: wit-parser rejects it: {error}", input.name),
            (Some(expected), Ok(())) => panic!("{}: wit-parser accepts it, Canopy says {}", input.name, expected.code),
            _ => {}
        }
    }
}
