//! Runs every benchmark program on every engine, with small inputs and with the benchmark inputs,
//! and checks each result against an independent computation in Rust (the `sha2` crate for
//! SHA-256, the standard library's sort, plain loops for the rest; for the tokenizer, a scanner
//! written differently from the program's state machine; for the C program, a Rust port of its
//! compressor and a bitwise CRC-32; for CoreMark, the score its calibration rules predict).
//!
//! CoreMark imports `env.clock_ms`. Its tests on the canopy adapters are ignored, not skipped
//! silently, until `canopy_runner.rs` defines the import (with `canopy_imports::define_imports`).

use canopy_interp_bench::{
    BenchError, COREMARK_STEP_MS, CanopyBreakpointRunner, CanopyRunner, Clock, NEVER_CALLED, Program, Runner, Value,
    WasmiRunner, instrument,
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

    /// Whether `k` is prime, by trial division.
    pub fn is_prime(k: u32) -> bool {
        k >= 2 && (2..).take_while(|d| d * d <= k).all(|d| !k.is_multiple_of(d))
    }

    /// The words `hash64.wat` generates: splitmix64 from 0x0123456789abcdef.
    pub fn hash64_words(n: usize) -> Vec<u64> {
        let mut state: u64 = 0x0123_4567_89ab_cdef;
        (0..n)
            .map(|_| {
                state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
                let mut z = state;
                z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                z ^ (z >> 31)
            })
            .collect()
    }

    const P1: u64 = 0x9e37_79b1_85eb_ca87;
    const P2: u64 = 0xc2b2_ae3d_27d4_eb4f;
    const P3: u64 = 0x1656_67b1_9e37_79f9;

    fn lane_round(acc: u64, word: u64) -> u64 {
        acc.wrapping_add(word.wrapping_mul(P2)).rotate_left(31).wrapping_mul(P1)
    }

    /// The four-lane hash `hash64.wat` computes, as its header describes it.
    pub fn lane_hash(words: &[u64]) -> u64 {
        let seed = words.len() as u64;
        let mut lanes = [seed.wrapping_add(P1).wrapping_add(P2), seed.wrapping_add(P2), seed, seed.wrapping_sub(P1)];
        let stripes = words.chunks_exact(4);
        let tail = stripes.remainder();
        for stripe in stripes {
            for (lane, &word) in lanes.iter_mut().zip(stripe) {
                *lane = lane_round(*lane, word);
            }
        }
        let mut h = lanes[0]
            .rotate_left(1)
            .wrapping_add(lanes[1].rotate_left(7))
            .wrapping_add(lanes[2].rotate_left(12))
            .wrapping_add(lanes[3].rotate_left(18));
        for &word in tail {
            h = (h ^ lane_round(0, word)).rotate_left(27).wrapping_mul(P1).wrapping_add(P3);
        }
        h = (h ^ (h >> 33)).wrapping_mul(P2);
        h = (h ^ (h >> 29)).wrapping_mul(P3);
        h ^ (h >> 32)
    }

    /// 64-bit FNV-1a of the words' little-endian bytes.
    pub fn fnv1a(words: &[u64]) -> u64 {
        words
            .iter()
            .flat_map(|word| word.to_le_bytes())
            .fold(0xcbf2_9ce4_8422_2325, |h, byte| (h ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3))
    }

    /// The spectral norm of the n×n truncation of A, with the operations in `spectral_norm.wat`'s
    /// order (so the result is bit-for-bit the same).
    pub fn spectral_norm(n: usize) -> f64 {
        let a = |i: usize, j: usize| 1.0 / ((i + j) * (i + j + 1) / 2 + i + 1) as f64;
        let times = |v: &[f64], transpose: bool| -> Vec<f64> {
            (0..n).map(|i| (0..n).fold(0.0, |sum, j| sum + if transpose { a(j, i) } else { a(i, j) } * v[j])).collect()
        };
        let times_ata = |v: &[f64]| times(&times(v, false), true);
        let mut u = vec![1.0; n];
        let mut v = Vec::new();
        for _ in 0..10 {
            v = times_ata(&u);
            u = times_ata(&v);
        }
        let (uv, vv) = u.iter().zip(&v).fold((0.0, 0.0), |(uv, vv), (&ui, &vi)| (uv + ui * vi, vv + vi * vi));
        (uv / vv).sqrt()
    }

    /// The final state of `indirect.wat`'s loop and how many calls went to each function.
    pub fn indirect(n: u32) -> (i32, [i32; 8]) {
        let mut x: u32 = 0x1234_5678;
        let mut calls = [0; 8];
        for i in 0..n {
            let k = (x.wrapping_mul(0x9e37_79b1) >> 29) as usize;
            calls[k] += 1;
            x = match k {
                0 => x.wrapping_mul(0x0100_0193).wrapping_add(i),
                1 => x.rotate_left(5) ^ i,
                2 => x.wrapping_add(i ^ 0x9e37_79b9),
                3 => x ^ (x >> 16) ^ i,
                4 => x.wrapping_sub(i.rotate_left(13)),
                5 => ((x ^ 0x5bd1_e995).wrapping_add(i)).wrapping_mul(9),
                6 => x.wrapping_add(i).rotate_right(11),
                _ => (x ^ i).wrapping_mul(0x2c1b_3c6d),
            };
        }
        (x as i32, calls)
    }

    /// The bytes `switch.wat` tokenizes.
    pub fn switch_input(n: usize) -> Vec<u8> {
        const ALPHABET: &[u8; 64] = b"abcdefghijklmnopETAOIN_z01234567        \n\n\n\t\"\"\"///+-*=<>!&|(){};";
        let mut state: u32 = 0xc0ffee;
        (0..n)
            .map(|_| {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                ALPHABET[((state >> 16) & 63) as usize]
            })
            .collect()
    }

    /// The token checksum, token count and line count of `bytes`, by a scanner that consumes one
    /// whole token at a time (unlike the program's byte-at-a-time state machine).
    pub fn tokenize(bytes: &[u8]) -> (i32, i32, i32) {
        let is_letter = |c: u8| c.is_ascii_alphabetic() || c == b'_';
        let (mut hash, mut tokens, mut lines) = (0u32, 0, 0);
        let mut emit = |kind: u32, len: usize| {
            hash = hash.wrapping_mul(31).wrapping_add(kind).wrapping_mul(31).wrapping_add(len as u32);
            tokens += 1;
        };
        let mut i = 0;
        while i < bytes.len() {
            let start = i;
            let c = bytes[i];
            i += 1;
            match c {
                b' ' | b'\t' => {}
                b'\n' => lines += 1,
                _ if is_letter(c) => {
                    while i < bytes.len() && (is_letter(bytes[i]) || bytes[i].is_ascii_digit()) {
                        i += 1;
                    }
                    emit(1, i - start);
                }
                b'0'..=b'9' => {
                    while i < bytes.len() && bytes[i].is_ascii_digit() {
                        i += 1;
                    }
                    emit(2, i - start);
                }
                b'"' => {
                    let end = bytes[i..].iter().position(|&b| b == b'"' || b == b'\n').map_or(bytes.len(), |k| i + k);
                    emit(3, end - i);
                    // The closing quote belongs to the string; a newline does not.
                    i = if bytes.get(end) == Some(&b'"') { end + 1 } else { end };
                }
                b'/' if bytes.get(i) == Some(&b'/') => {
                    let body = i + 1;
                    let end = bytes[body..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |k| body + k);
                    emit(4, end - body);
                    i = end;
                }
                b'/' | b'!' | b'&' | b'*' | b'+' | b'-' | b'<' | b'=' | b'>' | b'|' => emit(5, 1),
                _ => emit(6, 1),
            }
        }
        (hash as i32, tokens, lines)
    }

    /// The text `lz.c` generates.
    pub fn lz_text(n: usize) -> Vec<u8> {
        const WORDS: [&str; 32] = [
            "the",
            "quick",
            "brown",
            "fox",
            "jumps",
            "over",
            "lazy",
            "dog",
            "module",
            "import",
            "export",
            "memory",
            "table",
            "global",
            "func",
            "type",
            "component",
            "world",
            "interface",
            "resource",
            "record",
            "variant",
            "enum",
            "flags",
            "stream",
            "future",
            "borrow",
            "own",
            "result",
            "option",
            "list",
            "tuple",
        ];
        let mut state: u32 = 2024;
        let mut next = || {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            state >> 16
        };
        let mut text = Vec::with_capacity(n + 16);
        while text.len() < n {
            text.extend_from_slice(WORDS[(next() & 31) as usize].as_bytes());
            match next() & 15 {
                0 => text.push(b','),
                1 => text.extend_from_slice(b".\n"),
                2 => {
                    let number = next() % 100;
                    text.extend_from_slice(&[b'0' + (number / 10) as u8, b'0' + (number % 10) as u8, b' ']);
                }
                _ => text.push(b' '),
            }
        }
        text.truncate(n);
        text
    }

    /// `lz.c`'s compressor, ported: greedy LZ77 over hash chains (see the C file's header).
    pub fn lz_compress(data: &[u8]) -> Vec<u8> {
        const WINDOW: usize = 1 << 15;
        const HASH_BITS: u32 = 15;
        const MAX_MATCH: usize = 258;
        const MAX_CHAIN: usize = 32;
        let hash = |p: usize| {
            let key = u32::from(data[p]) << 16 | u32::from(data[p + 1]) << 8 | u32::from(data[p + 2]);
            (key.wrapping_mul(2_654_435_761) >> (32 - HASH_BITS)) as usize
        };
        let mut head: Vec<Option<usize>> = vec![None; 1 << HASH_BITS];
        let mut chain: Vec<Option<usize>> = vec![None; WINDOW];
        let insert = |head: &mut [Option<usize>], chain: &mut [Option<usize>], pos: usize| {
            if pos + 3 <= data.len() {
                let h = hash(pos);
                chain[pos % WINDOW] = head[h];
                head[h] = Some(pos);
            }
        };
        let mut out = Vec::new();
        let (mut pos, mut flag_at, mut items) = (0, 0, 8);
        while pos < data.len() {
            if items == 8 {
                flag_at = out.len();
                out.push(0);
                items = 0;
            }
            let (mut best_length, mut best_distance) = (0, 0);
            if pos + 3 <= data.len() {
                let limit = (data.len() - pos).min(MAX_MATCH);
                let mut candidate = head[hash(pos)];
                let mut tries = 0;
                while let Some(at) = candidate
                    && tries < MAX_CHAIN
                    && pos - at <= WINDOW
                {
                    let k = (0..limit).take_while(|&k| data[at + k] == data[pos + k]).count();
                    if k > best_length {
                        (best_length, best_distance) = (k, pos - at);
                        if k == limit {
                            break;
                        }
                    }
                    candidate = chain[at % WINDOW].filter(|&next| next < at);
                    tries += 1;
                }
            }
            if best_length >= 3 {
                out[flag_at] |= 1 << items;
                out.extend_from_slice(&[
                    (best_length - 3) as u8,
                    (best_distance - 1) as u8,
                    ((best_distance - 1) >> 8) as u8,
                ]);
                for p in pos..pos + best_length {
                    insert(&mut head, &mut chain, p);
                }
                pos += best_length;
            } else {
                out.push(data[pos]);
                insert(&mut head, &mut chain, pos);
                pos += 1;
            }
            items += 1;
        }
        out
    }

    /// Decodes `lz.c`'s compressed format (to check the port's output round-trips).
    pub fn lz_decompress(packed: &[u8]) -> Vec<u8> {
        let mut out: Vec<u8> = Vec::new();
        let mut at = 0;
        while at < packed.len() {
            let flags = packed[at];
            at += 1;
            for item in 0..8 {
                if at >= packed.len() {
                    break;
                }
                if flags & (1 << item) != 0 {
                    let length = usize::from(packed[at]) + 3;
                    let distance = usize::from(u16::from_le_bytes([packed[at + 1], packed[at + 2]])) + 1;
                    at += 3;
                    for _ in 0..length {
                        out.push(out[out.len() - distance]);
                    }
                } else {
                    out.push(packed[at]);
                    at += 1;
                }
            }
        }
        out
    }

    /// CRC-32 (the zlib one: reflected, polynomial 0xedb88320), a bit at a time.
    pub fn crc32(data: &[u8]) -> i32 {
        let mut crc = !0u32;
        for &byte in data {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 != 0 { (crc >> 1) ^ 0xedb8_8320 } else { crc >> 1 };
            }
        }
        !crc as i32
    }

    /// The score CoreMark reports with a clock that advances `step_ms` per read, by its
    /// calibration rules (see `Program::clock`): 0 when a round seems shorter than ten seconds.
    pub fn coremark_stepping_score(step_ms: i32) -> f32 {
        assert!(step_ms >= 1000, "calibration only ends when a round seems to take a second");
        let seconds = step_ms / 1000;
        let iterations = 10 * (1 + 10 / seconds);
        // CoreMark divides in double precision and returns the quotient as an f32.
        if step_ms < 10_000 { 0.0 } else { (f64::from(iterations) / (f64::from(step_ms) / 1000.0)) as f32 }
    }
}

fn instantiate<R: Runner>(program: Program) -> R {
    program.instantiate::<R>().unwrap_or_else(|e| panic!("{}: {e}", program.name()))
}

fn bench_input(program: Program) -> i32 {
    program.bench_input().unwrap_or_else(|| panic!("{} takes no input", program.name()))
}

fn call<R: Runner>(runner: &mut R, export: &str, args: &[Value]) -> Value {
    runner.call(export, args).unwrap_or_else(|e| panic!("{export}{args:?}: {e}"))
}

fn check_fib<R: Runner>() {
    let mut runner = instantiate::<R>(Program::Fib);
    for n in [0, 1, 2, 3, 10, 20, bench_input(Program::Fib)] {
        let expected = reference::fib(n as u32);
        assert_eq!(call(&mut runner, "run", &[Value::I32(n)]), Value::I64(expected), "{} fib({n})", R::NAME);
    }
}

fn check_sha256<R: Runner>() {
    let mut runner = instantiate::<R>(Program::Sha256);
    // Lengths around the padding boundaries (55/56 bytes left for the length field, whole blocks).
    for len in [0, 1, 3, 55, 56, 63, 64, 65, 119, 120, 1000, bench_input(Program::Sha256)] {
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
    for n in [0, 1, 2, 15, 16, 17, 100, 10_000, bench_input(Program::Sort)] {
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
    for n in [1, 2, 7, 50, bench_input(Program::Matmul)] {
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
    for n in [0, 2, 3, 4, 10, 100, 1000, bench_input(Program::InterpLoop)] {
        let expected = reference::primes_below(n as usize);
        assert_eq!(call(&mut runner, "run", &[Value::I32(n)]), Value::I32(expected), "{} primes below {n}", R::NAME);
    }
}

fn check_sieve<R: Runner>() {
    let mut runner = instantiate::<R>(Program::Sieve);
    for n in [0, 1, 2, 3, 4, 5, 10, 100, 1000, 65_537, bench_input(Program::Sieve)] {
        let expected = reference::primes_below(n as usize);
        assert_eq!(call(&mut runner, "run", &[Value::I32(n)]), Value::I32(expected), "{} sieve run({n})", R::NAME);
        for k in [0, 1, 2, 3, 4, 97, 561, 7919, 65_521, n - 1, n - 2].into_iter().filter(|&k| k >= 0 && k < n) {
            let expected = Value::I32(i32::from(reference::is_prime(k as u32)));
            assert_eq!(call(&mut runner, "flag", &[Value::I32(k)]), expected, "{} sieve flag({k}) of {n}", R::NAME);
        }
    }
}

fn check_hash64<R: Runner>() {
    let mut runner = instantiate::<R>(Program::Hash64);
    // Word counts around the four-word stripes.
    for n in [0, 1, 3, 4, 5, 7, 8, 9, 1000, bench_input(Program::Hash64)] {
        let words = reference::hash64_words(n as usize);
        let (lane, fnv) = (reference::lane_hash(&words) as i64, reference::fnv1a(&words) as i64);
        assert_eq!(call(&mut runner, "run", &[Value::I32(n)]), Value::I64(lane ^ fnv), "{} hash64 run({n})", R::NAME);
        assert_eq!(call(&mut runner, "lane_hash", &[]), Value::I64(lane), "{} hash64 lane hash of {n}", R::NAME);
        assert_eq!(call(&mut runner, "fnv_hash", &[]), Value::I64(fnv), "{} hash64 FNV-1a of {n}", R::NAME);
        for k in [0, n / 2, n - 1].into_iter().filter(|&k| k >= 0 && k < n) {
            let got = call(&mut runner, "word", &[Value::I32(k)]);
            assert_eq!(got, Value::I64(words[k as usize] as i64), "{} hash64 word {k} of {n}", R::NAME);
        }
    }
}

fn check_spectral_norm<R: Runner>() {
    let mut runner = instantiate::<R>(Program::SpectralNorm);
    for n in [1, 2, 3, 10, 100, bench_input(Program::SpectralNorm)] {
        let expected = reference::spectral_norm(n as usize);
        let got = call(&mut runner, "run", &[Value::I32(n)]);
        assert_eq!(got, Value::F64(expected), "{} spectral_norm run({n})", R::NAME);
        if n == 100 {
            // The benchmarks game's published figure for n = 100.
            assert!((expected - 1.274_219_991).abs() < 1e-9, "{expected}");
        }
    }
}

fn check_indirect<R: Runner>() {
    let mut runner = instantiate::<R>(Program::Indirect);
    for n in [0, 1, 2, 10, 1000, bench_input(Program::Indirect)] {
        let (state, calls) = reference::indirect(n as u32);
        assert_eq!(call(&mut runner, "run", &[Value::I32(n)]), Value::I32(state), "{} indirect run({n})", R::NAME);
        for (k, &expected) in calls.iter().enumerate() {
            let got = call(&mut runner, "calls", &[Value::I32(k as i32)]);
            assert_eq!(got, Value::I32(expected), "{} indirect calls to function {k} of {n}", R::NAME);
        }
        if n == bench_input(Program::Indirect) {
            // The benchmark calls every function often: the dispatch really is data-dependent.
            assert!(calls.iter().all(|&c| c > n / 16), "{calls:?}");
        }
    }
}

fn check_switch<R: Runner>() {
    let mut runner = instantiate::<R>(Program::Switch);
    for n in [0, 1, 2, 3, 10, 100, 1000, 100_000, bench_input(Program::Switch)] {
        let (hash, tokens, lines) = reference::tokenize(&reference::switch_input(n as usize));
        assert_eq!(call(&mut runner, "run", &[Value::I32(n)]), Value::I32(hash), "{} switch run({n})", R::NAME);
        assert_eq!(call(&mut runner, "tokens", &[]), Value::I32(tokens), "{} switch tokens of {n}", R::NAME);
        assert_eq!(call(&mut runner, "lines", &[]), Value::I32(lines), "{} switch lines of {n}", R::NAME);
    }
}

/// The tokenizer's reference handles every token kind and the end-of-input cases, on inputs
/// written out by hand (the generated input is too random to make the cases certain).
#[test]
fn tokenizer_reference_on_fixed_inputs() {
    // Kinds: 1 identifier, 2 number, 3 string, 4 comment, 5 operator, 6 punctuation.
    // (input, its tokens as (kind, length), its line count)
    type Case = (&'static [u8], &'static [(u32, usize)], i32);
    let cases: [Case; 7] = [
        (b"ab1 42x", &[(1, 3), (2, 2), (1, 1)], 0),
        (b"\"hi\" \"open\nx", &[(3, 2), (3, 4), (1, 1)], 1),
        (b"a//note\n/b/", &[(1, 1), (4, 4), (5, 1), (1, 1), (5, 1)], 1),
        (b"(+);//", &[(6, 1), (5, 1), (6, 1), (6, 1), (4, 0)], 0),
        (b"\"", &[(3, 0)], 0),
        (b"", &[], 0),
        (b"\n\t \n", &[], 2),
    ];
    for (input, expected_tokens, expected_lines) in cases {
        let hash = expected_tokens.iter().fold(0u32, |h, &(kind, len)| {
            h.wrapping_mul(31).wrapping_add(kind).wrapping_mul(31).wrapping_add(len as u32)
        });
        let expected = (hash as i32, expected_tokens.len() as i32, expected_lines);
        assert_eq!(reference::tokenize(input), expected, "{:?}", String::from_utf8_lossy(input));
    }
}

fn check_lz77<R: Runner>() {
    let mut runner = instantiate::<R>(Program::Lz77);
    // Lengths around the minimum match, and past the 32 KiB window.
    for n in [0, 1, 2, 3, 4, 5, 100, 1000, 40_000, bench_input(Program::Lz77)] {
        let text = reference::lz_text(n as usize);
        let packed = reference::lz_compress(&text);
        assert_eq!(reference::lz_decompress(&packed), text, "the reference round trip of {n} bytes");
        let crc = reference::crc32(&text);
        assert_eq!(call(&mut runner, "run", &[Value::I32(n)]), Value::I32(crc), "{} lz77 run({n})", R::NAME);
        let got = call(&mut runner, "compressed_len", &[]);
        assert_eq!(got, Value::I32(packed.len() as i32), "{} lz77 compressed length of {n}", R::NAME);
        let got = call(&mut runner, "compressed_crc", &[]);
        assert_eq!(got, Value::I32(reference::crc32(&packed)), "{} lz77 compressed CRC of {n}", R::NAME);
        if n == bench_input(Program::Lz77) {
            assert!(packed.len() < text.len() / 2, "the text compresses: {} of {n} bytes", packed.len());
        }
    }
}

/// CoreMark with stepping clocks: the benchmark's step, one that scores 0 (the timed run seems
/// shorter than ten seconds), and two on either side of the calibration's steps; every run reads
/// the clock four times, and `never_called` is there too.
fn check_coremark<R: Runner>() {
    let wasm = Program::CoreMark.wasm().unwrap_or_else(|e| panic!("{e}"));
    for step in [COREMARK_STEP_MS, 5_000, 10_999, 25_000] {
        let clock = Clock::stepping(step);
        let mut runner = R::instantiate_with_clock(&wasm, &clock).unwrap_or_else(|e| panic!("coremark: {e}"));
        for round in 1..=2 {
            let expected = Value::F32(reference::coremark_stepping_score(step));
            assert_eq!(call(&mut runner, "run", &[]), expected, "{} coremark step {step} run {round}", R::NAME);
            assert_eq!(clock.reads(), 4 * round, "{} coremark step {step} clock reads", R::NAME);
        }
    }
    assert_eq!(reference::coremark_stepping_score(COREMARK_STEP_MS), 2.0);
    let mut runner = instantiate::<R>(Program::CoreMark);
    assert_eq!(call(&mut runner, "run", &[]), Value::F32(2.0), "{} coremark benchmark clock", R::NAME);
}

/// Inputs the programs reject must trap, which the adapters report as errors of `run`.
fn check_rejected_inputs<R: Runner>() {
    for (program, input) in [
        (Program::Sha256, (1 << 20) + 1),
        (Program::Sort, (1 << 20) + 1),
        (Program::Matmul, 296),
        (Program::Sieve, (1 << 22) + 1),
        (Program::Hash64, (1 << 19) + 1),
        (Program::SpectralNorm, 0),
        (Program::SpectralNorm, 4097),
        (Program::Switch, 3 << 20 | 1),
        (Program::Lz77, (1 << 20) + 1),
    ] {
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
        Program::Sieve => ((x as u32) >> 1) as i32,
        Program::Hash64 => x.rotate_left(8),
        Program::SpectralNorm => x.wrapping_mul(3),
        Program::Indirect => x ^ 0xff,
        Program::Switch => x - 7,
        Program::Lz77 => x * 5 + 1,
        Program::CoreMark => x ^ instrument::NEVER_CALLED_XOR,
    }
}

macro_rules! engine_tests {
    ($module:ident, $runner:ty $(, #[$needs_clock:meta])?) => {
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
            fn sieve() {
                check_sieve::<$runner>();
            }

            #[test]
            fn hash64() {
                check_hash64::<$runner>();
            }

            #[test]
            fn spectral_norm() {
                check_spectral_norm::<$runner>();
            }

            #[test]
            fn indirect() {
                check_indirect::<$runner>();
            }

            #[test]
            fn switch() {
                check_switch::<$runner>();
            }

            #[test]
            fn lz77() {
                check_lz77::<$runner>();
            }

            #[test]
            $(#[$needs_clock])?
            fn coremark() {
                check_coremark::<$runner>();
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

/// The programs that import nothing, which every adapter can run today.
fn importing_nothing() -> impl Iterator<Item = Program> {
    Program::ALL.into_iter().filter(|program| program.clock().is_none())
}

#[test]
fn never_called_runs_without_a_breakpoint() {
    for program in Program::ALL {
        let x = 0x0102_0304;
        let expected = Value::I32(never_called_result(program, x));
        let mut wasmi = instantiate::<WasmiRunner>(program);
        assert_eq!(call(&mut wasmi, NEVER_CALLED, &[Value::I32(x)]), expected, "wasmi {}", program.name());
    }
    for program in importing_nothing() {
        let x = 0x0102_0304;
        let expected = Value::I32(never_called_result(program, x));
        let mut canopy = instantiate::<CanopyRunner>(program);
        assert_eq!(call(&mut canopy, NEVER_CALLED, &[Value::I32(x)]), expected, "canopy {}", program.name());
    }
}

/// The programs that import the clock, on canopy: `never_called` runs, and a breakpoint in it stops.
#[test]
fn never_called_on_canopy_in_programs_with_imports() {
    for program in Program::ALL.into_iter().filter(|program| program.clock().is_some()) {
        let x = 0x0102_0304;
        let expected = Value::I32(never_called_result(program, x));
        let mut canopy = instantiate::<CanopyRunner>(program);
        assert_eq!(call(&mut canopy, NEVER_CALLED, &[Value::I32(x)]), expected, "canopy {}", program.name());
        check_breakpoint_stops(program);
    }
}

fn check_breakpoint_stops(program: Program) {
    let mut runner = instantiate::<CanopyBreakpointRunner>(program);
    let error: BenchError = runner.call(NEVER_CALLED, &[Value::I32(1)]).expect_err("the breakpoint must be hit");
    assert_eq!(error.message, "paused: Breakpoint", "{}", program.name());
}

#[test]
fn breakpoint_runner_stops_in_never_called() {
    importing_nothing().for_each(check_breakpoint_stops);
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
