;; Indirect calls: a `call_indirect`-heavy benchmark. A loop threads a 32-bit state x through n
;; calls, each to one of eight small mixing functions of one type chosen by a multiplicative hash
;; of the current state, so the callee changes unpredictably from call to call (and no function
;; can keep choosing itself, as one that leaves the top bits alone would if they chose).
;;
;;   x = 0x12345678
;;   for i in 0..n: k = (x·0x9e3779b1) >> 29; calls[k] += 1; x = table[k](x, i)
;;
;; The functions (all arithmetic wraps at 32 bits; >> is unsigned):
;;   0: x·0x01000193 + i           4: x − rotl(i, 13)
;;   1: rotl(x, 5) xor i           5: ((x xor 0x5bd1e995) + i)·9
;;   2: x + (i xor 0x9e3779b9)     6: rotr(x + i, 11)
;;   3: x xor (x >> 16) xor i      7: (x xor i)·0x2c1b3c6d
;;
;; Memory layout (1 page): calls[k] (i32) at byte 4·k.
;;
;; Exports:
;;   run(n: i32) -> i32            the final state after n calls
;;   calls(k: i32) -> i32          how many of the last `run`'s calls went to function k
;;   never_called(x: i32) -> i32   never reached from `run`; benchmarks place a breakpoint here
(module
  (type $mix (func (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (table 8 funcref)
  (elem (i32.const 0) $mix0 $mix1 $mix2 $mix3 $mix4 $mix5 $mix6 $mix7)

  (func $mix0 (type $mix)
    (i32.add (i32.mul (local.get 0) (i32.const 0x01000193)) (local.get 1)))
  (func $mix1 (type $mix)
    (i32.xor (i32.rotl (local.get 0) (i32.const 5)) (local.get 1)))
  (func $mix2 (type $mix)
    (i32.add (local.get 0) (i32.xor (local.get 1) (i32.const 0x9e3779b9))))
  (func $mix3 (type $mix)
    (i32.xor (i32.xor (local.get 0) (i32.shr_u (local.get 0) (i32.const 16))) (local.get 1)))
  (func $mix4 (type $mix)
    (i32.sub (local.get 0) (i32.rotl (local.get 1) (i32.const 13))))
  (func $mix5 (type $mix)
    (i32.mul (i32.add (i32.xor (local.get 0) (i32.const 0x5bd1e995)) (local.get 1)) (i32.const 9)))
  (func $mix6 (type $mix)
    (i32.rotr (i32.add (local.get 0) (local.get 1)) (i32.const 11)))
  (func $mix7 (type $mix)
    (i32.mul (i32.xor (local.get 0) (local.get 1)) (i32.const 0x2c1b3c6d)))

  (func $run (export "run") (param $n i32) (result i32)
    (local $x i32) (local $i i32) (local $slot i32)
    ;; Reset the counters.
    (block $cleared
      (loop $clear
        (br_if $cleared (i32.ge_u (local.get $i) (i32.const 8)))
        (i32.store (i32.shl (local.get $i) (i32.const 2)) (i32.const 0))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $clear)))
    (local.set $x (i32.const 0x12345678))
    (local.set $i (i32.const 0))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $slot (i32.shr_u (i32.mul (local.get $x) (i32.const 0x9e3779b1)) (i32.const 29)))
        (i32.store (i32.shl (local.get $slot) (i32.const 2))
          (i32.add (i32.load (i32.shl (local.get $slot) (i32.const 2))) (i32.const 1)))
        (local.set $x (call_indirect (type $mix) (local.get $x) (local.get $i) (local.get $slot)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $x))

  (func $calls (export "calls") (param $k i32) (result i32)
    (i32.load (i32.shl (local.get $k) (i32.const 2))))

  (func $never_called (export "never_called") (param $x i32) (result i32)
    (i32.xor (local.get $x) (i32.const 0xff))))
