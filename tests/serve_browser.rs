//! The what-if page in a real browser, as an analyst uses it: `collabsim serve` on a free
//! loopback port, Debian's headless Chromium driven by Playwright (scripts/serve-e2e/run.sh
//! installs what is missing when it may, from the lockfile in that folder). The script waits
//! for the baseline, moves the transparency slider to 0.3 with the keyboard, waits for the
//! refined answer, reads the numbers, saves the comparison and takes screenshots at 1280
//! and 390 px (in target/tmp/serve-browser/). Then this test checks that the numbers on the
//! page are those `collabsim compare` writes for the command the page shows, that the
//! downloaded report is the one its manifest records, and that `collabsim reproduce` of the
//! downloaded manifest finds every file byte-identical.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

mod common;
use common::serve::Served;
use common::{is_root, no_system_packages, ok, text};

#[test]
fn an_analyst_moves_transparency_reads_the_answer_and_saves_the_comparison() {
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("serve-browser");
    let _ = std::fs::remove_dir_all(&shots);
    let s = Served::start(&["--threads", "2"]);
    let o = Command::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/serve-e2e/run.sh"))
        .arg(s.url())
        .arg(&shots)
        .output()
        .expect("scripts/serve-e2e/run.sh runs");
    let err = text(&o.stderr);
    if o.status.code() == Some(2) {
        // A tool is missing and may not be installed here (not root, or told not to).
        assert!(!err.is_empty(), "exit 2 says why");
        if no_system_packages() || !is_root() {
            eprintln!("SKIPPED: {err}");
            return;
        }
        panic!("as root the page check should install what it needs: {err}");
    }
    assert!(o.status.success(), "{err}");
    let page: Value =
        serde_json::from_str(text(&o.stdout).trim()).unwrap_or_else(|e| panic!("{e}: {}", text(&o.stdout)));
    assert_eq!(page["problems"], serde_json::json!([]), "{page}");
    assert_eq!(page["outside_requests"], serde_json::json!([]), "nothing from outside the server");
    assert_eq!(page["slider_value"], "0.3");
    assert_eq!(page["saw_first_estimate"], true, "a first estimate shows before the refined one");
    assert!(page["baseline_headline"].as_str().unwrap().contains("As the case stands"), "{page}");
    assert_eq!(page["charts"], 2, "the survival and cause charts");
    assert_eq!(page["narrow_overflow"], 0, "at 390 px the page does not scroll sideways");
    assert!(page["error_text"].as_str().unwrap().contains("expected a number from 0 to 1"), "{page}");
    for f in ["serve-1280.png", "serve-390.png"] {
        assert!(shots.join(f).is_file(), "{f}");
    }

    // The command the page shows, run here: its comparison.json holds the page's numbers.
    let command = page["command"].as_str().unwrap();
    assert!(command.starts_with("collabsim compare scenarios/cs1-merged-it.toml --replicates 1000 "), "{command}");
    assert!(command.contains("--variant collaboration.transparency=0.3 --out "), "{command}");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cmp");
    let mut args: Vec<&str> = command.split(' ').skip(1).collect();
    args.truncate(args.iter().position(|a| *a == "--out").unwrap());
    args.extend(["--out", out.to_str().unwrap(), "--quiet"]);
    ok(&args);
    let cmp: Value = serde_json::from_slice(&std::fs::read(out.join("comparison.json")).unwrap()).unwrap();
    let (base, variant) = (&cmp["baseline"], &cmp["variants"][0]["arm"]);
    let diff = &cmp["variants"][0]["versus_baseline"];
    let row = |key: &str| {
        page["numbers"].as_array().unwrap().iter().find(|r| r["key"] == key).unwrap_or_else(|| panic!("no row {key}"))
            ["cells"]
            .clone()
    };
    let value = |cell: &Value| cell["value"].as_str().map(|v| v.parse::<f64>().unwrap());
    let mut checked = 0;
    for (year, s) in base["survival_at_years"].as_object().unwrap() {
        let cells = row(&format!("survival-{year}"));
        assert_eq!(value(&cells[0]), s.as_f64(), "baseline survival at {year}");
        assert_eq!(value(&cells[1]), variant["survival_at_years"][year].as_f64(), "variant survival at {year}");
        assert_eq!(
            cells[0]["text"].as_str().unwrap(),
            collabsim::output::report::pct(s.as_f64().unwrap()),
            "shown as the report shows it"
        );
        checked += 1;
    }
    assert_eq!(checked, 4, "survival at 1, 2, 5 and 10 years");
    let rmst = row("rmst");
    assert_eq!(value(&rmst[0]), base["rmst_years"].as_f64());
    assert_eq!(value(&rmst[1]), variant["rmst_years"].as_f64());
    assert_eq!(value(&rmst[2]), diff["rmst_difference_years"]["estimate"].as_f64());
    let median = row("median");
    assert_eq!(value(&median[0]), base["median_years"].as_f64());
    assert_eq!(value(&median[1]), variant["median_years"].as_f64());
    assert_eq!(value(&median[2]), diff["median_difference_years"].as_f64());
    for c in page["causes"].as_array().unwrap() {
        let rec = diff["causes"].as_array().unwrap().iter().find(|r| r["cause"] == c["cause"]).unwrap();
        assert_eq!(value(&c["cells"][0]), rec["cumulative_incidence_at_horizon"][0].as_f64(), "{c}");
        assert_eq!(value(&c["cells"][1]), rec["cumulative_incidence_at_horizon"][1].as_f64(), "{c}");
    }

    // The download: report.html and manifest.json; the report is the one the manifest
    // records, it is the same report the command writes, and reproduce re-runs it exactly.
    let dl = shots.join("download");
    assert_eq!(page["downloads"], serde_json::json!(["report.html", "manifest.json"]));
    let manifest: Value = serde_json::from_slice(&std::fs::read(dl.join("manifest.json")).unwrap()).unwrap();
    let recorded: Vec<&str> = manifest["command"].as_array().unwrap().iter().map(|w| w.as_str().unwrap()).collect();
    assert_eq!(recorded.join(" "), command, "the manifest records the command the page shows");
    let report = std::fs::read(dl.join("report.html")).unwrap();
    assert_eq!(manifest["files"]["report.html"], sha256(&report));
    let o = ok(&["reproduce", dl.join("manifest.json").to_str().unwrap()]);
    assert!(text(&o.stdout).contains("files are byte-identical"), "{}", text(&o.stdout));
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}
