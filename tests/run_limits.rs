//! `canopy run` on a guest that never ends: `--fuel`, `--timeout` and Ctrl-C each stop it with
//! a message that names the limit and where the guest was; `canopy wast` gives every command of
//! a script a limit of its own, so a looping assertion fails alone and the rest of the script
//! runs. Without the limits these runs would hang, so every test also bounds its own wait and
//! fails rather than hanging.

use std::process::{Child, Command, Output, Stdio};
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
fn wait_within(mut child: Child, limit: Duration) -> Output {
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("canopy did not stop within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.wait_with_output().unwrap()
}

/// [`wait_within`], then the exit code and standard error.
fn finish(child: Child, limit: Duration) -> (Option<i32>, String) {
    let out = wait_within(child, limit);
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
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

/// A script whose second command loops forever, between two that pass.
const LOOPING_SCRIPT: &str = r#"(module
  (func (export "loop") (loop (br 0)))
  (func (export "four") (result i32) i32.const 4))
(assert_return (invoke "loop"))
(assert_return (invoke "four") (i32.const 4))
"#;

/// Starts `canopy wast` on [`LOOPING_SCRIPT`], written as `NAME.wast` (one name per test: tests
/// run at the same time).
fn start_wast(name: &str, extra: &[&str]) -> Child {
    let file = spin_file().with_file_name(format!("{name}.wast"));
    std::fs::write(&file, LOOPING_SCRIPT).unwrap();
    Command::new(env!("CARGO_BIN_EXE_canopy"))
        .arg("wast")
        .arg(file)
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("canopy starts")
}

/// [`wait_within`], then the exit code and standard output.
fn finish_stdout(child: Child, limit: Duration) -> (Option<i32>, String) {
    let out = wait_within(child, limit);
    (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn wast_fails_a_looping_assertion_by_its_default_fuel_and_runs_the_rest() {
    let (code, stdout) = finish_stdout(start_wast("default", &[]), Duration::from_secs(60));
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stdout.contains("passed 2, failed 1"), "the commands after the loop still run: {stdout}");
    assert!(
        stdout
            .contains("default.wast:4: FAILED: unexpected trap: fuel exhausted (limit fuel = 100,000,000 per command)"),
        "{stdout}"
    );
}

#[test]
fn wast_limits_can_be_changed_with_fuel_and_timeout() {
    let (code, stdout) = finish_stdout(start_wast("fuel", &["--fuel", "1000"]), Duration::from_secs(30));
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stdout.contains("fuel exhausted (limit fuel = 1,000 per command)"), "{stdout}");
    assert!(stdout.contains("passed 2, failed 1"), "{stdout}");

    let (code, stdout) =
        finish_stdout(start_wast("timeout", &["--fuel", "0", "--timeout", "200ms"]), Duration::from_secs(30));
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stdout.contains("timeout.wast:4: FAILED: timed out: the command ran longer than 200ms"), "{stdout}");
    assert!(stdout.contains("passed 2, failed 1"), "{stdout}");
}
