//! Valid modules from arbitrary bytes: wasm-smith restricted to what the interpreter supports.

use arbitrary::Unstructured;
use wasm_smith::{Config, Module};

/// Fuel of the injected global: every function entry and loop iteration costs one unit, so a
/// generated module stops (with `unreachable`) after this many across all its calls.
const INJECTED_FUEL: u32 = 20_000;

/// The generator's configuration: Wasm 2.0 (SIMD when `simd`), tail calls and extended constant
/// expressions; no imports; everything exported; NaNs canonicalized (so results compare
/// bit for bit); memories and tables small and bounded (so `memory.grow` cannot allocate gigabytes).
///
/// The differential run leaves SIMD out: wasmi 2.0's SIMD execution crashed the test process
/// (a jump to an invalid address) on generated modules, so the oracle cannot judge it. The
/// interpreter's SIMD is held to the spec suite and to the hostile-input run instead.
pub fn smith_config(simd: bool) -> Config {
    Config {
        // Outside the interpreter's feature set.
        gc_enabled: false,
        exceptions_enabled: false,
        memory64_enabled: false,
        threads_enabled: false,
        shared_everything_threads_enabled: false,
        relaxed_simd_enabled: false,
        wide_arithmetic_enabled: false,
        custom_page_sizes_enabled: false,
        custom_descriptors_enabled: false,
        max_memories: 1,
        // Inside it.
        simd_enabled: simd,
        tail_call_enabled: true,
        reference_types_enabled: true,
        bulk_memory_enabled: true,
        multi_value_enabled: true,
        saturating_float_to_int_enabled: true,
        sign_extension_ops_enabled: true,
        extended_const_enabled: true,
        max_tables: 4,
        // Shape of the comparison.
        max_imports: 0,
        min_funcs: 2,
        export_everything: true,
        canonicalize_nans: true,
        max_memory32_bytes: 16 * 65536,
        memory_max_size_required: true,
        max_table_elements: 1000,
        table_max_size_required: true,
        ..Config::default()
    }
}

/// A valid module from `u` (see [`smith_config`]), with fuel injected so that every call
/// terminates.
pub fn generate_module(u: &mut Unstructured<'_>, simd: bool) -> arbitrary::Result<Vec<u8>> {
    let mut module = Module::new(smith_config(simd), u)?;
    module.ensure_termination(INJECTED_FUEL).map_err(|_| arbitrary::Error::IncorrectFormat)?;
    Ok(module.to_bytes())
}
