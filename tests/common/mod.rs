//! Helpers shared by the end-to-end tests: the collabsim binary, run from the project folder
//! so that relative scenario paths resolve.

// Each test file is its own crate and uses only some of these.
#![allow(dead_code)]

pub mod serve;

use std::process::{Command, Output};

/// The collabsim binary under test, in the project folder.
pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_collabsim"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

/// Runs collabsim with `args`, whatever the outcome.
pub fn collabsim(args: &[&str]) -> Output {
    bin().args(args).output().expect("collabsim runs")
}

/// Runs collabsim with `args` and requires success (the error is shown if not).
pub fn ok(args: &[&str]) -> Output {
    let o = collabsim(args);
    assert!(o.status.success(), "collabsim {args:?}: {}", String::from_utf8_lossy(&o.stderr));
    o
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// `COLLABSIM_NO_SYSTEM_PACKAGES=1` (README): never install system packages; skip instead.
pub fn no_system_packages() -> bool {
    std::env::var("COLLABSIM_NO_SYSTEM_PACKAGES").is_ok_and(|v| !v.is_empty() && v != "0")
}

/// Running as root (the browser and Slurm checks may install system packages).
pub fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}
