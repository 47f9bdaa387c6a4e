//! A target's statistic at one point, with the simulation's standard error, from its arms'
//! replicate outcomes. One arm: Kaplan-Meier survival with Greenwood's SE, the median with
//! an SE from its Brookmeyer-Crowley interval, RMST with its SE, shares with binomial SEs,
//! means with their sample SEs. A difference between two arms run on the same seeds: the
//! mean and SE of the paired per-replicate differences where the statistic is a mean over
//! replicates (survival at t as the indicator 'still running at t', RMST as min(end, tau),
//! shares of an end cause, savings, staff), else the difference of the two values with
//! SE sqrt(se_a^2 + se_b^2).

use crate::analysis::arm::LEVEL;
use crate::analysis::history::{mean_and_se, share_and_se};
use crate::analysis::median_ci::median_ci;
use crate::analysis::paired::{normal_quantile, paired_mean_difference};
use crate::analysis::rmst::rmst;
use crate::analysis::survival::{ConfType, KaplanMeier, Observation};
use crate::engine::ReplicateOutcome;
use crate::model::EndCause;
use crate::output::calibrate::record::TargetValue;
use crate::scenario::calibration::{ArmPlan, EndShare, Statistic, TargetPlan};

const WEEKS_PER_YEAR: f64 = 52.0;

fn km(outcomes: &[ReplicateOutcome]) -> KaplanMeier {
    let obs: Vec<Observation> =
        outcomes.iter().map(|o| Observation { time: o.end_week as f64, event: !o.censored }).collect();
    KaplanMeier::fit(&obs)
}

/// The week a survival or RMST target reads (its `year`, else the horizon).
fn tau(t: &TargetPlan, arm: &ArmPlan) -> f64 {
    t.year.map_or(arm.horizon_weeks as f64, |y| y * WEEKS_PER_YEAR)
}

fn ended_by(o: &ReplicateOutcome, cause: EndShare) -> bool {
    match cause {
        EndShare::Withdrawal => o.end_cause == Some(EndCause::Withdrawal),
        EndShare::Understaffed => o.end_cause == Some(EndCause::Understaffed),
        EndShare::Cancelled => o.end_cause == Some(EndCause::Cancelled),
        EndShare::Censored => o.censored,
    }
}

/// The statistic of one arm, `None` where it is undefined.
fn single(t: &TargetPlan, arm: &ArmPlan, outcomes: &[ReplicateOutcome]) -> Option<(f64, f64)> {
    let n = outcomes.len();
    let horizon_years = arm.horizon_weeks as f64 / WEEKS_PER_YEAR;
    match t.statistic {
        Statistic::Survival => {
            let k = km(outcomes);
            let at = tau(t, arm);
            let step = k.steps.iter().take_while(|s| s.time <= at).last();
            Some(step.map_or((1.0, 0.0), |s| (s.survival, s.variance.sqrt())))
        }
        Statistic::Median => {
            let k = km(outcomes);
            let ci = median_ci(&k, ConfType::LogLog, LEVEL);
            let y = |w: f64| w / WEEKS_PER_YEAR;
            // Not reached: the horizon, the smallest value the runs allow (as sweep.csv's
            // median scalar); a missing limit is the horizon too.
            let value = k.median().map_or(horizon_years, y);
            let lo = ci.lower.map_or(horizon_years, y);
            let hi = ci.upper.map_or(horizon_years, y);
            let z = normal_quantile(0.5 + LEVEL / 2.0);
            Some((value, (hi - lo).max(0.0) / (2.0 * z)))
        }
        Statistic::Rmst => rmst(&km(outcomes), tau(t, arm)).map(|r| (r.mean / WEEKS_PER_YEAR, r.se / WEEKS_PER_YEAR)),
        Statistic::CauseShare => {
            let cause = t.cause.expect("checked: cause_share has a cause");
            share_and_se(outcomes.iter().filter(|o| ended_by(o, cause)).count(), n)
        }
        Statistic::PartnerShare => {
            let name = t.partner.as_deref().expect("checked: partner_share has a partner");
            let org = arm.org_names.iter().position(|o| o == name);
            let ended = outcomes.iter().filter(|o| !o.censored).count();
            let by = outcomes
                .iter()
                .filter(|o| o.end_cause == Some(EndCause::Withdrawal) && o.end_org.is_some() && o.end_org == org)
                .count();
            share_and_se(by, ended)
        }
        Statistic::Savings | Statistic::StaffEnd => Some(mean_and_se(&per_replicate(t, arm, outcomes)?)),
        Statistic::MaxWeekShare => {
            let mut weeks: Vec<u32> = outcomes.iter().filter(|o| !o.censored).map(|o| o.end_week).collect();
            weeks.sort_unstable();
            let most = weeks.chunk_by(|a, b| a == b).map(<[u32]>::len).max().unwrap_or(0);
            share_and_se(most, weeks.len())
        }
    }
}

/// Each replicate's value, for statistics that are a mean over replicates.
fn per_replicate(t: &TargetPlan, arm: &ArmPlan, outcomes: &[ReplicateOutcome]) -> Option<Vec<f64>> {
    let at = tau(t, arm);
    let v = match t.statistic {
        Statistic::Survival => {
            outcomes.iter().map(|o| f64::from(u8::from(o.censored || o.end_week as f64 > at))).collect()
        }
        Statistic::Rmst => outcomes.iter().map(|o| (o.end_week as f64).min(at) / WEEKS_PER_YEAR).collect(),
        Statistic::CauseShare => {
            let cause = t.cause.expect("checked: cause_share has a cause");
            outcomes.iter().map(|o| f64::from(u8::from(ended_by(o, cause)))).collect()
        }
        Statistic::Savings if t.year == Some(2.0) => outcomes.iter().map(|o| o.savings_y2_gbp).collect(),
        Statistic::Savings => outcomes.iter().map(|o| o.savings_gbp).collect(),
        Statistic::StaffEnd => outcomes.iter().map(|o| o.active_staff_end as f64).collect(),
        Statistic::Median | Statistic::PartnerShare | Statistic::MaxWeekShare => return None,
    };
    Some(v)
}

/// Target `t`'s statistic given every arm's outcomes (in replicate order, the same
/// replicates in every arm).
pub fn target_value(t: &TargetPlan, arms: &[ArmPlan], outcomes: &[Vec<ReplicateOutcome>]) -> TargetValue {
    let (a, oa) = (&arms[t.arm], &outcomes[t.arm]);
    let r = match t.baseline {
        None => single(t, a, oa),
        Some(base) => {
            let (b, ob) = (&arms[base], &outcomes[base]);
            let paired = per_replicate(t, a, oa)
                .zip(per_replicate(t, b, ob))
                .and_then(|(xa, xb)| paired_mean_difference(&xb, &xa, LEVEL));
            match paired {
                Some(d) => Some((d.estimate, d.se)),
                None => single(t, a, oa)
                    .zip(single(t, b, ob))
                    .map(|((va, sa), (vb, sb))| (va - vb, (sa * sa + sb * sb).sqrt())),
            }
        }
    };
    // Every statistic here is finite; a value that were not would be treated as undefined
    // rather than written as a null the record could not be read back from.
    match r {
        Some((value, se)) if value.is_finite() && se.is_finite() => TargetValue { value: Some(value), se },
        _ => TargetValue { value: None, se: 0.0 },
    }
}

/// A contrast of target `t`'s statistic over arms: the sum of `weight x statistic` over
/// `terms` (arm, weight), e.g. `[(a, 1), (b, -1), (c, -1), (d, 1)]` for a difference of
/// differences. Paired per replicate (common random numbers) where the statistic is a mean
/// over replicates, else the values summed with their SEs in quadrature.
pub fn contrast_value(
    t: &TargetPlan,
    arms: &[ArmPlan],
    outcomes: &[Vec<ReplicateOutcome>],
    terms: &[(usize, f64)],
) -> TargetValue {
    let per: Option<Vec<(Vec<f64>, f64)>> =
        terms.iter().map(|&(a, w)| per_replicate(t, &arms[a], &outcomes[a]).map(|v| (v, w))).collect();
    let r = match per {
        Some(per) if per.iter().all(|(v, _)| v.len() == per[0].0.len()) && !per.is_empty() => {
            let n = per[0].0.len();
            let sums: Vec<f64> = (0..n).map(|i| per.iter().map(|(v, w)| w * v[i]).sum()).collect();
            (n > 1).then(|| mean_and_se(&sums))
        }
        _ => terms
            .iter()
            .try_fold((0.0, 0.0), |(v, var), &(a, w)| {
                single(t, &arms[a], &outcomes[a]).map(|(x, se)| (v + w * x, var + w * w * se * se))
            })
            .map(|(v, var)| (v, var.sqrt())),
    };
    match r {
        Some((value, se)) if value.is_finite() && se.is_finite() => TargetValue { value: Some(value), se },
        _ => TargetValue { value: None, se: 0.0 },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(
        i: u64,
        end_week: u32,
        censored: bool,
        cause: Option<(EndCause, usize)>,
        savings: f64,
    ) -> ReplicateOutcome {
        ReplicateOutcome {
            replicate: i,
            seed: i,
            end_week,
            censored,
            end_cause: cause.map(|c| c.0),
            end_org: cause.map(|c| c.1),
            end_after_leader_change: false,
            savings_gbp: savings,
            savings_y2_gbp: savings / 2.0,
            savings_by_org: vec![savings / 2.0; 2],
            active_staff_end: 10 + i as u32,
            mean_trust_end: 0.5,
            mean_motivation_end: 0.5,
            mean_willingness_end: 0.5,
            leader_changes: 0,
            incidents: 0,
        }
    }

    fn arm() -> ArmPlan {
        ArmPlan {
            scenario_file: "x.toml".into(),
            scenario_sha256: String::new(),
            scenario_name: String::new(),
            set: vec![],
            horizon_weeks: 104,
            org_names: vec!["A".into(), "B".into()],
        }
    }

    fn target(statistic: Statistic, year: Option<f64>, baseline: Option<usize>) -> TargetPlan {
        TargetPlan {
            name: "t".into(),
            statistic,
            year,
            cause: Some(EndShare::Withdrawal),
            partner: Some("B".into()),
            arm: 0,
            baseline,
            lo: 0.0,
            hi: 1.0,
            tolerance: 0.0,
        }
    }

    /// Four runs: withdrawal of B at week 20, understaffed at 60, withdrawal of A at 90, one
    /// still running at 104.
    fn runs() -> Vec<ReplicateOutcome> {
        vec![
            outcome(0, 20, false, Some((EndCause::Withdrawal, 1)), 100.0),
            outcome(1, 60, false, Some((EndCause::Understaffed, 0)), 200.0),
            outcome(2, 90, false, Some((EndCause::Withdrawal, 0)), 300.0),
            outcome(3, 104, true, None, 400.0),
        ]
    }

    #[test]
    fn one_arm_statistics_by_hand() {
        let a = [arm()];
        let o = [runs()];
        let v = |t: TargetPlan| target_value(&t, &a, &o);
        // Survival at 1 year (week 52): one of four ended, 0.75; Greenwood se sqrt(0.75 * 0.25 / 4).
        let s = v(target(Statistic::Survival, Some(1.0), None));
        assert_eq!(s.value, Some(0.75));
        assert!((s.se - (0.75f64 * 0.25 / 4.0).sqrt()).abs() < 1e-12);
        // RMST to 2 years: mean of 20, 60, 90, 104 weeks = 68.5 weeks.
        let r = v(target(Statistic::Rmst, None, None));
        assert!((r.value.unwrap() - 68.5 / 52.0).abs() < 1e-12);
        // Two of four ended by withdrawal; B withdrew in one of the three that ended.
        assert_eq!(v(target(Statistic::CauseShare, None, None)).value, Some(0.5));
        let p = v(target(Statistic::PartnerShare, None, None));
        assert!((p.value.unwrap() - 1.0 / 3.0).abs() < 1e-12);
        assert!((p.se - (1.0f64 / 3.0 * 2.0 / 3.0 / 3.0).sqrt()).abs() < 1e-12);
        // Savings: mean 250 (by year 2: 125); staff 10..13: mean 11.5.
        assert_eq!(v(target(Statistic::Savings, None, None)).value, Some(250.0));
        assert_eq!(v(target(Statistic::Savings, Some(2.0), None)).value, Some(125.0));
        assert_eq!(v(target(Statistic::StaffEnd, None, None)).value, Some(11.5));
        // The median: S falls to 0.5 at week 60.
        assert!((v(target(Statistic::Median, None, None)).value.unwrap() - 60.0 / 52.0).abs() < 1e-12);
        // No run ended: a partner's share of endings is undefined.
        let alive = [vec![outcome(0, 104, true, None, 0.0), outcome(1, 104, true, None, 0.0)]];
        assert_eq!(target_value(&target(Statistic::PartnerShare, None, None), &a, &alive).value, None);
    }

    #[test]
    fn max_week_share_and_contrasts() {
        let a = [arm(), arm()];
        // Ended runs at weeks 20, 60, 60, 90 (and one censored): two of four in week 60.
        let mut r = runs();
        r.push(outcome(4, 60, false, Some((EndCause::Understaffed, 1)), 0.0));
        let base: Vec<ReplicateOutcome> = (0..5).map(|i| outcome(i, 104, true, None, 500.0)).collect();
        let o = [r, base];
        let m = target_value(&target(Statistic::MaxWeekShare, None, None), &a, &o);
        assert_eq!(m.value, Some(0.5));
        assert!((m.se - (0.25f64 / 4.0).sqrt()).abs() < 1e-12);
        // Nothing ended: undefined.
        assert_eq!(
            target_value(&TargetPlan { arm: 1, ..target(Statistic::MaxWeekShare, None, None) }, &a, &o).value,
            None
        );
        // A contrast with weights 1, -1 is the paired difference.
        let t = target(Statistic::Survival, Some(1.0), Some(1));
        let c = contrast_value(&t, &a, &o, &[(0, 1.0), (1, -1.0)]);
        let d = target_value(&t, &a, &o);
        assert!((c.value.unwrap() - d.value.unwrap()).abs() < 1e-12 && (c.se - d.se).abs() < 1e-12);
    }

    #[test]
    fn differences_pair_replicates_where_they_can() {
        let a = [arm(), arm()];
        // The baseline arm: every run still going; the variant: runs() above.
        let base: Vec<ReplicateOutcome> = (0..4).map(|i| outcome(i, 104, true, None, 500.0)).collect();
        let o = [runs(), base];
        // Survival at 1 year: indicators 0,1,1,1 minus 1,1,1,1: differences -1,0,0,0, mean
        // -0.25, sample sd 0.5, se 0.25.
        let d = target_value(&target(Statistic::Survival, Some(1.0), Some(1)), &a, &o);
        assert_eq!(d.value, Some(-0.25));
        assert!((d.se - 0.25).abs() < 1e-12);
        // The median is not a mean over replicates: values subtract, SEs add in quadrature.
        let m = target_value(&target(Statistic::Median, None, Some(1)), &a, &o);
        let (ma, mb) = (
            target_value(&target(Statistic::Median, None, None), &a, &o),
            target_value(&TargetPlan { arm: 1, ..target(Statistic::Median, None, None) }, &a, &o),
        );
        assert!((m.value.unwrap() - (ma.value.unwrap() - mb.value.unwrap())).abs() < 1e-12);
        assert!((m.se - (ma.se * ma.se + mb.se * mb.se).sqrt()).abs() < 1e-12);
    }
}
