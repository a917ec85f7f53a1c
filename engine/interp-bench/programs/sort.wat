;; Sorting: generates signed 32-bit integers with an LCG into linear memory and sorts them in place
;; with a quicksort (Hoare partition around the middle element, recursing into the smaller side,
;; insertion sort below 16 elements).
;;
;; Element i (at address 4i) is the (i+1)-th state of state' = state * 1664525 + 1013904223
;; (mod 2^32), starting from state = 42, read as a signed i32.
;;
;; Exports:
;;   run(n: i32) -> i64            generates and sorts n elements (at most 2^20), traps if the result is not
;;                                 sorted, and returns the checksum h = h * 31 + a[i] (wrapping i64, a[i]
;;                                 sign-extended, h starting at 0) over the sorted array
;;   is_sorted(n: i32) -> i32      1 if the first n elements are in non-decreasing order, else 0
;;   element(i: i32) -> i32        the i-th element
;;   never_called(x: i32) -> i32   never reached from `run`; benchmarks place a breakpoint here
(module
  (memory (export "memory") 65)

  (func $generate (param $n i32)
    (local $i i32) (local $state i32)
    (local.set $state (i32.const 42))
    (local.set $i (i32.const 0))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $state
          (i32.add (i32.mul (local.get $state) (i32.const 1664525)) (i32.const 1013904223)))
        (i32.store (i32.shl (local.get $i) (i32.const 2)) (local.get $state))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))

  ;; Sorts the elements at indices $lo..=$hi by insertion.
  (func $insertion_sort (param $lo i32) (param $hi i32)
    (local $k i32) (local $m i32) (local $value i32)
    (local.set $k (i32.add (local.get $lo) (i32.const 1)))
    (block $done
      (loop $outer
        (br_if $done (i32.gt_s (local.get $k) (local.get $hi)))
        (local.set $value (i32.load (i32.shl (local.get $k) (i32.const 2))))
        (local.set $m (i32.sub (local.get $k) (i32.const 1)))
        (block $placed
          (loop $shift
            (br_if $placed (i32.lt_s (local.get $m) (local.get $lo)))
            (br_if $placed
              (i32.le_s (i32.load (i32.shl (local.get $m) (i32.const 2))) (local.get $value)))
            (i32.store (i32.shl (i32.add (local.get $m) (i32.const 1)) (i32.const 2))
              (i32.load (i32.shl (local.get $m) (i32.const 2))))
            (local.set $m (i32.sub (local.get $m) (i32.const 1)))
            (br $shift)))
        ;; $m may be $lo - 1 = -1 here, so the address is computed from $m + 1, not with an offset.
        (i32.store (i32.shl (i32.add (local.get $m) (i32.const 1)) (i32.const 2)) (local.get $value))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $outer))))

  ;; Sorts the elements at indices $lo..=$hi.
  (func $quicksort (param $lo i32) (param $hi i32)
    (local $pivot i32) (local $i i32) (local $j i32) (local $tmp i32)
    (block $small
      (loop $partition_range
        (br_if $small (i32.lt_s (i32.sub (local.get $hi) (local.get $lo)) (i32.const 16)))
        (local.set $pivot
          (i32.load (i32.shl (i32.shr_u (i32.add (local.get $lo) (local.get $hi)) (i32.const 1)) (i32.const 2))))
        (local.set $i (i32.sub (local.get $lo) (i32.const 1)))
        (local.set $j (i32.add (local.get $hi) (i32.const 1)))
        (block $partitioned
          (loop $swap_next
            (loop $advance_i
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $advance_i
                (i32.lt_s (i32.load (i32.shl (local.get $i) (i32.const 2))) (local.get $pivot))))
            (loop $retreat_j
              (local.set $j (i32.sub (local.get $j) (i32.const 1)))
              (br_if $retreat_j
                (i32.gt_s (i32.load (i32.shl (local.get $j) (i32.const 2))) (local.get $pivot))))
            (br_if $partitioned (i32.ge_s (local.get $i) (local.get $j)))
            (local.set $tmp (i32.load (i32.shl (local.get $i) (i32.const 2))))
            (i32.store (i32.shl (local.get $i) (i32.const 2)) (i32.load (i32.shl (local.get $j) (i32.const 2))))
            (i32.store (i32.shl (local.get $j) (i32.const 2)) (local.get $tmp))
            (br $swap_next)))
        ;; Now lo..=j and j+1..=hi; recurse into the smaller one, keep looping on the larger one.
        (if (i32.lt_s (i32.sub (local.get $j) (local.get $lo)) (i32.sub (local.get $hi) (local.get $j)))
          (then
            (call $quicksort (local.get $lo) (local.get $j))
            (local.set $lo (i32.add (local.get $j) (i32.const 1))))
          (else
            (call $quicksort (i32.add (local.get $j) (i32.const 1)) (local.get $hi))
            (local.set $hi (local.get $j))))
        (br $partition_range)))
    (call $insertion_sort (local.get $lo) (local.get $hi)))

  (func $is_sorted (export "is_sorted") (param $n i32) (result i32)
    (local $i i32)
    (local.set $i (i32.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (if (i32.gt_s
              (i32.load offset=0 (i32.shl (i32.sub (local.get $i) (i32.const 1)) (i32.const 2)))
              (i32.load (i32.shl (local.get $i) (i32.const 2))))
          (then (return (i32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i32.const 1))

  (func $checksum (param $n i32) (result i64)
    (local $i i32) (local $h i64)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $h
          (i64.add
            (i64.mul (local.get $h) (i64.const 31))
            (i64.extend_i32_s (i32.load (i32.shl (local.get $i) (i32.const 2))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $h))

  (func $run (export "run") (param $n i32) (result i64)
    (if (i32.gt_u (local.get $n) (i32.const 1048576))
      (then (unreachable)))
    (call $generate (local.get $n))
    (if (i32.gt_u (local.get $n) (i32.const 1))
      (then (call $quicksort (i32.const 0) (i32.sub (local.get $n) (i32.const 1)))))
    (if (i32.eqz (call $is_sorted (local.get $n)))
      (then (unreachable)))
    (call $checksum (local.get $n)))

  (func $element (export "element") (param $i i32) (result i32)
    (if (i32.ge_u (local.get $i) (i32.const 1048576))
      (then (unreachable)))
    (i32.load (i32.shl (local.get $i) (i32.const 2))))

  (func $never_called (export "never_called") (param $x i32) (result i32)
    (i32.mul (local.get $x) (i32.const 1664525))))
