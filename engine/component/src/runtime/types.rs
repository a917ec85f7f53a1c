//! Component function types from the validator's resolved types.
//!
//! wasmparser's validator has already resolved every type index (aliases, outer aliases,
//! exports of types); this module turns its `ComponentFuncType` into a [`FuncSig`] of
//! Canopy [`Type`]s, mapping each resource it meets to the runtime's [`ResourceType`] for
//! the instance at hand.

use wasmparser::PrimitiveValType as P;
use wasmparser::component_types::{ComponentDefinedType as D, ComponentFuncTypeId, ComponentValType, ResourceId};
use wasmparser::types::Types;

use crate::types::{ResourceType, Type};

/// A component function's type: named parameters and results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FuncSig {
    /// Parameters, by name.
    pub params: Vec<(String, Type)>,
    /// Results (zero or one in the current component model).
    pub results: Vec<Type>,
}

impl FuncSig {
    /// The parameter types alone, for WAVE parsing and lowering.
    pub fn param_types(&self) -> Vec<Type> {
        self.params.iter().map(|(_, ty)| ty.clone()).collect()
    }
}

/// The signature of function type `id`; `resource` maps the validator's resource ids.
pub(crate) fn func_sig(
    types: &Types,
    id: ComponentFuncTypeId,
    resource: &mut dyn FnMut(ResourceId) -> ResourceType,
) -> FuncSig {
    let ty = &types[id];
    let params = ty.params.iter().map(|(name, ty)| (name.to_string(), val_type(types, ty, resource))).collect();
    let results = ty.result.iter().map(|ty| val_type(types, ty, resource)).collect();
    FuncSig { params, results }
}

fn val_type(types: &Types, ty: &ComponentValType, resource: &mut dyn FnMut(ResourceId) -> ResourceType) -> Type {
    match ty {
        ComponentValType::Primitive(p) => primitive(*p),
        ComponentValType::Type(id) => defined(types, &types[*id], resource),
    }
}

fn primitive(p: P) -> Type {
    match p {
        P::Bool => Type::Bool,
        P::S8 => Type::S8,
        P::U8 => Type::U8,
        P::S16 => Type::S16,
        P::U16 => Type::U16,
        P::S32 => Type::S32,
        P::U32 => Type::U32,
        P::S64 => Type::S64,
        P::U64 => Type::U64,
        P::F32 => Type::F32,
        P::F64 => Type::F64,
        P::Char => Type::Char,
        P::String => Type::String,
        P::ErrorContext => Type::ErrorContext,
    }
}

fn defined(types: &Types, ty: &D, resource: &mut dyn FnMut(ResourceId) -> ResourceType) -> Type {
    macro_rules! v {
        ($ty:expr) => {
            val_type(types, $ty, resource)
        };
    }
    match ty {
        D::Primitive(p) => primitive(*p),
        D::Record(r) => Type::record(r.fields.iter().map(|(name, ty)| (name.as_str(), v!(ty))).collect::<Vec<_>>()),
        D::Variant(c) => Type::variant(
            c.cases.iter().map(|(name, case)| (name.as_str(), case.ty.as_ref().map(|ty| v!(ty)))).collect::<Vec<_>>(),
        ),
        D::List { element, .. } => Type::list(v!(element)),
        D::Map { key, value, .. } => {
            let key = v!(key);
            Type::map(key, v!(value))
        }
        D::FixedLengthList { element, length, .. } => Type::fixed_list(v!(element), *length),
        D::Tuple(t) => Type::tuple(t.types.iter().map(|ty| v!(ty)).collect::<Vec<_>>()),
        D::Flags(names) => Type::flags(names.iter().map(|n| n.as_str())),
        D::Enum(names) => Type::enumeration(names.iter().map(|n| n.as_str())),
        D::Option { ty, .. } => Type::option(v!(ty)),
        D::Result { ok, err, .. } => {
            let ok = ok.as_ref().map(|ty| v!(ty));
            Type::result(ok, err.as_ref().map(|ty| v!(ty)))
        }
        D::Own(id) => Type::Own(resource(id.resource())),
        D::Borrow(id) => Type::Borrow(resource(id.resource())),
        D::Future { ty, .. } => Type::Future(ty.as_ref().map(|t| Box::new(v!(t)))),
        D::Stream { ty, .. } => Type::Stream(ty.as_ref().map(|t| Box::new(v!(t)))),
    }
}
