//! Maps each `wasmparser` SIMD operator to the [`SimdOp`] that executes it.

use wasmparser::Operator as Op;

use crate::float_lanes::{f32x4, f64x2};
use crate::int_lanes::{i8x16, i16x8, i32x4, i64x2};
use crate::widen_narrow::{self as wide, narrowing};
use crate::{LoadKind, SimdOp, bitwise, convert};

/// Classifies a SIMD operator; `None` for operators that are not Wasm 2.0 SIMD (relaxed SIMD is
/// out of scope, as is everything outside the `0xfd` prefix).
pub fn classify(op: &Op<'_>) -> Option<SimdOp> {
    use SimdOp::*;
    let classified = match *op {
        // Memory.
        Op::V128Load { memarg } => Load(LoadKind::V128, memarg),
        Op::V128Load8x8S { memarg } => Load(LoadKind::Extend8x8S, memarg),
        Op::V128Load8x8U { memarg } => Load(LoadKind::Extend8x8U, memarg),
        Op::V128Load16x4S { memarg } => Load(LoadKind::Extend16x4S, memarg),
        Op::V128Load16x4U { memarg } => Load(LoadKind::Extend16x4U, memarg),
        Op::V128Load32x2S { memarg } => Load(LoadKind::Extend32x2S, memarg),
        Op::V128Load32x2U { memarg } => Load(LoadKind::Extend32x2U, memarg),
        Op::V128Load8Splat { memarg } => Load(LoadKind::Splat8, memarg),
        Op::V128Load16Splat { memarg } => Load(LoadKind::Splat16, memarg),
        Op::V128Load32Splat { memarg } => Load(LoadKind::Splat32, memarg),
        Op::V128Load64Splat { memarg } => Load(LoadKind::Splat64, memarg),
        Op::V128Load32Zero { memarg } => Load(LoadKind::Zero32, memarg),
        Op::V128Load64Zero { memarg } => Load(LoadKind::Zero64, memarg),
        Op::V128Store { memarg } => Store(memarg),
        Op::V128Load8Lane { memarg, lane } => LoadLane { bytes: 1, lane, memarg },
        Op::V128Load16Lane { memarg, lane } => LoadLane { bytes: 2, lane, memarg },
        Op::V128Load32Lane { memarg, lane } => LoadLane { bytes: 4, lane, memarg },
        Op::V128Load64Lane { memarg, lane } => LoadLane { bytes: 8, lane, memarg },
        Op::V128Store8Lane { memarg, lane } => StoreLane { bytes: 1, lane, memarg },
        Op::V128Store16Lane { memarg, lane } => StoreLane { bytes: 2, lane, memarg },
        Op::V128Store32Lane { memarg, lane } => StoreLane { bytes: 4, lane, memarg },
        Op::V128Store64Lane { memarg, lane } => StoreLane { bytes: 8, lane, memarg },

        // Constants, permutations and lane access.
        Op::V128Const { value } => Const(u128::from_le_bytes(*value.bytes())),
        Op::I8x16Shuffle { lanes } => Shuffle(lanes),
        Op::I8x16Swizzle => Binary(bitwise::swizzle),
        Op::I8x16Splat => SplatI32(i8x16::splat),
        Op::I16x8Splat => SplatI32(i16x8::splat),
        Op::I32x4Splat => SplatI32(i32x4::splat),
        Op::I64x2Splat => SplatI64(i64x2::splat),
        Op::F32x4Splat => SplatF32(f32x4::splat),
        Op::F64x2Splat => SplatF64(f64x2::splat),
        Op::I8x16ExtractLaneS { .. } => ExtractLaneI32(i8x16::extract_lane_s),
        Op::I8x16ExtractLaneU { .. } => ExtractLaneI32(i8x16::extract_lane_u),
        Op::I16x8ExtractLaneS { .. } => ExtractLaneI32(i16x8::extract_lane_s),
        Op::I16x8ExtractLaneU { .. } => ExtractLaneI32(i16x8::extract_lane_u),
        Op::I32x4ExtractLane { .. } => ExtractLaneI32(i32x4::extract_lane),
        Op::I64x2ExtractLane { .. } => ExtractLaneI64(i64x2::extract_lane),
        Op::F32x4ExtractLane { .. } => ExtractLaneF32(f32x4::extract_lane),
        Op::F64x2ExtractLane { .. } => ExtractLaneF64(f64x2::extract_lane),
        Op::I8x16ReplaceLane { .. } => ReplaceLaneI32(i8x16::replace_lane),
        Op::I16x8ReplaceLane { .. } => ReplaceLaneI32(i16x8::replace_lane),
        Op::I32x4ReplaceLane { .. } => ReplaceLaneI32(i32x4::replace_lane),
        Op::I64x2ReplaceLane { .. } => ReplaceLaneI64(i64x2::replace_lane),
        Op::F32x4ReplaceLane { .. } => ReplaceLaneF32(f32x4::replace_lane),
        Op::F64x2ReplaceLane { .. } => ReplaceLaneF64(f64x2::replace_lane),

        // Whole-vector bit operations.
        Op::V128Not => Unary(bitwise::not),
        Op::V128And => Binary(bitwise::and),
        Op::V128AndNot => Binary(bitwise::andnot),
        Op::V128Or => Binary(bitwise::or),
        Op::V128Xor => Binary(bitwise::xor),
        Op::V128Bitselect => Ternary(bitwise::bitselect),
        Op::V128AnyTrue => Test(bitwise::any_true),

        // i8x16.
        Op::I8x16Eq => Binary(i8x16::eq),
        Op::I8x16Ne => Binary(i8x16::ne),
        Op::I8x16LtS => Binary(i8x16::lt_s),
        Op::I8x16LtU => Binary(i8x16::lt_u),
        Op::I8x16GtS => Binary(i8x16::gt_s),
        Op::I8x16GtU => Binary(i8x16::gt_u),
        Op::I8x16LeS => Binary(i8x16::le_s),
        Op::I8x16LeU => Binary(i8x16::le_u),
        Op::I8x16GeS => Binary(i8x16::ge_s),
        Op::I8x16GeU => Binary(i8x16::ge_u),
        Op::I8x16Abs => Unary(i8x16::abs),
        Op::I8x16Neg => Unary(i8x16::neg),
        Op::I8x16Popcnt => Unary(i8x16::popcnt),
        Op::I8x16AllTrue => Test(i8x16::all_true),
        Op::I8x16Bitmask => Test(i8x16::bitmask),
        Op::I8x16NarrowI16x8S => Binary(narrowing::i8x16_narrow_i16x8_s),
        Op::I8x16NarrowI16x8U => Binary(narrowing::i8x16_narrow_i16x8_u),
        Op::I8x16Shl => Shift(i8x16::shl),
        Op::I8x16ShrS => Shift(i8x16::shr_s),
        Op::I8x16ShrU => Shift(i8x16::shr_u),
        Op::I8x16Add => Binary(i8x16::add),
        Op::I8x16AddSatS => Binary(i8x16::add_sat_s),
        Op::I8x16AddSatU => Binary(i8x16::add_sat_u),
        Op::I8x16Sub => Binary(i8x16::sub),
        Op::I8x16SubSatS => Binary(i8x16::sub_sat_s),
        Op::I8x16SubSatU => Binary(i8x16::sub_sat_u),
        Op::I8x16MinS => Binary(i8x16::min_s),
        Op::I8x16MinU => Binary(i8x16::min_u),
        Op::I8x16MaxS => Binary(i8x16::max_s),
        Op::I8x16MaxU => Binary(i8x16::max_u),
        Op::I8x16AvgrU => Binary(i8x16::avgr_u),

        // i16x8.
        Op::I16x8Eq => Binary(i16x8::eq),
        Op::I16x8Ne => Binary(i16x8::ne),
        Op::I16x8LtS => Binary(i16x8::lt_s),
        Op::I16x8LtU => Binary(i16x8::lt_u),
        Op::I16x8GtS => Binary(i16x8::gt_s),
        Op::I16x8GtU => Binary(i16x8::gt_u),
        Op::I16x8LeS => Binary(i16x8::le_s),
        Op::I16x8LeU => Binary(i16x8::le_u),
        Op::I16x8GeS => Binary(i16x8::ge_s),
        Op::I16x8GeU => Binary(i16x8::ge_u),
        Op::I16x8ExtAddPairwiseI8x16S => Unary(wide::i16x8::extadd_pairwise_i8x16_s),
        Op::I16x8ExtAddPairwiseI8x16U => Unary(wide::i16x8::extadd_pairwise_i8x16_u),
        Op::I16x8Abs => Unary(i16x8::abs),
        Op::I16x8Neg => Unary(i16x8::neg),
        Op::I16x8Q15MulrSatS => Binary(i16x8::q15mulr_sat_s),
        Op::I16x8AllTrue => Test(i16x8::all_true),
        Op::I16x8Bitmask => Test(i16x8::bitmask),
        Op::I16x8NarrowI32x4S => Binary(narrowing::i16x8_narrow_i32x4_s),
        Op::I16x8NarrowI32x4U => Binary(narrowing::i16x8_narrow_i32x4_u),
        Op::I16x8ExtendLowI8x16S => Unary(wide::i16x8::extend_low_i8x16_s),
        Op::I16x8ExtendHighI8x16S => Unary(wide::i16x8::extend_high_i8x16_s),
        Op::I16x8ExtendLowI8x16U => Unary(wide::i16x8::extend_low_i8x16_u),
        Op::I16x8ExtendHighI8x16U => Unary(wide::i16x8::extend_high_i8x16_u),
        Op::I16x8Shl => Shift(i16x8::shl),
        Op::I16x8ShrS => Shift(i16x8::shr_s),
        Op::I16x8ShrU => Shift(i16x8::shr_u),
        Op::I16x8Add => Binary(i16x8::add),
        Op::I16x8AddSatS => Binary(i16x8::add_sat_s),
        Op::I16x8AddSatU => Binary(i16x8::add_sat_u),
        Op::I16x8Sub => Binary(i16x8::sub),
        Op::I16x8SubSatS => Binary(i16x8::sub_sat_s),
        Op::I16x8SubSatU => Binary(i16x8::sub_sat_u),
        Op::I16x8Mul => Binary(i16x8::mul),
        Op::I16x8MinS => Binary(i16x8::min_s),
        Op::I16x8MinU => Binary(i16x8::min_u),
        Op::I16x8MaxS => Binary(i16x8::max_s),
        Op::I16x8MaxU => Binary(i16x8::max_u),
        Op::I16x8AvgrU => Binary(i16x8::avgr_u),
        Op::I16x8ExtMulLowI8x16S => Binary(wide::i16x8::extmul_low_i8x16_s),
        Op::I16x8ExtMulHighI8x16S => Binary(wide::i16x8::extmul_high_i8x16_s),
        Op::I16x8ExtMulLowI8x16U => Binary(wide::i16x8::extmul_low_i8x16_u),
        Op::I16x8ExtMulHighI8x16U => Binary(wide::i16x8::extmul_high_i8x16_u),

        // i32x4.
        Op::I32x4Eq => Binary(i32x4::eq),
        Op::I32x4Ne => Binary(i32x4::ne),
        Op::I32x4LtS => Binary(i32x4::lt_s),
        Op::I32x4LtU => Binary(i32x4::lt_u),
        Op::I32x4GtS => Binary(i32x4::gt_s),
        Op::I32x4GtU => Binary(i32x4::gt_u),
        Op::I32x4LeS => Binary(i32x4::le_s),
        Op::I32x4LeU => Binary(i32x4::le_u),
        Op::I32x4GeS => Binary(i32x4::ge_s),
        Op::I32x4GeU => Binary(i32x4::ge_u),
        Op::I32x4ExtAddPairwiseI16x8S => Unary(wide::i32x4::extadd_pairwise_i16x8_s),
        Op::I32x4ExtAddPairwiseI16x8U => Unary(wide::i32x4::extadd_pairwise_i16x8_u),
        Op::I32x4Abs => Unary(i32x4::abs),
        Op::I32x4Neg => Unary(i32x4::neg),
        Op::I32x4AllTrue => Test(i32x4::all_true),
        Op::I32x4Bitmask => Test(i32x4::bitmask),
        Op::I32x4ExtendLowI16x8S => Unary(wide::i32x4::extend_low_i16x8_s),
        Op::I32x4ExtendHighI16x8S => Unary(wide::i32x4::extend_high_i16x8_s),
        Op::I32x4ExtendLowI16x8U => Unary(wide::i32x4::extend_low_i16x8_u),
        Op::I32x4ExtendHighI16x8U => Unary(wide::i32x4::extend_high_i16x8_u),
        Op::I32x4Shl => Shift(i32x4::shl),
        Op::I32x4ShrS => Shift(i32x4::shr_s),
        Op::I32x4ShrU => Shift(i32x4::shr_u),
        Op::I32x4Add => Binary(i32x4::add),
        Op::I32x4Sub => Binary(i32x4::sub),
        Op::I32x4Mul => Binary(i32x4::mul),
        Op::I32x4MinS => Binary(i32x4::min_s),
        Op::I32x4MinU => Binary(i32x4::min_u),
        Op::I32x4MaxS => Binary(i32x4::max_s),
        Op::I32x4MaxU => Binary(i32x4::max_u),
        Op::I32x4DotI16x8S => Binary(wide::i32x4::dot_i16x8_s),
        Op::I32x4ExtMulLowI16x8S => Binary(wide::i32x4::extmul_low_i16x8_s),
        Op::I32x4ExtMulHighI16x8S => Binary(wide::i32x4::extmul_high_i16x8_s),
        Op::I32x4ExtMulLowI16x8U => Binary(wide::i32x4::extmul_low_i16x8_u),
        Op::I32x4ExtMulHighI16x8U => Binary(wide::i32x4::extmul_high_i16x8_u),

        // i64x2.
        Op::I64x2Eq => Binary(i64x2::eq),
        Op::I64x2Ne => Binary(i64x2::ne),
        Op::I64x2LtS => Binary(i64x2::lt_s),
        Op::I64x2GtS => Binary(i64x2::gt_s),
        Op::I64x2LeS => Binary(i64x2::le_s),
        Op::I64x2GeS => Binary(i64x2::ge_s),
        Op::I64x2Abs => Unary(i64x2::abs),
        Op::I64x2Neg => Unary(i64x2::neg),
        Op::I64x2AllTrue => Test(i64x2::all_true),
        Op::I64x2Bitmask => Test(i64x2::bitmask),
        Op::I64x2ExtendLowI32x4S => Unary(wide::i64x2::extend_low_i32x4_s),
        Op::I64x2ExtendHighI32x4S => Unary(wide::i64x2::extend_high_i32x4_s),
        Op::I64x2ExtendLowI32x4U => Unary(wide::i64x2::extend_low_i32x4_u),
        Op::I64x2ExtendHighI32x4U => Unary(wide::i64x2::extend_high_i32x4_u),
        Op::I64x2Shl => Shift(i64x2::shl),
        Op::I64x2ShrS => Shift(i64x2::shr_s),
        Op::I64x2ShrU => Shift(i64x2::shr_u),
        Op::I64x2Add => Binary(i64x2::add),
        Op::I64x2Sub => Binary(i64x2::sub),
        Op::I64x2Mul => Binary(i64x2::mul),
        Op::I64x2ExtMulLowI32x4S => Binary(wide::i64x2::extmul_low_i32x4_s),
        Op::I64x2ExtMulHighI32x4S => Binary(wide::i64x2::extmul_high_i32x4_s),
        Op::I64x2ExtMulLowI32x4U => Binary(wide::i64x2::extmul_low_i32x4_u),
        Op::I64x2ExtMulHighI32x4U => Binary(wide::i64x2::extmul_high_i32x4_u),

        // f32x4.
        Op::F32x4Eq => Binary(f32x4::eq),
        Op::F32x4Ne => Binary(f32x4::ne),
        Op::F32x4Lt => Binary(f32x4::lt),
        Op::F32x4Gt => Binary(f32x4::gt),
        Op::F32x4Le => Binary(f32x4::le),
        Op::F32x4Ge => Binary(f32x4::ge),
        Op::F32x4Ceil => Unary(f32x4::ceil),
        Op::F32x4Floor => Unary(f32x4::floor),
        Op::F32x4Trunc => Unary(f32x4::trunc),
        Op::F32x4Nearest => Unary(f32x4::nearest),
        Op::F32x4Abs => Unary(f32x4::abs),
        Op::F32x4Neg => Unary(f32x4::neg),
        Op::F32x4Sqrt => Unary(f32x4::sqrt),
        Op::F32x4Add => Binary(f32x4::add),
        Op::F32x4Sub => Binary(f32x4::sub),
        Op::F32x4Mul => Binary(f32x4::mul),
        Op::F32x4Div => Binary(f32x4::div),
        Op::F32x4Min => Binary(f32x4::min),
        Op::F32x4Max => Binary(f32x4::max),
        Op::F32x4PMin => Binary(f32x4::pmin),
        Op::F32x4PMax => Binary(f32x4::pmax),

        // f64x2.
        Op::F64x2Eq => Binary(f64x2::eq),
        Op::F64x2Ne => Binary(f64x2::ne),
        Op::F64x2Lt => Binary(f64x2::lt),
        Op::F64x2Gt => Binary(f64x2::gt),
        Op::F64x2Le => Binary(f64x2::le),
        Op::F64x2Ge => Binary(f64x2::ge),
        Op::F64x2Ceil => Unary(f64x2::ceil),
        Op::F64x2Floor => Unary(f64x2::floor),
        Op::F64x2Trunc => Unary(f64x2::trunc),
        Op::F64x2Nearest => Unary(f64x2::nearest),
        Op::F64x2Abs => Unary(f64x2::abs),
        Op::F64x2Neg => Unary(f64x2::neg),
        Op::F64x2Sqrt => Unary(f64x2::sqrt),
        Op::F64x2Add => Binary(f64x2::add),
        Op::F64x2Sub => Binary(f64x2::sub),
        Op::F64x2Mul => Binary(f64x2::mul),
        Op::F64x2Div => Binary(f64x2::div),
        Op::F64x2Min => Binary(f64x2::min),
        Op::F64x2Max => Binary(f64x2::max),
        Op::F64x2PMin => Binary(f64x2::pmin),
        Op::F64x2PMax => Binary(f64x2::pmax),

        // Conversions.
        Op::I32x4TruncSatF32x4S => Unary(convert::i32x4_trunc_sat_f32x4_s),
        Op::I32x4TruncSatF32x4U => Unary(convert::i32x4_trunc_sat_f32x4_u),
        Op::F32x4ConvertI32x4S => Unary(convert::f32x4_convert_i32x4_s),
        Op::F32x4ConvertI32x4U => Unary(convert::f32x4_convert_i32x4_u),
        Op::I32x4TruncSatF64x2SZero => Unary(convert::i32x4_trunc_sat_f64x2_s_zero),
        Op::I32x4TruncSatF64x2UZero => Unary(convert::i32x4_trunc_sat_f64x2_u_zero),
        Op::F64x2ConvertLowI32x4S => Unary(convert::f64x2_convert_low_i32x4_s),
        Op::F64x2ConvertLowI32x4U => Unary(convert::f64x2_convert_low_i32x4_u),
        Op::F32x4DemoteF64x2Zero => Unary(convert::f32x4_demote_f64x2_zero),
        Op::F64x2PromoteLowF32x4 => Unary(convert::f64x2_promote_low_f32x4),

        _ => return None,
    };
    Some(classified)
}

/// The lane immediate of an `extract_lane`/`replace_lane` operator (or of a lane load/store),
/// which the [`SimdOp::ExtractLaneI32`]-style variants leave to the interpreter; `None` for
/// operators without one.
pub fn lane_index(op: &Op<'_>) -> Option<u8> {
    match *op {
        Op::I8x16ExtractLaneS { lane }
        | Op::I8x16ExtractLaneU { lane }
        | Op::I8x16ReplaceLane { lane }
        | Op::I16x8ExtractLaneS { lane }
        | Op::I16x8ExtractLaneU { lane }
        | Op::I16x8ReplaceLane { lane }
        | Op::I32x4ExtractLane { lane }
        | Op::I32x4ReplaceLane { lane }
        | Op::I64x2ExtractLane { lane }
        | Op::I64x2ReplaceLane { lane }
        | Op::F32x4ExtractLane { lane }
        | Op::F32x4ReplaceLane { lane }
        | Op::F64x2ExtractLane { lane }
        | Op::F64x2ReplaceLane { lane }
        | Op::V128Load8Lane { lane, .. }
        | Op::V128Load16Lane { lane, .. }
        | Op::V128Load32Lane { lane, .. }
        | Op::V128Load64Lane { lane, .. }
        | Op::V128Store8Lane { lane, .. }
        | Op::V128Store16Lane { lane, .. }
        | Op::V128Store32Lane { lane, .. }
        | Op::V128Store64Lane { lane, .. } => Some(lane),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_simd_and_relaxed_operators_are_not_classified() {
        assert!(classify(&Op::I32Add).is_none());
        assert!(classify(&Op::Nop).is_none());
        assert!(classify(&Op::I8x16RelaxedSwizzle).is_none());
        assert!(classify(&Op::F32x4RelaxedMadd).is_none());
    }

    #[test]
    fn classified_functions_compute_the_operator() {
        let Some(SimdOp::Binary(add)) = classify(&Op::I32x4Add) else { panic!("i32x4.add is binary") };
        assert_eq!(add(1 | (2 << 32), 3 | (4 << 32)), 4 | (6 << 32));
        let Some(SimdOp::Shift(shl)) = classify(&Op::I64x2Shl) else { panic!("i64x2.shl is a shift") };
        assert_eq!(shl(1, 65), 2);
        let Some(SimdOp::ExtractLaneI32(extract)) = classify(&Op::I8x16ExtractLaneS { lane: 1 }) else {
            panic!("i8x16.extract_lane_s extracts an i32")
        };
        assert_eq!(extract(0xff00, 1), -1);
    }

    #[test]
    fn immediates_are_carried() {
        let Some(SimdOp::Shuffle(lanes)) = classify(&Op::I8x16Shuffle { lanes: [3; 16] }) else {
            panic!("shuffle keeps its lanes")
        };
        assert_eq!(lanes, [3; 16]);
        assert_eq!(lane_index(&Op::F64x2ReplaceLane { lane: 1 }), Some(1));
        assert_eq!(lane_index(&Op::I32x4Add), None);
        let memarg = wasmparser::MemArg {
            align: 0,
            max_align: 0,
            offset: 8,
            target: wasmparser::MemArgTarget::Memory(0),
            ordering: None,
        };
        assert!(matches!(
            classify(&Op::V128Load16Lane { memarg, lane: 5 }),
            Some(SimdOp::LoadLane { bytes: 2, lane: 5, memarg: m }) if m.offset == 8
        ));
        assert!(matches!(classify(&Op::V128Load32Zero { memarg }), Some(SimdOp::Load(LoadKind::Zero32, _))));
    }

    /// Stand-in immediates for building every operator.
    trait SampleImmediate {
        fn sample() -> Self;
    }

    impl SampleImmediate for wasmparser::MemArg {
        fn sample() -> Self {
            wasmparser::MemArg {
                align: 0,
                max_align: 4,
                offset: 0,
                target: wasmparser::MemArgTarget::Memory(0),
                ordering: None,
            }
        }
    }

    impl SampleImmediate for u8 {
        fn sample() -> Self {
            1
        }
    }

    impl SampleImmediate for [u8; 16] {
        fn sample() -> Self {
            [0; 16]
        }
    }

    impl SampleImmediate for wasmparser::V128 {
        fn sample() -> Self {
            wasmparser::V128::from(0u128)
        }
    }

    /// Classifies every operator of wasmparser's `@simd` and `@relaxed_simd` lists; returns
    /// `(simd operators, simd operators classified, relaxed operators classified)`.
    macro_rules! classify_every_simd_operator {
        ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*) )*) => {{
            let mut counts = (0usize, 0usize, 0usize);
            $(
                let op = Op::$op $({ $($arg: <$argty as SampleImmediate>::sample()),* })?;
                let classified = classify(&op).is_some();
                match stringify!($proposal) {
                    "simd" => {
                        counts.0 += 1;
                        counts.1 += usize::from(classified);
                        assert!(classified, "{} is not classified", stringify!($op));
                    }
                    _ => counts.2 += usize::from(classified),
                }
            )*
            counts
        }};
    }

    #[test]
    fn every_wasm_2_simd_operator_is_classified_and_no_relaxed_one() {
        let (simd, classified, relaxed_classified) =
            wasmparser::for_each_visit_simd_operator!(classify_every_simd_operator);
        assert_eq!(simd, classified);
        assert_eq!(simd, 236, "Wasm 2.0 has 236 SIMD instructions");
        assert_eq!(relaxed_classified, 0);
    }
}
