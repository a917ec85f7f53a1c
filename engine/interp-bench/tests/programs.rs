//! Runs every benchmark program on every engine, with small inputs and with the benchmark inputs,
//! and checks each result against an independent computation in Rust (the `sha2` crate for
//! SHA-256, the standard library's sort, plain loops for the rest).

use canopy_interp_bench::{
    BenchError, CanopyBreakpointRunner, CanopyRunner, NEVER_CALLED, Program, Runner, Value, WasmiRunner,
};

/// Independent Rust computations of what the programs must return.
mod reference {
    use sha2::{Digest, Sha256};

    /// fib(n) with fib(0) = 0, fib(1) = 1, computed iteratively.
    pub fn fib(n: u32) -> i64 {
        let (mut current, mut next) = (0i64, 1i64);
        for _ in 0..n {
            (current, next) = (next, current + next);
        }
        current
    }

    /// The message `sha256.wat` generates: byte i is the top byte of the (i+1)-th LCG state.
    pub fn sha256_message(len: usize) -> Vec<u8> {
        let mut state: u32 = 0x1234_5678;
        (0..len)
            .map(|_| {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                (state >> 24) as u8
            })
            .collect()
    }

    /// The SHA-256 digest of `message` as eight big-endian words.
    pub fn sha256_words(message: &[u8]) -> [i32; 8] {
        let digest = Sha256::digest(message);
        std::array::from_fn(|i| i32::from_be_bytes(digest[4 * i..4 * i + 4].try_into().unwrap()))
    }

    /// The array `sort.wat` generates, sorted by the standard library.
    pub fn sorted_numbers(n: usize) -> Vec<i32> {
        let mut state: u32 = 42;
        let mut numbers: Vec<i32> = (0..n)
            .map(|_| {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                state as i32
            })
            .collect();
        numbers.sort_unstable();
        numbers
    }

    /// The checksum `sort.wat` returns over its sorted array.
    pub fn sort_checksum(sorted: &[i32]) -> i64 {
        sorted.iter().fold(0i64, |h, &v| h.wrapping_mul(31).wrapping_add(i64::from(v)))
    }

    /// The product C = A × B of the matrices `matmul.wat` generates, row-major.
    pub fn matmul(n: usize) -> Vec<f64> {
        let mut state: u32 = 7;
        let entries: Vec<f64> = (0..2 * n * n)
            .map(|_| {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                f64::from((state >> 16) & 255) / 16.0
            })
            .collect();
        let (a, b) = entries.split_at(n * n);
        let mut c = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                c[i * n + j] = (0..n).map(|k| a[i * n + k] * b[k * n + j]).sum();
            }
        }
        c
    }

    /// The number of primes below `n`, by the sieve of Eratosthenes.
    pub fn primes_below(n: usize) -> i32 {
        let mut composite = vec![false; n];
        let mut count = 0;
        for i in 2..n {
            if !composite[i] {
                count += 1;
                for multiple in (i * i..n).step_by(i) {
                    composite[multiple] = true;
                }
            }
        }
        count
    }
}

fn instantiate<R: Runner>(program: Program) -> R {
    let wasm = program.wasm().unwrap_or_else(|e| panic!("{}: {e}", program.name()));
    R::instantiate(&wasm).unwrap_or_else(|e| panic!("{}: {e}", program.name()))
}

fn call<R: Runner>(runner: &mut R, export: &str, args: &[Value]) -> Value {
    runner.call(export, args).unwrap_or_else(|e| panic!("{export}{args:?}: {e}"))
}

fn check_fib<R: Runner>() {
    let mut runner = instantiate::<R>(Program::Fib);
    for n in [0, 1, 2, 3, 10, 20, Program::Fib.bench_input()] {
        let expected = reference::fib(n as u32);
        assert_eq!(call(&mut runner, "run", &[Value::I32(n)]), Value::I64(expected), "{} fib({n})", R::NAME);
    }
}

fn check_sha256<R: Runner>() {
    let mut runner = instantiate::<R>(Program::Sha256);
    // Lengths around the padding boundaries (55/56 bytes left for the length field, whole blocks).
    for len in [0, 1, 3, 55, 56, 63, 64, 65, 119, 120, 1000, Program::Sha256.bench_input()] {
        let words = reference::sha256_words(&reference::sha256_message(len as usize));
        let xor = words.iter().fold(0, |acc, word| acc ^ word);
        assert_eq!(call(&mut runner, "run", &[Value::I32(len)]), Value::I32(xor), "{} sha256 run({len})", R::NAME);
        for (i, &word) in words.iter().enumerate() {
            let got = call(&mut runner, "digest_word", &[Value::I32(i as i32)]);
            assert_eq!(got, Value::I32(word), "{} sha256 digest word {i} of {len} bytes", R::NAME);
        }
    }
}

fn check_sort<R: Runner>() {
    let mut runner = instantiate::<R>(Program::Sort);
    for n in [0, 1, 2, 15, 16, 17, 100, 10_000, Program::Sort.bench_input()] {
        let sorted = reference::sorted_numbers(n as usize);
        let checksum = reference::sort_checksum(&sorted);
        assert_eq!(call(&mut runner, "run", &[Value::I32(n)]), Value::I64(checksum), "{} sort run({n})", R::NAME);
        assert_eq!(call(&mut runner, "is_sorted", &[Value::I32(n)]), Value::I32(1), "{} sort is_sorted({n})", R::NAME);
        // Spot-check elements: both ends and a few in between.
        for i in [0, n / 3, n / 2, n - 1].into_iter().filter(|&i| i >= 0 && i < n) {
            let got = call(&mut runner, "element", &[Value::I32(i)]);
            assert_eq!(got, Value::I32(sorted[i as usize]), "{} sort element {i} of {n}", R::NAME);
        }
    }
}

fn check_matmul<R: Runner>() {
    let mut runner = instantiate::<R>(Program::Matmul);
    for n in [1, 2, 7, 50, Program::Matmul.bench_input()] {
        let product = reference::matmul(n as usize);
        let total: f64 = product.iter().sum();
        assert_eq!(call(&mut runner, "run", &[Value::I32(n)]), Value::F64(total), "{} matmul run({n})", R::NAME);
        for (i, j) in [(0, 0), (0, n - 1), (n - 1, 0), (n / 2, n / 3), (n - 1, n - 1)] {
            let got = call(&mut runner, "entry", &[Value::I32(n), Value::I32(i), Value::I32(j)]);
            let expected = product[(i * n + j) as usize];
            assert_eq!(got, Value::F64(expected), "{} matmul C[{i}][{j}] for n = {n}", R::NAME);
        }
    }
}

fn check_interp_loop<R: Runner>() {
    let mut runner = instantiate::<R>(Program::InterpLoop);
    for n in [0, 2, 3, 4, 10, 100, 1000, Program::InterpLoop.bench_input()] {
        let expected = reference::primes_below(n as usize);
        assert_eq!(call(&mut runner, "run", &[Value::I32(n)]), Value::I32(expected), "{} primes below {n}", R::NAME);
    }
}

/// Inputs the programs reject must trap, which the adapters report as errors of `run`.
fn check_rejected_inputs<R: Runner>() {
    for (program, input) in [(Program::Sha256, (1 << 20) + 1), (Program::Sort, (1 << 20) + 1), (Program::Matmul, 296)] {
        let mut runner = instantiate::<R>(program);
        let error = runner.call("run", &[Value::I32(input)]).expect_err("an oversized input must trap");
        assert_eq!((error.engine, error.step.as_str()), (R::NAME, "call run"), "{} {}", R::NAME, program.name());
    }
}

/// What each program's `never_called` returns for `x`, per the programs' source.
fn never_called_result(program: Program, x: i32) -> i32 {
    match program {
        Program::Fib => x + 1,
        Program::Sha256 => x.swap_bytes(),
        Program::Sort => x.wrapping_mul(1_664_525),
        Program::Matmul => !x,
        Program::InterpLoop => x << 2,
    }
}

macro_rules! engine_tests {
    ($module:ident, $runner:ty) => {
        mod $module {
            use super::*;

            #[test]
            fn fib() {
                check_fib::<$runner>();
            }

            #[test]
            fn sha256() {
                check_sha256::<$runner>();
            }

            #[test]
            fn sort() {
                check_sort::<$runner>();
            }

            #[test]
            fn matmul() {
                check_matmul::<$runner>();
            }

            #[test]
            fn interp_loop() {
                check_interp_loop::<$runner>();
            }

            #[test]
            fn rejected_inputs() {
                check_rejected_inputs::<$runner>();
            }
        }
    };
}

engine_tests!(wasmi, WasmiRunner);
engine_tests!(canopy, CanopyRunner);
engine_tests!(canopy_breakpoint, CanopyBreakpointRunner);

#[test]
fn never_called_runs_without_a_breakpoint() {
    for program in Program::ALL {
        let x = 0x0102_0304;
        let expected = Value::I32(never_called_result(program, x));
        let mut wasmi = instantiate::<WasmiRunner>(program);
        assert_eq!(call(&mut wasmi, NEVER_CALLED, &[Value::I32(x)]), expected, "wasmi {}", program.name());
        let mut canopy = instantiate::<CanopyRunner>(program);
        assert_eq!(call(&mut canopy, NEVER_CALLED, &[Value::I32(x)]), expected, "canopy {}", program.name());
    }
}

#[test]
fn breakpoint_runner_stops_in_never_called() {
    for program in Program::ALL {
        let mut runner = instantiate::<CanopyBreakpointRunner>(program);
        let error: BenchError = runner.call(NEVER_CALLED, &[Value::I32(1)]).expect_err("the breakpoint must be hit");
        assert_eq!(error.message, "paused: Breakpoint", "{}", program.name());
    }
}

#[test]
fn every_program_names_its_functions() {
    for program in Program::ALL {
        let wasm = program.wasm().unwrap();
        let mut names = Vec::new();
        for payload in wasmparser::Parser::new(0).parse_all(&wasm) {
            if let wasmparser::Payload::CustomSection(section) = payload.unwrap()
                && let wasmparser::KnownCustom::Name(reader) = section.as_known()
            {
                for name in reader {
                    if let wasmparser::Name::Function(map) = name.unwrap() {
                        names.extend(map.into_iter().map(|naming| naming.unwrap().name.to_owned()));
                    }
                }
            }
        }
        assert!(names.iter().any(|name| name == NEVER_CALLED), "{}: {names:?}", program.name());
        assert!(names.iter().any(|name| name == "run"), "{}: {names:?}", program.name());
    }
}
