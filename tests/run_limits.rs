//! `canopy run` on a guest that never ends: `--fuel`, `--timeout` and Ctrl-C each stop it with
//! a message that names the limit and where the guest was. Without them these runs would hang,
//! so every test also bounds its own wait and fails rather than hanging.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SPIN: &str = r#"(module
  (func $inner (export "inner") (loop $l (br $l)))
  (func $spin (export "spin") (call $inner)))"#;

fn spin_file() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("canopy-run-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("spin.wat");
    std::fs::write(&file, SPIN).unwrap();
    file
}

fn start(extra: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_canopy"))
        .arg("run")
        .arg(spin_file())
        .args(["--invoke", "spin()"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("canopy starts")
}

/// Waits for `child` at most `limit`, killing it (and failing) if it is still running.
fn finish(mut child: Child, limit: Duration) -> (Option<i32>, String) {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let out = child.wait_with_output().unwrap();
            return (status.code(), String::from_utf8_lossy(&out.stderr).into_owned());
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("canopy run did not stop within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn fuel_stops_an_endless_loop_with_a_trap_naming_the_limit() {
    let (code, stderr) = finish(start(&["--fuel", "10000"]), Duration::from_secs(30));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("fuel exhausted") && stderr.contains("--fuel"), "{stderr}");
    assert!(stderr.contains("inner") && stderr.contains("spin"), "the backtrace: {stderr}");
}

#[test]
fn timeout_stops_an_endless_loop_and_says_where_it_was() {
    let (code, stderr) = finish(start(&["--timeout", "200ms"]), Duration::from_secs(30));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("timeout") && stderr.contains("--timeout"), "{stderr}");
    assert!(stderr.contains("0: inner") && stderr.contains("1: spin"), "the backtrace: {stderr}");
}

#[test]
fn ctrl_c_stops_the_guest_prints_the_backtrace_and_exits_130() {
    let child = start(&[]);
    std::thread::sleep(Duration::from_millis(300));
    let sent = Command::new("kill").args(["-INT", &child.id().to_string()]).status().expect("kill runs");
    assert!(sent.success());
    let (code, stderr) = finish(child, Duration::from_secs(30));
    assert_eq!(code, Some(130), "{stderr}");
    assert!(stderr.contains("interrupted by Ctrl-C"), "{stderr}");
    assert!(stderr.contains("0: inner") && stderr.contains("1: spin"), "the backtrace: {stderr}");
}

#[test]
fn bad_limits_are_usage_errors() {
    let (code, stderr) = finish(start(&["--timeout", "soon"]), Duration::from_secs(30));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("soon"), "{stderr}");
}
