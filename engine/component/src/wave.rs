//! WAVE, the text syntax of component values, through the `wasm-wave` crate.
//!
//! [`Type`] implements `wasm_wave::wasm::WasmType` and [`Val`] implements
//! `wasm_wave::wasm::WasmValue`, so any WAVE text parses into a `Val` of a given type and any
//! `Val` prints as WAVE. [`from_wave`], [`to_wave`] and [`WaveCall`] (a call such as
//! `greet("world", 3)`, as `canopy run --invoke` takes it) wrap the crate's entry points.
//!
//! Two limits come from WAVE itself: it has no syntax for handles (`own`, `borrow`,
//! `future`, `stream`, `error-context`), so values of those types neither parse nor print;
//! and `wasm-wave` 0.263 parses no fixed-size list kind, so a `list<T, N>` reads and
//! prints as a list and its length is checked when the value is made. Parsed floats keep no
//! NaN payload: the component model has one NaN, and `nan` makes the canonical one.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use wasm_wave::parser::ParserError;
use wasm_wave::untyped::UntypedFuncCall;
use wasm_wave::wasm::{WasmType, WasmTypeKind, WasmValue, WasmValueError};
use wasm_wave::writer::WriterError;

use crate::abi::{canonical_f32, canonical_f64};
use crate::check::find_case;
use crate::types::{Name, Type};
use crate::val::Val;

/// Why WAVE text did not give a value, or a value could not be written as WAVE.
#[derive(Debug)]
pub enum WaveError {
    /// The text is not WAVE, or not a value of the expected type.
    Parse(ParserError),
    /// The value holds something WAVE cannot write (a handle).
    Write(WriterError),
}

impl WaveError {
    /// The byte range of the text the parse error is about, if it is one.
    pub fn span(&self) -> Option<Range<usize>> {
        match self {
            WaveError::Parse(error) => Some(error.span()),
            WaveError::Write(_) => None,
        }
    }
}

impl fmt::Display for WaveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaveError::Parse(error) => write!(f, "{error}"),
            WaveError::Write(error) => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for WaveError {}

/// Parses WAVE `text` as a value of type `ty`.
pub fn from_wave(ty: &Type, text: &str) -> Result<Val, WaveError> {
    wasm_wave::from_str(ty, text).map_err(WaveError::Parse)
}

/// Writes `val` as WAVE text.
pub fn to_wave(val: &Val) -> Result<String, WaveError> {
    wasm_wave::to_string(val).map_err(WaveError::Write)
}

/// A parsed but not yet typed WAVE function call, `name(arg, ...)`.
pub struct WaveCall {
    call: UntypedFuncCall<'static>,
}

impl WaveCall {
    /// Parses `text` as a function name followed by parenthesized WAVE arguments.
    pub fn parse(text: &str) -> Result<WaveCall, WaveError> {
        let call = UntypedFuncCall::parse(text).map_err(WaveError::Parse)?.into_owned();
        Ok(WaveCall { call })
    }

    /// The function name as written.
    pub fn name(&self) -> &str {
        self.call.name()
    }

    /// The arguments as values of the parameter types `params`; trailing `option` arguments
    /// may be left out and are then `none`.
    pub fn args(&self, params: &[Type]) -> Result<Vec<Val>, WaveError> {
        self.call.to_wasm_params::<Val>(params).map_err(WaveError::Parse)
    }
}

impl WasmType for Type {
    fn kind(&self) -> WasmTypeKind {
        match self {
            Type::Bool => WasmTypeKind::Bool,
            Type::S8 => WasmTypeKind::S8,
            Type::U8 => WasmTypeKind::U8,
            Type::S16 => WasmTypeKind::S16,
            Type::U16 => WasmTypeKind::U16,
            Type::S32 => WasmTypeKind::S32,
            Type::U32 => WasmTypeKind::U32,
            Type::S64 => WasmTypeKind::S64,
            Type::U64 => WasmTypeKind::U64,
            Type::F32 => WasmTypeKind::F32,
            Type::F64 => WasmTypeKind::F64,
            Type::Char => WasmTypeKind::Char,
            Type::String => WasmTypeKind::String,
            Type::List(_) | Type::FixedList(..) => WasmTypeKind::List,
            Type::Record(_) => WasmTypeKind::Record,
            Type::Tuple(_) => WasmTypeKind::Tuple,
            Type::Variant(_) => WasmTypeKind::Variant,
            Type::Enum(_) => WasmTypeKind::Enum,
            Type::Option(_) => WasmTypeKind::Option,
            Type::Result { .. } => WasmTypeKind::Result,
            Type::Flags(_) => WasmTypeKind::Flags,
            Type::Map(..) => WasmTypeKind::Map,
            Type::Own(_) | Type::Borrow(_) | Type::Future(_) | Type::Stream(_) | Type::ErrorContext => {
                WasmTypeKind::Unsupported
            }
        }
    }

    fn list_element_type(&self) -> Option<Type> {
        match self {
            Type::List(elem) | Type::FixedList(elem, _) => Some((**elem).clone()),
            _ => None,
        }
    }

    fn record_fields(&self) -> Box<dyn Iterator<Item = (Cow<'_, str>, Type)> + '_> {
        match self {
            Type::Record(fields) => {
                Box::new(fields.iter().map(|field| (Cow::Borrowed(&*field.name), field.ty.clone())))
            }
            _ => Box::new(std::iter::empty()),
        }
    }

    fn tuple_element_types(&self) -> Box<dyn Iterator<Item = Type> + '_> {
        match self {
            Type::Tuple(items) => Box::new(items.iter().cloned()),
            _ => Box::new(std::iter::empty()),
        }
    }

    fn variant_cases(&self) -> Box<dyn Iterator<Item = (Cow<'_, str>, Option<Type>)> + '_> {
        match self {
            Type::Variant(cases) => Box::new(cases.iter().map(|case| (Cow::Borrowed(&*case.name), case.ty.clone()))),
            _ => Box::new(std::iter::empty()),
        }
    }

    fn enum_cases(&self) -> Box<dyn Iterator<Item = Cow<'_, str>> + '_> {
        match self {
            Type::Enum(names) => Box::new(names.iter().map(|name| Cow::Borrowed(&**name))),
            _ => Box::new(std::iter::empty()),
        }
    }

    fn option_some_type(&self) -> Option<Type> {
        match self {
            Type::Option(some) => Some((**some).clone()),
            _ => None,
        }
    }

    fn result_types(&self) -> Option<(Option<Type>, Option<Type>)> {
        match self {
            Type::Result { ok, err } => Some((ok.as_deref().cloned(), err.as_deref().cloned())),
            _ => None,
        }
    }

    fn flags_names(&self) -> Box<dyn Iterator<Item = Cow<'_, str>> + '_> {
        match self {
            Type::Flags(names) => Box::new(names.iter().map(|name| Cow::Borrowed(&**name))),
            _ => Box::new(std::iter::empty()),
        }
    }

    fn map_key_value_types(&self) -> Option<(Type, Type)> {
        match self {
            Type::Map(key, value) => Some(((**key).clone(), (**value).clone())),
            _ => None,
        }
    }
}

/// The type's name for `label` among `names`, so that values share the type's names.
fn type_name(names: &[Name], label: &str) -> Option<Name> {
    names.iter().find(|name| &***name == label).cloned()
}

fn wrong_kind(ty: &Type, kind: WasmTypeKind) -> WasmValueError {
    WasmValueError::WrongTypeKind { kind, ty: ty.to_string() }
}

fn boxed(val: Option<Val>) -> Option<Box<Val>> {
    val.map(Box::new)
}

/// Checks that a case payload is present exactly when the case type has one.
fn payload_matches(case: &str, expected: Option<&Type>, payload: &Option<Val>) -> Result<(), WasmValueError> {
    match (expected, payload) {
        (Some(_), None) => Err(WasmValueError::MissingPayload(case.to_owned())),
        (None, Some(_)) => Err(WasmValueError::UnexpectedPayload(case.to_owned())),
        _ => Ok(()),
    }
}

/// The panic the `unwrap_*` methods give on a value of another kind, as the trait specifies.
fn not_a(val: &Val, method: &str) -> ! {
    panic!("WasmValue::{method} called on a {} value", val.kind_name())
}

/// `fn make_x(val: T) -> Val { Val::X(val) }` for the scalar kinds that keep their value as is.
macro_rules! scalar_makers {
    ($($method:ident($ty:ty) => $variant:ident),* $(,)?) => {
        $(fn $method(val: $ty) -> Val {
            Val::$variant(val)
        })*
    };
}

/// `fn unwrap_x(&self) -> T`, panicking on another kind as the trait specifies.
macro_rules! scalar_unwrappers {
    ($($method:ident => $variant:ident: $ty:ty),* $(,)?) => {
        $(fn $method(&self) -> $ty {
            match self {
                Val::$variant(val) => *val,
                _ => not_a(self, stringify!($method)),
            }
        })*
    };
}

impl WasmValue for Val {
    type Type = Type;

    fn kind(&self) -> WasmTypeKind {
        match self {
            Val::Bool(_) => WasmTypeKind::Bool,
            Val::S8(_) => WasmTypeKind::S8,
            Val::U8(_) => WasmTypeKind::U8,
            Val::S16(_) => WasmTypeKind::S16,
            Val::U16(_) => WasmTypeKind::U16,
            Val::S32(_) => WasmTypeKind::S32,
            Val::U32(_) => WasmTypeKind::U32,
            Val::S64(_) => WasmTypeKind::S64,
            Val::U64(_) => WasmTypeKind::U64,
            Val::F32(_) => WasmTypeKind::F32,
            Val::F64(_) => WasmTypeKind::F64,
            Val::Char(_) => WasmTypeKind::Char,
            Val::String(_) => WasmTypeKind::String,
            Val::List(_) => WasmTypeKind::List,
            Val::Record(_) => WasmTypeKind::Record,
            Val::Tuple(_) => WasmTypeKind::Tuple,
            Val::Variant(..) => WasmTypeKind::Variant,
            Val::Enum(_) => WasmTypeKind::Enum,
            Val::Option(_) => WasmTypeKind::Option,
            Val::Result(_) => WasmTypeKind::Result,
            Val::Flags(_) => WasmTypeKind::Flags,
            Val::Map(_) => WasmTypeKind::Map,
            Val::Own(_) | Val::Borrow(_) | Val::Future(_) | Val::Stream(_) | Val::ErrorContext(_) => {
                WasmTypeKind::Unsupported
            }
        }
    }

    scalar_makers! {
        make_bool(bool) => Bool,
        make_s8(i8) => S8,
        make_s16(i16) => S16,
        make_s32(i32) => S32,
        make_s64(i64) => S64,
        make_u8(u8) => U8,
        make_u16(u16) => U16,
        make_u32(u32) => U32,
        make_u64(u64) => U64,
        make_char(char) => Char,
    }

    fn make_f32(val: f32) -> Val {
        Val::F32(canonical_f32(val))
    }

    fn make_f64(val: f64) -> Val {
        Val::F64(canonical_f64(val))
    }

    fn make_string(val: Cow<'_, str>) -> Val {
        Val::String(val.into_owned())
    }

    fn make_list(ty: &Type, vals: impl IntoIterator<Item = Val>) -> Result<Val, WasmValueError> {
        let items: Vec<Val> = vals.into_iter().collect();
        match ty {
            Type::List(_) => Ok(Val::List(items)),
            Type::FixedList(_, len) if items.len() == *len as usize => Ok(Val::List(items)),
            Type::FixedList(_, len) => {
                Err(WasmValueError::Other(format!("{ty} needs exactly {len} elements, found {}", items.len())))
            }
            _ => Err(wrong_kind(ty, WasmTypeKind::List)),
        }
    }

    fn make_record<'a>(ty: &Type, fields: impl IntoIterator<Item = (&'a str, Val)>) -> Result<Val, WasmValueError> {
        let Type::Record(field_types) = ty else {
            return Err(wrong_kind(ty, WasmTypeKind::Record));
        };
        let mut given: Vec<(&str, Val)> = fields.into_iter().collect();
        if let Some((unknown, _)) = given.iter().find(|(name, _)| !field_types.iter().any(|f| &*f.name == *name)) {
            return Err(WasmValueError::UnknownField((*unknown).to_owned()));
        }
        let mut values = Vec::with_capacity(field_types.len());
        for field in field_types {
            let position = given
                .iter()
                .position(|(name, _)| *name == &*field.name)
                .ok_or_else(|| WasmValueError::MissingField(field.name.to_string()))?;
            values.push((field.name.clone(), given.swap_remove(position).1));
        }
        Ok(Val::Record(values))
    }

    fn make_tuple(ty: &Type, vals: impl IntoIterator<Item = Val>) -> Result<Val, WasmValueError> {
        let Type::Tuple(types) = ty else {
            return Err(wrong_kind(ty, WasmTypeKind::Tuple));
        };
        let items: Vec<Val> = vals.into_iter().collect();
        if items.len() != types.len() {
            return Err(WasmValueError::WrongNumberOfTupleValues { want: types.len(), got: items.len() });
        }
        Ok(Val::Tuple(items))
    }

    fn make_variant(ty: &Type, case: &str, val: Option<Val>) -> Result<Val, WasmValueError> {
        let Type::Variant(cases) = ty else {
            return Err(wrong_kind(ty, WasmTypeKind::Variant));
        };
        let found = find_case(cases, case).ok_or_else(|| WasmValueError::UnknownCase(case.to_owned()))?;
        payload_matches(case, found.ty.as_ref(), &val)?;
        Ok(Val::Variant(found.name.clone(), boxed(val)))
    }

    fn make_enum(ty: &Type, case: &str) -> Result<Val, WasmValueError> {
        let Type::Enum(names) = ty else {
            return Err(wrong_kind(ty, WasmTypeKind::Enum));
        };
        type_name(names, case).map(Val::Enum).ok_or_else(|| WasmValueError::UnknownCase(case.to_owned()))
    }

    fn make_option(ty: &Type, val: Option<Val>) -> Result<Val, WasmValueError> {
        match ty {
            Type::Option(_) => Ok(Val::Option(boxed(val))),
            _ => Err(wrong_kind(ty, WasmTypeKind::Option)),
        }
    }

    fn make_result(ty: &Type, val: Result<Option<Val>, Option<Val>>) -> Result<Val, WasmValueError> {
        let Type::Result { ok, err } = ty else {
            return Err(wrong_kind(ty, WasmTypeKind::Result));
        };
        match val {
            Ok(payload) => {
                payload_matches("ok", ok.as_deref(), &payload)?;
                Ok(Val::Result(Ok(boxed(payload))))
            }
            Err(payload) => {
                payload_matches("err", err.as_deref(), &payload)?;
                Ok(Val::Result(Err(boxed(payload))))
            }
        }
    }

    fn make_flags<'a>(ty: &Type, names: impl IntoIterator<Item = &'a str>) -> Result<Val, WasmValueError> {
        let Type::Flags(labels) = ty else {
            return Err(wrong_kind(ty, WasmTypeKind::Flags));
        };
        let mut set: Vec<Name> = Vec::new();
        for label in names {
            let name =
                type_name(labels, label).ok_or_else(|| WasmValueError::Other(format!("{ty} has no flag `{label}`")))?;
            if !set.contains(&name) {
                set.push(name);
            }
        }
        Ok(Val::Flags(set))
    }

    fn make_map(ty: &Type, entries: impl IntoIterator<Item = (Val, Val)>) -> Result<Val, WasmValueError> {
        match ty {
            Type::Map(..) => Ok(Val::Map(entries.into_iter().collect())),
            _ => Err(wrong_kind(ty, WasmTypeKind::Map)),
        }
    }

    scalar_unwrappers! {
        unwrap_bool => Bool: bool,
        unwrap_s8 => S8: i8,
        unwrap_s16 => S16: i16,
        unwrap_s32 => S32: i32,
        unwrap_s64 => S64: i64,
        unwrap_u8 => U8: u8,
        unwrap_u16 => U16: u16,
        unwrap_u32 => U32: u32,
        unwrap_u64 => U64: u64,
        unwrap_f32 => F32: f32,
        unwrap_f64 => F64: f64,
        unwrap_char => Char: char,
    }

    fn unwrap_string(&self) -> Cow<'_, str> {
        match self {
            Val::String(val) => Cow::Borrowed(val),
            _ => not_a(self, "unwrap_string"),
        }
    }

    fn unwrap_list(&self) -> Box<dyn Iterator<Item = Cow<'_, Val>> + '_> {
        match self {
            Val::List(items) => Box::new(items.iter().map(Cow::Borrowed)),
            _ => not_a(self, "unwrap_list"),
        }
    }

    fn unwrap_record(&self) -> Box<dyn Iterator<Item = (Cow<'_, str>, Cow<'_, Val>)> + '_> {
        match self {
            Val::Record(fields) => {
                Box::new(fields.iter().map(|(name, val)| (Cow::Borrowed(&**name), Cow::Borrowed(val))))
            }
            _ => not_a(self, "unwrap_record"),
        }
    }

    fn unwrap_tuple(&self) -> Box<dyn Iterator<Item = Cow<'_, Val>> + '_> {
        match self {
            Val::Tuple(items) => Box::new(items.iter().map(Cow::Borrowed)),
            _ => not_a(self, "unwrap_tuple"),
        }
    }

    fn unwrap_variant(&self) -> (Cow<'_, str>, Option<Cow<'_, Val>>) {
        match self {
            Val::Variant(name, payload) => (Cow::Borrowed(&**name), payload.as_deref().map(Cow::Borrowed)),
            _ => not_a(self, "unwrap_variant"),
        }
    }

    fn unwrap_enum(&self) -> Cow<'_, str> {
        match self {
            Val::Enum(name) => Cow::Borrowed(&**name),
            _ => not_a(self, "unwrap_enum"),
        }
    }

    fn unwrap_option(&self) -> Option<Cow<'_, Val>> {
        match self {
            Val::Option(payload) => payload.as_deref().map(Cow::Borrowed),
            _ => not_a(self, "unwrap_option"),
        }
    }

    fn unwrap_result(&self) -> Result<Option<Cow<'_, Val>>, Option<Cow<'_, Val>>> {
        match self {
            Val::Result(Ok(payload)) => Ok(payload.as_deref().map(Cow::Borrowed)),
            Val::Result(Err(payload)) => Err(payload.as_deref().map(Cow::Borrowed)),
            _ => not_a(self, "unwrap_result"),
        }
    }

    fn unwrap_flags(&self) -> Box<dyn Iterator<Item = Cow<'_, str>> + '_> {
        match self {
            Val::Flags(names) => Box::new(names.iter().map(|name| Cow::Borrowed(&**name))),
            _ => not_a(self, "unwrap_flags"),
        }
    }

    fn unwrap_map(&self) -> Box<dyn Iterator<Item = (Cow<'_, Val>, Cow<'_, Val>)> + '_> {
        match self {
            Val::Map(entries) => {
                Box::new(entries.iter().map(|(key, value)| (Cow::Borrowed(key), Cow::Borrowed(value))))
            }
            _ => not_a(self, "unwrap_map"),
        }
    }
}
