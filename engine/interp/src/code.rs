//! The internal code that function bodies are translated into: a register form over frame slots.
//!
//! A frame is a window of 64-bit slots: parameters and locals first, then the wasm operand stack
//! (a `v128` takes two slots). Because validation fixes the operand-stack height at every
//! instruction, every operand has a fixed slot, and each [`Instr`] names its operands and its
//! result by slot number (`I32Add { d, a, b }` is `slot[d] = slot[a] + slot[b]`). Constants
//! become immediates (`I32AddImm`), a test followed by a branch becomes one compare-and-branch
//! (`BrI32LtS`), and a result followed by `local.set` is written straight into the local.
//!
//! Each body is translated twice on demand, into the same slot layout:
//! - the *fast* form, with those fusions, run when nothing watches the function;
//! - the *debug* form, one stop point per wasm instruction (structural ones included), run while
//!   a breakpoint is armed in the function or the thread is stepping. Its stop points carry the
//!   operand types, so a paused frame shows its wasm operand stack.
//!
//! Every instruction that begins a wasm instruction's work (a *group* start) records that
//! instruction's code-section offset. At a group start the frame's slots hold exactly the wasm
//! state (locals, and the operand stack in its canonical slots), in both forms, so execution can
//! move between the forms at any group start the two share (function entry, after a call).
//! [`FuncCode::verify`] checks, before any code runs, that every slot and jump target an
//! instruction names lies inside its frame and body: the interpreter loop relies on it.

use crate::value::ValType;

/// A slot number, relative to the frame's first slot.
pub(crate) type Slot = u32;

/// Calls `$m!` with every register-form operator list, then `$extra` (tokens of the caller's):
///
/// - `binary`: non-trapping binary operators, `Name [ImmName] (a, b) => expression over the two
///   slots` (slots are `u64`; `i32` and `f32` values live zero-extended in the low half).
///   Operators with an immediate form take a constant right operand that fits in 32 bits
///   (sign-extended for `i64`).
/// - `compare`: integer comparisons, `Name NameImm BrName BrNameImm Negation (a, b) =>
///   condition`: a value form (`d = a < b`), an immediate form, and compare-and-branch forms
///   (`if a < b goto t`); `Negation` holds exactly when this one does not (for `if`, which
///   branches when its condition is false).
/// - `binary_trap`: `Name (a, b) => Result<u64, TrapKind>`.
/// - `unary`: `Name (a) => expression`; `unary_trap`: `Name (a) => Result<u64, TrapKind>`.
/// - `load`: `Name NameAt NameIdx bytes (b) => conversion of the little-endian bytes to a
///   slot`; the `At` form takes its address as `slot[a] + k` and the `Idx` form as
///   `slot[a] + slot[b]` (both wrapping, as the `i32.add` they replace does) at offset 0.
/// - `store`: `Name bytes` (the low `bytes` bytes of the value are written).
macro_rules! for_each_op {
    ($m:ident $(, $extra:tt)*) => {
        $m! {
            binary [
                I32Add [I32AddImm] (a, b) => (a as u32).wrapping_add(b as u32) as u64;
                I32Sub [I32SubImm] (a, b) => (a as u32).wrapping_sub(b as u32) as u64;
                I32Mul [I32MulImm] (a, b) => (a as u32).wrapping_mul(b as u32) as u64;
                I32And [I32AndImm] (a, b) => (a as u32 & b as u32) as u64;
                I32Or [I32OrImm] (a, b) => (a as u32 | b as u32) as u64;
                I32Xor [I32XorImm] (a, b) => (a as u32 ^ b as u32) as u64;
                I32Shl [I32ShlImm] (a, b) => (a as u32).wrapping_shl(b as u32) as u64;
                I32ShrS [I32ShrSImm] (a, b) => (a as i32).wrapping_shr(b as u32) as u32 as u64;
                I32ShrU [I32ShrUImm] (a, b) => (a as u32).wrapping_shr(b as u32) as u64;
                I32Rotl [I32RotlImm] (a, b) => (a as u32).rotate_left(b as u32 % 32) as u64;
                I32Rotr [I32RotrImm] (a, b) => (a as u32).rotate_right(b as u32 % 32) as u64;
                I64Add [I64AddImm] (a, b) => a.wrapping_add(b);
                I64Sub [I64SubImm] (a, b) => a.wrapping_sub(b);
                I64Mul [I64MulImm] (a, b) => a.wrapping_mul(b);
                I64And [I64AndImm] (a, b) => a & b;
                I64Or [I64OrImm] (a, b) => a | b;
                I64Xor [I64XorImm] (a, b) => a ^ b;
                I64Shl [I64ShlImm] (a, b) => a.wrapping_shl(b as u32);
                I64ShrS [I64ShrSImm] (a, b) => (a as i64).wrapping_shr(b as u32) as u64;
                I64ShrU [I64ShrUImm] (a, b) => a.wrapping_shr(b as u32);
                I64Rotl [I64RotlImm] (a, b) => a.rotate_left((b % 64) as u32);
                I64Rotr [I64RotrImm] (a, b) => a.rotate_right((b % 64) as u32);
                F32Eq [] (a, b) => (num::f32_of(a) == num::f32_of(b)) as u64;
                F32Ne [] (a, b) => (num::f32_of(a) != num::f32_of(b)) as u64;
                F32Lt [] (a, b) => (num::f32_of(a) < num::f32_of(b)) as u64;
                F32Gt [] (a, b) => (num::f32_of(a) > num::f32_of(b)) as u64;
                F32Le [] (a, b) => (num::f32_of(a) <= num::f32_of(b)) as u64;
                F32Ge [] (a, b) => (num::f32_of(a) >= num::f32_of(b)) as u64;
                F64Eq [] (a, b) => (f64::from_bits(a) == f64::from_bits(b)) as u64;
                F64Ne [] (a, b) => (f64::from_bits(a) != f64::from_bits(b)) as u64;
                F64Lt [] (a, b) => (f64::from_bits(a) < f64::from_bits(b)) as u64;
                F64Gt [] (a, b) => (f64::from_bits(a) > f64::from_bits(b)) as u64;
                F64Le [] (a, b) => (f64::from_bits(a) <= f64::from_bits(b)) as u64;
                F64Ge [] (a, b) => (f64::from_bits(a) >= f64::from_bits(b)) as u64;
                F32Add [] (a, b) => num::f32_bits(num::f32_of(a) + num::f32_of(b));
                F32Sub [] (a, b) => num::f32_bits(num::f32_of(a) - num::f32_of(b));
                F32Mul [] (a, b) => num::f32_bits(num::f32_of(a) * num::f32_of(b));
                F32Div [] (a, b) => num::f32_bits(num::f32_of(a) / num::f32_of(b));
                F32Min [] (a, b) => num::f32_bits(num::f32_min(num::f32_of(a), num::f32_of(b)));
                F32Max [] (a, b) => num::f32_bits(num::f32_max(num::f32_of(a), num::f32_of(b)));
                F32Copysign [] (a, b) => ((a as u32 & 0x7fff_ffff) | (b as u32 & 0x8000_0000)) as u64;
                F64Add [] (a, b) => (f64::from_bits(a) + f64::from_bits(b)).to_bits();
                F64Sub [] (a, b) => (f64::from_bits(a) - f64::from_bits(b)).to_bits();
                F64Mul [] (a, b) => (f64::from_bits(a) * f64::from_bits(b)).to_bits();
                F64Div [] (a, b) => (f64::from_bits(a) / f64::from_bits(b)).to_bits();
                F64Min [] (a, b) => num::f64_min(f64::from_bits(a), f64::from_bits(b)).to_bits();
                F64Max [] (a, b) => num::f64_max(f64::from_bits(a), f64::from_bits(b)).to_bits();
                F64Copysign [] (a, b) => (a & 0x7fff_ffff_ffff_ffff) | (b & 0x8000_0000_0000_0000);
            ]
            compare [
                I32Eq I32EqImm BrI32Eq BrI32EqImm I32Ne (a, b) => a as u32 == b as u32;
                I32Ne I32NeImm BrI32Ne BrI32NeImm I32Eq (a, b) => a as u32 != b as u32;
                I32LtS I32LtSImm BrI32LtS BrI32LtSImm I32GeS (a, b) => (a as i32) < (b as i32);
                I32LtU I32LtUImm BrI32LtU BrI32LtUImm I32GeU (a, b) => (a as u32) < (b as u32);
                I32GtS I32GtSImm BrI32GtS BrI32GtSImm I32LeS (a, b) => (a as i32) > (b as i32);
                I32GtU I32GtUImm BrI32GtU BrI32GtUImm I32LeU (a, b) => (a as u32) > (b as u32);
                I32LeS I32LeSImm BrI32LeS BrI32LeSImm I32GtS (a, b) => (a as i32) <= (b as i32);
                I32LeU I32LeUImm BrI32LeU BrI32LeUImm I32GtU (a, b) => (a as u32) <= (b as u32);
                I32GeS I32GeSImm BrI32GeS BrI32GeSImm I32LtS (a, b) => (a as i32) >= (b as i32);
                I32GeU I32GeUImm BrI32GeU BrI32GeUImm I32LtU (a, b) => (a as u32) >= (b as u32);
                I64Eq I64EqImm BrI64Eq BrI64EqImm I64Ne (a, b) => a == b;
                I64Ne I64NeImm BrI64Ne BrI64NeImm I64Eq (a, b) => a != b;
                I64LtS I64LtSImm BrI64LtS BrI64LtSImm I64GeS (a, b) => (a as i64) < (b as i64);
                I64LtU I64LtUImm BrI64LtU BrI64LtUImm I64GeU (a, b) => a < b;
                I64GtS I64GtSImm BrI64GtS BrI64GtSImm I64LeS (a, b) => (a as i64) > (b as i64);
                I64GtU I64GtUImm BrI64GtU BrI64GtUImm I64LeU (a, b) => a > b;
                I64LeS I64LeSImm BrI64LeS BrI64LeSImm I64GtS (a, b) => (a as i64) <= (b as i64);
                I64LeU I64LeUImm BrI64LeU BrI64LeUImm I64GtU (a, b) => a <= b;
                I64GeS I64GeSImm BrI64GeS BrI64GeSImm I64LtS (a, b) => (a as i64) >= (b as i64);
                I64GeU I64GeUImm BrI64GeU BrI64GeUImm I64LtU (a, b) => a >= b;
            ]
            binary_trap [
                I32DivS (a, b) => num::i32_div_s(a, b);
                I32DivU (a, b) => num::i32_div_u(a, b);
                I32RemS (a, b) => num::i32_rem_s(a, b);
                I32RemU (a, b) => num::i32_rem_u(a, b);
                I64DivS (a, b) => num::i64_div_s(a, b);
                I64DivU (a, b) => num::i64_div_u(a, b);
                I64RemS (a, b) => num::i64_rem_s(a, b);
                I64RemU (a, b) => num::i64_rem_u(a, b);
            ]
            unary [
                I32Eqz (a) => (a as u32 == 0) as u64;
                I64Eqz (a) => (a == 0) as u64;
                I32Clz (a) => (a as u32).leading_zeros() as u64;
                I32Ctz (a) => (a as u32).trailing_zeros() as u64;
                I32Popcnt (a) => (a as u32).count_ones() as u64;
                I64Clz (a) => a.leading_zeros() as u64;
                I64Ctz (a) => a.trailing_zeros() as u64;
                I64Popcnt (a) => a.count_ones() as u64;
                F32Abs (a) => (a as u32 & 0x7fff_ffff) as u64;
                F32Neg (a) => (a as u32 ^ 0x8000_0000) as u64;
                F32Ceil (a) => num::f32_quiet(num::f32_of(a).ceil());
                F32Floor (a) => num::f32_quiet(num::f32_of(a).floor());
                F32Trunc (a) => num::f32_quiet(num::f32_of(a).trunc());
                F32Nearest (a) => num::f32_quiet(num::f32_of(a).round_ties_even());
                F32Sqrt (a) => num::f32_quiet(num::f32_of(a).sqrt());
                F64Abs (a) => a & 0x7fff_ffff_ffff_ffff;
                F64Neg (a) => a ^ 0x8000_0000_0000_0000;
                F64Ceil (a) => num::f64_quiet(f64::from_bits(a).ceil());
                F64Floor (a) => num::f64_quiet(f64::from_bits(a).floor());
                F64Trunc (a) => num::f64_quiet(f64::from_bits(a).trunc());
                F64Nearest (a) => num::f64_quiet(f64::from_bits(a).round_ties_even());
                F64Sqrt (a) => num::f64_quiet(f64::from_bits(a).sqrt());
                I32WrapI64 (a) => a as u32 as u64;
                I64ExtendI32S (a) => a as i32 as i64 as u64;
                I64ExtendI32U (a) => a as u32 as u64;
                F32ConvertI32S (a) => num::f32_bits(a as i32 as f32);
                F32ConvertI32U (a) => num::f32_bits(a as u32 as f32);
                F32ConvertI64S (a) => num::f32_bits(a as i64 as f32);
                F32ConvertI64U (a) => num::f32_bits(a as f32);
                F32DemoteF64 (a) => num::f32_bits(f64::from_bits(a) as f32);
                F64ConvertI32S (a) => (a as i32 as f64).to_bits();
                F64ConvertI32U (a) => (a as u32 as f64).to_bits();
                F64ConvertI64S (a) => (a as i64 as f64).to_bits();
                F64ConvertI64U (a) => (a as f64).to_bits();
                F64PromoteF32 (a) => (num::f32_of(a) as f64).to_bits();
                I32ReinterpretF32 (a) => a;
                I64ReinterpretF64 (a) => a;
                F32ReinterpretI32 (a) => a;
                F64ReinterpretI64 (a) => a;
                I32Extend8S (a) => a as i8 as i32 as u32 as u64;
                I32Extend16S (a) => a as i16 as i32 as u32 as u64;
                I64Extend8S (a) => a as i8 as i64 as u64;
                I64Extend16S (a) => a as i16 as i64 as u64;
                I64Extend32S (a) => a as i32 as i64 as u64;
                I32TruncSatF32S (a) => num::f32_of(a) as i32 as u32 as u64;
                I32TruncSatF32U (a) => num::f32_of(a) as u32 as u64;
                I32TruncSatF64S (a) => f64::from_bits(a) as i32 as u32 as u64;
                I32TruncSatF64U (a) => f64::from_bits(a) as u32 as u64;
                I64TruncSatF32S (a) => num::f32_of(a) as i64 as u64;
                I64TruncSatF32U (a) => num::f32_of(a) as u64;
                I64TruncSatF64S (a) => f64::from_bits(a) as i64 as u64;
                I64TruncSatF64U (a) => f64::from_bits(a) as u64;
                RefIsNull (a) => (a == 0) as u64;
            ]
            unary_trap [
                I32TruncF32S (a) => num::trunc_f32_i32(num::f32_of(a)).map(|v| v as u32 as u64);
                I32TruncF32U (a) => num::trunc_f32_u32(num::f32_of(a)).map(|v| v as u64);
                I32TruncF64S (a) => num::trunc_f64_i32(f64::from_bits(a)).map(|v| v as u32 as u64);
                I32TruncF64U (a) => num::trunc_f64_u32(f64::from_bits(a)).map(|v| v as u64);
                I64TruncF32S (a) => num::trunc_f32_i64(num::f32_of(a)).map(|v| v as u64);
                I64TruncF32U (a) => num::trunc_f32_u64(num::f32_of(a));
                I64TruncF64S (a) => num::trunc_f64_i64(f64::from_bits(a)).map(|v| v as u64);
                I64TruncF64U (a) => num::trunc_f64_u64(f64::from_bits(a));
            ]
            load [
                I32Load I32LoadAt I32LoadIdx 4 (b) => u32::from_le_bytes(b) as u64;
                I64Load I64LoadAt I64LoadIdx 8 (b) => u64::from_le_bytes(b);
                F32Load F32LoadAt F32LoadIdx 4 (b) => u32::from_le_bytes(b) as u64;
                F64Load F64LoadAt F64LoadIdx 8 (b) => u64::from_le_bytes(b);
                I32Load8S I32Load8SAt I32Load8SIdx 1 (b) => i8::from_le_bytes(b) as i32 as u32 as u64;
                I32Load8U I32Load8UAt I32Load8UIdx 1 (b) => u8::from_le_bytes(b) as u64;
                I32Load16S I32Load16SAt I32Load16SIdx 2 (b) => i16::from_le_bytes(b) as i32 as u32 as u64;
                I32Load16U I32Load16UAt I32Load16UIdx 2 (b) => u16::from_le_bytes(b) as u64;
                I64Load8S I64Load8SAt I64Load8SIdx 1 (b) => i8::from_le_bytes(b) as i64 as u64;
                I64Load8U I64Load8UAt I64Load8UIdx 1 (b) => u8::from_le_bytes(b) as u64;
                I64Load16S I64Load16SAt I64Load16SIdx 2 (b) => i16::from_le_bytes(b) as i64 as u64;
                I64Load16U I64Load16UAt I64Load16UIdx 2 (b) => u16::from_le_bytes(b) as u64;
                I64Load32S I64Load32SAt I64Load32SIdx 4 (b) => i32::from_le_bytes(b) as i64 as u64;
                I64Load32U I64Load32UAt I64Load32UIdx 4 (b) => u32::from_le_bytes(b) as u64;
            ]
            store [
                I32Store 4; I64Store 8; F32Store 4; F64Store 8;
                I32Store8 1; I32Store16 2; I64Store8 1; I64Store16 2; I64Store32 4;
            ]
            $($extra)*
        }
    };
}
pub(crate) use for_each_op;

macro_rules! define_instr {
    (
        binary [$($bin:ident [$($bin_imm:ident)?] ($ba:ident, $bb:ident) => $be:expr;)*]
        compare [$($cmp:ident $cmp_imm:ident $br:ident $br_imm:ident $neg:ident ($ca:ident, $cb:ident) => $ce:expr;)*]
        binary_trap [$($bin_trap:ident ($ta:ident, $tb:ident) => $te:expr;)*]
        unary [$($un:ident ($ua:ident) => $ue:expr;)*]
        unary_trap [$($un_trap:ident ($va:ident) => $ve:expr;)*]
        load [$($load:ident $load_at:ident $load_idx:ident $lbytes:literal ($lb:ident) => $le:expr;)*]
        store [$($store:ident $sbytes:literal;)*]
    ) => {
        /// One internal instruction. `d` is the slot written, `a`, `b`, `c` slots read, `imm` a
        /// constant operand (sign-extended to 64 bits), `t` a jump target (instruction index),
        /// `off` a memory instruction's static offset.
        #[derive(Debug, Clone, Copy, PartialEq)]
        #[allow(missing_docs)]
        pub(crate) enum Instr {
            $($bin { d: Slot, a: Slot, b: Slot },)*
            $($($bin_imm { d: Slot, a: Slot, imm: i32 },)?)*
            $($cmp { d: Slot, a: Slot, b: Slot },)*
            $($cmp_imm { d: Slot, a: Slot, imm: i32 },)*
            $($br { a: Slot, b: Slot, t: u32 },)*
            $($br_imm { a: Slot, imm: i32, t: u32 },)*
            $($bin_trap { d: Slot, a: Slot, b: Slot },)*
            $($un { d: Slot, a: Slot },)*
            $($un_trap { d: Slot, a: Slot },)*
            $($load { d: Slot, a: Slot, off: u32 },)*
            $($load_at { d: Slot, a: Slot, k: i32 },)*
            $($load_idx { d: Slot, a: Slot, b: Slot },)*
            $($store { a: Slot, b: Slot, off: u32 },)*
            /// Does nothing: the stop point of a structural instruction in the debug form.
            Nop,
            Unreachable,
            /// `slot[d] = slot[a]`.
            Copy { d: Slot, a: Slot },
            /// `slot[d] = slot[d2] = slot[a]` (`local.tee` of a value not yet in its slot).
            Copy2 { d: Slot, d2: Slot, a: Slot },
            /// Copies a `v128` (two slots).
            CopyWide { d: Slot, a: Slot },
            /// `slot[d] = imm` (32-bit constants, zero-extended).
            Const32 { d: Slot, imm: u32 },
            /// `slot[d] = imm`.
            Const64 { d: Slot, imm: u64 },
            /// `slot[d..d + 2] = FuncCode::v128_consts[i]`.
            ConstWide { d: Slot, i: u32 },
            Br { t: u32 },
            /// Branches when `slot[a]` (an `i32`) is non-zero.
            BrNez { a: Slot, t: u32 },
            /// Branches when `slot[a]` (an `i32`) is zero.
            BrEqz { a: Slot, t: u32 },
            /// Branches when `slot[a]` (an `i64`) is non-zero.
            BrI64Nez { a: Slot, t: u32 },
            /// Branches when `slot[a]` (an `i64`) is zero.
            BrI64Eqz { a: Slot, t: u32 },
            /// Jumps to `FuncCode::br_tables[start + min(slot[a], len - 1)]`.
            BrTable { a: Slot, start: u32, len: u32 },
            /// Returns; the results are already in the frame's first slots.
            Return,
            /// Copies `slot[a]` to slot 0 and returns.
            Return1 { a: Slot },
            /// Calls module function `func`; its arguments start at slot `at`, where its results
            /// will be.
            Call { func: u32, at: Slot },
            /// `call_indirect` with `FuncCode::indirect[i]`; `a` holds the table index.
            CallIndirect { i: u32, a: Slot, at: Slot },
            /// A tail call: the arguments at `at` become the new frame's first slots.
            ReturnCall { func: u32, at: Slot },
            ReturnCallIndirect { i: u32, a: Slot, at: Slot },
            /// `slot[d] = if slot[c] != 0 { slot[d] } else { slot[b] }`.
            Select { d: Slot, b: Slot, c: Slot },
            /// `select` on `v128` operands (two slots each).
            SelectWide { d: Slot, b: Slot, c: Slot },
            GlobalGet { d: Slot, g: u32 },
            GlobalSet { a: Slot, g: u32 },
            /// A `v128` global.
            GlobalGetWide { d: Slot, g: u32 },
            GlobalSetWide { a: Slot, g: u32 },
            /// An instruction run as a stack operation: `FuncCode::stack_ops[i]`, over the operand
            /// stack whose top is below slot `h`.
            Stack { i: u32, h: Slot },
        }

        impl Instr {
            /// The compare-and-branch form of a comparison, if `self` is one.
            pub(crate) fn compare_and_branch(self, t: u32) -> Option<Instr> {
                Some(match self {
                    $(Instr::$cmp { a, b, .. } => Instr::$br { a, b, t },)*
                    $(Instr::$cmp_imm { a, imm, .. } => Instr::$br_imm { a, imm, t },)*
                    Instr::I32Eqz { a, .. } => Instr::BrEqz { a, t },
                    Instr::I64Eqz { a, .. } => Instr::BrI64Eqz { a, t },
                    _ => return None,
                })
            }

            /// The comparison that holds exactly when `self` does not, if `self` is one.
            pub(crate) fn negated_compare(self) -> Option<Instr> {
                Some(match self {
                    $(Instr::$cmp { d, a, b } => Instr::$neg { d, a, b },)*
                    $(Instr::$cmp_imm { d, a, imm } => negate_imm(Instr::$neg { d, a, b: 0 }, imm)?,)*
                    _ => return None,
                })
            }

            /// The form of a load (at offset 0) whose address is `slot[a] + k`.
            pub(crate) fn load_at(self, a: Slot, k: i32) -> Option<Instr> {
                Some(match self {
                    $(Instr::$load { d, off: 0, .. } => Instr::$load_at { d, a, k },)*
                    _ => return None,
                })
            }

            /// The form of a load (at offset 0) whose address is `slot[a] + slot[b]`.
            pub(crate) fn load_idx(self, a: Slot, b: Slot) -> Option<Instr> {
                Some(match self {
                    $(Instr::$load { d, off: 0, .. } => Instr::$load_idx { d, a, b },)*
                    _ => return None,
                })
            }

            /// The immediate form of a two-slot operator whose right operand is `imm`.
            pub(crate) fn with_imm(self, imm: i32) -> Option<Instr> {
                Some(match self {
                    $($(Instr::$bin { d, a, .. } => Instr::$bin_imm { d, a, imm },)?)*
                    $(Instr::$cmp { d, a, .. } => Instr::$cmp_imm { d, a, imm },)*
                    _ => return None,
                })
            }

            /// The slot this instruction writes its one result to, if it is a pure operator.
            pub(crate) fn result_slot(self) -> Option<Slot> {
                match self {
                    $(Instr::$bin { d, .. } => Some(d),)*
                    $($(Instr::$bin_imm { d, .. } => Some(d),)?)*
                    $(Instr::$cmp { d, .. } => Some(d),)*
                    $(Instr::$cmp_imm { d, .. } => Some(d),)*
                    $(Instr::$bin_trap { d, .. } => Some(d),)*
                    $(Instr::$un { d, .. } => Some(d),)*
                    $(Instr::$un_trap { d, .. } => Some(d),)*
                    $(Instr::$load { d, .. } => Some(d),)*
                    $(Instr::$load_at { d, .. } => Some(d),)*
                    $(Instr::$load_idx { d, .. } => Some(d),)*
                    Instr::Copy { d, .. } | Instr::Const32 { d, .. } | Instr::Const64 { d, .. }
                    | Instr::GlobalGet { d, .. } => Some(d),
                    _ => None,
                }
            }

            /// Redirects the result of a pure operator (see [`Instr::result_slot`]) to `to`.
            pub(crate) fn set_result_slot(&mut self, to: Slot) {
                match self {
                    $(Instr::$bin { d, .. } => *d = to,)*
                    $($(Instr::$bin_imm { d, .. } => *d = to,)?)*
                    $(Instr::$cmp { d, .. } => *d = to,)*
                    $(Instr::$cmp_imm { d, .. } => *d = to,)*
                    $(Instr::$bin_trap { d, .. } => *d = to,)*
                    $(Instr::$un { d, .. } => *d = to,)*
                    $(Instr::$un_trap { d, .. } => *d = to,)*
                    $(Instr::$load { d, .. } => *d = to,)*
                    $(Instr::$load_at { d, .. } => *d = to,)*
                    $(Instr::$load_idx { d, .. } => *d = to,)*
                    Instr::Copy { d, .. } | Instr::Const32 { d, .. } | Instr::Const64 { d, .. }
                    | Instr::GlobalGet { d, .. } => *d = to,
                    _ => {}
                }
            }

            /// Sets the result and operand slots of a two-operand operator (`b` is ignored by
            /// immediate forms).
            pub(crate) fn set_slots(&mut self, to: Slot, left: Slot, right: Slot) {
                match self {
                    $(Instr::$bin { d, a, b } => { *d = to; *a = left; *b = right; })*
                    $($(Instr::$bin_imm { d, a, .. } => { *d = to; *a = left; })?)*
                    $(Instr::$cmp { d, a, b } => { *d = to; *a = left; *b = right; })*
                    $(Instr::$cmp_imm { d, a, .. } => { *d = to; *a = left; })*
                    $(Instr::$bin_trap { d, a, b } => { *d = to; *a = left; *b = right; })*
                    _ => {}
                }
            }

            /// The jump target of a branch, for patching.
            pub(crate) fn target_mut(&mut self) -> Option<&mut u32> {
                match self {
                    $(Instr::$br { t, .. } => Some(t),)*
                    $(Instr::$br_imm { t, .. } => Some(t),)*
                    Instr::Br { t } | Instr::BrNez { t, .. } | Instr::BrEqz { t, .. } | Instr::BrI64Nez { t, .. }
                    | Instr::BrI64Eqz { t, .. } => Some(t),
                    _ => None,
                }
            }

            /// Every slot the instruction names and how many slots from each it touches, and
            /// every jump target, for [`FuncCode::verify`].
            fn operands(self, slots: &mut Vec<(Slot, u32)>, targets: &mut Vec<u32>) {
                match self {
                    $(Instr::$bin { d, a, b } => slots.extend([(d, 1), (a, 1), (b, 1)]),)*
                    $($(Instr::$bin_imm { d, a, .. } => slots.extend([(d, 1), (a, 1)]),)?)*
                    $(Instr::$cmp { d, a, b } => slots.extend([(d, 1), (a, 1), (b, 1)]),)*
                    $(Instr::$cmp_imm { d, a, .. } => slots.extend([(d, 1), (a, 1)]),)*
                    $(Instr::$br { a, b, t } => { slots.extend([(a, 1), (b, 1)]); targets.push(t) })*
                    $(Instr::$br_imm { a, t, .. } => { slots.push((a, 1)); targets.push(t) })*
                    $(Instr::$bin_trap { d, a, b } => slots.extend([(d, 1), (a, 1), (b, 1)]),)*
                    $(Instr::$un { d, a } => slots.extend([(d, 1), (a, 1)]),)*
                    $(Instr::$un_trap { d, a } => slots.extend([(d, 1), (a, 1)]),)*
                    $(Instr::$load { d, a, .. } => slots.extend([(d, 1), (a, 1)]),)*
                    $(Instr::$load_at { d, a, .. } => slots.extend([(d, 1), (a, 1)]),)*
                    $(Instr::$load_idx { d, a, b } => slots.extend([(d, 1), (a, 1), (b, 1)]),)*
                    $(Instr::$store { a, b, .. } => slots.extend([(a, 1), (b, 1)]),)*
                    Instr::Nop | Instr::Unreachable | Instr::Return => {}
                    Instr::Copy { d, a } => slots.extend([(d, 1), (a, 1)]),
                    Instr::Copy2 { d, d2, a } => slots.extend([(d, 1), (d2, 1), (a, 1)]),
                    Instr::CopyWide { d, a } => slots.extend([(d, 2), (a, 2)]),
                    Instr::Const32 { d, .. } | Instr::Const64 { d, .. } => slots.push((d, 1)),
                    Instr::ConstWide { d, .. } => slots.push((d, 2)),
                    Instr::Br { t } => targets.push(t),
                    Instr::BrNez { a, t } | Instr::BrEqz { a, t } | Instr::BrI64Nez { a, t }
                    | Instr::BrI64Eqz { a, t } => { slots.push((a, 1)); targets.push(t) }
                    Instr::BrTable { a, .. } => slots.push((a, 1)),
                    Instr::Return1 { a } => slots.extend([(0, 1), (a, 1)]),
                    Instr::Call { at, .. } | Instr::ReturnCall { at, .. } => slots.push((at, 0)),
                    Instr::CallIndirect { a, at, .. } | Instr::ReturnCallIndirect { a, at, .. } => {
                        slots.extend([(a, 1), (at, 0)])
                    }
                    Instr::Select { d, b, c } => slots.extend([(d, 1), (b, 1), (c, 1)]),
                    Instr::SelectWide { d, b, c } => slots.extend([(d, 2), (b, 2), (c, 1)]),
                    Instr::GlobalGet { d, .. } => slots.push((d, 1)),
                    Instr::GlobalSet { a, .. } => slots.push((a, 1)),
                    Instr::GlobalGetWide { d, .. } => slots.push((d, 2)),
                    Instr::GlobalSetWide { a, .. } => slots.push((a, 2)),
                    Instr::Stack { h, .. } => slots.push((h, 0)),
                }
            }

            /// Whether execution never falls through to the next instruction.
            fn is_terminator(self) -> bool {
                matches!(
                    self,
                    Instr::Br { .. } | Instr::BrTable { .. } | Instr::Return | Instr::Return1 { .. }
                        | Instr::ReturnCall { .. } | Instr::ReturnCallIndirect { .. } | Instr::Unreachable
                )
            }
        }
    };
}

/// Helper of [`for_each_compare`]'s `define_instr!` expansion: the immediate form of a negated
/// comparison.
fn negate_imm(negated: Instr, imm: i32) -> Option<Instr> {
    negated.with_imm(imm)
}

for_each_op!(define_instr);

/// What a `call_indirect` names: the expected type (module index) and the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct IndirectCall {
    pub type_index: u32,
    pub table: u32,
}

/// The `resume` entry of an instruction that is not a resume point.
pub(crate) const NO_RESUME: u32 = u32::MAX;

/// A translated function body, in one of its two forms.
#[derive(Debug, Clone)]
pub(crate) struct FuncCode {
    /// Module-level function index.
    pub func_index: u32,
    /// Instructions; execution starts at index 0.
    pub instrs: Vec<Instr>,
    /// Fast form only: the same instructions for the threaded loop (empty in the debug form and
    /// where that loop is not built).
    pub ops: Vec<crate::threaded::Op>,
    /// Code-section offset of the wasm instruction each instruction belongs to (traps and
    /// backtraces report it).
    pub offsets: Vec<u32>,
    /// For each instruction, the wasm instruction whose state the frame holds exactly just
    /// before it (a *resume point*: breakpoints, steps and moves between the forms happen only
    /// there), or [`NO_RESUME`].
    pub resume: Vec<u32>,
    /// Jump targets of all `br_table`s.
    pub br_tables: Vec<u32>,
    /// With `ops`: the same targets relative to the `br_table` that uses each (every
    /// `br_table` has a range of its own).
    pub br_table_rel: Vec<i32>,
    /// `v128.const` immediates.
    pub v128_consts: Vec<u128>,
    /// The `call_indirect`s.
    pub indirect: Vec<IndirectCall>,
    /// Instructions run as stack operations (see [`Instr::Stack`]).
    pub stack_ops: Vec<crate::rare::StackOp>,
    /// Debug form only: the wasm operand types before each group start (empty elsewhere).
    pub operand_types: Vec<Box<[ValType]>>,
    /// Types of parameters followed by declared locals.
    pub local_types: Vec<ValType>,
    /// Slot of each local (parallel to `local_types`).
    pub local_slots: Vec<Slot>,
    /// Slots taken by parameters.
    pub param_slots: u32,
    /// Slots taken by parameters and locals: the operand stack starts here.
    pub locals_end: u32,
    /// Slots taken by results.
    pub result_slots: u32,
    /// Slots the frame needs: locals plus the deepest operand stack.
    pub frame_slots: u32,
}

impl FuncCode {
    /// The resume point for the state before the wasm instruction at `offset`, if there is one.
    pub fn pc_of_offset(&self, offset: u32) -> Option<usize> {
        self.resume.iter().position(|&r| r == offset)
    }

    /// The resume point with the smallest offset at or after `offset`, if any.
    pub fn pc_at_or_after(&self, offset: u32) -> Option<usize> {
        (0..self.resume.len())
            .filter(|&pc| self.resume[pc] != NO_RESUME && self.resume[pc] >= offset)
            .min_by_key(|&pc| self.resume[pc])
    }

    /// The call instruction that came from the wasm call at `offset`.
    pub fn call_at_offset(&self, offset: u32) -> Option<usize> {
        (0..self.instrs.len()).find(|&pc| {
            self.offsets[pc] == offset
                && matches!(
                    self.instrs[pc],
                    Instr::Call { .. }
                        | Instr::CallIndirect { .. }
                        | Instr::ReturnCall { .. }
                        | Instr::ReturnCallIndirect { .. }
                )
        })
    }

    /// Checks what the interpreter loop relies on: every slot an instruction touches lies below
    /// `frame_slots`, every jump target inside the body, and the body ends in a terminator.
    pub fn verify(&self) -> Result<(), String> {
        let n = self.instrs.len() as u32;
        if self.instrs.last().is_none_or(|i| !i.is_terminator()) {
            return Err("body does not end in a terminator".into());
        }
        if self.offsets.len() != self.instrs.len() || self.resume.len() != self.instrs.len() {
            return Err("offset table does not match the instructions".into());
        }
        if self.locals_end > self.frame_slots || self.result_slots > self.frame_slots {
            return Err("frame smaller than its locals or results".into());
        }
        let mut slots = Vec::new();
        let mut targets = Vec::new();
        for (pc, instr) in self.instrs.iter().enumerate() {
            slots.clear();
            targets.clear();
            instr.operands(&mut slots, &mut targets);
            if let Some((s, w)) = slots.iter().find(|&&(s, w)| s as u64 + w as u64 > self.frame_slots as u64) {
                return Err(format!(
                    "instruction {pc} ({instr:?}) touches slots {s}..{} of {}",
                    s + w,
                    self.frame_slots
                ));
            }
            if let Some(t) = targets.iter().find(|&&t| t >= n) {
                return Err(format!("instruction {pc} jumps to {t} of {n}"));
            }
            match *instr {
                Instr::BrTable { start, len, .. } => {
                    let end = start as usize + len as usize;
                    if len == 0
                        || end > self.br_tables.len()
                        || self.br_tables[start as usize..end].iter().any(|&t| t >= n)
                    {
                        return Err(format!("instruction {pc}: bad br_table"));
                    }
                }
                Instr::ConstWide { i, .. } if i as usize >= self.v128_consts.len() => {
                    return Err(format!("instruction {pc}: bad v128 constant"));
                }
                Instr::CallIndirect { i, .. } | Instr::ReturnCallIndirect { i, .. }
                    if i as usize >= self.indirect.len() =>
                {
                    return Err(format!("instruction {pc}: bad call_indirect"));
                }
                Instr::Stack { i, .. } if i as usize >= self.stack_ops.len() => {
                    return Err(format!("instruction {pc}: bad stack operation"));
                }
                _ => {}
            }
        }
        Ok(())
    }
}
