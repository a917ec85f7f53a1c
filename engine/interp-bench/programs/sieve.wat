;; The sieve of Eratosthenes over one byte per number in linear memory: a memory-bound benchmark
;; (byte stores with a large stride, then a byte-by-byte scan), with almost no arithmetic.
;;
;; Memory layout (64 pages = 4 MiB): flag of number k at byte k (1 = still a prime candidate).
;;
;; Exports:
;;   run(n: i32) -> i32            sieves 0..n and returns the number of primes below n; traps if
;;                                 n > 4 MiB (the memory's size)
;;   flag(k: i32) -> i32           after `run(n)`, 1 if k < n is prime and 0 if not
;;   never_called(x: i32) -> i32   never reached from `run`; benchmarks place a breakpoint here
(module
  (memory (export "memory") 64)

  (func $run (export "run") (param $n i32) (result i32)
    (local $i i32) (local $j i32) (local $count i32)
    (if (i32.gt_u (local.get $n) (i32.const 0x40_0000))
      (then (unreachable)))
    ;; Every number is a candidate, except 0 and 1.
    (block $filled
      (loop $fill
        (br_if $filled (i32.ge_u (local.get $i) (local.get $n)))
        (i32.store8 (local.get $i) (i32.const 1))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $fill)))
    (if (i32.gt_u (local.get $n) (i32.const 0))
      (then (i32.store8 (i32.const 0) (i32.const 0))))
    (if (i32.gt_u (local.get $n) (i32.const 1))
      (then (i32.store8 (i32.const 1) (i32.const 0))))
    ;; Cross out the multiples of every prime i with i·i < n, starting at i·i.
    (local.set $i (i32.const 2))
    (block $sieved
      (loop $next_prime
        (br_if $sieved (i32.ge_u (i32.mul (local.get $i) (local.get $i)) (local.get $n)))
        (if (i32.load8_u (local.get $i))
          (then
            (local.set $j (i32.mul (local.get $i) (local.get $i)))
            (block $crossed
              (loop $cross
                (br_if $crossed (i32.ge_u (local.get $j) (local.get $n)))
                (i32.store8 (local.get $j) (i32.const 0))
                (local.set $j (i32.add (local.get $j) (local.get $i)))
                (br $cross)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next_prime)))
    ;; Count what is left.
    (local.set $i (i32.const 0))
    (block $counted
      (loop $count_loop
        (br_if $counted (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $count (i32.add (local.get $count) (i32.load8_u (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $count_loop)))
    (local.get $count))

  (func $flag (export "flag") (param $k i32) (result i32)
    (i32.load8_u (local.get $k)))

  (func $never_called (export "never_called") (param $x i32) (result i32)
    (i32.shr_u (local.get $x) (i32.const 1))))
