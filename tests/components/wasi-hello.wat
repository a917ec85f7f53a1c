;; A component that imports WASI (environment, stdout, exit) and one interface no host
;; provides, for `canopy run`'s tests (tests/component_run.rs).
(component
  (import "wasi:cli/environment@0.2.3" (instance $env
    (export "get-environment" (func (result (list (tuple string string)))))
    (export "get-arguments" (func (result (list string))))))
  (import "wasi:io/streams@0.2.3" (instance $streams
    (export "output-stream" (type $os (sub resource)))
    (type $b (borrow $os))
    (export "[method]output-stream.blocking-write-and-flush"
      (func (param "self" $b) (param "contents" (list u8)) (result (result))))))
  (alias export $streams "output-stream" (type $output-stream))
  (import "wasi:cli/stdout@0.2.3" (instance $stdout
    (alias outer 1 $output-stream (type $os2))
    (export "output-stream" (type $os3 (eq $os2)))
    (type $o (own $os3))
    (export "get-stdout" (func (result $o)))))
  (import "wasi:cli/exit@0.2.3" (instance $exit
    (export "exit" (func (param "status" (result))))))
  (import "canopy:test/missing" (instance $missing
    (export "nope" (func))))

  (core module $libc
    (memory (export "memory") 1)
    (global $bump (mut i32) (i32.const 4096))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (local.set $p (i32.and (i32.add (global.get $bump) (i32.sub (local.get 2) (i32.const 1)))
                             (i32.sub (i32.const 0) (local.get 2))))
      (global.set $bump (i32.add (local.get $p) (local.get 3)))
      (local.get $p)))
  (core instance $libc (instantiate $libc))

  (core func $getenv (canon lower (func $env "get-environment")
    (memory (core memory $libc "memory")) (realloc (core func $libc "realloc"))))
  (core func $getargs (canon lower (func $env "get-arguments")
    (memory (core memory $libc "memory")) (realloc (core func $libc "realloc"))))
  (core func $get_stdout (canon lower (func $stdout "get-stdout")))
  (core func $write (canon lower (func $streams "[method]output-stream.blocking-write-and-flush")
    (memory (core memory $libc "memory"))))
  (core func $exit (canon lower (func $exit "exit")))
  (core func $nope (canon lower (func $missing "nope")))

  (core module $main
    (import "libc" "memory" (memory 1))
    (import "host" "get-environment" (func $getenv (param i32)))
    (import "host" "get-arguments" (func $getargs (param i32)))
    (import "host" "get-stdout" (func $get_stdout (result i32)))
    (import "host" "write" (func $write (param i32 i32 i32) (result i32)))
    (import "host" "exit" (func $exit (param i32)))
    (import "host" "nope" (func $nope))
    (data (i32.const 16) "hello from the guest\n")
    (func (export "env") (result i32) (call $getenv (i32.const 64)) (i32.const 64))
    (func (export "args") (result i32) (call $getargs (i32.const 64)) (i32.const 64))
    (func (export "hello") (result i32)
      (call $write (call $get_stdout) (i32.const 16) (i32.const 21)))
    (func (export "quit") (call $exit (i32.const 1)))
    (func (export "nope") (call $nope)))
  (core instance $main (instantiate $main
    (with "libc" (instance $libc))
    (with "host" (instance
      (export "get-environment" (func $getenv))
      (export "get-arguments" (func $getargs))
      (export "get-stdout" (func $get_stdout))
      (export "write" (func $write))
      (export "exit" (func $exit))
      (export "nope" (func $nope))))))

  (func (export "env") (result (list (tuple string string)))
    (canon lift (core func $main "env") (memory (core memory $libc "memory")) (realloc (core func $libc "realloc"))))
  (func (export "args") (result (list string))
    (canon lift (core func $main "args") (memory (core memory $libc "memory")) (realloc (core func $libc "realloc"))))
  (func (export "hello") (result (result))
    (canon lift (core func $main "hello")))
  (func (export "quit") (canon lift (core func $main "quit")))
  (func (export "nope") (canon lift (core func $main "nope"))))
