//! The threaded loop's handlers end in tail calls that an optimizing build turns into jumps; if
//! one did not, every instruction would take a Rust stack frame. This runs a long loop over many
//! kinds of instruction (arithmetic, compare-and-branch, loads and stores, globals, `select`,
//! `br_table`, direct and indirect calls, a host call, a stack operation) on a thread with a
//! small stack, so such a handler would overflow it, and checks the loop's result.

use canopy_interp::{Engine, FuncType, HostResult, Linker, Module, Store, ValType, Value};

const LOOP: &str = r#"
(module
  (import "host" "twice" (func $twice (param i32) (result i32)))
  (memory 1)
  (global $g (mut i32) (i32.const 0))
  (table 2 funcref)
  (elem (i32.const 0) $inc $dec)
  (type $unary (func (param i32) (result i32)))
  (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func $dec (param i32) (result i32) (i32.sub (local.get 0) (i32.const 1)))
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $acc i64) (local $t i32)
    (loop $top
      ;; memory: store the counter, load it back
      (i32.store (i32.and (i32.mul (local.get $i) (i32.const 4)) (i32.const 1020)) (local.get $i))
      (local.set $t (i32.load (i32.and (i32.mul (local.get $i) (i32.const 4)) (i32.const 1020))))
      ;; calls: direct, indirect, host
      (local.set $t (call $inc (local.get $t)))
      (local.set $t (call_indirect (type $unary) (local.get $t) (i32.and (local.get $i) (i32.const 1))))
      (if (i32.eqz (i32.and (local.get $i) (i32.const 255)))
        (then (local.set $t (i32.sub (call $twice (local.get $t)) (local.get $t)))))
      ;; globals, select, i64 arithmetic
      (global.set $g (i32.xor (global.get $g) (local.get $t)))
      (local.set $acc (i64.add (local.get $acc)
        (i64.extend_i32_u (select (local.get $t) (global.get $g) (i32.and (local.get $i) (i32.const 2))))))
      ;; br_table
      (block $b2 (block $b1 (block $b0
        (br_table $b0 $b1 $b2 (i32.rem_u (local.get $i) (i32.const 3))))
        (local.set $acc (i64.add (local.get $acc) (i64.const 1))) (br $b2))
        (local.set $acc (i64.mul (local.get $acc) (i64.const 3))))
      ;; a stack operation
      (drop (memory.size))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $top (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc)))
"#;

/// The loop's result computed in Rust, following the module instruction by instruction.
fn expected(n: u32) -> i64 {
    let mut g: u32 = 0;
    let mut acc: i64 = 0;
    for i in 0..n {
        let mut t = i;
        t += 1;
        t = if i & 1 == 0 { t + 1 } else { t - 1 };
        if i & 255 == 0 {
            t = t.wrapping_mul(2).wrapping_sub(t);
        }
        g ^= t;
        let picked = if i & 2 != 0 { t } else { g };
        acc = acc.wrapping_add(picked as i64);
        match i % 3 {
            0 => acc = acc.wrapping_add(1),
            1 => acc = acc.wrapping_mul(3),
            _ => {}
        }
    }
    acc
}

#[test]
fn a_long_loop_of_every_kind_of_instruction_runs_on_a_small_stack() {
    let n = 200_000u32;
    let result = std::thread::Builder::new()
        .stack_size(128 * 1024)
        .spawn(move || {
            let engine = Engine::default();
            let module = Module::new(&engine, &wat::parse_str(LOOP).unwrap()).unwrap();
            let mut store = Store::new(&engine);
            let mut linker = Linker::new();
            let ty = FuncType { params: vec![ValType::I32], results: vec![ValType::I32] };
            linker.func(&mut store, "host", "twice", ty, |_, args| {
                let Value::I32(x) = args[0] else { return HostResult::Trap("not an i32".into()) };
                HostResult::Return(vec![Value::I32(x.wrapping_mul(2))])
            });
            let instance = linker.instantiate(&mut store, &module).unwrap();
            store.invoke(instance, "run", &[Value::I32(n as i32)]).unwrap()
        })
        .unwrap()
        .join()
        .expect("the run overflowed its stack or panicked");
    assert_eq!(result, vec![Value::I64(expected(n))]);
}
