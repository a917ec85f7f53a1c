//! Positions across trivia edits: how a file's item tree survives typing in a comment.
//!
//! An edit that stays inside one trivia token (whitespace, a comment, a doc comment) and keeps
//! that token's kind cannot change what a file declares: the parser sees the same significant
//! tokens in the same shape (the incremental reparser proves this before it takes such an edit;
//! see `canopy_wit_syntax::Parse::reparse_incremental`). What it can change is where things are
//! (everything after the token moves by the change in its length) and the text of a doc comment.
//!
//! So the host keeps lowering such a file from its older *basis* parse and records, per edit, a
//! [`Shift`]. The item tree and the whole resolution stay as they were (salsa re-runs nothing
//! that depends on them), and the few consumers of positions and docs — the diagnostics handed
//! out and the analysis the IDE features read — move every position through [`Shifts::map`]
//! and read docs from the current text.
//!
//! Positions in an item tree are always token boundaries, never inside a trivia token, which is
//! what makes a shift exact: a boundary at or before the edited token's start stays, a boundary
//! at or after its end moves by the length change, and there is nothing in between.

use canopy_wit_syntax::{TextRange, TextSize};

/// How many shifts a file keeps before its item tree is rebuilt from the current parse (so
/// mapping a position stays cheap, whatever the length of an editing session).
pub const MAX_SHIFTS: usize = 32;

/// One trivia token's change of length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Shift {
    /// The token's start, in the text before this edit.
    pub token_start: TextSize,
    /// The token's end, in the text before this edit.
    pub token_end: TextSize,
    /// Its new length minus its old length.
    pub delta: i64,
}

impl Shift {
    fn apply(&self, position: TextSize) -> TextSize {
        if position >= self.token_end {
            let moved = i64::from(u32::from(position)) + self.delta;
            TextSize::new(u32::try_from(moved).unwrap_or(0))
        } else {
            position
        }
    }
}

/// The shifts from a file's basis parse to its current text, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Shifts(Vec<Shift>);

impl Shifts {
    /// Whether positions in the basis are positions in the current text.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The shifts, oldest first.
    pub fn as_slice(&self) -> &[Shift] {
        &self.0
    }

    /// Where a token boundary of the basis is in the current text.
    pub fn map(&self, position: TextSize) -> TextSize {
        self.0.iter().fold(position, |position, shift| shift.apply(position))
    }

    /// A basis range (between token boundaries) in the current text.
    pub fn map_range(&self, range: TextRange) -> TextRange {
        if self.0.is_empty() {
            return range;
        }
        let start = self.map(range.start());
        let end = self.map(range.end()).max(start);
        TextRange::new(start, end)
    }

    /// Records that the token at `token` (current coordinates) now has length `new_len`.
    /// Returns false, recording nothing, when the file already has [`MAX_SHIFTS`] shifts: the
    /// caller should then rebuild from the current parse instead.
    ///
    /// Consecutive edits of the same token (typing a comment) fold into one shift, and a shift
    /// that comes back to length zero (a character typed and deleted again) disappears.
    pub fn push(&mut self, token: TextRange, new_len: TextSize) -> bool {
        let delta = i64::from(u32::from(new_len)) - i64::from(u32::from(token.len()));
        if let Some(last) = self.0.last_mut() {
            let last_end_now = i64::from(u32::from(last.token_end)) + last.delta;
            if last.token_start == token.start() && last_end_now == i64::from(u32::from(token.end())) {
                last.delta += delta;
                if last.delta == 0 {
                    self.0.pop();
                }
                return true;
            }
        }
        if delta == 0 {
            return true;
        }
        if self.0.len() >= MAX_SHIFTS {
            return false;
        }
        self.0.push(Shift { token_start: token.start(), token_end: token.end(), delta });
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(start: u32, end: u32) -> TextRange {
        TextRange::new(start.into(), end.into())
    }

    #[test]
    fn boundaries_before_stay_and_after_move() {
        // A comment at 10..20 grows by 3.
        let mut shifts = Shifts::default();
        assert!(shifts.push(range(10, 20), 13.into()));
        assert_eq!(shifts.map(5.into()), 5.into());
        assert_eq!(shifts.map(10.into()), 10.into());
        assert_eq!(shifts.map(20.into()), 23.into());
        assert_eq!(shifts.map_range(range(4, 30)), range(4, 33));
    }

    #[test]
    fn typing_in_one_token_folds_and_undoing_it_clears() {
        let mut shifts = Shifts::default();
        assert!(shifts.push(range(10, 20), 11.into())); // 10..20 -> 10..21
        assert!(shifts.push(range(10, 21), 12.into())); // -> 10..22
        assert_eq!(shifts.as_slice().len(), 1);
        assert_eq!(shifts.map(20.into()), 22.into());
        assert!(shifts.push(range(10, 22), 10.into())); // back to 10 long: 10..20
        assert!(shifts.is_empty());
    }

    #[test]
    fn edits_of_several_tokens_compose_in_order() {
        let mut shifts = Shifts::default();
        assert!(shifts.push(range(50, 60), 5.into())); // shrinks by 5: 60 -> 55
        assert!(shifts.push(range(10, 20), 22.into())); // grows by 12: >= 20 moves
        assert_eq!(shifts.map(60.into()), 67.into());
        assert_eq!(shifts.map(50.into()), 62.into());
        assert_eq!(shifts.map(15.into()), 15.into());
    }

    #[test]
    fn a_full_list_refuses_more() {
        let mut shifts = Shifts::default();
        for i in 0..MAX_SHIFTS as u32 {
            assert!(shifts.push(range(100 * i, 100 * i + 10), 11.into()));
        }
        assert!(!shifts.push(range(10_000, 10_010), 11.into()));
        // A same-length edit needs no shift, even on a full list.
        assert!(shifts.push(range(20_000, 20_010), 10.into()));
    }
}
