//! Runs one benchmark program once on one engine, for instruction-count profiling with
//! `valgrind --tool=callgrind`, which counts the same on a busy machine as on a quiet one.
//!
//! `cargo run --release -p canopy-interp-bench --example run_one -- ENGINE PROGRAM [REPEAT]`
//!
//! ENGINE is `canopy` or `wasmi`; PROGRAM one of the names in `docs/perf.md` (`fib`, `lz77`,
//! …). Instantiation is outside the measured `run` calls, so to count only the calls, compare
//! the totals of REPEAT = 1 and REPEAT = 2 (or use callgrind's `--toggle-collect`).

use std::process::ExitCode;

use canopy_interp_bench::{CanopyRunner, Program, Runner, WasmiRunner};

/// Instantiates `program` on `R` and calls its `run` `repeat` times; prints the last result.
fn run<R: Runner>(program: Program, repeat: u32) -> Result<(), String> {
    let mut runner: R = program.instantiate().map_err(|e| e.to_string())?;
    let args = program.bench_args();
    for _ in 0..repeat {
        let result = runner.call("run", &args).map_err(|e| e.to_string())?;
        if repeat == 1 {
            println!("{} on {}: {result}", program.name(), R::NAME);
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(engine), Some(name)) = (args.first(), args.get(1)) else {
        eprintln!("usage: run_one canopy|wasmi PROGRAM [REPEAT]");
        return ExitCode::from(2);
    };
    let Some(program) = Program::ALL.iter().copied().find(|p| p.name() == name) else {
        eprintln!("unknown program `{name}`");
        return ExitCode::from(2);
    };
    let repeat = match args.get(2).map(|r| r.parse::<u32>()) {
        None => 1,
        Some(Ok(r)) if r > 0 => r,
        Some(_) => {
            eprintln!("REPEAT must be a positive number");
            return ExitCode::from(2);
        }
    };
    let outcome = match engine.as_str() {
        "canopy" => run::<CanopyRunner>(program, repeat),
        "wasmi" => run::<WasmiRunner>(program, repeat),
        other => Err(format!("unknown engine `{other}` (canopy or wasmi)")),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}
