//! Running calls to completion, for callers that need no pausing: [`Store::invoke`],
//! [`Store::call`] and [`Linker::instantiate`] (which runs the start function). They sit on
//! top of [`Thread`] and the store, so that neither of those depends on the other for this.

use crate::error::Error;
use crate::exec::{Outcome, Thread};
use crate::module::Module;
use crate::store::{Extern, Instance, Linker, Store};
use crate::trap::{Trap, TrapKind};
use crate::value::{FuncAddr, Value};

impl Store {
    /// Calls an exported function to completion.
    pub fn invoke(&mut self, instance: Instance, name: &str, args: &[Value]) -> Result<Vec<Value>, Trap> {
        let Some(Extern::Func(func)) = self.export(instance, name) else {
            return Err(Trap::new(TrapKind::BadInvocation(format!("no exported function `{name}`"))));
        };
        self.call(func, args)
    }

    /// Calls a function to completion (a host function returning pending is an error here, and
    /// so is a pause: a breakpoint or an interrupt).
    pub fn call(&mut self, func: FuncAddr, args: &[Value]) -> Result<Vec<Value>, Trap> {
        let mut thread =
            Thread::new(self, func, args).map_err(|e| Trap::new(TrapKind::BadInvocation(e.to_string())))?;
        match thread.run(self, None) {
            Outcome::Finished(values) => Ok(values),
            Outcome::Trapped(trap) => Err(trap),
            Outcome::Pending(_) => {
                Err(Trap::new(TrapKind::Host("a host function returned pending during a synchronous call".into())))
            }
            Outcome::Paused(reason) => {
                Err(Trap::new(TrapKind::BadInvocation(format!("a synchronous call paused ({reason:?})"))))
            }
        }
    }
}

impl Linker {
    /// Instantiates `module` and runs its start function to completion. If the start function
    /// traps, the instance is discarded ([`Store::discard`]) and the trap is the error.
    pub fn instantiate(&self, store: &mut Store, module: &Module) -> Result<Instance, Error> {
        let unstarted = self.instantiate_unstarted(store, module)?;
        let instance = unstarted.instance;
        if let Some(start) = unstarted.start
            && let Err(trap) = store.call(start, &[])
        {
            store.discard(unstarted)?;
            return Err(Error::Instantiation(trap.to_string()));
        }
        Ok(instance)
    }
}
