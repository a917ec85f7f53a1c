//! A wall-clock limit on a run: a timer thread that sets a store's interrupt flag
//! ([`crate::Store::interrupt_handle`]) once the limit has passed, so the running thread pauses
//! at a place it can report. Dropping the watchdog first stops the timer at once; it never sets
//! the flag afterwards, so the flag can be reused for the next run.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::Duration;

/// Sets an interrupt flag when a time limit passes, unless it is dropped first.
#[derive(Debug)]
pub struct Watchdog {
    /// Dropped to wake the timer before its limit.
    stop: Option<mpsc::Sender<()>>,
    timer: Option<JoinHandle<()>>,
    fired: Arc<AtomicBool>,
    limit: Duration,
}

impl Watchdog {
    /// Starts a timer that sets `flag` once `limit` has passed.
    pub fn arm(flag: Arc<AtomicBool>, limit: Duration) -> Watchdog {
        let (stop, stopped) = mpsc::channel::<()>();
        let fired = Arc::new(AtomicBool::new(false));
        let timer = {
            let fired = fired.clone();
            std::thread::spawn(move || {
                // A message or a dropped sender ends the wait early: the run is over.
                if let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(limit) {
                    fired.store(true, Ordering::SeqCst);
                    flag.store(true, Ordering::SeqCst);
                }
            })
        };
        Watchdog { stop: Some(stop), timer: Some(timer), fired, limit }
    }

    /// Whether the limit passed and the flag was set.
    pub fn fired(&self) -> bool {
        self.fired.load(Ordering::SeqCst)
    }

    /// The time limit.
    pub fn limit(&self) -> Duration {
        self.limit
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(timer) = self.timer.take() {
            let _ = timer.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[test]
    fn fires_after_the_limit_and_not_after_a_drop() {
        let flag = Arc::new(AtomicBool::new(false));
        let watchdog = Watchdog::arm(flag.clone(), Duration::from_millis(20));
        let started = Instant::now();
        while !flag.load(Ordering::SeqCst) {
            assert!(started.elapsed() < Duration::from_secs(10), "the watchdog never fired");
            std::thread::sleep(Duration::from_millis(1));
        }
        assert!(watchdog.fired());

        let flag = Arc::new(AtomicBool::new(false));
        let started = Instant::now();
        drop(Watchdog::arm(flag.clone(), Duration::from_secs(3600)));
        assert!(started.elapsed() < Duration::from_secs(10), "a drop waited for the limit");
        assert!(!flag.load(Ordering::SeqCst));
    }
}
