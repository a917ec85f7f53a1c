//! Translation of validated function bodies into the register form of [`crate::code`].
//!
//! Every operator is validated by wasmparser's function validator as it is translated. The
//! translator keeps its own model of the wasm operand stack: each entry has a type, its
//! *canonical* slot (locals first, then the operand stack in order, a `v128` taking two slots)
//! and where its value is now. `local.get` and constants push *pending* entries whose value is
//! still in the local or the immediate; the next instruction reads them in place (`I32Add {
//! d, a: local, b: local }`, `I32AddImm`), and anything that needs them in their canonical slots
//! first writes them there (a *materialization*). No pending entry outlives the next emitted
//! instruction except as its operand, so between groups the frame holds exactly the wasm state.
//!
//! The debug form ([`Form::Debug`]) never leaves an entry pending and fuses nothing: every wasm
//! instruction, structural ones included, is one stop point with the operand types recorded.
//! Code after an unconditional transfer is validated but not emitted.

use wasmparser::{BlockType, FuncValidator, FunctionBody, Operator, ValidatorResources};

use crate::code::{FuncCode, IndirectCall, Instr, NO_RESUME, Slot};
use crate::error::Error;
use crate::rare::StackOp;
use crate::simd;
use crate::value::{FuncType, ValType};

/// Which of the two forms of a body to produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    /// Fused, for speed.
    Fast,
    /// One stop point per wasm instruction, for breakpoints and stepping.
    Debug,
}

/// What the translator needs to know about the module around a function body.
pub(crate) struct ModuleContext<'a> {
    /// All function types of the module.
    pub types: &'a [FuncType],
    /// Type index of every function (imported first).
    pub func_types: &'a [u32],
    /// Value types of all globals (imported first).
    pub global_types: &'a [ValType],
    /// Start of the code section's contents in the module binary.
    pub code_section_start: u64,
}

/// Where an operand-stack entry's value is.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Src {
    /// In a slot: the entry's canonical slot, or (pending) a local's.
    Slot(Slot),
    /// A constant not yet written anywhere (pending).
    Const(u128),
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    ty: ValType,
    /// The entry's canonical slot.
    at: Slot,
    src: Src,
    /// Code offset of the instruction that pushed it (for pending entries).
    origin: u32,
}

impl Entry {
    fn pending(&self) -> bool {
        self.src != Src::Slot(self.at)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ControlKind {
    Function,
    Block,
    Loop,
    If,
    Else,
}

/// A place whose jump target is a label not placed yet.
#[derive(Debug, Clone, Copy)]
enum Fixup {
    Instr(usize),
    Table(usize),
}

#[derive(Debug)]
struct Control {
    kind: ControlKind,
    /// Entries beneath this block's parameters.
    height: usize,
    params: Vec<ValType>,
    results: Vec<ValType>,
    /// For loops: the label's instruction index.
    loop_pc: u32,
    fixups: Vec<Fixup>,
    /// For `if`: the jump to the `else` arm, patched at `else` or `end`.
    if_fixup: Option<usize>,
    entry_dead: bool,
}

impl Control {
    /// The types a branch to this label carries.
    fn label_types(&self) -> &[ValType] {
        if self.kind == ControlKind::Loop { &self.params } else { &self.results }
    }
}

struct Translator<'a> {
    ctx: &'a ModuleContext<'a>,
    validator: FuncValidator<ValidatorResources>,
    form: Form,
    code: FuncCode,
    stack: Vec<Entry>,
    controls: Vec<Control>,
    dead: bool,
    max_slots: u32,
    /// Instructions before this index may not be changed by fusion (a label follows them).
    fusion_floor: usize,
    /// The last instruction, when it is a pure operator whose result is the top entry.
    last_value: Option<usize>,
    /// The code offset of the operator being translated.
    op_offset: u32,
    /// The wasm instruction whose exact state the frame holds now, while no instruction has been
    /// emitted since: the next instruction is a resume point for it.
    clean_at: Option<u32>,
    /// Debug form: the operand types before the current operator.
    op_types: Box<[ValType]>,
    /// The function's result types.
    func_results: Vec<ValType>,
}

fn invalid(e: wasmparser::BinaryReaderError) -> Error {
    Error::Invalid { message: e.message().to_string(), offset: e.offset() }
}

fn width(ty: ValType) -> u32 {
    ty.slots()
}

/// Validates and translates one function body into `form`.
pub(crate) fn translate(
    ctx: &ModuleContext<'_>,
    func_index: u32,
    type_index: u32,
    body: &FunctionBody<'_>,
    validator: FuncValidator<ValidatorResources>,
    form: Form,
) -> Result<FuncCode, Error> {
    let ty = &ctx.types[type_index as usize];
    let mut local_types: Vec<ValType> = ty.params.clone();
    let mut t = Translator {
        ctx,
        validator,
        form,
        code: FuncCode {
            func_index,
            instrs: Vec::new(),
            ops: Vec::new(),
            offsets: Vec::new(),
            resume: Vec::new(),
            br_tables: Vec::new(),
            br_table_rel: Vec::new(),
            v128_consts: Vec::new(),
            indirect: Vec::new(),
            stack_ops: Vec::new(),
            operand_types: Vec::new(),
            local_types: Vec::new(),
            local_slots: Vec::new(),
            param_slots: ty.param_slots(),
            locals_end: 0,
            result_slots: ty.result_slots(),
            frame_slots: 0,
        },
        stack: Vec::new(),
        controls: Vec::new(),
        dead: false,
        max_slots: 0,
        fusion_floor: 0,
        last_value: None,
        op_offset: 0,
        clean_at: None,
        op_types: Box::new([]),
        func_results: ty.results.clone(),
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
    let mut slot = 0u64;
    for vt in &local_types {
        t.code.local_slots.push(slot as u32);
        slot += vt.slots() as u64;
    }
    if slot > (u32::MAX / 4) as u64 {
        return Err(Error::Unsupported { message: "function with too many locals".into(), offset: 0 });
    }
    t.code.locals_end = slot as u32;
    t.max_slots = t.code.locals_end;
    t.code.local_types = local_types;
    t.controls.push(Control {
        kind: ControlKind::Function,
        height: 0,
        params: Vec::new(),
        results: ty.results.clone(),
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
    thread_jumps(&mut t.code);
    t.code.frame_slots = t.max_slots.max(t.code.result_slots).max(1);
    t.code.verify().map_err(|m| Error::Invalid { message: format!("internal translation error: {m}"), offset: 0 })?;
    if form == Form::Fast && crate::threaded::ENABLED {
        (t.code.ops, t.code.br_table_rel) = crate::threaded::encode_body(&t.code);
    }
    Ok(t.code)
}

/// Replaces each jump to a return (or to another jump) with that instruction itself: the state
/// is the same, one dispatch less. Resume points and offsets are kept.
fn thread_jumps(code: &mut FuncCode) {
    for pc in 0..code.instrs.len() {
        let Instr::Br { t } = code.instrs[pc] else { continue };
        let mut target = t as usize;
        // Follow chains of jumps, a bounded number of times (a loop of jumps is valid wasm).
        for _ in 0..8 {
            match code.instrs.get(target) {
                Some(Instr::Br { t }) if (*t as usize) != target => target = *t as usize,
                _ => break,
            }
        }
        match code.instrs.get(target) {
            Some(&(Instr::Return | Instr::Return1 { .. })) => code.instrs[pc] = code.instrs[target],
            Some(&Instr::Br { t }) if t as usize != pc => code.instrs[pc] = Instr::Br { t },
            _ => {}
        }
    }
}

impl Translator<'_> {
    fn fast(&self) -> bool {
        self.form == Form::Fast
    }

    fn pc(&self) -> u32 {
        self.code.instrs.len() as u32
    }

    /// The slot the next pushed entry takes.
    fn next_slot(&self) -> Slot {
        self.stack.last().map_or(self.code.locals_end, |e| e.at + width(e.ty))
    }

    fn push_instr(&mut self, instr: Instr, offset: u32) -> usize {
        let resume = self.clean_at.take();
        self.code.instrs.push(instr);
        self.code.offsets.push(offset);
        self.code.resume.push(resume.unwrap_or(NO_RESUME));
        if self.form == Form::Debug {
            let types = if resume.is_some() { self.op_types.clone() } else { Box::new([]) as Box<[ValType]> };
            self.code.operand_types.push(types);
        }
        self.last_value = None;
        self.code.instrs.len() - 1
    }

    /// Emits an instruction of the current operator.
    fn emit(&mut self, instr: Instr) -> usize {
        self.push_instr(instr, self.op_offset)
    }

    /// Forgets the resume point before the next instruction: an earlier instruction was just
    /// changed to do the current operator's work too.
    fn fused(&mut self) {
        self.clean_at = None;
        self.last_value = None;
    }

    /// Emits an operator's result instruction and records it as fusable into a `local.set`.
    fn emit_value(&mut self, instr: Instr) {
        let at = self.emit(instr);
        self.last_value = Some(at);
    }

    fn push(&mut self, ty: ValType, src: Option<Src>) -> Slot {
        let at = self.next_slot();
        self.max_slots = self.max_slots.max(at + width(ty));
        self.stack.push(Entry { ty, at, src: src.unwrap_or(Src::Slot(at)), origin: self.op_offset });
        at
    }

    fn pop(&mut self) -> Entry {
        // Validation guarantees an entry in live code.
        self.stack.pop().unwrap_or(Entry { ty: ValType::I32, at: 0, src: Src::Slot(0), origin: 0 })
    }

    /// The instruction that writes `src` (of type `ty`) into slot `d`.
    fn copy_instr(ty: ValType, d: Slot, src: Src, consts: &mut Vec<u128>) -> Option<Instr> {
        Some(match src {
            Src::Slot(a) if a == d => return None,
            Src::Slot(a) if ty == ValType::V128 => Instr::CopyWide { d, a },
            Src::Slot(a) => Instr::Copy { d, a },
            Src::Const(v) if ty == ValType::V128 => {
                consts.push(v);
                Instr::ConstWide { d, i: consts.len() as u32 - 1 }
            }
            Src::Const(v) if v <= u32::MAX as u128 => Instr::Const32 { d, imm: v as u32 },
            Src::Const(v) => Instr::Const64 { d, imm: v as u64 },
        })
    }

    /// Writes pending entry `i` into its canonical slot.
    fn materialize(&mut self, i: usize) {
        let e = self.stack[i];
        if !e.pending() {
            return;
        }
        if let Some(instr) = Self::copy_instr(e.ty, e.at, e.src, &mut self.code.v128_consts) {
            self.push_instr(instr, e.origin);
        }
        self.stack[i].src = Src::Slot(e.at);
    }

    /// Materializes every entry but the top `keep`.
    fn materialize_below(&mut self, keep: usize) {
        let end = self.stack.len().saturating_sub(keep);
        for i in 0..end {
            self.materialize(i);
        }
    }

    /// Prepares the top `k` entries as operands: each for which `needs_slot` holds is written
    /// to its slot. Pending entries beneath stay pending: a pure operator cannot change what
    /// they read.
    fn operands(&mut self, k: usize, needs_slot: impl Fn(usize, &Entry) -> bool) -> Vec<Entry> {
        let base = self.stack.len() - k.min(self.stack.len());
        for i in base..self.stack.len() {
            if needs_slot(i - base, &self.stack[i]) {
                self.materialize(i);
            }
        }
        self.stack[base..].to_vec()
    }

    /// Writes every pending entry that reads the local in `slot` to its own slot, before the
    /// local is written.
    fn materialize_readers(&mut self, slot: Slot) {
        for i in 0..self.stack.len() {
            if self.stack[i].src == Src::Slot(slot) && self.stack[i].pending() {
                self.materialize(i);
            }
        }
    }

    /// Whether any pending entry reads the local in `slot`.
    fn has_readers(&self, slot: Slot) -> bool {
        self.stack.iter().any(|e| e.pending() && e.src == Src::Slot(slot))
    }

    fn slot_of(e: &Entry) -> Slot {
        match e.src {
            Src::Slot(s) => s,
            Src::Const(_) => e.at,
        }
    }

    fn is_const(e: &Entry) -> bool {
        matches!(e.src, Src::Const(_))
    }

    /// A constant right operand that fits an immediate (sign-extended to 64 bits).
    fn imm_of(e: &Entry) -> Option<i32> {
        match (e.src, e.ty) {
            (Src::Const(v), ValType::I32) => Some(v as u32 as i32),
            (Src::Const(v), ValType::I64) => i32::try_from(v as u64 as i64).ok(),
            _ => None,
        }
    }

    fn block_types(&self, ty: BlockType) -> (Vec<ValType>, Vec<ValType>) {
        match ty {
            BlockType::Empty => (Vec::new(), Vec::new()),
            BlockType::Type(t) => (Vec::new(), ValType::from_wasmparser(t).into_iter().collect()),
            BlockType::FuncType(i) => {
                let f = &self.ctx.types[i as usize];
                (f.params.clone(), f.results.clone())
            }
        }
    }

    /// The type of the validator's operand `depth` entries below the top.
    fn validator_type(&self, depth: usize) -> ValType {
        match self.validator.get_operand_type(depth) {
            Some(Some(t)) => ValType::from_wasmparser(t).unwrap_or(ValType::I32),
            _ => ValType::I32,
        }
    }

    /// The canonical slot of the first value a branch to `label` carries.
    fn label_slot(&self, label: usize) -> Slot {
        let h = self.controls[label].height;
        if h == 0 { self.code.locals_end } else { self.stack[h - 1].at + width(self.stack[h - 1].ty) }
    }

    /// Index of the control `depth` labels out.
    fn label(&self, depth: u32) -> usize {
        self.controls.len() - 1 - depth as usize
    }

    /// The copies that move the top entries into the slots a branch to `label` expects them in.
    fn branch_copies(&mut self, label: usize) -> Vec<Instr> {
        let types = self.controls[label].label_types().to_vec();
        let mut at = self.label_slot(label);
        let top = self.stack.len();
        let first = top - types.len();
        let mut copies = Vec::new();
        for i in first..top {
            let e = self.stack[i];
            if let Some(c) = Self::copy_instr(e.ty, at, e.src, &mut self.code.v128_consts) {
                copies.push(c);
            }
            at += width(e.ty);
        }
        copies
    }

    /// A jump to `label` from instruction `at` (or br_table entry): loops are known, the rest
    /// are patched when their `end` is reached.
    fn target(&mut self, label: usize, fixup: Fixup) -> u32 {
        let c = &mut self.controls[label];
        if c.kind == ControlKind::Loop {
            c.loop_pc
        } else {
            c.fixups.push(fixup);
            u32::MAX
        }
    }

    fn patch(&mut self, fixup: Fixup, target: u32) {
        match fixup {
            Fixup::Instr(i) => {
                if let Some(t) = self.code.instrs[i].target_mut() {
                    *t = target;
                }
            }
            Fixup::Table(i) => self.code.br_tables[i] = target,
        }
    }

    /// Emits an unconditional branch to `label` with its values moved into place.
    fn branch(&mut self, label: usize) {
        if self.controls[label].kind == ControlKind::Function {
            self.emit_return();
            return;
        }
        let copies = self.branch_copies(label);
        for c in copies {
            self.emit(c);
        }
        let at = self.code.instrs.len();
        let t = self.target(label, Fixup::Instr(at));
        self.emit(Instr::Br { t });
    }

    /// The last instruction, if it computed the condition `cond` and may still be fused.
    fn fusable_condition(&self, cond: &Entry) -> Option<(usize, Instr)> {
        let i = self.last_value?;
        let instr = self.code.instrs[i];
        (self.fast() && i + 1 == self.code.instrs.len() && i >= self.fusion_floor && cond.src == Src::Slot(cond.at))
            .then_some(())
            .filter(|_| instr.result_slot() == Some(cond.at))
            .map(|_| (i, instr))
    }

    /// Emits a jump to `t` (a fixup is taken from the returned index) taken when `cond` holds
    /// (`when` true) or does not hold (`when` false), fusing the comparison that computed it.
    fn conditional_jump(&mut self, cond: Entry, when: bool) -> usize {
        if let Some((i, instr)) = self.fusable_condition(&cond) {
            let fused = if when {
                instr.compare_and_branch(u32::MAX)
            } else {
                match instr {
                    Instr::I32Eqz { a, .. } => Some(Instr::BrNez { a, t: u32::MAX }),
                    Instr::I64Eqz { a, .. } => Some(Instr::BrI64Nez { a, t: u32::MAX }),
                    other => other.negated_compare().and_then(|n| n.compare_and_branch(u32::MAX)),
                }
            };
            if let Some(f) = fused {
                self.code.instrs[i] = f;
                self.fused();
                return i;
            }
        }
        let a = Self::slot_of(&cond);
        self.emit(if when { Instr::BrNez { a, t: u32::MAX } } else { Instr::BrEqz { a, t: u32::MAX } })
    }

    /// Emits the function's return of the top entries.
    fn emit_return(&mut self) {
        let results = self.func_results.clone();
        match results.as_slice() {
            [] => {
                self.emit(Instr::Return);
            }
            [ty] if *ty != ValType::V128 => {
                let ops = self.operands(1, |_, e| Self::is_const(e));
                self.emit(Instr::Return1 { a: Self::slot_of(&ops[0]) });
            }
            _ => {
                self.materialize_below(0);
                let mut at = 0;
                let first = self.stack.len() - results.len();
                for i in first..self.stack.len() {
                    let e = self.stack[i];
                    if let Some(c) = Self::copy_instr(e.ty, at, e.src, &mut self.code.v128_consts) {
                        self.emit(c);
                    }
                    at += width(e.ty);
                }
                self.emit(Instr::Return);
            }
        }
    }

    fn push_control(&mut self, kind: ControlKind, ty: BlockType) {
        let (params, results) = self.block_types(ty);
        let height = self.stack.len().saturating_sub(params.len());
        let loop_pc = self.pc();
        if kind == ControlKind::Loop {
            self.fusion_floor = self.code.instrs.len();
        }
        self.controls.push(Control {
            kind,
            height,
            params,
            results,
            loop_pc,
            fixups: Vec::new(),
            if_fixup: None,
            entry_dead: self.dead,
        });
    }

    /// Resets the stack to `height` canonical entries plus `types` (after a label).
    fn reset_stack(&mut self, height: usize, types: &[ValType]) {
        self.stack.truncate(height);
        for &ty in types {
            self.push(ty, None);
        }
    }

    /// Places a label here: later instructions may not fuse with earlier ones.
    fn place_label(&mut self) -> u32 {
        self.fusion_floor = self.code.instrs.len();
        self.last_value = None;
        self.pc()
    }

    fn memarg(&self, m: &wasmparser::MemArg, offset: u64) -> Result<u32, Error> {
        u32::try_from(m.offset)
            .ok()
            .filter(|_| m.target == wasmparser::MemArgTarget::Memory(0))
            .ok_or_else(|| Error::Unsupported { message: "memory64 or multi-memory access".into(), offset })
    }

    /// A debug-form stop point for an instruction that does nothing at run time.
    fn stop_point(&mut self) {
        if !self.fast() {
            self.emit(Instr::Nop);
        }
    }

    fn unary(&mut self, instr: impl FnOnce(Slot, Slot) -> Instr, ty: ValType) {
        let ops = self.operands(1, |_, e| Self::is_const(e));
        self.stack.pop();
        let d = self.push(ty, None);
        self.emit_value(instr(d, Self::slot_of(&ops[0])));
    }

    /// A load at offset 0 whose address the last instruction computed as `x + k` or `x + y`:
    /// one load that adds (wrapping, as the `i32.add` did). Returns whether it fused.
    fn fuse_address(&mut self, load: Instr, ty: ValType) -> bool {
        let Some(&addr) = self.stack.last() else { return false };
        let fused = match self.fusable_condition(&addr) {
            Some((i, Instr::I32AddImm { a, imm, .. })) => load.load_at(a, imm).map(|f| (i, f)),
            Some((i, Instr::I32Add { a, b, .. })) => load.load_idx(a, b).map(|f| (i, f)),
            _ => None,
        };
        let Some((i, mut fused)) = fused else { return false };
        fused.set_result_slot(addr.at);
        self.code.instrs[i] = fused;
        // It is the load that can trap: it reports the load's offset.
        self.code.offsets[i] = self.op_offset;
        self.fused();
        self.stack.pop();
        self.push(ty, None);
        self.last_value = Some(i);
        true
    }

    fn binary(&mut self, instr: Instr, ty: ValType) {
        let fast = self.fast();
        let imm = self.stack.last().filter(|_| fast).and_then(Self::imm_of).filter(|&c| instr.with_imm(c).is_some());
        let ops = match imm {
            Some(_) => {
                let ops = self.operands(2, |i, e| i == 0 && Self::is_const(e));
                self.stack.truncate(self.stack.len() - 2);
                let d = self.push(ty, None);
                let a = Self::slot_of(&ops[0]);
                let mut i = instr.with_imm(imm.unwrap_or(0)).unwrap_or(instr);
                i.set_slots(d, a, 0);
                self.emit_value(i);
                return;
            }
            None => self.operands(2, |_, e| Self::is_const(e)),
        };
        self.stack.truncate(self.stack.len() - 2);
        let d = self.push(ty, None);
        let mut i = instr;
        i.set_slots(d, Self::slot_of(&ops[0]), Self::slot_of(&ops[1]));
        self.emit_value(i);
    }

    /// An operator run as a stack operation: all operands in their slots, results from the
    /// validator's types.
    fn stack_op(&mut self, op: StackOp, pops: usize, pushes: usize) {
        self.materialize_below(0);
        let h = self.next_slot();
        let i = self.code.stack_ops.len() as u32;
        self.code.stack_ops.push(op);
        self.emit(Instr::Stack { i, h });
        for _ in 0..pops.min(self.stack.len()) {
            self.stack.pop();
        }
        for d in (0..pushes).rev() {
            let ty = self.validator_type(d);
            self.push(ty, None);
        }
    }

    fn operator(&mut self, op: &Operator<'_>, offset: u64) -> Result<(), Error> {
        use Operator as O;
        let arity = op.operator_arity(&self.validator);
        self.validator.op(offset, op).map_err(invalid)?;
        self.op_offset = offset.saturating_sub(self.ctx.code_section_start) as u32;
        if !self.stack.iter().any(Entry::pending) {
            self.clean_at = Some(self.op_offset);
        }
        if self.form == Form::Debug && !self.dead {
            self.op_types = self.stack.iter().map(|e| e.ty).collect();
        }
        let unsupported =
            |what: &str| Error::Unsupported { message: format!("operator `{what}` is not supported"), offset };
        if self.dead {
            // Only the block structure matters in unreachable code.
            match *op {
                O::Block { blockty } | O::Loop { blockty } | O::If { blockty } => {
                    self.push_control(ControlKind::Block, blockty);
                }
                O::Else | O::End => return self.control_end(op),
                _ => {}
            }
            return Ok(());
        }
        match *op {
            O::Nop => self.stop_point(),
            O::Block { blockty } => {
                self.materialize_below(0);
                self.stop_point();
                self.push_control(ControlKind::Block, blockty);
            }
            O::Loop { blockty } => {
                self.materialize_below(0);
                self.stop_point();
                self.push_control(ControlKind::Loop, blockty);
                self.place_label();
            }
            O::If { blockty } => {
                self.materialize_below(1);
                self.operands(1, |_, e| Self::is_const(e));
                let cond = self.pop();
                let at = self.conditional_jump(cond, false);
                self.push_control(ControlKind::If, blockty);
                if let Some(c) = self.controls.last_mut() {
                    c.if_fixup = Some(at);
                }
            }
            O::Else | O::End => return self.control_end(op),
            O::Br { relative_depth } => {
                let label = self.label(relative_depth);
                self.branch(label);
                self.dead = true;
            }
            O::BrIf { relative_depth } => {
                let label = self.label(relative_depth);
                self.materialize_below(1);
                self.operands(1, |_, e| Self::is_const(e));
                let cond = self.pop();
                let to_function = self.controls[label].kind == ControlKind::Function;
                let copies = if to_function { Vec::new() } else { self.branch_copies(label) };
                if to_function {
                    let skip = self.conditional_jump(cond, false);
                    self.emit_return();
                    let here = self.place_label();
                    self.patch(Fixup::Instr(skip), here);
                } else if copies.is_empty() {
                    let at = self.conditional_jump(cond, true);
                    let t = self.target(label, Fixup::Instr(at));
                    self.patch(Fixup::Instr(at), t);
                } else {
                    // Not taken: skip the copies and the jump.
                    let skip = self.conditional_jump(cond, false);
                    for c in copies {
                        self.emit(c);
                    }
                    let at = self.code.instrs.len();
                    let t = self.target(label, Fixup::Instr(at));
                    self.emit(Instr::Br { t });
                    let here = self.place_label();
                    self.patch(Fixup::Instr(skip), here);
                }
            }
            O::BrTable { ref targets } => {
                self.materialize_below(1);
                let ops = self.operands(1, |_, e| Self::is_const(e));
                let index = Self::slot_of(&ops[0]);
                self.pop();
                let mut depths = Vec::with_capacity(targets.len() as usize + 1);
                for d in targets.targets() {
                    depths.push(d.map_err(invalid)?);
                }
                depths.push(targets.default());
                let start = self.code.br_tables.len() as u32;
                let len = depths.len() as u32;
                self.emit(Instr::BrTable { a: index, start, len });
                let mut trampolines = Vec::new();
                for (k, &d) in depths.iter().enumerate() {
                    let label = self.label(d);
                    let to_function = self.controls[label].kind == ControlKind::Function;
                    let copies = if to_function { Vec::new() } else { self.branch_copies(label) };
                    let entry = self.code.br_tables.len();
                    self.code.br_tables.push(u32::MAX);
                    if !to_function && copies.is_empty() {
                        let t = self.target(label, Fixup::Table(entry));
                        self.code.br_tables[entry] = t;
                    } else {
                        trampolines.push((k, label, copies));
                    }
                }
                for (k, label, copies) in trampolines {
                    let entry = start as usize + k;
                    self.code.br_tables[entry] = self.pc();
                    if self.controls[label].kind == ControlKind::Function {
                        self.emit_return();
                        continue;
                    }
                    for c in copies {
                        self.emit(c);
                    }
                    let at = self.code.instrs.len();
                    let t = self.target(label, Fixup::Instr(at));
                    self.emit(Instr::Br { t });
                }
                self.dead = true;
            }
            O::Return => {
                self.emit_return();
                self.dead = true;
            }
            O::Unreachable => {
                self.emit(Instr::Unreachable);
                self.dead = true;
            }
            O::Call { function_index } => self.call(function_index, false)?,
            O::ReturnCall { function_index } => {
                self.call(function_index, true)?;
                self.dead = true;
            }
            O::CallIndirect { type_index, table_index } => self.call_indirect(type_index, table_index, false),
            O::ReturnCallIndirect { type_index, table_index } => {
                self.call_indirect(type_index, table_index, true);
                self.dead = true;
            }
            O::Drop => {
                self.pop();
                self.stop_point();
            }
            O::Select | O::TypedSelect { .. } => {
                let ops = self.operands(3, |i, e| i == 0 && e.pending() || Self::is_const(e));
                let (a, b, c) = (ops[0], ops[1], ops[2]);
                self.stack.truncate(self.stack.len() - 3);
                let d = self.push(a.ty, None);
                let (b, c) = (Self::slot_of(&b), Self::slot_of(&c));
                let wide = a.ty == ValType::V128;
                self.emit(if wide { Instr::SelectWide { d, b, c } } else { Instr::Select { d, b, c } });
            }
            O::LocalGet { local_index } => {
                let i = local_index as usize;
                let (ty, slot) = (self.code.local_types[i], self.code.local_slots[i]);
                self.push(ty, Some(Src::Slot(slot)));
                if !self.fast() {
                    let top = self.stack.len() - 1;
                    self.materialize_as_op(top);
                }
            }
            O::LocalSet { local_index } => {
                let i = local_index as usize;
                let slot = self.code.local_slots[i];
                let top = self.stack.last().copied();
                if let Some(e) = top
                    && let Some((at, _)) = self.fusable_condition(&e)
                    && !self.has_readers(slot)
                {
                    self.code.instrs[at].set_result_slot(slot);
                    self.fused();
                    self.stack.pop();
                    return Ok(());
                }
                self.materialize_readers(slot);
                let e = self.pop();
                match Self::copy_instr(e.ty, slot, e.src, &mut self.code.v128_consts) {
                    Some(c) => {
                        self.emit(c);
                    }
                    None => self.stop_point(),
                }
            }
            O::LocalTee { local_index } => {
                let i = local_index as usize;
                let slot = self.code.local_slots[i];
                let top = self.stack.len() - 1;
                let e = self.stack[top];
                if let Some((at, _)) = self.fusable_condition(&e)
                    && !self.has_readers(slot)
                {
                    // The value is written straight into the local; the stack entry reads it
                    // there until something needs it in its own slot.
                    self.code.instrs[at].set_result_slot(slot);
                    self.fused();
                    self.stack[top].src = Src::Slot(slot);
                    return Ok(());
                }
                // The teed value itself may read the local: it is written to its slot first.
                for j in 0..top {
                    if self.stack[j].src == Src::Slot(slot) && self.stack[j].pending() {
                        self.materialize(j);
                    }
                }
                let e = self.stack[top];
                match e.src {
                    Src::Slot(a) if a != e.at && e.ty != ValType::V128 && a != slot => {
                        self.emit(Instr::Copy2 { d: slot, d2: e.at, a });
                        self.stack[top].src = Src::Slot(e.at);
                    }
                    _ => {
                        self.materialize(top);
                        match Self::copy_instr(e.ty, slot, Src::Slot(e.at), &mut self.code.v128_consts) {
                            Some(c) => {
                                self.emit(c);
                            }
                            None => self.stop_point(),
                        }
                    }
                }
            }
            O::GlobalGet { global_index } => {
                let ty = self.ctx.global_types.get(global_index as usize).copied().unwrap_or(ValType::I32);
                let d = self.push(ty, None);
                if ty == ValType::V128 {
                    self.emit(Instr::GlobalGetWide { d, g: global_index });
                } else {
                    self.emit_value(Instr::GlobalGet { d, g: global_index });
                }
            }
            O::GlobalSet { global_index } => {
                let ops = self.operands(1, |_, e| Self::is_const(e));
                self.pop();
                let a = Self::slot_of(&ops[0]);
                let wide = ops[0].ty == ValType::V128;
                self.emit(if wide {
                    Instr::GlobalSetWide { a, g: global_index }
                } else {
                    Instr::GlobalSet { a, g: global_index }
                });
            }
            O::I32Const { value } => self.constant(ValType::I32, value as u32 as u128),
            O::I64Const { value } => self.constant(ValType::I64, value as u64 as u128),
            O::F32Const { value } => self.constant(ValType::F32, value.bits() as u128),
            O::F64Const { value } => self.constant(ValType::F64, value.bits() as u128),
            O::V128Const { value } => self.constant(ValType::V128, u128::from_le_bytes(*value.bytes())),
            O::RefNull { .. } => self.stack_op(StackOp::RefNull, 0, 1),
            O::RefFunc { function_index } => self.stack_op(StackOp::RefFunc(function_index), 0, 1),
            O::MemorySize { mem } | O::MemoryGrow { mem } | O::MemoryFill { mem } if mem != 0 => {
                return Err(unsupported("multi-memory"));
            }
            O::MemoryCopy { dst_mem, src_mem } if dst_mem != 0 || src_mem != 0 => {
                return Err(unsupported("multi-memory"));
            }
            O::MemoryInit { mem, .. } if mem != 0 => return Err(unsupported("multi-memory")),
            _ => return self.other(op, offset, arity),
        }
        Ok(())
    }

    /// Writes a pending entry to its slot as the current operator's own instruction.
    fn materialize_as_op(&mut self, i: usize) {
        let e = self.stack[i];
        if let Some(instr) = Self::copy_instr(e.ty, e.at, e.src, &mut self.code.v128_consts) {
            self.stack[i].src = Src::Slot(e.at);
            self.emit_value(instr);
        }
    }

    fn constant(&mut self, ty: ValType, bits: u128) {
        self.push(ty, Some(Src::Const(bits)));
        if !self.fast() {
            let top = self.stack.len() - 1;
            self.materialize_as_op(top);
        }
    }

    fn call(&mut self, function_index: u32, tail: bool) -> Result<(), Error> {
        let ty = self.ctx.func_types.get(function_index as usize).and_then(|&t| self.ctx.types.get(t as usize));
        let Some(ty) = ty.cloned() else {
            return Err(Error::Invalid { message: "unknown function".into(), offset: 0 });
        };
        self.materialize_below(0);
        let first = self.stack.len() - ty.params.len();
        let at = self.stack.get(first).map_or(self.next_slot(), |e| e.at);
        self.stack.truncate(first);
        self.emit(if tail {
            Instr::ReturnCall { func: function_index, at }
        } else {
            Instr::Call { func: function_index, at }
        });
        for &r in &ty.results {
            self.push(r, None);
        }
        Ok(())
    }

    fn call_indirect(&mut self, type_index: u32, table: u32, tail: bool) {
        let ty = self.ctx.types[type_index as usize].clone();
        self.materialize_below(1);
        let ops = self.operands(1, |_, e| Self::is_const(e));
        let a = Self::slot_of(&ops[0]);
        self.pop();
        let first = self.stack.len() - ty.params.len();
        let at = self.stack.get(first).map_or(self.next_slot(), |e| e.at);
        self.stack.truncate(first);
        let i = self.code.indirect.len() as u32;
        self.code.indirect.push(IndirectCall { type_index, table });
        self.emit(if tail { Instr::ReturnCallIndirect { i, a, at } } else { Instr::CallIndirect { i, a, at } });
        for &r in &ty.results {
            self.push(r, None);
        }
    }

    /// `else` and `end`, in live and in unreachable code.
    fn control_end(&mut self, op: &Operator<'_>) -> Result<(), Error> {
        let is_else = matches!(op, Operator::Else);
        let live = !self.dead;
        let Some(control) = self.controls.pop() else { return Ok(()) };
        if is_else {
            if live {
                self.materialize_below(0);
                let at = self.code.instrs.len();
                self.emit(Instr::Br { t: u32::MAX });
                let mut control = control;
                control.fixups.push(Fixup::Instr(at));
                self.else_arm(control);
            } else {
                self.else_arm(control);
            }
            return Ok(());
        }
        if control.kind == ControlKind::Function {
            if live {
                self.emit_return();
            }
            self.dead = false;
            return Ok(());
        }
        if live {
            self.materialize_below(0);
            self.stop_point();
        }
        let end = self.place_label();
        if let Some(i) = control.if_fixup {
            self.patch(Fixup::Instr(i), end);
        }
        for f in control.fixups {
            self.patch(f, end);
        }
        self.dead = control.entry_dead;
        if !control.entry_dead {
            // Unreachable code never changes the model of the stack, so it is as the block left it.
            let results = control.results.clone();
            self.reset_stack(control.height, &results);
        }
        Ok(())
    }

    /// Starts the `else` arm of `control` (an `if`).
    fn else_arm(&mut self, mut control: Control) {
        let here = self.place_label();
        if let Some(i) = control.if_fixup.take() {
            self.patch(Fixup::Instr(i), here);
        }
        control.kind = ControlKind::Else;
        self.dead = control.entry_dead;
        let params = control.params.clone();
        let height = control.height;
        let entry_dead = control.entry_dead;
        self.controls.push(control);
        if !entry_dead {
            self.reset_stack(height, &params);
        }
    }

    /// Numeric operators, loads, stores and the stack operations.
    fn other(&mut self, op: &Operator<'_>, offset: u64, arity: Option<(u32, u32)>) -> Result<(), Error> {
        use Operator as O;
        macro_rules! numeric {
            (
                binary [$($bin:ident [$($bin_imm:ident)?] ($ba:ident, $bb:ident) => $be:expr;)*]
                compare [$($cmp:ident $cmp_imm:ident $br:ident $br_imm:ident $neg:ident ($ca:ident, $cb:ident) => $ce:expr;)*]
                binary_trap [$($bin_trap:ident ($ta:ident, $tb:ident) => $te:expr;)*]
                unary [$($un:ident ($ua:ident) => $ue:expr;)*]
                unary_trap [$($un_trap:ident ($va:ident) => $ve:expr;)*]
                load [$($load:ident $load_at:ident $load_idx:ident $lbytes:literal ($lb:ident) => $le:expr;)*]
                store [$($store:ident $sbytes:literal;)*]
            ) => {
                match *op {
                    $(O::$bin => { let ty = self.validator_type(0); self.binary(Instr::$bin { d: 0, a: 0, b: 0 }, ty); return Ok(()); })*
                    $(O::$cmp => { self.binary(Instr::$cmp { d: 0, a: 0, b: 0 }, ValType::I32); return Ok(()); })*
                    $(O::$bin_trap => { let ty = self.validator_type(0); self.binary(Instr::$bin_trap { d: 0, a: 0, b: 0 }, ty); return Ok(()); })*
                    $(O::$un => { let ty = self.validator_type(0); self.unary(|d, a| Instr::$un { d, a }, ty); return Ok(()); })*
                    $(O::$un_trap => { let ty = self.validator_type(0); self.unary(|d, a| Instr::$un_trap { d, a }, ty); return Ok(()); })*
                    $(O::$load { memarg } => {
                        let off = self.memarg(&memarg, offset)?;
                        let ty = self.validator_type(0);
                        if off == 0 && self.fuse_address(Instr::$load { d: 0, a: 0, off: 0 }, ty) {
                            return Ok(());
                        }
                        self.unary(|d, a| Instr::$load { d, a, off }, ty);
                        return Ok(());
                    })*
                    $(O::$store { memarg } => {
                        let off = self.memarg(&memarg, offset)?;
                        let ops = self.operands(2, |_, e| Self::is_const(e));
                        self.stack.truncate(self.stack.len() - 2);
                        self.emit(Instr::$store { a: Self::slot_of(&ops[0]), b: Self::slot_of(&ops[1]), off });
                        return Ok(());
                    })*
                    _ => {}
                }
            };
        }
        crate::code::for_each_op!(numeric);
        let (pops, pushes) = arity.map_or((0, 0), |(p, r)| (p as usize, r as usize));
        let stack_op = match *op {
            O::MemorySize { .. } => StackOp::MemorySize,
            O::MemoryGrow { .. } => StackOp::MemoryGrow,
            O::MemoryFill { .. } => StackOp::MemoryFill,
            O::MemoryCopy { .. } => StackOp::MemoryCopy,
            O::MemoryInit { data_index, .. } => StackOp::MemoryInit(data_index),
            O::DataDrop { data_index } => StackOp::DataDrop(data_index),
            O::TableGet { table } => StackOp::TableGet(table),
            O::TableSet { table } => StackOp::TableSet(table),
            O::TableSize { table } => StackOp::TableSize(table),
            O::TableGrow { table } => StackOp::TableGrow(table),
            O::TableFill { table } => StackOp::TableFill(table),
            O::TableCopy { dst_table, src_table } => StackOp::TableCopy { dst: dst_table, src: src_table },
            O::TableInit { elem_index, table } => StackOp::TableInit { table, elem: elem_index },
            O::ElemDrop { elem_index } => StackOp::ElemDrop(elem_index),
            ref other => match simd::classify(other).map_err(|m| Error::Unsupported { message: m, offset })? {
                Some(s) => StackOp::Simd(s),
                None => {
                    return Err(Error::Unsupported {
                        message: format!("operator `{other:?}` is not supported"),
                        offset,
                    });
                }
            },
        };
        self.stack_op(stack_op, pops, pushes);
        Ok(())
    }
}
