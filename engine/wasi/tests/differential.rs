//! The live differential test of issue 11 (acceptance 3): each fixture component (C,
//! JavaScript, Python; `fixtures/components/wasm/`) runs the same calls on Canopy and on
//! wasmtime 50 in the same test run, and the two must agree call by call, on values and on
//! traps.
//!
//! wasmtime is PyPI's `wasmtime==50.0.1` (a prebuilt engine with a component API), driven by
//! `fixtures/components/reference.py --calls - --answers-only`, which reads the calls on stdin
//! and prints one answer a line. Canopy runs the calls through the fixture session
//! (`../../component/tests/support/session.rs`) over this crate's WASI host. The calls are
//! `calls.txt` (hand-written, traps included), then calls generated from a seed: every
//! function of interface `values` with arguments made from its parameter types (strings of
//! random Unicode, lists and records of random lengths, random flags, variants, options,
//! results, edge integers and floats), a few calls that trap, and resource lifecycles
//! (constructors, `parse`, `fork`, methods, borrows, host drops, `consume`) with traps among
//! them. The seed is fixed; `CANOPY_DIFF_SEED` (decimal or `0x` hex) replaces it, and a
//! failure names it.
//!
//! Both sides make a trapped instance anew, as `reference.py` does, so the resources bound
//! before the trap are gone on both; a call naming one answers `unbound: $NAME` on both.
//! Answers are compared after writing every string and char literal one canonical way
//! (`canonical_literals`), as wasm-wave and `reference.py` may escape a char differently;
//! traps are compared by class (`trap_class`), with both messages shown when they differ.
//!
//! Nothing is skipped: a missing wasmtime module or Python fixture component fails the test
//! with the command that installs or builds it, in CI and outside it.

#[path = "../../component/tests/support/session.rs"]
mod session;
#[path = "support/wasi_session.rs"]
mod wasi_session;

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use canopy_component::runtime::Component;
use canopy_component::wave::to_wave;
use canopy_component::{Type, Val};
use session::{Session, split_args};
use wasi_session::new_session;

/// The seed of the generated calls unless `CANOPY_DIFF_SEED` gives another.
const DEFAULT_SEED: u64 = 0x00c0_ffee_d1ff;
/// Generated calls of interface `values`, per component.
const VALUE_CALLS: usize = 600;
/// Generated resource lifecycles, per component.
const LIFECYCLES: usize = 24;
/// Calls that trap, put among the resource lifecycles at random places.
const FORCED_TRAPS: usize = 4;
/// The wasmtime the differential runs against, and how to install it.
const WASMTIME: &str = "wasmtime==50.0.1";

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/components")
}

fn seed() -> u64 {
    match std::env::var("CANOPY_DIFF_SEED") {
        Ok(text) if !text.trim().is_empty() => {
            let text = text.trim();
            let parsed = match text.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16),
                None => text.parse(),
            };
            parsed.unwrap_or_else(|_| panic!("CANOPY_DIFF_SEED={text:?} is not a decimal or 0x-hex u64"))
        }
        _ => DEFAULT_SEED,
    }
}

// ---- the seeded generator --------------------------------------------------------------

/// splitmix64: small, seedable, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// A length: mostly short, sometimes up to `long`.
    fn len(&mut self, long: u64) -> usize {
        if self.chance(10) { self.below(long + 1) as usize } else { self.below(9) as usize }
    }

    /// A char from all of Unicode, weighted towards the kinds that break things: ASCII (spaces
    /// and quotes included), Latin and other BMP letters, astral chars, controls, combining
    /// marks, line separators, private use and unassigned code points.
    fn char(&mut self) -> char {
        const SPECIAL: &[u32] = &[
            0x0, 0x1, 0x7, 0x9, 0xa, 0xd, 0x1b, 0x20, 0x22, 0x24, 0x27, 0x5c, 0x7f, 0x85, 0xa0, 0xad, 0x301, 0x200b,
            0x200d, 0x2028, 0x2029, 0x202e, 0xfeff, 0xfffd, 0xffff, 0xe000, 0x1f3fb, 0xe0001, 0x10ffff,
        ];
        let code = match self.below(10) {
            0..=3 => 0x20 + self.below(0x5f) as u32,
            4 => 0xa0 + self.below(0x2000 - 0xa0) as u32,
            5 => 0x2000 + self.below(0xd800 - 0x2000) as u32,
            6 => 0xe000 + self.below(0x2000) as u32,
            7 => 0x1_0000 + self.below(0x10_0000) as u32,
            8 => *self.pick(SPECIAL),
            _ => u32::from(*self.pick(b" ab")),
        };
        char::from_u32(code).expect("no surrogate is generated")
    }

    fn string(&mut self) -> String {
        let n = self.len(120);
        (0..n).map(|_| self.char()).collect()
    }

    /// A decimal-looking string (for the parse functions): digits, maybe a sign, maybe a
    /// stray char, maybe past the type's range.
    fn number_text(&mut self) -> String {
        let mut s = String::new();
        if self.chance(30) {
            s.push(*self.pick(&['+', '-']));
        }
        let digits = self.below(22);
        for _ in 0..digits {
            s.push(char::from(b'0' + self.below(10) as u8));
        }
        if self.chance(15) {
            let at = self.below(s.len() as u64 + 1) as usize;
            let c = self.char();
            let at = (0..=at).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0);
            s.insert(at, c);
        }
        s
    }

    fn int(&mut self, bits: u32, signed: bool) -> i128 {
        let (min, max) =
            if signed { (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1) } else { (0, (1i128 << bits) - 1) };
        if self.chance(30) {
            return *self.pick(&[0, 1, 2, max, max - 1, min, min + 1, if signed { -1 } else { 7 }]);
        }
        let raw = (self.next() as u128) & ((1u128 << bits) - 1);
        if signed && raw >= 1 << (bits - 1) { raw as i128 - (1i128 << bits) } else { raw as i128 }
    }

    fn f64(&mut self) -> f64 {
        const EDGES: &[f64] = &[
            0.0,
            -0.0,
            1.0,
            -1.5,
            0.1,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            5e-324,
            1e21,
            -1e-7,
        ];
        match self.below(4) {
            0 => *self.pick(EDGES),
            1 => f64::from_bits(self.next()),
            _ => (self.int(32, true) as f64) / (1u64 << self.below(12)) as f64,
        }
    }

    /// An f32 whose WAVE text reads back as the same f32 through an f64 too (wasmtime's Python
    /// API carries floats as Python floats, so the text goes decimal → f64 → f32 there).
    fn f32(&mut self) -> f32 {
        const EDGES: &[f32] = &[
            0.0,
            -0.0,
            1.0,
            0.1,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::NAN,
            f32::MAX,
            f32::MIN_POSITIVE,
            1e-45,
            16777217.0,
        ];
        let x = match self.below(4) {
            0 => *self.pick(EDGES),
            1 => f32::from_bits(self.next() as u32),
            _ => (self.int(24, true) as f32) / (1u32 << self.below(10)) as f32,
        };
        let text = to_wave(&Val::F32(x)).unwrap();
        match text.parse::<f64>() {
            Ok(wide) if wide as f32 == x || x.is_nan() => x,
            _ => 0.5,
        }
    }

    /// A value of `ty`, made from the type alone.
    fn val(&mut self, ty: &Type) -> Val {
        match ty {
            Type::Bool => Val::Bool(self.chance(50)),
            Type::S8 => Val::S8(self.int(8, true) as i8),
            Type::U8 => Val::U8(self.int(8, false) as u8),
            Type::S16 => Val::S16(self.int(16, true) as i16),
            Type::U16 => Val::U16(self.int(16, false) as u16),
            Type::S32 => Val::S32(self.int(32, true) as i32),
            Type::U32 => Val::U32(self.int(32, false) as u32),
            Type::S64 => Val::S64(self.int(64, true) as i64),
            Type::U64 => Val::U64(self.int(64, false) as u64),
            Type::F32 => Val::F32(self.f32()),
            Type::F64 => Val::F64(self.f64()),
            Type::Char => Val::Char(self.char()),
            Type::String => Val::String(self.string()),
            Type::List(elem) => {
                let n = self.len(if **elem == Type::U8 { 300 } else { 40 });
                Val::List((0..n).map(|_| self.val(elem)).collect())
            }
            Type::Record(fields) => Val::Record(fields.iter().map(|f| (f.name.clone(), self.val(&f.ty))).collect()),
            Type::Tuple(items) => Val::Tuple(items.iter().map(|t| self.val(t)).collect()),
            Type::Variant(cases) => {
                let case = self.pick(cases);
                Val::Variant(case.name.clone(), case.ty.as_ref().map(|t| Box::new(self.val(t))))
            }
            Type::Enum(names) => Val::Enum(self.pick(names).clone()),
            Type::Option(some) => Val::Option(self.chance(60).then(|| Box::new(self.val(some)))),
            Type::Result { ok, err } => {
                if self.chance(50) {
                    Val::Result(Ok(ok.as_ref().map(|t| Box::new(self.val(t)))))
                } else {
                    Val::Result(Err(err.as_ref().map(|t| Box::new(self.val(t)))))
                }
            }
            Type::Flags(names) => {
                let all = match self.below(6) {
                    0 => Some(false),
                    1 => Some(true),
                    _ => None,
                };
                Val::Flags(names.iter().filter(|_| all.unwrap_or_else(|| self.chance(50))).cloned().collect())
            }
            other => panic!("the fixture world has no parameter of type {other:?}"),
        }
    }
}

/// The functions of interface `values`, read from the fixture WIT, so a function added there
/// is generated for without a change here.
fn value_functions() -> Vec<String> {
    let wit = std::fs::read_to_string(fixtures_dir().join("wit/fixtures.wit")).unwrap();
    let body = wit.split("interface values {").nth(1).expect("interface values").split("\n}").next().unwrap();
    body.lines()
        .filter_map(|line| line.trim().split_once(": func"))
        .map(|(name, _)| name.to_string())
        .filter(|name| name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
        .collect()
}

/// WAVE arguments of `name` with the types in `params`, through `to_wave`.
fn args_text(rng: &mut Rng, name: &str, params: &[(String, Type)]) -> String {
    let texts: Vec<String> = params
        .iter()
        .map(|(param, ty)| {
            let val = match (name, param.as_str()) {
                // `repeat` makes a string `n` times as long: keep it small.
                ("repeat", "n") => Val::U32(rng.below(7) as u32),
                ("parse-u32", "s") if rng.chance(70) => Val::String(rng.number_text()),
                ("div100", "d") if rng.chance(20) => Val::U32(0),
                _ => rng.val(ty),
            };
            to_wave(&val).unwrap()
        })
        .collect();
    format!("({})", texts.join(", "))
}

/// Generated calls: `VALUE_CALLS` calls of interface `values` (a function chosen at random
/// each time; `trap` rarely), then `LIFECYCLES` resource lifecycles.
fn generate(rng: &mut Rng, session: &Session) -> Vec<String> {
    let mut calls = Vec::new();
    let functions = value_functions();
    assert!(functions.len() >= 40, "the values interface has its functions: {functions:?}");
    for _ in 0..VALUE_CALLS {
        let name = rng.pick(&functions).clone();
        if name == "trap" && !rng.chance(10) {
            continue;
        }
        let path = format!("canopy:fixtures/values@0.1.0#{name}");
        let sig = session.store.func_type(session.instance, &path).unwrap_or_else(|| panic!("no export {path}"));
        calls.push(format!("values.{name}{}", args_text(rng, &name, &sig.params)));
    }
    let mut next_name = 0;
    for _ in 0..LIFECYCLES {
        lifecycle(rng, &mut calls, &mut next_name);
    }
    // Traps in the middle of the lifecycles, so the resources bound before them are gone on
    // both sides afterwards; `trap` traps in every component.
    let first_resource_call = calls.iter().position(|c| c.contains("resources.")).unwrap();
    for _ in 0..FORCED_TRAPS {
        let at = first_resource_call + rng.below((calls.len() - first_resource_call) as u64) as usize;
        let trap = if rng.chance(50) { "values.trap()" } else { "values.div100(0)" };
        calls.insert(at, trap.to_string());
    }
    calls
}

/// One resource lifecycle: counters made by the constructor, `parse` or `fork`, used by every
/// method (a borrow of another counter or of itself in `merge`), counted by `live` and
/// `dropped`, and ended by host drops or `consume`, in a random order.
fn lifecycle(rng: &mut Rng, calls: &mut Vec<String>, next_name: &mut usize) {
    let mut alive: Vec<String> = Vec::new();
    let s64 = |rng: &mut Rng| rng.int(64, true).to_string();
    let steps = 3 + rng.below(14);
    for _ in 0..steps {
        let fresh = |next_name: &mut usize| {
            *next_name += 1;
            format!("$r{next_name}")
        };
        match rng.below(12) {
            0 | 1 => {
                let name = fresh(next_name);
                calls.push(format!("{name} = resources.[constructor]counter({})", s64(rng)));
                alive.push(name);
            }
            2 => {
                let name = fresh(next_name);
                let text = to_wave(&Val::String(rng.number_text())).unwrap();
                calls.push(format!("{name} = resources.[static]counter.parse({text})"));
                alive.push(name);
            }
            3 if !alive.is_empty() => {
                let name = fresh(next_name);
                calls.push(format!("{name} = resources.[method]counter.fork({})", rng.pick(&alive)));
                alive.push(name);
            }
            4 | 5 if !alive.is_empty() => calls.push(format!("resources.[method]counter.get({})", rng.pick(&alive))),
            6 if !alive.is_empty() => {
                calls.push(format!("resources.[method]counter.add({}, {})", rng.pick(&alive), s64(rng)))
            }
            7 if !alive.is_empty() => {
                let (a, b) = (rng.pick(&alive).clone(), rng.pick(&alive).clone());
                calls.push(format!("resources.[method]counter.merge({a}, {b})"));
            }
            8 => calls.push("resources.[static]counter.live()".to_string()),
            9 => calls.push("resources.dropped()".to_string()),
            10 if !alive.is_empty() => {
                let name = alive.remove(rng.below(alive.len() as u64) as usize);
                calls.push(format!("drop {name}"));
            }
            11 if !alive.is_empty() => {
                let name = alive.remove(rng.below(alive.len() as u64) as usize);
                calls.push(format!("resources.consume({name})"));
            }
            _ => calls.push("resources.[static]counter.live()".to_string()),
        }
    }
    for name in alive {
        calls.push(format!("drop {name}"));
    }
    calls.push("resources.[static]counter.live()".to_string());
    calls.push("resources.dropped()".to_string());
}

// ---- the two engines -------------------------------------------------------------------------

/// Fails (never skips) when python3 has no wasmtime 50.0.1, with the command that installs it.
fn require_wasmtime() {
    let probe = Command::new("python3")
        .args(["-c", "import importlib.metadata as m, wasmtime.component; print(m.version('wasmtime'))"])
        .output();
    let version = match &probe {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).trim().to_string(),
        Ok(out) => format!("not importable: {}", String::from_utf8_lossy(&out.stderr).trim()),
        Err(e) => format!("python3 did not start: {e}"),
    };
    // In CI and outside it alike: a differential that did not run is not a pass.
    assert!(
        version == "50.0.1",
        "the differential test runs wasmtime 50.0.1 from PyPI through python3, which has {version}; \
         install it with `python3 -m pip install {WASMTIME}` (scripts/test-all.sh does)"
    );
}

/// wasmtime's answers to `calls` on `wasm`, one per call, from `reference.py`. The calls are
/// written on a thread of their own, so Canopy runs while wasmtime compiles.
fn spawn_wasmtime(wasm: &Path, calls: &[String]) -> std::thread::JoinHandle<Vec<String>> {
    let script = fixtures_dir().join("reference.py");
    let mut child = Command::new("python3")
        .arg(&script)
        .arg(wasm)
        .args(["--calls", "-", "--answers-only"])
        .env("PYTHONIOENCODING", "utf-8")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 starts");
    let input = calls.join("\n") + "\n";
    let mut stdin = child.stdin.take().unwrap();
    let wasm = wasm.display().to_string();
    std::thread::spawn(move || {
        stdin.write_all(input.as_bytes()).expect("reference.py reads its calls");
        drop(stdin);
        let mut out = String::new();
        child.stdout.take().unwrap().read_to_string(&mut out).expect("reference.py writes UTF-8");
        let mut err = String::new();
        child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
        let status = child.wait().unwrap();
        assert!(status.success(), "reference.py on {wasm} failed ({status}):\n{err}");
        out.split('\n').filter(|l| !l.is_empty()).map(str::to_string).collect()
    })
}

/// The `$NAME`s a call's arguments name (or the one a `drop` names), in order.
fn named_resources(call: &str) -> Vec<String> {
    let call = match call.split_once(" = ") {
        Some((lhs, rest)) if lhs.starts_with('$') => rest,
        _ => call,
    };
    if let Some(name) = call.strip_prefix("drop ") {
        return vec![name.trim().to_string()];
    }
    let open = call.find('(').unwrap();
    split_args(&call[open + 1..call.len() - 1]).into_iter().filter(|a| a.starts_with('$')).collect()
}

/// Canopy's answers to `calls`, made as `reference.py` makes them: a new instance after a
/// trap, `unbound: $NAME` for a call naming a resource that is not bound.
fn run_canopy(component: &Component, calls: &[String]) -> Vec<String> {
    let mut session = new_session(component);
    calls
        .iter()
        .map(|call| {
            if let Some(name) = named_resources(call).into_iter().find(|n| !session.bound.contains_key(n)) {
                return format!("unbound: {name}");
            }
            let answer = session.run(call);
            if answer.starts_with("trap: ") {
                session = new_session(component);
            }
            answer
        })
        .collect()
}

// ---- comparing ---------------------------------------------------------------------------------

/// Every string and char literal of a WAVE answer written one way: printable ASCII as itself
/// (but for `\`, `"` and `'`), every other char as `\u{HEX}`. wasm-wave escapes what Rust's
/// `escape_debug` escapes, `reference.py` approximates that by Unicode categories; the values
/// are the same either way, and this makes the texts the same.
fn canonical_literals(answer: &str) -> String {
    let mut out = String::new();
    let mut chars = answer.chars();
    while let Some(c) = chars.next() {
        if c != '"' && c != '\'' {
            out.push(c);
            continue;
        }
        let quote = c;
        out.push(quote);
        while let Some(d) = chars.next() {
            let decoded = match d {
                '\\' => match chars.next() {
                    Some('t') => '\t',
                    Some('n') => '\n',
                    Some('r') => '\r',
                    Some('u') => {
                        let hex: String = chars.by_ref().skip(1).take_while(|&h| h != '}').collect();
                        u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32).unwrap_or('\u{fffd}')
                    }
                    Some(other) => other,
                    None => break,
                },
                d if d == quote => break,
                d => d,
            };
            match decoded {
                ' '..='~' if !matches!(decoded, '\\' | '"' | '\'') => out.push(decoded),
                _ => out.push_str(&format!("\\u{{{:x}}}", decoded as u32)),
            }
        }
        out.push(quote);
    }
    out
}

/// The class of a trap message, the same for wasmtime's wording and Canopy's, or `None` for
/// a message this test does not know (which then counts as a disagreement until it is known).
fn trap_class(message: &str) -> Option<&'static str> {
    const CLASSES: &[(&str, &str)] = &[
        ("unreachable", "unreachable"),
        ("divide by zero", "integer divide by zero"),
        ("integer overflow", "integer overflow"),
        ("out of bounds memory", "out of bounds memory access"),
        ("memory access out of bounds", "out of bounds memory access"),
        ("call stack exhausted", "stack exhausted"),
        ("call depth", "stack exhausted"),
        ("unknown handle index", "unknown handle"),
        ("handle index", "unknown handle"),
        ("borrow", "borrowed resource"),
    ];
    CLASSES.iter().find(|(needle, _)| message.contains(needle)).map(|(_, class)| *class)
}

/// Whether Canopy's answer and wasmtime's are the same.
fn agree(canopy: &str, wasmtime: &str) -> bool {
    match (canopy.strip_prefix("trap: "), wasmtime.strip_prefix("trap: ")) {
        (Some(a), Some(b)) => trap_class(a).is_some() && trap_class(a) == trap_class(b),
        (None, None) => canonical_literals(canopy) == canonical_literals(wasmtime),
        _ => false,
    }
}

/// What a run of one component covered.
#[derive(Debug, Default)]
struct Coverage {
    calls: usize,
    hand_written: usize,
    generated: usize,
    traps: usize,
    generated_traps: usize,
    unbound: usize,
    resource_calls: usize,
    trap_classes: BTreeSet<&'static str>,
}

/// Runs calls.txt and the generated calls on `lang`'s component on both engines; returns the
/// coverage, or the disagreements.
fn differential(lang: &str) -> Result<Coverage, String> {
    require_wasmtime();
    let wasm = fixtures_dir().join(format!("wasm/fixtures-{lang}.wasm"));
    let bytes = std::fs::read(&wasm).unwrap_or_else(|e| {
        panic!("{}: {e}; build it with `bash fixtures/components/build.sh {lang}`", wasm.display())
    });
    let component = Component::new(&bytes).expect("the component loads");

    let written = std::fs::read_to_string(fixtures_dir().join("calls.txt")).unwrap();
    let mut calls: Vec<String> = written
        .split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    let hand_written = calls.len();
    let seed = seed();
    let mut rng = Rng(seed ^ lang.bytes().fold(0, |h, b| h * 31 + u64::from(b)));
    calls.extend(generate(&mut rng, &new_session(&component)));

    let wasmtime = spawn_wasmtime(&wasm, &calls);
    let canopy = run_canopy(&component, &calls);
    let wasmtime = wasmtime.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
    assert_eq!(wasmtime.len(), calls.len(), "reference.py answers every call");

    let mut coverage =
        Coverage { calls: calls.len(), hand_written, generated: calls.len() - hand_written, ..Coverage::default() };
    let mut differences = Vec::new();
    for (i, ((call, ours), theirs)) in calls.iter().zip(&canopy).zip(&wasmtime).enumerate() {
        if let Some(message) = theirs.strip_prefix("trap: ") {
            coverage.traps += 1;
            coverage.generated_traps += usize::from(i >= hand_written);
            coverage.trap_classes.extend(trap_class(message));
        }
        coverage.unbound += usize::from(theirs.starts_with("unbound: "));
        coverage.resource_calls +=
            usize::from(i >= hand_written && (call.contains("resources.") || call.starts_with("drop ")));
        if theirs.starts_with("error: ") {
            differences.push(format!("call {i} could not be made on wasmtime: {call}\n  {theirs}"));
        } else if !agree(ours, theirs) {
            differences.push(format!("call {i}: {call}\n  canopy:   {ours}\n  wasmtime: {theirs}"));
        }
    }
    eprintln!("{lang} (seed {seed:#x}): {coverage:?}");
    if differences.is_empty() {
        Ok(coverage)
    } else {
        Err(format!(
            "{lang}: {} of {} calls disagree (seed {seed:#x}; rerun with CANOPY_DIFF_SEED={seed:#x}):\n{}",
            differences.len(),
            calls.len(),
            differences.iter().take(40).cloned().collect::<Vec<_>>().join("\n")
        ))
    }
}

/// The run covered what it is meant to: generated calls, traps among them, and resources
/// that stayed bound for most resource calls.
fn check_coverage(lang: &str, coverage: &Coverage) {
    assert_eq!(coverage.hand_written, 174, "{lang}: every call of calls.txt is made");
    assert_eq!(coverage.calls, coverage.hand_written + coverage.generated, "{lang}: {coverage:?}");
    assert!(coverage.generated >= VALUE_CALLS / 2, "{lang}: {coverage:?}");
    assert!(coverage.generated_traps >= FORCED_TRAPS, "{lang}: generated calls trap too: {coverage:?}");
    assert!(coverage.trap_classes.contains("unreachable"), "{lang}: {coverage:?}");
    assert!(
        coverage.unbound * 3 < coverage.resource_calls,
        "{lang}: most resource calls find their resource: {coverage:?}"
    );
}

#[test]
fn the_c_component_agrees_with_wasmtime_live() {
    let coverage = differential("c").unwrap_or_else(|e| panic!("{e}"));
    check_coverage("c", &coverage);
    assert!(coverage.trap_classes.contains("integer divide by zero"), "{coverage:?}");
}

#[test]
fn the_javascript_component_agrees_with_wasmtime_live() {
    let coverage = differential("js").unwrap_or_else(|e| panic!("{e}"));
    check_coverage("js", &coverage);
}

#[test]
fn the_python_component_agrees_with_wasmtime_live() {
    let coverage = differential("py").unwrap_or_else(|e| panic!("{e}"));
    check_coverage("py", &coverage);
}

#[test]
fn literals_are_compared_by_value_not_by_escape() {
    assert_eq!(canonical_literals(r#""a\u{301}b""#), canonical_literals("\"a\u{301}b\""));
    assert_eq!(canonical_literals(r#"['\'', "x\"y"]"#), canonical_literals(r#"['\u{27}', "x\u{22}y"]"#));
    // A quote inside a string is not the string's end: these two lists differ.
    assert_ne!(canonical_literals(r#"["a", "b"]"#), canonical_literals(r#"["a\", \"b"]"#));
    assert!(agree("trap: wasm `unreachable` instruction executed", "trap: unreachable executed"));
    assert!(!agree("trap: integer divide by zero", "trap: wasm `unreachable` instruction executed"));
    assert!(!agree("trap: something new", "trap: something new"), "an unknown trap class is not agreement");
    assert!(!agree("()", "trap: wasm `unreachable` instruction executed"));
}
