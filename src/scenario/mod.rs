//! Scenarios: TOML files parsed into serde structs (`raw`), overridden from the command
//! line, then validated into the model's typed parameters (`validate`), with every error
//! reported at once and located in the file (`spans`, `error`).

pub mod error;
pub mod experiment;
pub mod load;
pub mod raw;
mod spans;
pub mod validate;

pub use error::{Diagnostic, ScenarioError};
pub use load::{Scenario, load, parse_str};
pub use raw::RawScenario;
