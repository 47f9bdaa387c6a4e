//! Pure statistics on simulation outcomes: survival estimation (Kaplan-Meier with confidence
//! bands, median CI, RMST, Nelson-Aalen, competing risks, log-rank), streaming quantiles, and
//! experimental designs with sensitivity analysis (grid, Latin hypercube, Morris, Sobol'),
//! and history matching (implausibility, a regression emulator, maximin point choice).
//! No I/O; every function is a plain computation tested against reference values.

#[cfg(test)]
mod aml;
pub mod arm;
pub mod competing_risks;
pub mod design;
pub mod emulator;
pub mod history;
pub mod levers;
pub mod logrank;
pub mod median_ci;
pub mod morris;
pub mod nelson_aalen;
pub mod p2;
#[cfg(target_arch = "x86_64")]
pub mod p2_lanes;
pub mod paired;
pub mod rates;
pub mod rmst;
pub mod sobol;
pub mod survival;
