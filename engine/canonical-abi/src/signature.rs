//! Core function signatures of lifted and lowered component functions.
//!
//! Implements the Canonical ABI's `flatten_functype` for 32-bit memories. Synchronously, up to
//! [`MAX_FLAT_PARAMS`] parameter values travel in registers, beyond that a single pointer to
//! the parameter tuple does; results get [`MAX_FLAT_RESULTS`] register, beyond that the
//! lifted callee returns a pointer to them and the lowered import instead receives a
//! pointer to write them to as an extra last parameter. Asynchronously lowered imports
//! accept only [`MAX_FLAT_ASYNC_PARAMS`] parameter values, always take an out-pointer for a
//! result and return an `i32` status; asynchronously lifted exports return an `i32` code
//! (callback ABI) or nothing (stackful ABI) and hand their result to `task.return`.

use std::fmt;

use crate::flatten::flatten_types_bounded;
use crate::types::{CoreType, ValType};

/// Most core values a parameter list may flatten to before it is passed through memory.
pub const MAX_FLAT_PARAMS: usize = 16;
/// Most core values the parameters of an asynchronously lowered call may flatten to.
pub const MAX_FLAT_ASYNC_PARAMS: usize = 4;
/// Most core values a synchronous result may flatten to before it is passed through memory.
pub const MAX_FLAT_RESULTS: usize = 1;

/// Which side of a component boundary a core function sits on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    /// `canon lift`: the core function is the callee implementing an export.
    Lift,
    /// `canon lower`: the core function is what core code calls to reach an import.
    Lower,
}

/// The calling convention selected by the `async` and `callback` canonical options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CallingConvention {
    /// No `async` option.
    Sync,
    /// `async` with a `callback` function (only meaningful for lifts; lowering has no
    /// callback and treats this like [`CallingConvention::AsyncStackful`]).
    AsyncCallback,
    /// `async` without a `callback`: the lifted core function runs to completion on its own
    /// stack.
    AsyncStackful,
}

/// A core WebAssembly function type together with how it was derived.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CoreSignature {
    /// Core parameter types, including any parameter or out pointer.
    pub params: Vec<CoreType>,
    /// Core result types.
    pub results: Vec<CoreType>,
    /// The component parameters did not fit and are passed as one pointer to a tuple in
    /// linear memory.
    pub params_spilled: bool,
    /// The component result did not fit in registers and travels through linear memory:
    /// a returned pointer (sync lift) or an out-pointer parameter (sync lower and every
    /// async lower with a result). Always `false` for async lifts, whose result is passed to
    /// `task.return` instead (see [`task_return_signature`]).
    pub results_spilled: bool,
}

impl CoreSignature {
    /// The signature rendered as a core WebAssembly function type, e.g.
    /// `(func (param i32 i32) (result i32))`.
    pub fn to_wat_func(&self) -> String {
        if self.params.is_empty() && self.results.is_empty() { "(func)".to_owned() } else { format!("(func {self})") }
    }
}

/// Renders `(param i32 i32) (result i32)`, omitting an empty group (so a signature with no
/// params and no results renders as the empty string; see [`CoreSignature::to_wat_func`]).
impl fmt::Display for CoreSignature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let groups = [("param", &self.params), ("result", &self.results)];
        let mut first = true;
        for (keyword, types) in groups {
            if types.is_empty() {
                continue;
            }
            if !first {
                f.write_str(" ")?;
            }
            first = false;
            write!(f, "({keyword}")?;
            for ty in types {
                write!(f, " {ty}")?;
            }
            f.write_str(")")?;
        }
        Ok(())
    }
}

/// The core signature of a component function with these `params` and optional `result`,
/// lifted or lowered synchronously or (with `is_async`) asynchronously. An async lift uses
/// the callback ABI; use [`core_signature_with`] for the stackful one.
pub fn core_signature(params: &[ValType], result: Option<&ValType>, context: Context, is_async: bool) -> CoreSignature {
    let convention = if is_async { CallingConvention::AsyncCallback } else { CallingConvention::Sync };
    core_signature_with(params, result, context, convention)
}

/// The core signature of a component function under an explicit calling convention.
pub fn core_signature_with(
    params: &[ValType],
    result: Option<&ValType>,
    context: Context,
    convention: CallingConvention,
) -> CoreSignature {
    let param_limit = match (convention, context) {
        (CallingConvention::Sync, _) | (_, Context::Lift) => MAX_FLAT_PARAMS,
        (_, Context::Lower) => MAX_FLAT_ASYNC_PARAMS,
    };
    let (mut flat_params, params_spilled) = match flatten_types_bounded(params, param_limit) {
        Some(flat) => (flat, false),
        None => (vec![CoreType::I32], true),
    };
    let result = result.map(std::slice::from_ref).unwrap_or_default();
    let (results, results_spilled) = match (convention, context) {
        (CallingConvention::Sync, _) => match flatten_types_bounded(result, MAX_FLAT_RESULTS) {
            Some(flat) => (flat, false),
            None => match context {
                Context::Lift => (vec![CoreType::I32], true),
                Context::Lower => {
                    flat_params.push(CoreType::I32);
                    (Vec::new(), true)
                }
            },
        },
        (_, Context::Lower) => {
            let has_result = !result.is_empty();
            if has_result {
                flat_params.push(CoreType::I32);
            }
            (vec![CoreType::I32], has_result)
        }
        (CallingConvention::AsyncCallback, Context::Lift) => (vec![CoreType::I32], false),
        (CallingConvention::AsyncStackful, Context::Lift) => (Vec::new(), false),
    };
    CoreSignature { params: flat_params, results, params_spilled, results_spilled }
}

/// The core signature of the `task.return` built-in for an async export with this result:
/// the result's flattening as parameters (a single pointer beyond [`MAX_FLAT_PARAMS`]
/// values, reported as `params_spilled`), and no results.
pub fn task_return_signature(result: Option<&ValType>) -> CoreSignature {
    let result = result.map(std::slice::from_ref).unwrap_or_default();
    core_signature_with(result, None, Context::Lower, CallingConvention::Sync)
}

/// The core signature every `callback` function of an async callback-ABI lift must have:
/// it receives an event code and two event payload words and returns a code.
pub fn callback_signature() -> CoreSignature {
    CoreSignature {
        params: vec![CoreType::I32; 3],
        results: vec![CoreType::I32],
        params_spilled: false,
        results_spilled: false,
    }
}
