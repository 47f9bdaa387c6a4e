//! `collabsim reproduce MANIFEST`: re-run a recorded command and say, file by file, whether
//! the bytes are identical.

use anyhow::{Context, bail};

use collabsim::app::reproduce::{FileStatus, execute, prepare};

use super::args::ReproduceArgs;

pub fn reproduce(a: ReproduceArgs) -> anyhow::Result<()> {
    let rerun = prepare(&a.manifest)?;
    if !a.quiet {
        if let Some(arm) = &rerun.manifest.arm_of {
            println!(
                "{} is the {} arm of the comparison in {}: re-running that arm alone",
                a.manifest.display(),
                arm.folder,
                arm.comparison_manifest
            );
        }
        println!(
            "re-running in {} ({}): collabsim {} --out TEMPORARY-FOLDER",
            rerun.cwd.display(),
            rerun.why,
            rerun.args.join(" ")
        );
    }
    let exe = std::env::current_exe().context("cannot find the collabsim executable")?;
    let r = execute(&rerun, &exe)?;
    if rerun.manifest.crate_version != env!("CARGO_PKG_VERSION") && !a.quiet {
        println!(
            "note: recorded with collabsim {}, re-run with {}",
            rerun.manifest.crate_version,
            env!("CARGO_PKG_VERSION")
        );
    }
    if !a.quiet {
        for (name, status) in &r.files {
            let word = match status {
                FileStatus::Identical => "identical",
                FileStatus::SameFileHashes => "same file hashes (its commit, command or folder differ)",
                FileStatus::Differs => "DIFFERS  ",
                FileStatus::Missing => "MISSING  ",
            };
            println!("  {word} {name}");
        }
    }
    let differ = r.differing();
    if !differ.is_empty() {
        bail!("{} of {} files differ from the manifest: {}", differ.len(), r.files.len(), differ.join(", "));
    }
    if !a.quiet {
        let nested = r.files.iter().filter(|(k, _)| k.ends_with("/manifest.json")).count();
        if nested > 0 {
            println!(
                "all {} files are byte-identical ({nested} nested manifests: their recorded file hashes)",
                r.files.len()
            );
        } else {
            println!("all {} files are byte-identical", r.files.len());
        }
    }
    Ok(())
}
