//! Issue 16, findings 4 to 8: what `canopy check`, `run` and `wast` print for people is safe to
//! print (control characters escaped), bounded (diagnostics capped, long lines cut, repeated
//! frames folded) and placed (file, line and column); `--invoke` is strict; JSON stays exact.
//! Each test fails without its fix.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fresh folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("canopy-hardening-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn canopy(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_canopy"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("run the canopy binary")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// No byte that a terminal would act on: C0 controls other than tab and newline, DEL, C1.
fn assert_printable(output: &str) {
    for c in output.chars() {
        let raw = (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        assert!(!raw, "raw control character U+{:04X} in:\n{output}", c as u32);
    }
}

#[test]
fn control_characters_in_sources_are_escaped_for_people_and_exact_in_json() {
    let dir = scratch("escapes");
    // An OSC title change, a CSI clear screen, a C1 CSI, a BEL and a bidi override, in a type
    // position and in a comment of an erroneous line.
    let source = "package a:b;\ninterface i {\n  type t = \u{1b}]2;owned\u{7} \u{9b}2J u32; // \u{202e}x\u{1b}[31m\n  f: func() -> nope;\n}\n";
    std::fs::write(dir.join("a.wit"), source).unwrap();
    let output = canopy(&["check", "a.wit"], &dir);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_printable(&stderr);
    assert!(stderr.contains("\\u{1b}]2;owned\\u{7}"), "{stderr}");

    let output = canopy(&["check", "a.wit", "--format", "json"], &dir);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let first = &json.as_array().unwrap()[0];
    let [start, end] = [0, 1].map(|i| first["byte_range"][i].as_u64().unwrap() as usize);
    assert_eq!(&source[start..end], "\u{1b}", "JSON keeps exact byte ranges: {first}");
}

#[test]
fn control_characters_in_invoke_echoes_are_escaped() {
    let dir = scratch("invoke-escapes");
    std::fs::write(dir.join("m.wat"), r#"(module (func (export "f") (param i32) (result i32) local.get 0))"#).unwrap();
    for call in ["f\u{1b}]2;x\u{7}(1)", "f(1\u{1b}[2J)", "f(\u{9b}2J)"] {
        let output = canopy(&["run", "m.wat", "--invoke", call], &dir);
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{call:?}: {stderr}");
        assert_printable(&stderr);
        assert!(stderr.contains("\\u{"), "{stderr}");
    }
}

const PAIR: &str = r#"(module
  (func (export "pair") (param i32 i64) (result i64)
    local.get 1)
  (func (export "half") (param f32) (result f32) local.get 0)
  (func (export "wide") (param f64) (result f64) local.get 0)
  (func (export "neg_nan") (result f32) f32.const -nan:0x5)
  (func (export "nan64") (result f64) f64.const nan:0x8000000000001))"#;

#[test]
fn malformed_invoke_calls_are_rejected_at_their_column() {
    let dir = scratch("strict-invoke");
    std::fs::write(dir.join("m.wat"), PAIR).unwrap();
    let cases = [
        ("pair(,7,8)", 6),
        ("pair(7,,,8)", 8),
        ("pair(7,8,)", 10),
        ("pair(7 8)", 8),
        ("pair(7,8)(", 10),
        ("pair(7,8) 9", 11),
        ("pair(7;8)", 6),
        ("pair(-+7,8)", 6),
        ("pair(7,--8)", 8),
        ("pair(7,8__0)", 8),
        ("pair(7,0x)", 8),
        ("half(3e38e1)", 6),
    ];
    for (call, column) in cases {
        let output = canopy(&["run", "m.wat", "--invoke", call], &dir);
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{call} should be rejected: {stderr}");
        assert!(stderr.contains(&format!("(column {column})")), "{call}: expected column {column}: {stderr}");
    }
    let output = canopy(&["run", "m.wat", "--invoke", " pair( -7 , +0x10_0 ) "], &dir);
    assert_eq!(text(&output.stdout).trim(), "256", "{}", text(&output.stderr));
}

#[test]
fn floats_out_of_range_are_rejected_and_nans_printed_exactly() {
    let dir = scratch("floats");
    std::fs::write(dir.join("m.wat"), PAIR).unwrap();
    for call in ["half(4e38)", "half(-1e40)", "wide(2e308)"] {
        let output = canopy(&["run", "m.wat", "--invoke", call], &dir);
        assert_eq!(output.status.code(), Some(2), "{call}: {}", text(&output.stdout));
        assert!(text(&output.stderr).contains("out of range"), "{}", text(&output.stderr));
    }
    let run = |call: &str| text(&canopy(&["run", "m.wat", "--invoke", call], &dir).stdout).trim().to_string();
    assert_eq!(run("neg_nan()"), "-nan:0x5");
    assert_eq!(run("nan64()"), "nan:0x8000000000001");
    assert_eq!(run("half(-nan:0x7)"), "-nan:0x7");
    assert_eq!(run("half(inf)"), "inf");
}

#[test]
fn diagnostics_are_capped_with_a_count_of_the_rest() {
    let dir = scratch("cap");
    let mut source = String::from("package a:b;\ninterface i {\n");
    for i in 0..700 {
        source.push_str(&format!("  type t{i} = missing{i};\n"));
    }
    source.push_str("}\n");
    std::fs::write(dir.join("a.wit"), &source).unwrap();

    let output = canopy(&["check", "a.wit"], &dir);
    let stderr = text(&output.stderr);
    assert_eq!(stderr.matches("error[").count(), 50, "{stderr}");
    assert!(stderr.contains("... and 650 more"), "{stderr}");
    assert!(stderr.trim_end().ends_with("700 errors, 0 warnings"), "{stderr}");

    let output = canopy(&["check", "a.wit", "--max-diagnostics", "3"], &dir);
    let stderr = text(&output.stderr);
    assert_eq!(stderr.matches("error[").count(), 3, "{stderr}");
    assert!(stderr.contains("... and 697 more"), "{stderr}");

    let output = canopy(&["check", "a.wit", "--max-diagnostics", "0"], &dir);
    assert_eq!(text(&output.stderr).matches("error[").count(), 700);

    let output = canopy(&["check", "a.wit", "--format", "json", "--max-diagnostics", "3"], &dir);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(json.as_array().unwrap().len(), 700, "JSON keeps everything");
}

#[test]
fn a_binary_file_is_one_error() {
    let dir = scratch("binary");
    // Deterministic noise, as an object file or an image would be.
    let mut state = 0x2545_f491u32;
    let bytes: Vec<u8> = (0..3000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state >> 24) as u8
        })
        .collect();
    std::fs::write(dir.join("blob.wit"), &bytes).unwrap();
    let output = canopy(&["check", "blob.wit"], &dir);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.matches("error[").count(), 1, "{stderr}");
    assert!(stderr.contains("not a text file"), "{stderr}");
    assert!(stderr.len() < 1000, "{} bytes:\n{stderr}", stderr.len());
}

#[test]
fn long_source_lines_are_cut_around_the_caret() {
    let dir = scratch("long-line");
    let padding = "/* ".to_string() + &"a".repeat(300_000) + " */";
    let source = format!("package a:b;\ninterface i {{ {padding} type t = nope; {padding} }}\n");
    std::fs::write(dir.join("a.wit"), &source).unwrap();
    let output = canopy(&["check", "a.wit"], &dir);
    let stderr = text(&output.stderr);
    assert!(stderr.len() < 3000, "{} bytes printed", stderr.len());
    let column = source.lines().nth(1).unwrap().find("nope").unwrap() + 1;
    assert!(stderr.contains(&format!("a.wit:2:{column}")), "{stderr}");
    let snippet = stderr.lines().find(|l| l.contains("type t = nope")).expect("the line around the caret");
    let caret = stderr.lines().skip_while(|l| !l.contains("type t = nope")).nth(1).unwrap();
    assert_eq!(snippet.find("nope"), caret.find('^'), "caret under the name:\n{snippet}\n{caret}");
}

#[test]
fn a_fatal_error_is_not_followed_by_no_errors() {
    let dir = scratch("fatal");
    std::fs::write(dir.join("ok.wit"), "package a:b;\n").unwrap();
    for args in [&["check", "missing.wit"][..], &["check", "ok.wit", "missing.wit"][..]] {
        let output = canopy(args, &dir);
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(!stderr.contains("no errors"), "{args:?}: {stderr}");
    }
}

#[test]
fn inputs_that_never_end_are_refused() {
    let dir = scratch("devices");
    let output = canopy(&["check", "/dev/zero"], &dir);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("not a regular file"), "{}", text(&output.stderr));
    let output = canopy(&["run", "/dev/zero", "--invoke", "f"], &dir);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("input limit"), "{}", text(&output.stderr));
}

#[test]
fn call_stack_exhaustion_folds_repeated_frames() {
    let dir = scratch("fold");
    let source = r#"(module
  (func $a (export "self") (param i32) (result i32) local.get 0 call $a)
  (func $b (export "mutual") (param i32) (result i32) local.get 0 call $c)
  (func $c (param i32) (result i32) local.get 0 call $b))"#;
    std::fs::write(dir.join("m.wat"), source).unwrap();
    let output = canopy(&["run", "m.wat", "--invoke", "self(1)"], &dir);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr.lines().count() < 12, "{stderr}");
    assert!(stderr.contains("frame repeated 9,997 more times"), "{stderr}");
    assert!(stderr.contains("max_call_depth = 10,000"), "{stderr}");
    let output = canopy(&["run", "m.wat", "--invoke", "mutual(1)"], &dir);
    let stderr = text(&output.stderr);
    assert!(stderr.lines().count() < 12, "{stderr}");
    assert!(stderr.contains("the 2 frames above repeated"), "{stderr}");
}

#[test]
fn module_errors_name_the_file_line_and_column() {
    let dir = scratch("places");
    std::fs::write(dir.join("syntax.wat"), "(module\n  (func\n    i32.const 1 bogus))\n").unwrap();
    std::fs::write(dir.join("types.wat"), "(module\n  (func (result i32)\n    nop\n    i64.const 1))\n").unwrap();
    std::fs::write(dir.join("junk.wasm"), [0xde, 0xad, 0xbe, 0xef, 0xff, 0xfe]).unwrap();
    let stderr = |file: &str| text(&canopy(&["run", file, "--invoke", "f"], &dir).stderr);
    let syntax = stderr("syntax.wat");
    assert!(syntax.contains("syntax.wat:3:17:") && !syntax.contains("<anon>") && !syntax.contains("0x0"), "{syntax}");
    let types = stderr("types.wat");
    assert!(types.contains("types.wat:4:5:") && types.contains("type mismatch"), "{types}");
    let junk = stderr("junk.wasm");
    assert!(junk.contains("not a WebAssembly binary") && !junk.contains("UTF-8"), "{junk}");
}

#[test]
fn wast_failures_are_in_wast_syntax_with_places() {
    let dir = scratch("wast");
    std::fs::write(
        dir.join("t.wast"),
        "(module (func (export \"f\") (result i32) i32.const 4))\n\
         (assert_return (invoke \"f\") (i32.const 5))\n\
         (assert_return (invoke \"f\") (f32.const nan:canonical))\n",
    )
    .unwrap();
    std::fs::write(dir.join("broken.wast"), "(module)\n(assert_return (invoke \"f\")\n").unwrap();
    let output = canopy(&["wast", "t.wast", "broken.wast"], &dir);
    let stdout = text(&output.stdout);
    assert!(stdout.contains("t.wast:2: FAILED: expected (i32.const 5), got (i32.const 4)"), "{stdout}");
    assert!(stdout.contains("t.wast:3: FAILED: expected (f32.const nan:canonical)"), "{stdout}");
    assert!(!stdout.contains("Core(") && !stdout.contains("<anon>"), "{stdout}");
    assert!(stdout.contains("broken.wast:3: FAILED: cannot parse the script"), "{stdout}");
}

#[test]
fn wast_module_errors_are_at_their_line_and_column() {
    let dir = scratch("wast-places");
    std::fs::write(
        dir.join("invalid.wast"),
        "(module\n  (func (result i32)\n    nop\n    i64.const 1))\n\
         (module\n  (func\n    call $nowhere))\n",
    )
    .unwrap();
    let stdout = text(&canopy(&["wast", "invalid.wast"], &dir).stdout);
    // The instruction that does not validate, not the `(module` line and a binary offset.
    assert!(
        stdout.contains("invalid.wast:4: FAILED: module rejected (column 5): invalid module: type mismatch"),
        "{stdout}"
    );
    assert!(!stdout.contains("at byte 0x"), "{stdout}");
    assert!(stdout.contains("invalid.wast:7: FAILED: cannot encode module (column 10): "), "{stdout}");
}

#[test]
fn the_invalid_utf8_warning_points_at_the_bad_byte() {
    let dir = scratch("utf8");
    std::fs::write(dir.join("bad.wit"), b"package a:b;\n\ninterface i { /* caf\xe9 */ }\n").unwrap();
    let output = canopy(&["check", "bad.wit", "--format", "json"], &dir);
    let diagnostics: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON diagnostics");
    let warning = &diagnostics[0];
    assert!(warning["message"].as_str().unwrap().contains("not valid UTF-8"), "{diagnostics}");
    // Line 3, column 21 (1-based): the byte after `caf`.
    assert_eq!(warning["range"]["start"]["line"], 3, "{diagnostics}");
    assert_eq!(warning["range"]["start"]["col"], 21, "{diagnostics}");
    assert_eq!(warning["byte_range"][0], 34, "{diagnostics}");
    let human = text(&canopy(&["check", "bad.wit"], &dir).stderr);
    assert!(human.contains("bad.wit:3:21"), "{human}");
}

#[test]
fn a_core_module_in_deps_is_called_a_core_module() {
    let dir = scratch("core-dep");
    std::fs::create_dir_all(dir.join("wit/deps")).unwrap();
    std::fs::write(dir.join("wit/a.wit"), "package a:b;\n\ninterface i {}\n").unwrap();
    std::fs::write(dir.join("wit/deps/core.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(dir.join("wit/deps/core.wat"), "(module (func))").unwrap();
    let stderr = text(&canopy(&["check", "."], &dir).stderr);
    assert_eq!(stderr.matches("this is a core WebAssembly module, not an encoded WIT package").count(), 2, "{stderr}");
    assert!(!stderr.contains("component"), "{stderr}");
}
