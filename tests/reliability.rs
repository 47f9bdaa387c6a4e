//! Nothing is lost and everything can be reproduced: an interrupted run (Ctrl-C or a hard
//! kill) leaves the previous complete files, never a truncated one; a replicate that panics
//! is reported with its seed and a command that re-runs it, and the others' results are kept;
//! `collabsim reproduce` re-runs a manifest and finds every file byte-identical.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::{bin, ok};

fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect()
}

/// Starts a run long enough to interrupt (CS1, 20,000 replicates: about a minute) into `out`
/// and waits until it is well under way (a temporary file has appeared in `out`).
fn start_long_run(out: &Path) -> Child {
    let child = bin()
        .args(["run", "scenarios/cs1-merged-it.toml", "--replicates", "20000", "--quiet", "--out"])
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let busy =
        || std::fs::read_dir(out).unwrap().any(|e| e.unwrap().file_name().to_string_lossy().starts_with(".collabsim-"));
    while !busy() && start.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(500));
    child
}

fn signal(child: &Child, sig: &str) {
    let st = Command::new("kill").args([sig, &child.id().to_string()]).status().unwrap();
    assert!(st.success());
}

#[test]
fn ctrl_c_stops_cleanly_and_a_kill_leaves_the_previous_files_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cs1");
    ok(&[
        "run",
        "scenarios/cs1-merged-it.toml",
        "--replicates",
        "50",
        "--years",
        "2",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    let before = snapshot(&out);
    assert!(before.contains_key("runs.csv") && before.contains_key("manifest.json"));

    // Ctrl-C (SIGINT): stops between chunks, says so, exits 130, leaves the folder as it was.
    let child = start_long_run(&out);
    signal(&child, "-INT");
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(130), "{err}");
    assert!(err.contains("interrupted after") && err.contains("nothing was written"), "{err}");
    assert_eq!(snapshot(&out), before, "Ctrl-C must leave the previous complete files, and no temporary file");

    // A hard kill (SIGKILL) cannot clean up its temporary file, but every file under a final
    // name is still the previous complete one.
    let child = start_long_run(&out);
    signal(&child, "-KILL");
    child.wait_with_output().unwrap();
    let after: BTreeMap<String, Vec<u8>> =
        snapshot(&out).into_iter().filter(|(k, _)| !k.starts_with(".collabsim-")).collect();
    assert_eq!(after, before, "a kill must not truncate or replace a finished file");
}

#[test]
fn a_panicking_replicate_is_reported_with_its_seed_and_the_rest_are_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, full) = (tmp.path().join("p"), tmp.path().join("full"));
    let o = bin()
        .args(["run", "scenarios/cs1-merged-it.toml", "-n", "40", "-y", "2", "-q", "--debug-panic-at", "17", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    ok(&["run", "scenarios/cs1-merged-it.toml", "-n", "40", "-y", "2", "-q", "--out", full.to_str().unwrap()]);
    let full_runs = std::fs::read_to_string(full.join("runs.csv")).unwrap();
    let row17 = full_runs.lines().find(|l| l.starts_with("17,")).unwrap();
    let seed17 = row17.split(',').nth(1).unwrap();
    assert!(err.contains(&format!("replicate 17 (seed {seed17}), panicked")), "{err}");
    assert!(err.contains("The other 39 replicates' results are in"), "{err}");
    let runs = std::fs::read_to_string(out.join("runs.csv")).unwrap();
    assert_eq!(runs.lines().count(), 1 + 39);
    assert!(!runs.lines().any(|l| l.starts_with("17,")));
    // The suggested command re-runs replicate 17 alone and gives its row of the full run.
    let cmd = err.split("Re-run it alone with: collabsim ").nth(1).unwrap().trim();
    let mut args: Vec<String> = cmd.split(' ').map(String::from).collect();
    let one = tmp.path().join("one");
    args.extend(["--quiet".into(), "--out".into(), one.to_str().unwrap().into()]);
    ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let alone = std::fs::read_to_string(one.join("runs.csv")).unwrap();
    assert_eq!(alone.lines().nth(1).unwrap(), row17);
}

#[test]
fn reproduce_finds_every_file_identical_and_notices_a_changed_one() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cs2");
    ok(&["run", "scenarios/cs2-colocated-control.toml", "-n", "60", "-y", "4", "-q", "--out", out.to_str().unwrap()]);
    let o = ok(&["reproduce", out.join("manifest.json").to_str().unwrap()]);
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(said.contains("all 10 files are byte-identical"), "{said}");
    // Tamper with the recorded hash of one file: reproduce must say that it differs.
    let path = out.join("manifest.json");
    let mut m = collabsim::app::manifest::read_manifest(&path).unwrap();
    m.files.insert("summary.json".into(), "0".repeat(64));
    std::fs::write(&path, serde_json::to_vec_pretty(&m).unwrap()).unwrap();
    let o = bin().args(["reproduce", path.to_str().unwrap()]).output().unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("1 of 10 files differ from the manifest: summary.json"));
}

#[test]
fn reproduce_checks_a_comparison_including_its_arms_manifests() {
    // A comparison's arms carry their own manifest.json, which records the command and the
    // folder it was written to: a re-run into another folder differs there by design, and
    // reproduce compares the arms' file hashes instead. A changed arm result is still found.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cmp");
    let o = out.to_str().unwrap();
    ok(&[
        "compare",
        "scenarios/cs2-colocated-control.toml",
        "--variant",
        "collaboration.transparency=0.3",
        "-n",
        "40",
        "-y",
        "3",
        "-q",
        "--out",
        o,
    ]);
    let path = out.join("manifest.json");
    let said = String::from_utf8_lossy(&ok(&["reproduce", path.to_str().unwrap()]).stdout).to_string();
    assert!(said.contains("files are byte-identical (2 nested manifests"), "{said}");
    assert!(said.contains("same file hashes (its commit, command or folder differ) baseline/manifest.json"), "{said}");
    // Tamper with a hash inside the variant's own manifest: its results no longer match.
    let arm = out.join("variant/manifest.json");
    let mut m = collabsim::app::manifest::read_manifest(&arm).unwrap();
    m.files.insert("runs.csv".into(), "0".repeat(64));
    std::fs::write(&arm, serde_json::to_vec_pretty(&m).unwrap()).unwrap();
    let o = bin().args(["reproduce", path.to_str().unwrap()]).output().unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("differ from the manifest: variant/manifest.json"));

    // The comparison's manifest alone (as `serve` saves it, beside its report): the arms'
    // manifests are checked against the hashes it records for the arms' files.
    let alone = tmp.path().join("saved");
    std::fs::create_dir(&alone).unwrap();
    std::fs::copy(&path, alone.join("manifest.json")).unwrap();
    let said =
        String::from_utf8_lossy(&ok(&["reproduce", alone.join("manifest.json").to_str().unwrap()]).stdout).to_string();
    assert!(said.contains("same file hashes (its commit, command or folder differ) variant/manifest.json"), "{said}");
    // ... and a wrong hash for an arm's file there fails the file and its arm's manifest.
    let mut m = collabsim::app::manifest::read_manifest(&alone.join("manifest.json")).unwrap();
    m.files.insert("variant/runs.csv".into(), "0".repeat(64));
    std::fs::write(alone.join("manifest.json"), serde_json::to_vec_pretty(&m).unwrap()).unwrap();
    let o = bin().args(["reproduce", alone.join("manifest.json").to_str().unwrap()]).output().unwrap();
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("2 of 33 files differ") && err.contains("variant/runs.csv, variant/manifest.json"), "{err}");
}

#[test]
fn a_new_result_replaces_the_old_one_whole() {
    // A comparison written into a folder, then a run into the same folder: the comparison's
    // files go, and the manifest lists exactly what is there.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("f");
    let o = out.to_str().unwrap();
    ok(&[
        "compare",
        "scenarios/cs1-merged-it.toml",
        "-n",
        "20",
        "-y",
        "2",
        "-q",
        "--variant",
        "collaboration.transparency=0.5",
        "--out",
        o,
    ]);
    assert!(out.join("comparison.json").is_file());
    ok(&["run", "scenarios/cs1-merged-it.toml", "-n", "20", "-y", "2", "-q", "--out", o]);
    assert!(!out.join("comparison.json").exists() && !out.join("comparison.csv").exists());
    assert!(!out.join("baseline").exists() && !out.join("variant").exists(), "the arms' folders go too");
    let m = collabsim::app::manifest::read_manifest(&out.join("manifest.json")).unwrap();
    let listed: Vec<&String> = m.files.keys().collect();
    let mut present: Vec<String> = snapshot(&out).into_keys().filter(|k| k != "manifest.json").collect();
    present.sort();
    let mut listed: Vec<String> = listed.into_iter().cloned().collect();
    listed.sort();
    assert_eq!(present, listed);
}
