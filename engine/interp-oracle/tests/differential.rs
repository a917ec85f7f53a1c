//! The interpreter against wasmi on generated modules, and against hostile bytes.
//!
//! Deterministic: every case comes from a seeded generator, and a failure names its seed. Run
//! longer with `CANOPY_ORACLE_CASES=N`; the fuzz target `run_wasm` in `fuzz/` runs the same
//! comparison coverage-guided. Both tests run on the fuzz targets' 256 KiB stack, so that the
//! generator, the decoder or the interpreter recursing with the input shows up here too.

#[path = "../../../fuzz/fuzz_targets/small_stack.rs"]
mod small_stack;

use canopy_interp_oracle::{run_case, run_hostile};

/// A small, fast, seedable generator (xorshift64*), so the test needs no extra crate.
struct Bytes(u64);

impl Bytes {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn fill(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next() as u8).collect()
    }

    /// `min` plus up to `spread` random bytes.
    fn chunk(&mut self, min: usize, spread: usize) -> Vec<u8> {
        let len = min + self.below(spread);
        self.fill(len)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn cases() -> u64 {
    std::env::var("CANOPY_ORACLE_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(4000)
}

#[test]
fn interpreter_agrees_with_wasmi_on_generated_modules() {
    small_stack::run(agrees_with_wasmi);
}

fn agrees_with_wasmi() {
    let (mut modules, mut instantiated, mut calls, mut traps, mut limited, mut oracle_failed) = (0, 0, 0, 0, 0, 0);
    let mut mismatches = Vec::new();
    for seed in 1..=cases() {
        let mut rng = Bytes(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        let data = rng.chunk(512, 8192);
        match run_case(&data) {
            Ok(Some(report)) => {
                modules += 1;
                instantiated += usize::from(report.instantiated);
                calls += report.calls;
                traps += report.traps;
                limited += usize::from(report.stopped_at_limit);
                oracle_failed += usize::from(report.oracle_failed);
            }
            Ok(None) => {}
            Err(mismatch) => mismatches.push(format!("seed {seed}: {mismatch}")),
        }
    }
    println!(
        "{modules} modules, {instantiated} instantiated on both engines, {calls} calls compared ({traps} trapped alike), \
         {limited} stopped at an engine limit, {oracle_failed} that wasmi failed to compile, {} mismatches",
        mismatches.len()
    );
    assert!(mismatches.is_empty(), "canopy and wasmi disagree:\n{}", mismatches.join("\n"));
    // The comparison must have had something to compare.
    assert!(modules as u64 >= cases() * 9 / 10, "only {modules} modules generated");
    assert!(instantiated * 2 >= modules, "only {instantiated} of {modules} modules instantiated");
    assert!(oracle_failed * 100 <= modules, "wasmi failed on {oracle_failed} of {modules} modules");
    assert!(calls >= modules, "only {calls} calls compared over {modules} modules");
    assert!(
        traps > 0 && traps < calls,
        "every call trapped or none did ({traps} of {calls}): the comparison is degenerate"
    );
}

#[test]
fn hostile_bytes_never_panic() {
    small_stack::run(hostile_bytes);
}

fn hostile_bytes() {
    let mut rng = Bytes(0x005e_ed0f_4057_11e5);
    let (mut inputs, mut instantiated, mut calls) = (0usize, 0usize, 0usize);
    // Thirteen or fourteen inputs a round: over 100,000 by default.
    for round in 0..cases() * 2 {
        // A valid module to mutate.
        let data = rng.chunk(256, 4096);
        let mut u = arbitrary::Unstructured::new(&data);
        let Ok(wasm) = canopy_interp_oracle::generate_module(&mut u, true) else { continue };
        let mut variants = vec![wasm.clone()];
        for _ in 0..12 {
            let mut mutated = wasm.clone();
            match rng.below(4) {
                // Flip a few bits.
                0 => {
                    for _ in 0..1 + rng.below(4) {
                        let at = rng.below(mutated.len());
                        mutated[at] ^= 1 << rng.below(8);
                    }
                }
                // Truncate.
                1 => mutated.truncate(rng.below(mutated.len())),
                // Overwrite a run with random bytes.
                2 => {
                    let at = rng.below(mutated.len());
                    let run = rng.chunk(1, 16);
                    for (i, b) in run.into_iter().enumerate() {
                        if let Some(slot) = mutated.get_mut(at + i) {
                            *slot = b;
                        }
                    }
                }
                // Insert random bytes.
                _ => {
                    let at = rng.below(mutated.len());
                    let run = rng.chunk(1, 16);
                    mutated.splice(at..at, run);
                }
            }
            variants.push(mutated);
        }
        if round % 16 == 0 {
            // Plain garbage behind a valid header.
            let mut garbage = b"\0asm\x01\0\0\0".to_vec();
            garbage.extend(rng.chunk(0, 512));
            variants.push(garbage);
        }
        for bytes in variants {
            let report = run_hostile(&bytes);
            inputs += 1;
            instantiated += usize::from(report.instantiated);
            calls += report.calls;
        }
    }
    println!("{inputs} hostile inputs, {instantiated} instantiated, {calls} calls run");
    assert!(inputs >= cases() as usize * 20, "only {inputs} inputs");
    // Mutation must leave a share of inputs valid, or the run would test only the decoder.
    assert!(instantiated * 10 >= inputs, "only {instantiated} of {inputs} inputs instantiated");
    assert!(calls > 0);
}
