//! The HTML reports must read well in a browser, on a phone and on paper: render a run's, a
//! comparison's (one variant and a ladder), a levers', a sweep's and a calibration's report.html in headless Chromium with the
//! network cut off (scripts/check-report.sh, which installs Debian's chromium when missing
//! and we are root) at 1280 and 390 px wide and under the print style, and print each to
//! PDF. The script checks that every figure lays out with legible text, the page never
//! scrolls sideways at 390 px except inside scroll boxes, no table cell squeezes below 8
//! characters or to a word per line, each figure with its caption and each table keeps
//! together in print (long tables repeat their header), the headline is there and nothing
//! outside the file is loaded. Screenshots and PDFs land in target/tmp/report-browser/NAME/.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::{is_root, no_system_packages, ok};

fn have_chromium() -> bool {
    Command::new("sh").args(["-c", "command -v chromium"]).output().is_ok_and(|o| o.status.success())
}

/// Renders `report` at both widths and in print, and requires every check to pass.
fn check(name: &str, report: &Path, figures: usize) {
    let shots: PathBuf = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-browser").join(name);
    let o = Command::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/check-report.sh"))
        .arg(report)
        .arg(&shots)
        .output()
        .expect("scripts/check-report.sh runs");
    let out = String::from_utf8_lossy(&o.stdout);
    eprintln!("{out}{}", String::from_utf8_lossy(&o.stderr));
    assert!(o.status.success(), "{name}: {} does not render as it should", report.display());
    for mode in ["mode=wide width=1280 ", "mode=narrow width=390 ", "mode=print "] {
        let line = out.lines().find(|l| l.contains(mode)).unwrap_or_else(|| panic!("{name}: no {mode} probe: {out}"));
        assert!(line.contains(&format!("figures={figures} ")) && line.contains("laid_out=true"), "{line}");
        assert!(line.contains("problems=0"), "{line}");
    }
    for f in ["report-1280.png", "report-390.png", "report.pdf"] {
        assert!(shots.join(f).is_file(), "{name}: {f} was not written");
    }
}

#[test]
fn every_report_reads_well_at_1280_and_390_px_and_in_print() {
    if !have_chromium() && no_system_packages() {
        eprintln!("SKIPPED: chromium is not installed and COLLABSIM_NO_SYSTEM_PACKAGES forbids installing it");
        return;
    }
    if !have_chromium() && !is_root() {
        eprintln!("SKIPPED: chromium is not installed and this user cannot install it (apt-get install chromium)");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = |d: &str| tmp.path().join(d).to_str().unwrap().to_string();
    let base = ["--replicates", "40", "--years", "5", "--quiet", "--out"];
    ok(&[&["run", "scenarios/cs2-colocated-control.toml"][..], &base, &[&dir("run")]].concat());
    ok(&[
        &["compare", "scenarios/cs1-merged-it.toml", "--variant", "collaboration.strategy_document=false"][..],
        &base,
        &[&dir("compare")],
    ]
    .concat());
    ok(&[
        &["compare", "scenarios/cs2-colocated-control.toml", "--vary", "leadership.turnover_per_year=0.1,0.3,0.6"][..],
        &base,
        &[&dir("ladder")],
    ]
    .concat());
    ok(&[&["levers", "scenarios/cs1-merged-it.toml"][..], &base, &[&dir("levers")]].concat());
    ok(&["sweep", "tests/fixtures/sweep-small.toml", "--quiet", "--out", &dir("sweep")]);
    ok(&["calibrate", "tests/fixtures/calibrate-small.toml", "--quiet", "--out", &dir("calibrate")]);
    // (name, report, figures it holds): one line per report.
    let reports = [
        ("run", tmp.path().join("run/report.html"), 3),
        ("compare", tmp.path().join("compare/report.html"), 4),
        ("compare-variant", tmp.path().join("compare/variant/report.html"), 3),
        ("ladder", tmp.path().join("ladder/report.html"), 4),
        ("levers", tmp.path().join("levers/report.html"), 1),
        ("sweep", tmp.path().join("sweep/report.html"), 3),
        ("calibrate", tmp.path().join("calibrate/report.html"), 2),
    ];
    for (name, report, figures) in &reports {
        check(name, report, *figures);
    }
}

#[test]
fn the_report_check_installs_nothing_when_told_not_to() {
    // A browser that is not there and COLLABSIM_NO_SYSTEM_PACKAGES set: the script must stop
    // at once with exit code 2 and say why, instead of running apt-get (as root it would).
    let tmp = tempfile::tempdir().unwrap();
    let report = tmp.path().join("report.html");
    std::fs::write(&report, "<!DOCTYPE html><html><body><p>x</p></body></html>").unwrap();
    let o = Command::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/check-report.sh"))
        .arg(&report)
        .arg(tmp.path().join("shots"))
        .env("CHROMIUM", tmp.path().join("no-such-chromium"))
        .env("COLLABSIM_NO_SYSTEM_PACKAGES", "1")
        .output()
        .expect("scripts/check-report.sh runs");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("COLLABSIM_NO_SYSTEM_PACKAGES is set") && !err.contains("installing"), "{err}");
}
