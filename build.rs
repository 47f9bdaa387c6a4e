//! Records the git commit the binary was built from (when built from a git checkout), for
//! manifest.json. Outside a checkout, or without git, nothing is recorded.

use std::process::Command;

fn main() {
    // Watch only what exists: a missing path makes cargo rerun this script on every build.
    // In a git worktree `.git` is a file: HEAD lives in the worktree's git dir and the
    // branches in the common one, so ask git where they are.
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    println!("cargo:rerun-if-changed=build.rs");
    let mut watch: Vec<String> = vec![".git/HEAD".into(), ".git/refs/heads".into(), ".git/packed-refs".into()];
    if let Some(d) = git(&["rev-parse", "--git-dir"]) {
        watch.push(format!("{d}/HEAD"));
    }
    if let Some(d) = git(&["rev-parse", "--git-common-dir"]) {
        watch.push(format!("{d}/refs/heads"));
        watch.push(format!("{d}/packed-refs"));
    }
    watch.sort();
    watch.dedup();
    for p in watch {
        if std::path::Path::new(&p).exists() {
            println!("cargo:rerun-if-changed={p}");
        }
    }
    let commit = git(&["rev-parse", "HEAD"]);
    if let Some(c) = commit.filter(|c| c.len() == 40) {
        println!("cargo:rustc-env=COLLABSIM_GIT_COMMIT={c}");
    }
}
