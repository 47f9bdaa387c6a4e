//! 'Did you mean': the declared key closest to an unknown one, in its own section first and
//! then across sections (`collaboration.overload` -> `project.overload`).

use super::spec::RunParams;
use crate::model::registry::Section;
use crate::model::{ORG_SECTION, SAVINGS_ITEM_SECTION, SECTIONS};

/// How alike two key names are, 0 to 1: Jaro-Winkler, or near 1 when one contains the
/// other (`turnover_per_year` in `leader_turnover_per_year`).
fn similarity(a: &str, b: &str) -> f64 {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let contained =
        if short.len() >= 4 && long.contains(short) { 0.9 + 0.1 * short.len() as f64 / long.len() as f64 } else { 0.0 };
    strsim::jaro_winkler(a, b).max(contained)
}

/// Splits `organizations.X.key`, `savings.items[2].key`, `section.key` and `key` into the
/// section prefix (as written) and the last key.
fn split(key: &str) -> (&str, &str) {
    match key.rfind('.') {
        Some(i) => (&key[..i], &key[i + 1..]),
        None => ("", key),
    }
}

/// Every declared key as (section prefix, key), with the unknown key's own organization
/// name and list index standing in for `<NAME>` and `[]`.
fn candidates(section: &str) -> Vec<(String, &'static str)> {
    let mut v: Vec<(String, &'static str)> = RunParams::SPECS.iter().map(|s| (String::new(), s.key)).collect();
    v.extend(SECTIONS.iter().map(|s| (String::new(), s.prefix)));
    v.push((String::new(), "organizations"));
    for info in &SECTIONS {
        v.extend(info.specs.iter().map(|s| (info.prefix.to_string(), s.key)));
    }
    let org = match section.strip_prefix("organizations.") {
        Some(name) if !name.contains('.') => section.to_string(),
        _ => "organizations.<NAME>".to_string(),
    };
    v.extend(ORG_SECTION.specs.iter().map(|s| (org.clone(), s.key)));
    let item = if section.starts_with("savings.items[") { section.to_string() } else { "savings.items[0]".into() };
    v.extend(SAVINGS_ITEM_SECTION.specs.iter().map(|s| (item.clone(), s.key)));
    v
}

/// The closest declared key to `unknown`, if one is close enough to be a likely typo.
pub fn suggest(unknown: &str) -> Option<String> {
    let (section, leaf) = split(unknown);
    let best = |same: bool| {
        candidates(section)
            .into_iter()
            .filter(|(s, _)| (s == section) == same)
            .map(|(s, k)| (similarity(leaf, k), s, k))
            .fold(None, |acc: Option<(f64, String, &str)>, c| match acc {
                Some(a) if a.0 >= c.0 => Some(a),
                _ => Some(c),
            })
    };
    let (own, other) = (best(true), best(false));
    let pick = match (own, other) {
        (Some(o), _) if o.0 >= 0.85 => o,
        (_, Some(x)) if x.0 >= 0.9 => x,
        (Some(o), _) if o.0 > 0.8 => o,
        _ => return None,
    };
    Some(if pick.1.is_empty() { pick.2.to_string() } else { format!("{}.{}", pick.1, pick.2) })
}

#[cfg(test)]
mod tests {
    use super::suggest;

    #[test]
    fn suggestions_look_in_the_section_first_then_across_sections() {
        for (unknown, want) in [
            ("replicats", Some("replicates")),
            ("colaboration", Some("collaboration")),
            ("vision.initail", Some("vision.initial")),
            ("collaboration.transparancy", Some("collaboration.transparency")),
            ("collaboration.overload", Some("project.overload")),
            ("organizations.X.turnover_per_year", Some("organizations.X.leader_turnover_per_year")),
            ("organizations.PF1.stafff", Some("organizations.PF1.staff")),
            ("savings.items[0].anual_gbp", Some("savings.items[0].annual_gbp")),
            ("leadership.turnover", Some("leadership.turnover_per_year")),
            ("zzz.qqq", None),
            ("wibble", None),
        ] {
            assert_eq!(suggest(unknown).as_deref(), want, "{unknown}");
        }
    }
}
