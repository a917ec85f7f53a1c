//! Runner for `.wast` spec scripts: modules, `register`, `invoke`, `get` and every assertion of
//! the core test suite, reporting per-file passed, failed and skipped (out of scope) counts.
//!
//! A module that uses a proposal the interpreter does not support is skipped together with every
//! command that refers to it; nothing out of scope counts as a failure.
//!
//! Every command runs under a limit of its own ([`ScriptConfig`]): fuel given afresh to each
//! one ([`DEFAULT_COMMAND_FUEL`] by default) and, when asked for, a wall-clock timeout. A command
//! that loops forever fails with a message naming the limit, and the rest of the script runs.
//!
//! Failure messages are one line each, for people: values and expectations in `.wast` syntax
//! ([`display`]), traps with their limits and folded backtraces, and a script that does not
//! parse at the line and column of the problem. The front end escapes them before printing.

pub mod display;
mod matching;
mod spectest;
mod text;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use wast::parser::{self, ParseBuffer};
use wast::{QuoteWat, Wast, WastDirective, WastExecute, WastInvoke, Wat};

use crate::config::{Config, Engine};
use crate::error::Error;
use crate::module::Module;
use crate::store::{Extern, Instance, Linker, Store};
use crate::trap::{Trap, TrapKind};
use crate::value::Value;
use crate::watchdog::Watchdog;

pub use spectest::define_spectest;
use text::CodeMap;
pub use text::{TextError, TextModule, without_offset};

/// A failed command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// 1-based line of the command, or 0 when the failure has no place (an unreadable file).
    pub line: usize,
    /// What went wrong.
    pub message: String,
}

/// A command skipped because it needs an unsupported proposal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    /// 1-based line of the command.
    pub line: usize,
    /// Why it is out of scope.
    pub reason: String,
}

/// The outcome of one script.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScriptReport {
    /// Commands that behaved as expected.
    pub passed: usize,
    /// Commands that did not.
    pub failed: Vec<Failure>,
    /// Commands out of scope.
    pub skipped: Vec<Skip>,
}

/// The largest script [`run_file`] reads (64 MiB): a file that never ends (`/dev/zero`, a FIFO)
/// is a failure rather than a process that runs out of memory.
pub const MAX_SCRIPT_BYTES: u64 = 64 << 20;

/// Fuel each command of a script gets by default: fifty times what the most demanding command
/// of the spec suite uses (2,000,002 units), and a loop that never ends stops within a second.
pub const DEFAULT_COMMAND_FUEL: u64 = 100_000_000;

/// How a script runs: the engine's limits, and the limits each command runs under (a module
/// with its start function, an invocation, an assertion).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScriptConfig {
    /// The engine's configuration. Its `limits.fuel` is the fuel given afresh to every command
    /// (`None`: unlimited).
    pub config: Config,
    /// How long each command may run (`None`: no limit).
    pub timeout: Option<Duration>,
    /// The feature set the script was written for (the 2.0 suite: `WasmFeatures::WASM2`).
    /// An `assert_invalid` module the interpreter rejects as unsupported passes when it does
    /// not validate under this set; without it (`None`) such a module is a skip.
    pub features: Option<wasmparser::WasmFeatures>,
}

impl Default for ScriptConfig {
    /// Default limits with [`DEFAULT_COMMAND_FUEL`] per command and no timeout.
    fn default() -> Self {
        let mut config = Config::default();
        config.limits.fuel = Some(DEFAULT_COMMAND_FUEL);
        ScriptConfig { config, timeout: None, features: None }
    }
}

/// Runs the script at `path`.
pub fn run_file(path: &Path, config: &ScriptConfig) -> ScriptReport {
    run_file_with(path, config, &mut NoComponents)
}

/// Runs the script at `path`, handing its component commands to `components`.
pub fn run_file_with(path: &Path, config: &ScriptConfig, components: &mut dyn Components) -> ScriptReport {
    let unreadable = |message: String| ScriptReport {
        failed: vec![Failure { line: 0, message: format!("cannot read {}: {message}", path.display()) }],
        ..ScriptReport::default()
    };
    match read_bounded(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => run_script_with(&text, config, components),
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                unreadable(format!("not UTF-8 text (an invalid byte at offset {at})"))
            }
        },
        Err(message) => unreadable(message),
    }
}

fn read_bounded(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    file.take(MAX_SCRIPT_BYTES + 1).read_to_end(&mut bytes).map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_SCRIPT_BYTES {
        return Err(format!(
            "larger than {} MiB (the input limit); is it a device or a pipe that never ends?",
            MAX_SCRIPT_BYTES >> 20
        ));
    }
    Ok(bytes)
}

/// A parse error of the script as one line, with its 1-based line.
fn located(text: &str, what: &str, e: &wast::Error) -> Failure {
    let (line, col) = e.span().linecol_in(text);
    Failure { line: line + 1, message: format!("{what} (column {}): {}", col + 1, e.message()) }
}

/// Runs a script's text.
pub fn run_script(text: &str, config: &ScriptConfig) -> ScriptReport {
    run_script_with(text, config, &mut NoComponents)
}

/// Runs a script's text, handing its component commands to `components`.
pub fn run_script_with(text: &str, config: &ScriptConfig, components: &mut dyn Components) -> ScriptReport {
    let mut report = ScriptReport::default();
    let mut lexer = wast::lexer::Lexer::new(text);
    // Test names deliberately contain bidirectional-override characters.
    lexer.allow_confusing_unicode(true);
    let mut buf = match ParseBuffer::new_with_lexer(lexer) {
        Ok(b) => b,
        Err(e) => {
            report.failed.push(located(text, "cannot lex the script", &e));
            return report;
        }
    };
    // Instruction spans let a module that does not validate be reported at the instruction.
    buf.track_instr_spans(true);
    let script = match parser::parse::<Wast>(&buf) {
        Ok(s) => s,
        Err(e) => {
            report.failed.push(located(text, "cannot parse the script", &e));
            return report;
        }
    };
    let mut runner = Runner::new(config, text);
    for directive in script.directives {
        let line = directive.span().linecol_in(text).0 + 1;
        let verdict = match components.offer(directive, text) {
            Offer::Taken(verdict) => verdict,
            Offer::Declined(directive) => {
                // A core module becomes the current one: commands without a name are core.
                if matches!(directive, WastDirective::Module(_) | WastDirective::ModuleInstance { .. }) {
                    components.core_module_defined();
                }
                runner.limited(directive)
            }
        };
        match verdict {
            Ok(()) => report.passed += 1,
            Err(Verdict::Failed(message)) => report.failed.push(Failure { line, message }),
            Err(Verdict::FailedAt(line, message)) => report.failed.push(Failure { line, message }),
            Err(Verdict::Skipped(reason)) => report.skipped.push(Skip { line, reason }),
        }
    }
    report
}

/// Why a command did not pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// It failed; the message says why.
    Failed(String),
    /// It failed because of a problem at a 1-based line of its own (inside its module's text).
    FailedAt(usize, String),
    /// It is out of scope; the reason.
    Skipped(String),
}

/// What a [`Components`] handler did with a command.
pub enum Offer<'a> {
    /// It ran the command (a component, or a command against one); the outcome.
    Taken(Result<(), Verdict>),
    /// Not a component command: the core runner runs it.
    Declined(WastDirective<'a>),
}

/// The part of a script runner that handles components, so that one script can mix core
/// modules and components. Each command is offered to it first.
pub trait Components {
    /// Runs `directive` if it is about components (`text` is the script, for places), or
    /// hands it back.
    fn offer<'a>(&mut self, directive: WastDirective<'a>, text: &str) -> Offer<'a>;

    /// A core module was defined and is now the current module (for unnamed commands).
    fn core_module_defined(&mut self);
}

/// The handler of a core-only runner: components are out of scope, so skipped.
pub struct NoComponents;

impl Components for NoComponents {
    fn offer<'a>(&mut self, directive: WastDirective<'a>, _text: &str) -> Offer<'a> {
        let component = match &directive {
            WastDirective::Module(m) | WastDirective::ModuleDefinition(m) => is_component(m),
            WastDirective::AssertInvalid { module, .. } | WastDirective::AssertMalformed { module, .. } => {
                is_component(module)
            }
            _ => false,
        };
        if component { Offer::Taken(Err(Verdict::Skipped("component".into()))) } else { Offer::Declined(directive) }
    }

    fn core_module_defined(&mut self) {}
}

/// Whether a script module is a component.
pub fn is_component(module: &QuoteWat<'_>) -> bool {
    matches!(module, QuoteWat::QuoteComponent(..) | QuoteWat::Wat(Wat::Component(_)))
}

fn fail<T>(message: impl Into<String>) -> Result<T, Verdict> {
    Err(Verdict::Failed(message.into()))
}

/// A module slot: instantiated, or out of scope for a reason.
type Slot = Result<Instance, String>;

/// A module that uses a proposal the interpreter does not support.
#[derive(Debug, Clone)]
struct OutOfScope {
    /// Which proposal, in words.
    reason: String,
    /// The module names it imports memories, tables or globals from: had it been instantiated,
    /// it could have changed them.
    state_imports: Vec<String>,
    /// It does not validate under the script's feature set ([`ScriptConfig::features`]), so an
    /// `assert_invalid` of it passes.
    invalid_in_suite: bool,
}

struct Runner<'t> {
    /// The script's text, for the places of problems inside its modules.
    text: &'t str,
    engine: Engine,
    /// The feature set the script is written for, if known.
    features: Option<wasmparser::WasmFeatures>,
    /// How long each command may run, and the store's interrupt flag that stops it.
    timeout: Option<(Duration, Arc<AtomicBool>)>,
    store: Store,
    linker: Linker,
    current: Option<Slot>,
    named: HashMap<String, Slot>,
    definitions: HashMap<String, Result<Module, OutOfScope>>,
    /// Names registered for modules that were skipped, with the reason.
    skipped_registrations: HashMap<String, String>,
    /// Live instances by the names they were registered under.
    registered: HashMap<String, Instance>,
    /// Live instances whose memories, tables or globals a skipped module imported: that module
    /// may have changed them (data and element segments, a start function), so later results
    /// against them are out of scope too. The value is the reason.
    tainted: HashMap<Instance, String>,
}

/// Trap messages the spec uses that name the same condition differently.
fn trap_matches(kind: &TrapKind, expected: &str) -> bool {
    let ours = kind.to_string();
    if ours.starts_with(expected) || expected.starts_with(&ours) {
        return true;
    }
    matches!(
        (kind, expected),
        (TrapKind::UninitializedElement, e) if e.starts_with("uninitialized")
    ) || matches!((kind, expected), (TrapKind::UndefinedElement, e) if e.contains("out of bounds"))
        || matches!((kind, expected), (TrapKind::TableOutOfBounds, e) if e.contains("out of bounds"))
        || matches!((kind, expected), (TrapKind::MemoryOutOfBounds, e) if e.contains("out of bounds"))
}

impl<'t> Runner<'t> {
    fn new(config: &ScriptConfig, text: &'t str) -> Runner<'t> {
        let engine = Engine::new(config.config);
        let mut store = Store::new(&engine);
        let timeout = config.timeout.map(|limit| (limit, store.interrupt_handle()));
        let mut linker = Linker::new();
        define_spectest(&mut linker, &mut store);
        Runner {
            text,
            engine,
            features: config.features,
            timeout,
            store,
            linker,
            current: None,
            named: HashMap::new(),
            definitions: HashMap::new(),
            skipped_registrations: HashMap::new(),
            registered: HashMap::new(),
            tainted: HashMap::new(),
        }
    }

    /// Runs one command under the per-command limits: fresh fuel, and the timeout's watchdog.
    /// A command the watchdog stopped fails with the timeout, whatever it was doing (a start
    /// function or an invocation).
    fn limited(&mut self, directive: WastDirective<'_>) -> Result<(), Verdict> {
        if let Some(fuel) = self.engine.config().limits.fuel {
            self.store.set_fuel(fuel);
        }
        let Some((limit, flag)) = self.timeout.clone() else { return self.directive(directive) };
        let watchdog = Watchdog::arm(flag.clone(), limit);
        let verdict = self.directive(directive);
        let fired = watchdog.fired();
        drop(watchdog);
        // Set after the command was done, the flag would stop the next one.
        flag.store(false, Ordering::SeqCst);
        match verdict {
            Err(Verdict::Failed(_) | Verdict::FailedAt(..)) if fired => {
                fail(format!("timed out: the command ran longer than {limit:?} (limit timeout, per command)"))
            }
            other => other,
        }
    }

    /// A trap as one message: its reason with the limit's value, and the innermost frame.
    fn trap(&self, trap: &Trap) -> String {
        let kind = match trap.kind {
            TrapKind::FuelExhausted { limit } => {
                format!("fuel exhausted (limit fuel = {} per command)", display::thousands(limit))
            }
            ref other => display::trap_kind(other, &self.engine.config().limits),
        };
        match trap.backtrace.first() {
            Some(frame) => format!("{kind} in {frame}"),
            None => kind,
        }
    }

    fn compile(&self, module: &mut QuoteWat<'_>) -> Result<Result<Module, OutOfScope>, Verdict> {
        let bytes = match &mut *module {
            QuoteWat::QuoteComponent(..) => return Err(Verdict::Skipped("component".into())),
            QuoteWat::Wat(Wat::Component(_)) => return Err(Verdict::Skipped("component".into())),
            m => {
                // The spans of a quoted module's errors are in its quoted text, not the script's.
                let in_script = matches!(m, QuoteWat::Wat(_));
                m.encode().map_err(|e| {
                    if !in_script {
                        return Verdict::Failed(format!("cannot encode module: {}", e.message()));
                    }
                    let (line, col) = e.span().linecol_in(self.text);
                    Verdict::FailedAt(line + 1, format!("cannot encode module (column {}): {}", col + 1, e.message()))
                })?
            }
        };
        match Module::new(&self.engine, &bytes) {
            Ok(m) => Ok(Ok(m)),
            Err(Error::Unsupported { message, .. }) => {
                let invalid_in_suite = self
                    .features
                    .is_some_and(|f| wasmparser::Validator::new_with_features(f).validate_all(&bytes).is_err());
                Ok(Err(OutOfScope { reason: message, state_imports: stateful_imports(&bytes), invalid_in_suite }))
            }
            Err(e) => Err(self.rejected(&*module, &bytes, &e)),
        }
    }

    /// A module that does not validate: at the line and column of the instruction (or the
    /// function) the error is in when the module is text of this script, else at its offset.
    fn rejected(&self, module: &QuoteWat<'_>, bytes: &[u8], error: &Error) -> Verdict {
        let span = match (module, error) {
            (QuoteWat::Wat(wat), Error::Invalid { offset, .. }) => CodeMap::new(wat, bytes).locate(*offset),
            _ => None,
        };
        match span {
            Some(span) => {
                let (line, col) = span.linecol_in(self.text);
                Verdict::FailedAt(line + 1, format!("module rejected (column {}): {}", col + 1, without_offset(error)))
            }
            None => Verdict::Failed(format!("module rejected: {error}")),
        }
    }

    fn instantiate(&mut self, module: &Module) -> Result<Instance, Verdict> {
        let result = self.linker.instantiate(&mut self.store, module);
        result.map_err(|e| {
            let verdict = self.link_verdict(module, e);
            if let Verdict::Skipped(reason) = &verdict {
                let imports: Vec<String> = module
                    .imports()
                    .iter()
                    .filter(|i| !matches!(i.ty, crate::module::ExternType::Func(_)))
                    .map(|i| i.module.clone())
                    .collect();
                self.taint_state_imports(&imports, reason);
            }
            verdict
        })
    }

    /// Records that a module out of scope would have been instantiated here, and returns why.
    fn skip_instantiation(&mut self, module: OutOfScope) -> String {
        self.taint_state_imports(&module.state_imports, &module.reason);
        module.reason
    }

    /// Marks the registered instances named in `modules` as possibly changed by a skipped module.
    fn taint_state_imports(&mut self, modules: &[String], reason: &str) {
        for name in modules {
            if let Some(instance) = self.registered.get(name) {
                self.tainted
                    .entry(*instance)
                    .or_insert_with(|| format!("shares state with a skipped module ({reason})"));
            }
        }
    }

    /// A link failure caused by importing from a skipped module is itself out of scope.
    fn link_verdict(&self, module: &Module, error: Error) -> Verdict {
        if let Error::Unlinkable(_) = error
            && let Some(reason) = module.imports().iter().find_map(|i| self.skipped_registrations.get(&i.module))
        {
            return Verdict::Skipped(format!("imports from a skipped module ({reason})"));
        }
        Verdict::Failed(error.to_string())
    }

    fn slot(&self, id: Option<wast::token::Id<'_>>) -> Result<Instance, Verdict> {
        let slot = match id {
            Some(id) => self.named.get(id.name()),
            None => self.current.as_ref(),
        };
        match slot {
            Some(Ok(i)) => match self.tainted.get(i) {
                Some(reason) => Err(Verdict::Skipped(reason.clone())),
                None => Ok(*i),
            },
            Some(Err(reason)) => Err(Verdict::Skipped(reason.clone())),
            None => fail("no module to run against"),
        }
    }

    fn define_module(&mut self, mut module: QuoteWat<'_>) -> Result<(), Verdict> {
        let name = module.name().map(|n| n.name().to_string());
        let slot = match self.compile(&mut module)? {
            Ok(m) => match self.instantiate(&m) {
                Ok(instance) => Ok(instance),
                // Keep the name bound, so that commands against it are skipped as well.
                Err(Verdict::Skipped(reason)) => Err(reason),
                Err(failed) => return Err(failed),
            },
            Err(out_of_scope) => Err(self.skip_instantiation(out_of_scope)),
        };
        if let Some(name) = name {
            self.named.insert(name, slot.clone());
        }
        let skipped = slot.as_ref().err().cloned();
        self.current = Some(slot);
        match skipped {
            Some(reason) => Err(Verdict::Skipped(reason)),
            None => Ok(()),
        }
    }

    fn invoke(&mut self, invoke: &WastInvoke<'_>) -> Result<Result<Vec<Value>, Trap>, Verdict> {
        let instance = self.slot(invoke.module)?;
        let args =
            invoke.args.iter().map(matching::arg_value).collect::<Result<Vec<_>, _>>().map_err(Verdict::Skipped)?;
        Ok(self.store.invoke(instance, invoke.name, &args))
    }

    fn execute(&mut self, exec: WastExecute<'_>) -> Result<Result<Vec<Value>, Trap>, Verdict> {
        match exec {
            WastExecute::Invoke(invoke) => self.invoke(&invoke),
            WastExecute::Get { module, global, .. } => {
                let instance = self.slot(module)?;
                match self.store.export(instance, global) {
                    Some(Extern::Global(g)) => Ok(Ok(self.store.global_value(g).into_iter().collect())),
                    _ => fail(format!("no exported global `{global}`")),
                }
            }
            WastExecute::Wat(mut wat) => {
                let mut quote = QuoteWat::Wat(std::mem::replace(&mut wat, Wat::Module(empty_module())));
                match self.compile(&mut quote)? {
                    Ok(m) => match self.linker.instantiate(&mut self.store, &m) {
                        Ok(_) => Ok(Ok(Vec::new())),
                        Err(e @ Error::Unlinkable(_)) => Err(self.link_verdict(&m, e)),
                        Err(e) => Ok(Err(Trap::new(TrapKind::Host(e.to_string())))),
                    },
                    Err(out_of_scope) => Err(Verdict::Skipped(self.skip_instantiation(out_of_scope))),
                }
            }
        }
    }

    fn directive(&mut self, directive: WastDirective<'_>) -> Result<(), Verdict> {
        match directive {
            WastDirective::Module(module) => self.define_module(module),
            WastDirective::ModuleDefinition(mut module) => {
                let name = module.name().map(|n| n.name().to_string());
                let compiled = self.compile(&mut module)?;
                let skipped = compiled.as_ref().err().map(|o| o.reason.clone());
                if let Some(name) = name {
                    self.definitions.insert(name, compiled);
                }
                match skipped {
                    Some(reason) => Err(Verdict::Skipped(reason)),
                    None => Ok(()),
                }
            }
            WastDirective::ModuleInstance { instance, module, .. } => {
                let Some(def) = module.and_then(|m| self.definitions.get(m.name()).cloned()) else {
                    return fail("unknown module definition");
                };
                let slot = match def {
                    Ok(m) => match self.instantiate(&m) {
                        Ok(instance) => Ok(instance),
                        Err(Verdict::Skipped(reason)) => Err(reason),
                        Err(failed) => return Err(failed),
                    },
                    Err(out_of_scope) => Err(self.skip_instantiation(out_of_scope)),
                };
                if let Some(name) = instance {
                    self.named.insert(name.name().to_string(), slot.clone());
                }
                self.current = Some(slot.clone());
                slot.map(|_| ()).map_err(Verdict::Skipped)
            }
            WastDirective::Register { name, module, .. } => {
                let instance = match self.slot(module) {
                    Err(Verdict::Skipped(reason)) => {
                        self.skipped_registrations.insert(name.to_string(), reason.clone());
                        return Err(Verdict::Skipped(reason));
                    }
                    other => other?,
                };
                self.linker.instance(&self.store, name, instance);
                self.registered.insert(name.to_string(), instance);
                Ok(())
            }
            WastDirective::Invoke(invoke) => match self.invoke(&invoke)? {
                Ok(_) => Ok(()),
                Err(trap) => fail(format!("unexpected trap: {}", self.trap(&trap))),
            },
            WastDirective::AssertReturn { exec, results, .. } => match self.execute(exec)? {
                Ok(values) => {
                    if values.len() != results.len() {
                        return fail(format!("expected {} results, got {}", results.len(), display::values(&values)));
                    }
                    for (expected, value) in results.iter().zip(&values) {
                        if !matching::result_matches(expected, value).map_err(Verdict::Skipped)? {
                            return fail(format!(
                                "expected {}, got {}",
                                matching::expected_text(expected),
                                display::value(value)
                            ));
                        }
                    }
                    Ok(())
                }
                Err(trap) => fail(format!("unexpected trap: {}", self.trap(&trap))),
            },
            WastDirective::AssertTrap { exec, message, .. } => match self.execute(exec)? {
                Ok(values) => fail(format!("expected trap `{message}`, got {}", display::values(&values))),
                Err(trap) => {
                    if let TrapKind::Host(m) = &trap.kind
                        && m.contains(message)
                    {
                        return Ok(());
                    }
                    if trap_matches(&trap.kind, message) {
                        Ok(())
                    } else {
                        fail(format!("expected trap `{message}`, got `{}`", self.trap(&trap)))
                    }
                }
            },
            WastDirective::AssertExhaustion { call, message, .. } => match self.invoke(&call)? {
                Ok(values) => fail(format!("expected exhaustion, got {}", display::values(&values))),
                Err(trap) => match trap.kind {
                    TrapKind::CallStackExhausted { .. } | TrapKind::ValueStackExhausted { .. } => Ok(()),
                    _ => fail(format!("expected `{message}`, got `{}`", self.trap(&trap))),
                },
            },
            // A module the interpreter rejects as unsupported proves nothing about validity: it
            // passes only when it is invalid under the script's own feature set, else it is a
            // skip.
            WastDirective::AssertInvalid { mut module, message, .. } => match self.compile(&mut module) {
                Ok(Ok(_)) => fail(format!("module is valid, expected invalid: {message}")),
                Ok(Err(out_of_scope)) if out_of_scope.invalid_in_suite => Ok(()),
                Ok(Err(out_of_scope)) => Err(Verdict::Skipped(format!(
                    "uses an unsupported feature ({}), so whether it is invalid is not known",
                    out_of_scope.reason
                ))),
                Err(Verdict::Failed(_) | Verdict::FailedAt(..)) => Ok(()),
                Err(skip) => Err(skip),
            },
            WastDirective::AssertMalformed { mut module, message, .. } => {
                if let QuoteWat::QuoteComponent(..) | QuoteWat::Wat(Wat::Component(_)) = module {
                    return Err(Verdict::Skipped("component".into()));
                }
                let Ok(bytes) = module.encode() else { return Ok(()) };
                match Module::new(&self.engine, &bytes) {
                    Ok(_) => fail(format!("module decoded, expected malformed: {message}")),
                    Err(_) => Ok(()),
                }
            }
            WastDirective::AssertUnlinkable { module, message, .. } => {
                let mut quote = QuoteWat::Wat(module);
                match self.compile(&mut quote)? {
                    Ok(m) => match self.linker.instantiate(&mut self.store, &m) {
                        Ok(_) => fail(format!("module linked, expected `{message}`")),
                        Err(Error::Unlinkable(_) | Error::Limit(_)) => {
                            match self.link_verdict(&m, Error::Unlinkable(String::new())) {
                                Verdict::Skipped(reason) => Err(Verdict::Skipped(reason)),
                                Verdict::Failed(_) | Verdict::FailedAt(..) => Ok(()),
                            }
                        }
                        Err(e) => fail(format!("expected `{message}`, got `{e}`")),
                    },
                    // An unlinkable module never runs, so it changes nothing.
                    Err(out_of_scope) => Err(Verdict::Skipped(out_of_scope.reason)),
                }
            }
            WastDirective::AssertInvalidCustom { .. } | WastDirective::AssertMalformedCustom { .. } => {
                Err(Verdict::Skipped("custom-section annotations".into()))
            }
            WastDirective::AssertException { .. } => Err(Verdict::Skipped("exception handling".into())),
            WastDirective::AssertSuspension { .. } => Err(Verdict::Skipped("stack switching".into())),
            WastDirective::Thread(_) | WastDirective::Wait { .. } => Err(Verdict::Skipped("threads".into())),
        }
    }
}

/// The module names that a binary imports memories, tables or globals from (best effort: a
/// module that does not decode imports nothing).
fn stateful_imports(bytes: &[u8]) -> Vec<String> {
    let mut modules = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        let Ok(wasmparser::Payload::ImportSection(reader)) = payload else { continue };
        for import in reader.into_imports().flatten() {
            if !matches!(import.ty, wasmparser::TypeRef::Func(_) | wasmparser::TypeRef::FuncExact(_)) {
                modules.push(import.module.to_string());
            }
        }
    }
    modules
}

fn empty_module() -> wast::core::Module<'static> {
    wast::core::Module {
        span: wast::token::Span::from_offset(0),
        id: None,
        name: None,
        kind: wast::core::ModuleKind::Binary(Vec::new()),
    }
}
