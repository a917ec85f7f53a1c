//! The component runtime on hand-written component text: lifted exports of many value
//! kinds called from Rust, a composition of two components on one thread (frames at a
//! breakpoint inside the callee), traps naming the instance and function, and resources.

use canopy_component::runtime::{Component, Item, Linker, Store};
use canopy_component::{Type, Val};
use canopy_interp::{Outcome, PauseReason};

/// A core module with a bump `realloc`, memory, and functions over flat values; the
/// component lifts them with several types.
const VALUES: &str = r#"(component
  (core module $m
    (memory (export "mem") 1)
    (global $bump (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      ;; Shrinking (or keeping) a block keeps it where it is.
      (if (i32.and (i32.ne (local.get 0) (i32.const 0)) (i32.le_u (local.get 3) (local.get 1)))
        (then (return (local.get 0))))
      (local.set $p (i32.and (i32.add (global.get $bump) (i32.sub (local.get 2) (i32.const 1)))
                             (i32.sub (i32.const 0) (local.get 2))))
      (global.set $bump (i32.add (local.get $p) (local.get 3)))
      (local.get $p))
    ;; echo: string in, the same string out through a result pair at 16.
    (func (export "echo") (param i32 i32) (result i32)
      (i32.store (i32.const 16) (local.get 0))
      (i32.store (i32.const 20) (local.get 1))
      (i32.const 16))
    (func (export "sum-list") (param $p i32) (param $n i32) (result i64)
      (local $acc i64)
      (block $done (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (i32.load (local.get $p)))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
      (local.get $acc))
    (func (export "add2") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
    (func (export "opt") (param $d i32) (param $v i32) (result i32)
      (if (result i32) (local.get $d) (then (i32.mul (local.get $v) (i32.const 2))) (else (i32.const -1))))
    (func (export "ident") (param i32) (result i32) (local.get 0))
    (func (export "fail") (param i32) (result i32) unreachable)
  )
  (core instance $i (instantiate $m))
  (alias core export $i "mem" (core memory $mem))
  (alias core export $i "realloc" (core func $realloc))
  (type $point (record (field "x" s32) (field "y" s32)))
  (type $shape (variant (case "circle" u32) (case "dot")))
  (type $perm (flags "read" "write" "exec"))
  (export $point-t "point" (type $point))
  (export $shape-t "shape" (type $shape))
  (export $perm-t "perm" (type $perm))
  (func (export "echo") (param "s" string) (result string)
    (canon lift (core func $i "echo") (memory $mem) (realloc $realloc)))
  (func (export "echo16") (param "s" string) (result string)
    (canon lift (core func $i "echo") (memory $mem) (realloc $realloc) string-encoding=utf16))
  (func (export "sum-list") (param "xs" (list u32)) (result u64)
    (canon lift (core func $i "sum-list") (memory $mem) (realloc $realloc)))
  (func (export "point-sum") (param "p" $point-t) (result s32) (canon lift (core func $i "add2")))
  (func (export "double-opt") (param "x" (option s32)) (result s32) (canon lift (core func $i "opt")))
  (func (export "shape-tag") (param "s" $shape-t) (result s32) (canon lift (core func $i "opt")))
  (func (export "is-err") (param "r" (result u32 (error u32))) (result bool) (canon lift (core func $i "opt")))
  (func (export "perm-bits") (param "f" $perm-t) (result u32) (canon lift (core func $i "ident")))
  (func (export "same-perm") (param "f" $perm-t) (result $perm-t) (canon lift (core func $i "ident")))
  (func (export "fail") (param "x" u32) (result u32) (canon lift (core func $i "fail")))
)"#;

fn values() -> (Store, canopy_component::runtime::InstanceId) {
    let component = Component::from_text(VALUES).expect("the component loads");
    let mut store = Store::new();
    let instance = store.instantiate(&Linker::new(), &component, "values").expect("it instantiates");
    (store, instance)
}

fn s(text: &str) -> Val {
    Val::String(text.to_string())
}

#[test]
fn strings_in_utf8_and_utf16_round_trip() {
    let (mut store, inst) = values();
    for text in ["héllo", "", "emoji 🎉 中文"] {
        assert_eq!(store.call(inst, "echo", &[s(text)]).unwrap(), vec![s(text)]);
        assert_eq!(store.call(inst, "echo16", &[s(text)]).unwrap(), vec![s(text)], "utf16");
    }
}

#[test]
fn lists_records_variants_options_results_flags() {
    let (mut store, inst) = values();
    let list = Val::List((1..=100).map(Val::U32).collect());
    assert_eq!(store.call(inst, "sum-list", &[list]).unwrap(), vec![Val::U64(5050)]);
    let point = Val::Record(vec![("x".into(), Val::S32(40)), ("y".into(), Val::S32(2))]);
    assert_eq!(store.call(inst, "point-sum", &[point]).unwrap(), vec![Val::S32(42)]);
    let some = Val::Option(Some(Box::new(Val::S32(21))));
    assert_eq!(store.call(inst, "double-opt", &[some]).unwrap(), vec![Val::S32(42)]);
    assert_eq!(store.call(inst, "double-opt", &[Val::Option(None)]).unwrap(), vec![Val::S32(-1)]);
    // `opt` sees (case index, payload): dot is case 1 with a zero payload, circle case 0.
    let dot = Val::Variant("dot".into(), None);
    assert_eq!(store.call(inst, "shape-tag", &[dot]).unwrap(), vec![Val::S32(0)]);
    let circle = Val::Variant("circle".into(), Some(Box::new(Val::U32(5))));
    assert_eq!(store.call(inst, "shape-tag", &[circle]).unwrap(), vec![Val::S32(-1)]);
    let err = Val::Result(Err(Some(Box::new(Val::U32(7)))));
    assert_eq!(store.call(inst, "is-err", &[err]).unwrap(), vec![Val::Bool(true)]);
    let flags = Val::Flags(vec!["read".into(), "exec".into()]);
    assert_eq!(store.call(inst, "perm-bits", std::slice::from_ref(&flags)).unwrap(), vec![Val::U32(0b101)]);
    assert_eq!(store.call(inst, "same-perm", std::slice::from_ref(&flags)).unwrap(), vec![flags]);
}

#[test]
fn export_types_carry_param_names_and_types() {
    let (store, inst) = values();
    let sig = store.func_type(inst, "point-sum").unwrap();
    assert_eq!(sig.params[0].0, "p");
    assert_eq!(sig.params[0].1, Type::record([("x", Type::S32), ("y", Type::S32)]));
    assert_eq!(sig.results, vec![Type::S32]);
    let call = canopy_component::wave::WaveCall::parse(r#"echo("wave")"#).unwrap();
    let args = call.args(&store.func_type(inst, call.name()).unwrap().param_types()).unwrap();
    assert_eq!(args, vec![s("wave")]);
}

#[test]
fn a_trap_names_the_instance_and_function() {
    let (mut store, inst) = values();
    let trap = store.call(inst, "fail", &[Val::U32(1)]).unwrap_err();
    assert_eq!(trap.instance.as_deref(), Some("values"));
    assert_eq!(trap.function.as_deref(), Some("fail"));
    assert!(trap.to_string().contains("unreachable"), "{trap}");
    assert!(!trap.backtrace.is_empty());
}

#[test]
fn validation_errors_carry_an_offset() {
    let error = Component::new(b"\0asm\x0d\0\x01\0\x07").unwrap_err();
    assert!(matches!(error, canopy_component::runtime::LoadError::Invalid { offset, .. } if offset > 0), "{error:?}");
}

/// `callee` exports `double`; `caller` imports it and exports `run(x) = double(x) + 1`.
const CALLEE: &str = r#"(component
  (core module $m (func (export "double") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2))))
  (core instance $i (instantiate $m))
  (func (export "double") (param "x" s32) (result s32) (canon lift (core func $i "double"))))"#;

const CALLER: &str = r#"(component
  (import "double" (func $double (param "x" s32) (result s32)))
  (core func $lowered (canon lower (func $double)))
  (core module $m
    (import "host" "double" (func $d (param i32) (result i32)))
    (func (export "run") (param i32) (result i32) (i32.add (call $d (local.get 0)) (i32.const 1))))
  (core instance $host (export "double" (func $lowered)))
  (core instance $i (instantiate $m (with "host" (instance $host))))
  (func (export "run") (param "x" s32) (result s32) (canon lift (core func $i "run"))))"#;

#[test]
fn a_composition_runs_on_one_thread_and_a_breakpoint_shows_both_instances() {
    let mut store = Store::new();
    let callee = store.instantiate(&Linker::new(), &Component::from_text(CALLEE).unwrap(), "callee").unwrap();
    let mut linker = Linker::new();
    linker.define("double", store.export(callee, "double").unwrap());
    let caller = store.instantiate(&linker, &Component::from_text(CALLER).unwrap(), "caller").unwrap();
    assert_eq!(store.call(caller, "run", &[Val::S32(20)]).unwrap(), vec![Val::S32(41)]);

    // A breakpoint in the callee's core function.
    let Some(Item::Func(_)) = store.export(callee, "double") else { panic!("double is a function") };
    let core = store.core();
    let callee_core = (0..64)
        .map(canopy_interp::FuncAddr)
        .find(|&f| store.func_owner(f).is_some_and(|i| i == callee) && core.func_type(f).is_some())
        .expect("the callee's core function");
    let offset = store.core().instruction_offsets(callee_core).unwrap()[0];
    store.core_mut().add_breakpoint(callee_core, offset).unwrap();
    let mut call = store.start_call(caller, "run", &[Val::S32(5)]).unwrap();
    assert_eq!(store.resume(&mut call).unwrap(), canopy_component::runtime::CallStep::Paused(PauseReason::Breakpoint));
    let frames = call.thread().frames(store.core()).unwrap();
    let owners: Vec<_> =
        frames.iter().map(|f| store.instance_name(store.func_owner(f.func).unwrap()).unwrap()).collect();
    assert_eq!(owners, vec!["callee", "caller"]);
    assert_eq!(frames[0].locals[0], canopy_interp::Value::I32(5));
    assert_eq!(call.functions(), vec!["run".to_string(), "double".to_string()]);
    assert_eq!(store.resume(&mut call).unwrap(), canopy_component::runtime::CallStep::Finished(vec![Val::S32(11)]));
    let _ = Outcome::Finished(vec![]);
}

#[test]
fn a_host_import_gets_lifted_values() {
    let mut linker = Linker::new();
    linker.func("double", |args| match args {
        [Val::S32(x)] => Ok(vec![Val::S32(x * 3)]),
        other => Err(format!("unexpected {other:?}")),
    });
    let mut store = Store::new();
    let caller = store.instantiate(&linker, &Component::from_text(CALLER).unwrap(), "caller").unwrap();
    assert_eq!(store.call(caller, "run", &[Val::S32(2)]).unwrap(), vec![Val::S32(7)]);
    let missing = store.instantiate(&Linker::new(), &Component::from_text(CALLER).unwrap(), "c2").unwrap_err();
    assert!(missing.to_string().contains("double"), "{missing}");
}
