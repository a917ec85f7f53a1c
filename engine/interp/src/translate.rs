//! Translation of validated function bodies into the internal instruction set.
//!
//! Every operator is validated by wasmparser's function validator as it is translated; the
//! validator's operand-type queries give the stack heights (in 64-bit slots) needed to resolve
//! each branch into a jump target plus drop/keep counts. Code after an unconditional transfer
//! is validated but not emitted.

use wasmparser::{BlockType, FuncValidator, FunctionBody, Operator, ValidatorResources};

use crate::code::{BranchTarget, FuncCode, Instr, plain_instr};
use crate::error::Error;
use crate::simd;
use crate::value::{FuncType, ValType};

/// What the translator needs to know about the module around a function body.
pub(crate) struct ModuleContext<'a> {
    /// All function types of the module.
    pub types: &'a [FuncType],
    /// Value types of all globals (imported first).
    pub global_types: &'a [ValType],
    /// Start of the code section's contents in the module binary.
    pub code_section_start: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ControlKind {
    Function,
    Block,
    Loop,
    If,
    Else,
}

/// A place whose jump target is the end of a block, patched when the block ends.
#[derive(Debug, Clone, Copy)]
enum Fixup {
    /// `instrs[i]` is a branch.
    Instr(usize),
    /// `br_tables[i]`.
    Table(usize),
}

#[derive(Debug)]
struct Control {
    kind: ControlKind,
    /// Operand slots beneath this block's parameters.
    height_slots: u32,
    param_slots: u32,
    result_slots: u32,
    loop_pc: u32,
    fixups: Vec<Fixup>,
    if_fixup: Option<usize>,
    entry_dead: bool,
}

struct Translator<'a> {
    ctx: &'a ModuleContext<'a>,
    validator: FuncValidator<ValidatorResources>,
    code: FuncCode,
    controls: Vec<Control>,
    dead: bool,
    max_operands: usize,
    /// Index of the first instruction after the last branch target (a loop start, a block or
    /// `if` end, an `else`): instructions before it may not be fused with later ones.
    fusion_floor: usize,
}

fn invalid(e: wasmparser::BinaryReaderError) -> Error {
    Error::Invalid { message: e.message().to_string(), offset: e.offset() }
}

/// Validates and translates one function body.
pub(crate) fn translate(
    ctx: &ModuleContext<'_>,
    func_index: u32,
    type_index: u32,
    body: &FunctionBody<'_>,
    validator: FuncValidator<ValidatorResources>,
) -> Result<FuncCode, Error> {
    let ty = &ctx.types[type_index as usize];
    let mut local_types: Vec<ValType> = ty.params.clone();
    let mut t = Translator {
        ctx,
        validator,
        code: FuncCode {
            func_index,
            type_index,
            instrs: Vec::new(),
            offsets: Vec::new(),
            br_tables: Vec::new(),
            v128_consts: Vec::new(),
            simd_ops: Vec::new(),
            local_types: Vec::new(),
            local_offsets: Vec::new(),
            param_slots: ty.param_slots(),
            extra_local_slots: 0,
            result_slots: ty.result_slots(),
            max_slots: 0,
        },
        controls: Vec::new(),
        dead: false,
        max_operands: 0,
        fusion_floor: 0,
    };
    let mut locals = body.get_locals_reader().map_err(invalid)?;
    for _ in 0..locals.get_count() {
        let offset = locals.original_position();
        let (count, wty) = locals.read().map_err(invalid)?;
        t.validator.define_locals(offset, count, wty).map_err(invalid)?;
        let vt = ValType::from_wasmparser(wty)
            .ok_or_else(|| Error::Unsupported { message: format!("local of type {wty}"), offset })?;
        local_types.extend(std::iter::repeat_n(vt, count as usize));
    }
    let mut offset = 0;
    for vt in &local_types {
        t.code.local_offsets.push(offset);
        offset += vt.slots();
    }
    t.code.extra_local_slots = offset - t.code.param_slots;
    t.code.local_types = local_types;
    t.controls.push(Control {
        kind: ControlKind::Function,
        height_slots: 0,
        param_slots: 0,
        result_slots: t.code.result_slots,
        loop_pc: 0,
        fixups: Vec::new(),
        if_fixup: None,
        entry_dead: false,
    });
    let mut reader = body.get_operators_reader().map_err(invalid)?;
    while !reader.eof() {
        let (op, offset) = reader.read_with_offset().map_err(invalid)?;
        t.operator(&op, offset)?;
    }
    reader.finish().map_err(invalid)?;
    let code_len = t.code.local_offsets.last().map_or(0, |&o| o + 2);
    t.code.max_slots = code_len + 2 * t.max_operands as u32 + 2;
    Ok(t.code)
}

impl Translator<'_> {
    /// Width in slots of the operand `depth` entries below the top of the validator's stack.
    fn operand_width(&self, depth: usize) -> u32 {
        match self.validator.get_operand_type(depth) {
            Some(Some(wasmparser::ValType::V128)) => 2,
            _ => 1,
        }
    }

    /// Current operand height in slots, ignoring the top `skip` operands.
    fn current_slots(&self, skip: usize) -> u32 {
        let top = self.controls.last().map_or(0, |c| c.height_slots);
        let frame_height = self.validator.get_control_frame(0).map_or(0, |f| f.height);
        let operands = (self.validator.operand_stack_height() as usize).saturating_sub(frame_height);
        top + (skip..operands).map(|d| self.operand_width(d)).sum::<u32>()
    }

    fn block_slots(&self, ty: BlockType) -> (u32, u32) {
        match ty {
            BlockType::Empty => (0, 0),
            BlockType::Type(t) => (0, if t == wasmparser::ValType::V128 { 2 } else { 1 }),
            BlockType::FuncType(i) => {
                let f = &self.ctx.types[i as usize];
                (f.param_slots(), f.result_slots())
            }
        }
    }

    fn emit(&mut self, instr: Instr, offset: u64) {
        if !self.dead {
            self.code.instrs.push(instr);
            self.code.offsets.push(offset.saturating_sub(self.ctx.code_section_start) as u32);
        }
    }

    /// Replaces the last instructions and the `local.set dst` that follows them with one
    /// instruction, for `dst = src` (one-slot locals) and for `dst = a + c` (or `- c`, already
    /// folded into `I32AddConst`) and `dst = a + b` on `i32` locals: the shuffles, loop counters
    /// and pointer bumps of most loops. Returns whether it did. Never fuses across
    /// a branch target; the fused instruction keeps the first one's code offset.
    fn fuse_local_set(&mut self, dst: u32) -> bool {
        let n = self.code.instrs.len();
        if self.dead || n < 1 || n - 1 < self.fusion_floor {
            return false;
        }
        if let Instr::LocalGet(src) = self.code.instrs[n - 1] {
            self.code.instrs[n - 1] = Instr::LocalCopy { dst, src };
            return true;
        }
        if n < 2 || n - 2 < self.fusion_floor {
            return false;
        }
        let fused = match self.code.instrs[n - 2..] {
            [Instr::LocalGet(src), Instr::I32AddConst(c)] => Instr::I32AddConstToLocal { dst, src, c },
            [Instr::LocalGet(a), Instr::I32AddLocal(b)] => Instr::I32AddLocalsToLocal { dst, a, b },
            _ => return false,
        };
        self.replace_tail(2, fused);
        true
    }

    /// Replaces the last `count` instructions with `fused`, which keeps the first one's offset.
    fn replace_tail(&mut self, count: usize, fused: Instr) {
        let n = self.code.instrs.len();
        self.code.instrs.truncate(n - count);
        self.code.instrs.push(fused);
        self.code.offsets.truncate(n - count + 1);
    }

    /// Emits a load, fused with a `local.get` of its address emitted just before (and after the
    /// last branch target) when there is one.
    fn emit_load(&mut self, load: Instr, from_local: impl FnOnce(u32) -> Instr, offset: u64) {
        let n = self.code.instrs.len();
        if !self.dead
            && n > self.fusion_floor
            && let Instr::LocalGet(local) = self.code.instrs[n - 1]
        {
            self.code.instrs[n - 1] = from_local(local);
        } else {
            self.emit(load, offset);
        }
    }

    /// Folds an `i32.const` or a `local.get` just emitted into the `i32` operator `op` that
    /// takes it as right operand. Returns whether it did (then `op` is not to be emitted).
    /// Tests are left alone: they fuse with a following `br_if` instead.
    fn fuse_right_operand(&mut self, op: Instr) -> bool {
        let n = self.code.instrs.len();
        if self.dead || n < 1 || n - 1 < self.fusion_floor {
            return false;
        }
        if let Instr::LocalGet(b) = self.code.instrs[n - 1] {
            let fused = match op {
                Instr::I32Add => Instr::I32AddLocal(b),
                Instr::I32Sub => Instr::I32SubLocal(b),
                Instr::I32Mul => Instr::I32MulLocal(b),
                Instr::I32And => Instr::I32AndLocal(b),
                Instr::I32Or => Instr::I32OrLocal(b),
                Instr::I32Xor => Instr::I32XorLocal(b),
                _ => return false,
            };
            self.code.instrs[n - 1] = fused;
            return true;
        }
        let Instr::I32Const(c) = self.code.instrs[n - 1] else { return false };
        let fused = match op {
            Instr::I32Add => Instr::I32AddConst(c),
            Instr::I32Sub => Instr::I32AddConst(c.wrapping_neg()),
            Instr::I32Mul => Instr::I32MulConst(c),
            Instr::I32And => Instr::I32AndConst(c),
            Instr::I32Or => Instr::I32OrConst(c),
            Instr::I32Xor => Instr::I32XorConst(c),
            Instr::I32Shl => Instr::I32ShlConst(c),
            Instr::I32ShrS => Instr::I32ShrSConst(c),
            Instr::I32ShrU => Instr::I32ShrUConst(c),
            Instr::I32Rotr => Instr::I32RotrConst(c),
            Instr::I32LtU => Instr::I32LtUConst(c),
            _ => return false,
        };
        self.code.instrs[n - 1] = fused;
        true
    }

    fn pc(&self) -> u32 {
        self.code.instrs.len() as u32
    }

    /// Resolves a branch to the label `depth` from a stack of `current` slots.
    fn branch_target(&mut self, depth: u32, current: u32, fixup: impl FnOnce(&Self) -> Fixup) -> BranchTarget {
        let index = self.controls.len() - 1 - depth as usize;
        let label = &self.controls[index];
        let keep = if label.kind == ControlKind::Loop { label.param_slots } else { label.result_slots };
        let drop = current.saturating_sub(label.height_slots + keep);
        if label.kind == ControlKind::Loop {
            BranchTarget { target: label.loop_pc, drop, keep }
        } else {
            let f = fixup(self);
            self.controls[index].fixups.push(f);
            BranchTarget { target: u32::MAX, drop, keep }
        }
    }

    fn push_control(&mut self, kind: ControlKind, ty: BlockType, current: u32) {
        if kind == ControlKind::Loop {
            self.fusion_floor = self.code.instrs.len();
        }
        let (param_slots, result_slots) = self.block_slots(ty);
        self.controls.push(Control {
            kind,
            height_slots: current.saturating_sub(param_slots),
            param_slots,
            result_slots,
            loop_pc: self.pc(),
            fixups: Vec::new(),
            if_fixup: None,
            entry_dead: self.dead,
        });
    }

    fn patch(&mut self, fixup: Fixup, target: u32) {
        match fixup {
            Fixup::Instr(i) => match &mut self.code.instrs[i] {
                Instr::BrIfEqz { target: t } => *t = target,
                other => {
                    if let Some(t) = other.branch_target_mut() {
                        t.target = target;
                    }
                }
            },
            Fixup::Table(i) => self.code.br_tables[i].target = target,
        }
    }

    fn memarg(&self, m: &wasmparser::MemArg, offset: u64) -> Result<u32, Error> {
        u32::try_from(m.offset)
            .ok()
            .filter(|_| m.target == wasmparser::MemArgTarget::Memory(0))
            .ok_or_else(|| Error::Unsupported { message: "memory64 or multi-memory access".into(), offset })
    }

    fn operator(&mut self, op: &Operator<'_>, offset: u64) -> Result<(), Error> {
        use Operator as O;
        // State that must be read before the validator consumes the operator.
        let before = match op {
            O::Block { .. } | O::Loop { .. } | O::Br { .. } => self.current_slots(0),
            O::If { .. } | O::BrIf { .. } | O::BrTable { .. } => self.current_slots(1),
            O::Drop => self.operand_width(0),
            O::Select | O::TypedSelect { .. } | O::TypedSelectMulti { .. } => self.operand_width(1),
            _ => 0,
        };
        self.validator.op(offset, op).map_err(invalid)?;
        self.max_operands = self.max_operands.max(self.validator.operand_stack_height() as usize);
        let unsupported =
            |what: &str| Error::Unsupported { message: format!("operator `{what}` is not supported"), offset };
        match *op {
            O::Nop => {}
            O::Block { blockty } => self.push_control(ControlKind::Block, blockty, before),
            O::Loop { blockty } => self.push_control(ControlKind::Loop, blockty, before),
            O::If { blockty } => {
                let emitted = !self.dead;
                self.emit(Instr::BrIfEqz { target: u32::MAX }, offset);
                self.push_control(ControlKind::If, blockty, before);
                if emitted {
                    let at = self.code.instrs.len() - 1;
                    if let Some(c) = self.controls.last_mut() {
                        c.if_fixup = Some(at);
                    }
                }
            }
            O::Else => {
                if !self.dead {
                    self.emit(Instr::Br(BranchTarget { target: u32::MAX, drop: 0, keep: 0 }), offset);
                    let at = self.code.instrs.len() - 1;
                    if let Some(c) = self.controls.last_mut() {
                        c.fixups.push(Fixup::Instr(at));
                    }
                }
                let pc = self.pc();
                self.fusion_floor = pc as usize;
                if let Some(c) = self.controls.last_mut() {
                    c.kind = ControlKind::Else;
                    let f = c.if_fixup.take();
                    self.dead = c.entry_dead;
                    if let Some(i) = f {
                        self.patch(Fixup::Instr(i), pc);
                    }
                }
            }
            O::End => {
                let Some(control) = self.controls.pop() else { return Ok(()) };
                self.dead = control.entry_dead;
                let end = self.pc();
                self.fusion_floor = end as usize;
                if let Some(i) = control.if_fixup {
                    self.patch(Fixup::Instr(i), end);
                }
                for f in control.fixups {
                    self.patch(f, end);
                }
                if control.kind == ControlKind::Function {
                    self.dead = false;
                    self.emit(Instr::Return, offset);
                }
            }
            O::Br { relative_depth } => {
                if !self.dead {
                    let at = self.code.instrs.len();
                    let t = self.branch_target(relative_depth, before, |_| Fixup::Instr(at));
                    self.emit(Instr::Br(t), offset);
                }
                self.dead = true;
            }
            O::BrIf { relative_depth } => {
                if !self.dead {
                    // An `i32` test just before (and after the last branch target) is fused in:
                    // the fused instruction takes the test's place and offset.
                    let n = self.code.instrs.len();
                    let test = (n > self.fusion_floor)
                        .then(|| self.code.instrs[n - 1])
                        .filter(|i| i.fused_with_br_if(BranchTarget { target: 0, drop: 0, keep: 0 }).is_some());
                    let at = if test.is_some() { n - 1 } else { n };
                    let t = self.branch_target(relative_depth, before, |_| Fixup::Instr(at));
                    match test.and_then(|i| i.fused_with_br_if(t)) {
                        Some(fused) => self.code.instrs[n - 1] = fused,
                        None => self.emit(Instr::BrIf(t), offset),
                    }
                }
            }
            O::BrTable { ref targets } => {
                if !self.dead {
                    let start = self.code.br_tables.len() as u32;
                    let mut depths = Vec::with_capacity(targets.len() as usize + 1);
                    for d in targets.targets() {
                        depths.push(d.map_err(invalid)?);
                    }
                    depths.push(targets.default());
                    for d in depths {
                        let at = self.code.br_tables.len();
                        let t = self.branch_target(d, before, |_| Fixup::Table(at));
                        self.code.br_tables.push(t);
                    }
                    let len = self.code.br_tables.len() as u32 - start;
                    self.emit(Instr::BrTable { start, len }, offset);
                }
                self.dead = true;
            }
            O::Return => {
                self.emit(Instr::Return, offset);
                self.dead = true;
            }
            O::Unreachable => {
                self.emit(Instr::Unreachable, offset);
                self.dead = true;
            }
            O::Call { function_index } => self.emit(Instr::Call(function_index), offset),
            O::CallIndirect { type_index, table_index } => {
                self.emit(Instr::CallIndirect { type_index, table: table_index }, offset)
            }
            O::ReturnCall { function_index } => {
                self.emit(Instr::ReturnCall(function_index), offset);
                self.dead = true;
            }
            O::ReturnCallIndirect { type_index, table_index } => {
                self.emit(Instr::ReturnCallIndirect { type_index, table: table_index }, offset);
                self.dead = true;
            }
            O::Drop => self.emit(if before == 2 { Instr::Drop2 } else { Instr::Drop }, offset),
            O::Select | O::TypedSelect { .. } => {
                self.emit(if before == 2 { Instr::Select2 } else { Instr::Select }, offset)
            }
            O::LocalGet { local_index } => {
                let (o, wide) = self.local(local_index);
                self.emit(if wide { Instr::LocalGet2(o) } else { Instr::LocalGet(o) }, offset)
            }
            O::LocalSet { local_index } => {
                let (o, wide) = self.local(local_index);
                if wide {
                    self.emit(Instr::LocalSet2(o), offset)
                } else if !self.fuse_local_set(o) {
                    self.emit(Instr::LocalSet(o), offset)
                }
            }
            O::LocalTee { local_index } => {
                let (o, wide) = self.local(local_index);
                self.emit(if wide { Instr::LocalTee2(o) } else { Instr::LocalTee(o) }, offset)
            }
            O::GlobalGet { global_index } => {
                let wide = self.ctx.global_types.get(global_index as usize) == Some(&ValType::V128);
                self.emit(if wide { Instr::GlobalGet2(global_index) } else { Instr::GlobalGet(global_index) }, offset)
            }
            O::GlobalSet { global_index } => {
                let wide = self.ctx.global_types.get(global_index as usize) == Some(&ValType::V128);
                self.emit(if wide { Instr::GlobalSet2(global_index) } else { Instr::GlobalSet(global_index) }, offset)
            }
            O::I32Load { memarg } => {
                let o = self.memarg(&memarg, offset)?;
                self.emit_load(Instr::I32Load(o), |local| Instr::I32LoadLocal { local, offset: o }, offset)
            }
            O::I64Load { memarg } => {
                let o = self.memarg(&memarg, offset)?;
                self.emit_load(Instr::I64Load(o), |local| Instr::I64LoadLocal { local, offset: o }, offset)
            }
            O::F32Load { memarg } => self.emit(Instr::F32Load(self.memarg(&memarg, offset)?), offset),
            O::F64Load { memarg } => {
                let o = self.memarg(&memarg, offset)?;
                self.emit_load(Instr::F64Load(o), |local| Instr::F64LoadLocal { local, offset: o }, offset)
            }
            O::I32Load8S { memarg } => self.emit(Instr::I32Load8S(self.memarg(&memarg, offset)?), offset),
            O::I32Load8U { memarg } => self.emit(Instr::I32Load8U(self.memarg(&memarg, offset)?), offset),
            O::I32Load16S { memarg } => self.emit(Instr::I32Load16S(self.memarg(&memarg, offset)?), offset),
            O::I32Load16U { memarg } => self.emit(Instr::I32Load16U(self.memarg(&memarg, offset)?), offset),
            O::I64Load8S { memarg } => self.emit(Instr::I64Load8S(self.memarg(&memarg, offset)?), offset),
            O::I64Load8U { memarg } => self.emit(Instr::I64Load8U(self.memarg(&memarg, offset)?), offset),
            O::I64Load16S { memarg } => self.emit(Instr::I64Load16S(self.memarg(&memarg, offset)?), offset),
            O::I64Load16U { memarg } => self.emit(Instr::I64Load16U(self.memarg(&memarg, offset)?), offset),
            O::I64Load32S { memarg } => self.emit(Instr::I64Load32S(self.memarg(&memarg, offset)?), offset),
            O::I64Load32U { memarg } => self.emit(Instr::I64Load32U(self.memarg(&memarg, offset)?), offset),
            O::I32Store { memarg } => self.emit(Instr::I32Store(self.memarg(&memarg, offset)?), offset),
            O::I64Store { memarg } => self.emit(Instr::I64Store(self.memarg(&memarg, offset)?), offset),
            O::F32Store { memarg } => self.emit(Instr::F32Store(self.memarg(&memarg, offset)?), offset),
            O::F64Store { memarg } => self.emit(Instr::F64Store(self.memarg(&memarg, offset)?), offset),
            O::I32Store8 { memarg } => self.emit(Instr::I32Store8(self.memarg(&memarg, offset)?), offset),
            O::I32Store16 { memarg } => self.emit(Instr::I32Store16(self.memarg(&memarg, offset)?), offset),
            O::I64Store8 { memarg } => self.emit(Instr::I64Store8(self.memarg(&memarg, offset)?), offset),
            O::I64Store16 { memarg } => self.emit(Instr::I64Store16(self.memarg(&memarg, offset)?), offset),
            O::I64Store32 { memarg } => self.emit(Instr::I64Store32(self.memarg(&memarg, offset)?), offset),
            O::MemorySize { mem } | O::MemoryGrow { mem } | O::MemoryFill { mem } if mem != 0 => {
                return Err(unsupported("multi-memory"));
            }
            O::MemoryCopy { dst_mem, src_mem } if dst_mem != 0 || src_mem != 0 => {
                return Err(unsupported("multi-memory"));
            }
            O::MemoryInit { mem, .. } if mem != 0 => return Err(unsupported("multi-memory")),
            O::MemorySize { .. } => self.emit(Instr::MemorySize, offset),
            O::MemoryGrow { .. } => self.emit(Instr::MemoryGrow, offset),
            O::MemoryFill { .. } => self.emit(Instr::MemoryFill, offset),
            O::MemoryCopy { .. } => self.emit(Instr::MemoryCopy, offset),
            O::MemoryInit { data_index, .. } => self.emit(Instr::MemoryInit(data_index), offset),
            O::DataDrop { data_index } => self.emit(Instr::DataDrop(data_index), offset),
            O::TableGet { table } => self.emit(Instr::TableGet(table), offset),
            O::TableSet { table } => self.emit(Instr::TableSet(table), offset),
            O::TableSize { table } => self.emit(Instr::TableSize(table), offset),
            O::TableGrow { table } => self.emit(Instr::TableGrow(table), offset),
            O::TableFill { table } => self.emit(Instr::TableFill(table), offset),
            O::TableCopy { dst_table, src_table } => {
                self.emit(Instr::TableCopy { dst: dst_table, src: src_table }, offset)
            }
            O::TableInit { elem_index, table } => self.emit(Instr::TableInit { table, elem: elem_index }, offset),
            O::ElemDrop { elem_index } => self.emit(Instr::ElemDrop(elem_index), offset),
            O::RefNull { .. } => self.emit(Instr::RefNull, offset),
            O::RefFunc { function_index } => self.emit(Instr::RefFunc(function_index), offset),
            O::I32Const { value } => self.emit(Instr::I32Const(value), offset),
            O::I64Const { value } => self.emit(Instr::I64Const(value), offset),
            O::F32Const { value } => self.emit(Instr::F32Const(value.bits()), offset),
            O::F64Const { value } => self.emit(Instr::F64Const(value.bits()), offset),
            O::V128Const { value } => {
                let index = self.code.v128_consts.len() as u32;
                self.code.v128_consts.push(u128::from_le_bytes(*value.bytes()));
                self.emit(Instr::V128Const(index), offset)
            }
            ref other => {
                if let Some(instr) = plain_instr(other) {
                    if !self.fuse_right_operand(instr) {
                        self.emit(instr, offset);
                    }
                    if instr == Instr::Unreachable {
                        self.dead = true;
                    }
                } else if let Some(simd) =
                    simd::classify(other).map_err(|m| Error::Unsupported { message: m, offset })?
                {
                    let index = self.code.simd_ops.len() as u32;
                    self.code.simd_ops.push(simd);
                    self.emit(Instr::Simd(index), offset);
                } else {
                    return Err(unsupported(&format!("{other:?}")));
                }
            }
        }
        Ok(())
    }

    fn local(&self, index: u32) -> (u32, bool) {
        let i = index as usize;
        (self.code.local_offsets[i], self.code.local_types[i] == ValType::V128)
    }
}
