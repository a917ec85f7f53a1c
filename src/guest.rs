//! Running a guest call under the limits a person sets on the command line: fuel, a
//! wall-clock timeout, and Ctrl-C, which stops the guest and reports where it was. All three
//! end the run cleanly with a message naming the limit; the interpreter pauses at a place it can
//! show (`Store::interrupt_handle`, set by a [`Watchdog`] for the timeout), so the report has the
//! guest's backtrace. [`parse_duration`] reads the `--timeout` of `canopy run` and `canopy wast`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use canopy_interp::{FrameInfo, FuncAddr, Outcome, PauseReason, Store, Thread, Trap, Value, Watchdog};

/// Set by the Ctrl-C handler: the interrupt came from the user, not from the timeout.
static CTRL_C: AtomicBool = AtomicBool::new(false);

/// How a guest call ended other than by returning.
#[derive(Debug)]
pub enum Stopped {
    /// The guest trapped (a fuel limit included).
    Trap(Trap),
    /// It ran longer than the timeout; where it was.
    Timeout(Duration, Vec<FrameInfo>),
    /// The user pressed Ctrl-C; where it was.
    Interrupted(Vec<FrameInfo>),
    /// It could not be run at all (bad arguments, a host call that never completes).
    Failed(String),
}

/// Parses a duration written as a number with an optional unit: `ms`, `s` (the default) or
/// `m`, e.g. `500ms`, `2.5s`, `10`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, scale) = if let Some(n) = text.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = text.strip_suffix('m') {
        (n, 60.0)
    } else {
        (text, 1.0)
    };
    let value: f64 = number.trim().parse().map_err(|_| format!("`{text}` is not a duration (e.g. 500ms, 2s, 1m)"))?;
    if !value.is_finite() || value <= 0.0 {
        return Err(format!("`{text}` is not a positive duration"));
    }
    Duration::try_from_secs_f64(value * scale).map_err(|_| format!("`{text}` is too long"))
}

/// Calls `func` with `args` on `store`, stopping at `timeout` or at Ctrl-C.
pub fn call(
    store: &mut Store,
    func: FuncAddr,
    args: &[Value],
    timeout: Option<Duration>,
) -> Result<Vec<Value>, Stopped> {
    let flag = store.interrupt_handle();
    {
        let flag = flag.clone();
        // Only the first handler of a process is installed; `canopy run` makes one call.
        let _ = ctrlc::set_handler(move || {
            CTRL_C.store(true, Ordering::SeqCst);
            flag.store(true, Ordering::SeqCst);
        });
    }
    let watchdog = timeout.map(|limit| Watchdog::arm(flag, limit));
    run_thread(store, func, args, watchdog.as_ref())
}

fn run_thread(
    store: &mut Store,
    func: FuncAddr,
    args: &[Value],
    watchdog: Option<&Watchdog>,
) -> Result<Vec<Value>, Stopped> {
    let mut thread = Thread::new(store, func, args).map_err(|e| Stopped::Failed(e.to_string()))?;
    loop {
        match thread.run(store, None) {
            Outcome::Finished(values) => return Ok(values),
            Outcome::Trapped(trap) => return Err(Stopped::Trap(trap)),
            Outcome::Paused(PauseReason::Interrupted) => {
                let backtrace = thread.backtrace(store);
                if CTRL_C.load(Ordering::SeqCst) {
                    return Err(Stopped::Interrupted(backtrace));
                }
                if let Some(watchdog) = watchdog.filter(|w| w.fired()) {
                    return Err(Stopped::Timeout(watchdog.limit(), backtrace));
                }
            }
            Outcome::Paused(_) => {}
            Outcome::Pending(_) => {
                return Err(Stopped::Failed("a host function never completed its call".into()));
            }
        }
    }
}

/// A backtrace as the lines a person reads, innermost first.
pub fn show_backtrace(frames: &[FrameInfo]) -> String {
    frames.iter().enumerate().map(|(i, f)| format!("\n  {i}: {f}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_take_units() {
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("2s").unwrap(), Duration::from_secs(2));
        assert_eq!(parse_duration("1.5").unwrap(), Duration::from_millis(1500));
        assert_eq!(parse_duration("1m").unwrap(), Duration::from_secs(60));
        for bad in ["", "s", "-1s", "0", "abc", "nan", "1e400"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }
}
