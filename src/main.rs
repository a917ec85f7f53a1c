//! `canopy`: the command-line front of Canopy, a toolkit for the WebAssembly Component Model.
//!
//! Each subcommand lives in its own module and returns an [`Status`]; `main` only parses the
//! command line and turns the status into the process's exit code. The engine crates do the
//! work: this crate reads files, calls them and prints.

mod check;
mod component_run;
mod guest;
mod lsp;
mod report;
mod run;
mod text;
mod wast;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Command-line interface of Canopy.
#[derive(Debug, Parser)]
#[command(name = "canopy", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check WIT packages and report their diagnostics.
    Check(check::CheckArgs),
    /// Run the WIT language server over stdin and stdout.
    Lsp(lsp::LspArgs),
    /// Run an export of a core WebAssembly module with the interpreter.
    Run(run::RunArgs),
    /// Run `.wast` spec scripts with the interpreter and print per-file totals.
    Wast(wast::WastArgs),
}

/// How a subcommand ended; each variant is one exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// Everything went well (exit code 0).
    Success,
    /// The command ran and found problems, e.g. WIT errors (exit code 1).
    Failure,
    /// The command could not do its job: bad arguments, unreadable paths (exit code 2, as clap
    /// uses for usage errors).
    Usage,
    /// The user stopped it with Ctrl-C (exit code 130, as shells report SIGINT).
    Interrupted,
    /// A guest asked to exit with this status (`wasi:cli/exit`).
    Exit(u8),
}

impl From<Status> for ExitCode {
    fn from(status: Status) -> ExitCode {
        match status {
            Status::Success => ExitCode::SUCCESS,
            Status::Failure => ExitCode::from(1),
            Status::Usage => ExitCode::from(2),
            Status::Interrupted => ExitCode::from(130),
            Status::Exit(code) => ExitCode::from(code),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let status = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Lsp(args) => lsp::run(args),
        Command::Run(args) => run::run(args),
        Command::Wast(args) => wast::run(args),
    };
    status.into()
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn command_line_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
