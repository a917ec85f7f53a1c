//! Runs a fuzz target's body on a thread with a small stack, so that recursion as deep as the
//! input is long overflows while fuzzing rather than in a user's editor. Shared by every target
//! (`mod small_stack;`) and by the regular tests that replay what the targets check
//! (`engine/interp-oracle/tests/differential.rs` includes it with `#[path]`).

/// Stack of the thread a target's body runs on: 256 KiB, an eighth of a spawned thread's
/// default and a thirty-second of a main thread's.
pub const SMALL_STACK: usize = 256 * 1024;

/// Runs `body` on a thread with [`SMALL_STACK`] and returns what it returns; a panic there is a
/// panic here.
pub fn run<T: Send>(body: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .stack_size(SMALL_STACK)
            .spawn_scoped(scope, body)
            .expect("the system cannot start a small-stack thread");
        worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}
