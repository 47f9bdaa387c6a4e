//! Golden results: the SHA-256 of `runs.csv` for every shipped scenario at its own seed, 100
//! replicates over 4 years. Any change to the model, the random streams or the output format
//! changes a hash; such a change must be made on purpose, with the new hashes here and a line
//! in CHANGELOG.md saying why. (Computed on x86_64 Linux, the platform CI runs on.)

use std::process::Command;

use sha2::{Digest, Sha256};

const GOLDEN: [(&str, &str); 5] = [
    ("cs1-merged-it", "3369192ce4fadcda0ad81c889d6358dbb3a8136ba7007290b310e81fa816100e"),
    ("cs2-colocated-control", "4186f4c2d9891a3f95a22650a956e0e2079bdafd88ffea3091535538bad323da"),
    ("host-exits-benefits-reverse", "4e88140cca784c00812300838aaae94535fd362999c9330d15bebbacd456c9e4"),
    ("hr-no-shared-vision", "696c7d155e8624979031cb909e90f0a917406d6e9422553c728e877126154c3b"),
    ("imposed-national-firecontrol", "ca9afc0703de19dc2fd78ff73400984cb0c5c53ea6b104d815abfd2c06cb5bfb"),
];

#[test]
fn runs_csv_of_every_shipped_scenario_matches_its_golden_hash() {
    let tmp = tempfile::tempdir().unwrap();
    let mut wrong = Vec::new();
    for (name, want) in GOLDEN {
        let out = tmp.path().join(name);
        let o = Command::new(env!("CARGO_BIN_EXE_collabsim"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["run", &format!("scenarios/{name}.toml"), "--replicates", "100", "--years", "4", "--quiet", "--out"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{name}: {}", String::from_utf8_lossy(&o.stderr));
        let got: String =
            Sha256::digest(std::fs::read(out.join("runs.csv")).unwrap()).iter().map(|b| format!("{b:02x}")).collect();
        if got != want {
            wrong.push(format!("{name}: {got}"));
        }
    }
    assert!(wrong.is_empty(), "results changed; if on purpose, update GOLDEN and CHANGELOG.md:\n{}", wrong.join("\n"));
}

#[test]
fn every_shipped_scenario_has_a_golden_hash() {
    let mut files: Vec<String> = std::fs::read_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path().file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, GOLDEN.map(|g| g.0).to_vec());
}
