;; A bytecode interpreter: a small stack machine whose program lives in linear memory, dispatched
;; with `br_table`. The program counts the primes below n by trial division.
;;
;; Memory layout (1 page): bytecode at 0, variable slots (i32) at 256 + 4·slot, operand stack (i32)
;; growing upwards from 512.
;;
;; Instruction set (one opcode byte, some followed by one operand byte):
;;   0 halt            return the top of the stack
;;   1 push  imm       push the unsigned byte imm
;;   2 load  slot      push variable `slot`
;;   3 store slot      pop into variable `slot`
;;   4 add  5 sub  6 mul  7 rem_u  8 lt_s  11 le_s
;;                     pop b, pop a, push (a op b); comparisons push 1 or 0
;;   9 jmp   target    continue at byte address `target`
;;   10 jz   target    pop; continue at `target` if it was 0
;; Any other opcode traps.
;;
;; Exports:
;;   run(n: i32) -> i32            stores n in slot 0, runs the program, returns the number of primes below n
;;   never_called(x: i32) -> i32   never reached from `run`; benchmarks place a breakpoint here
(module
  (memory (export "memory") 1)

  ;; Slots: 0 = n, 1 = i, 2 = j, 3 = count, 4 = is_prime.
  (data (i32.const 0)
    "\01\00" "\03\03"           ;;  0: count = 0
    "\01\02" "\03\01"           ;;  4: i = 2
    "\02\01" "\02\00" "\08"     ;;  8: loop_i: i < n
    "\0a\45"                    ;; 13: jz end (69)
    "\01\02" "\03\02"           ;; 15: j = 2
    "\01\01" "\03\04"           ;; 19: is_prime = 1
    "\02\02" "\02\02" "\06"     ;; 23: loop_j: j * j
    "\02\01" "\0b"              ;; 28: <= i
    "\0a\35"                    ;; 31: jz done_j (53)
    "\02\01" "\02\02" "\07"     ;; 33: i % j
    "\0a\31"                    ;; 38: jz not_prime (49)
    "\02\02" "\01\01" "\04" "\03\02" ;; 40: j = j + 1
    "\09\17"                    ;; 47: jmp loop_j (23)
    "\01\00" "\03\04"           ;; 49: not_prime: is_prime = 0
    "\02\03" "\02\04" "\04" "\03\03" ;; 53: done_j: count = count + is_prime
    "\02\01" "\01\01" "\04" "\03\01" ;; 60: i = i + 1
    "\09\08"                    ;; 67: jmp loop_i (8)
    "\02\03" "\00")             ;; 69: end: push count; halt

  (func $execute (result i32)
    (local $pc i32) (local $sp i32) (local $a i32) (local $b i32)
    (local.set $sp (i32.const 512))
    (loop $dispatch
      (block $bad
      (block $le
      (block $jz
      (block $jmp
      (block $lt
      (block $rem
      (block $mul
      (block $sub
      (block $add
      (block $store
      (block $load
      (block $push
      (block $halt
        (br_table $halt $push $load $store $add $sub $mul $rem $lt $jmp $jz $le $bad
          (i32.load8_u (local.get $pc))))
      ;; halt
      (return (i32.load (i32.sub (local.get $sp) (i32.const 4)))))
      ;; push imm
      (i32.store (local.get $sp) (i32.load8_u offset=1 (local.get $pc)))
      (local.set $sp (i32.add (local.get $sp) (i32.const 4)))
      (local.set $pc (i32.add (local.get $pc) (i32.const 2)))
      (br $dispatch))
      ;; load slot
      (i32.store (local.get $sp)
        (i32.load offset=256 (i32.shl (i32.load8_u offset=1 (local.get $pc)) (i32.const 2))))
      (local.set $sp (i32.add (local.get $sp) (i32.const 4)))
      (local.set $pc (i32.add (local.get $pc) (i32.const 2)))
      (br $dispatch))
      ;; store slot
      (local.set $sp (i32.sub (local.get $sp) (i32.const 4)))
      (i32.store offset=256 (i32.shl (i32.load8_u offset=1 (local.get $pc)) (i32.const 2))
        (i32.load (local.get $sp)))
      (local.set $pc (i32.add (local.get $pc) (i32.const 2)))
      (br $dispatch))
      ;; add
      (local.set $sp (i32.sub (local.get $sp) (i32.const 4)))
      (local.set $b (i32.load (local.get $sp)))
      (local.set $a (i32.load offset=0 (i32.sub (local.get $sp) (i32.const 4))))
      (i32.store (i32.sub (local.get $sp) (i32.const 4)) (i32.add (local.get $a) (local.get $b)))
      (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
      (br $dispatch))
      ;; sub
      (local.set $sp (i32.sub (local.get $sp) (i32.const 4)))
      (local.set $b (i32.load (local.get $sp)))
      (local.set $a (i32.load (i32.sub (local.get $sp) (i32.const 4))))
      (i32.store (i32.sub (local.get $sp) (i32.const 4)) (i32.sub (local.get $a) (local.get $b)))
      (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
      (br $dispatch))
      ;; mul
      (local.set $sp (i32.sub (local.get $sp) (i32.const 4)))
      (local.set $b (i32.load (local.get $sp)))
      (local.set $a (i32.load (i32.sub (local.get $sp) (i32.const 4))))
      (i32.store (i32.sub (local.get $sp) (i32.const 4)) (i32.mul (local.get $a) (local.get $b)))
      (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
      (br $dispatch))
      ;; rem_u
      (local.set $sp (i32.sub (local.get $sp) (i32.const 4)))
      (local.set $b (i32.load (local.get $sp)))
      (local.set $a (i32.load (i32.sub (local.get $sp) (i32.const 4))))
      (i32.store (i32.sub (local.get $sp) (i32.const 4)) (i32.rem_u (local.get $a) (local.get $b)))
      (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
      (br $dispatch))
      ;; lt_s
      (local.set $sp (i32.sub (local.get $sp) (i32.const 4)))
      (local.set $b (i32.load (local.get $sp)))
      (local.set $a (i32.load (i32.sub (local.get $sp) (i32.const 4))))
      (i32.store (i32.sub (local.get $sp) (i32.const 4)) (i32.lt_s (local.get $a) (local.get $b)))
      (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
      (br $dispatch))
      ;; jmp target
      (local.set $pc (i32.load8_u offset=1 (local.get $pc)))
      (br $dispatch))
      ;; jz target
      (local.set $sp (i32.sub (local.get $sp) (i32.const 4)))
      (local.set $pc
        (select
          (i32.load8_u offset=1 (local.get $pc))
          (i32.add (local.get $pc) (i32.const 2))
          (i32.eqz (i32.load (local.get $sp)))))
      (br $dispatch))
      ;; le_s
      (local.set $sp (i32.sub (local.get $sp) (i32.const 4)))
      (local.set $b (i32.load (local.get $sp)))
      (local.set $a (i32.load (i32.sub (local.get $sp) (i32.const 4))))
      (i32.store (i32.sub (local.get $sp) (i32.const 4)) (i32.le_s (local.get $a) (local.get $b)))
      (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
      (br $dispatch))
      ;; unknown opcode
      (unreachable))
    (unreachable))

  (func $run (export "run") (param $n i32) (result i32)
    (i32.store offset=256 (i32.const 0) (local.get $n))
    (call $execute))

  (func $never_called (export "never_called") (param $x i32) (result i32)
    (i32.shl (local.get $x) (i32.const 2))))
