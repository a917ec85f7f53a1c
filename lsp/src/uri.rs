//! `file:` URIs to file-system paths and back.
//!
//! The analysis names files by the path strings the loader produced; the client names them by
//! URI. Only `file:` URIs map to paths: other schemes (`untitled:`, `git:`) have none, and the
//! server treats their documents as lone files keyed by the URI itself.

use std::path::{Path, PathBuf};

use tower_lsp_server::gen_lsp_types::Uri;

/// The file-system path of a `file:` URI (percent-decoded), or `None` for other schemes and
/// malformed URIs.
pub fn to_path(uri: &Uri) -> Option<PathBuf> {
    let text: &str = uri.as_ref();
    let rest = text.strip_prefix("file://")?;
    // Drop an authority ("file://localhost/x"); an empty one is the usual "file:///x".
    let path_part = match rest.find('/') {
        Some(slash) => &rest[slash..],
        None => return None,
    };
    let path_part = path_part.split(['?', '#']).next().unwrap_or(path_part);
    let decoded = percent_decode(path_part)?;
    Some(PathBuf::from(decoded))
}

/// The `file:` URI of an absolute path, percent-encoding what URIs do not allow literally.
pub fn from_path(path: &Path) -> Uri {
    let text = path.to_string_lossy();
    let mut uri = String::with_capacity(text.len() + 8);
    uri.push_str("file://");
    if !text.starts_with('/') {
        uri.push('/');
    }
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    Uri::from(uri)
}

/// The URI of a path as the analysis names it. Files decoded from binary packages carry a
/// `" (decoded)"` suffix; their diagnostics point at the binary file itself.
pub fn from_analysis_path(path: &str) -> Uri {
    if !path.starts_with('/') && !path.starts_with('\\') && !has_drive_prefix(path) {
        // A lone document keyed by a non-file URI.
        return Uri::from(path);
    }
    from_path(Path::new(path.strip_suffix(" (decoded)").unwrap_or(path)))
}

/// Whether `path` starts like a Windows absolute path (`C:`).
fn has_drive_prefix(path: &str) -> bool {
    let bytes = path.as_bytes();
    bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && !path.contains("://")
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_round_trip_through_paths() {
        let path = Path::new("/tmp/my ws/wit/a#b.wit");
        let uri = from_path(path);
        assert_eq!(uri.as_ref() as &str, "file:///tmp/my%20ws/wit/a%23b.wit");
        assert_eq!(to_path(&uri).as_deref(), Some(path));
    }

    #[test]
    fn non_file_uris_have_no_path() {
        assert_eq!(to_path(&Uri::from("untitled:Untitled-1")), None);
        assert_eq!(to_path(&Uri::from("file:///bad%zz")), None);
        assert_eq!(to_path(&Uri::from("file://localhost/x.wit")).as_deref(), Some(Path::new("/x.wit")));
    }

    #[test]
    fn decoded_binary_packages_point_at_the_binary() {
        let uri = from_analysis_path("/ws/wit/deps/io.wasm (decoded)");
        assert_eq!(uri.as_ref() as &str, "file:///ws/wit/deps/io.wasm");
        assert_eq!(from_analysis_path("untitled:Untitled-1").as_ref() as &str, "untitled:Untitled-1");
    }
}
