//! The host clock a program may import as `env.clock_ms: () -> i32` (CoreMark does): either a
//! stepping clock, which makes a run fixed work, or the real one, for true scores.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Instant;

/// A millisecond clock for `env.clock_ms`. Clones share one clock, so the adapters can hand a
/// clone to the engine's host function and the caller can still ask how often it was read.
#[derive(Debug, Clone)]
pub struct Clock {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    kind: Kind,
    reads: AtomicU32,
}

#[derive(Debug)]
enum Kind {
    /// Read k (counting from 0) returns k·step, wrapping at 32 bits.
    Stepping { step_ms: i32 },
    /// Milliseconds since the clock was made, wrapping at 32 bits.
    Real { start: Instant },
}

impl Clock {
    /// A clock that advances by `step_ms` at every read and not otherwise: it returns 0, `step_ms`,
    /// 2·`step_ms`, …, so what a program measures depends only on how often it reads the clock,
    /// never on how fast it runs.
    pub fn stepping(step_ms: i32) -> Clock {
        Clock::new(Kind::Stepping { step_ms })
    }

    /// The real clock: milliseconds of wall time since this call.
    pub fn real() -> Clock {
        Clock::new(Kind::Real { start: Instant::now() })
    }

    fn new(kind: Kind) -> Clock {
        Clock { inner: Arc::new(Inner { kind, reads: AtomicU32::new(0) }) }
    }

    /// Reads the clock, as `env.clock_ms` does: the time in milliseconds, wrapping at 32 bits.
    pub fn now_ms(&self) -> i32 {
        let read = self.inner.reads.fetch_add(1, Ordering::Relaxed);
        match self.inner.kind {
            // Reinterpreting the count as i32 keeps the product right modulo 2^32.
            Kind::Stepping { step_ms } => (read as i32).wrapping_mul(step_ms),
            Kind::Real { start } => start.elapsed().as_millis() as u32 as i32,
        }
    }

    /// How many times the clock has been read, over all its clones.
    pub fn reads(&self) -> u32 {
        self.inner.reads.load(Ordering::Relaxed)
    }
}
