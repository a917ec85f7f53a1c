//! Hostile input: whatever the memory holds, whatever core values arrive, whatever realloc
//! returns, lifting and lowering end in a value or a trap.

use canopy_component::abi::{CoreVal, CoreValues, Options, StringEncoding};
use canopy_component::{Type, Val};
use proptest::collection::vec;
use proptest::prelude::*;

use crate::generate::{Handles, any_type, typed_val};
use crate::support::{ENCODINGS, TestGuest, with_cx};

const MEMORY: usize = 4096;

fn encoding() -> impl Strategy<Value = StringEncoding> {
    proptest::sample::select(ENCODINGS.to_vec())
}

/// Mostly pointers and lengths that land in or near the memory, sometimes anything.
fn word() -> impl Strategy<Value = i32> {
    prop_oneof![4 => 0i32..(MEMORY as i32 + 64), 1 => 0i32..8, 1 => any::<i32>()]
}

fn core_val() -> impl Strategy<Value = CoreVal> {
    prop_oneof![
        6 => word().prop_map(CoreVal::I32),
        1 => any::<i64>().prop_map(CoreVal::I64),
        1 => word().prop_map(|w| CoreVal::I64(w.into())),
        1 => any::<u32>().prop_map(CoreVal::F32),
        1 => any::<u64>().prop_map(CoreVal::F64),
    ]
}

/// A guest whose memory is `bytes`, its table holding a few handles of the test types.
fn guest(bytes: Vec<u8>) -> TestGuest {
    let mut guest = TestGuest::new(MEMORY, 0x800);
    guest.memory[..bytes.len()].copy_from_slice(&bytes);
    guest
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn loading_random_memory(bytes in vec(any::<u8>(), MEMORY), ty in any_type(3, Handles::Included), ptr in word(), enc in encoding()) {
        let mut guest = guest(bytes);
        let options = Options::with_memory(enc);
        let _ = with_cx(&mut guest, &options, |cx| cx.load(ptr as u32, &ty));
    }

    #[test]
    fn lifting_random_core_values(
        bytes in vec(any::<u8>(), MEMORY),
        types in vec(any_type(3, Handles::Included), 0..18),
        core in vec(core_val(), 0..20),
        enc in encoding(),
    ) {
        let mut guest = guest(bytes);
        let options = Options::with_memory(enc);
        let _ = with_cx(&mut guest, &options, |cx| cx.lift_params(&types, &mut CoreValues::new(&core)));
        let _ = with_cx(&mut guest, &options, |cx| cx.lift_results(&types, &core));
    }

    #[test]
    fn lifting_flat_random_core_values(ty in any_type(3, Handles::Included), core in vec(core_val(), 0..20), enc in encoding()) {
        let mut guest = guest(vec![0xa5; MEMORY]);
        let options = Options::with_memory(enc);
        let _ = with_cx(&mut guest, &options, |cx| cx.lift_flat(&mut CoreValues::new(&core), &ty));
    }

    #[test]
    fn lowering_with_a_hostile_realloc(
        params in vec(typed_val(2, Handles::Included), 0..18),
        answers in vec(word(), 1..8),
        dst in encoding(),
        source in encoding(),
    ) {
        let (types, vals): (Vec<Type>, Vec<Val>) = params.into_iter().unzip();
        let mut guest = guest(Vec::new());
        let mut next = 0;
        guest.hostile_realloc = Some(Box::new(move |_, _, _, _| {
            next += 1;
            answers[next % answers.len()] as u32
        }));
        let options = Options { source_encoding: source, ..Options::with_memory(dst) };
        let _ = with_cx(&mut guest, &options, |cx| cx.lower_params(&types, &vals));
    }

    #[test]
    fn mismatched_values_are_refused(
        (ty, _) in typed_val(2, Handles::Included),
        (_, other) in typed_val(2, Handles::Included),
    ) {
        // Lowering a value of another type is a trap or (if it happens to fit) a success;
        // lowering never panics, and a refusal is reported before any allocation.
        let mut guest = guest(Vec::new());
        let options = Options::with_memory(StringEncoding::Utf8);
        let result = with_cx(&mut guest, &options, |cx| cx.lower_flat(&other, &ty));
        prop_assert_eq!(result.is_ok(), other.type_check(&ty).is_ok());
        if result.is_err() {
            prop_assert!(guest.reallocs.is_empty());
        }
    }
}
