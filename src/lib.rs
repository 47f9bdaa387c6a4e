//! collabsim: agent-based simulation of collaboration between UK emergency-service
//! organizations. `model` holds the pure rules, `engine` runs seeded replicates in
//! parallel, `scenario` reads TOML into parameters, `analysis` does the statistics,
//! `output` writes files. The binary's `cli` wires them together; the library never prints
//! or exits.

pub mod analysis;
pub mod engine;
pub mod model;
pub mod output;
pub mod scenario;
