//! Lower, then lift: the same value, whatever the type, encoding and path.

use canopy_component::abi::{CoreVal, CoreValues, Options, StringEncoding};
use canopy_component::{Type, Val};
use proptest::collection::vec;
use proptest::prelude::*;

use crate::generate::{Handles, typed_val};
use crate::support::{ENCODINGS, TestGuest, with_cx};

fn encoding() -> impl Strategy<Value = StringEncoding> {
    proptest::sample::select(ENCODINGS.to_vec())
}

fn options(dst: StringEncoding, source: StringEncoding) -> Options {
    Options { source_encoding: source, ..Options::with_memory(dst) }
}

fn guest() -> TestGuest {
    TestGuest::new(1 << 20, 0x1_0000)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn memory_round_trip((ty, val) in typed_val(3, Handles::Included), dst in encoding(), source in encoding()) {
        let mut guest = guest();
        let options = options(dst, source);
        with_cx(&mut guest, &options, |cx| cx.store(&val, &ty, 0x100)).expect("store");
        let back = with_cx(&mut guest, &options, |cx| cx.load(0x100, &ty)).expect("load");
        prop_assert_eq!(back, val);
    }

    #[test]
    fn flat_round_trip((ty, val) in typed_val(3, Handles::Included), dst in encoding(), source in encoding()) {
        let mut guest = guest();
        let options = options(dst, source);
        let core = with_cx(&mut guest, &options, |cx| cx.lower_flat(&val, &ty)).expect("lower");
        let mut src = CoreValues::new(&core);
        let back = with_cx(&mut guest, &options, |cx| cx.lift_flat(&mut src, &ty)).expect("lift");
        prop_assert!(src.finish().is_ok());
        prop_assert_eq!(back, val);
    }

    #[test]
    fn params_round_trip(params in vec(typed_val(2, Handles::Included), 0..20), dst in encoding(), source in encoding()) {
        let (types, vals): (Vec<Type>, Vec<Val>) = params.into_iter().unzip();
        let mut guest = guest();
        let options = options(dst, source);
        let core = with_cx(&mut guest, &options, |cx| cx.lower_params(&types, &vals)).expect("lower params");
        let mut args = CoreValues::new(&core);
        let back = with_cx(&mut guest, &options, |cx| cx.lift_params(&types, &mut args)).expect("lift params");
        prop_assert!(args.finish().is_ok());
        prop_assert_eq!(back, vals);
    }

    #[test]
    fn results_round_trip((ty, val) in typed_val(3, Handles::Included), dst in encoding(), source in encoding()) {
        // The caller's out-pointer 0x100 is passed after its (no) arguments; if the result
        // flattens to one value it comes back directly and the out-pointer is not used.
        let mut guest = guest();
        let options = options(dst, source);
        let types = [ty];
        let flat_count = canopy_canonical_abi::flatten(&types[0].abi()).len();
        let out = [CoreVal::I32(0x100)];
        let mut args = CoreValues::new(if flat_count > 1 { &out } else { &[] });
        let core = with_cx(&mut guest, &options, |cx| cx.lower_results(&types, std::slice::from_ref(&val), &mut args))
            .expect("lower results");
        let returned = if flat_count > 1 { out.to_vec() } else { core };
        let back = with_cx(&mut guest, &options, |cx| cx.lift_results(&types, &returned)).expect("lift results");
        prop_assert_eq!(back, vec![val]);
    }
}
