//! The benchmark programs: their WebAssembly text, the export to run, and their benchmark inputs.

use crate::Value;

/// The name of the function every program contains but never calls from `run`; the benchmarks put
/// a breakpoint in it to measure what an armed-but-untaken breakpoint costs. It is also exported
/// under this name so tests can check that the breakpoint really is armed.
pub const NEVER_CALLED: &str = "never_called";

/// One of the CPU-bound programs under `programs/`. Each exports `run`, taking one `i32` size
/// parameter and returning a checksum of its work, and `never_called`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Program {
    /// `fib.wat`: naive recursive Fibonacci; `run(n)` returns fib(n) as an `i64`.
    Fib,
    /// `sha256.wat`: SHA-256 of an LCG-generated message; `run(len)` returns the XOR of the digest
    /// words as an `i32`, and `digest_word(i)` returns word `i`.
    Sha256,
    /// `sort.wat`: quicksort of LCG-generated `i32`s; `run(n)` returns a checksum of the sorted
    /// array as an `i64` (and traps if it is not sorted).
    Sort,
    /// `matmul.wat`: n×n `f64` matrix product; `run(n)` returns the sum of the product's entries.
    Matmul,
    /// `interp_loop.wat`: a `br_table`-dispatched stack VM whose bytecode counts the primes below
    /// `n`; `run(n)` returns that count as an `i32`.
    InterpLoop,
}

impl Program {
    /// Every program, in the order reports list them.
    pub const ALL: [Program; 5] = [Program::Fib, Program::Sha256, Program::Sort, Program::Matmul, Program::InterpLoop];

    /// A short name, used as the benchmark group name.
    pub fn name(self) -> &'static str {
        match self {
            Program::Fib => "fib",
            Program::Sha256 => "sha256",
            Program::Sort => "sort",
            Program::Matmul => "matmul",
            Program::InterpLoop => "interp_loop",
        }
    }

    /// The program's WebAssembly text, as checked in.
    pub fn wat(self) -> &'static str {
        match self {
            Program::Fib => include_str!("../programs/fib.wat"),
            Program::Sha256 => include_str!("../programs/sha256.wat"),
            Program::Sort => include_str!("../programs/sort.wat"),
            Program::Matmul => include_str!("../programs/matmul.wat"),
            Program::InterpLoop => include_str!("../programs/interp_loop.wat"),
        }
    }

    /// The program as a binary module, including its `name` section.
    pub fn wasm(self) -> Result<Vec<u8>, wat::Error> {
        let mut wasm = wat::parse_str(self.wat())?;
        wasm.shrink_to_fit();
        Ok(wasm)
    }

    /// The argument of `run` used by the benchmarks, sized so one run takes tens of milliseconds
    /// on wasmi: fib(27), SHA-256 of 1 MiB, sorting 2^20 integers, a 200×200 product, and the
    /// primes below 25 000.
    pub fn bench_input(self) -> i32 {
        match self {
            Program::Fib => 27,
            Program::Sha256 => 1 << 20,
            Program::Sort => 1 << 20,
            Program::Matmul => 200,
            Program::InterpLoop => 25_000,
        }
    }

    /// The benchmark arguments of `run`, as engine-neutral values.
    pub fn bench_args(self) -> [Value; 1] {
        [Value::I32(self.bench_input())]
    }
}
