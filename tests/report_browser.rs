//! The HTML reports must look right in a browser: render a run's, a comparison's, a
//! sweep's and a calibration's report.html in headless Chromium with the network cut off
//! (scripts/check-report.sh, which installs Debian's chromium when missing and we are root)
//! and check that every figure lays out at a visible size, the headline is there and nothing
//! outside the file is loaded.

use std::path::Path;
use std::process::Command;

mod common;
use common::ok;

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn have_chromium() -> bool {
    Command::new("sh").args(["-c", "command -v chromium"]).output().is_ok_and(|o| o.status.success())
}

fn check(report: &Path, figures: usize) {
    let o = Command::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/check-report.sh"))
        .arg(report)
        .output()
        .expect("scripts/check-report.sh runs");
    let out = String::from_utf8_lossy(&o.stdout);
    eprintln!("{out}{}", String::from_utf8_lossy(&o.stderr));
    assert!(o.status.success(), "{} does not render as it should", report.display());
    assert!(out.contains(&format!("figures={figures} ")) && out.contains("laid_out=true"), "{out}");
}

#[test]
fn run_compare_sweep_and_calibration_reports_render_in_headless_chromium() {
    if !have_chromium() && !is_root() {
        eprintln!("SKIPPED: chromium is not installed and this user cannot install it (apt-get install chromium)");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let run = tmp.path().join("run");
    let cmp = tmp.path().join("compare");
    let base = ["--replicates", "40", "--years", "5", "--quiet", "--out"];
    ok(&[&["run", "scenarios/cs2-colocated-control.toml"][..], &base, &[run.to_str().unwrap()]].concat());
    ok(&[
        &["compare", "scenarios/cs1-merged-it.toml", "--variant", "collaboration.strategy_document=false"][..],
        &base,
        &[cmp.to_str().unwrap()],
    ]
    .concat());
    let sweep = tmp.path().join("sweep");
    ok(&["sweep", "tests/fixtures/sweep-small.toml", "--quiet", "--out", sweep.to_str().unwrap()]);
    let cal = tmp.path().join("calibrate");
    ok(&["calibrate", "tests/fixtures/calibrate-small.toml", "--quiet", "--out", cal.to_str().unwrap()]);
    check(&run.join("report.html"), 3);
    check(&cmp.join("report.html"), 3);
    check(&sweep.join("report.html"), 3);
    check(&cal.join("report.html"), 2);
}
