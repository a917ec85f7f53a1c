//! Pure semantics of every WebAssembly 2.0 SIMD (`v128`) instruction.
//!
//! A `v128` value is a `u128` whose lanes are little-endian: lane 0 occupies the least significant
//! bits. Nothing here holds interpreter state: [`classify`] turns a `wasmparser` operator into a
//! [`SimdOp`] telling the interpreter which stack values to pop, which pure function to apply and,
//! for memory instructions, how to turn bytes into vectors ([`load_from_bytes`],
//! [`replace_lane_bytes`], [`lane_bytes`]). Floats cross the boundary as raw bits so that NaN
//! payloads survive where the specification requires it.

pub mod bitwise;
mod classify;
pub mod convert;
pub mod float_lanes;
pub mod int_lanes;
mod lanes;
mod memory;
pub mod widen_narrow;

pub use bitwise::shuffle;
pub use classify::{classify, lane_index};
pub use memory::{lane_bytes, load_from_bytes, replace_lane_bytes};

/// What the interpreter must do to execute one SIMD operator.
///
/// Operands are listed in stack order (the first parameter is the deepest operand). Lane indices
/// of the `ExtractLane*`/`ReplaceLane*` variants are the operator's immediate (see [`lane_index`]);
/// the functions take the index modulo the lane count, so they never panic.
#[derive(Clone, Copy, Debug)]
pub enum SimdOp {
    /// Pops one vector, pushes the result (e.g. `i8x16.abs`, `f32x4.sqrt`, conversions).
    Unary(fn(u128) -> u128),
    /// Pops two vectors, pushes the result (e.g. `i32x4.add`, `f64x2.min`, comparisons).
    Binary(fn(u128, u128) -> u128),
    /// Pops three vectors, pushes the result (`v128.bitselect`).
    Ternary(fn(u128, u128, u128) -> u128),
    /// Pops a vector and an `i32` shift amount, pushes the shifted vector.
    Shift(fn(u128, u32) -> u128),
    /// Pops a vector, pushes an `i32` (`any_true`, `all_true`, `bitmask`).
    Test(fn(u128) -> i32),
    /// Pops an `i32`, pushes the splatted vector.
    SplatI32(fn(i32) -> u128),
    /// Pops an `i64`, pushes the splatted vector.
    SplatI64(fn(i64) -> u128),
    /// Pops an `f32` (raw bits), pushes the splatted vector.
    SplatF32(fn(u32) -> u128),
    /// Pops an `f64` (raw bits), pushes the splatted vector.
    SplatF64(fn(u64) -> u128),
    /// Pops a vector, pushes lane `lane` as an `i32`.
    ExtractLaneI32(fn(u128, u8) -> i32),
    /// Pops a vector, pushes lane `lane` as an `i64`.
    ExtractLaneI64(fn(u128, u8) -> i64),
    /// Pops a vector, pushes lane `lane` as an `f32` (raw bits).
    ExtractLaneF32(fn(u128, u8) -> u32),
    /// Pops a vector, pushes lane `lane` as an `f64` (raw bits).
    ExtractLaneF64(fn(u128, u8) -> u64),
    /// Pops a vector and an `i32`, pushes the vector with lane `lane` replaced.
    ReplaceLaneI32(fn(u128, u8, i32) -> u128),
    /// Pops a vector and an `i64`, pushes the vector with lane `lane` replaced.
    ReplaceLaneI64(fn(u128, u8, i64) -> u128),
    /// Pops a vector and an `f32` (raw bits), pushes the vector with lane `lane` replaced.
    ReplaceLaneF32(fn(u128, u8, u32) -> u128),
    /// Pops a vector and an `f64` (raw bits), pushes the vector with lane `lane` replaced.
    ReplaceLaneF64(fn(u128, u8, u64) -> u128),
    /// `i8x16.shuffle`: pops two vectors; result byte `i` is byte `lanes[i]` of their
    /// 32-byte concatenation (see [`shuffle`]).
    Shuffle([u8; 16]),
    /// `v128.const`: pushes the value.
    Const(u128),
    /// Pops an address, reads `kind.width()` bytes at `address + memarg.offset` and pushes
    /// [`load_from_bytes`] of them.
    Load(LoadKind, wasmparser::MemArg),
    /// `v128.store`: pops an address and a vector, writes the vector's 16 little-endian bytes.
    Store(wasmparser::MemArg),
    /// `v128.loadN_lane`: pops an address and a vector, reads `bytes` bytes and pushes
    /// [`replace_lane_bytes`] of them.
    LoadLane {
        /// Width of the lane in bytes (1, 2, 4 or 8).
        bytes: u8,
        /// Lane index immediate.
        lane: u8,
        /// Memory immediate.
        memarg: wasmparser::MemArg,
    },
    /// `v128.storeN_lane`: pops an address and a vector, writes the first `bytes` bytes of
    /// [`lane_bytes`].
    StoreLane {
        /// Width of the lane in bytes (1, 2, 4 or 8).
        bytes: u8,
        /// Lane index immediate.
        lane: u8,
        /// Memory immediate.
        memarg: wasmparser::MemArg,
    },
}

/// How a `v128.load*` instruction turns the bytes it reads into a vector.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LoadKind {
    /// `v128.load`: 16 bytes as they are.
    V128,
    /// `v128.load8x8_s`: 8 bytes, each sign-extended to a 16-bit lane.
    Extend8x8S,
    /// `v128.load8x8_u`: 8 bytes, each zero-extended to a 16-bit lane.
    Extend8x8U,
    /// `v128.load16x4_s`: 4 16-bit values, each sign-extended to a 32-bit lane.
    Extend16x4S,
    /// `v128.load16x4_u`: 4 16-bit values, each zero-extended to a 32-bit lane.
    Extend16x4U,
    /// `v128.load32x2_s`: 2 32-bit values, each sign-extended to a 64-bit lane.
    Extend32x2S,
    /// `v128.load32x2_u`: 2 32-bit values, each zero-extended to a 64-bit lane.
    Extend32x2U,
    /// `v128.load8_splat`: one byte copied to all 16 lanes.
    Splat8,
    /// `v128.load16_splat`: one 16-bit value copied to all 8 lanes.
    Splat16,
    /// `v128.load32_splat`: one 32-bit value copied to all 4 lanes.
    Splat32,
    /// `v128.load64_splat`: one 64-bit value copied to both lanes.
    Splat64,
    /// `v128.load32_zero`: one 32-bit value in lane 0, other bits zero.
    Zero32,
    /// `v128.load64_zero`: one 64-bit value in lane 0, other bits zero.
    Zero64,
}

impl LoadKind {
    /// Number of bytes the load reads from memory.
    pub fn width(self) -> usize {
        match self {
            LoadKind::V128 => 16,
            LoadKind::Extend8x8S
            | LoadKind::Extend8x8U
            | LoadKind::Extend16x4S
            | LoadKind::Extend16x4U
            | LoadKind::Extend32x2S
            | LoadKind::Extend32x2U
            | LoadKind::Splat64
            | LoadKind::Zero64 => 8,
            LoadKind::Splat8 => 1,
            LoadKind::Splat16 => 2,
            LoadKind::Splat32 | LoadKind::Zero32 => 4,
        }
    }
}
