//! How long does Canopy take to load and instantiate the Python fixture component
//! (`fixtures/components/wasm/fixtures-py.wasm`, 18 MB, componentize-py 0.25.1, which bundles
//! CPython), and how much memory does it take, beside wasmtime 50 in the same run?
//!
//! Canopy's side runs here: `Component::new` (validation, reading every section, the core
//! modules' decoding) and instantiation over canopy-wasi's host (a `Linker` with
//! `add_to_linker` and the unknown imports trapping, a `Store` with a `WasiCtx` granting
//! nothing, `Store::instantiate`). Memory is counted two ways: the bytes allocated through a
//! counting global allocator (live after the step, and the peak above the start during it),
//! and the resident set (`VmRSS` in `/proc/self/status`) before and after, which is what the
//! peer can be measured by. wasmtime's side is `benches/instantiate_wasmtime.py` (PyPI's
//! wasmtime 50.0.1, its prebuilt engine through its Python API, the same component, WASI 0.2
//! granting nothing), run as a child process; it reports compile (cranelift), deserialize (of
//! the compiled artifact) and instantiate.
//!
//! Run it with `cargo bench -p canopy-interp-bench --bench instantiate`; arguments
//! `[COMPONENT.wasm] [ROUNDS]` (defaults: the Python fixture, 10). Build the component first
//! with `bash fixtures/components/build.sh py`. `docs/perf.md` records the figures.

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use canopy_component::runtime::{Component, InstanceId, Linker, Store};
use canopy_wasi::WasiCtx;

/// The global allocator: the system's, counting the bytes live now and the most ever live.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    let now = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call goes to `System` with the caller's arguments unchanged; the counters
// only observe sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc` is passed on.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` with `layout` (through this allocator).
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract for `realloc` is passed on.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// A field of `/proc/self/status` in bytes (`VmRSS`, `VmHWM`).
fn status(field: &str) -> usize {
    let text = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status (Linux)");
    let line = text.lines().find(|l| l.starts_with(field)).unwrap_or_else(|| panic!("no {field}"));
    line.split_whitespace().nth(1).unwrap().parse::<usize>().unwrap() * 1024
}

/// What one step cost the first time: allocated bytes live after it and the peak above the
/// start during it, and the resident set it added.
#[derive(Clone, Copy, Debug)]
struct Memory {
    live: usize,
    peak: usize,
    rss: usize,
}

/// Runs `step`, measuring its memory; returns its result too (kept alive by the caller, so
/// what it allocated stays counted).
fn measure<T>(step: impl FnOnce() -> T) -> (T, Memory) {
    let (live0, rss0) = (LIVE.load(Ordering::Relaxed), status("VmRSS"));
    PEAK.store(live0, Ordering::Relaxed);
    let out = step();
    let memory = Memory {
        live: LIVE.load(Ordering::Relaxed).saturating_sub(live0),
        peak: PEAK.load(Ordering::Relaxed) - live0,
        rss: status("VmRSS").saturating_sub(rss0),
    };
    (out, memory)
}

/// The Python component's instance over canopy-wasi's host, granting nothing.
fn instantiate(component: &Component) -> (Store, InstanceId) {
    let mut linker = Linker::new();
    canopy_wasi::add_to_linker(&mut linker, component.import_names());
    // wasi:sockets, which the Python component imports and this host does not grant.
    linker.define_unknown_imports_as_traps(component);
    let mut store = Store::new();
    store.set_data(WasiCtx::builder().build());
    let instance = store.instantiate(&linker, component, "fixtures-py").expect("it instantiates");
    (store, instance)
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn mib(bytes: f64) -> String {
    format!("{:.1} MiB", bytes / (1024.0 * 1024.0))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let path = args.first().map_or_else(|| root.join("fixtures/components/wasm/fixtures-py.wasm"), PathBuf::from);
    let rounds: usize = args.get(1).map_or(10, |r| r.parse().expect("ROUNDS is a number"));
    let bytes = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; build it with `bash fixtures/components/build.sh py`", path.display()));
    println!("{} ({} bytes), {rounds} rounds after one untimed", path.display(), bytes.len());

    // The first round, untimed: memory.
    let (component, load_memory) = measure(|| Component::new(&bytes).expect("the component loads"));
    let (first, inst_memory) = measure(|| instantiate(&component));
    // Check it really runs: the world-level export answers.
    let (mut store, instance) = first;
    let version = store.call(instance, "version", &[]).expect("version() runs");
    println!("version() = {version:?}");

    let (mut loads, mut insts) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let t = Instant::now();
        let c = Component::new(&bytes).expect("the component loads");
        loads.push(t.elapsed());
        let t = Instant::now();
        let kept = instantiate(&c);
        insts.push(t.elapsed());
        drop(kept);
    }
    let (load, inst) = (median(loads), median(insts));

    // The peer, in a child process.
    let script = root.join("engine/interp-bench/benches/instantiate_wasmtime.py");
    let compiles = rounds.div_ceil(5).max(1);
    let out = Command::new("python3")
        .arg(&script)
        .arg(&path)
        .arg(compiles.to_string())
        .arg(rounds.to_string())
        .output()
        .expect("python3 starts");
    assert!(
        out.status.success(),
        "{} failed (is wasmtime 50.0.1 installed? `python3 -m pip install wasmtime==50.0.1`):\n{}",
        script.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let peer: serde_json::Value = serde_json::from_slice(&out.stdout).expect("the script prints JSON");
    let secs = |k: &str| Duration::from_secs_f64(peer["seconds"][k].as_f64().unwrap());
    let rss = |k: &str| peer["rss_bytes"][k].as_f64().unwrap();
    let (w_compile, w_deser, w_inst) = (secs("compile"), secs("deserialize"), secs("instantiate"));

    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    println!();
    println!("| step (median) | canopy | wasmtime 50 | canopy/wasmtime |");
    println!("| --- | ---: | ---: | ---: |");
    println!(
        "| load (canopy) / compile (wasmtime), {compiles} compiles | {} | {} | {:.3}× |",
        ms(load),
        ms(w_compile),
        ratio(load, w_compile)
    );
    println!(
        "| load (canopy) / deserialize (wasmtime) | {} | {} | {:.2}× |",
        ms(load),
        ms(w_deser),
        ratio(load, w_deser)
    );
    println!("| instantiate | {} | {} | {:.2}× |", ms(inst), ms(w_inst), ratio(inst, w_inst));
    println!(
        "| load + instantiate, against compile + instantiate | {} | {} | {:.3}× |",
        ms(load + inst),
        ms(w_compile + w_inst),
        ratio(load + inst, w_compile + w_inst)
    );
    println!(
        "| load + instantiate, against deserialize + instantiate | {} | {} | {:.2}× |",
        ms(load + inst),
        ms(w_deser + w_inst),
        ratio(load + inst, w_deser + w_inst)
    );
    println!();
    println!("| memory (first time) | canopy | wasmtime 50 | canopy/wasmtime |");
    println!("| --- | ---: | ---: | ---: |");
    let row = |what: &str, a: f64, b: f64| println!("| {what} | {} | {} | {:.2}× |", mib(a), mib(b), a / b);
    let (load_rss, inst_rss) = (load_memory.rss as f64, inst_memory.rss as f64);
    row("resident set added by load (wasmtime: deserialize)", load_rss, rss("deserialize"));
    row("resident set added by instantiate", inst_rss, rss("instantiate"));
    row("resident set added by both", load_rss + inst_rss, rss("deserialize") + rss("instantiate"));
    row("resident set added by load (wasmtime: compile)", load_rss, rss("compile"));
    println!();
    println!(
        "canopy allocations: load {} live after, {} peak; instantiate {} live after, {} peak",
        mib(load_memory.live as f64),
        mib(load_memory.peak as f64),
        mib(inst_memory.live as f64),
        mib(inst_memory.peak as f64)
    );
    println!(
        "wasmtime: compile peak resident above its start {}; compiled artifact {}",
        mib(rss("compile_peak")),
        mib(peer["artifact_bytes"].as_f64().unwrap())
    );
    drop(store);
}
