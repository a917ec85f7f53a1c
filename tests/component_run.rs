//! `canopy run` on components: the real C fixture (wit-bindgen + wasm-tools, see
//! `fixtures/components`) called with WAVE arguments gives wasmtime's answers from
//! `fixtures/components/expected/fixtures-c.txt`; a trap names the instance and the WIT
//! function; a name that is no export lists the exports; a component text file runs too.
//! A component importing WASI (`tests/components/wasi-hello.wat`) gets only what the flags
//! grant: environment variables one by one, guest arguments, stdout; its exit status; and
//! imports no host provides are an error unless `--trap-unknown-imports` stubs them.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/components/wasm/fixtures-c.wasm")
}

fn canopy_run(module: &Path, invoke: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_canopy"))
        .arg("run")
        .arg(module)
        .args(["--invoke", invoke])
        .output()
        .expect("canopy runs")
}

/// wasmtime's answer to `call` (as written in `calls.txt`) on the C fixture.
fn expected(call: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/components/expected/fixtures-c.txt");
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .find_map(|line| line.strip_prefix(call).and_then(|rest| rest.strip_prefix(" => ")))
        .unwrap_or_else(|| panic!("no expected answer for {call}"))
        .to_string()
}

#[test]
fn the_c_fixture_answers_as_wasmtime_does() {
    for (call, invoke) in [
        ("values.echo(\"héllo\")", "echo(\"héllo\")"),
        ("values.concat(\"foo\", \"bar\")", "concat(\"foo\", \"bar\")"),
        ("values.split-words(\"  the quick  brown fox \")", "split-words(\"  the quick  brown fox \")"),
        ("values.add-s32(2147483647, 1)", "canopy:fixtures/values@0.1.0#add-s32(2147483647, 1)"),
        (
            "values.sum17(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17)",
            "sum17(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17)",
        ),
        ("version()", "version()"),
    ] {
        let out = canopy_run(&fixture(), invoke);
        assert!(out.status.success(), "{invoke}: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(String::from_utf8(out.stdout).unwrap().trim_end(), expected(call), "{invoke}");
    }
}

#[test]
fn a_trap_names_the_instance_and_the_wit_function() {
    let out = canopy_run(&fixture(), "trap()");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("function `canopy:fixtures/values@0.1.0#trap`"), "{stderr}");
    assert!(stderr.contains("unreachable"), "{stderr}");
}

#[test]
fn an_unknown_function_lists_the_exports_and_bad_arguments_are_usage_errors() {
    let out = canopy_run(&fixture(), "no-such-function()");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("exports no function `no-such-function`"), "{stderr}");
    assert!(stderr.contains("canopy:fixtures/values@0.1.0#echo"), "{stderr}");
    let out = canopy_run(&fixture(), "add-s32(\"one\", 2)");
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_component_in_text_runs() {
    let dir = std::env::temp_dir().join(format!("canopy-component-run-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("double.wat");
    std::fs::write(
        &file,
        r#";; a component in text
(component
  (core module $m (func (export "double") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2))))
  (core instance $i (instantiate $m))
  (func (export "double") (param "x" u32) (result u32) (canon lift (core func $i "double"))))"#,
    )
    .unwrap();
    let out = canopy_run(&file, "double(21)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8(out.stdout).unwrap().trim_end(), "42");
}

fn wasi_component() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/components/wasi-hello.wat")
}

fn canopy_run_with(flags: &[&str], invoke: &str, guest_args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_canopy"))
        .arg("run")
        .arg(wasi_component())
        .args(flags)
        .args(["--invoke", invoke])
        .arg("--")
        .args(guest_args)
        .env("CANOPY_TEST_GRANTED", "from the host")
        .env("CANOPY_TEST_SECRET", "not granted")
        .output()
        .expect("canopy runs")
}

fn stdout(out: &Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).unwrap().trim_end().to_string()
}

#[test]
fn unsatisfied_imports_are_an_error_that_lists_them() {
    let out = canopy_run_with(&[], "env()", &[]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("does not provide"), "{stderr}");
    assert!(stderr.contains("  canopy:test/missing"), "{stderr}");
    assert!(!stderr.contains("wasi:cli/environment"), "WASI is provided: {stderr}");
}

#[test]
fn environment_variables_are_granted_one_by_one() {
    let trap = "--trap-unknown-imports";
    assert_eq!(stdout(&canopy_run_with(&[trap], "env()", &[])), "[]");
    let granted = canopy_run_with(&[trap, "--env", "CANOPY_TEST_GRANTED", "--env", "X=1"], "env()", &[]);
    assert_eq!(stdout(&granted), r#"[("CANOPY_TEST_GRANTED", "from the host"), ("X", "1")]"#);
}

#[test]
fn arguments_after_the_component_go_to_the_guest() {
    let out = canopy_run_with(&["--trap-unknown-imports"], "args()", &["one", "two words"]);
    let path = wasi_component().display().to_string();
    assert_eq!(stdout(&out), format!(r#"["{path}", "one", "two words"]"#));
}

#[test]
fn the_guest_writes_to_stdout_and_exits_with_its_status() {
    let out = canopy_run_with(&["--trap-unknown-imports"], "hello()", &[]);
    assert_eq!(stdout(&out), "hello from the guest\nok");
    let out = canopy_run_with(&["--trap-unknown-imports"], "quit()", &[]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_stubbed_import_traps_naming_itself_when_called() {
    let out = canopy_run_with(&["--trap-unknown-imports"], "nope()", &[]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("unknown import `canopy:test/missing#nope`"), "{stderr}");
}

#[test]
fn the_javascript_fixture_runs_with_the_wasi_host() {
    let js = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/components/wasm/fixtures-js.wasm");
    let out = canopy_run(&js, "echo(\"world\")");
    assert_eq!(stdout(&out), "\"world\"");
}

#[test]
fn a_dir_that_is_not_host_to_guest_is_a_usage_error() {
    let out = canopy_run_with(&["--trap-unknown-imports", "--dir", "no-separator"], "env()", &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("expected HOST::GUEST"));
}
