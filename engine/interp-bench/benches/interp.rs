//! Criterion benchmarks of the programs on each engine (being written).

fn main() {}
