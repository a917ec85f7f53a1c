//! `canopy run` on components: the real C fixture (wit-bindgen + wasm-tools, see
//! `fixtures/components`) called with WAVE arguments gives wasmtime's answers from
//! `fixtures/components/expected/fixtures-c.txt`; a trap names the instance and the WIT
//! function; a name that is no export lists the exports; a component text file runs too.

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
