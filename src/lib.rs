//! collabsim: agent-based simulation of collaboration between UK emergency-service
//! organizations. `model` holds the pure rules, `engine` runs seeded replicates in
//! parallel, `scenario` reads TOML into parameters, `analysis` does the statistics,
//! `output` writes files. The binary's `cli` wires them together; the library never prints
//! or exits.

// The only `unsafe` is in the time-series fold's SIMD kernels: one operation per block, each
// with the reason it is sound.
#![deny(clippy::undocumented_unsafe_blocks, clippy::multiple_unsafe_ops_per_block)]

pub mod analysis;
pub mod engine;
pub mod model;
pub mod output;
pub mod scenario;
