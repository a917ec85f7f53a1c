//! How fast does the interpreter single-step? A debugger steps with a budget of one wasm
//! instruction per `run`; this runs fib(18) that way to the end on canopy-interp and reports
//! wasm instructions per second, beside the same call run straight through. Run it with
//! `cargo bench -p canopy-interp-bench --bench stepping`; `docs/perf.md` records the figures.

use std::time::Instant;

use canopy_interp::{Engine, Extern, Linker, Module, Outcome, PauseReason, Store, Thread, Value};
use canopy_interp_bench::Program;

fn main() {
    let wasm = Program::Fib.wasm().expect("fib assembles");
    let engine = Engine::default();
    let module = Module::new(&engine, &wasm).expect("fib compiles");
    let mut store = Store::new(&engine);
    let instance = Linker::new().instantiate(&mut store, &module).expect("fib instantiates");
    let Some(Extern::Func(run)) = store.export(instance, "run") else { panic!("fib exports run") };
    let args = [Value::I32(18)];

    let mut best_steps_per_second = 0f64;
    let mut steps = 0u64;
    for _ in 0..3 {
        let mut thread = Thread::new(&store, run, &args).expect("thread");
        steps = 0;
        let start = Instant::now();
        let result = loop {
            match thread.run(&mut store, Some(1)) {
                Outcome::Paused(PauseReason::StepsExhausted) => steps += 1,
                Outcome::Finished(values) => break values,
                other => panic!("unexpected {other:?}"),
            }
        };
        let elapsed = start.elapsed().as_secs_f64();
        assert_eq!(result, vec![Value::I64(2584)], "fib(18)");
        best_steps_per_second = best_steps_per_second.max(steps as f64 / elapsed);
    }

    let start = Instant::now();
    let rounds = 200;
    for _ in 0..rounds {
        let values = store.call(run, &args).expect("fib runs");
        assert_eq!(values, vec![Value::I64(2584)]);
    }
    let straight = rounds as f64 * steps as f64 / start.elapsed().as_secs_f64();

    println!("fib(18): {steps} wasm instructions");
    println!("single-stepping (a budget of 1 per run): {:.2} M instructions/s", best_steps_per_second / 1e6);
    println!("straight through (same instruction count): {:.1} M instructions/s", straight / 1e6);
    println!("ratio: {:.1}x", straight / best_steps_per_second);
}
