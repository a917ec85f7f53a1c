//! `canopy wast`: runs `.wast` spec scripts with the interpreter and prints per-file totals.

use std::path::PathBuf;

use canopy_interp::wast::run_file;
use clap::Args;

use crate::Status;

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
        println!(
            "{}: passed {}, failed {}, skipped {}",
            file.display(),
            report.passed,
            report.failed.len(),
            report.skipped.len()
        );
        for f in &report.failed {
            println!("  {}:{}: FAILED: {}", file.display(), f.line, f.message);
        }
        if args.verbose {
            for s in &report.skipped {
                println!("  {}:{}: skipped: {}", file.display(), s.line, s.reason);
            }
        }
        passed += report.passed;
        failed += report.failed.len();
        skipped += report.skipped.len();
    }
    println!("total: passed {passed}, failed {failed}, skipped {skipped}");
    if failed > 0 { Status::Failure } else { Status::Success }
}
