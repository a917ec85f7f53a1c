//! Ready-to-display summaries of the Canonical ABI facts about a type or a function.
//!
//! [`TypeFacts`] gathers a type's layout, flattening and field/payload offsets;
//! [`FunctionFacts`] gathers the core signatures of a function under every calling convention
//! that applies to it. Both render as short plain-text lines (one fact per line) meant to be
//! embedded in editor hovers.

use std::fmt;

use crate::despecialize::{Despecialized, despecialize};
use crate::flatten::flatten_types_bounded;
use crate::layout::{Layout, VariantLayout, record_field_offsets, variant_layout};
use crate::signature::{
    CallingConvention, Context, CoreSignature, MAX_FLAT_PARAMS, core_signature_with, task_return_signature,
};
use crate::types::{CoreType, ValType};
use crate::validate::{AbiError, validate};

/// Canonical ABI facts about one value type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeFacts {
    /// Size and alignment in a 32-bit memory.
    pub layout: Layout,
    /// The flattening, or `None` if it has more than [`MAX_FLAT_PARAMS`] core values (such a
    /// value never travels in registers).
    pub flat: Option<Vec<CoreType>>,
    /// Offsets of the fields of a record or tuple (empty for other types).
    pub field_offsets: Vec<u32>,
    /// Discriminant and payload placement of a variant, enum, option or result.
    pub variant: Option<VariantLayout>,
    /// The first restriction of the current specification the type violates, if any.
    pub error: Option<AbiError>,
}

impl TypeFacts {
    /// Computes the facts for `ty`.
    pub fn of(ty: &ValType) -> TypeFacts {
        let (field_offsets, variant) = match despecialize(ty) {
            Despecialized::Record(fields) => (record_field_offsets(fields), None),
            Despecialized::Variant(cases) => (Vec::new(), Some(variant_layout(cases))),
            _ => (Vec::new(), None),
        };
        TypeFacts {
            layout: crate::layout::layout(ty),
            flat: flatten_types_bounded(std::slice::from_ref(ty), MAX_FLAT_PARAMS),
            field_offsets,
            variant,
            error: validate(ty).err(),
        }
    }
}

/// Renders lines such as `size 12, align 4`, `flat i32 i64`, `field offsets 0, 4, 8`.
impl fmt::Display for TypeFacts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "size {}, align {}", self.layout.size, self.layout.align)?;
        match &self.flat {
            Some(flat) if flat.is_empty() => f.write_str("\nflat: nothing")?,
            Some(flat) => {
                f.write_str("\nflat:")?;
                for core in flat {
                    write!(f, " {core}")?;
                }
            }
            None => write!(f, "\nflat: more than {MAX_FLAT_PARAMS} values (always passed through memory)")?,
        }
        if !self.field_offsets.is_empty() {
            f.write_str("\nfield offsets:")?;
            for (index, offset) in self.field_offsets.iter().enumerate() {
                f.write_str(if index == 0 { " " } else { ", " })?;
                write!(f, "{offset}")?;
            }
        }
        if let Some(variant) = &self.variant {
            write!(
                f,
                "\ndiscriminant: {} byte{}, payload at offset {}",
                variant.discriminant_size,
                if variant.discriminant_size == 1 { "" } else { "s" },
                variant.payload_offset
            )?;
        }
        if let Some(error) = &self.error {
            write!(f, "\ninvalid: {error}")?;
        }
        Ok(())
    }
}

/// Core signatures of one component function under the calling conventions that apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionFacts {
    /// `canon lift` without `async`: the core export implementing the function.
    pub sync_lift: CoreSignature,
    /// `canon lower` without `async`: the core import calling the function.
    pub sync_lower: CoreSignature,
    /// Async-only facts, present for `async` functions.
    pub async_facts: Option<AsyncFunctionFacts>,
}

/// Core signatures of an `async` component function under the async calling conventions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AsyncFunctionFacts {
    /// `canon lift async` with a `callback`.
    pub lift_callback: CoreSignature,
    /// `canon lift async` without a `callback`.
    pub lift_stackful: CoreSignature,
    /// `canon lower async`.
    pub lower: CoreSignature,
    /// The `task.return` built-in an async lift delivers its result through.
    pub task_return: CoreSignature,
}

impl FunctionFacts {
    /// Computes the signatures of a function with these `params` and `result`; async
    /// conventions are included when `is_async`.
    pub fn of(params: &[ValType], result: Option<&ValType>, is_async: bool) -> FunctionFacts {
        let signature = |context, convention| core_signature_with(params, result, context, convention);
        FunctionFacts {
            sync_lift: signature(Context::Lift, CallingConvention::Sync),
            sync_lower: signature(Context::Lower, CallingConvention::Sync),
            async_facts: is_async.then(|| AsyncFunctionFacts {
                lift_callback: signature(Context::Lift, CallingConvention::AsyncCallback),
                lift_stackful: signature(Context::Lift, CallingConvention::AsyncStackful),
                lower: signature(Context::Lower, CallingConvention::AsyncStackful),
                task_return: task_return_signature(result),
            }),
        }
    }
}

/// Renders one line per convention, e.g. `lift: (func (param i32) (result i32))`, with a
/// note when parameters or results go through memory.
impl fmt::Display for FunctionFacts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_signature_line(f, "lift", &self.sync_lift, Context::Lift)?;
        f.write_str("\n")?;
        write_signature_line(f, "lower", &self.sync_lower, Context::Lower)?;
        if let Some(facts) = &self.async_facts {
            f.write_str("\n")?;
            write_signature_line(f, "async lift (callback)", &facts.lift_callback, Context::Lift)?;
            f.write_str("\n")?;
            write_signature_line(f, "async lift (stackful)", &facts.lift_stackful, Context::Lift)?;
            f.write_str("\n")?;
            write_signature_line(f, "async lower", &facts.lower, Context::Lower)?;
            f.write_str("\n")?;
            write_signature_line(f, "task.return", &facts.task_return, Context::Lower)?;
        }
        Ok(())
    }
}

fn write_signature_line(
    f: &mut fmt::Formatter<'_>,
    label: &str,
    signature: &CoreSignature,
    context: Context,
) -> fmt::Result {
    write!(f, "{label}: {}", signature.to_wat_func())?;
    let mut notes = Vec::new();
    if signature.params_spilled {
        notes.push("params via pointer");
    }
    if signature.results_spilled {
        notes.push(match context {
            Context::Lift => "result via returned pointer",
            Context::Lower => "result via out-pointer",
        });
    }
    if !notes.is_empty() {
        write!(f, " ({})", notes.join(", "))?;
    }
    Ok(())
}
