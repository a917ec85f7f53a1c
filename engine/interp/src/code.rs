//! The internal instruction set that function bodies are translated into.
//!
//! Each [`Instr`] is a fixed-size, `Copy` enum: branch targets are instruction indices and
//! branches carry how many stack slots to drop and keep, so execution never searches for a
//! block end. [`FuncCode`] holds one translated body plus the map from every instruction back
//! to its code-section offset.

use crate::value::ValType;

/// A branch destination: jump to `target`, keeping the top `keep` slots and removing the `drop`
/// slots beneath them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BranchTarget {
    /// Instruction index to continue at.
    pub target: u32,
    /// Slots removed beneath the kept ones.
    pub drop: u32,
    /// Slots kept on top (the label's arity in slots).
    pub keep: u32,
}

/// Calls `$m!` with the list of operators that take no immediates and map one-to-one onto an
/// internal instruction of the same name.
macro_rules! for_each_plain_op {
    ($m:ident) => {
        $m! {
            I32Eqz I32Eq I32Ne I32LtS I32LtU I32GtS I32GtU I32LeS I32LeU I32GeS I32GeU
            I64Eqz I64Eq I64Ne I64LtS I64LtU I64GtS I64GtU I64LeS I64LeU I64GeS I64GeU
            F32Eq F32Ne F32Lt F32Gt F32Le F32Ge F64Eq F64Ne F64Lt F64Gt F64Le F64Ge
            I32Clz I32Ctz I32Popcnt I32Add I32Sub I32Mul I32DivS I32DivU I32RemS I32RemU I32And I32Or
            I32Xor I32Shl I32ShrS I32ShrU I32Rotl I32Rotr
            I64Clz I64Ctz I64Popcnt I64Add I64Sub I64Mul I64DivS I64DivU I64RemS I64RemU I64And I64Or
            I64Xor I64Shl I64ShrS I64ShrU I64Rotl I64Rotr
            F32Abs F32Neg F32Ceil F32Floor F32Trunc F32Nearest F32Sqrt F32Add F32Sub F32Mul F32Div
            F32Min F32Max F32Copysign
            F64Abs F64Neg F64Ceil F64Floor F64Trunc F64Nearest F64Sqrt F64Add F64Sub F64Mul F64Div
            F64Min F64Max F64Copysign
            I32WrapI64 I32TruncF32S I32TruncF32U I32TruncF64S I32TruncF64U I64ExtendI32S I64ExtendI32U
            I64TruncF32S I64TruncF32U I64TruncF64S I64TruncF64U F32ConvertI32S F32ConvertI32U
            F32ConvertI64S F32ConvertI64U F32DemoteF64 F64ConvertI32S F64ConvertI32U F64ConvertI64S
            F64ConvertI64U F64PromoteF32 I32ReinterpretF32 I64ReinterpretF64 F32ReinterpretI32
            F64ReinterpretI64 I32Extend8S I32Extend16S I64Extend8S I64Extend16S I64Extend32S
            I32TruncSatF32S I32TruncSatF32U I32TruncSatF64S I32TruncSatF64U I64TruncSatF32S
            I64TruncSatF32U I64TruncSatF64S I64TruncSatF64U
            Unreachable RefIsNull
        }
    };
}
#[allow(unused_imports)]
pub(crate) use for_each_plain_op;

macro_rules! define_instr {
    ($($plain:ident)*) => {
        /// One internal instruction. Indices (`u32`) are module-level unless noted; `offset`s of
        /// memory instructions are the static memarg offsets; local indices are slot offsets
        /// from the frame base.
        #[derive(Debug, Clone, Copy, PartialEq)]
        #[allow(missing_docs)]
        pub enum Instr {
            $($plain,)*
            /// Unconditional branch.
            Br(BranchTarget),
            /// Pops an i32; branches when it is non-zero.
            BrIf(BranchTarget),
            /// An `i32` test fused with the `br_if` that follows it: pops the operand(s) and
            /// branches when the test holds.
            BrIfI32Eqz(BranchTarget), BrIfI32Eq(BranchTarget), BrIfI32Ne(BranchTarget),
            BrIfI32LtS(BranchTarget), BrIfI32LtU(BranchTarget), BrIfI32GtS(BranchTarget), BrIfI32GtU(BranchTarget),
            BrIfI32LeS(BranchTarget), BrIfI32LeU(BranchTarget), BrIfI32GeS(BranchTarget), BrIfI32GeU(BranchTarget),
            /// Pops an i32; jumps to `target` (no stack change) when it is zero (`if`).
            BrIfEqz { target: u32 },
            /// Pops an index into `FuncCode::br_tables[start..start+len]`; the last entry is the default.
            BrTable { start: u32, len: u32 },
            /// Returns from the function, keeping the result slots.
            Return,
            Call(u32),
            CallIndirect { type_index: u32, table: u32 },
            ReturnCall(u32),
            ReturnCallIndirect { type_index: u32, table: u32 },
            Drop,
            /// Drops two slots (a `v128`).
            Drop2,
            Select,
            /// `select` on `v128` operands.
            Select2,
            LocalGet(u32),
            LocalSet(u32),
            LocalTee(u32),
            /// `i32.const c` and an `i32` operator taking it as right operand (`i32.sub` becomes
            /// `I32AddConst(-c)`).
            I32AddConst(i32), I32MulConst(i32), I32AndConst(i32), I32OrConst(i32), I32XorConst(i32),
            I32ShlConst(i32), I32ShrSConst(i32), I32ShrUConst(i32), I32RotrConst(i32), I32LtUConst(i32),
            /// `local.get b` and an `i32` operator taking it as right operand.
            I32AddLocal(u32), I32SubLocal(u32), I32MulLocal(u32), I32AndLocal(u32), I32OrLocal(u32),
            I32XorLocal(u32),
            /// `local.get local` and a load from the address it holds.
            I32LoadLocal { local: u32, offset: u32 }, I64LoadLocal { local: u32, offset: u32 },
            F64LoadLocal { local: u32, offset: u32 },
            /// `local.get src; local.set dst` (one-slot locals).
            LocalCopy { dst: u32, src: u32 },
            /// `local.get src; i32.const c; i32.add; local.set dst` (and `i32.sub` with `-c`).
            I32AddConstToLocal { dst: u32, src: u32, c: i32 },
            /// `local.get a; local.get b; i32.add; local.set dst`.
            I32AddLocalsToLocal { dst: u32, a: u32, b: u32 },
            /// `local.get` of a `v128` local (two slots).
            LocalGet2(u32),
            LocalSet2(u32),
            LocalTee2(u32),
            GlobalGet(u32),
            GlobalSet(u32),
            GlobalGet2(u32),
            GlobalSet2(u32),
            I32Load(u32), I64Load(u32), F32Load(u32), F64Load(u32),
            I32Load8S(u32), I32Load8U(u32), I32Load16S(u32), I32Load16U(u32),
            I64Load8S(u32), I64Load8U(u32), I64Load16S(u32), I64Load16U(u32), I64Load32S(u32), I64Load32U(u32),
            I32Store(u32), I64Store(u32), F32Store(u32), F64Store(u32),
            I32Store8(u32), I32Store16(u32), I64Store8(u32), I64Store16(u32), I64Store32(u32),
            MemorySize, MemoryGrow, MemoryFill, MemoryCopy,
            MemoryInit(u32), DataDrop(u32),
            TableGet(u32), TableSet(u32), TableSize(u32), TableGrow(u32), TableFill(u32),
            TableCopy { dst: u32, src: u32 },
            TableInit { table: u32, elem: u32 },
            ElemDrop(u32),
            /// Pushes a null reference.
            RefNull,
            RefFunc(u32),
            I32Const(i32),
            I64Const(i64),
            F32Const(u32),
            F64Const(u64),
            /// Pushes `FuncCode::v128_consts[i]`.
            V128Const(u32),
            /// Runs `FuncCode::simd_ops[i]`.
            Simd(u32),
        }

        /// The internal instruction for an operator without immediates, if it is one.
        pub(crate) fn plain_instr(op: &wasmparser::Operator<'_>) -> Option<Instr> {
            match op {
                $(wasmparser::Operator::$plain => Some(Instr::$plain),)*
                _ => None,
            }
        }
    };
}
for_each_plain_op!(define_instr);

impl Instr {
    /// The branch target of a conditional or unconditional branch (`br`, `br_if` and the
    /// fused test-and-branch forms), for patching when the target becomes known.
    pub(crate) fn branch_target_mut(&mut self) -> Option<&mut BranchTarget> {
        match self {
            Instr::Br(t)
            | Instr::BrIf(t)
            | Instr::BrIfI32Eqz(t)
            | Instr::BrIfI32Eq(t)
            | Instr::BrIfI32Ne(t)
            | Instr::BrIfI32LtS(t)
            | Instr::BrIfI32LtU(t)
            | Instr::BrIfI32GtS(t)
            | Instr::BrIfI32GtU(t)
            | Instr::BrIfI32LeS(t)
            | Instr::BrIfI32LeU(t)
            | Instr::BrIfI32GeS(t)
            | Instr::BrIfI32GeU(t) => Some(t),
            _ => None,
        }
    }

    /// The fused test-and-branch form of an `i32` test followed by `br_if`.
    pub(crate) fn fused_with_br_if(self, t: BranchTarget) -> Option<Instr> {
        Some(match self {
            Instr::I32Eqz => Instr::BrIfI32Eqz(t),
            Instr::I32Eq => Instr::BrIfI32Eq(t),
            Instr::I32Ne => Instr::BrIfI32Ne(t),
            Instr::I32LtS => Instr::BrIfI32LtS(t),
            Instr::I32LtU => Instr::BrIfI32LtU(t),
            Instr::I32GtS => Instr::BrIfI32GtS(t),
            Instr::I32GtU => Instr::BrIfI32GtU(t),
            Instr::I32LeS => Instr::BrIfI32LeS(t),
            Instr::I32LeU => Instr::BrIfI32LeU(t),
            Instr::I32GeS => Instr::BrIfI32GeS(t),
            Instr::I32GeU => Instr::BrIfI32GeU(t),
            _ => return None,
        })
    }
}

/// A translated function body.
#[derive(Debug, Clone)]
pub struct FuncCode {
    /// Module-level function index.
    pub func_index: u32,
    /// Module-level type index.
    pub type_index: u32,
    /// Instructions; execution starts at index 0.
    pub instrs: Vec<Instr>,
    /// Code-section offset of the operator each instruction came from.
    pub offsets: Vec<u32>,
    /// Targets of all `br_table`s.
    pub br_tables: Vec<BranchTarget>,
    /// `v128.const` immediates.
    pub v128_consts: Vec<u128>,
    /// Decoded SIMD operations referenced by [`Instr::Simd`].
    pub simd_ops: Vec<crate::simd::SimdInstr>,
    /// Types of parameters followed by declared locals.
    pub local_types: Vec<ValType>,
    /// Slot offset of each local (parallel to `local_types`).
    pub local_offsets: Vec<u32>,
    /// Slots taken by parameters.
    pub param_slots: u32,
    /// Slots taken by declared (non-parameter) locals.
    pub extra_local_slots: u32,
    /// Slots taken by results.
    pub result_slots: u32,
    /// Upper bound of slots this frame uses beyond its base (locals plus operands).
    pub max_slots: u32,
}

impl FuncCode {
    /// Index of the first instruction at or after `offset`, if any lies in this body.
    pub fn pc_at_offset(&self, offset: u32) -> Option<u32> {
        let pc = self.offsets.partition_point(|&o| o < offset);
        (pc < self.offsets.len()).then_some(pc as u32)
    }
}
