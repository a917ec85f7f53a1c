//! Issue 16, finding 1, through the real binary: `canopy check` on inputs as deep as they are
//! long (a 100,000-long alias chain, a 30,000-long alias cycle, a 10,000-long chain of
//! interfaces each `use`-ing the next, a 10,000-long chain of worlds each `include`-ing the
//! next) ends with an exit status and the diagnostics a correct analysis gives, never with a
//! signal (the stack overflow these inputs once caused killed the process with SIGABRT).

#[path = "../engine/wit-analysis/tests/support/deep_inputs.rs"]
mod deep_inputs;

use std::path::{Path, PathBuf};
use std::process::Command;

use deep_inputs::DeepInput;

/// A fresh folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("canopy-deep-check-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The inputs, each written as a project folder under `dir`, with the folder's path.
fn written(dir: &Path) -> Vec<(DeepInput, PathBuf)> {
    let inputs = [
        deep_inputs::alias_chain(100_000),
        deep_inputs::alias_cycle(30_000),
        deep_inputs::use_chain(10_000),
        deep_inputs::include_chain(10_000),
    ];
    inputs
        .into_iter()
        .map(|input| {
            let project = dir.join(&input.name);
            input.write_project(&project);
            (input, project)
        })
        .collect()
}

#[test]
fn check_survives_deep_chains_and_cycles_and_reports_them() {
    let dir = scratch("chains");
    let inputs = written(&dir);
    let output = Command::new(env!("CARGO_BIN_EXE_canopy"))
        .arg("check")
        .args(inputs.iter().map(|(_, project)| project))
        .args(["--format", "json"])
        .output()
        .expect("run the canopy binary");
    let stderr = String::from_utf8_lossy(&output.stderr);
    // `code()` is `None` when a signal ended the process.
    assert_eq!(output.status.code(), Some(1), "the alias cycle is an error; stderr: {stderr}");
    let diagnostics: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON diagnostics");
    let diagnostics = diagnostics.as_array().expect("a list");
    for (input, project) in &inputs {
        let in_input: Vec<&serde_json::Value> = diagnostics
            .iter()
            .filter(|d| Path::new(d["path"].as_str().unwrap_or_default()).starts_with(project))
            .collect();
        match &input.expected {
            None => assert!(in_input.is_empty(), "{}: {in_input:?}", input.name),
            Some(expected) => {
                let errors: Vec<_> = in_input.iter().filter(|d| d["severity"] == "error").collect();
                assert_eq!(errors.len(), 1, "{}: {errors:?}", input.name);
                let error = errors[0];
                assert_eq!(error["code"], expected.code, "{}: {error}", input.name);
                assert!(error["message"].as_str().unwrap().contains(expected.message), "{}: {error}", input.name);
                let file = input.disk_path(project, &expected.path);
                assert_eq!(Path::new(error["path"].as_str().unwrap()), file, "{}: {error}", input.name);
                if let Some(offset) = input.expected_offset() {
                    assert_eq!(error["byte_range"][0], offset, "{}: {error}", input.name);
                }
            }
        }
    }

    // The same in human format: the diagnostic and the summary, and the same exit status.
    let human = Command::new(env!("CARGO_BIN_EXE_canopy"))
        .arg("check")
        .args(inputs.iter().map(|(_, project)| project))
        .env("NO_COLOR", "1")
        .output()
        .expect("run the canopy binary");
    let stderr = String::from_utf8_lossy(&human.stderr);
    assert_eq!(human.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error[type-cycle]: type `a1` depends on itself"), "{stderr}");
    assert!(stderr.contains("1 error, 0 warnings"), "{stderr}");
}
