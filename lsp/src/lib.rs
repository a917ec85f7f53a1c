//! The WIT language server, run as `canopy lsp` over stdio.
//!
//! The protocol side of Canopy's editor support: [`transport`] owns the byte stream (framing,
//! validation, errors for bad input), `tower-lsp-server` dispatches the JSON-RPC messages to
//! [`Backend`] in [`server`], which keeps the [`workspace`] (disk layout plus open buffers) and
//! answers each request with `canopy-wit-ide` / `canopy-wit-fmt`, converting positions
//! ([`position`]), paths ([`uri`]), diagnostics ([`diagnostics`]) and semantic tokens
//! ([`semantic_tokens`]) between the engine's byte offsets and LSP's lines and characters.
//! Logs go to stderr through `tracing` (filter with `CANOPY_LOG`, e.g. `CANOPY_LOG=debug`).

pub mod convert;
pub mod diagnostics;
pub mod position;
pub mod semantic_tokens;
pub mod server;
pub mod transport;
pub mod uri;
pub mod workspace;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::mpsc;
use tower_lsp_server::{LspService, Server};

pub use server::Backend;

/// How a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// The client sent `shutdown` before `exit` or the end of the input.
    Clean,
    /// The input ended (or `exit` came) without `shutdown`.
    Abrupt,
}

/// Serves one LSP session over `input`/`output` until `exit` or the end of the input.
pub async fn serve<I, O>(input: I, output: O) -> Ending
where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite + Unpin + Send + 'static,
{
    let shutdown_requested = Arc::new(AtomicBool::new(false));
    let flag = shutdown_requested.clone();
    let (service, socket) = LspService::new(move |client| Backend::new(client, flag));
    let (to_service, service_input) = tokio::io::duplex(1 << 20);
    let (service_output, from_service) = tokio::io::duplex(1 << 20);
    let (frames, frames_to_write) = mpsc::unbounded_channel();
    let writer = tokio::spawn(transport::write_frames(output, frames_to_write));
    let reader = tokio::spawn(transport::pump_client_input(input, to_service, frames.clone()));
    let forwarder = tokio::spawn(transport::pump_service_output(from_service, frames));
    Server::new(service_input, service_output, socket).serve(service).await;
    reader.abort();
    let _ = reader.await;
    let _ = forwarder.await;
    let _ = writer.await;
    if shutdown_requested.load(Ordering::SeqCst) { Ending::Clean } else { Ending::Abrupt }
}

/// Runs the server on the process's stdin and stdout, logging to stderr.
pub fn run_stdio() -> Ending {
    let filter = tracing_subscriber::EnvFilter::try_from_env("CANOPY_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt().with_writer(std::io::stderr).with_env_filter(filter).with_ansi(false).try_init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            tracing::error!("cannot start the async runtime: {error}");
            return Ending::Abrupt;
        }
    };
    let ending = runtime.block_on(serve(tokio::io::stdin(), tokio::io::stdout()));
    // Blocking stdin reads cannot be interrupted; do not wait for them.
    runtime.shutdown_background();
    ending
}
