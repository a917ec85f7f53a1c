;; 64-bit hashing: an `i64` arithmetic benchmark (multiplies, rotates, shifts and xors), in three
;; passes over n generated words in linear memory.
;;
;;   1. generate: word k is the (k+1)-th output of a splitmix64 sequence seeded with
;;      0x0123456789abcdef, stored little-endian at byte 8·k;
;;   2. lane hash: four accumulators, one per word of each 32-byte stripe, each updated by
;;      acc = rotl(acc + word·P2, 31)·P1; then merged, the words after the last whole stripe
;;      folded in one at a time, and the result avalanched (a construction in the style of
;;      xxHash64, seeded with n);
;;   3. FNV-1a (64-bit) over the 8·n bytes.
;;
;; Memory layout (64 pages = 4 MiB): the words, from byte 0.
;;
;; Exports:
;;   run(n: i32) -> i64            the lane hash xor the FNV-1a hash of n words; traps if
;;                                 n > 2^19 (4 MiB of words)
;;   lane_hash() -> i64            the lane hash of the last `run`
;;   fnv_hash() -> i64             the FNV-1a hash of the last `run`
;;   word(k: i32) -> i64           word k of the last `run`
;;   never_called(x: i32) -> i32   never reached from `run`; benchmarks place a breakpoint here
(module
  (memory (export "memory") 64)

  (global $lane (mut i64) (i64.const 0))
  (global $fnv (mut i64) (i64.const 0))

  ;; The primes of the lane hash.
  (global $p1 i64 (i64.const 0x9e3779b185ebca87))
  (global $p2 i64 (i64.const 0xc2b2ae3d27d4eb4f))
  (global $p3 i64 (i64.const 0x165667b19e3779f9))

  (func $generate (param $n i32)
    (local $state i64) (local $z i64) (local $end i32) (local $p i32)
    (local.set $state (i64.const 0x0123456789abcdef))
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $state (i64.add (local.get $state) (i64.const 0x9e3779b97f4a7c15)))
        (local.set $z (local.get $state))
        (local.set $z
          (i64.mul (i64.xor (local.get $z) (i64.shr_u (local.get $z) (i64.const 30)))
                   (i64.const 0xbf58476d1ce4e5b9)))
        (local.set $z
          (i64.mul (i64.xor (local.get $z) (i64.shr_u (local.get $z) (i64.const 27)))
                   (i64.const 0x94d049bb133111eb)))
        (i64.store (local.get $p) (i64.xor (local.get $z) (i64.shr_u (local.get $z) (i64.const 31))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br $next))))

  ;; One accumulator step: rotl(acc + word·P2, 31)·P1.
  (func $round (param $acc i64) (param $word i64) (result i64)
    (i64.mul
      (i64.rotl (i64.add (local.get $acc) (i64.mul (local.get $word) (global.get $p2))) (i64.const 31))
      (global.get $p1)))

  (func $lane_hash (param $n i32) (result i64)
    (local $a0 i64) (local $a1 i64) (local $a2 i64) (local $a3 i64) (local $h i64)
    (local $p i32) (local $stripes_end i32) (local $end i32)
    (local.set $h (i64.extend_i32_u (local.get $n)))
    (local.set $a0 (i64.add (i64.add (local.get $h) (global.get $p1)) (global.get $p2)))
    (local.set $a1 (i64.add (local.get $h) (global.get $p2)))
    (local.set $a2 (local.get $h))
    (local.set $a3 (i64.sub (local.get $h) (global.get $p1)))
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (local.set $stripes_end (i32.and (local.get $end) (i32.const -32)))
    (block $stripes_done
      (loop $stripe
        (br_if $stripes_done (i32.ge_u (local.get $p) (local.get $stripes_end)))
        (local.set $a0 (call $round (local.get $a0) (i64.load offset=0 (local.get $p))))
        (local.set $a1 (call $round (local.get $a1) (i64.load offset=8 (local.get $p))))
        (local.set $a2 (call $round (local.get $a2) (i64.load offset=16 (local.get $p))))
        (local.set $a3 (call $round (local.get $a3) (i64.load offset=24 (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 32)))
        (br $stripe)))
    (local.set $h
      (i64.add
        (i64.add (i64.rotl (local.get $a0) (i64.const 1)) (i64.rotl (local.get $a1) (i64.const 7)))
        (i64.add (i64.rotl (local.get $a2) (i64.const 12)) (i64.rotl (local.get $a3) (i64.const 18)))))
    ;; The words after the last whole stripe.
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $h
          (i64.add
            (i64.mul
              (i64.rotl
                (i64.xor (local.get $h) (call $round (i64.const 0) (i64.load (local.get $p))))
                (i64.const 27))
              (global.get $p1))
            (global.get $p3)))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br $tail)))
    ;; Avalanche.
    (local.set $h (i64.mul (i64.xor (local.get $h) (i64.shr_u (local.get $h) (i64.const 33))) (global.get $p2)))
    (local.set $h (i64.mul (i64.xor (local.get $h) (i64.shr_u (local.get $h) (i64.const 29))) (global.get $p3)))
    (i64.xor (local.get $h) (i64.shr_u (local.get $h) (i64.const 32))))

  (func $fnv1a (param $n i32) (result i64)
    (local $h i64) (local $p i32) (local $end i32)
    (local.set $h (i64.const 0xcbf29ce484222325))
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $h
          (i64.mul (i64.xor (local.get $h) (i64.load8_u (local.get $p))) (i64.const 0x100000001b3)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $next)))
    (local.get $h))

  (func $run (export "run") (param $n i32) (result i64)
    (if (i32.gt_u (local.get $n) (i32.const 0x8_0000))
      (then (unreachable)))
    (call $generate (local.get $n))
    (global.set $lane (call $lane_hash (local.get $n)))
    (global.set $fnv (call $fnv1a (local.get $n)))
    (i64.xor (global.get $lane) (global.get $fnv)))

  (func $lane_hash_result (export "lane_hash") (result i64)
    (global.get $lane))

  (func $fnv_hash_result (export "fnv_hash") (result i64)
    (global.get $fnv))

  (func $word (export "word") (param $k i32) (result i64)
    (i64.load (i32.shl (local.get $k) (i32.const 3))))

  (func $never_called (export "never_called") (param $x i32) (result i32)
    (i32.rotl (local.get $x) (i32.const 8))))
