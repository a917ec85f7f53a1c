//! The component half of Canopy's `.wast` runner: components, commands against them, and
//! the component assertions (`assert_return` with component values, `assert_trap`,
//! `assert_invalid`, `assert_malformed`, `assert_unlinkable`).
//!
//! The core runner (`canopy_interp::wast`) reads the script and offers each command here
//! first ([`Components`]); what is not about a component (a core module, a command against
//! one) goes back to it, so one script may mix both. Counts are the core runner's
//! [`ScriptReport`].
//!
//! Rules of the scripts, as the reference tests are run (wasmtime's wast runner):
//!
//! - `assert_trap` passes when the expected text is contained in the trap's message; a
//!   leading `wasm trap: ` of the expected text (wasmtime's prefix of core traps) is not
//!   part of the condition.
//! - A component that uses something the runtime does not run yet
//!   ([`LoadError::Unsupported`]) is skipped with every command against it, and an
//!   `assert_invalid` of it is a skip, never a pass.
//! - Results are compared as component values (`Val`'s equality: all NaNs are equal).

mod values;

use std::collections::HashMap;
use std::path::Path;

use ::wast::{QuoteWat, WastArg, WastDirective, WastExecute, WastInvoke, WastRet, Wat};
use canopy_interp::wast::{Components, Offer, ScriptConfig, ScriptReport, Verdict, is_component};

use crate::runtime::{Component, ComponentTrap, InstanceId, Item, Linker, LoadError, Store};
use crate::val::Val;

/// Runs the script at `path`: core modules on the interpreter, components on this runtime.
pub fn run_file(path: &Path, config: &ScriptConfig) -> ScriptReport {
    canopy_interp::wast::run_file_with(path, config, &mut ComponentScripts::new(config))
}

/// Runs a script's text (see [`run_file`]).
pub fn run_script(text: &str, config: &ScriptConfig) -> ScriptReport {
    canopy_interp::wast::run_script_with(text, config, &mut ComponentScripts::new(config))
}

/// An instance slot: instantiated, or skipped for a reason.
type Slot = Result<InstanceId, String>;

/// The component state of one script: its store, instances and definitions.
pub struct ComponentScripts {
    store: Store,
    linker: Linker,
    fuel: Option<u64>,
    /// The current instance, when the last module defined was a component.
    current: Option<Slot>,
    named: HashMap<String, Slot>,
    definitions: HashMap<String, Result<Component, String>>,
}

fn fail<T>(message: impl Into<String>) -> Result<T, Verdict> {
    Err(Verdict::Failed(message.into()))
}

/// What compiling a component came to: loaded, out of scope (the reason), or rejected.
enum Compiled {
    Loaded(Component),
    OutOfScope(String),
    Rejected(String),
}

impl ComponentScripts {
    /// A fresh component state for one script, with the script's fuel per command.
    pub fn new(config: &ScriptConfig) -> ComponentScripts {
        ComponentScripts {
            store: Store::new(),
            linker: Linker::new(),
            fuel: config.config.limits.fuel,
            current: None,
            named: HashMap::new(),
            definitions: HashMap::new(),
        }
    }

    /// Whether a command refers to a component instance (by name, or as the current one).
    fn targets_component(&self, module: Option<::wast::token::Id<'_>>) -> bool {
        match module {
            Some(id) => self.named.contains_key(id.name()),
            None => self.current.is_some(),
        }
    }

    fn claims(&self, directive: &WastDirective<'_>) -> bool {
        let exec_targets = |exec: &WastExecute<'_>| match exec {
            WastExecute::Invoke(invoke) => self.targets_component(invoke.module),
            WastExecute::Wat(Wat::Component(_)) => true,
            WastExecute::Wat(_) => false,
            WastExecute::Get { module, .. } => self.targets_component(*module),
        };
        match directive {
            WastDirective::Module(m) | WastDirective::ModuleDefinition(m) => is_component(m),
            WastDirective::AssertInvalid { module, .. } | WastDirective::AssertMalformed { module, .. } => {
                is_component(module)
            }
            WastDirective::AssertUnlinkable { module, .. } => matches!(module, Wat::Component(_)),
            WastDirective::ModuleInstance { module, .. } => {
                module.is_some_and(|m| self.definitions.contains_key(m.name()))
            }
            WastDirective::Register { module, .. } => self.targets_component(*module),
            WastDirective::Invoke(invoke) => self.targets_component(invoke.module),
            WastDirective::AssertReturn { exec, .. } | WastDirective::AssertTrap { exec, .. } => exec_targets(exec),
            _ => false,
        }
    }

    fn compile(module: &mut QuoteWat<'_>, text: &str) -> Compiled {
        let in_script = matches!(module, QuoteWat::Wat(_));
        let bytes = match module.encode() {
            Ok(bytes) => bytes,
            Err(e) if in_script => {
                let (line, col) = e.span().linecol_in(text);
                return Compiled::Rejected(format!(
                    "cannot encode component (line {}, column {}): {}",
                    line + 1,
                    col + 1,
                    e.message()
                ));
            }
            Err(e) => return Compiled::Rejected(format!("cannot encode component: {}", e.message())),
        };
        match Component::new(&bytes) {
            Ok(c) => Compiled::Loaded(c),
            Err(LoadError::Unsupported { message, .. }) => Compiled::OutOfScope(format!("component uses {message}")),
            Err(e) => Compiled::Rejected(e.to_string()),
        }
    }

    fn instantiate(&mut self, component: &Component, name: &str) -> Result<InstanceId, Verdict> {
        self.store
            .instantiate(&self.linker, component, name)
            .map_err(|e| Verdict::Failed(format!("instantiation: {e}")))
    }

    /// Defines a component and makes it the current instance (and `name`'s).
    fn define(&mut self, mut module: QuoteWat<'_>, text: &str) -> Result<(), Verdict> {
        let name = module.name().map(|n| n.name().to_string());
        let label = name.clone().unwrap_or_else(|| "component".to_string());
        let slot = match Self::compile(&mut module, text) {
            Compiled::Loaded(c) => Ok(self.instantiate(&c, &label)?),
            Compiled::OutOfScope(reason) => Err(reason),
            Compiled::Rejected(message) => return fail(message),
        };
        self.bind(name, slot)
    }

    fn bind(&mut self, name: Option<String>, slot: Slot) -> Result<(), Verdict> {
        if let Some(name) = name {
            self.named.insert(name, slot.clone());
        }
        self.current = Some(slot.clone());
        slot.map(|_| ()).map_err(Verdict::Skipped)
    }

    fn slot(&self, module: Option<::wast::token::Id<'_>>) -> Result<InstanceId, Verdict> {
        let slot = match module {
            Some(id) => self.named.get(id.name()),
            None => self.current.as_ref(),
        };
        match slot {
            Some(Ok(i)) => Ok(*i),
            Some(Err(reason)) => Err(Verdict::Skipped(reason.clone())),
            None => fail("no component to run against"),
        }
    }

    fn invoke(&mut self, invoke: &WastInvoke<'_>) -> Result<Result<Vec<Val>, ComponentTrap>, Verdict> {
        let instance = self.slot(invoke.module)?;
        let mut args = Vec::new();
        for arg in &invoke.args {
            match arg {
                WastArg::Component(v) => args.push(values::val(v)),
                _ => return fail("a core argument to a component function"),
            }
        }
        let Some(sig) = self.store.func_type(instance, invoke.name) else {
            return fail(format!("no exported function `{}`", invoke.name));
        };
        if sig.params.len() != args.len() {
            return fail(format!(
                "`{}` takes {} arguments, the script gives {}",
                invoke.name,
                sig.params.len(),
                args.len()
            ));
        }
        for ((param, ty), arg) in sig.params.iter().zip(&args) {
            if let Err(e) = arg.type_check(ty) {
                return fail(format!("argument `{param}` of `{}`: {e}", invoke.name));
            }
        }
        if let Some(fuel) = self.fuel {
            self.store.core_mut().set_fuel(fuel);
        }
        Ok(self.store.call(instance, invoke.name, &args))
    }

    fn execute(&mut self, exec: WastExecute<'_>, text: &str) -> Result<Result<Vec<Val>, ComponentTrap>, Verdict> {
        match exec {
            WastExecute::Invoke(invoke) => self.invoke(&invoke),
            WastExecute::Wat(wat) => {
                let mut quote = QuoteWat::Wat(wat);
                match Self::compile(&mut quote, text) {
                    Compiled::Loaded(c) => match self.store.instantiate(&self.linker, &c, "component") {
                        Ok(_) => Ok(Ok(Vec::new())),
                        // A start function that traps fails the instantiation with its trap.
                        Err(e) => Ok(Err(ComponentTrap::message(e.to_string()))),
                    },
                    Compiled::OutOfScope(reason) => Err(Verdict::Skipped(reason)),
                    Compiled::Rejected(message) => fail(message),
                }
            }
            WastExecute::Get { .. } => Err(Verdict::Skipped("`get` of a component value export".into())),
        }
    }

    fn directive(&mut self, directive: WastDirective<'_>, text: &str) -> Result<(), Verdict> {
        if let Some(fuel) = self.fuel {
            self.store.core_mut().set_fuel(fuel);
        }
        match directive {
            WastDirective::Module(module) => self.define(module, text),
            WastDirective::ModuleDefinition(mut module) => {
                let name = module.name().map(|n| n.name().to_string());
                let (def, verdict) = match Self::compile(&mut module, text) {
                    Compiled::Loaded(c) => (Ok(c), Ok(())),
                    Compiled::OutOfScope(reason) => (Err(reason.clone()), Err(Verdict::Skipped(reason))),
                    Compiled::Rejected(message) => return fail(message),
                };
                if let Some(name) = name {
                    self.definitions.insert(name, def);
                }
                verdict
            }
            WastDirective::ModuleInstance { instance, module, .. } => {
                let def = module.and_then(|m| self.definitions.get(m.name()).cloned());
                let name = instance.map(|i| i.name().to_string());
                let slot = match def {
                    Some(Ok(c)) => Ok(self.instantiate(&c, name.as_deref().unwrap_or("component"))?),
                    Some(Err(reason)) => Err(reason),
                    None => return fail("unknown component definition"),
                };
                self.bind(name, slot)
            }
            WastDirective::Register { name, module, .. } => {
                let instance = self.slot(module)?;
                let exports = self.store.rt.instances[instance.0].exports.clone();
                self.linker.define(name, Item::Instance(std::sync::Arc::new(exports)));
                Ok(())
            }
            WastDirective::Invoke(invoke) => match self.invoke(&invoke)? {
                Ok(_) => Ok(()),
                Err(trap) => fail(format!("unexpected trap: {}", trap.message)),
            },
            WastDirective::AssertReturn { exec, results, .. } => match self.execute(exec, text)? {
                Ok(values) => {
                    let mut expected = Vec::new();
                    for r in &results {
                        match r {
                            WastRet::Component(v) => expected.push(values::val(v)),
                            _ => return fail("a core result expected of a component function"),
                        }
                    }
                    if values == expected {
                        Ok(())
                    } else {
                        fail(format!("expected {}, got {}", values::show_all(&expected), values::show_all(&values)))
                    }
                }
                Err(trap) => fail(format!("unexpected trap: {}", trap.message)),
            },
            WastDirective::AssertTrap { exec, message, .. } => match self.execute(exec, text)? {
                Ok(values) => fail(format!("expected trap `{message}`, got {}", values::show_all(&values))),
                Err(trap) => {
                    let wanted = message.strip_prefix("wasm trap: ").unwrap_or(message);
                    if trap.message.contains(wanted) {
                        Ok(())
                    } else {
                        fail(format!("expected trap `{message}`, got `{}`", trap.message))
                    }
                }
            },
            WastDirective::AssertInvalid { mut module, message, .. } => match Self::compile(&mut module, text) {
                Compiled::Loaded(_) => fail(format!("component is valid, expected invalid: {message}")),
                Compiled::OutOfScope(reason) => {
                    Err(Verdict::Skipped(format!("{reason}, which is not run, so whether it is invalid is not known")))
                }
                Compiled::Rejected(_) => Ok(()),
            },
            WastDirective::AssertMalformed { mut module, message, .. } => match Self::compile(&mut module, text) {
                Compiled::Loaded(_) => fail(format!("component decoded, expected malformed: {message}")),
                Compiled::OutOfScope(reason) => Err(Verdict::Skipped(format!(
                    "{reason}, which is not run, so whether it is malformed is not known"
                ))),
                Compiled::Rejected(_) => Ok(()),
            },
            WastDirective::AssertUnlinkable { module, message, .. } => {
                let mut quote = QuoteWat::Wat(module);
                match Self::compile(&mut quote, text) {
                    Compiled::Loaded(c) => match self.store.instantiate(&self.linker, &c, "component") {
                        Ok(_) => fail(format!("component linked, expected `{message}`")),
                        Err(_) => Ok(()),
                    },
                    Compiled::OutOfScope(reason) => Err(Verdict::Skipped(reason)),
                    Compiled::Rejected(m) => fail(format!("expected unlinkable `{message}`, got rejected: {m}")),
                }
            }
            other => fail(format!("command at {:?} is not one for components", other.span())),
        }
    }
}

impl Components for ComponentScripts {
    fn offer<'a>(&mut self, directive: WastDirective<'a>, text: &str) -> Offer<'a> {
        if self.claims(&directive) { Offer::Taken(self.directive(directive, text)) } else { Offer::Declined(directive) }
    }

    fn core_module_defined(&mut self) {
        self.current = None;
    }
}
