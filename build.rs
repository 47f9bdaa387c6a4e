//! Records the git commit the binary was built from (when built from a git checkout), for
//! manifest.json. Outside a checkout, or without git, nothing is recorded.

use std::process::Command;

fn main() {
    for p in [".git/HEAD", ".git/refs/heads", ".git/packed-refs"] {
        println!("cargo:rerun-if-changed={p}");
    }
    let commit = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    if let Some(c) = commit.filter(|c| c.len() == 40) {
        println!("cargo:rustc-env=COLLABSIM_GIT_COMMIT={c}");
    }
}
