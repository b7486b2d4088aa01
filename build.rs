//! Links the `runbook` binary as a position-dependent executable on Linux.
//!
//! A PIE binary of this size carries ~17,000 relative relocations that the dynamic loader
//! applies at every start, dirtying ~80 pages of `.data.rel.ro`: that alone made
//! `runbook --version` start in 1.7x the time of a hello-world. Linked `-no-pie` the linker
//! resolves them once, and the start is ~1.2x (docs/BENCHMARKS.md, "Start"). Shared libraries,
//! stack and heap stay randomized; only the executable's own image loads at a fixed address,
//! as Go binaries (actionlint, kubectl) do by default.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os == "linux" {
        println!("cargo::rustc-link-arg-bins=-no-pie");
    }
}
