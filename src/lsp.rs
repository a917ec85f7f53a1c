//! `canopy lsp`: runs the WIT language server over stdin and stdout.
//!
//! All the work is in the `canopy-lsp` crate; this module only maps the session's ending to an
//! exit status, as LSP asks (0 after `shutdown` then `exit`, 1 otherwise).

use clap::Args;

use crate::Status;

/// Arguments of `canopy lsp`.
#[derive(Debug, Args)]
pub struct LspArgs {
    /// Talk over stdin and stdout (the only transport; accepted because clients pass it).
    #[arg(long)]
    pub stdio: bool,
}

/// Serves one session on stdio.
pub fn run(_args: LspArgs) -> Status {
    match canopy_lsp::run_stdio() {
        canopy_lsp::Ending::Clean => Status::Success,
        canopy_lsp::Ending::Abrupt => Status::Failure,
    }
}
