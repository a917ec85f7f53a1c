//! Runs the built `canopy` binary on the bundled examples.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")
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

#[test]
fn clean_example_has_no_errors() {
    let output = canopy(&["check", "examples/kv-store"], Path::new(env!("CARGO_MANIFEST_DIR")));
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "stderr:\n{stderr}");
    assert!(stderr.contains("no errors"), "stderr:\n{stderr}");
}

#[test]
fn check_defaults_to_the_current_folder() {
    let output = canopy(&["check"], &examples().join("kv-store"));
    assert_eq!(output.status.code(), Some(0), "stderr:\n{}", text(&output.stderr));
}

/// The lines just after each `deliberate error` comment of the example, as `(file name, line)`.
fn marked_lines(wit: &Path) -> Vec<(String, u64)> {
    let mut marks = Vec::new();
    for entry in std::fs::read_dir(wit).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "wit") {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let source = std::fs::read_to_string(&path).unwrap();
        for (index, line) in source.lines().enumerate() {
            if line.contains("// deliberate error:") {
                // `index` is 0-based, so the next line is number `index + 2`.
                marks.push((name.clone(), index as u64 + 2));
            }
        }
    }
    marks.sort();
    marks
}

#[test]
fn broken_example_reports_its_five_errors_as_json() {
    let output = canopy(&["check", "examples/broken-wit", "--format", "json"], Path::new(env!("CARGO_MANIFEST_DIR")));
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "stdout:\n{stdout}\nstderr:\n{}", text(&output.stderr));
    let diagnostics: serde_json::Value = serde_json::from_str(&stdout).expect("stdout is JSON");
    let errors: Vec<&serde_json::Value> =
        diagnostics.as_array().expect("a JSON array").iter().filter(|d| d["severity"] == "error").collect();
    let places: Vec<(String, u64)> = errors
        .iter()
        .map(|d| {
            let path = d["path"].as_str().expect("path");
            let name = Path::new(path).file_name().unwrap().to_string_lossy().into_owned();
            (name, d["range"]["start"]["line"].as_u64().expect("start line"))
        })
        .collect();
    let listing = errors
        .iter()
        .zip(&places)
        .map(|(d, (file, line))| format!("  {file}:{line} [{}] {}", d["code"], d["message"]))
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(errors.len(), 5, "expected exactly 5 errors, got:\n{listing}");

    let mut distinct = places.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 5, "each error must be on its own line, got:\n{listing}");

    // Each error sits on the line a `deliberate error` comment marks (or the one after it: a
    // missing `;` is noticed at the next token), and each mark gets exactly one error.
    let marks = marked_lines(&examples().join("broken-wit/wit"));
    assert_eq!(marks.len(), 5, "the example should mark five errors: {marks:?}");
    for mark in &marks {
        let hits =
            places.iter().filter(|(file, line)| *file == mark.0 && (*line == mark.1 || *line == mark.1 + 1)).count();
        assert_eq!(hits, 1, "expected one error for the mark at {}:{}, got:\n{listing}", mark.0, mark.1);
    }
}

#[test]
fn human_output_shows_source_and_summary() {
    let output = canopy(&["check", "examples/broken-wit"], Path::new(env!("CARGO_MANIFEST_DIR")));
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "stderr:\n{stderr}");
    assert!(stderr.contains("error["), "stderr:\n{stderr}");
    assert!(stderr.contains("--> examples/broken-wit/wit/"), "stderr:\n{stderr}");
    assert!(stderr.contains('^'), "stderr:\n{stderr}");
    assert!(stderr.lines().last().is_some_and(|l| l.contains(" error")), "stderr:\n{stderr}");
}

#[test]
fn missing_path_is_a_usage_error_naming_the_path() {
    let output = canopy(&["check", "does/not/exist"], &examples());
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr:\n{stderr}");
    assert!(stderr.contains("does/not/exist"), "stderr:\n{stderr}");
}

#[test]
fn folder_without_wit_is_a_usage_error() {
    let output = canopy(&["check", "."], Path::new(env!("CARGO_MANIFEST_DIR")).join("src").as_path());
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr:\n{stderr}");
    assert!(stderr.contains("no `.wit` files"), "stderr:\n{stderr}");
}

#[test]
fn bad_format_is_a_usage_error() {
    let output = canopy(&["check", "--format", "xml"], &examples());
    assert_eq!(output.status.code(), Some(2));
}
