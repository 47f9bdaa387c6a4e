//! Golden results: the SHA-256 of `runs.csv` for every shipped scenario at its own seed, 100
//! replicates over 4 years. Any change to the model, the random streams or the output format
//! changes a hash; such a change must be made on purpose, with the new hashes here and a line
//! in CHANGELOG.md saying why. (Computed on x86_64 Linux, the platform CI runs on.)

use std::process::Command;

use sha2::{Digest, Sha256};

const GOLDEN: [(&str, &str); 5] = [
    ("cs1-merged-it", "1db3212bd77ca0139e73e7cad4719cd580286762a4366af881a1ffe813c70086"),
    ("cs2-colocated-control", "9f72254283c4b62ff67697362655c72165ada84a592bc01c5ec1d7ecc8bd14a2"),
    ("host-exits-benefits-reverse", "e54f66e7e57e517f231164274a092d04250d4aab789008cf61868a3468d0583e"),
    ("hr-no-shared-vision", "50a0d5b3ba050401291e66c66986a1011a0c1c3c93e23e5ae91bd1bea2883444"),
    ("imposed-national-firecontrol", "55050362c86a1766b75a4a68c9f8149d2c77e0395044621b7bb339924acd1eb0"),
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
