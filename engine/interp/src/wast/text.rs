//! Module text (`.wat`) to a binary, keeping enough of the text to say where a problem is: a
//! parse error at its line and column, and a validation error (given as a binary offset) at the
//! instruction, or else the function, it comes from. [`CodeMap`] does the second for any parsed
//! module, a `.wat` file's or a `(module …)` of a `.wast` script.

use std::ops::Range;

use wast::Wat;
use wast::core::{FuncKind, ModuleField, ModuleKind};
use wast::parser::{self, ParseBuffer};
use wast::token::Span;

use crate::error::Error;

/// A problem in module text, at a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
    /// What is wrong.
    pub message: String,
}

/// A module encoded from text, with the map from code offsets back to the text.
#[derive(Debug, Clone)]
pub struct TextModule {
    /// The binary.
    pub bytes: Vec<u8>,
    /// From code offsets to spans of the text.
    code: CodeMap,
    /// Start offset of each line of the text.
    line_starts: Vec<usize>,
    /// The text's length, for positions at its end.
    text: String,
}

impl TextModule {
    /// Parses and encodes `text` (a `(module …)` or a bare list of module fields).
    pub fn parse(text: &str) -> Result<TextModule, TextError> {
        let located = |e: wast::Error| {
            let (line, col) = e.span().linecol_in(text);
            TextError { line: line + 1, col: col + 1, message: e.message() }
        };
        let mut buf = ParseBuffer::new(text).map_err(located)?;
        buf.track_instr_spans(true);
        let mut wat = parser::parse::<Wat>(&buf).map_err(located)?;
        if let Wat::Component(_) = wat {
            return Err(TextError { line: 1, col: 1, message: "this is a component, not a core module".into() });
        }
        let bytes = wat.encode().map_err(located)?;
        let code = CodeMap::new(&wat, &bytes);
        let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        Ok(TextModule { bytes, code, line_starts, text: text.to_string() })
    }

    /// The 1-based line and column of the text a binary offset comes from: the instruction for
    /// an offset inside a function body, else that function; `None` outside the code section.
    pub fn locate(&self, offset: u64) -> Option<(usize, usize)> {
        Some(self.line_col(self.code.locate(offset)?.offset()))
    }

    fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let col = self.text.get(start..offset).map_or(offset - start, |s| s.chars().count());
        (line + 1, col + 1)
    }
}

/// From the code offsets of a module encoded from text back to the text: per defined function
/// its span and the span of each instruction (when the parse buffer tracked them), and per body
/// of the binary's code section its byte range and the offset of each operator.
#[derive(Debug, Clone, Default)]
pub(crate) struct CodeMap {
    funcs: Vec<(Span, Option<Box<[Span]>>)>,
    bodies: Vec<(Range<u64>, Vec<u64>)>,
}

impl CodeMap {
    /// The map of `wat`, already encoded as `bytes`. A module given in binary or quoted form has
    /// no text to map to: every offset is then unknown.
    pub(crate) fn new(wat: &Wat<'_>, bytes: &[u8]) -> CodeMap {
        let mut funcs = Vec::new();
        if let Wat::Module(module) = wat
            && let ModuleKind::Text(fields) = &module.kind
        {
            for field in fields {
                if let ModuleField::Func(func) = field
                    && let FuncKind::Inline { expression, .. } = &func.kind
                {
                    funcs.push((func.span, expression.instr_spans.clone()));
                }
            }
        }
        if funcs.is_empty() {
            return CodeMap::default();
        }
        let mut bodies = Vec::new();
        for payload in wasmparser::Parser::new(0).parse_all(bytes) {
            let Ok(wasmparser::Payload::CodeSectionEntry(body)) = payload else { continue };
            let mut offsets = Vec::new();
            if let Ok(reader) = body.get_operators_reader() {
                for op in reader.into_iter_with_offsets() {
                    match op {
                        Ok((_, offset)) => offsets.push(offset),
                        Err(_) => break,
                    }
                }
            }
            bodies.push((body.range(), offsets));
        }
        CodeMap { funcs, bodies }
    }

    /// The span of the text a binary offset comes from: the instruction for an offset inside a
    /// function body, else that function; `None` outside the code section.
    pub(crate) fn locate(&self, offset: u64) -> Option<Span> {
        let index = self.bodies.iter().position(|(range, _)| range.contains(&offset))?;
        let (func_span, instr_spans) = self.funcs.get(index)?;
        let ops = &self.bodies[index].1;
        let op = ops.partition_point(|&o| o <= offset).checked_sub(1);
        Some(match (op, instr_spans) {
            // The function's implicit `end` has no span of its own: its last instruction stands in.
            (Some(op), Some(spans)) => spans.get(op).or(spans.last()).copied().unwrap_or(*func_span),
            _ => *func_span,
        })
    }
}

/// A validation error without the binary offset a line and column replace.
pub fn without_offset(error: &Error) -> String {
    match error {
        Error::Invalid { message, .. } => format!("invalid module: {message}"),
        Error::Unsupported { message, .. } => format!("unsupported feature: {message}"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Engine, Module};

    #[test]
    fn parse_errors_have_lines_and_columns() {
        let err = TextModule::parse("(module\n  (func\n    i32.const 1 bogus))").unwrap_err();
        assert_eq!((err.line, err.col), (3, 17), "{err:?}");
    }

    #[test]
    fn validation_errors_map_to_the_instruction() {
        let text = "(module\n  (func (result i32) i32.const 0)\n  (func (result i32)\n    i64.const 1))";
        let module = TextModule::parse(text).unwrap();
        let Err(Error::Invalid { offset, .. }) = Module::new(&Engine::default(), &module.bytes) else {
            panic!("expected a validation error")
        };
        let (line, _) = module.locate(offset).expect("inside a body");
        assert_eq!(line, 4);
    }
}
