//! Runs `canopy run` and `canopy wast` on the small interpreter examples.

use std::path::Path;
use std::process::{Command, Output};

fn canopy(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_canopy"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .output()
        .expect("run the canopy binary")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn run_prints_the_results_of_an_export() {
    let output = canopy(&["run", "examples/fib.wat", "--invoke", "fib(20)"]);
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    assert_eq!(stdout(&output).trim(), "6765");
    let output = canopy(&["run", "examples/fib.wat", "--invoke", "scale(1.5, 4)"]);
    assert_eq!(stdout(&output).trim(), "6", "stderr: {}", stderr(&output));
}

#[test]
fn run_reports_traps_and_bad_arguments() {
    let output = canopy(&["run", "examples/fib.wat", "--invoke", "div(1, 0)"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("integer divide by zero"), "stderr: {}", stderr(&output));
    let output = canopy(&["run", "examples/fib.wat", "--invoke", "fib(1, 2)"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("takes 1 arguments"), "stderr: {}", stderr(&output));
    let output = canopy(&["run", "examples/fib.wat", "--invoke", "nope()"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("no function `nope`"), "stderr: {}", stderr(&output));
}

#[test]
fn wast_prints_totals_and_fails_on_failures() {
    let output = canopy(&["wast", "examples/fib.wast"]);
    assert_eq!(output.status.code(), Some(0), "stdout: {}", stdout(&output));
    assert!(stdout(&output).contains("examples/fib.wast: passed 6, failed 0, skipped 0"), "{}", stdout(&output));
    let output = canopy(&["wast", "examples/fib.wast", "examples/fib-failing.wast"]);
    assert_eq!(output.status.code(), Some(1));
    let out = stdout(&output);
    assert!(out.contains("examples/fib-failing.wast:5: FAILED"), "{out}");
    assert!(out.contains("total: passed 8, failed 1, skipped 0"), "{out}");
}
