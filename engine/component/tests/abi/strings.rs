//! Strings in all three encodings: lifting hand-laid bytes, lowering with transcoding from
//! every source encoding into every destination encoding, and the exact `realloc` calls the
//! Canonical ABI's `store_string` makes for each pair.

use canopy_component::abi::{CoreVal, CoreValues, Options, StringEncoding};
use canopy_component::{Type, Val};

use crate::support::{ENCODINGS, TestGuest, with_cx};

const TAG: u32 = 1 << 31;

fn options(dst: StringEncoding, source: StringEncoding) -> Options {
    Options { source_encoding: source, ..Options::with_memory(dst) }
}

/// Lowers `text` flat into `guest`; returns (pointer, tagged length).
fn lower(guest: &mut TestGuest, dst: StringEncoding, source: StringEncoding, text: &str) -> (u32, u32) {
    let options = options(dst, source);
    let flat = with_cx(guest, &options, |cx| cx.lower_flat(&Val::String(text.into()), &Type::String)).expect("lower");
    match flat[..] {
        [CoreVal::I32(ptr), CoreVal::I32(len)] => (ptr as u32, len as u32),
        _ => panic!("a string flattens to two i32s, got {flat:?}"),
    }
}

fn lift(guest: &mut TestGuest, encoding: StringEncoding, ptr: u32, len: u32) -> Result<Val, String> {
    let options = Options::with_memory(encoding);
    let core = [CoreVal::I32(ptr as i32), CoreVal::I32(len as i32)];
    with_cx(guest, &options, |cx| cx.lift_flat(&mut CoreValues::new(&core), &Type::String)).map_err(|t| t.to_string())
}

const SAMPLES: [&str; 7] =
    ["", "hello", "héllo wörld", "ÿ", "a€b", "😀 smile", "\u{0}\u{7f}\u{80}\u{ff}\u{100}\u{ffff}"];

#[test]
fn every_pair_of_encodings_round_trips() {
    for dst in ENCODINGS {
        for source in ENCODINGS {
            for text in SAMPLES {
                let mut guest = TestGuest::standard();
                let (ptr, len) = lower(&mut guest, dst, source, text);
                assert_eq!(
                    lift(&mut guest, dst, ptr, len),
                    Ok(Val::String(text.into())),
                    "{text:?} from {source} into {dst}"
                );
            }
        }
    }
}

#[test]
fn stored_bytes_are_in_the_destination_encoding() {
    let mut guest = TestGuest::standard();
    let (ptr, len) = lower(&mut guest, StringEncoding::Utf16, StringEncoding::Utf8, "h€");
    assert_eq!(len, 2, "utf16 lengths count code units");
    assert_eq!(guest.bytes(ptr, 4), &[0x68, 0, 0xac, 0x20]);

    let (ptr, len) = lower(&mut guest, StringEncoding::Latin1Utf16, StringEncoding::Utf8, "hé");
    assert_eq!(len, 2, "Latin-1 fits: untagged byte length");
    assert_eq!(guest.bytes(ptr, 2), &[0x68, 0xe9]);

    let (ptr, len) = lower(&mut guest, StringEncoding::Latin1Utf16, StringEncoding::Utf8, "h€");
    assert_eq!(len, 2 | TAG, "UTF-16 needed: tagged code-unit count");
    assert_eq!(guest.bytes(ptr, 4), &[0x68, 0, 0xac, 0x20]);

    let (ptr, len) = lower(&mut guest, StringEncoding::Utf8, StringEncoding::Utf16, "😀");
    assert_eq!(len, 4);
    assert_eq!(guest.bytes(ptr, 4), "😀".as_bytes());
}

/// The realloc calls lowering `text` makes, with the allocation pointer written as `p`
/// (the test guest allocates from 0x1000, so the first pointer is 0x1000).
fn reallocs(dst: StringEncoding, source: StringEncoding, text: &str) -> Vec<[u32; 4]> {
    let mut guest = TestGuest::standard();
    lower(&mut guest, dst, source, text);
    guest.reallocs
}

const P: u32 = 0x1000;

#[test]
fn realloc_calls_follow_store_string() {
    use StringEncoding::{Latin1Utf16 as L, Utf8 as U8, Utf16 as U16};
    // utf8 → utf8: one exact allocation (also for the empty string).
    assert_eq!(reallocs(U8, U8, "aé"), [[0, 0, 1, 3]]);
    assert_eq!(reallocs(U8, U8, ""), [[0, 0, 1, 0]]);
    // utf16 → utf8: one byte per unit, grown to 3 per unit at 'é', shrunk to the 3 bytes.
    assert_eq!(reallocs(U8, U16, "aé"), [[0, 0, 1, 2], [P, 2, 1, 6], [P + 2, 6, 1, 3]]);
    // utf16 → utf8, all ASCII: the optimistic allocation is exact.
    assert_eq!(reallocs(U8, U16, "abc"), [[0, 0, 1, 3]]);
    // latin1 → utf8: grown to 2 per unit.
    assert_eq!(reallocs(U8, L, "aé"), [[0, 0, 1, 2], [P, 2, 1, 4], [P + 2, 4, 1, 3]]);
    // utf8 → utf16: 2 bytes per source byte, shrunk to the 4 bytes of two code units.
    assert_eq!(reallocs(U16, U8, "aé"), [[0, 0, 2, 6], [P, 6, 2, 4]]);
    // utf16 → utf16 and latin1 → utf16: exact copies.
    assert_eq!(reallocs(U16, U16, "aé"), [[0, 0, 2, 4]]);
    assert_eq!(reallocs(U16, L, "aé"), [[0, 0, 2, 4]]);
    // utf8 → latin1+utf16, Latin-1 fits: one byte per source byte, shrunk to 2.
    assert_eq!(reallocs(L, U8, "aé"), [[0, 0, 2, 3], [P, 3, 2, 2]]);
    // utf8 → latin1+utf16, UTF-16 needed at '€': grown to 2 per source unit, shrunk to 4.
    assert_eq!(reallocs(L, U8, "a€"), [[0, 0, 2, 4], [P, 4, 2, 8], [P + 4, 8, 2, 4]]);
    // utf16 → latin1+utf16: the same algorithm counting UTF-16 units.
    assert_eq!(reallocs(L, U16, "a€"), [[0, 0, 2, 2], [P, 2, 2, 4]]);
    // latin1+utf16 → latin1+utf16: copies in whichever half the string is in.
    assert_eq!(reallocs(L, L, "aé"), [[0, 0, 2, 2]]);
    assert_eq!(reallocs(L, L, "a€"), [[0, 0, 2, 4]]);
}

#[test]
fn inflation_reads_the_bytes_realloc_moved() {
    // Lowering "ab€" into latin1+utf16 writes "ab" as Latin-1, then realloc moves the
    // allocation (the test guest copies the old bytes) and they are inflated at the new place.
    let mut guest = TestGuest::standard();
    let (ptr, len) = lower(&mut guest, StringEncoding::Latin1Utf16, StringEncoding::Utf8, "ab€");
    assert_ne!(ptr, P, "the grown allocation moved");
    assert_eq!(len, 3 | TAG);
    assert_eq!(guest.bytes(ptr, 6), &[b'a', 0, b'b', 0, 0xac, 0x20]);
}

#[test]
fn lifting_reads_each_encoding() {
    let mut guest = TestGuest::standard();
    guest.poke(0x10, "añ😀".as_bytes());
    assert_eq!(lift(&mut guest, StringEncoding::Utf8, 0x10, 7), Ok(Val::String("añ😀".into())));
    guest.poke(0x20, &[0x61, 0, 0x3d, 0xd8, 0x00, 0xde]);
    assert_eq!(lift(&mut guest, StringEncoding::Utf16, 0x20, 3), Ok(Val::String("a😀".into())));
    guest.poke(0x30, &[0x61, 0xff]);
    assert_eq!(lift(&mut guest, StringEncoding::Latin1Utf16, 0x30, 2), Ok(Val::String("aÿ".into())));
    assert_eq!(lift(&mut guest, StringEncoding::Latin1Utf16, 0x20, 3 | TAG), Ok(Val::String("a😀".into())));
    assert_eq!(lift(&mut guest, StringEncoding::Utf8, 0x40, 0), Ok(Val::String(String::new())));
}

#[test]
fn strings_in_memory_use_the_same_rules() {
    // A list of strings in utf16: each element is (pointer, units), each string allocated.
    for encoding in ENCODINGS {
        let mut guest = TestGuest::standard();
        let options = Options::with_memory(encoding);
        let ty = Type::list(Type::String);
        let val = Val::List(SAMPLES.iter().map(|s| Val::String((*s).into())).collect());
        with_cx(&mut guest, &options, |cx| cx.store(&val, &ty, 0x100)).unwrap();
        assert_eq!(with_cx(&mut guest, &options, |cx| cx.load(0x100, &ty)), Ok(val), "{encoding}");
    }
}
