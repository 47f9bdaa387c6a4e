//! Checks that involve more than one parameter (each parameter's own kind and range are
//! checked from its declaration in `resolve`): the partners, their norms and shares, the
//! lead partner, posts against selection, and two sums that keep states in range. A check
//! whose inputs already failed their own checks is skipped, so each mistake is told once.

use super::error::Diagnostic;
use crate::model::{CulturePolicy, MAX_AGENTS, MAX_NORM_DIMS, MAX_ORGS, Params, Selection};

/// Shares must sum to 1 within this tolerance.
pub const SHARE_TOLERANCE: f64 = 1e-3;

pub fn cross_check(p: &Params, diags: &mut Vec<Diagnostic>) {
    let failed = |diags: &[Diagnostic], key: &str| diags.iter().any(|d| d.key == key || d.key.starts_with(key));
    let mut out = Vec::new();
    let mut fail = |key: &str, msg: String| out.push(Diagnostic::new(key, msg));

    let n = p.n_orgs();
    if n < 2 {
        fail(
            "organizations",
            format!("found {n} organization(s), a collaboration needs at least 2 [organizations.NAME] tables"),
        );
    }
    if n > MAX_ORGS {
        fail("organizations", format!("found {n} organizations, at most {MAX_ORGS} are supported"));
    }
    let dims = p.organizations.first().map_or(4, |o| o.norms.len());
    for (name, o) in p.org_names.iter().zip(&p.organizations) {
        if name.is_empty() || !name.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '-') {
            fail(
                &format!("organizations.{name}"),
                "organization names may use only letters, digits, '_' and '-'".into(),
            );
        }
        let key = format!("organizations.{name}.norms");
        if failed(diags, &key) {
            continue;
        }
        if o.norms.is_empty() || o.norms.len() > MAX_NORM_DIMS {
            fail(&key, format!("found {} components, expected 1 to {MAX_NORM_DIMS}", o.norms.len()));
        } else if o.norms.len() != dims {
            fail(&key, format!("found {} components, expected {dims} like the first organization's", o.norms.len()));
        }
    }
    for (what, get) in [
        ("cost_share", (|o| o.cost_share) as fn(&crate::model::OrgParams) -> Option<f64>),
        ("benefit_share", |o| o.benefit_share),
    ] {
        if p.org_names.iter().any(|name| failed(diags, &format!("organizations.{name}.{what}"))) {
            continue;
        }
        let given: Vec<Option<f64>> = p.organizations.iter().map(get).collect();
        let key = format!("organizations.*.{what}");
        if given.iter().any(Option::is_some) && !given.iter().all(Option::is_some) {
            fail(&key, format!("give `{what}` for every organization or for none (none means an equal split)"));
        } else if n >= 2 && given.iter().all(Option::is_some) {
            let sum: f64 = given.iter().flatten().sum();
            if (sum - 1.0).abs() > SHARE_TOLERANCE {
                fail(&key, format!("the shares sum to {sum:.4}, they must sum to 1 (within {SHARE_TOLERANCE})"));
            }
        }
    }
    let total: u64 = p.organizations.iter().map(|o| u64::from(o.staff)).sum();
    if total > MAX_AGENTS {
        fail("organizations", format!("{total} staff in all; at most {MAX_AGENTS} agents are supported"));
    }

    let c = &p.collaboration;
    if let Some(lead) = &c.lead_partner
        && p.derived.lead_partner.is_none()
    {
        let names: Vec<String> = p.org_names.iter().map(|k| format!("\"{k}\"")).collect();
        fail(
            "collaboration.lead_partner",
            format!("found \"{}\", expected one of the organizations: {}", lead.0, names.join(", ")),
        );
    }
    if c.culture_policy == CulturePolicy::AdoptLead && c.lead_partner.is_none() {
        fail("collaboration.culture_policy", "\"adopt-lead\" needs `collaboration.lead_partner`".into());
    }
    let total = total.min(u64::from(u32::MAX)) as u32;
    if !failed(diags, "collaboration.posts") && !failed(diags, "collaboration.selection") {
        match (c.selection, c.posts) {
            (Selection::ReApply, None) => {
                fail("collaboration.posts", "selection \"re-apply\" needs the number of posts in the joint unit".into())
            }
            (Selection::ReApply, Some(posts)) if posts == 0 || posts > total => {
                fail("collaboration.posts", format!("found {posts}, expected from 1 to the {total} staff who re-apply"))
            }
            (Selection::TransferAll, Some(posts)) if posts != total => fail(
                "collaboration.posts",
                format!(
                    "found {posts}, but \"transfer-all\" moves all {total} staff; omit `posts` or use selection = \"re-apply\""
                ),
            ),
            _ => {}
        }
    }
    let t = &p.trust;
    if !failed(diags, "trust.gain") && !failed(diags, "trust.loss_ratio") && t.gain * t.loss_ratio > 1.0 {
        fail(
            "trust.loss_ratio",
            format!("gain x loss_ratio is {:.3}; it must be at most 1 so trust stays in 0..1", t.gain * t.loss_ratio),
        );
    }
    let s = &p.staff;
    if !failed(diags, "staff.senior_share")
        && !failed(diags, "staff.manager_share")
        && s.senior_share + s.manager_share > 1.0
    {
        fail(
            "staff.manager_share",
            format!("senior_share + manager_share is {:.3}; it must be at most 1", s.senior_share + s.manager_share),
        );
    }
    diags.append(&mut out);
}
