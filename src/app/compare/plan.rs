//! What a comparison will run, before anything runs: its arms (the baseline, one variant or
//! a ladder of them from `--vary KEY=V1,V2,...`), each with its overrides, folder and labels,
//! every arm on the baseline's seed and replicates (common random numbers); the default
//! output folder named by the overrides; and the refusal to replace a previous result.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use sha2::{Digest, Sha256};

use super::CompareRequest;
use crate::scenario::{self, Scenario};

/// One arm to run: its scenario (with every override applied), where it goes and what it
/// is called.
pub struct ArmPlan {
    pub scenario: Scenario,
    /// Its folder inside the comparison: `baseline`, `variant`, or `variant-1`, `variant-2`...
    pub folder: String,
    /// Short name in charts, tables and the terminal.
    pub label: String,
    /// The full description on the arm's own report and manifest: role, scenario and overrides.
    pub title: String,
}

/// A ladder: one parameter and the values its variant arms take, in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Ladder {
    pub key: String,
    pub values: Vec<String>,
}

/// The whole plan: the baseline first, then the variants.
pub struct Plan {
    pub arms: Vec<ArmPlan>,
    pub ladder: Option<Ladder>,
}

/// Run keys an arm may not change: every arm runs on the baseline's seed and replicates.
const SHARED_RUN_KEYS: [&str; 2] = ["seed", "replicates"];

/// Reads `--vary KEY=V1,V2,...` into a ladder, or says what is wrong with it.
pub fn parse_ladder(arg: &str) -> anyhow::Result<Ladder> {
    let example = "e.g. --vary leadership.turnover_per_year=0.1,0.3,0.6";
    let Some((key, values)) = arg.split_once('=') else {
        bail!("--vary {arg}: expected KEY.PATH=VALUE1,VALUE2,... ({example})");
    };
    let key = key.trim();
    if key.is_empty() || key.split('.').any(str::is_empty) {
        bail!("--vary {arg}: the key must be a dotted parameter path ({example})");
    }
    let values: Vec<String> = split_values(values).into_iter().map(|v| v.trim().to_string()).collect();
    if values.iter().all(String::is_empty) {
        bail!("--vary {arg}: no values; give at least one value after `=` ({example})");
    }
    if let Some(i) = values.iter().position(String::is_empty) {
        bail!(
            "--vary {arg}: value {} of {} is empty; separate values with single commas ({example})",
            i + 1,
            values.len()
        );
    }
    for (i, v) in values.iter().enumerate() {
        if values[..i].contains(v) {
            bail!("--vary {arg}: the value {v} appears twice; each arm of a ladder needs its own value");
        }
    }
    Ok(Ladder { key: key.to_string(), values })
}

/// Splits on commas outside brackets and quotes, so that a list value (`[1, 2]`) or a
/// quoted text stays one value.
fn split_values(s: &str) -> Vec<&str> {
    let (mut depth, mut quote, mut start, mut out) = (0i32, None, 0, Vec::new());
    for (i, c) in s.char_indices() {
        match (c, quote) {
            ('"' | '\'', None) => quote = Some(c),
            (c, Some(q)) if c == q => quote = None,
            ('[', None) => depth += 1,
            (']', None) => depth -= 1,
            (',', None) if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

fn key_of(arg: &str) -> &str {
    arg.split_once('=').map_or(arg, |(k, _)| k).trim()
}

/// Checks the request's flags together and loads every arm's scenario.
pub fn plan(req: &CompareRequest) -> anyhow::Result<Plan> {
    let ladder = req.vary.as_deref().map(parse_ladder).transpose()?;
    if req.variant.is_empty() && req.against.is_none() && ladder.is_none() {
        bail!(
            "nothing to compare: give the variant's changes with --variant KEY.PATH=VALUE (e.g. --variant leadership.turnover_per_year=0.33), a ladder with --vary KEY.PATH=V1,V2,... or a second scenario with --against FILE"
        );
    }
    if let Some(l) = &ladder {
        if req.against.is_some() {
            bail!(
                "--vary and --against cannot be combined: every arm of a ladder is the baseline file with one value of {}, so that the differences are that value's doing; with --against each arm would also carry the other file's differences. Make the other file the baseline (collabsim compare {} --vary ...), or compare the two files without --vary",
                l.key,
                req.against.as_ref().map_or(String::new(), |p| p.display().to_string())
            );
        }
        if req.variant_name.is_some() {
            bail!("--variant-name names a single variant; the arms of a ladder are named by their value of {}", l.key);
        }
        if let Some(v) = req.variant.iter().find(|v| key_of(v) == l.key) {
            bail!("--variant {v} sets {}, which --vary steps through; drop one of them", l.key);
        }
    }
    for v in req.variant.iter().map(|v| key_of(v)).chain(ladder.as_ref().map(|l| l.key.as_str())) {
        if SHARED_RUN_KEYS.contains(&v) {
            bail!(
                "a variant cannot change `{v}`: every arm runs on the baseline's seed and replicates (common random numbers); set them for all arms with --seed and --replicates"
            );
        }
    }
    let baseline = baseline(req)?;
    let base = &baseline.scenario;
    let shared_sets = shared_sets(req);
    // Every variant: the shared overrides, its own changes, then the baseline's seed and
    // replicate count (common random numbers).
    let variant_file = req.against.as_deref().unwrap_or(&req.scenario);
    let changes: Vec<Vec<String>> = match &ladder {
        None => vec![req.variant.clone()],
        Some(l) => l
            .values
            .iter()
            .map(|v| std::iter::once(format!("{}={v}", l.key)).chain(req.variant.iter().cloned()).collect())
            .collect(),
    };
    let n = changes.len();
    let mut arms = Vec::with_capacity(n + 1);
    for (i, own) in changes.into_iter().enumerate() {
        let mut over = req.shared.clone();
        over.extend(own.iter().cloned());
        over.push(format!("seed={}", base.spec.run.seed));
        over.push(format!("replicates={}", base.spec.run.replicates));
        let sc = scenario::load(variant_file, &over).with_context(|| match &ladder {
            Some(l) => format!("--vary {}: the value {} (arm {} of {n}) is not valid", l.key, l.values[i], i + 1),
            None => "the variant is not valid".to_string(),
        })?;
        let (folder, role) = if n == 1 {
            ("variant".to_string(), "variant".to_string())
        } else {
            (format!("variant-{}", i + 1), format!("variant {} of {n}", i + 1))
        };
        let label = match (&req.variant_name, &req.against, &ladder) {
            (Some(name), _, _) => name.clone(),
            (None, _, Some(l)) => format!("{}={}", l.key, l.values[i]),
            (None, Some(_), None) => {
                let name = if sc.spec.run.name != base.spec.run.name {
                    sc.spec.run.name.clone()
                } else {
                    format!("{} (variant)", sc.spec.run.name)
                };
                described(&name, &own)
            }
            (None, None, None) => own.join(", "),
        };
        let mut all = shared_sets.clone();
        all.extend(own.iter().cloned());
        let title = format!("{role}: {}", described(&sc.spec.run.name, &all));
        let title = match &req.variant_name {
            Some(name) => format!("{role}: {name} ({})", described(&sc.spec.run.name, &all)),
            None => title,
        };
        arms.push(ArmPlan { scenario: sc, folder, label, title });
    }
    arms.insert(0, baseline);
    Ok(Plan { arms, ladder })
}

/// The baseline arm of `req`: its file with the shared overrides, named by
/// `--baseline-name` or by the scenario's name and the shared settings. `plan` starts from
/// it; `serve` runs it alone until a lever moves.
pub fn baseline(req: &CompareRequest) -> anyhow::Result<ArmPlan> {
    let base = scenario::load(&req.scenario, &req.shared)?;
    let shared_sets = shared_sets(req);
    let label = req.baseline_name.clone().unwrap_or_else(|| described(&base.spec.run.name, &shared_sets));
    let title = match &req.baseline_name {
        Some(n) => format!("baseline: {n} ({})", described(&base.spec.run.name, &shared_sets)),
        None => format!("baseline: {label}"),
    };
    Ok(ArmPlan { scenario: base, folder: "baseline".into(), label, title })
}

/// The shared overrides that are settings, not the run keys every arm shares anyway.
fn shared_sets(req: &CompareRequest) -> Vec<String> {
    req.shared.iter().filter(|o| !SHARED_RUN_KEYS.contains(&key_of(o))).cloned().collect()
}

/// `name`, or `name with a=1, b=2`.
fn described(name: &str, overrides: &[String]) -> String {
    if overrides.is_empty() { name.to_string() } else { format!("{name} with {}", overrides.join(", ")) }
}

/// Longest folder slug kept whole; longer ones are cut and end with a hash of the whole,
/// so that two different comparisons never share a default folder.
const MAX_SLUG: usize = 60;

/// A folder-name slug of overrides: `leadership.turnover_per_year=0.33` as
/// `turnover_per_year-0.33` (the last part of the key), joined by `-`; only letters,
/// digits, `.`, `_` and `-`, no leading dot, at most about 70 characters.
pub fn slug(overrides: &[String]) -> String {
    let words: Vec<String> = overrides
        .iter()
        .map(|o| {
            let (k, v) = o.split_once('=').unwrap_or((o, ""));
            let short = k.trim().rsplit('.').next().unwrap_or(k);
            format!("{short}-{}", v.trim())
        })
        .collect();
    let raw = words.join("-");
    let mut s = String::new();
    for c in raw.chars() {
        let c = if c.is_ascii_alphanumeric() || "._".contains(c) { c } else { '-' };
        if !(c == '-' && (s.is_empty() || s.ends_with('-'))) {
            s.push(c);
        }
    }
    let s = s.trim_matches(|c| c == '-' || c == '.').to_string();
    if s.len() <= MAX_SLUG {
        return s;
    }
    let hash: String = Sha256::digest(raw.as_bytes()).iter().take(4).map(|b| format!("{b:02x}")).collect();
    format!("{}-{hash}", s[..MAX_SLUG].trim_end_matches(['-', '.']))
}

/// The default folder: `outputs/<stem>[-with-<shared --set>]-what-if-<variant>` for
/// overrides, `-ladder-<key>-<values>` for a ladder, `<a>-vs-<b>[-<variant>]` for two files.
pub fn default_out(req: &CompareRequest, plan: &Plan) -> PathBuf {
    let base = &plan.arms[0].scenario;
    let sets: Vec<String> =
        req.shared.iter().filter(|o| !["seed", "replicates", "years"].contains(&key_of(o))).cloned().collect();
    let mut name = base.stem();
    if !sets.is_empty() {
        name = format!("{name}-with-{}", slug(&sets));
    }
    let variant = slug(&req.variant);
    name = match (&req.against, &plan.ladder) {
        (Some(_), _) => {
            let other = plan.arms[1].scenario.stem();
            if variant.is_empty() { format!("{name}-vs-{other}") } else { format!("{name}-vs-{other}-{variant}") }
        }
        (None, Some(l)) => {
            let key = l.key.rsplit('.').next().unwrap_or(&l.key);
            let ladder = slug(&[format!("{key}={}", l.values.join("-"))]);
            if variant.is_empty() {
                format!("{name}-ladder-{ladder}")
            } else {
                format!("{name}-ladder-{ladder}-{variant}")
            }
        }
        (None, None) => format!("{name}-what-if-{variant}"),
    };
    PathBuf::from("outputs").join(name)
}

/// Refuses to write into a folder that already holds something, unless `force`: a second
/// comparison must not silently replace the first.
pub fn check_out(out: &Path, force: bool) -> anyhow::Result<()> {
    let occupied = std::fs::read_dir(out).is_ok_and(|mut d| d.next().is_some());
    if occupied && !force {
        bail!(
            "{} already holds files (a previous result?); nothing was run. Give another folder with --out DIR, or pass --force to replace what is there",
            out.display()
        );
    }
    if out.is_file() {
        bail!("{} is a file; --out needs a folder", out.display());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ladders_split_on_commas_outside_lists_and_refuse_what_cannot_be_an_arm() {
        let l = parse_ladder("leadership.turnover_per_year=0.1, 0.3,0.6").unwrap();
        assert_eq!(
            (l.key.as_str(), l.values.as_slice()),
            ("leadership.turnover_per_year", &["0.1", "0.3", "0.6"].map(String::from)[..])
        );
        assert_eq!(parse_ladder("a.b=[1, 2],[3,4]").unwrap().values, ["[1, 2]", "[3,4]"]);
        assert_eq!(parse_ladder("a.b=\"x,y\",z").unwrap().values, ["\"x,y\"", "z"]);
        for (bad, says) in [
            ("leadership.turnover_per_year", "expected KEY.PATH=VALUE1,VALUE2"),
            ("leadership.turnover_per_year=", "no values"),
            ("leadership.turnover_per_year=0.1,,0.3", "value 2 of 3 is empty"),
            ("=0.1", "dotted parameter path"),
            ("a..b=1", "dotted parameter path"),
            ("a.b=1,2,1", "the value 1 appears twice"),
        ] {
            let e = parse_ladder(bad).unwrap_err().to_string();
            assert!(e.contains(says), "{bad}: {e}");
        }
    }

    #[test]
    fn slugs_are_readable_safe_and_distinct_when_cut() {
        assert_eq!(slug(&["leadership.turnover_per_year=0.33".into()]), "turnover_per_year-0.33");
        assert_eq!(
            slug(&["a.b=\"x y/z\"".into(), "collaboration.strategy_document=false".into()]),
            "b-x-y-z-strategy_document-false"
        );
        assert_eq!(slug(&["organizations.PF2.staff=../..".into()]), "staff", "no leading or trailing dots or dashes");
        let long = |v: &str| {
            vec![
                format!("organizations.PF2.participation={v}"),
                "a.very_long_parameter_name_indeed=0.123456789".into(),
                "b.another_long_parameter_name=0.987654321".into(),
            ]
        };
        let (x, y) = (slug(&long("0.1")), slug(&long("0.2")));
        assert!(x.len() <= MAX_SLUG + 9 && y.len() <= MAX_SLUG + 9, "{x}");
        assert_ne!(x, y, "cut slugs keep a hash of the whole");
        assert!(x.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)), "{x}");
        assert!(!slug(&[".hidden=1".into()]).starts_with('.'));
    }
}
