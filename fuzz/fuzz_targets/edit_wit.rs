//! Fuzz target: a text and a sequence of small edits, applied through `AnalysisHost::edit_file`
//! (the incremental path: single-token reparse, and the kept item tree for edits inside
//! trivia). After every edit the host must agree with a fresh host given the edited text:
//! the same diagnostics, the same analysis (every location, reference and doc), the same model.
//!
//! Input layout: two bytes of text length `n` (little endian), `n` bytes of text (lossy UTF-8),
//! then edits of four bytes each: a position (two bytes, taken modulo the text length and moved
//! back to a character boundary), a deletion length (one byte, modulo 4) and one byte to insert
//! (nothing for 0, else an ASCII character chosen from a small set of WIT-relevant ones).

#![no_main]

mod small_stack;

use canopy_wit_analysis::loader::Layout;
use canopy_wit_analysis::{AnalysisHost, Features};
use canopy_wit_syntax::{TextEdit, TextRange, TextSize};
use libfuzzer_sys::fuzz_target;

const PATH: &str = "fuzz/input.wit";
const INSERTS: &[u8] = b" \n\t/*xa-z;:{}()<>,.@%\"0";

fn host_of(text: &str) -> AnalysisHost {
    let mut host = AnalysisHost::new();
    host.set_layout(Layout::single_package(vec![(PATH.to_string(), text.to_string())]), Features::default());
    host
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fuzz_target!(|data: &[u8]| small_stack::run(|| body(data)));

/// The target's check of one input (run on a small stack).
fn body(data: &[u8]) {
    if data.len() < 2 {
        return;
    }
    let len = usize::from(u16::from_le_bytes([data[0], data[1]])).min(data.len() - 2);
    let text = String::from_utf8_lossy(&data[2..2 + len]).into_owned();
    let mut host = host_of(&text);
    host.diagnostics();
    for op in data[2 + len..].chunks_exact(4).take(16) {
        let current = host.file_text(PATH).expect("the file is in the layout");
        let start = floor_boundary(&current, usize::from(u16::from_le_bytes([op[0], op[1]])) % (current.len() + 1));
        let end = floor_boundary(&current, start + usize::from(op[2] % 4));
        let insert = match op[3] {
            0 => String::new(),
            byte => char::from(INSERTS[usize::from(byte) % INSERTS.len()]).to_string(),
        };
        let edit = TextEdit { delete: TextRange::new(TextSize::new(start as u32), TextSize::new(end as u32)), insert };
        assert!(host.edit_file(PATH, &edit), "a valid edit was refused: {edit:?}");
        let edited = host.file_text(PATH).unwrap();
        let fresh = host_of(&edited);
        assert_eq!(host.diagnostics(), fresh.diagnostics(), "diagnostics differ after {edit:?}");
        assert_eq!(host.analysis(), fresh.analysis(), "analyses differ after {edit:?}");
        assert_eq!(host.model(), fresh.model(), "models differ after {edit:?}");
    }
}
