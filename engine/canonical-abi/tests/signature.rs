//! Hand-computed core signatures: the sync and async limits, return-pointer placement by
//! context, async lift conventions, `task.return`, and the textual rendering.

use canopy_canonical_abi::CoreType::{I32, I64};
use canopy_canonical_abi::{
    CallingConvention, Context, CoreSignature, MAX_FLAT_ASYNC_PARAMS, MAX_FLAT_PARAMS, MAX_FLAT_RESULTS, ValType,
    callback_signature, core_signature, core_signature_with, task_return_signature,
};

fn u32s(count: usize) -> Vec<ValType> {
    vec![ValType::U32; count]
}

#[test]
fn limits_match_the_spec() {
    assert_eq!((MAX_FLAT_PARAMS, MAX_FLAT_ASYNC_PARAMS, MAX_FLAT_RESULTS), (16, 4, 1));
}

#[test]
fn nothing_in_nothing_out() {
    for context in [Context::Lift, Context::Lower] {
        let signature = core_signature(&[], None, context, false);
        assert_eq!(
            signature,
            CoreSignature { params: vec![], results: vec![], params_spilled: false, results_spilled: false }
        );
        assert_eq!(signature.to_string(), "");
        assert_eq!(signature.to_wat_func(), "(func)");
    }
}

#[test]
fn small_results_are_returned_directly() {
    let signature = core_signature(&[ValType::U32], Some(&ValType::U64), Context::Lift, false);
    assert_eq!((signature.params, signature.results), (vec![I32], vec![I64]));
    let lowered = core_signature(&[ValType::U32], Some(&ValType::U64), Context::Lower, false);
    assert_eq!(lowered.to_string(), "(param i32) (result i64)");
    assert!(!lowered.results_spilled);
}

#[test]
fn spilled_results_depend_on_context() {
    let lifted = core_signature(&[ValType::String], Some(&ValType::String), Context::Lift, false);
    assert_eq!(lifted.to_string(), "(param i32 i32) (result i32)");
    assert!(lifted.results_spilled && !lifted.params_spilled);
    let lowered = core_signature(&[ValType::String], Some(&ValType::String), Context::Lower, false);
    assert_eq!(lowered.to_string(), "(param i32 i32 i32)");
    assert!(lowered.results_spilled && !lowered.params_spilled);
    assert_eq!(lowered.to_wat_func(), "(func (param i32 i32 i32))");
}

#[test]
fn sync_params_spill_beyond_sixteen() {
    let fits = core_signature(&u32s(16), None, Context::Lift, false);
    assert_eq!((fits.params.len(), fits.params_spilled), (16, false));
    let spills = core_signature(&u32s(17), None, Context::Lift, false);
    assert_eq!((spills.params, spills.params_spilled), (vec![I32], true));
    // A lowered import may end up with 17 params: 16 flat values plus the return pointer.
    let with_retptr = core_signature(&u32s(16), Some(&ValType::String), Context::Lower, false);
    assert_eq!((with_retptr.params.len(), with_retptr.results.len()), (17, 0));
    let both = core_signature(&u32s(17), Some(&ValType::String), Context::Lower, false);
    assert_eq!(both.to_string(), "(param i32 i32)");
    assert!(both.params_spilled && both.results_spilled);
}

#[test]
fn async_lower_uses_four_params_and_an_out_pointer() {
    let fits = core_signature(&u32s(4), Some(&ValType::U32), Context::Lower, true);
    assert_eq!(fits.to_string(), "(param i32 i32 i32 i32 i32) (result i32)");
    assert!(!fits.params_spilled && fits.results_spilled, "even a one-value result goes through memory");
    let spills = core_signature(&u32s(5), Some(&ValType::U32), Context::Lower, true);
    assert_eq!(spills.to_string(), "(param i32 i32) (result i32)");
    assert!(spills.params_spilled);
    let no_result = core_signature(&[ValType::U64], None, Context::Lower, true);
    assert_eq!(no_result.to_string(), "(param i64) (result i32)");
    assert!(!no_result.results_spilled);
    // Lowering has no callback: both async conventions agree.
    let stackful = core_signature_with(&u32s(5), Some(&ValType::U32), Context::Lower, CallingConvention::AsyncStackful);
    assert_eq!(stackful, spills);
}

#[test]
fn async_lift_returns_a_code_or_nothing() {
    let callback = core_signature(&u32s(16), Some(&ValType::String), Context::Lift, true);
    assert_eq!((callback.params.len(), callback.results.clone()), (16, vec![I32]));
    assert!(!callback.params_spilled && !callback.results_spilled, "results go through task.return");
    let spilled = core_signature(&u32s(17), None, Context::Lift, true);
    assert_eq!(spilled.to_string(), "(param i32) (result i32)");
    let stackful = core_signature_with(&u32s(2), Some(&ValType::U8), Context::Lift, CallingConvention::AsyncStackful);
    assert_eq!(stackful.to_string(), "(param i32 i32)");
    assert_eq!(stackful.to_wat_func(), "(func (param i32 i32))");
}

#[test]
fn task_return_takes_the_result_as_params() {
    assert_eq!(task_return_signature(None).to_string(), "");
    assert_eq!(task_return_signature(Some(&ValType::String)).to_string(), "(param i32 i32)");
    let sixteen = ValType::FixedList(Box::new(ValType::U64), 16);
    assert_eq!(task_return_signature(Some(&sixteen)).params.len(), 16);
    let seventeen = ValType::FixedList(Box::new(ValType::U64), 17);
    let spilled = task_return_signature(Some(&seventeen));
    assert_eq!((spilled.to_string(), spilled.params_spilled), ("(param i32)".to_owned(), true));
}

#[test]
fn callback_has_a_fixed_type() {
    assert_eq!(callback_signature().to_wat_func(), "(func (param i32 i32 i32) (result i32))");
}

#[test]
fn results_only_signature_renders_without_params() {
    let signature = core_signature(&[], Some(&ValType::F64), Context::Lift, false);
    assert_eq!(signature.to_string(), "(result f64)");
}
