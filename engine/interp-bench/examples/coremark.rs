//! CoreMark's real score on canopy-interp and on wasmi, and their ratio.
//!
//! `cargo run --release -p canopy-interp-bench --example coremark`
//!
//! Each engine runs `../shared/bench/coremark-minimal.wasm` once with the real clock
//! ([`Clock::real`]), so CoreMark calibrates itself and times about ten seconds of iterations
//! (more on a slow engine): expect the whole run to take half a minute or more. The benchmarks in
//! `benches/interp.rs` use a stepping clock instead, for fixed work. The exit status is non-zero if
//! either engine could not run CoreMark or reported a score of 0 (a failed self-check).

use std::process::ExitCode;
use std::time::Instant;

use canopy_interp_bench::{BenchError, CanopyRunner, Clock, Program, Runner, Value, WasmiRunner};

/// Runs CoreMark on `R` with the real clock and returns its score.
fn score<R: Runner>(wasm: &[u8]) -> Result<f32, BenchError> {
    let clock = Clock::real();
    let mut runner = R::instantiate_with_clock(wasm, &clock)?;
    let started = Instant::now();
    let result = runner.call("run", &[])?;
    let Value::F32(score) = result else {
        return Err(BenchError::new(R::NAME, "call run", format!("expected an f32 score, got {result}")));
    };
    eprintln!("{}: {score:.1} iterations/s ({:.1} s of running)", R::NAME, started.elapsed().as_secs_f64());
    Ok(score)
}

fn main() -> ExitCode {
    let wasm = match Program::CoreMark.wasm() {
        Ok(wasm) => wasm,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    let canopy = score::<CanopyRunner>(&wasm);
    let wasmi = score::<WasmiRunner>(&wasm);
    let mut ok = true;
    for (name, result) in [(CanopyRunner::NAME, &canopy), (WasmiRunner::NAME, &wasmi)] {
        match result {
            Ok(score) if *score > 0.0 => println!("{name:<8} CoreMark {score:>10.1}"),
            Ok(_) => {
                println!("{name:<8} CoreMark 0 (a self-check failed, or the clock is wrong)");
                ok = false;
            }
            Err(error) => {
                println!("{name:<8} not run: {error}");
                ok = false;
            }
        }
    }
    if let (Ok(canopy), Ok(wasmi)) = (canopy, wasmi)
        && canopy > 0.0
        && wasmi > 0.0
    {
        println!("canopy/wasmi score ratio {:.3} (wasmi is {:.2}× as fast)", canopy / wasmi, wasmi / canopy);
    }
    if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
