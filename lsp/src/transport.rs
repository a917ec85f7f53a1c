//! The byte stream between client and server: framing, validation, and the JSON-RPC errors for
//! messages that cannot be understood.
//!
//! `tower-lsp-server` stops reading its input after the first frame it cannot decode (bad JSON,
//! a bad `Content-Length`, a body that is not UTF-8), which would leave an editor with a dead
//! server. So the server owns the transport: [`FrameReader`] reads `Content-Length` frames from
//! the client, [`classify`] checks each body, and only well-formed JSON-RPC messages reach
//! `tower-lsp-server` (over an in-memory pipe). Everything else gets a JSON-RPC error response
//! (`-32700` parse error, `-32600` invalid request) and the server reads on. Both the forwarded
//! server output and these errors go to the client through one writer, frame by frame.

use std::borrow::Cow;

use serde_json::Value;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{self, ErrorCode, Id};

/// Longest header line accepted; longer lines are discarded as garbage.
const MAX_HEADER_LINE: usize = 8 * 1024;

/// Largest body accepted (a 10 MB file in a `didOpen` fits with room to spare).
pub const MAX_BODY: usize = 256 * 1024 * 1024;

/// Why a frame was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameError {
    /// Bytes that are not a header line (`Name: value`).
    Garbage,
    /// A header block without `Content-Length`.
    MissingContentLength,
    /// A `Content-Length` that is not a number, or is too large.
    BadContentLength(String),
    /// A `Content-Type` with a charset other than UTF-8.
    BadContentType(String),
}

impl FrameError {
    /// The message of the parse-error response.
    fn message(&self) -> String {
        match self {
            FrameError::Garbage => "Parse error: bytes outside a `Content-Length` frame were skipped".to_string(),
            FrameError::MissingContentLength => "Parse error: header block without `Content-Length`".to_string(),
            FrameError::BadContentLength(value) => format!("Parse error: invalid `Content-Length`: {value}"),
            FrameError::BadContentType(value) => {
                format!("Parse error: unsupported `Content-Type` (only utf-8 is accepted): {value}")
            }
        }
    }
}

/// One unit read from the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// A complete body.
    Body(Vec<u8>),
    /// Something that is not a frame; already skipped.
    Invalid(FrameError),
}

/// Reads `Content-Length`-framed messages and resynchronizes after garbage.
pub struct FrameReader<R> {
    input: R,
    /// A header line recovered from the tail of a garbage line, read before the input.
    pending_line: Option<String>,
}

impl<R: AsyncBufRead + Unpin> FrameReader<R> {
    /// A reader over buffered input.
    pub fn new(input: R) -> Self {
        FrameReader { input, pending_line: None }
    }

    /// The next frame, or `None` at the end of the input.
    pub async fn next_frame(&mut self) -> std::io::Result<Option<Frame>> {
        let mut content_length: Option<Result<usize, FrameError>> = None;
        let mut content_type_error = None;
        let mut saw_header = false;
        loop {
            let line = match self.pending_line.take() {
                Some(line) => line,
                None => match self.read_line().await? {
                    Some(line) => line,
                    None => return Ok(None),
                },
            };
            let trimmed = line.trim_end_matches(['\r', '\n']);
            if trimmed.is_empty() {
                if !saw_header {
                    continue; // Blank lines between frames.
                }
                break;
            }
            match trimmed.split_once(':') {
                Some((name, value)) if is_header_name(name) => {
                    saw_header = true;
                    let value = value.trim();
                    if name.eq_ignore_ascii_case("content-length") {
                        content_length = Some(match value.parse::<usize>() {
                            Ok(length) if length <= MAX_BODY => Ok(length),
                            Ok(length) => Err(FrameError::BadContentLength(format!("{length} exceeds {MAX_BODY}"))),
                            Err(_) => Err(FrameError::BadContentLength(value.to_string())),
                        });
                    } else if name.eq_ignore_ascii_case("content-type") && !is_utf8_content_type(value) {
                        content_type_error = Some(FrameError::BadContentType(value.to_string()));
                    }
                }
                _ => {
                    // Not a header: skip it, but a frame may start later on the same line
                    // (a body sent without headers, directly followed by a proper frame).
                    if let Some(at) = find_ignore_case(trimmed, "content-length:") {
                        self.pending_line = Some(trimmed[at..].to_string());
                    }
                    return Ok(Some(Frame::Invalid(FrameError::Garbage)));
                }
            }
        }
        let length = match content_length {
            None => return Ok(Some(Frame::Invalid(FrameError::MissingContentLength))),
            Some(Err(error)) => return Ok(Some(Frame::Invalid(error))),
            Some(Ok(length)) => length,
        };
        let mut body = vec![0; length];
        if self.input.read_exact(&mut body).await.is_err() {
            return Ok(None);
        }
        match content_type_error {
            Some(error) => Ok(Some(Frame::Invalid(error))),
            None => Ok(Some(Frame::Body(body))),
        }
    }

    /// One line (with its `\n`), at most [`MAX_HEADER_LINE`] bytes kept; `None` at the end.
    async fn read_line(&mut self) -> std::io::Result<Option<String>> {
        let mut line = Vec::new();
        loop {
            let available = self.input.fill_buf().await?;
            if available.is_empty() {
                return Ok(if line.is_empty() { None } else { Some(String::from_utf8_lossy(&line).into_owned()) });
            }
            let (chunk, done) = match available.iter().position(|&b| b == b'\n') {
                Some(newline) => (&available[..=newline], true),
                None => (available, false),
            };
            let consumed = chunk.len();
            let room = MAX_HEADER_LINE.saturating_sub(line.len());
            line.extend_from_slice(&chunk[..consumed.min(room)]);
            self.input.consume(consumed);
            if done {
                return Ok(Some(String::from_utf8_lossy(&line).into_owned()));
            }
        }
    }
}

fn is_header_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn is_utf8_content_type(value: &str) -> bool {
    value.split(';').skip(1).map(str::trim).filter_map(|param| param.strip_prefix("charset=")).all(|charset| {
        let charset = charset.trim_matches('"');
        charset.eq_ignore_ascii_case("utf-8") || charset.eq_ignore_ascii_case("utf8")
    })
}

fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack.to_ascii_lowercase().find(needle)
}

/// What to do with a frame's body.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// A JSON-RPC message the LSP service can take.
    Forward,
    /// Not acceptable: answer with this error response.
    Reject(jsonrpc::Response),
}

/// Checks that a body is a single JSON-RPC 2.0 request, notification or response.
pub fn classify(body: &[u8]) -> Verdict {
    let reject = |id: Id, code: ErrorCode, message: String| {
        Verdict::Reject(jsonrpc::Response::from_error(
            id,
            jsonrpc::Error { code, message: Cow::Owned(message), data: None },
        ))
    };
    let Ok(text) = std::str::from_utf8(body) else {
        return reject(Id::Null, ErrorCode::ParseError, "Parse error: the message body is not valid UTF-8".to_string());
    };
    let value: Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(error) => return reject(Id::Null, ErrorCode::ParseError, format!("Parse error: {error}")),
    };
    let Value::Object(object) = &value else {
        let what = if value.is_array() { "batches are not supported" } else { "the message is not an object" };
        return reject(Id::Null, ErrorCode::InvalidRequest, format!("Invalid request: {what}"));
    };
    let id = object.get("id").and_then(|id| serde_json::from_value::<Id>(id.clone()).ok()).unwrap_or(Id::Null);
    if object.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return reject(id, ErrorCode::InvalidRequest, "Invalid request: `jsonrpc` must be \"2.0\"".to_string());
    }
    if let Some(method) = object.get("method") {
        if !method.is_string() {
            return reject(id, ErrorCode::InvalidRequest, "Invalid request: `method` must be a string".to_string());
        }
        if object.contains_key("result") || object.contains_key("error") {
            return reject(id, ErrorCode::InvalidRequest, "Invalid request: both a method and a result".to_string());
        }
        if object.get("id").is_some_and(|raw| serde_json::from_value::<Id>(raw.clone()).is_err()) {
            return reject(
                Id::Null,
                ErrorCode::InvalidRequest,
                "Invalid request: `id` must be an integer or a string".to_string(),
            );
        }
        if let Some(params) = object.get("params")
            && !(params.is_object() || params.is_array())
        {
            return reject(id, ErrorCode::InvalidParams, "Invalid params: `params` must be an object or array".into());
        }
        return match serde_json::from_value::<jsonrpc::Request>(value.clone()) {
            Ok(_) => Verdict::Forward,
            Err(error) => reject(id, ErrorCode::InvalidRequest, format!("Invalid request: {error}")),
        };
    }
    match serde_json::from_value::<jsonrpc::Response>(value.clone()) {
        Ok(_) => Verdict::Forward,
        Err(error) => reject(id, ErrorCode::InvalidRequest, format!("Invalid request: {error}")),
    }
}

/// The bytes of one frame.
pub fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// The error response for a rejected frame.
fn framing_error(error: &FrameError) -> jsonrpc::Response {
    jsonrpc::Response::from_error(
        Id::Null,
        jsonrpc::Error { code: ErrorCode::ParseError, message: Cow::Owned(error.message()), data: None },
    )
}

fn encode_response(response: &jsonrpc::Response) -> Vec<u8> {
    // A response of plain data always serializes.
    frame(&serde_json::to_vec(response).unwrap_or_default())
}

/// Reads the client's frames; forwards good ones to `service_input`, answers bad ones through
/// `replies`. Returns at the end of the input.
pub async fn pump_client_input<R, W>(input: R, mut service_input: W, replies: mpsc::UnboundedSender<Vec<u8>>)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut reader = FrameReader::new(BufReader::with_capacity(64 * 1024, input));
    loop {
        let frame = match reader.next_frame().await {
            Ok(Some(frame)) => frame,
            Ok(None) => break,
            Err(error) => {
                tracing::error!("cannot read from the client: {error}");
                break;
            }
        };
        match frame {
            Frame::Invalid(error) => {
                tracing::warn!("rejected a frame: {}", error.message());
                let _ = replies.send(encode_response(&framing_error(&error)));
            }
            Frame::Body(body) => match classify(&body) {
                Verdict::Forward => {
                    if service_input.write_all(&self::frame(&body)).await.is_err()
                        || service_input.flush().await.is_err()
                    {
                        break;
                    }
                }
                Verdict::Reject(response) => {
                    tracing::warn!("rejected a message: {:?}", response.error().map(|e| e.message.clone()));
                    let _ = replies.send(encode_response(&response));
                }
            },
        }
    }
    let _ = service_input.shutdown().await;
}

/// Copies the service's frames to the writer channel, frame by frame, so that they never
/// interleave with error replies.
pub async fn pump_service_output<R: AsyncRead + Unpin>(output: R, frames: mpsc::UnboundedSender<Vec<u8>>) {
    let mut reader = FrameReader::new(BufReader::with_capacity(64 * 1024, output));
    while let Ok(Some(frame)) = reader.next_frame().await {
        if let Frame::Body(body) = frame
            && frames.send(self::frame(&body)).is_err()
        {
            break;
        }
    }
}

/// Writes frames to the client until every sender is gone.
pub async fn write_frames<W: AsyncWrite + Unpin>(mut output: W, mut frames: mpsc::UnboundedReceiver<Vec<u8>>) {
    while let Some(bytes) = frames.recv().await {
        if output.write_all(&bytes).await.is_err() || output.flush().await.is_err() {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn frames(input: &[u8]) -> Vec<Frame> {
        let mut reader = FrameReader::new(input);
        let mut out = Vec::new();
        while let Some(frame) = reader.next_frame().await.unwrap() {
            out.push(frame);
        }
        out
    }

    fn body(text: &str) -> Frame {
        Frame::Body(text.as_bytes().to_vec())
    }

    #[tokio::test]
    async fn reads_consecutive_frames() {
        let input = b"Content-Length: 2\r\n\r\n{}Content-Length: 4\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\nnull";
        assert_eq!(frames(input).await, vec![body("{}"), body("null")]);
    }

    #[tokio::test]
    async fn recovers_after_garbage_and_bad_headers() {
        let input = b"{\"raw\":1}Content-Length: 2\r\n\r\n{}X-Foo: 1\r\n\r\nContent-Length: abc\r\n\r\nContent-Length: 2\r\n\r\n[]";
        assert_eq!(
            frames(input).await,
            vec![
                Frame::Invalid(FrameError::Garbage),
                body("{}"),
                Frame::Invalid(FrameError::MissingContentLength),
                Frame::Invalid(FrameError::BadContentLength("abc".to_string())),
                body("[]"),
            ]
        );
    }

    #[tokio::test]
    async fn a_truncated_body_ends_the_input() {
        assert_eq!(frames(b"Content-Length: 10\r\n\r\n{}").await, vec![]);
    }

    fn rejection(body: &str) -> (i64, Id) {
        match classify(body.as_bytes()) {
            Verdict::Reject(response) => (response.error().unwrap().code.code(), response.id().clone()),
            Verdict::Forward => panic!("{body} was forwarded"),
        }
    }

    #[test]
    fn classifies_bodies() {
        assert_eq!(classify(br#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#), Verdict::Forward);
        assert_eq!(classify(br#"{"jsonrpc":"2.0","method":"initialized"}"#), Verdict::Forward);
        assert_eq!(classify(br#"{"jsonrpc":"2.0","id":"a","result":null}"#), Verdict::Forward);
        assert_eq!(rejection("{not json"), (-32700, Id::Null));
        assert_eq!(rejection("\u{0}\u{1}"), (-32700, Id::Null));
        assert_eq!(rejection("[1,2]"), (-32600, Id::Null));
        assert_eq!(rejection(r#"{"jsonrpc":"1.0","id":3,"method":"x"}"#), (-32600, Id::Number(3)));
        assert_eq!(rejection(r#"{"jsonrpc":"2.0","id":4,"method":7}"#), (-32600, Id::Number(4)));
        assert_eq!(rejection(r#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#), (-32600, Id::Null));
        assert_eq!(rejection(r#"{"jsonrpc":"2.0","id":5,"method":"x","params":3}"#), (-32602, Id::Number(5)));
        assert_eq!(rejection(r#"{"jsonrpc":"2.0","id":6,"error":{"code":"x"}}"#), (-32600, Id::Number(6)));
        assert!(matches!(classify(&[0xff, 0xfe]), Verdict::Reject(_)));
    }
}
