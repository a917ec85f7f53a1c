#!/usr/bin/env python3
"""The wasmtime side of the instantiation benchmark (benches/instantiate.rs): wasmtime 50 from
PyPI, its prebuilt engine driven through its Python API, on one component with its WASI 0.2
host.

    python3 instantiate_wasmtime.py COMPONENT.wasm COMPILES ROUNDS

Prints one JSON object: the median seconds of each step (compile over COMPILES compilations,
the others over ROUNDS rounds after one untimed round) and the resident memory each step added
the first time (bytes, from VmRSS in
/proc/self/status; wasmtime allocates natively, so Python's own allocation counters do not see
it), plus the peak resident memory (VmHWM) it reached above the start.

Steps: `compile` (Component.from_file: read, validate, compile with cranelift, all cores),
`deserialize` (Component.deserialize of the compiled artifact, what an embedder with a cache
pays instead of compile), `instantiate` (a new Store with a WasiConfig granting nothing, a
Linker with add_wasip2, Linker.instantiate).
"""

import json
import statistics
import sys
import time

import wasmtime
import wasmtime.component as wc


def status(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise KeyError(field)


def instantiate(engine, component):
    store = wasmtime.Store(engine)
    store.set_wasi(wasmtime.WasiConfig())
    linker = wc.Linker(engine)
    linker.add_wasip2()
    instance = linker.instantiate(store, component)
    return store, instance


def main():
    path, compiles, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    engine = wasmtime.Engine()
    with open(path, "rb") as f:
        f.read()  # the page cache holds the file for every round, as on Canopy's side
    times = {"compile": [], "deserialize": [], "instantiate": []}
    memory = {}
    hwm0 = status("VmHWM")
    kept = []
    for r in range(compiles):
        rss = status("VmRSS")
        t = time.perf_counter()
        component = wc.Component.from_file(engine, path)
        times["compile"].append(time.perf_counter() - t)
        if r == 0:
            memory["compile"] = status("VmRSS") - rss
            memory["compile_peak"] = status("VmHWM") - max(hwm0, rss)
            kept.append(component)
    artifact = component.serialize()
    for r in range(rounds + 1):
        rss = status("VmRSS")
        t = time.perf_counter()
        loaded = wc.Component.deserialize(engine, artifact)
        times["deserialize"].append(time.perf_counter() - t)
        if r == 0:
            memory["deserialize"] = status("VmRSS") - rss
        rss = status("VmRSS")
        t = time.perf_counter()
        store, instance = instantiate(engine, loaded)
        times["instantiate"].append(time.perf_counter() - t)
        if r == 0:
            memory["instantiate"] = status("VmRSS") - rss
            kept.append((store, instance, loaded))
    print(
        json.dumps(
            {
                "seconds": {
                    "compile": statistics.median(times["compile"]),
                    "deserialize": statistics.median(times["deserialize"][1:]),
                    "instantiate": statistics.median(times["instantiate"][1:]),
                },
                "rss_bytes": memory,
                "artifact_bytes": len(artifact),
            }
        )
    )


if __name__ == "__main__":
    main()
