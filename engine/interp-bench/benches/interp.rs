//! How fast is the interpreter next to wasmi, and what does an armed breakpoint cost?
//!
//! Every program of `programs/` runs its `run` export with its benchmark input (see
//! [`Program::bench_input`]) on three engines, each instantiated once outside the timing:
//!
//! - `canopy`: canopy-interp, no breakpoints (the fast loop);
//! - `canopy+breakpoint`: canopy-interp with a breakpoint armed in `never_called`, a function
//!   the program never calls (the checked loop, which tests for breakpoints before every
//!   instruction);
//! - `wasmi`: wasmi 2.0 with its default configuration.
//!
//! After the measurements the bench prints, per program, the medians and the ratios canopy /
//! wasmi and canopy+breakpoint / canopy, then their geometric means (medians read back from
//! criterion's `estimates.json`). Run it with `cargo bench -p canopy-interp-bench --bench interp`;
//! `docs/perf.md` records the figures.
//!
//! CoreMark runs with a stepping clock (see `Program::clock`), so each run is the same 30
//! iterations. An engine that cannot instantiate a program (an adapter without host functions
//! cannot give CoreMark its clock) is not measured on it; the bench says so, and the program is
//! left out of the geometric means. For CoreMark's real score use the `coremark` example.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use canopy_interp_bench::{BenchError, CanopyBreakpointRunner, CanopyRunner, Program, Runner, WasmiRunner};
use criterion::Criterion;

const ENGINES: [&str; 3] = [CanopyRunner::NAME, CanopyBreakpointRunner::NAME, WasmiRunner::NAME];

/// Benchmarks `run` of `program` on `R`, or returns why `R` cannot instantiate it.
fn bench_engine<R: Runner>(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    program: Program,
) -> Result<(), BenchError> {
    let mut runner = program.instantiate::<R>()?;
    let args = program.bench_args();
    // One checked call first: a benchmark of a wrong answer is worthless.
    runner.call("run", &args).unwrap_or_else(|e| panic!("{e}"));
    group.bench_function(R::NAME, |b| b.iter(|| runner.call("run", &args).expect("run")));
    Ok(())
}

/// Runs every group; returns the (program, error) pairs of the engines that could not be measured.
fn benches(c: &mut Criterion) -> Vec<(Program, BenchError)> {
    let mut not_measured = Vec::new();
    for program in Program::ALL {
        let mut group = c.benchmark_group(program.name());
        group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(4));
        let results = [
            bench_engine::<CanopyRunner>(&mut group, program),
            bench_engine::<CanopyBreakpointRunner>(&mut group, program),
            bench_engine::<WasmiRunner>(&mut group, program),
        ];
        for error in results.into_iter().filter_map(Result::err) {
            eprintln!("{}: not measured: {error}", program.name());
            not_measured.push((program, error));
        }
        group.finish();
    }
    not_measured
}

/// Where criterion writes its results: `$CRITERION_HOME`, or `target/criterion`.
fn output_directory() -> PathBuf {
    match std::env::var_os("CRITERION_HOME") {
        Some(home) => PathBuf::from(home),
        None => Path::new(env!("CARGO_TARGET_TMPDIR")).join("../criterion"),
    }
}

/// The median, in nanoseconds, of a benchmark measured by this process (newer than `since`).
fn median_ns(group: &str, engine: &str, since: SystemTime) -> Option<f64> {
    // Criterion replaces characters that are not path-safe; `+` is kept.
    let path = output_directory().join(group).join(engine).join("new/estimates.json");
    let modified = std::fs::metadata(&path).ok()?.modified().ok()?;
    if modified < since {
        return None;
    }
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    json["median"]["point_estimate"].as_f64()
}

fn geometric_mean(ratios: &[f64]) -> f64 {
    (ratios.iter().map(|r| r.ln()).sum::<f64>() / ratios.len() as f64).exp()
}

fn summary(since: SystemTime, not_measured: &[(Program, BenchError)]) {
    let mut vs_wasmi = Vec::new();
    let mut breakpoint_cost = Vec::new();
    println!(
        "\n{:<14} {:>12} {:>19} {:>12} {:>15} {:>19}",
        "program", "canopy", "canopy+breakpoint", "wasmi", "canopy/wasmi", "breakpoint/plain"
    );
    for program in Program::ALL {
        let [plain, armed, wasmi] = ENGINES.map(|engine| median_ns(program.name(), engine, since));
        let (Some(plain), Some(armed), Some(wasmi)) = (plain, armed, wasmi) else { continue };
        vs_wasmi.push(plain / wasmi);
        breakpoint_cost.push(armed / plain);
        println!(
            "{:<14} {:>9.2} ms {:>16.2} ms {:>9.2} ms {:>14.2}× {:>18.3}×",
            program.name(),
            plain / 1e6,
            armed / 1e6,
            wasmi / 1e6,
            plain / wasmi,
            armed / plain
        );
    }
    for (program, error) in not_measured {
        println!("{:<14} not measured on {}: {}", program.name(), error.engine, error.message);
    }
    if vs_wasmi.is_empty() {
        return; // `cargo test` mode, or a filter that ran no whole group.
    }
    println!(
        "geometric mean over {} of {} programs: canopy/wasmi {:.2}×, breakpoint/plain {:.3}×",
        vs_wasmi.len(),
        Program::ALL.len(),
        geometric_mean(&vs_wasmi),
        geometric_mean(&breakpoint_cost)
    );
}

fn main() {
    let start = SystemTime::now();
    let mut criterion = Criterion::default().output_directory(&output_directory()).configure_from_args();
    let not_measured = benches(&mut criterion);
    criterion.final_summary();
    summary(start, &not_measured);
}
