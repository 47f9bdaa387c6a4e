//! Pure statistics on simulation outcomes: survival estimation and streaming quantiles.
//! No I/O; every function is a plain computation tested against reference values.

pub mod p2;
pub mod paired;
pub mod rates;
pub mod survival;
