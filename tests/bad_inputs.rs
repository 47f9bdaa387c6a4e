//! Every mistake a person can make in a scenario gets a clear, located error and never a
//! panic: the broken files in tests/fixtures/bad/ each with the error text expected, files
//! that are not scenarios at all, and a property test that mutates the shipped scenarios at
//! random and feeds them to the parser and validator.

use std::path::{Path, PathBuf};
use std::process::Command;

use proptest::prelude::*;

fn validate(path: &Path) -> (bool, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_collabsim"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("validate")
        .arg(path)
        .output()
        .expect("collabsim runs");
    (o.status.success(), String::from_utf8_lossy(&o.stderr).into_owned())
}

/// Each broken file and a piece of the message it must produce (file:line:col, the key, what
/// was found and what is allowed).
const EXPECTED: [(&str, &str); 32] = [
    ("01-not-toml", "01-not-toml.toml:1:6: not valid TOML: key with no value, expected `=`"),
    ("02-unclosed-table", "02-unclosed-table.toml:1:15: not valid TOML: unclosed table, expected `]`"),
    ("03-duplicate-key", "03-duplicate-key.toml:7:1: not valid TOML: duplicate key"),
    ("04-unknown-top-key", "04-unknown-top-key.toml:1:1: key `replicats`: unknown key; did you mean `replicates`?"),
    (
        "05-unknown-nested-key",
        ":6:1: key `collaboration.transparancy`: unknown key; did you mean `collaboration.transparency`?",
    ),
    (
        "06-wrong-type-string",
        ":6:1: key `collaboration.transparency`: invalid type: string \"high\", expected a number",
    ),
    ("07-probability-above-one", ":6:1: key `collaboration.transparency`: found 1.5, expected a number from 0 to 1"),
    ("08-negative-rate", ":6:1: key `leadership.turnover_per_year`: found -0.2, expected a number from 0 to 52"),
    ("09-zero-staff", ":2:1: key `organizations.A.staff`: found 0, expected a whole number from 1 to 2000000"),
    ("10-one-organization", "key `organizations`: found 1 organization(s), a collaboration needs at least 2"),
    ("11-no-organizations", "key `organizations`: found 0 organization(s)"),
    (
        "12-lead-partner-unknown",
        ":6:1: key `collaboration.lead_partner`: found \"C\", expected one of the organizations: \"A\", \"B\"",
    ),
    ("13-shares-do-not-sum", "cost_share`: the shares sum to 1.4000, they must sum to 1 (within 0.001)"),
    (
        "14-go-live-beyond-horizon",
        ":7:22: key `project.go_live_weeks[1]`: found week 200, expected a week from 1 to the horizon (104)",
    ),
    ("15-billions-of-agents", "4000000030 staff in all; at most 2000000 agents are supported"),
    (
        "16-too-many-replicates",
        ":1:1: key `replicates`: found 100000000000, expected a whole number from 1 to 10000000",
    ),
    (
        "17-too-many-years",
        ":1:1: key `years`: found 100000, expected a horizon from one week (0.02 years) to 200 years",
    ),
    ("18-norm-length-mismatch", ":6:1: key `organizations.B.norms`: found 2 components, expected 3"),
    (
        "19-posts-above-staff",
        ":7:1: key `collaboration.posts`: found 500, expected from 1 to the 70 staff who re-apply",
    ),
    (
        "20-unknown-selection",
        ":6:1: key `collaboration.selection`: found \"lottery\", expected one of \"re-apply\", \"transfer-all\"",
    ),
    (
        "21-negative-savings",
        ":7:1: key `savings.items[0].annual_gbp`: found -5, expected a finite number of at least 0",
    ),
    ("22-seed-negative", ":1:1: key `seed`: invalid value: integer `-1`, expected a whole number of 0 or more"),
    ("23-years-zero", ":1:1: key `years`: found 0, expected a horizon from one week"),
    ("24-nan-value", ":6:1: key `collaboration.transparency`: found NaN, expected a number from 0 to 1"),
    ("25-array-for-number", ":6:1: key `collaboration.transparency`: invalid type: a list, expected a number"),
    (
        "26-incident-week-beyond",
        ":7:20: key `incidents.scheduled_weeks[0]`: found week 60, expected a week from 1 to the horizon (52)",
    ),
    ("27-organizations-not-table", ":1:1: key `organizations`: invalid type: integer `5`, expected a table"),
    (
        "28-staff-float",
        ":2:1: key `organizations.A.staff`: invalid type: number `40.5`, expected a whole number of 0 or more",
    ),
    ("29-several-problems-at-once", "29-several-problems-at-once.toml: 3 problems"),
    ("30-empty", "30-empty.toml: the file is empty; a scenario needs at least two [organizations.NAME] tables"),
    ("31-duplicate-organization", "31-duplicate-organization.toml:5:16: not valid TOML: duplicate key"),
    ("32-five-problems-two-of-type", "32-five-problems-two-of-type.toml: 5 problems"),
];

fn bad_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad")
}

#[test]
fn every_broken_fixture_gets_its_expected_error_and_no_panic() {
    let mut files: Vec<String> = std::fs::read_dir(bad_dir())
        .unwrap()
        .map(|e| e.unwrap().path().file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let listed: Vec<&str> = EXPECTED.iter().map(|(f, _)| *f).collect();
    assert_eq!(files, listed, "every fixture has an expectation and every expectation a fixture");
    for (name, want) in EXPECTED {
        let (ok, err) = validate(&bad_dir().join(format!("{name}.toml")));
        assert!(!ok, "{name} should be refused");
        assert!(err.starts_with("error: "), "{name}: {err}");
        assert!(err.contains(want), "{name}:\n  got:  {err}\n  want: {want}");
        assert!(!err.contains("panicked") && !err.contains("RUST_BACKTRACE"), "{name}: {err}");
    }
    // Several problems are all reported, each on its own line.
    let (_, err) = validate(&bad_dir().join("29-several-problems-at-once.toml"));
    assert_eq!(err.lines().count(), 4, "{err}");
    // Type errors do not stop the others: five mistakes, five lines after the count, in
    // file order.
    let (_, err) = validate(&bad_dir().join("32-five-problems-two-of-type.toml"));
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 6, "{err}");
    for (line, want) in lines[1..].iter().zip([
        ":8:1: key `collaboration.transparency`: invalid type: string \"medium\", expected a number",
        ":9:1: key `collaboration.strategy_document`: invalid type: string \"yes\", expected true or false",
        ":10:1: key `collaboration.overload`: unknown key; did you mean `project.overload`?",
        ":12:1: key `project.go_live_weeks`: invalid type: integer `52`, expected a list [ ... ]",
        ":14:1: key `leadership.turnover_per_year`: found -1, expected a number from 0 to 52",
    ]) {
        assert!(line.contains(want), "got:  {line}\nwant: {want}");
    }
}

#[test]
fn things_that_are_not_scenarios_get_one_line() {
    let tmp = tempfile::tempdir().unwrap();
    let big = tmp.path().join("big.toml");
    std::fs::write(&big, vec![b'#'; 10 << 20]).unwrap();
    let binary = tmp.path().join("binary.toml");
    std::fs::write(&binary, [0x66, 0x6f, 0xff, 0xfe, 0x0a, 0x00]).unwrap();
    let cases: [(PathBuf, &str); 4] = [
        (tmp.path().join("missing.toml"), "missing.toml: no such file"),
        (tmp.path().to_path_buf(), "is a directory; expected a scenario .toml file"),
        (big, "file is 10.5 MB; scenario files may be at most 1024 KB"),
        (binary, "not valid UTF-8 (line 1)"),
    ];
    for (path, want) in cases {
        let (ok, err) = validate(&path);
        assert!(!ok);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(want), "{err}");
    }
}

/// The shipped scenarios, as mutation seeds.
fn shipped() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut v: Vec<_> =
        std::fs::read_dir(dir).unwrap().map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap()).collect();
    v.sort();
    v
}

/// A random edit of a text: delete a span, insert a token, replace a span, or duplicate a line.
fn mutate(text: &str, kind: u8, at: usize, len: usize, token: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let at = at % (chars.len() + 1);
    let end = (at + len).min(chars.len());
    let (head, tail): (String, String) = (chars[..at].iter().collect(), chars[end..].iter().collect());
    let mid: String = chars[at..end].iter().collect();
    match kind % 4 {
        0 => format!("{head}{tail}"),
        1 => format!("{head}{token}{mid}{tail}"),
        2 => format!("{head}{token}{tail}"),
        _ => {
            let line = text.lines().nth(at % text.lines().count().max(1)).unwrap_or("");
            format!("{text}\n{line}\n")
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    /// No input makes the parser or the validator panic: each mutation of a shipped scenario
    /// is either accepted or refused with at least one diagnostic.
    #[test]
    fn mutated_scenarios_never_panic(
        which in 0usize..5,
        edits in proptest::collection::vec((any::<u8>(), any::<usize>(), 0usize..40,
            prop_oneof![Just("".to_string()), Just("=".to_string()), Just("[".to_string()), Just("]]".to_string()),
                Just("\"".to_string()), Just("-1e309".to_string()), Just("nan".to_string()), Just("\n[organizations.X]\n".to_string()),
                Just("9999999999999999999".to_string()), Just("[[savings.items]]\n".to_string()), Just("{ a = 1 }".to_string()),
                "[ -~]{0,8}", "\\PC{0,4}"]), 1..4),
    ) {
        let texts = shipped();
        let mut text = texts[which % texts.len()].clone();
        for (kind, at, len, token) in &edits {
            text = mutate(&text, *kind, *at, *len, token);
        }
        match collabsim::scenario::parse_str(Path::new("mutated.toml"), &text, &[]) {
            Ok(_) => {}
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    /// Overrides are as free-form as files: arbitrary `--set` text never panics, and a
    /// refused override is blamed on itself: the message names the argument, or (for a
    /// problem the file and the override share) the key it set.
    #[test]
    fn arbitrary_overrides_never_panic_and_are_blamed(key in "[a-z_.\\[\\]0-9]{0,30}", value in "\\PC{0,12}") {
        let text = &shipped()[0];
        let arg = format!("{key}={value}");
        match collabsim::scenario::parse_str(Path::new("s.toml"), text, std::slice::from_ref(&arg)) {
            Ok(spec) => prop_assert!(!spec.params.org_names.is_empty()),
            Err(e) => {
                let msg = e.to_string();
                prop_assert!(!msg.is_empty());
                let blamed = e.diagnostics().iter().any(|d| d.from_override.as_deref() == Some(arg.as_str()));
                prop_assert!(blamed || msg.contains(&format!("--set {arg}")), "{arg}: {msg}");
            }
        }
    }
}
