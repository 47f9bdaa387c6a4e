//! The files that cross boundaries are typed: summary.json, comparison.json and
//! manifest.json read back into their structs and write out to the same bytes, so no
//! reader needs to index JSON by key. Checked on the committed examples.

use std::path::Path;

use collabsim::app::manifest::{Inputs, Manifest};
use collabsim::output::Summary;
use collabsim::output::comparison::ComparisonRecord;

fn examples() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("outputs/examples")
}

fn pretty<T: serde::Serialize>(v: &T) -> Vec<u8> {
    let mut b = serde_json::to_vec_pretty(v).unwrap();
    b.push(b'\n');
    b
}

#[test]
fn summaries_read_back_as_types_and_write_the_same_bytes() {
    for dir in
        ["cs1-merged-it", "cs2-colocated-control", "cs1-turnover-strategy/baseline", "cs1-turnover-strategy/variant"]
    {
        let path = examples().join(dir).join("summary.json");
        let Ok(bytes) = std::fs::read(&path) else {
            assert!(dir.contains('/'), "{} is missing", path.display());
            continue;
        };
        let s: Summary = serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(s.to_json(), bytes, "{}", path.display());
        assert!(s.survival.at_years.y1.is_some());
    }
}

#[test]
fn comparisons_and_manifests_read_back_as_types() {
    let cmp_path = examples().join("cs1-turnover-strategy/comparison.json");
    let bytes = std::fs::read(&cmp_path).unwrap();
    let c: ComparisonRecord = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(pretty(&c), bytes);
    assert_eq!(c.variants.len(), 1);
    let d = &c.variants[0].versus_baseline.parameter_differences;
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].key, "collaboration.strategy_document");

    for (dir, compare) in [("cs1-merged-it", false), ("cs1-turnover-strategy", true)] {
        let path = examples().join(dir).join("manifest.json");
        let bytes = std::fs::read(&path).unwrap();
        let m: Manifest = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(pretty(&m), bytes, "{}", path.display());
        assert_eq!(matches!(m.inputs, Inputs::Compare { .. }), compare);
        assert!(m.files.contains_key("report.html"));
    }
    // A comparison's arms say which arm of which comparison they are.
    let path = examples().join("cs1-turnover-strategy/variant/manifest.json");
    let bytes = std::fs::read(&path).unwrap();
    let m: Manifest = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(pretty(&m), bytes, "{}", path.display());
    let arm = m.arm_of.expect("an arm's manifest records arm_of");
    assert_eq!((arm.role.as_str(), arm.folder.as_str()), ("variant", "variant"));
}
