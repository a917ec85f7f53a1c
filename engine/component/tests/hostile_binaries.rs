//! Hostile component binaries: the real C fixture, mutated many ways (bytes flipped, LEB128
//! numbers made huge, sections truncated, bytes inserted or removed), must each end in a load
//! error, an instantiation error, results or a trap, never a panic; and a run that loops is
//! stopped by fuel. Every outcome is counted so the test shows that mutants reach all stages.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use canopy_component::runtime::{Component, Linker, Store};
use canopy_component::wave::from_wave;
use proptest::prelude::Rng as _;
use proptest::test_runner::{RngAlgorithm, TestRng};

/// A seeded generator (proptest's), so a failure names a reproducible seed.
struct Rng(TestRng);

impl Rng {
    fn new(seed: u64) -> Rng {
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&seed.to_le_bytes());
        Rng(TestRng::from_seed(RngAlgorithm::XorShift, &bytes))
    }

    fn next(&mut self) -> u64 {
        self.0.next_u64()
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// One to four mutations of `bytes`.
fn mutate(bytes: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(out.len());
        match rng.below(6) {
            0 => out[at] ^= 1 << rng.below(8),
            1 => out[at] = rng.next() as u8,
            // A LEB128 number that goes on and on.
            2 => out.splice(at..at, [0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]).for_each(drop),
            3 => out.truncate(at.max(8)),
            4 => {
                let n = 1 + rng.below(16);
                out.splice(at..at, (0..n).map(|_| rng.next() as u8)).for_each(drop);
            }
            _ => {
                let end = (at + 1 + rng.below(16)).min(out.len());
                out.drain(at..end);
            }
        }
    }
    out
}

/// Calls of the fixture that take no handles, in the syntax of calls.txt.
const CALLS: &[(&str, &[&str])] = &[
    ("version", &[]),
    ("canopy:fixtures/values@0.1.0#echo", &["\"héllo\""]),
    ("canopy:fixtures/values@0.1.0#concat", &["\"foo\"", "\"bar\""]),
    ("canopy:fixtures/values@0.1.0#split-words", &["\" the quick  brown \""]),
    ("canopy:fixtures/values@0.1.0#join", &["[\"a\", \"b\"]", "\", \""]),
    ("canopy:fixtures/values@0.1.0#add-s32", &["2147483647", "1"]),
];

#[derive(Default, Debug)]
struct Outcomes {
    load_errors: usize,
    instantiate_errors: usize,
    calls_returned: usize,
    calls_trapped: usize,
}

fn run_mutant(bytes: &[u8], outcomes: &mut Outcomes) {
    let component = match Component::new(bytes) {
        Ok(c) => c,
        Err(e) => {
            assert!(!e.to_string().is_empty(), "a load error says what is wrong");
            outcomes.load_errors += 1;
            return;
        }
    };
    let limits = canopy_interp::Limits { fuel: Some(2_000_000), ..canopy_interp::Limits::default() };
    let mut store = Store::with_limits(limits);
    let instance = match store.instantiate(&Linker::new(), &component, "mutant") {
        Ok(i) => i,
        Err(e) => {
            assert!(!e.to_string().is_empty(), "an instantiation error says what is wrong");
            outcomes.instantiate_errors += 1;
            return;
        }
    };
    for (path, texts) in CALLS {
        // A mutant may have lost or retyped the export: then there is nothing to call.
        let Some(sig) = store.func_type(instance, path) else { continue };
        let Some(args) = sig
            .params
            .iter()
            .zip(texts.iter())
            .map(|((_, ty), text)| from_wave(ty, text).ok())
            .collect::<Option<Vec<_>>>()
            .filter(|args| args.len() == sig.params.len())
        else {
            continue;
        };
        match store.call(instance, path, &args) {
            Ok(_) => outcomes.calls_returned += 1,
            Err(trap) => {
                assert!(!trap.message.is_empty(), "a trap says why");
                outcomes.calls_trapped += 1;
            }
        }
    }
}

#[test]
fn mutated_real_components_end_in_errors_results_or_traps() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/components");
    let original = std::fs::read(root.join("wasm/fixtures-c.wasm")).expect("the committed C component");
    let mut outcomes = Outcomes::default();
    for seed in 1..=2000u64 {
        let mut rng = Rng::new(seed);
        let mutant = mutate(&original, &mut rng);
        let result = catch_unwind(AssertUnwindSafe(|| run_mutant(&mutant, &mut outcomes)));
        assert!(result.is_ok(), "mutant of seed {seed} panicked");
    }
    println!("{outcomes:?}");
    // The mutants reach every stage: most fail to load, but some load and are called.
    assert!(outcomes.load_errors > 500, "{outcomes:?}");
    assert!(outcomes.calls_returned + outcomes.calls_trapped > 100, "{outcomes:?}");
}
