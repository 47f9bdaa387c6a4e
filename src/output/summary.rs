//! `summary.json`: what was run (scenario, file hash, resolved parameters, seed, version)
//! and what came out (Kaplan-Meier survival at 1, 2, 5 and 10 years, median survival with
//! its 95% interval, restricted mean survival, Nelson-Aalen cumulative hazard, shares of runs
//! by end cause and partner, cumulative incidence of each cause, savings, staff), and the
//! ensemble of parameter sets the replicates ran with, if any. Typed:
//! written from these structs and read back into them. No timestamps: the same run gives
//! the same bytes.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::analysis::arm::ArmStats;
use crate::analysis::nelson_aalen::NelsonAalen;
use crate::analysis::survival::Observation;
use crate::engine::ReplicateOutcome;
use crate::model::EndCause;
use crate::scenario::Scenario;

pub struct SummaryInput<'a> {
    pub scenario: &'a Scenario,
    pub outcomes: &'a [ReplicateOutcome],
    /// The survival statistics of `outcomes` (computed once by the caller, which also plots them).
    pub stats: &'a ArmStats,
}

/// Years at which survival is reported.
pub const REPORT_YEARS: [u32; 4] = [1, 2, 5, 10];

/// One value for each of `REPORT_YEARS`; null beyond the horizon.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ByYear {
    #[serde(rename = "1")]
    pub y1: Option<f64>,
    #[serde(rename = "2")]
    pub y2: Option<f64>,
    #[serde(rename = "5")]
    pub y5: Option<f64>,
    #[serde(rename = "10")]
    pub y10: Option<f64>,
}

impl ByYear {
    fn from_fn(f: impl Fn(u32) -> Option<f64>) -> Self {
        ByYear { y1: f(1), y2: f(2), y5: f(5), y10: f(10) }
    }
    /// The values with their years, in `REPORT_YEARS` order.
    pub fn iter(&self) -> [(u32, Option<f64>); 4] {
        [(1, self.y1), (2, self.y2), (5, self.y5), (10, self.y10)]
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RmstSummary {
    pub to_years: f64,
    pub mean: f64,
    pub se: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SurvivalSummary {
    pub at_years: ByYear,
    /// Null when the curve never falls to 0.5 within the horizon.
    pub median_years: Option<f64>,
    /// Brookmeyer-Crowley 95% interval; a null upper limit is above the horizon.
    pub median_ci95_years: [Option<f64>; 2],
    pub rmst_years: Option<RmstSummary>,
    pub cumulative_hazard_at_years: ByYear,
    pub ended: usize,
    pub censored: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CauseSummary {
    pub cause: String,
    pub events: usize,
    pub cumulative_incidence_at_horizon: f64,
    pub rate_per_year: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EndCauses {
    pub withdrawal: f64,
    pub understaffed: f64,
    /// Share cancelled by the sponsor; only for an imposed collaboration (absent otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancelled: Option<f64>,
    pub censored: f64,
    pub competing_risks: Vec<CauseSummary>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrgEnds {
    pub withdrawal: f64,
    pub understaffed: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrgSavings {
    pub mean_gbp: f64,
    pub share: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavingsSummary {
    pub mean_total_gbp: f64,
    pub mean_by_year2_gbp: f64,
    pub by_org: IndexMap<String, OrgSavings>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffSummary {
    pub staff_before: u32,
    pub posts: u32,
    pub mean_active_end: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeansAtEnd {
    pub trust: f64,
    pub motivation: f64,
    pub willingness: f64,
    pub leader_changes: f64,
}

/// An ensemble of parameter sets spread over the replicates: replicate i ran with set
/// i mod `parameter_sets`, so the results carry the parameters' uncertainty as well as
/// chance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnsembleSummary {
    pub file: String,
    pub sha256: String,
    pub parameter_sets: usize,
    pub parameters: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub scenario: String,
    pub file: String,
    pub sha256: String,
    pub crate_version: String,
    pub seed: u64,
    pub replicates: u64,
    pub horizon_years: f64,
    pub horizon_weeks: u32,
    pub overrides: Vec<String>,
    /// The ensemble of parameter sets the replicates ran with (`--ensemble`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ensemble: Option<EnsembleSummary>,
    pub survival: SurvivalSummary,
    pub end_causes: EndCauses,
    pub end_by_org: IndexMap<String, OrgEnds>,
    pub savings: SavingsSummary,
    pub staff: StaffSummary,
    pub means_at_end: MeansAtEnd,
    /// Every parameter with the value the model used: as the registry renders the run
    /// specification, with each value left unset in the file replaced by the one the model
    /// derived for it (listed in `derived`). Null only where nothing was used (no lead
    /// partner).
    pub parameters: serde_json::Value,
    /// The values in `parameters` that the file left unset and the model derived, with the
    /// rule that gave each; absent when there are none (and in summaries written before it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub derived: Vec<DerivedValue>,
}

/// A parameter the file left unset, the value the model used and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DerivedValue {
    pub path: String,
    pub value: f64,
    pub rule: String,
}

/// The parameters the model fills in when the file leaves them unset (`Params::derive`):
/// each partner's leader turnover (the global one), cost and benefit shares (an equal split),
/// and the unit's posts (the staff the partners bring).
fn derived_values(p: &crate::model::Params) -> Vec<DerivedValue> {
    let mut v = Vec::new();
    if p.collaboration.posts.is_none() {
        v.push(DerivedValue {
            path: "collaboration.posts".into(),
            value: p.derived.posts as f64,
            rule: "unset: the staff the partners bring".into(),
        });
    }
    let n = p.organizations.len();
    for (o, (name, org)) in p.org_names.iter().zip(&p.organizations).enumerate() {
        let path = |k: &str| format!("organizations.{name}.{k}");
        if org.leader_turnover_per_year.is_none() {
            v.push(DerivedValue {
                path: path("leader_turnover_per_year"),
                value: p.derived.leader_turnover_per_year[o],
                rule: "unset: leadership.turnover_per_year".into(),
            });
        }
        if org.cost_share.is_none() {
            v.push(DerivedValue {
                path: path("cost_share"),
                value: p.derived.cost_share[o],
                rule: format!("unset: an equal split among {n} partners"),
            });
        }
        if org.benefit_share.is_none() {
            v.push(DerivedValue {
                path: path("benefit_share"),
                value: p.derived.benefit_share[o],
                rule: format!("unset: an equal split among {n} partners"),
            });
        }
    }
    v
}

/// `spec`'s parameters as JSON with each derived value in place of its null.
fn parameters_used(spec: &crate::scenario::RunSpec, derived: &[DerivedValue]) -> serde_json::Value {
    let mut j = spec.to_json();
    for d in derived {
        let pointer = if let Some(rest) = d.path.strip_prefix("organizations.") {
            let (org, key) = rest.rsplit_once('.').expect("organizations.NAME.key");
            format!("/organizations/{}/{key}", org.replace('~', "~0").replace('/', "~1"))
        } else {
            format!("/{}", d.path.replace('.', "/"))
        };
        if let Some(slot) = j.pointer_mut(&pointer) {
            *slot = serde_json::json!(d.value);
        }
    }
    j
}

fn mean(xs: impl Iterator<Item = f64>) -> f64 {
    let (s, n) = xs.fold((0.0, 0u64), |(s, n), x| (s + x, n + 1));
    if n == 0 { 0.0 } else { s / n as f64 }
}

/// Rounds for presentation so that tiny float noise never shows as a change.
fn r6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

impl Summary {
    pub fn build(input: &SummaryInput<'_>) -> Summary {
        let sc = input.scenario;
        let spec = &sc.spec;
        let p = &spec.params;
        let out = input.outcomes;
        let n = out.len().max(1) as f64;

        let stats = input.stats;
        let derived = derived_values(p);
        let km = &stats.km;
        let years = |w: Option<f64>| w.map(|w| r6(w / 52.0));
        let na = NelsonAalen::fit(
            &out.iter().map(|r| Observation { time: r.end_week as f64, event: !r.censored }).collect::<Vec<_>>(),
        );
        let within = |y: u32| y * 52 <= p.horizon_weeks;
        let survival = SurvivalSummary {
            at_years: ByYear::from_fn(|y| within(y).then(|| r6(km.survival_at((y * 52) as f64)))),
            median_years: km.median().map(|w| r6(w / 52.0)),
            median_ci95_years: [years(stats.median.lower), years(stats.median.upper)],
            rmst_years: stats.rmst.map(|r| RmstSummary {
                to_years: r6(r.tau / 52.0),
                mean: r6(r.mean / 52.0),
                se: r6(r.se / 52.0),
            }),
            cumulative_hazard_at_years: ByYear::from_fn(|y| within(y).then(|| r6(na.cum_hazard_at((y * 52) as f64)))),
            ended: out.iter().filter(|r| !r.censored).count(),
            censored: out.iter().filter(|r| r.censored).count(),
        };
        let competing_risks = stats
            .cause_labels
            .iter()
            .enumerate()
            .map(|(k, label)| CauseSummary {
                cause: label.clone(),
                events: stats.rates[k].events,
                cumulative_incidence_at_horizon: r6(stats.incidence_at_horizon(k)),
                rate_per_year: r6(stats.rates[k].rate * 52.0),
            })
            .collect();
        let share = |pred: &dyn Fn(&ReplicateOutcome) -> bool| r6(out.iter().filter(|r| pred(r)).count() as f64 / n);
        let end_causes = EndCauses {
            withdrawal: share(&|r| r.end_cause == Some(EndCause::Withdrawal)),
            understaffed: share(&|r| r.end_cause == Some(EndCause::Understaffed)),
            cancelled: (p.sponsor.commitment > 0.0).then(|| share(&|r| r.end_cause == Some(EndCause::Cancelled))),
            censored: share(&|r| r.censored),
            competing_risks,
        };
        let end_by_org = p
            .org_names
            .iter()
            .enumerate()
            .map(|(o, name)| {
                let ends = OrgEnds {
                    withdrawal: share(&|r| r.end_org == Some(o) && r.end_cause == Some(EndCause::Withdrawal)),
                    understaffed: share(&|r| r.end_org == Some(o) && r.end_cause == Some(EndCause::Understaffed)),
                };
                (name.clone(), ends)
            })
            .collect();
        let total_savings = mean(out.iter().map(|r| r.savings_gbp));
        let by_org = p
            .org_names
            .iter()
            .enumerate()
            .map(|(o, name)| {
                let s = mean(out.iter().map(|r| r.savings_by_org[o]));
                let share = if total_savings > 0.0 { s / total_savings } else { 0.0 };
                (name.clone(), OrgSavings { mean_gbp: r6(s), share: r6(share) })
            })
            .collect();
        Summary {
            scenario: spec.run.name.clone(),
            file: sc.path.display().to_string(),
            sha256: sc.sha256.clone(),
            crate_version: env!("CARGO_PKG_VERSION").to_string(),
            seed: spec.run.seed,
            replicates: spec.run.replicates,
            horizon_years: spec.run.years,
            horizon_weeks: p.horizon_weeks,
            overrides: sc.overrides.clone(),
            ensemble: sc.ensemble.as_ref().map(|e| EnsembleSummary {
                file: e.ensemble.file.clone(),
                sha256: e.ensemble.sha256.clone(),
                parameter_sets: e.ensemble.len(),
                parameters: e.ensemble.params.clone(),
            }),
            survival,
            end_causes,
            end_by_org,
            savings: SavingsSummary {
                mean_total_gbp: r6(total_savings),
                mean_by_year2_gbp: r6(mean(out.iter().map(|r| r.savings_y2_gbp))),
                by_org,
            },
            staff: StaffSummary {
                staff_before: p.baseline_staff(),
                posts: p.derived.posts,
                mean_active_end: r6(mean(out.iter().map(|r| r.active_staff_end as f64))),
            },
            means_at_end: MeansAtEnd {
                trust: r6(mean(out.iter().map(|r| r.mean_trust_end))),
                motivation: r6(mean(out.iter().map(|r| r.mean_motivation_end))),
                willingness: r6(mean(out.iter().map(|r| r.mean_willingness_end))),
                leader_changes: r6(mean(out.iter().map(|r| r.leader_changes as f64))),
            },
            parameters: parameters_used(spec, &derived),
            derived,
        }
    }

    pub fn to_json(&self) -> Vec<u8> {
        let mut v = serde_json::to_vec_pretty(self).expect("summary serializes");
        v.push(b'\n');
        v
    }
}
