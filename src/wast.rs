//! `canopy wast`: runs `.wast` spec scripts (core modules on the interpreter, components on the
//! component runtime, mixed freely) and prints per-file totals.
//!
//! Each command of a script runs under a limit (`--fuel`, by default
//! [`DEFAULT_COMMAND_FUEL`], and `--timeout` when given), so a command that never ends fails on
//! its own and the rest of the script still runs.
//!
//! Paths and failure messages come from the scripts and are escaped before printing; a failure
//! without a line (an unreadable file) is printed without one.

use std::path::PathBuf;

use canopy_component::wast::run_file;
use canopy_interp::wast::{DEFAULT_COMMAND_FUEL, ScriptConfig};
use clap::Args;

use crate::Status;
use crate::text::{self, escape};

/// Arguments of `canopy wast`.
#[derive(Debug, Args)]
pub struct WastArgs {
    /// Scripts to run.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,

    /// Also list every skipped (out-of-scope) command with its reason.
    #[arg(long)]
    verbose: bool,

    /// Fuel each command gets afresh (one unit per call and per taken branch); a command that
    /// uses it up fails with a trap naming the limit. `0` means unlimited.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_COMMAND_FUEL)]
    fuel: u64,

    /// How long each command may run (`500ms`, `2s`, `1m`); a command that runs longer fails.
    #[arg(long, value_name = "DURATION", value_parser = crate::guest::parse_duration)]
    timeout: Option<std::time::Duration>,
}

/// Runs `canopy wast`.
pub fn run(args: WastArgs) -> Status {
    let mut config = ScriptConfig { timeout: args.timeout, ..ScriptConfig::default() };
    config.config.limits.fuel = (args.fuel > 0).then_some(args.fuel);
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    for file in &args.files {
        let report = run_file(file, &config);
        let name = escape(&file.display().to_string()).into_owned();
        println!("{name}: passed {}, failed {}, skipped {}", report.passed, report.failed.len(), report.skipped.len());
        for f in &report.failed {
            let message = text::message(&f.message);
            match f.line {
                0 => println!("  {name}: FAILED: {message}"),
                line => println!("  {name}:{line}: FAILED: {message}"),
            }
        }
        if args.verbose {
            for s in &report.skipped {
                println!("  {name}:{}: skipped: {}", s.line, text::message(&s.reason));
            }
        }
        passed += report.passed;
        failed += report.failed.len();
        skipped += report.skipped.len();
    }
    println!("total: passed {passed}, failed {failed}, skipped {skipped}");
    if failed > 0 { Status::Failure } else { Status::Success }
}
