//! One estimate for the page, as JSON: the `comparison` exactly as comparison.json records it
//! (the same `ComparisonSet` that `compare` builds, so the numbers are compare's), the plain
//! sentences the terminal prints, per arm the causes of the end and the partner most likely
//! to pull out, and the report's survival and cause charts as SVG text.

use serde_json::json;

use super::question::Checked;
use crate::app::compare::{CompareFacts, summary_lines};
use crate::engine::{ReplicateOutcome, arm_stats};
use crate::output::comparison::{ArmInput, ComparisonSet, SetArm};
use crate::output::figures::{ArmCurves, comparison_step_figures};
use crate::output::report::{cause_meaning, thousands};

const WEEKS_PER_YEAR: f64 = 52.0;

/// The estimate from `base` (and `variant`, if the question changes anything): replicates
/// `0..n` of each arm. `last`: no further stage will refine it.
pub fn build(
    c: &Checked,
    base: &[ReplicateOutcome],
    variant: Option<&[ReplicateOutcome]>,
    last: bool,
) -> std::io::Result<String> {
    let plans: Vec<_> = c.plan.arms.iter().take(if variant.is_some() { 2 } else { 1 }).collect();
    let outcomes: Vec<&[ReplicateOutcome]> = std::iter::once(base).chain(variant).collect();
    let stats: Vec<_> = plans
        .iter()
        .zip(&outcomes)
        .map(|(p, o)| {
            let q = &p.scenario.spec.params;
            arm_stats(o, &q.org_names, q.sponsor.commitment > 0.0, q.horizon_weeks)
        })
        .collect();
    let set_arm = |i: usize| SetArm {
        input: ArmInput {
            label: &plans[i].label,
            scenario: &plans[i].scenario,
            outcomes: outcomes[i],
            stats: &stats[i],
        },
        folder: &plans[i].folder,
    };
    let set = ComparisonSet::build(set_arm(0), (1..plans.len()).map(set_arm).collect(), None);
    let tau = set.tau_weeks;
    let n = base.len();
    let seed = plans[0].scenario.spec.run.seed;
    let title = match plans.len() {
        1 => format!("{} ({} replicates, seed {seed})", plans[0].label, thousands(n as u64)),
        _ => format!("{} vs {} ({} replicates each, seed {seed})", plans[0].label, plans[1].label, thousands(n as u64)),
    };
    let curves: Vec<ArmCurves<'_>> =
        plans.iter().zip(&stats).map(|(p, s)| ArmCurves { label: &p.label, stats: s }).collect();
    let horizon_years = stats.iter().map(|s| s.horizon_weeks).fold(tau, f64::max) / WEEKS_PER_YEAR;
    let (survival_svg, incidence_svg) = comparison_step_figures(None, &title, &curves, horizon_years)?;

    let arms: Vec<_> = plans
        .iter()
        .zip(&stats)
        .enumerate()
        .map(|(i, (p, s))| {
            let orgs = &p.scenario.spec.params.org_names;
            let causes: Vec<_> = s
                .cause_labels
                .iter()
                .enumerate()
                .map(|(k, l)| json!({ "cause": l, "share": s.incidence.incidence_at(k, tau), "meaning": cause_meaning(l) }))
                .collect();
            // A partner's withdrawals: causes 2o ('after a leader change') and 2o + 1.
            let partner = (0..orgs.len())
                .map(|o| (o, s.incidence.incidence_at(2 * o, tau) + s.incidence.incidence_at(2 * o + 1, tau)))
                .filter(|(_, x)| *x > 0.0)
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
                .map(|(o, x)| json!({ "partner": orgs[o], "share": x }));
            json!({
                "role": if i == 0 { "baseline" } else { "variant" },
                "label": p.label,
                "causes": causes,
                "partner_out": partner,
            })
        })
        .collect();
    let doc = json!({
        "replicates": n,
        "target": c.replicates,
        "final": last,
        "has_variant": variant.is_some(),
        "command": c.command(),
        "comparison": set.record(),
        "sentences": summary_lines(&CompareFacts::of(&set)),
        "arms": arms,
        "survival_svg": survival_svg,
        "incidence_svg": incidence_svg,
    });
    Ok(doc.to_string())
}
