//! The policy levers of a resolved parameter set: every parameter declared `Lever`, one
//! entry per partner for the per-organization ones, and, from the rules that read them, why
//! a lever would change nothing in this collaboration (no lead partner for participation, no
//! shared vision for meetings to re-state, ...). `collabsim levers` moves each in turn.

use super::params::{Form, ORG_SECTION, Params, SECTIONS};
use super::registry::{Effect, Spec, Value};

/// One lever of a parameter set: its dotted path, its declaration, the partner it belongs
/// to (per-organization levers) and its value in the set.
#[derive(Clone, Debug, PartialEq)]
pub struct Lever {
    pub path: String,
    pub spec: Spec,
    /// The partner's index, for `organizations.<NAME>.*` levers.
    pub org: Option<usize>,
    /// The value as set (`Value::Unset` for an optional one left out).
    pub value: Value,
    /// The value the rules use: for an unset partner turnover, `leadership.turnover_per_year`.
    pub effective: Value,
}

/// Every lever of `p`, in the order of the declarations, partners last in file order.
pub fn levers(p: &Params) -> Vec<Lever> {
    let mut out = Vec::new();
    for (info, section) in SECTIONS.iter().zip(p.sections()) {
        for s in info.specs.iter().filter(|s| s.effect == Effect::Lever) {
            let value = section.value(s.key).unwrap_or(Value::Unset);
            out.push(Lever {
                path: format!("{}.{}", info.prefix, s.key),
                spec: *s,
                org: None,
                effective: value.clone(),
                value,
            });
        }
    }
    for (o, (name, org)) in p.org_names.iter().zip(&p.organizations).enumerate() {
        for s in ORG_SECTION.specs.iter().filter(|s| s.effect == Effect::Lever) {
            let value = super::registry::Section::get(org, s.key).unwrap_or(Value::Unset);
            let effective = match (s.key, &value) {
                ("leader_turnover_per_year", Value::Unset) => {
                    Value::Number(p.derived.leader_turnover_per_year.get(o).copied().unwrap_or(0.0))
                }
                _ => value.clone(),
            };
            out.push(Lever {
                path: format!("organizations.{name}.{}", s.key),
                spec: *s,
                org: Some(o),
                value,
                effective,
            });
        }
    }
    out
}

/// Why moving `lever` would change nothing under `p`, from the rules that read it; `None`
/// if it acts.
pub fn inert_reason(lever: &Lever, p: &Params) -> Option<String> {
    let key = lever.spec.key;
    match (lever.org, key) {
        (Some(o), "participation") => match p.derived.lead_partner {
            None => Some("there is no lead partner, and participation acts only on a non-lead partner (7.13)".into()),
            Some(l) if l == o => Some(format!(
                "{} is the lead partner, and participation acts only on a non-lead partner (7.13)",
                p.org_names[o]
            )),
            _ if p.collaboration.nonlead_disengagement == 0.0 => {
                Some("`collaboration.nonlead_disengagement` is 0, so participation changes nothing (7.13)".into())
            }
            _ => None,
        },
        (None, "turnover_per_year") if p.organizations.iter().all(|o| o.leader_turnover_per_year.is_some()) => {
            Some("every partner sets its own `leader_turnover_per_year`, so this one is not read".into())
        }
        (None, "shared_resources") if p.collaboration.form == Form::Virtual => Some(
            "the partners work on separate sites (`collaboration.form = \"virtual\"`) and share nothing (7.5)".into(),
        ),
        (None, "shared_resources") if p.culture.friction_rate == 0.0 => {
            Some("`culture.friction_rate` is 0, so contention causes no friction (7.5)".into())
        }
        (None, "meetings_per_month" | "two_way") if !p.vision.defined => {
            Some("there is no shared vision (`vision.defined = false`) for meetings to re-state (7.7)".into())
        }
        (None, "two_way") if p.communication.meetings_per_month == 0.0 => {
            Some("there are no meetings (`communication.meetings_per_month = 0`) to run one way or two (7.7)".into())
        }
        (None, "per_year") if lever.path == "gatherings.per_year" && p.gatherings.attendance == 0.0 => {
            Some("nobody attends gatherings (`gatherings.attendance = 0`) (7.6)".into())
        }
        (None, "hiring_delay_weeks") if !p.staff.replace_leavers => {
            Some("leavers are not replaced (`staff.replace_leavers = false`), so no post is refilled (7.9)".into())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::registry::Kind;

    /// Every numeric lever declares a plausible range inside its allowed values, with its
    /// low end below its high end; boolean and choice levers and every other parameter
    /// declare none.
    #[test]
    fn every_numeric_lever_declares_a_plausible_range_within_its_allowed_values() {
        let all = SECTIONS.iter().chain([&ORG_SECTION]).flat_map(|i| i.specs.iter());
        let mut numeric_levers = 0;
        for s in all {
            let numeric = matches!(s.kind, Kind::Number | Kind::Count { .. });
            match (s.effect, s.plausible) {
                (Effect::Lever, Some((lo, hi))) if numeric => {
                    numeric_levers += 1;
                    assert!(lo < hi, "{}: plausible {lo} to {hi}", s.key);
                    if let crate::model::registry::Range::Closed(a, b) = s.range {
                        assert!(a <= lo && hi <= b, "{}: plausible {lo}..{hi} outside {a}..{b}", s.key);
                    }
                }
                (Effect::Lever, None) => assert!(!numeric, "{}: a numeric lever needs a plausible range", s.key),
                (_, None) => {}
                (e, Some(_)) => panic!("{}: a plausible range on a {e:?} parameter", s.key),
            }
        }
        assert!(numeric_levers >= 3);
    }

    #[test]
    fn per_partner_levers_come_once_per_partner_and_inherit_the_shared_turnover() {
        let mut p = Params {
            org_names: vec!["A".into(), "B".into()],
            organizations: vec![Default::default(), Default::default()],
            ..Default::default()
        };
        p.organizations[1].leader_turnover_per_year = Some(0.5);
        p.derive();
        let ls = levers(&p);
        let find = |path: &str| ls.iter().find(|l| l.path == path).unwrap_or_else(|| panic!("{path}"));
        for named in ["leadership.turnover_per_year", "collaboration.transparency", "project.overload"] {
            find(named);
        }
        assert_eq!(find("organizations.A.leader_turnover_per_year").effective, Value::Number(0.27));
        assert_eq!(find("organizations.A.leader_turnover_per_year").value, Value::Unset);
        assert_eq!(find("organizations.B.leader_turnover_per_year").effective, Value::Number(0.5));
        assert_eq!(ls.iter().filter(|l| l.spec.key == "participation").count(), 2);
        // No lead partner: participation is inert for both.
        assert!(inert_reason(find("organizations.A.participation"), &p).is_some());
        p.collaboration.lead_partner = Some(crate::model::registry::OrgName("A".into()));
        p.derive();
        assert!(inert_reason(find("organizations.A.participation"), &p).unwrap().contains("lead partner"));
        assert_eq!(inert_reason(find("organizations.B.participation"), &p), None);
        assert_eq!(inert_reason(find("leadership.turnover_per_year"), &p), None);
        p.organizations[0].leader_turnover_per_year = Some(0.2);
        assert!(inert_reason(find("leadership.turnover_per_year"), &p).is_some());
        p.staff.replace_leavers = false;
        assert!(inert_reason(find("staff.hiring_delay_weeks"), &p).is_some());
    }
}
