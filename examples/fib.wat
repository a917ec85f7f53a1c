;; A recursive Fibonacci function, used by `canopy run` tests and as a quick demo:
;;   canopy run examples/fib.wat --invoke 'fib(20)'
(module
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else
        (i32.add
          (call $fib (i32.sub (local.get $n) (i32.const 1)))
          (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
  (func (export "div") (param $a i32) (param $b i32) (result i32)
    (i32.div_s (local.get $a) (local.get $b)))
  (func (export "scale") (param $x f64) (param $k i64) (result f64)
    (f64.mul (local.get $x) (f64.convert_i64_s (local.get $k)))))
