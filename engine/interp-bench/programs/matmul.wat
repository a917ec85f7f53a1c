;; Matrix multiply: C = A × B for n×n matrices of f64 in row-major order.
;;
;; Memory layout (32 pages = 2 MiB, so n ≤ 295): A at 0, B at 8n², C at 16n².
;; Entry k of the 2n² entries of A then B is ((state >> 16) & 255) / 16, where state is the (k+1)-th
;; state of state' = state * 1103515245 + 12345 (mod 2^32) starting from state = 7. All products and
;; sums are multiples of 1/256 small enough to be exact in f64, so the result does not depend on the
;; order of additions.
;;
;; Exports:
;;   run(n: i32) -> f64            fills A and B, multiplies, and returns the sum of all entries of C
;;   entry(n: i32, i: i32, j: i32) -> f64  C[i][j] after `run(n)`
;;   never_called(x: i32) -> i32   never reached from `run`; benchmarks place a breakpoint here
(module
  (memory (export "memory") 32)

  (func $fill (param $count i32)
    (local $k i32) (local $state i32)
    (local.set $state (i32.const 7))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $k) (local.get $count)))
        (local.set $state
          (i32.add (i32.mul (local.get $state) (i32.const 1103515245)) (i32.const 12345)))
        (f64.store (i32.shl (local.get $k) (i32.const 3))
          (f64.div
            (f64.convert_i32_u (i32.and (i32.shr_u (local.get $state) (i32.const 16)) (i32.const 255)))
            (f64.const 16)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $next))))

  (func $multiply (param $n i32)
    (local $row_bytes i32) (local $b_base i32) (local $c_ptr i32)
    (local $i i32) (local $j i32) (local $k i32)
    (local $a_ptr i32) (local $b_ptr i32) (local $sum f64)
    (local.set $row_bytes (i32.shl (local.get $n) (i32.const 3)))
    (local.set $b_base (i32.mul (local.get $row_bytes) (local.get $n)))
    (local.set $c_ptr (i32.shl (local.get $b_base) (i32.const 1)))
    (block $rows_done
      (loop $row
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $j (i32.const 0))
        (block $cols_done
          (loop $col
            (br_if $cols_done (i32.ge_u (local.get $j) (local.get $n)))
            (local.set $a_ptr (i32.mul (local.get $i) (local.get $row_bytes)))
            (local.set $b_ptr (i32.add (local.get $b_base) (i32.shl (local.get $j) (i32.const 3))))
            (local.set $sum (f64.const 0))
            (local.set $k (local.get $n))
            (block $dot_done
              (loop $dot
                (br_if $dot_done (i32.eqz (local.get $k)))
                (local.set $sum
                  (f64.add (local.get $sum)
                    (f64.mul (f64.load (local.get $a_ptr)) (f64.load (local.get $b_ptr)))))
                (local.set $a_ptr (i32.add (local.get $a_ptr) (i32.const 8)))
                (local.set $b_ptr (i32.add (local.get $b_ptr) (local.get $row_bytes)))
                (local.set $k (i32.sub (local.get $k) (i32.const 1)))
                (br $dot)))
            (f64.store (local.get $c_ptr) (local.get $sum))
            (local.set $c_ptr (i32.add (local.get $c_ptr) (i32.const 8)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $col)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $row))))

  (func $run (export "run") (param $n i32) (result f64)
    (local $entries i32) (local $p i32) (local $end i32) (local $total f64)
    (if (i32.gt_u (local.get $n) (i32.const 295))
      (then (unreachable)))
    (local.set $entries (i32.mul (local.get $n) (local.get $n)))
    (call $fill (i32.shl (local.get $entries) (i32.const 1)))
    (call $multiply (local.get $n))
    (local.set $p (i32.shl (local.get $entries) (i32.const 4)))
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $entries) (i32.const 3))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $total (f64.add (local.get $total) (f64.load (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br $next)))
    (local.get $total))

  (func $entry (export "entry") (param $n i32) (param $i i32) (param $j i32) (result f64)
    (if (i32.or (i32.gt_u (local.get $n) (i32.const 295))
                (i32.or (i32.ge_u (local.get $i) (local.get $n)) (i32.ge_u (local.get $j) (local.get $n))))
      (then (unreachable)))
    (f64.load
      (i32.shl
        (i32.add
          (i32.shl (i32.mul (local.get $n) (local.get $n)) (i32.const 1))
          (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)))
        (i32.const 3))))

  (func $never_called (export "never_called") (param $x i32) (result i32)
    (i32.xor (local.get $x) (i32.const -1))))
