;; Recursive Fibonacci: a call-heavy benchmark (two calls per invocation, almost no work per call).
;;
;; Exports:
;;   run(n: i32) -> i64            fib(n) with fib(0) = 0, fib(1) = 1, computed by naive recursion
;;   never_called(x: i32) -> i32   never reached from `run`; benchmarks place a breakpoint here
(module
  (func $fib (param $n i32) (result i64)
    (if (result i64) (i32.lt_u (local.get $n) (i32.const 2))
      (then (i64.extend_i32_u (local.get $n)))
      (else
        (i64.add
          (call $fib (i32.sub (local.get $n) (i32.const 1)))
          (call $fib (i32.sub (local.get $n) (i32.const 2)))))))

  (func $run (export "run") (param $n i32) (result i64)
    (call $fib (local.get $n)))

  (func $never_called (export "never_called") (param $x i32) (result i32)
    (i32.add (local.get $x) (i32.const 1))))
