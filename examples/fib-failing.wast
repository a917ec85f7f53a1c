;; A script with one wrong expectation, showing how `canopy wast` reports failures.
(module
  (func (export "answer") (result i32) (i32.const 42)))
(assert_return (invoke "answer") (i32.const 42))
(assert_return (invoke "answer") (i32.const 41))
