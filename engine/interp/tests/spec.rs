//! Runs the official core test suite: every `2.0/*.wast` file and the tail-call files of `3.0/`
//! must pass completely; the rest of `3.0/` must not fall below the per-file pass counts recorded
//! in `spec-3.0-baseline.txt` (a file that may only grow) and must have no failures (what is out of
//! scope is skipped).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use canopy_interp::wast::{ScriptConfig, ScriptReport, run_file};
use wasmparser::WasmFeatures;

fn suite_dir(version: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/wasm-testsuite").join(version)
}

fn wast_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "wast"))
        .collect();
    files.sort();
    files
}

fn print_report(name: &str, report: &ScriptReport) {
    println!(
        "{name:45} passed {:5}  failed {:4}  skipped {:4}",
        report.passed,
        report.failed.len(),
        report.skipped.len()
    );
    for f in report.failed.iter().take(5) {
        println!("    line {}: {}", f.line, f.message);
    }
    for s in report.skipped.iter().take(2) {
        println!("    skipped line {}: {}", s.line, s.reason);
    }
}

/// The configuration for a suite: its own feature set decides `assert_invalid` of modules the
/// interpreter does not support.
fn suite_config(features: WasmFeatures) -> ScriptConfig {
    ScriptConfig { features: Some(features), ..ScriptConfig::default() }
}

/// Runs every file, printing totals, and returns the reports by file name.
fn run_all(files: &[PathBuf], features: WasmFeatures) -> BTreeMap<String, ScriptReport> {
    run_all_with(files, &suite_config(features))
}

/// A suite's configuration without fuel: frames run in the loop an embedder without a fuel
/// limit gets (the threaded loop in optimized builds), and a watchdog bounds each command.
fn without_fuel(features: WasmFeatures) -> ScriptConfig {
    let mut config = ScriptConfig { timeout: Some(std::time::Duration::from_secs(60)), ..suite_config(features) };
    config.config.limits.fuel = None;
    config
}

/// [`run_all`] with the given configuration.
fn run_all_with(files: &[PathBuf], config: &ScriptConfig) -> BTreeMap<String, ScriptReport> {
    let mut reports = BTreeMap::new();
    for file in files {
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let report = run_file(file, config);
        print_report(&name, &report);
        reports.insert(name, report);
    }
    reports
}

#[test]
fn wasm_2_0_suite_passes_completely() {
    let reports = run_all(&wast_files(&suite_dir("2.0")), WasmFeatures::WASM2);
    assert!(reports.len() > 100, "expected the whole 2.0 suite, found {} files", reports.len());
    let failing: Vec<String> = reports
        .iter()
        .filter(|(_, r)| !r.failed.is_empty() || !r.skipped.is_empty())
        .map(|(n, r)| format!("{n}: {} failed, {} skipped", r.failed.len(), r.skipped.len()))
        .collect();
    let passed: usize = reports.values().map(|r| r.passed).sum();
    println!("2.0 total passed: {passed}");
    assert!(failing.is_empty(), "2.0 files not fully passing:\n{}", failing.join("\n"));
}

#[test]
fn wasm_2_0_and_tail_call_files_pass_without_fuel() {
    let mut reports = run_all_with(&wast_files(&suite_dir("2.0")), &without_fuel(WasmFeatures::WASM2));
    let tail_calls = ["return_call.wast", "return_call_indirect.wast"].map(|n| suite_dir("3.0").join(n));
    reports.extend(run_all_with(&tail_calls, &without_fuel(WasmFeatures::WASM3)));
    assert!(reports.len() > 100, "expected the whole 2.0 suite, found {} files", reports.len());
    let failing: Vec<String> = reports
        .iter()
        .filter(|(_, r)| !r.failed.is_empty() || !r.skipped.is_empty())
        .map(|(n, r)| format!("{n}: {} failed, {} skipped", r.failed.len(), r.skipped.len()))
        .collect();
    assert!(failing.is_empty(), "files not fully passing without fuel:\n{}", failing.join("\n"));
}

#[test]
fn tail_call_files_pass_completely() {
    for name in ["return_call.wast", "return_call_indirect.wast"] {
        let report = run_file(&suite_dir("3.0").join(name), &suite_config(WasmFeatures::WASM3));
        print_report(name, &report);
        assert!(report.failed.is_empty() && report.skipped.is_empty(), "{name}: {report:?}");
        assert!(report.passed > 10, "{name} ran too few commands");
    }
}

#[test]
fn wasm_3_0_suite_does_not_regress() {
    let baseline_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/spec-3.0-baseline.txt");
    let baseline_text = std::fs::read_to_string(&baseline_path).expect("baseline file");
    let reports = run_all(&wast_files(&suite_dir("3.0")), WasmFeatures::WASM3);
    let mut regressions = Vec::new();
    for line in baseline_text.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
        let mut parts = line.split_whitespace();
        let (Some(name), Some(count)) = (parts.next(), parts.next()) else { continue };
        let expected: usize = count.parse().expect("count in baseline");
        let actual = reports.get(name).map_or(0, |r| r.passed);
        if actual < expected {
            regressions.push(format!("{name}: {actual} passed, baseline {expected}"));
        }
    }
    let passed: usize = reports.values().map(|r| r.passed).sum();
    let failed: usize = reports.values().map(|r| r.failed.len()).sum();
    let skipped: usize = reports.values().map(|r| r.skipped.len()).sum();
    println!("3.0 totals: passed {passed}, failed {failed}, skipped {skipped}");
    assert!(regressions.is_empty(), "3.0 regressions:\n{}", regressions.join("\n"));
    // Out-of-scope commands are skipped, never failed: a failure is a bug in a supported feature
    // or in how the runner scopes a skipped module.
    let failing: Vec<String> = reports
        .iter()
        .flat_map(|(name, r)| r.failed.iter().map(move |f| format!("{name}:{}: {}", f.line, f.message)))
        .collect();
    assert!(failing.is_empty(), "3.0 failures:\n{}", failing.join("\n"));
}
