//! Scenarios: TOML files resolved into a typed run specification by the parameter
//! declarations (`resolve`, `checks`), overridden from the command line (`overrides`),
//! with every error reported at once and located in the file (`spans`, `error`,
//! `suggest`); listings of every parameter (`catalog`); experiment files for sweeps,
//! calibration files, and ensembles of parameter sets (a calibration's accepted.csv).

pub mod behaviour;
pub mod calibration;
pub mod catalog;
mod checks;
pub mod ensemble;
pub mod error;
pub mod experiment;
pub mod load;
mod overrides;
mod resolve;
mod spans;
pub mod spec;
mod suggest;

pub use error::{Diagnostic, ScenarioError};
pub use load::{Scenario, load, parse_str};
pub use spec::{RunParams, RunSpec};
