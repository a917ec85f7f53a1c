//! The interpreter under a memory limit, as a user would meet it: `memory.grow` past what the
//! system can give answers -1 (the spec allows it to fail) instead of aborting the process, and
//! a memory too large to allocate at instantiation is a clean error.

use std::process::Command;

/// Runs `canopy run FILE --invoke CALL` with the address space limited to `limit_kib`.
fn run_limited(limit_kib: u64, wat: &str, call: &str) -> std::process::Output {
    let dir = std::env::temp_dir().join(format!("canopy-memory-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("m{}.wat", wat.len()));
    std::fs::write(&file, wat).unwrap();
    let script = format!("ulimit -v {limit_kib} && exec \"$0\" run \"$1\" --invoke \"$2\"");
    Command::new("bash")
        .args(["-c", &script, env!("CARGO_BIN_EXE_canopy")])
        .arg(&file)
        .arg(call)
        .output()
        .expect("bash runs")
}

const GROW: &str = r#"(module (memory 1)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))"#;

#[test]
fn memory_grow_answers_minus_one_when_the_system_has_no_memory() {
    // 1 GiB of address space; the grow asks for 4 GiB.
    let out = run_limited(1 << 20, GROW, "grow(65535)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stdout: {stdout}\nstderr: {stderr}");
    assert_eq!(stdout.trim(), "-1", "stderr: {stderr}");
    // A grow that fits still works under the same limit.
    let out = run_limited(1 << 20, GROW, "grow(16)");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "1");
}

#[test]
fn a_memory_too_large_to_allocate_is_an_error_not_an_abort() {
    let out = run_limited(1 << 20, r#"(module (memory 65536) (func (export "f")))"#, "f()");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(134), "aborted: {stderr}");
    assert!(out.status.code().is_some(), "killed by a signal: {stderr}");
    assert!(stderr.contains("out of memory"), "{stderr}");
}
