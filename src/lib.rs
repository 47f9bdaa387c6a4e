//! collabsim: agent-based simulation of collaboration between UK emergency-service
//! organizations. `model` holds the pure rules and declares every parameter, `engine` runs
//! seeded replicates in parallel, `scenario` resolves TOML into a run specification,
//! `analysis` does the statistics, `output` writes files, and `app` is what the commands
//! do, as functions with typed inputs and outputs. The binary's `cli` turns flags into
//! `app` calls and prints; the library never prints or exits. ARCHITECTURE.md draws the
//! allowed imports between these modules; tests/architecture.rs enforces them.

// The only `unsafe` is in the time-series fold's SIMD kernels: one operation per block, each
// with the reason it is sound.
#![deny(clippy::undocumented_unsafe_blocks, clippy::multiple_unsafe_ops_per_block)]

pub mod analysis;
pub mod app;
pub mod engine;
pub mod model;
pub mod output;
pub mod scenario;
