//! Validation: raw values into the model's typed parameters, collecting every problem
//! (range, reference, consistency, size) rather than stopping at the first.

use super::error::Diagnostic;
use super::raw::RawScenario;
use crate::model::*;

/// Refused up front rather than run out of memory: agents x weeks x replicates are bounded.
pub const MAX_AGENTS: u64 = 2_000_000;
pub const MAX_YEARS: f64 = 200.0;
pub const MAX_REPLICATES: u64 = 10_000_000;
pub const MAX_ORGS: usize = 64;
pub const MAX_NORM_DIMS: usize = 32;
pub const MAX_TIES: u32 = 64;
/// Shares must sum to 1 within this tolerance.
pub const SHARE_TOLERANCE: f64 = 1e-3;

struct Check {
    diags: Vec<Diagnostic>,
}

impl Check {
    fn fail(&mut self, key: &str, msg: String) {
        self.diags.push(Diagnostic::new(key, msg));
    }
    fn range(&mut self, key: &str, v: f64, lo: f64, hi: f64) -> f64 {
        if !v.is_finite() || v < lo || v > hi {
            let allowed = if hi == f64::INFINITY {
                format!("a finite number of at least {}", fmt(lo))
            } else {
                format!("a number from {} to {}", fmt(lo), fmt(hi))
            };
            self.fail(key, format!("found {}, expected {allowed}", fmt(v)));
        }
        v
    }
    fn prob(&mut self, key: &str, v: f64) -> f64 {
        self.range(key, v, 0.0, 1.0)
    }
    fn nonneg(&mut self, key: &str, v: f64) -> f64 {
        self.range(key, v, 0.0, f64::INFINITY)
    }
    fn count(&mut self, key: &str, v: u32, lo: u32, hi: u32) -> u32 {
        if v < lo || v > hi {
            self.fail(key, format!("found {v}, expected a whole number from {lo} to {hi}"));
        }
        v
    }
}

fn fmt(x: f64) -> String {
    if x.is_finite() && x == x.trunc() && x.abs() < 1e15 { format!("{}", x as i64) } else { format!("{x}") }
}

fn choice<T: Copy>(c: &mut Check, key: &str, v: &str, options: &[(&str, T)]) -> T {
    match options.iter().find(|(name, _)| *name == v) {
        Some((_, t)) => *t,
        None => {
            let names: Vec<String> = options.iter().map(|(n, _)| format!("\"{n}\"")).collect();
            c.fail(key, format!("found \"{v}\", expected one of {}", names.join(", ")));
            options[0].1
        }
    }
}

/// Checks every value and builds the parameters; all problems are returned together.
pub fn validate(r: &RawScenario) -> Result<Params, Vec<Diagnostic>> {
    validate_with_plan_years(r, r.years)
}

/// As [`validate`], with planned weeks (go-lives, savings starts, scheduled incidents)
/// checked against the horizon of `plan_years` or the run's own, whichever is longer: a
/// file's plan must fit its own horizon, but a run shortened from the command line simply
/// ends before the later events.
pub fn validate_with_plan_years(r: &RawScenario, plan_years: f64) -> Result<Params, Vec<Diagnostic>> {
    let mut c = Check { diags: Vec::new() };

    if r.replicates == 0 || r.replicates > MAX_REPLICATES {
        c.fail("replicates", format!("found {}, expected from 1 to {MAX_REPLICATES}", r.replicates));
    }
    if !r.years.is_finite() || r.years < 1.0 / 52.0 || r.years > MAX_YEARS {
        c.fail(
            "years",
            format!("found {}, expected a horizon from one week (0.02 years) to {MAX_YEARS} years", fmt(r.years)),
        );
    }
    let years = r.years;
    let horizon_weeks = (years.clamp(0.0, MAX_YEARS) * 52.0).round() as u32;
    let plan_weeks = if plan_years.is_finite() {
        horizon_weeks.max((plan_years.clamp(0.0, MAX_YEARS) * 52.0).round() as u32)
    } else {
        horizon_weeks
    };

    // Organizations.
    let n = r.organizations.len();
    if n < 2 {
        c.fail(
            "organizations",
            format!("found {n} organization(s), a collaboration needs at least 2 [organizations.NAME] tables"),
        );
    }
    if n > MAX_ORGS {
        c.fail("organizations", format!("found {n} organizations, at most {MAX_ORGS} are supported"));
    }
    let dims = r.organizations.values().next().map_or(4, |o| o.norms.len());
    let equal = if n > 0 { 1.0 / n as f64 } else { 0.0 };
    let mut orgs = Vec::with_capacity(n);
    let mut total_staff: u64 = 0;
    for (name, o) in &r.organizations {
        let k = |f: &str| format!("organizations.{name}.{f}");
        if name.is_empty() || !name.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '-') {
            c.fail(
                &format!("organizations.{name}"),
                "organization names may use only letters, digits, '_' and '-'".into(),
            );
        }
        c.count(&k("staff"), o.staff, 1, MAX_AGENTS as u32);
        total_staff += o.staff as u64;
        if o.norms.is_empty() || o.norms.len() > MAX_NORM_DIMS {
            c.fail(&k("norms"), format!("found {} components, expected 1 to {MAX_NORM_DIMS}", o.norms.len()));
        } else if o.norms.len() != dims {
            c.fail(
                &k("norms"),
                format!("found {} components, expected {dims} like the first organization's", o.norms.len()),
            );
        }
        for (i, &x) in o.norms.iter().enumerate() {
            c.prob(&format!("organizations.{name}.norms[{i}]"), x);
        }
        let turnover = o.leader_turnover_per_year.unwrap_or(r.leadership.turnover_per_year);
        if o.leader_turnover_per_year.is_some() {
            c.range(&k("leader_turnover_per_year"), turnover, 0.0, 52.0);
        }
        orgs.push(OrgParams {
            name: name.clone(),
            staff: o.staff,
            leader_turnover_per_year: turnover,
            leader_commitment: c.prob(&k("leader_commitment"), o.leader_commitment),
            engagement: c.prob(&k("engagement"), o.engagement),
            cost_share: c.prob(&k("cost_share"), o.cost_share.unwrap_or(equal)),
            benefit_share: c.prob(&k("benefit_share"), o.benefit_share.unwrap_or(equal)),
            reputation_sensitivity: c.prob(&k("reputation_sensitivity"), o.reputation_sensitivity),
            participation: c.prob(&k("participation"), o.participation),
            norms: o.norms.clone(),
            initial_trust: c.prob(&k("initial_trust"), o.initial_trust),
            initial_motivation: c.prob(&k("initial_motivation"), o.initial_motivation),
            initial_willingness: c.prob(&k("initial_willingness"), o.initial_willingness),
            prior_experience: c.prob(&k("prior_experience"), o.prior_experience),
        });
    }
    for (what, get) in [("cost_share", 0usize), ("benefit_share", 1)] {
        let given: Vec<bool> = r
            .organizations
            .values()
            .map(|o| if get == 0 { o.cost_share.is_some() } else { o.benefit_share.is_some() })
            .collect();
        if given.iter().any(|&g| g) && !given.iter().all(|&g| g) {
            c.fail(
                &format!("organizations.*.{what}"),
                format!("give `{what}` for every organization or for none (none means an equal split)"),
            );
        } else if n >= 2 {
            let sum: f64 = orgs.iter().map(|o| if get == 0 { o.cost_share } else { o.benefit_share }).sum();
            if (sum - 1.0).abs() > SHARE_TOLERANCE {
                c.fail(
                    &format!("organizations.*.{what}"),
                    format!("the shares sum to {sum:.4}, they must sum to 1 (within {SHARE_TOLERANCE})"),
                );
            }
        }
    }
    if total_staff > MAX_AGENTS {
        c.fail("organizations", format!("{total_staff} staff in all; at most {MAX_AGENTS} agents are supported"));
    }

    // Leadership.
    let l = &r.leadership;
    c.range("leadership.turnover_per_year", l.turnover_per_year, 0.0, 52.0);
    let leadership = LeadershipParams {
        new_leader_commitment: c.prob("leadership.new_leader_commitment", l.new_leader_commitment),
        new_leader_spread: c.range("leadership.new_leader_spread", l.new_leader_spread, 0.0, 0.5),
        adapt_per_year: c.range("leadership.adapt_per_year", l.adapt_per_year, 0.0, 52.0),
        realign_delay_weeks: c.count("leadership.realign_delay_weeks", l.realign_delay_weeks, 0, 520),
        realign_strength: c.prob("leadership.realign_strength", l.realign_strength),
    };

    // Collaboration.
    let cb = &r.collaboration;
    let form = choice(
        &mut c,
        "collaboration.form",
        &cb.form,
        &[("merged", Form::Merged), ("co-located", Form::CoLocated), ("virtual", Form::Virtual)],
    );
    let culture_policy = choice(
        &mut c,
        "collaboration.culture_policy",
        &cb.culture_policy,
        &[
            ("new-shared", CulturePolicy::NewShared),
            ("keep-separate", CulturePolicy::KeepSeparate),
            ("adopt-lead", CulturePolicy::AdoptLead),
        ],
    );
    let selection = choice(
        &mut c,
        "collaboration.selection",
        &cb.selection,
        &[("re-apply", Selection::ReApply), ("transfer-all", Selection::TransferAll)],
    );
    let lead_partner = match &cb.lead_partner {
        None => None,
        Some(name) => match r.organizations.get_index_of(name) {
            Some(i) => Some(i),
            None => {
                let names: Vec<String> = r.organizations.keys().map(|k| format!("\"{k}\"")).collect();
                c.fail(
                    "collaboration.lead_partner",
                    format!("found \"{name}\", expected one of the organizations: {}", names.join(", ")),
                );
                None
            }
        },
    };
    if culture_policy == CulturePolicy::AdoptLead && cb.lead_partner.is_none() {
        c.fail("collaboration.culture_policy", "\"adopt-lead\" needs `collaboration.lead_partner`".into());
    }
    let total = total_staff.min(u32::MAX as u64) as u32;
    let posts = match (selection, cb.posts) {
        (Selection::ReApply, None) => {
            c.fail("collaboration.posts", "selection \"re-apply\" needs the number of posts in the joint unit".into());
            total
        }
        (Selection::ReApply, Some(p)) => {
            if p == 0 || p > total {
                c.fail("collaboration.posts", format!("found {p}, expected from 1 to the {total} staff who re-apply"));
            }
            p
        }
        (Selection::TransferAll, Some(p)) if p != total => {
            c.fail("collaboration.posts", format!("found {p}, but \"transfer-all\" moves all {total} staff; omit `posts` or use selection = \"re-apply\""));
            total
        }
        _ => total,
    };
    let collaboration = CollaborationParams {
        form,
        culture_policy,
        transparency: c.prob("collaboration.transparency", cb.transparency),
        strategy_document: cb.strategy_document,
        strategy_survival: c.prob("collaboration.strategy_survival", cb.strategy_survival),
        lead_partner,
        selection,
        posts,
        shared_resources: c.prob("collaboration.shared_resources", cb.shared_resources),
        team_size: c.count("collaboration.team_size", cb.team_size, 1, 10_000),
        formal_ties: c.count("collaboration.formal_ties", cb.formal_ties, 0, MAX_TIES),
        informal_ties: c.count("collaboration.informal_ties", cb.informal_ties, 0, MAX_TIES / 2),
        contacts_per_week: c.count("collaboration.contacts_per_week", cb.contacts_per_week, 0, 50),
        running_cost_per_year: c.nonneg("collaboration.running_cost_per_year", cb.running_cost_per_year),
    };
    let lead = LeadPartnerParams {
        nonlead_disengagement: c.prob("collaboration.nonlead_disengagement", cb.nonlead_disengagement),
        decision_speedup: c.prob("collaboration.lead_decision_speedup", cb.lead_decision_speedup),
    };

    let v = &r.vision;
    let vision = VisionParams {
        defined: v.defined,
        initial: c.prob("vision.initial", v.initial),
        decay_per_year: c.range("vision.decay_per_year", v.decay_per_year, 0.0, 52.0),
        restate_per_meeting: c.prob("vision.restate_per_meeting", v.restate_per_meeting),
        strategy_restate_per_year: c.range("vision.strategy_restate_per_year", v.strategy_restate_per_year, 0.0, 52.0),
    };
    let cm = &r.communication;
    let communication = CommunicationParams {
        meetings_per_month: c.range("communication.meetings_per_month", cm.meetings_per_month, 0.0, 100.0),
        two_way: cm.two_way,
        one_way_effectiveness: c.prob("communication.one_way_effectiveness", cm.one_way_effectiveness),
    };
    let g = &r.gatherings;
    let gatherings = GatheringParams {
        per_year: c.range("gatherings.per_year", g.per_year, 0.0, 52.0),
        attendance: c.prob("gatherings.attendance", g.attendance),
        trust_gain: c.prob("gatherings.trust_gain", g.trust_gain),
    };
    let t = &r.trust;
    let trust = TrustParams {
        gain: c.prob("trust.gain", t.gain),
        loss_ratio: c.range("trust.loss_ratio", t.loss_ratio, 0.0, 100.0),
        open_failure_discount: c.prob("trust.open_failure_discount", t.open_failure_discount),
        success_base: c.prob("trust.success_base", t.success_base),
        success_from_transparency: c.prob("trust.success_from_transparency", t.success_from_transparency),
        success_overload_penalty: c.nonneg("trust.success_overload_penalty", t.success_overload_penalty),
        experience_gain: c.prob("trust.experience_gain", t.experience_gain),
    };
    if t.gain * t.loss_ratio > 1.0 {
        c.fail(
            "trust.loss_ratio",
            format!("gain x loss_ratio is {:.3}; it must be at most 1 so trust stays in 0..1", t.gain * t.loss_ratio),
        );
    }
    let cu = &r.culture;
    let culture = CultureParams {
        convergence_rate: c.prob("culture.convergence_rate", cu.convergence_rate),
        anchor_pull: c.prob("culture.anchor_pull", cu.anchor_pull),
        norm_spread: c.prob("culture.norm_spread", cu.norm_spread),
        friction_rate: c.prob("culture.friction_rate", cu.friction_rate),
        friction_trust_loss: c.prob("culture.friction_trust_loss", cu.friction_trust_loss),
        friction_motivation_loss: c.prob("culture.friction_motivation_loss", cu.friction_motivation_loss),
    };
    let pr = &r.project;
    for (i, &wk) in pr.go_live_weeks.iter().enumerate() {
        if wk < 1 || wk > plan_weeks {
            c.fail(
                &format!("project.go_live_weeks[{i}]"),
                format!("found week {wk}, expected a week from 1 to the horizon ({plan_weeks})"),
            );
        }
    }
    let project = ProjectParams {
        overload: c.range("project.overload", pr.overload, 0.0, 10.0),
        base_workload: c.range("project.base_workload", pr.base_workload, 0.0, 10.0),
        go_live_weeks: pr.go_live_weeks.clone(),
        go_live_peak: c.range("project.go_live_peak", pr.go_live_peak, 0.0, 10.0),
        go_live_width_weeks: c.range("project.go_live_width_weeks", pr.go_live_width_weeks, 0.1, 520.0),
        ongoing_load: c.range("project.ongoing_load", pr.ongoing_load, 0.0, 10.0),
    };
    let s = &r.staff;
    let staff = StaffParams {
        turnover_per_year: c.range("staff.turnover_per_year", s.turnover_per_year, 0.0, 52.0),
        quit_per_year: c.range("staff.quit_per_year", s.quit_per_year, 0.0, 52.0),
        quit_below_willingness: c.prob("staff.quit_below_willingness", s.quit_below_willingness),
        quit_overload_per_year: c.range("staff.quit_overload_per_year", s.quit_overload_per_year, 0.0, 52.0),
        hiring_delay_weeks: c.count("staff.hiring_delay_weeks", s.hiring_delay_weeks, 0, 520),
        replace_leavers: s.replace_leavers,
        remove_unwilling: s.remove_unwilling,
        remove_unwilling_factor: c.range("staff.remove_unwilling_factor", s.remove_unwilling_factor, 1.0, 100.0),
        hire_willingness: c.prob("staff.hire_willingness", s.hire_willingness),
        senior_share: c.prob("staff.senior_share", s.senior_share),
        manager_share: c.prob("staff.manager_share", s.manager_share),
        init_spread: c.range("staff.init_spread", s.init_spread, 0.0, 0.5),
    };
    if s.senior_share + s.manager_share > 1.0 {
        c.fail(
            "staff.manager_share",
            format!("senior_share + manager_share is {:.3}; it must be at most 1", s.senior_share + s.manager_share),
        );
    }
    let m = &r.motivation;
    let motivation = MotivationParams {
        adapt_per_year: c.range("motivation.adapt_per_year", m.adapt_per_year, 0.0, 52.0),
        base: c.prob("motivation.base", m.base),
        vision_weight: c.prob("motivation.vision_weight", m.vision_weight),
        leader_weight: c.prob("motivation.leader_weight", m.leader_weight),
        trust_weight: c.prob("motivation.trust_weight", m.trust_weight),
        overload_weight: c.nonneg("motivation.overload_weight", m.overload_weight),
    };
    let wl = &r.willingness;
    let willingness = WillingnessParams {
        adapt_per_year: c.range("willingness.adapt_per_year", wl.adapt_per_year, 0.0, 52.0),
        motivation_weight: c.prob("willingness.motivation_weight", wl.motivation_weight),
        trust_weight: c.prob("willingness.trust_weight", wl.trust_weight),
        experience_weight: c.prob("willingness.experience_weight", wl.experience_weight),
        connection_weight: c.prob("willingness.connection_weight", wl.connection_weight),
        overload_loss: c.prob("willingness.overload_loss", wl.overload_loss),
    };
    let e = &r.engagement;
    let engagement = EngagementParams {
        adapt_per_year: c.range("engagement.adapt_per_year", e.adapt_per_year, 0.0, 52.0),
        leader_weight: c.prob("engagement.leader_weight", e.leader_weight),
        willingness_weight: c.prob("engagement.willingness_weight", e.willingness_weight),
        trust_weight: c.prob("engagement.trust_weight", e.trust_weight),
        value_weight: c.prob("engagement.value_weight", e.value_weight),
        reputation_weight: c.prob("engagement.reputation_weight", e.reputation_weight),
    };
    let sv = &r.savings;
    let items = sv
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            let k = |f: &str| format!("savings.items[{i}].{f}");
            if it.start_week > plan_weeks {
                c.fail(
                    &k("start_week"),
                    format!("found week {}, expected a week from 0 to the horizon ({plan_weeks})", it.start_week),
                );
            }
            SavingsItem {
                name: it.name.clone(),
                annual_gbp: c.nonneg(&k("annual_gbp"), it.annual_gbp),
                start_week: it.start_week,
                annual_change: c.range(&k("annual_change"), it.annual_change, -1.0, 10.0),
            }
        })
        .collect();
    let savings = SavingsParams {
        per_removed_post_gbp: c.nonneg("savings.per_removed_post_gbp", sv.per_removed_post_gbp),
        ramp_weeks: c.count("savings.ramp_weeks", sv.ramp_weeks, 0, 5200),
        items,
    };
    let inc = &r.incidents;
    for (i, &wk) in inc.scheduled_weeks.iter().enumerate() {
        if wk < 1 || wk > plan_weeks {
            c.fail(
                &format!("incidents.scheduled_weeks[{i}]"),
                format!("found week {wk}, expected a week from 1 to the horizon ({plan_weeks})"),
            );
        }
    }
    let incidents = IncidentParams {
        per_year: c.range("incidents.per_year", inc.per_year, 0.0, 52.0),
        duration_weeks: c.count("incidents.duration_weeks", inc.duration_weeks, 0, 520),
        scheduled_weeks: inc.scheduled_weeks.clone(),
        cooperation_boost: c.prob("incidents.cooperation_boost", inc.cooperation_boost),
        friction_suppression: c.prob("incidents.friction_suppression", inc.friction_suppression),
    };
    let en = &r.end;
    let end = EndParams {
        withdraw_threshold: c.prob("end.withdraw_threshold", en.withdraw_threshold),
        withdraw_weeks: c.count("end.withdraw_weeks", en.withdraw_weeks, 1, 5200),
        staff_floor: c.prob("end.staff_floor", en.staff_floor),
    };

    if !c.diags.is_empty() {
        return Err(c.diags);
    }
    Ok(Params {
        horizon_weeks,
        organizations: orgs,
        leadership,
        collaboration,
        vision,
        communication,
        gatherings,
        trust,
        culture,
        lead,
        project,
        staff,
        motivation,
        willingness,
        engagement,
        savings,
        incidents,
        end,
    })
}
