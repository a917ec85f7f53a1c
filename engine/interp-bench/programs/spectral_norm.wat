;; Spectral norm, as in the benchmarks game: a floating-point benchmark (an `f64` divide, multiply
;; and add per inner step) estimating the largest singular value of the infinite matrix
;; A(i, j) = 1 / ((i+j)(i+j+1)/2 + i + 1), truncated to n×n, by ten rounds of the power method
;; on AᵀA.
;;
;; Memory layout (2 pages): the vectors u, v and a scratch vector, 4096 f64s apart (u at byte 0,
;; v at 32768, scratch at 65536).
;;
;; Exports:
;;   run(n: i32) -> f64            sqrt(uᵀv / vᵀv) after the ten rounds; traps unless 1 ≤ n ≤ 4096
;;   u(i: i32) -> f64              entry i of u after the last `run`
;;   never_called(x: i32) -> i32   never reached from `run`; benchmarks place a breakpoint here
(module
  (memory (export "memory") 2)

  ;; A(i, j), computed exactly as written: the denominator in integers, then one division.
  (func $a (param $i i32) (param $j i32) (result f64)
    (local $k i32)
    (local.set $k (i32.add (local.get $i) (local.get $j)))
    (f64.div
      (f64.const 1)
      (f64.convert_i32_u
        (i32.add
          (i32.add (i32.shr_u (i32.mul (local.get $k) (i32.add (local.get $k) (i32.const 1))) (i32.const 1))
                   (local.get $i))
          (i32.const 1)))))

  ;; out = A·v (when $transpose is 0) or Aᵀ·v (otherwise), both vectors of n entries at byte
  ;; addresses $v and $out.
  (func $multiply (param $n i32) (param $v i32) (param $out i32) (param $transpose i32)
    (local $i i32) (local $j i32) (local $sum f64) (local $entry f64)
    (block $rows_done
      (loop $row
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $sum (f64.const 0))
        (local.set $j (i32.const 0))
        (block $columns_done
          (loop $column
            (br_if $columns_done (i32.ge_u (local.get $j) (local.get $n)))
            (local.set $entry
              (if (result f64) (local.get $transpose)
                (then (call $a (local.get $j) (local.get $i)))
                (else (call $a (local.get $i) (local.get $j)))))
            (local.set $sum
              (f64.add (local.get $sum)
                (f64.mul (local.get $entry)
                  (f64.load (i32.add (local.get $v) (i32.shl (local.get $j) (i32.const 3)))))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $column)))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3))) (local.get $sum))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $row))))

  ;; out = Aᵀ·A·v, through the scratch vector.
  (func $multiply_ata (param $n i32) (param $v i32) (param $out i32)
    (call $multiply (local.get $n) (local.get $v) (i32.const 65536) (i32.const 0))
    (call $multiply (local.get $n) (i32.const 65536) (local.get $out) (i32.const 1)))

  (func $run (export "run") (param $n i32) (result f64)
    (local $i i32) (local $round i32) (local $ui f64) (local $vi f64) (local $uv f64) (local $vv f64)
    (if (i32.or (i32.eqz (local.get $n)) (i32.gt_u (local.get $n) (i32.const 4096)))
      (then (unreachable)))
    (block $filled
      (loop $fill
        (br_if $filled (i32.ge_u (local.get $i) (local.get $n)))
        (f64.store (i32.shl (local.get $i) (i32.const 3)) (f64.const 1))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $fill)))
    (loop $power
      (call $multiply_ata (local.get $n) (i32.const 0) (i32.const 32768))
      (call $multiply_ata (local.get $n) (i32.const 32768) (i32.const 0))
      (local.set $round (i32.add (local.get $round) (i32.const 1)))
      (br_if $power (i32.lt_u (local.get $round) (i32.const 10))))
    (local.set $i (i32.const 0))
    (block $summed
      (loop $sum
        (br_if $summed (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $ui (f64.load (i32.shl (local.get $i) (i32.const 3))))
        (local.set $vi (f64.load offset=32768 (i32.shl (local.get $i) (i32.const 3))))
        (local.set $uv (f64.add (local.get $uv) (f64.mul (local.get $ui) (local.get $vi))))
        (local.set $vv (f64.add (local.get $vv) (f64.mul (local.get $vi) (local.get $vi))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $sum)))
    (f64.sqrt (f64.div (local.get $uv) (local.get $vv))))

  (func $u (export "u") (param $i i32) (result f64)
    (f64.load (i32.shl (local.get $i) (i32.const 3))))

  (func $never_called (export "never_called") (param $x i32) (result i32)
    (i32.mul (local.get $x) (i32.const 3))))
