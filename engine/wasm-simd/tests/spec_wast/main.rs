//! Runs the SIMD assertions of the Wasm 2.0 spec test suite (`simd_*.wast`) against this crate.
//!
//! Every module is encoded with `wast` and decoded with `wasmparser`. An exported function whose
//! body is straight-line code made of `local.*`, constants and SIMD operators (the shape of most
//! SIMD spec tests) is evaluated by a tiny stack machine that executes each SIMD operator through
//! `classify`; its results are compared with the `assert_return` expectations, and
//! `assert_trap`s on such functions must trap. Memory effects of `invoke`s are kept per module
//! instance; an instance whose memory may have been changed by a function outside this subset is
//! no longer checked.

mod decode;
mod expect;
mod machine;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use wast::parser::{self, ParseBuffer};
use wast::{QuoteWat, Wast, WastDirective, WastExecute, WastInvoke};

use decode::{DecodedModule, Val};
use machine::Stop;

const SUITE_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/conformance/wasm-testsuite/2.0");

/// One instantiated module.
struct Instance {
    module: DecodedModule,
    memory: Option<Vec<u8>>,
    /// Set once a function outside the evaluable subset ran against this instance's memory or
    /// globals, which it may have changed.
    state_unknown: bool,
}

#[derive(Default)]
struct Tally {
    returns_checked: usize,
    traps_checked: usize,
    skipped: usize,
    failures: Vec<String>,
}

/// Outcome of running an invocation through the evaluator.
enum Outcome {
    Ran(Result<Vec<Val>, Stop>),
    NotEvaluable,
}

#[derive(Default)]
struct Script {
    instances: Vec<Instance>,
    by_name: HashMap<String, usize>,
    current: Option<usize>,
}

impl Script {
    fn instantiate(&mut self, quote: &mut QuoteWat<'_>) -> Result<(), String> {
        let name = match quote {
            QuoteWat::Wat(wast::Wat::Module(module)) => module.id.map(|id| id.name().to_string()),
            _ => None,
        };
        let bytes = quote.encode().map_err(|e| e.to_string())?;
        let module = decode::decode(&bytes)?;
        let memory = module.memory.clone();
        self.instances.push(Instance { module, memory, state_unknown: false });
        let index = self.instances.len() - 1;
        if let Some(name) = name {
            self.by_name.insert(name, index);
        }
        self.current = Some(index);
        Ok(())
    }

    fn invoke(&mut self, invoke: &WastInvoke<'_>) -> Outcome {
        let index = match invoke.module {
            Some(id) => self.by_name.get(id.name()).copied(),
            None => self.current,
        };
        let Some(instance) = index.and_then(|i| self.instances.get_mut(i)) else { return Outcome::NotEvaluable };
        let body = instance.module.exports.get(invoke.name).and_then(|&f| instance.module.bodies.get(f as usize));
        let (Some(Some(body)), Some(args)) =
            (body, invoke.args.iter().map(expect::argument).collect::<Option<Vec<_>>>())
        else {
            // Something we cannot follow ran: memory and globals may have changed behind our back.
            instance.state_unknown |= instance.memory.is_some() || !instance.module.globals.is_empty();
            return Outcome::NotEvaluable;
        };
        if instance.state_unknown {
            return Outcome::NotEvaluable;
        }
        Outcome::Ran(machine::run(body, &args, &instance.module.globals, instance.memory.as_mut()))
    }
}

fn line_of(text: &str, span: wast::token::Span) -> usize {
    span.linecol_in(text).0 + 1
}

fn run_file(path: &Path, tally: &mut Tally) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let buffer = ParseBuffer::new(&text).unwrap_or_else(|e| panic!("lexing {file}: {e}"));
    let wast = parser::parse::<Wast>(&buffer).unwrap_or_else(|e| panic!("parsing {file}: {e}"));
    let mut script = Script::default();
    for directive in wast.directives {
        let line = line_of(&text, directive.span());
        match directive {
            WastDirective::Module(mut quote) => {
                if let Err(error) = script.instantiate(&mut quote) {
                    tally.failures.push(format!("{file}:{line}: module does not decode: {error}"));
                    script.current = None;
                }
            }
            WastDirective::ModuleDefinition(_) | WastDirective::ModuleInstance { .. } => script.current = None,
            WastDirective::Invoke(invoke) => {
                if let Outcome::Ran(Err(Stop::Invalid(why))) = script.invoke(&invoke) {
                    tally.failures.push(format!("{file}:{line}: invoke {}: {why}", invoke.name));
                }
            }
            WastDirective::AssertReturn { exec: WastExecute::Invoke(invoke), results, .. } => {
                match script.invoke(&invoke) {
                    Outcome::NotEvaluable => tally.skipped += 1,
                    Outcome::Ran(Err(stop)) => {
                        tally.failures.push(format!("{file}:{line}: {} stopped: {stop:?}", invoke.name))
                    }
                    Outcome::Ran(Ok(mut actual)) => {
                        // A `return` leaves the results on top of whatever else is on the stack.
                        actual.drain(..actual.len().saturating_sub(results.len()));
                        let verdicts: Option<Vec<bool>> =
                            actual.iter().zip(&results).map(|(a, e)| expect::result_matches(a, e)).collect();
                        match verdicts {
                            None => tally.skipped += 1,
                            Some(verdicts) => {
                                tally.returns_checked += 1;
                                if actual.len() != results.len() || verdicts.contains(&false) {
                                    tally.failures.push(format!(
                                        "{file}:{line}: {}: got {actual:x?}, expected {results:?}",
                                        invoke.name
                                    ));
                                }
                            }
                        }
                    }
                }
            }
            WastDirective::AssertTrap { exec: WastExecute::Invoke(invoke), message, .. } => {
                match script.invoke(&invoke) {
                    Outcome::NotEvaluable => tally.skipped += 1,
                    Outcome::Ran(Err(Stop::Trap(reason))) => {
                        tally.traps_checked += 1;
                        if !reason.starts_with(message) {
                            tally.failures.push(format!(
                                "{file}:{line}: {} trapped with {reason:?}, not {message:?}",
                                invoke.name
                            ));
                        }
                    }
                    Outcome::Ran(other) => {
                        tally.traps_checked += 1;
                        tally
                            .failures
                            .push(format!("{file}:{line}: {} should trap ({message}): {other:?}", invoke.name));
                    }
                }
            }
            WastDirective::AssertReturn { .. } | WastDirective::AssertTrap { .. } => tally.skipped += 1,
            _ => {}
        }
    }
}

fn simd_scripts() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(SUITE_DIR)
        .unwrap_or_else(|e| panic!("reading {SUITE_DIR}: {e}"))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            name.starts_with("simd_") && name.ends_with(".wast")
        })
        .collect();
    paths.sort();
    paths
}

#[test]
fn simd_spec_assertions_hold() {
    let scripts = simd_scripts();
    assert!(scripts.len() >= 50, "expected the simd_*.wast scripts in {SUITE_DIR}, found {}", scripts.len());
    let mut tally = Tally::default();
    for script in &scripts {
        let before = (tally.returns_checked + tally.traps_checked, tally.skipped);
        run_file(script, &mut tally);
        let name = script.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let checked = tally.returns_checked + tally.traps_checked - before.0;
        println!("{name}: {checked} checked, {} skipped", tally.skipped - before.1);
    }
    println!(
        "{} scripts: {} assert_return and {} assert_trap checked, {} assertions outside the evaluable subset",
        scripts.len(),
        tally.returns_checked,
        tally.traps_checked,
        tally.skipped
    );
    for failure in tally.failures.iter().take(40) {
        println!("FAIL {failure}");
    }
    assert!(tally.failures.is_empty(), "{} spec assertions failed", tally.failures.len());
    assert!(tally.returns_checked >= 1000, "only {} assert_return checked", tally.returns_checked);
}
