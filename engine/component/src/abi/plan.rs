//! Plans: a type annotated, once per lift or lower, with its Canonical ABI facts.
//!
//! Every number about where and how a value sits (size, alignment, field offsets,
//! discriminant width, payload offset, flattening and its variant joins) comes from
//! `canopy-canonical-abi`; this module asks it once for each node of a [`Type`] and keeps
//! the answers beside the node, so that loading a list of a million records does not ask
//! again for each one. A plan borrows its type; it is built at the start of a lift or lower
//! and dropped at the end. Building it also validates the type: a type the Canonical ABI
//! rejects (empty records, zero-length fixed lists, types of 2^28 bytes or more) is a trap
//! before any value is touched. Flags of more than 32 labels are let through and use the
//! representation the layout crate gives them (one `u32` per 32 labels).

use std::slice;

use canopy_canonical_abi::{
    Cases, CoreType, Layout, MAX_FLAT_PARAMS, ValType, VariantLayout, flatten, flatten_types_bounded, layout,
    record_field_offsets, record_layout, validate_allowing_large_flags, variant_layout,
};

use super::trap::{Trap, TrapKind};
use crate::types::{Case, Name, ResourceType, Type};

/// A type with the layout facts of itself and of everything inside it.
#[derive(Debug)]
pub(crate) struct Plan<'t> {
    /// The type.
    pub ty: &'t Type,
    /// Its size and alignment in a 32-bit memory.
    pub layout: Layout,
    /// What kind of value it is, with the plans of nested types.
    pub shape: Shape<'t>,
}

/// The kind of a planned type, with everything lifting and lowering it needs.
#[derive(Debug)]
pub(crate) enum Shape<'t> {
    Bool,
    S8,
    U8,
    S16,
    U16,
    S32,
    U32,
    S64,
    U64,
    F32,
    F64,
    Char,
    String,
    List(Box<Plan<'t>>),
    FixedList(Box<Plan<'t>>, u32),
    Record(Vec<FieldPlan<'t>>),
    Tuple(Vec<FieldPlan<'t>>),
    Variant(Box<VariantPlan<'t>>),
    /// Flags: the labels, and how many `i32` words they flatten to.
    Flags(&'t [Name], u32),
    Map(Box<MapPlan<'t>>),
    Own(&'t ResourceType),
    Borrow(&'t ResourceType),
    Future(Option<&'t Type>),
    Stream(Option<&'t Type>),
    ErrorContext,
}

/// A record field or tuple item: where it sits and what it is.
#[derive(Debug)]
pub(crate) struct FieldPlan<'t> {
    /// The field's name (`None` for a tuple item).
    pub name: Option<&'t Name>,
    /// Offset from the start of the record.
    pub offset: u32,
    /// The field's plan.
    pub plan: Plan<'t>,
}

/// Which value constructor a variant-shaped type uses, with its case names.
#[derive(Debug, Clone, Copy)]
pub(crate) enum VariantKind<'t> {
    Variant(&'t [Case]),
    Enum(&'t [Name]),
    Option,
    Result,
}

impl VariantKind<'_> {
    /// Number of cases.
    fn count(self) -> u32 {
        match self {
            VariantKind::Variant(cases) => u32::try_from(cases.len()).unwrap_or(u32::MAX),
            VariantKind::Enum(names) => u32::try_from(names.len()).unwrap_or(u32::MAX),
            VariantKind::Option | VariantKind::Result => 2,
        }
    }
}

/// A variant, enum, option or result: discriminant, payload placement, and case payloads.
#[derive(Debug)]
pub(crate) struct VariantPlan<'t> {
    /// The value constructor and case names.
    pub kind: VariantKind<'t>,
    /// Number of cases.
    pub case_count: u32,
    /// One entry per case for variants, options and results (`None`: no payload); empty
    /// for enums, which have none.
    pub payloads: Vec<Option<CasePlan<'t>>>,
    /// Bytes of the discriminant at offset 0.
    pub discriminant_size: u32,
    /// Offset of every payload.
    pub payload_offset: u32,
    /// The flat types after the discriminant (the join over all cases), if the variant
    /// flattens to at most `MAX_FLAT_PARAMS` values.
    pub joined: Option<Vec<CoreType>>,
}

/// The payload of one case, with its own flattening (bounded like [`VariantPlan::joined`]).
#[derive(Debug)]
pub(crate) struct CasePlan<'t> {
    /// The payload's plan.
    pub plan: Plan<'t>,
    /// The payload's own flat types, before the join.
    pub flat: Option<Vec<CoreType>>,
}

impl<'t> VariantPlan<'t> {
    /// The payload plan of case `index`, if it has one.
    pub fn payload(&self, index: u32) -> Option<&CasePlan<'t>> {
        self.payloads.get(index as usize).and_then(Option::as_ref)
    }

    /// The name of case `index`, for messages and paths.
    pub fn case_name(&self, index: u32) -> Name {
        match self.kind {
            VariantKind::Variant(cases) => cases.get(index as usize).map(|case| case.name.clone()),
            VariantKind::Enum(names) => names.get(index as usize).cloned(),
            VariantKind::Option => ["none", "some"].get(index as usize).map(|&name| name.into()),
            VariantKind::Result => ["ok", "err"].get(index as usize).map(|&name| name.into()),
        }
        .unwrap_or_else(|| format!("#{index}").into())
    }
}

/// A map, laid out as a list of `tuple<K, V>` entries.
#[derive(Debug)]
pub(crate) struct MapPlan<'t> {
    /// Size and alignment of one entry.
    pub entry: Layout,
    /// The key's plan (at offset 0 of an entry).
    pub key: Plan<'t>,
    /// The value's plan.
    pub value: Plan<'t>,
    /// Offset of the value within an entry.
    pub value_offset: u32,
}

impl<'t> Plan<'t> {
    /// Plans `ty`, trapping if the Canonical ABI rejects it.
    pub fn new(ty: &'t Type) -> Result<Plan<'t>, Trap> {
        let (plan, abi) = build(ty);
        validate(&abi)?;
        Ok(plan)
    }
}

/// Plans each of `types` (a parameter or result list), returning the plans and the
/// Canonical ABI shapes of the types, which lay out the list as a tuple when it spills.
pub(crate) fn plan_all(types: &[Type]) -> Result<(Vec<Plan<'_>>, Vec<ValType>), Trap> {
    let (plans, abis): (Vec<_>, Vec<_>) = types.iter().map(build).unzip();
    abis.iter().try_for_each(validate)?;
    Ok((plans, abis))
}

fn validate(abi: &ValType) -> Result<(), Trap> {
    validate_allowing_large_flags(abi).map_err(|error| Trap::new(TrapKind::InvalidType(error)))
}

/// The flattening of `abi` if it has at most `MAX_FLAT_PARAMS` values: no flat lift or
/// lower handles more, and bounding it keeps huge fixed-size lists cheap to plan.
fn bounded_flat(abi: &ValType) -> Option<Vec<CoreType>> {
    flatten_types_bounded(slice::from_ref(abi), MAX_FLAT_PARAMS)
}

/// Plans `ty` and everything inside it, returning the plan and `ty`'s Canonical ABI shape.
fn build(ty: &Type) -> (Plan<'_>, ValType) {
    let boxed = |ty| {
        let (plan, abi) = build(ty);
        (Box::new(plan), Box::new(abi))
    };
    let (shape, abi) = match ty {
        Type::Bool => (Shape::Bool, ValType::Bool),
        Type::S8 => (Shape::S8, ValType::S8),
        Type::U8 => (Shape::U8, ValType::U8),
        Type::S16 => (Shape::S16, ValType::S16),
        Type::U16 => (Shape::U16, ValType::U16),
        Type::S32 => (Shape::S32, ValType::S32),
        Type::U32 => (Shape::U32, ValType::U32),
        Type::S64 => (Shape::S64, ValType::S64),
        Type::U64 => (Shape::U64, ValType::U64),
        Type::F32 => (Shape::F32, ValType::F32),
        Type::F64 => (Shape::F64, ValType::F64),
        Type::Char => (Shape::Char, ValType::Char),
        Type::String => (Shape::String, ValType::String),
        Type::List(elem) => {
            let (plan, abi) = boxed(elem);
            (Shape::List(plan), ValType::List(abi))
        }
        Type::FixedList(elem, len) => {
            let (plan, abi) = boxed(elem);
            (Shape::FixedList(plan, *len), ValType::FixedList(abi, *len))
        }
        Type::Record(fields) => {
            let (fields, abis) = build_fields(fields.iter().map(|field| (Some(&field.name), &field.ty)));
            (Shape::Record(fields), ValType::Record(abis))
        }
        Type::Tuple(items) => {
            let (fields, abis) = build_fields(items.iter().map(|item| (None, item)));
            (Shape::Tuple(fields), ValType::Tuple(abis))
        }
        Type::Variant(cases) => {
            let (payloads, abis): (Vec<_>, Vec<_>) = cases.iter().map(|case| build_payload(case.ty.as_ref())).unzip();
            let facts = variant_layout(Cases::Variant(&abis));
            let abi = ValType::Variant(abis);
            (variant_shape(VariantKind::Variant(cases), payloads, facts, &abi), abi)
        }
        Type::Enum(names) => {
            let count = u32::try_from(names.len()).unwrap_or(u32::MAX);
            let abi = ValType::Enum(count);
            (variant_shape(VariantKind::Enum(names), Vec::new(), variant_layout(Cases::Enum(count)), &abi), abi)
        }
        Type::Option(some) => {
            let (plan, some_abi) = build(some);
            let payload = CasePlan { plan, flat: bounded_flat(&some_abi) };
            let facts = variant_layout(Cases::Option(&some_abi));
            let abi = ValType::Option(Box::new(some_abi));
            (variant_shape(VariantKind::Option, vec![None, Some(payload)], facts, &abi), abi)
        }
        Type::Result { ok, err } => {
            let (ok_plan, ok_abi) = build_payload(ok.as_deref());
            let (err_plan, err_abi) = build_payload(err.as_deref());
            let facts = variant_layout(Cases::Result(ok_abi.as_ref(), err_abi.as_ref()));
            let abi = ValType::Result { ok: ok_abi.map(Box::new), err: err_abi.map(Box::new) };
            (variant_shape(VariantKind::Result, vec![ok_plan, err_plan], facts, &abi), abi)
        }
        Type::Flags(names) => {
            let abi = ValType::Flags(u32::try_from(names.len()).unwrap_or(u32::MAX));
            let words = u32::try_from(flatten(&abi).len()).unwrap_or(u32::MAX);
            (Shape::Flags(names, words), abi)
        }
        Type::Map(key, value) => {
            let (key, key_abi) = build(key);
            let (value, value_abi) = build(value);
            let entry_abis = [key_abi, value_abi];
            let value_offset = record_field_offsets(&entry_abis)[1];
            let entry = record_layout(&entry_abis);
            let [key_abi, value_abi] = entry_abis;
            let plan = MapPlan { entry, key, value, value_offset };
            (Shape::Map(Box::new(plan)), ValType::Map(Box::new(key_abi), Box::new(value_abi)))
        }
        Type::Own(resource) => (Shape::Own(resource), ValType::Own),
        Type::Borrow(resource) => (Shape::Borrow(resource), ValType::Borrow),
        Type::Future(payload) => (Shape::Future(payload.as_deref()), ValType::Future),
        Type::Stream(payload) => (Shape::Stream(payload.as_deref()), ValType::Stream),
        Type::ErrorContext => (Shape::ErrorContext, ValType::ErrorContext),
    };
    (Plan { ty, layout: layout(&abi), shape }, abi)
}

/// Plans record fields or tuple items and places them with the layout crate's offsets.
fn build_fields<'t>(fields: impl Iterator<Item = (Option<&'t Name>, &'t Type)>) -> (Vec<FieldPlan<'t>>, Vec<ValType>) {
    let (named, abis): (Vec<_>, Vec<_>) = fields
        .map(|(name, ty)| {
            let (plan, abi) = build(ty);
            ((name, plan), abi)
        })
        .unzip();
    let offsets = record_field_offsets(&abis);
    let fields =
        named.into_iter().zip(offsets).map(|((name, plan), offset)| FieldPlan { name, offset, plan }).collect();
    (fields, abis)
}

/// Plans an optional case payload, with its own bounded flattening.
fn build_payload(ty: Option<&Type>) -> (Option<CasePlan<'_>>, Option<ValType>) {
    match ty {
        Some(ty) => {
            let (plan, abi) = build(ty);
            let flat = bounded_flat(&abi);
            (Some(CasePlan { plan, flat }), Some(abi))
        }
        None => (None, None),
    }
}

/// The variant shape for these payloads, with the discriminant and payload placement the
/// layout crate gave (`facts`) and the joined flat types of the whole variant (`abi`).
fn variant_shape<'t>(
    kind: VariantKind<'t>,
    payloads: Vec<Option<CasePlan<'t>>>,
    facts: VariantLayout,
    abi: &ValType,
) -> Shape<'t> {
    // The first flat value is the discriminant; the rest is the join of every payload.
    let joined = bounded_flat(abi).and_then(|flat| flat.get(1..).map(<[CoreType]>::to_vec));
    Shape::Variant(Box::new(VariantPlan {
        kind,
        case_count: kind.count(),
        payloads,
        discriminant_size: facts.discriminant_size,
        payload_offset: facts.payload_offset,
        joined,
    }))
}
