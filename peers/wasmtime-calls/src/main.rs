//! Times three calls of the C fixture component on Canopy and on wasmtime 48 (with cranelift),
//! in one process, from host values to host values: `values.add-s32(1, 2)` (the cost of
//! crossing the boundary at all), `values.echo(S)` with a 1 KiB string and
//! `values.translate(P, 1, 2)` with a list of 100 records. Each figure is the median of
//! ITERATIONS calls (default 5000) after a warm-up, post-return included (wasmtime 48 runs it inside `call`). Then it times
//! instantiation of the same component on both. Prints a table and the ratios.
//!
//! `cargo run --release --manifest-path peers/wasmtime-calls/Cargo.toml [-- ITERATIONS]`

use std::path::Path;
use std::time::Instant;

use canopy_component::{Type, Val as CVal};
use wasmtime::component::{Component as WComponent, Linker as WLinker, Val as WVal};

const PACKAGE: &str = "canopy:fixtures/values@0.1.0";

/// The median of `n` timings of `f` (after `n / 10` untimed runs), in nanoseconds.
fn median_ns(n: usize, mut f: impl FnMut()) -> f64 {
    for _ in 0..(n / 10).max(10) {
        f();
    }
    let mut samples: Vec<u128> = (0..n)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_nanos()
        })
        .collect();
    samples.sort_unstable();
    samples[samples.len() / 2] as f64
}

fn main() {
    let iterations: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(5000);
    let wasm = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/components/wasm/fixtures-c.wasm");
    let bytes = std::fs::read(&wasm).expect("the committed C component");
    let text = "abcdefghijklmnop".repeat(64);

    // Canopy.
    let component = canopy_component::runtime::Component::new(&bytes).expect("it loads on Canopy");
    let linker = canopy_component::runtime::Linker::new();
    let mut store = canopy_component::runtime::Store::new();
    let instance = store.instantiate(&linker, &component, "fixtures-c").expect("it instantiates on Canopy");
    let sig = store.func_type(instance, &format!("{PACKAGE}#translate")).expect("translate");
    let Type::List(point) = &sig.params[0].1 else { panic!("translate takes a list") };
    let Type::Record(fields) = &**point else { panic!("of records") };
    let (x, y) = (fields[0].name.clone(), fields[1].name.clone());
    let points: Vec<CVal> =
        (0..100).map(|i| CVal::Record(vec![(x.clone(), CVal::S32(i)), (y.clone(), CVal::S32(-i))])).collect();
    let canopy_calls: Vec<(&str, String, Vec<CVal>)> = vec![
        ("add-s32", format!("{PACKAGE}#add-s32"), vec![CVal::S32(1), CVal::S32(2)]),
        ("echo, 1 KiB string", format!("{PACKAGE}#echo"), vec![CVal::String(text.clone())]),
        (
            "translate, 100 records",
            format!("{PACKAGE}#translate"),
            vec![CVal::List(points), CVal::S32(1), CVal::S32(2)],
        ),
    ];
    let mut canopy = Vec::new();
    for (_, path, args) in &canopy_calls {
        canopy.push(median_ns(iterations, || {
            store.call(instance, path, args).expect("the call succeeds on Canopy");
        }));
    }
    let canopy_instantiate = median_ns(iterations / 10, || {
        let mut s = canopy_component::runtime::Store::new();
        s.instantiate(&linker, &component, "fixtures-c").expect("it instantiates");
    });

    // wasmtime.
    let engine = wasmtime::Engine::default();
    let wcomponent = WComponent::from_binary(&engine, &bytes).expect("it loads on wasmtime");
    let wlinker = WLinker::<()>::new(&engine);
    let mut wstore = wasmtime::Store::new(&engine, ());
    let winstance = wlinker.instantiate(&mut wstore, &wcomponent).expect("it instantiates on wasmtime");
    let iface = winstance.get_export_index(&mut wstore, None, PACKAGE).expect("the values interface");
    let wpoints: Vec<WVal> =
        (0..100).map(|i| WVal::Record(vec![("x".into(), WVal::S32(i)), ("y".into(), WVal::S32(-i))])).collect();
    let wasmtime_calls: Vec<(&str, Vec<WVal>)> = vec![
        ("add-s32", vec![WVal::S32(1), WVal::S32(2)]),
        ("echo", vec![WVal::String(text.clone())]),
        ("translate", vec![WVal::List(wpoints), WVal::S32(1), WVal::S32(2)]),
    ];
    let mut wasmtime_times = Vec::new();
    for (name, args) in &wasmtime_calls {
        let index = winstance.get_export_index(&mut wstore, Some(&iface), name).expect("the function");
        let func = winstance.get_func(&mut wstore, index).expect("a function");
        let mut results = [WVal::Bool(false)];
        wasmtime_times.push(median_ns(iterations, || {
            // wasmtime 48 runs post-return inside `call`.
            func.call(&mut wstore, args, &mut results).expect("the call succeeds on wasmtime");
        }));
    }
    let wasmtime_instantiate = median_ns(iterations / 10, || {
        let mut s = wasmtime::Store::new(&engine, ());
        wlinker.instantiate(&mut s, &wcomponent).expect("it instantiates");
    });

    println!("{:26} {:>12} {:>12} {:>16}", "call (median)", "canopy", "wasmtime", "canopy/wasmtime");
    for (i, (label, _, _)) in canopy_calls.iter().enumerate() {
        let (c, w) = (canopy[i], wasmtime_times[i]);
        println!("{label:26} {:>9.2} µs {:>9.2} µs {:>15.1}x", c / 1e3, w / 1e3, c / w);
    }
    println!(
        "{:26} {:>9.2} µs {:>9.2} µs {:>15.1}x",
        "instantiate (compiled)",
        canopy_instantiate / 1e3,
        wasmtime_instantiate / 1e3,
        canopy_instantiate / wasmtime_instantiate
    );
}
