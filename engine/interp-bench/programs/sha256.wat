;; SHA-256 (FIPS 180-4) over a message generated in linear memory by the module itself.
;;
;; Memory layout (17 pages):
;;   0    .. 256     round constants K[0..64], little-endian i32 words
;;   256  .. 288     hash state H[0..8]
;;   512  .. 768     message schedule W[0..64]
;;   1024 .. 1152    final padded block(s)
;;   65536 .. +1 MiB message buffer
;;
;; The message byte i is the top byte of the (i+1)-th state of the LCG
;; state' = state * 1103515245 + 12345 (mod 2^32), starting from state = 0x12345678.
;;
;; Exports:
;;   run(len: i32) -> i32          fills `len` bytes (at most 1 MiB), hashes them, returns the XOR of the 8 digest words
;;   digest_word(i: i32) -> i32    word i (0..8) of the last digest, as the big-endian reading of digest bytes 4i..4i+4
;;   never_called(x: i32) -> i32   never reached from `run`; benchmarks place a breakpoint here
(module
  (memory (export "memory") 17)

  (data (i32.const 0)
    "\98\2f\8a\42\91\44\37\71\cf\fb\c0\b5\a5\db\b5\e9"
    "\5b\c2\56\39\f1\11\f1\59\a4\82\3f\92\d5\5e\1c\ab"
    "\98\aa\07\d8\01\5b\83\12\be\85\31\24\c3\7d\0c\55"
    "\74\5d\be\72\fe\b1\de\80\a7\06\dc\9b\74\f1\9b\c1"
    "\c1\69\9b\e4\86\47\be\ef\c6\9d\c1\0f\cc\a1\0c\24"
    "\6f\2c\e9\2d\aa\84\74\4a\dc\a9\b0\5c\da\88\f9\76"
    "\52\51\3e\98\6d\c6\31\a8\c8\27\03\b0\c7\7f\59\bf"
    "\f3\0b\e0\c6\47\91\a7\d5\51\63\ca\06\67\29\29\14"
    "\85\0a\b7\27\38\21\1b\2e\fc\6d\2c\4d\13\0d\38\53"
    "\54\73\0a\65\bb\0a\6a\76\2e\c9\c2\81\85\2c\72\92"
    "\a1\e8\bf\a2\4b\66\1a\a8\70\8b\4b\c2\a3\51\6c\c7"
    "\19\e8\92\d1\24\06\99\d6\85\35\0e\f4\70\a0\6a\10"
    "\16\c1\a4\19\08\6c\37\1e\4c\77\48\27\b5\bc\b0\34"
    "\b3\0c\1c\39\4a\aa\d8\4e\4f\ca\9c\5b\f3\6f\2e\68"
    "\ee\82\8f\74\6f\63\a5\78\14\78\c8\84\08\02\c7\8c"
    "\fa\ff\be\90\eb\6c\50\a4\f7\a3\f9\be\f2\78\71\c6")

  (func $bswap (param $x i32) (result i32)
    (i32.or
      (i32.and (i32.rotl (local.get $x) (i32.const 8)) (i32.const 0x00ff00ff))
      (i32.and (i32.rotr (local.get $x) (i32.const 8)) (i32.const 0xff00ff00))))

  (func $init_state
    (i32.store offset=256 (i32.const 0) (i32.const 0x6a09e667))
    (i32.store offset=260 (i32.const 0) (i32.const 0xbb67ae85))
    (i32.store offset=264 (i32.const 0) (i32.const 0x3c6ef372))
    (i32.store offset=268 (i32.const 0) (i32.const 0xa54ff53a))
    (i32.store offset=272 (i32.const 0) (i32.const 0x510e527f))
    (i32.store offset=276 (i32.const 0) (i32.const 0x9b05688c))
    (i32.store offset=280 (i32.const 0) (i32.const 0x1f83d9ab))
    (i32.store offset=284 (i32.const 0) (i32.const 0x5be0cd19)))

  ;; Processes the 64-byte block at address $block, updating H.
  (func $compress (param $block i32)
    (local $p i32) (local $x i32) (local $y i32)
    (local $a i32) (local $b i32) (local $c i32) (local $d i32)
    (local $e i32) (local $f i32) (local $g i32) (local $h i32)
    (local $t1 i32) (local $t2 i32)
    ;; W[0..16]: the block read as big-endian words. $p is the byte offset of W[t].
    (local.set $p (i32.const 0))
    (loop $load_words
      (i32.store offset=512 (local.get $p)
        (call $bswap (i32.load (i32.add (local.get $block) (local.get $p)))))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br_if $load_words (i32.lt_u (local.get $p) (i32.const 64))))
    ;; W[16..64]
    (loop $expand
      (local.set $x (i32.load offset=512 (i32.sub (local.get $p) (i32.const 60))))
      (local.set $y (i32.load offset=512 (i32.sub (local.get $p) (i32.const 8))))
      (i32.store offset=512 (local.get $p)
        (i32.add
          (i32.add
            (i32.load offset=512 (i32.sub (local.get $p) (i32.const 64)))
            (i32.load offset=512 (i32.sub (local.get $p) (i32.const 28))))
          (i32.add
            (i32.xor
              (i32.xor (i32.rotr (local.get $x) (i32.const 7)) (i32.rotr (local.get $x) (i32.const 18)))
              (i32.shr_u (local.get $x) (i32.const 3)))
            (i32.xor
              (i32.xor (i32.rotr (local.get $y) (i32.const 17)) (i32.rotr (local.get $y) (i32.const 19)))
              (i32.shr_u (local.get $y) (i32.const 10))))))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br_if $expand (i32.lt_u (local.get $p) (i32.const 256))))
    ;; 64 rounds
    (local.set $a (i32.load offset=256 (i32.const 0)))
    (local.set $b (i32.load offset=260 (i32.const 0)))
    (local.set $c (i32.load offset=264 (i32.const 0)))
    (local.set $d (i32.load offset=268 (i32.const 0)))
    (local.set $e (i32.load offset=272 (i32.const 0)))
    (local.set $f (i32.load offset=276 (i32.const 0)))
    (local.set $g (i32.load offset=280 (i32.const 0)))
    (local.set $h (i32.load offset=284 (i32.const 0)))
    (local.set $p (i32.const 0))
    (loop $round
      (local.set $t1
        (i32.add
          (i32.add
            (local.get $h)
            (i32.xor
              (i32.xor (i32.rotr (local.get $e) (i32.const 6)) (i32.rotr (local.get $e) (i32.const 11)))
              (i32.rotr (local.get $e) (i32.const 25))))
          (i32.add
            (i32.xor
              (i32.and (local.get $e) (local.get $f))
              (i32.and (i32.xor (local.get $e) (i32.const -1)) (local.get $g)))
            (i32.add (i32.load (local.get $p)) (i32.load offset=512 (local.get $p))))))
      (local.set $t2
        (i32.add
          (i32.xor
            (i32.xor (i32.rotr (local.get $a) (i32.const 2)) (i32.rotr (local.get $a) (i32.const 13)))
            (i32.rotr (local.get $a) (i32.const 22)))
          (i32.xor
            (i32.xor (i32.and (local.get $a) (local.get $b)) (i32.and (local.get $a) (local.get $c)))
            (i32.and (local.get $b) (local.get $c)))))
      (local.set $h (local.get $g))
      (local.set $g (local.get $f))
      (local.set $f (local.get $e))
      (local.set $e (i32.add (local.get $d) (local.get $t1)))
      (local.set $d (local.get $c))
      (local.set $c (local.get $b))
      (local.set $b (local.get $a))
      (local.set $a (i32.add (local.get $t1) (local.get $t2)))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br_if $round (i32.lt_u (local.get $p) (i32.const 256))))
    (i32.store offset=256 (i32.const 0) (i32.add (i32.load offset=256 (i32.const 0)) (local.get $a)))
    (i32.store offset=260 (i32.const 0) (i32.add (i32.load offset=260 (i32.const 0)) (local.get $b)))
    (i32.store offset=264 (i32.const 0) (i32.add (i32.load offset=264 (i32.const 0)) (local.get $c)))
    (i32.store offset=268 (i32.const 0) (i32.add (i32.load offset=268 (i32.const 0)) (local.get $d)))
    (i32.store offset=272 (i32.const 0) (i32.add (i32.load offset=272 (i32.const 0)) (local.get $e)))
    (i32.store offset=276 (i32.const 0) (i32.add (i32.load offset=276 (i32.const 0)) (local.get $f)))
    (i32.store offset=280 (i32.const 0) (i32.add (i32.load offset=280 (i32.const 0)) (local.get $g)))
    (i32.store offset=284 (i32.const 0) (i32.add (i32.load offset=284 (i32.const 0)) (local.get $h))))

  ;; Hashes $len bytes at $ptr into H.
  (func $hash (param $ptr i32) (param $len i32)
    (local $block i32) (local $full_end i32) (local $rem i32) (local $i i32) (local $padded i32) (local $bits i64)
    (call $init_state)
    (local.set $block (local.get $ptr))
    (local.set $full_end (i32.add (local.get $ptr) (i32.and (local.get $len) (i32.const -64))))
    (block $full_done
      (loop $full
        (br_if $full_done (i32.ge_u (local.get $block) (local.get $full_end)))
        (call $compress (local.get $block))
        (local.set $block (i32.add (local.get $block) (i32.const 64)))
        (br $full)))
    ;; Final block(s): the remaining bytes, 0x80, zeros, and the bit length as a big-endian u64.
    (local.set $rem (i32.and (local.get $len) (i32.const 63)))
    (local.set $i (i32.const 0))
    (loop $zero
      (i32.store8 offset=1024 (local.get $i) (i32.const 0))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $zero (i32.lt_u (local.get $i) (i32.const 128))))
    (local.set $i (i32.const 0))
    (block $copy_done
      (loop $copy
        (br_if $copy_done (i32.ge_u (local.get $i) (local.get $rem)))
        (i32.store8 offset=1024 (local.get $i) (i32.load8_u (i32.add (local.get $block) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $copy)))
    (i32.store8 offset=1024 (local.get $rem) (i32.const 0x80))
    (local.set $padded (select (i32.const 64) (i32.const 128) (i32.lt_u (local.get $rem) (i32.const 56))))
    (local.set $bits (i64.shl (i64.extend_i32_u (local.get $len)) (i64.const 3)))
    (local.set $i (i32.const 0))
    (loop $length
      (i32.store8 offset=1023
        (i32.sub (local.get $padded) (local.get $i))
        (i32.wrap_i64 (i64.shr_u (local.get $bits) (i64.extend_i32_u (i32.shl (local.get $i) (i32.const 3))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $length (i32.lt_u (local.get $i) (i32.const 8))))
    (call $compress (i32.const 1024))
    (if (i32.eq (local.get $padded) (i32.const 128))
      (then (call $compress (i32.const 1088)))))

  ;; Writes the deterministic message into the buffer at 65536.
  (func $fill (param $len i32)
    (local $i i32) (local $state i32)
    (local.set $state (i32.const 0x12345678))
    (local.set $i (i32.const 0))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $state
          (i32.add (i32.mul (local.get $state) (i32.const 1103515245)) (i32.const 12345)))
        (i32.store8 offset=65536 (local.get $i) (i32.shr_u (local.get $state) (i32.const 24)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))

  (func $run (export "run") (param $len i32) (result i32)
    (if (i32.gt_u (local.get $len) (i32.const 1048576))
      (then (unreachable)))
    (call $fill (local.get $len))
    (call $hash (i32.const 65536) (local.get $len))
    (i32.xor
      (i32.xor
        (i32.xor (i32.load offset=256 (i32.const 0)) (i32.load offset=260 (i32.const 0)))
        (i32.xor (i32.load offset=264 (i32.const 0)) (i32.load offset=268 (i32.const 0))))
      (i32.xor
        (i32.xor (i32.load offset=272 (i32.const 0)) (i32.load offset=276 (i32.const 0)))
        (i32.xor (i32.load offset=280 (i32.const 0)) (i32.load offset=284 (i32.const 0))))))

  (func $digest_word (export "digest_word") (param $i i32) (result i32)
    (if (i32.ge_u (local.get $i) (i32.const 8))
      (then (unreachable)))
    (i32.load offset=256 (i32.shl (local.get $i) (i32.const 2))))

  (func $never_called (export "never_called") (param $x i32) (result i32)
    (call $bswap (local.get $x))))
