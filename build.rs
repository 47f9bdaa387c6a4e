//! Records the git commit the binary was built from (when built from a git checkout), for
//! manifest.json. Outside a checkout, or without git, nothing is recorded.

use std::process::Command;

fn main() {
    // Watch only what exists: a missing path makes cargo rerun this script on every build
    // (in a git worktree `.git` is a file, so these paths are absent).
    println!("cargo:rerun-if-changed=build.rs");
    for p in [".git/HEAD", ".git/refs/heads", ".git/packed-refs"] {
        if std::path::Path::new(p).exists() {
            println!("cargo:rerun-if-changed={p}");
        }
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
