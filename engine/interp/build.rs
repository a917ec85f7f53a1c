//! Enables the threaded interpreter loop (`canopy_threaded`) where its handlers' tail calls
//! become jumps: optimizing builds for x86-64 and AArch64. Elsewhere (debug builds, where every
//! tail call would grow the Rust stack) frames run in the match loop.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(canopy_threaded)");
    println!("cargo::rerun-if-env-changed=CANOPY_NO_THREADED");
    let opt = std::env::var("OPT_LEVEL").unwrap_or_default();
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    let optimizing = matches!(opt.as_str(), "2" | "3" | "s" | "z");
    let tail_calls = matches!(arch.as_str(), "x86_64" | "aarch64");
    if optimizing && tail_calls && std::env::var_os("CANOPY_NO_THREADED").is_none() {
        println!("cargo::rustc-cfg=canopy_threaded");
    }
}
