//! The differential run: one module on both engines, every exported function called, every
//! observable compared.

use std::fmt;

use arbitrary::Unstructured;
use canopy_interp::ValType;

use crate::canopy_side::CanopyInstance;
use crate::generate::generate_module;
use crate::observe::{Engine, ExportKind, Observed, TrapClass, Val};
use crate::wasmi_side::{ORACLE_PANICKED, WasmiInstance};

/// What a case covered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseReport {
    /// Both engines instantiated the module.
    pub instantiated: bool,
    /// Calls compared.
    pub calls: usize,
    /// Of those, calls that trapped (on both engines, for the same reason).
    pub traps: usize,
    /// The comparison stopped early because one engine hit a resource limit (call depth or
    /// stack size), where the engines' limits differ.
    pub stopped_at_limit: bool,
    /// wasmi itself failed (a panic in its translator), so the module was not compared.
    pub oracle_failed: bool,
}

/// The engines disagreed.
#[derive(Debug, Clone)]
pub struct Mismatch {
    /// The module that shows it.
    pub wasm: Vec<u8>,
    /// What differed.
    pub message: String,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (module of {} bytes)", self.message, self.wasm.len())
    }
}

/// Stack of the thread a comparison runs on. wasmi's threaded-dispatch executor uses the Rust
/// stack for some instruction sequences (a long run of `memory.grow` overflowed a 2 MiB test
/// thread); the interpreter under test does not, but the oracle must not crash first.
const ORACLE_STACK: usize = 256 << 20;

/// Generates a module from `data` and compares the engines on it. `Ok(None)` when `data` is
/// too short to describe a module.
pub fn run_case(data: &[u8]) -> Result<Option<CaseReport>, Mismatch> {
    let mut u = Unstructured::new(data);
    let Ok(wasm) = generate_module(&mut u, false) else { return Ok(None) };
    run_module(&wasm, &mut u).map(Some)
}

/// Compares the engines on `wasm`, drawing call arguments from `u` (zeros once it runs dry).
pub fn run_module(wasm: &[u8], u: &mut Unstructured<'_>) -> Result<CaseReport, Mismatch> {
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .stack_size(ORACLE_STACK)
            .spawn_scoped(scope, || compare(wasm, u))
            .expect("the system cannot start the comparison thread");
        worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

fn compare(wasm: &[u8], u: &mut Unstructured<'_>) -> Result<CaseReport, Mismatch> {
    let mismatch = |message: String| Mismatch { wasm: wasm.to_vec(), message };
    let mut report = CaseReport::default();
    let (mut ours, mut theirs) = match (CanopyInstance::instantiate(wasm), WasmiInstance::instantiate(wasm)) {
        (Ok(ours), Ok(theirs)) => (ours, theirs),
        (_, Err(e)) if e.starts_with(ORACLE_PANICKED) => {
            report.oracle_failed = true;
            return Ok(report);
        }
        (Err(_), Err(_)) => return Ok(report),
        (Err(e), Ok(_)) if mentions_limit(&e) => return Ok(report),
        (Ok(_), Err(e)) if mentions_limit(&e) => return Ok(report),
        (Err(e), Ok(_)) => return Err(mismatch(format!("canopy failed to instantiate ({e}), wasmi succeeded"))),
        (Ok(_), Err(e)) => return Err(mismatch(format!("wasmi failed to instantiate ({e}), canopy succeeded"))),
    };
    report.instantiated = true;
    let exports = ours.exports();
    let (mut a, mut b) = (exports.clone(), theirs.exports());
    a.sort();
    b.sort();
    if a != b {
        return Err(mismatch(format!("exports differ: canopy {a:?}, wasmi {b:?}")));
    }
    compare_state(&ours, &theirs, &exports).map_err(|m| mismatch(format!("after instantiation: {m}")))?;
    let funcs = exports.iter().filter(|(_, kind)| *kind == ExportKind::Func);
    // Each function twice, with fresh arguments: the second call also sees what the first left.
    for (name, _) in funcs.clone().chain(funcs) {
        let types = ours.param_types(name).unwrap_or_default();
        let args: Vec<Val> = types.iter().map(|ty| arbitrary_arg(u, *ty)).collect();
        let (a, b) = (ours.call(name, &args), theirs.call(name, &args));
        if [&a, &b].iter().any(|o| matches!(o, Observed::Trapped(TrapClass::Limit))) {
            report.stopped_at_limit = true;
            return Ok(report);
        }
        if a != b {
            return Err(mismatch(format!("calling `{name}` with {args:?}: canopy {a}, wasmi {b}")));
        }
        report.calls += 1;
        report.traps += usize::from(matches!(a, Observed::Trapped(_)));
        compare_state(&ours, &theirs, &exports).map_err(|m| mismatch(format!("after calling `{name}`: {m}")))?;
    }
    Ok(report)
}

/// Whether an instantiation error is about an engine limit rather than the module.
fn mentions_limit(message: &str) -> bool {
    message.contains("exhausted") || message.contains("stack overflow") || message.contains("limit")
}

/// Compares exported memories and globals.
fn compare_state(
    ours: &CanopyInstance,
    theirs: &WasmiInstance,
    exports: &[(String, ExportKind)],
) -> Result<(), String> {
    for (name, kind) in exports {
        match kind {
            ExportKind::Memory => {
                let (a, b) = (ours.memory(name).unwrap_or_default(), theirs.memory(name).unwrap_or_default());
                if a.len() != b.len() {
                    return Err(format!("memory `{name}` has {} bytes on canopy, {} on wasmi", a.len(), b.len()));
                }
                if let Some(at) = a.iter().zip(b).position(|(x, y)| x != y) {
                    return Err(format!(
                        "memory `{name}` differs at byte {at}: canopy {:#x}, wasmi {:#x}",
                        a[at], b[at]
                    ));
                }
            }
            ExportKind::Global => {
                let (a, b) = (ours.global(name), theirs.global(name));
                if a != b {
                    return Err(format!("global `{name}`: canopy {a:?}, wasmi {b:?}"));
                }
            }
            ExportKind::Func | ExportKind::Other => {}
        }
    }
    Ok(())
}

/// An argument of type `ty` drawn from `u`; references are null.
fn arbitrary_arg(u: &mut Unstructured<'_>, ty: ValType) -> Val {
    match ty {
        ValType::I32 => Val::I32(u.arbitrary().unwrap_or(0)),
        ValType::I64 => Val::I64(u.arbitrary().unwrap_or(0)),
        ValType::F32 => Val::F32(u.arbitrary().unwrap_or(0)),
        ValType::F64 => Val::F64(u.arbitrary().unwrap_or(0)),
        ValType::V128 => Val::V128(u.arbitrary().unwrap_or(0)),
        ValType::FuncRef | ValType::ExternRef => Val::Ref { null: true },
    }
}
