//! `canopy wast`: runs `.wast` spec scripts with the interpreter and prints per-file totals.
//!
//! Paths and failure messages come from the scripts and are escaped before printing; a failure
//! without a line (an unreadable file) is printed without one.

use std::path::PathBuf;

use canopy_interp::wast::run_file;
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
}

/// Runs `canopy wast`.
pub fn run(args: WastArgs) -> Status {
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    for file in &args.files {
        let report = run_file(file);
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
