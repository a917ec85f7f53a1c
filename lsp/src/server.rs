//! [`Backend`]: the `tower-lsp-server` implementation of the language server.
//!
//! Every handler does three things: find the document's host in the [`Workspace`], convert the
//! LSP position to a byte offset, call the matching `canopy-wit-ide` (or `canopy-wit-fmt`)
//! function, and convert the answer back. State sits behind one mutex that is never held across
//! an `await`, so notifications apply in the order they arrive and requests see a consistent
//! workspace. Diagnostics go out in the order their states were computed: each computation
//! takes a sequence number under the state lock, and a document's diagnostics are sent only if
//! no later computation has sent that document's already (handlers of notifications may run
//! concurrently, so an older publication could otherwise arrive after a newer one and leave
//! stale errors on screen). Engine work runs under `catch_unwind`: a bug in a feature answers
//! one request with an internal error instead of killing the server.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use canopy_wit_analysis::{AnalysisHost, Features};
use canopy_wit_ide as ide;
use serde_json::Value;
use tower_lsp_server::gen_lsp_types::*;
use tower_lsp_server::jsonrpc::{self, ErrorCode};
use tower_lsp_server::{Client, LanguageServer};

use crate::convert::{self, Files};
use crate::diagnostics::{self, Publication, Publisher};
use crate::position::PositionEncoding;
use crate::semantic_tokens::{self, ResultCache};
use crate::uri;
use crate::workspace::{Workspace, key_of};

/// Characters after which the client asks for completions.
pub const COMPLETION_TRIGGERS: [&str; 5] = [".", "@", "/", ":", "{"];

/// The id of the dynamic registration of the `**/*.wit` file watcher.
const WATCHER_REGISTRATION_ID: &str = "canopy-wit-files";

/// Mutable server state.
#[derive(Default)]
struct State {
    workspace: Workspace,
    encoding: PositionEncoding,
    publisher: Publisher,
    tokens: ResultCache,
    /// Whether the client registers file watchers on request.
    dynamic_watchers: bool,
    /// Whether `initialize` has been answered: the protocol allows it once per session.
    initialized: bool,
    /// How many sets of publications have been computed (the last one's sequence number).
    publications_computed: u64,
}

/// The WIT language server.
pub struct Backend {
    client: Client,
    state: Mutex<State>,
    /// For each document, the sequence number of the computation whose diagnostics were sent
    /// last; held while sending, so one computation's publications go out together.
    sent: tokio::sync::Mutex<HashMap<Uri, u64>>,
    shutdown_requested: Arc<AtomicBool>,
}

impl Backend {
    /// A server talking to `client`; `shutdown_requested` is set when the client sends `shutdown`.
    pub fn new(client: Client, shutdown_requested: Arc<AtomicBool>) -> Self {
        Backend { client, state: Mutex::new(State::default()), sent: Default::default(), shutdown_requested }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Runs `f` on the host of `document` with a range converter. `Ok(None)` for unknown
    /// documents, an internal error if the engine panics.
    fn query<T>(
        &self,
        document: &Uri,
        f: impl FnOnce(&AnalysisHost, &str, &Files<'_>) -> Option<T>,
    ) -> jsonrpc::Result<Option<T>> {
        let state = self.state();
        let key = key_of(document);
        let Some(host) = state.workspace.host_for(&key) else {
            tracing::debug!("request for an unknown document {}", AsRef::<str>::as_ref(document));
            return Ok(None);
        };
        let files = Files::new(&state.workspace, state.encoding);
        catch_unwind(AssertUnwindSafe(|| f(host, &key, &files))).map_err(|panic| internal_error(&panic))
    }

    /// Like [`Backend::query`] at a position: `f` gets the byte offset.
    fn query_at<T>(
        &self,
        at: &TextDocumentPositionParams,
        f: impl FnOnce(&AnalysisHost, &str, ide::TextSize, &Files<'_>) -> Option<T>,
    ) -> jsonrpc::Result<Option<T>> {
        self.query(&at.text_document.uri, |host, key, files| {
            let offset = files.offset(key, at.position)?;
            f(host, key, offset, files)
        })
    }

    /// Applies a state change, then publishes the diagnostics that changed, and those of the
    /// documents in `touched` (the ones the change opened or edited) in any case.
    async fn update(&self, touched: &[Uri], change: impl FnOnce(&mut State)) {
        let (publications, sequence) = {
            let mut state = self.state();
            state.publications_computed += 1;
            let sequence = state.publications_computed;
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                change(&mut state);
                collect_publications(&mut state, touched)
            }));
            match outcome {
                Ok(publications) => (publications, sequence),
                Err(panic) => {
                    tracing::error!("{}", internal_error(&panic).message);
                    (Vec::new(), sequence)
                }
            }
        };
        let mut sent = self.sent.lock().await;
        for (publication, version) in publications {
            // A later state of this document has been sent: this one is stale.
            if sent.get(&publication.uri).is_some_and(|&later| later > sequence) {
                continue;
            }
            sent.insert(publication.uri.clone(), sequence);
            self.client.publish_diagnostics(publication.uri, publication.diagnostics, version).await;
        }
    }
}

/// The diagnostics that changed since the last publication, and those of the `touched`
/// documents, with the document versions.
fn collect_publications(state: &mut State, touched: &[Uri]) -> Vec<(Publication, Option<i32>)> {
    let files = Files::new(&state.workspace, state.encoding);
    let current = diagnostics::by_document(&files, &state.workspace.diagnostics());
    // Name the touched documents as the diagnostics do, so that each gets one publication.
    let touched: Vec<Uri> = touched.iter().map(|document| uri::from_analysis_path(&key_of(document))).collect();
    let publications = state.publisher.changes(current, &touched);
    publications
        .into_iter()
        .map(|publication| {
            let version = state.workspace.document(&key_of(&publication.uri)).map(|document| document.version);
            (publication, version)
        })
        .collect()
}

fn internal_error(panic: &Box<dyn std::any::Any + Send>) -> jsonrpc::Error {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string());
    jsonrpc::Error { code: ErrorCode::InternalError, message: format!("internal error: {what}").into(), data: None }
}

fn request_failed(message: String) -> jsonrpc::Error {
    jsonrpc::Error { code: ErrorCode::ServerError(-32803), message: message.into(), data: None }
}

/// The workspace folders of `initialize`: the folder list, else the root URI.
fn workspace_roots(params: &InitializeParams) -> Vec<PathBuf> {
    if let Some(WorkspaceFolders::WorkspaceFolderList(folders)) =
        &params.workspace_folders_initialize_params.workspace_folders
        && !folders.is_empty()
    {
        return folders.iter().filter_map(|folder| uri::to_path(&folder.uri)).collect();
    }
    #[expect(deprecated, reason = "clients without workspace folders still send the root URI")]
    let root_uri = params.root_uri.as_ref();
    root_uri.and_then(uri::to_path).into_iter().collect()
}

/// Feature gates from `initializationOptions`: `{ "features": ["x"], "allFeatures": true }`.
fn features_of(options: Option<&Value>) -> Features {
    let Some(options) = options else { return Features::default() };
    Features {
        enabled: options
            .get("features")
            .and_then(Value::as_array)
            .map(|names| names.iter().filter_map(|name| name.as_str().map(str::to_string)).collect())
            .unwrap_or_default(),
        all: options.get("allFeatures").and_then(Value::as_bool).unwrap_or(false),
    }
}

fn capabilities(encoding: PositionEncoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::Incremental),
                ..Default::default()
            }
            .into(),
        ),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(COMPLETION_TRIGGERS.iter().map(|c| c.to_string()).collect()),
            ..Default::default()
        }),
        hover_provider: Some(true.into()),
        declaration_provider: Some(true.into()),
        definition_provider: Some(true.into()),
        type_definition_provider: Some(true.into()),
        references_provider: Some(true.into()),
        document_highlight_provider: Some(true.into()),
        document_symbol_provider: Some(true.into()),
        workspace_symbol_provider: Some(true.into()),
        code_action_provider: Some(
            CodeActionOptions {
                code_action_kinds: Some(vec![CodeActionKind::QuickFix, CodeActionKind::SourceOrganizeImports]),
                ..Default::default()
            }
            .into(),
        ),
        document_formatting_provider: Some(true.into()),
        document_range_formatting_provider: Some(true.into()),
        rename_provider: Some(RenameOptions { prepare_provider: Some(true), ..Default::default() }.into()),
        folding_range_provider: Some(true.into()),
        selection_range_provider: Some(true.into()),
        semantic_tokens_provider: Some(
            SemanticTokensOptions {
                legend: semantic_tokens::legend(),
                range: Some(true.into()),
                full: Some(SemanticTokensFullDelta { delta: Some(true) }.into()),
                ..Default::default()
            }
            .into(),
        ),
        inlay_hint_provider: Some(true.into()),
        ..Default::default()
    }
}

fn navigation(files: &Files<'_>, targets: Vec<ide::NavigationTarget>) -> Vec<Location> {
    targets.iter().filter_map(|target| files.location(&target.path, target.focus_range)).collect()
}

#[expect(deprecated, reason = "the struct literal must name the deprecated `deprecated` field")]
fn document_symbol(files: &Files<'_>, key: &str, symbol: ide::DocumentSymbol) -> Option<DocumentSymbol> {
    let range = files.range(key, symbol.full_range)?;
    let mut selection_range = files.range(key, symbol.focus_range)?;
    if selection_range.start < range.start || selection_range.end > range.end {
        // LSP requires the name inside the whole range.
        selection_range = Range { start: range.start, end: range.start };
    }
    let children: Vec<DocumentSymbol> =
        symbol.children.into_iter().filter_map(|child| document_symbol(files, key, child)).collect();
    Some(DocumentSymbol {
        name: if symbol.name.is_empty() { "_".to_string() } else { symbol.name },
        detail: symbol.detail,
        kind: convert::symbol_kind(symbol.kind),
        range,
        selection_range,
        children: (!children.is_empty()).then_some(children),
        tags: None,
        deprecated: None,
    })
}

fn format_options(options: &FormattingOptions) -> canopy_wit_fmt::FormatOptions {
    canopy_wit_fmt::FormatOptions { indent: if options.tab_size == 0 { 4 } else { options.tab_size.min(16) } }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> jsonrpc::Result<InitializeResult> {
        let encoding = PositionEncoding::negotiate(
            params.capabilities.general.as_ref().and_then(|general| general.position_encodings.as_deref()),
        );
        let dynamic_watchers = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|workspace| workspace.did_change_watched_files.as_ref())
            .and_then(|watched| watched.dynamic_registration)
            .unwrap_or(false);
        let roots = workspace_roots(&params);
        tracing::info!("initialize: roots {roots:?}, position encoding {encoding:?}");
        {
            let mut state = self.state();
            // A second `initialize` is a protocol error; the first session's state stays as it is.
            if std::mem::replace(&mut state.initialized, true) {
                let mut error = jsonrpc::Error::invalid_request();
                error.message = "the server is already initialized".into();
                return Err(error);
            }
            state.encoding = encoding;
            state.dynamic_watchers = dynamic_watchers;
            state.workspace = Workspace::new(roots, features_of(params.initialization_options.as_ref()));
            state.workspace.reload();
        }
        Ok(InitializeResult {
            capabilities: capabilities(encoding),
            server_info: Some(ServerInfo {
                name: "canopy".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        if self.state().dynamic_watchers {
            let options = DidChangeWatchedFilesRegistrationOptions {
                watchers: vec![FileSystemWatcher { glob_pattern: "**/*.wit".to_string().into(), kind: None }],
            };
            let registration = Registration {
                id: WATCHER_REGISTRATION_ID.to_string(),
                method: "workspace/didChangeWatchedFiles".to_string(),
                register_options: serde_json::to_value(options).ok(),
            };
            // Answered by the client later; do not hold up the diagnostics below.
            let client = self.client.clone();
            tokio::spawn(async move {
                if let Err(error) = client.register_capability(vec![registration]).await {
                    tracing::warn!("the client refused the file watcher: {error}");
                }
            });
        }
        self.update(&[], |_| {}).await;
    }

    async fn shutdown(&self) -> jsonrpc::Result<()> {
        self.shutdown_requested.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let document = params.text_document;
        let touched = [document.uri.clone()];
        self.update(&touched, |state| {
            state.workspace.open(key_of(&document.uri), document.text, document.version);
        })
        .await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let key = key_of(&params.text_document.text_document_identifier.uri);
        let version = params.text_document.version;
        let touched = [params.text_document.text_document_identifier.uri.clone()];
        self.update(&touched, |state| {
            let encoding = state.encoding;
            if let Err(error) = state.workspace.change(&key, version, params.content_changes, encoding) {
                tracing::warn!("didChange: {error}");
            }
        })
        .await;
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let key = key_of(&params.text_document.uri);
        self.update(&[], |state| {
            state.workspace.close(&key);
            state.tokens.forget(&key);
        })
        .await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        tracing::debug!("{} watched file change(s)", params.changes.len());
        self.update(&[], |state| state.workspace.reload()).await;
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        let removed: Vec<PathBuf> =
            params.event.removed.iter().filter_map(|folder| uri::to_path(&folder.uri)).collect();
        let added: Vec<PathBuf> = params.event.added.iter().filter_map(|folder| uri::to_path(&folder.uri)).collect();
        self.update(&[], |state| {
            let mut roots: Vec<PathBuf> =
                state.workspace.roots().iter().filter(|root| !removed.contains(root)).cloned().collect();
            roots.extend(added);
            let old = std::mem::take(&mut state.workspace);
            state.workspace = old.with_roots(roots);
            state.workspace.reload();
        })
        .await;
    }

    async fn hover(&self, params: HoverParams) -> jsonrpc::Result<Option<Hover>> {
        self.query_at(&params.text_document_position_params, |host, key, offset, files| {
            let hover = ide::hover(host, key, offset)?;
            Some(Hover {
                contents: MarkupContent { kind: MarkupKind::Markdown, value: hover.markdown }.into(),
                range: files.range(key, hover.range),
            })
        })
    }

    async fn goto_definition(&self, params: DefinitionParams) -> jsonrpc::Result<Option<DefinitionResponse>> {
        self.query_at(&params.text_document_position_params, |host, key, offset, files| {
            let locations = navigation(files, ide::goto_definition(host, key, offset));
            (!locations.is_empty()).then(|| Definition::LocationList(locations).into())
        })
    }

    async fn goto_declaration(&self, params: DeclarationParams) -> jsonrpc::Result<Option<DeclarationResponse>> {
        self.query_at(&params.text_document_position_params, |host, key, offset, files| {
            let locations = navigation(files, ide::goto_declaration(host, key, offset));
            (!locations.is_empty()).then(|| Declaration::LocationList(locations).into())
        })
    }

    async fn goto_type_definition(
        &self,
        params: TypeDefinitionParams,
    ) -> jsonrpc::Result<Option<TypeDefinitionResponse>> {
        self.query_at(&params.text_document_position_params, |host, key, offset, files| {
            let locations = navigation(files, ide::goto_type_definition(host, key, offset));
            (!locations.is_empty()).then(|| Definition::LocationList(locations).into())
        })
    }

    async fn references(&self, params: ReferenceParams) -> jsonrpc::Result<Option<Vec<Location>>> {
        let include_declaration = params.context.include_declaration;
        self.query_at(&params.text_document_position_params, |host, key, offset, files| {
            let references = ide::find_references(host, key, offset, include_declaration);
            Some(references.iter().filter_map(|found| files.location(&found.path, found.range)).collect())
        })
    }

    async fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> jsonrpc::Result<Option<Vec<DocumentHighlight>>> {
        self.query_at(&params.text_document_position_params, |host, key, offset, files| {
            let highlights = ide::document_highlights(host, key, offset);
            Some(
                highlights
                    .into_iter()
                    .filter_map(|(range, kind)| {
                        Some(DocumentHighlight {
                            range: files.range(key, range)?,
                            kind: Some(match kind {
                                ide::HighlightKind::Read => DocumentHighlightKind::Read,
                                ide::HighlightKind::Write => DocumentHighlightKind::Write,
                            }),
                        })
                    })
                    .collect(),
            )
        })
    }

    async fn prepare_rename(&self, params: TextDocumentPositionParams) -> jsonrpc::Result<Option<PrepareRenameResult>> {
        let answer = self.query_at(&params, |host, key, offset, files| {
            Some(match ide::prepare_rename(host, key, offset) {
                Ok(range) => files.range(key, range).map(PrepareRenameResult::from).ok_or_else(String::new),
                Err(reason) => Err(reason),
            })
        })?;
        match answer {
            None => Ok(None),
            Some(Ok(range)) => Ok(Some(range)),
            Some(Err(reason)) if reason.is_empty() => Ok(None),
            Some(Err(reason)) => Err(request_failed(reason)),
        }
    }

    async fn rename(&self, params: RenameParams) -> jsonrpc::Result<Option<WorkspaceEdit>> {
        let new_name = params.new_name;
        let answer = self.query_at(&params.text_document_position_params, |host, key, offset, files| {
            Some(ide::rename(host, key, offset, &new_name).map(|change| files.workspace_edit(&change)))
        })?;
        match answer {
            None => Ok(None),
            Some(Ok(edit)) => Ok(Some(edit)),
            Some(Err(reason)) => Err(request_failed(reason)),
        }
    }

    async fn completion(&self, params: CompletionParams) -> jsonrpc::Result<Option<CompletionResponse>> {
        self.query_at(&params.text_document_position_params, |host, key, offset, _| {
            let items: Vec<CompletionItem> = ide::completions(host, key, offset)
                .into_iter()
                .map(|item| CompletionItem {
                    label: item.label,
                    kind: Some(convert::completion_kind(item.kind)),
                    detail: item.detail,
                    insert_text: item.insert_text,
                    ..Default::default()
                })
                .collect();
            Some(items.into())
        })
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> jsonrpc::Result<Option<DocumentSymbolResponse>> {
        self.query(&params.text_document.uri, |host, key, files| {
            let symbols: Vec<DocumentSymbol> = ide::document_symbols(host, key)
                .into_iter()
                .filter_map(|symbol| document_symbol(files, key, symbol))
                .collect();
            Some(symbols.into())
        })
    }

    async fn symbol(&self, params: WorkspaceSymbolParams) -> jsonrpc::Result<Option<WorkspaceSymbolResponse>> {
        let state = self.state();
        let files = Files::new(&state.workspace, state.encoding);
        let found = catch_unwind(AssertUnwindSafe(|| {
            let mut symbols: Vec<ide::WorkspaceSymbol> =
                state.workspace.hosts().flat_map(|host| ide::workspace_symbols(host, &params.query)).collect();
            symbols.dedup();
            symbols
        }))
        .map_err(|panic| internal_error(&panic))?;
        let symbols: Vec<WorkspaceSymbol> = found
            .into_iter()
            .filter_map(|symbol| {
                Some(WorkspaceSymbol {
                    location: files.location(&symbol.path, symbol.focus_range)?.into(),
                    data: None,
                    base_symbol_information: BaseSymbolInformation {
                        name: symbol.name,
                        kind: convert::symbol_kind(symbol.kind),
                        tags: None,
                        container_name: symbol.container,
                    },
                })
            })
            .collect();
        Ok(Some(symbols.into()))
    }

    async fn semantic_tokens_full(&self, params: SemanticTokensParams) -> jsonrpc::Result<Option<SemanticTokens>> {
        let key = key_of(&params.text_document.uri);
        let data = self.query(&params.text_document.uri, |host, key, files| {
            Some(semantic_tokens::encode(files, key, &ide::semantic_tokens(host, key, None)))
        })?;
        let Some(data) = data else { return Ok(None) };
        let result_id = self.state().tokens.store(&key, data.clone());
        Ok(Some(SemanticTokens { result_id: Some(result_id), data: semantic_tokens::to_lsp(&data) }))
    }

    async fn semantic_tokens_full_delta(
        &self,
        params: SemanticTokensDeltaParams,
    ) -> jsonrpc::Result<Option<SemanticTokensDeltaResponse>> {
        let key = key_of(&params.text_document.uri);
        let data = self.query(&params.text_document.uri, |host, key, files| {
            Some(semantic_tokens::encode(files, key, &ide::semantic_tokens(host, key, None)))
        })?;
        let Some(data) = data else { return Ok(None) };
        let mut state = self.state();
        let edits = state
            .tokens
            .previous(&key, &params.previous_result_id)
            .map(|previous| semantic_tokens::delta(previous, &data));
        let result_id = state.tokens.store(&key, data.clone());
        Ok(Some(match edits {
            Some(edits) => SemanticTokensDelta { result_id: Some(result_id), edits }.into(),
            None => SemanticTokens { result_id: Some(result_id), data: semantic_tokens::to_lsp(&data) }.into(),
        }))
    }

    async fn semantic_tokens_range(
        &self,
        params: SemanticTokensRangeParams,
    ) -> jsonrpc::Result<Option<SemanticTokens>> {
        self.query(&params.text_document.uri, |host, key, files| {
            let range = files.text_range(key, params.range)?;
            let data = semantic_tokens::encode(files, key, &ide::semantic_tokens(host, key, Some(range)));
            Some(SemanticTokens { result_id: None, data: semantic_tokens::to_lsp(&data) })
        })
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> jsonrpc::Result<Option<Vec<FoldingRange>>> {
        self.query(&params.text_document.uri, |host, key, files| {
            let ranges = ide::folding_ranges(host, key);
            Some(
                ranges
                    .into_iter()
                    .filter_map(|(range, kind)| {
                        let range = files.range(key, range)?;
                        (range.end.line > range.start.line).then(|| FoldingRange {
                            start_line: range.start.line,
                            end_line: range.end.line,
                            kind: convert::folding_kind(kind),
                            ..Default::default()
                        })
                    })
                    .collect(),
            )
        })
    }

    async fn selection_range(&self, params: SelectionRangeParams) -> jsonrpc::Result<Option<Vec<SelectionRange>>> {
        self.query(&params.text_document.uri, |host, key, files| {
            let mut out = Vec::with_capacity(params.positions.len());
            for position in &params.positions {
                let offset = files.offset(key, *position)?;
                let ranges = ide::selection_ranges(host, key, offset);
                let mut chain: Option<SelectionRange> = None;
                for range in ranges.iter().rev() {
                    let range = files.range(key, *range)?;
                    chain = Some(SelectionRange { range, parent: chain.map(Box::new) });
                }
                let clamped = files.position(key, offset)?;
                out.push(
                    chain.unwrap_or(SelectionRange { range: Range { start: clamped, end: clamped }, parent: None }),
                );
            }
            Some(out)
        })
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> jsonrpc::Result<Option<Vec<TextEdit>>> {
        let options = format_options(&params.options);
        self.query(&params.text_document.uri, |_, key, files| {
            let text = files.text(key)?;
            let full = files.full_range(key)?;
            Some(match canopy_wit_fmt::format_range(&text, full, &options) {
                Ok(edits) => {
                    edits.into_iter().filter_map(|edit| files.text_edit(key, edit.range, edit.new_text)).collect()
                }
                Err(error) => {
                    tracing::info!("formatting {key}: {error}");
                    Vec::new()
                }
            })
        })
    }

    async fn range_formatting(&self, params: DocumentRangeFormattingParams) -> jsonrpc::Result<Option<Vec<TextEdit>>> {
        let options = format_options(&params.options);
        self.query(&params.text_document.uri, |_, key, files| {
            let text = files.text(key)?;
            let range = files.text_range(key, params.range)?;
            Some(match canopy_wit_fmt::format_range(&text, range, &options) {
                Ok(edits) => {
                    edits.into_iter().filter_map(|edit| files.text_edit(key, edit.range, edit.new_text)).collect()
                }
                Err(error) => {
                    tracing::info!("formatting {key}: {error}");
                    Vec::new()
                }
            })
        })
    }

    async fn code_action(&self, params: CodeActionParams) -> jsonrpc::Result<Option<Vec<CodeActionResponse>>> {
        let only = params.context.only.clone();
        let context_diagnostics = params.context.diagnostics.clone();
        self.query(&params.text_document.uri, |host, key, files| {
            let range = files.text_range(key, params.range)?;
            let actions = ide::code_actions(host, key, range);
            Some(
                actions
                    .into_iter()
                    .filter(|action| {
                        only.as_ref().is_none_or(|kinds| {
                            kinds.iter().any(|kind| {
                                let kind: &str = kind.as_str();
                                action.kind == kind || action.kind.starts_with(&format!("{kind}."))
                            })
                        })
                    })
                    .map(|action| {
                        let fixed: Vec<Diagnostic> = context_diagnostics
                            .iter()
                            .filter(|diagnostic| {
                                action
                                    .diagnostic_code
                                    .as_deref()
                                    .is_some_and(|code| diagnostic.code == Some(Code::String(code.to_string())))
                            })
                            .cloned()
                            .collect();
                        CodeAction {
                            title: action.title,
                            kind: Some(CodeActionKind::from(action.kind)),
                            diagnostics: (!fixed.is_empty()).then_some(fixed),
                            edit: Some(files.workspace_edit(&action.edit)),
                            ..Default::default()
                        }
                        .into()
                    })
                    .collect(),
            )
        })
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> jsonrpc::Result<Option<Vec<InlayHint>>> {
        self.query(&params.text_document.uri, |host, key, files| {
            let range = files.text_range(key, params.range)?;
            Some(
                ide::inlay_hints(host, key, range)
                    .into_iter()
                    .filter_map(|hint| {
                        Some(InlayHint {
                            position: files.position(key, hint.offset)?,
                            label: hint.label.into(),
                            kind: None,
                            text_edits: None,
                            tooltip: None,
                            padding_left: Some(true),
                            padding_right: None,
                            data: None,
                        })
                    })
                    .collect(),
            )
        })
    }
}
