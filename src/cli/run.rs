//! `collabsim run`: flags into a `RunRequest`, then a short report on standard output: plain
//! sentences first (typical lifetime, survival at 1, 2, 5 and 10 years, who pulls out and
//! why, savings), the statistics on one line below them.

use std::path::Path;

use collabsim::app::run::{RunRequest, run as run_scenario};
use collabsim::output::Summary;
use collabsim::output::report::{cause_meaning, gbp, pct, replicates_words, thousands};
use collabsim::scenario;

use super::args::RunArgs;
use super::progress::Bar;

pub fn run(a: RunArgs) -> anyhow::Result<()> {
    let sc = scenario::load(&a.scenario, &a.scenario_flags.overrides())?;
    let mut req = RunRequest::new(sc);
    if let Some(out) = a.out {
        req.out = out;
    }
    req.replicate = a.replicate;
    req.panic_at = a.debug_panic_at;
    req.ensemble = a.ensemble;
    req.series_per_replicate = a.series_per_replicate;
    let bar = Bar::new(a.exec.quiet);
    let result = run_scenario(req, &super::exec(a.exec.threads, &bar)?)?;
    if !a.exec.quiet {
        let outcomes = &result.arm.outcomes;
        let which = if outcomes.len() == 1 {
            replicates_words(outcomes.iter().map(|o| o.replicate))
        } else {
            format!("{} simulated futures", thousands(outcomes.len() as u64))
        };
        print!("{}", report_text(&result.arm.summary, &which, &result.out));
    }
    Ok(())
}

fn years(y: f64) -> String {
    format!("{y:.1} years")
}

/// The terminal report: what a policy analyst reads first, then the statistics.
fn report_text(s: &Summary, which: &str, out: &Path) -> String {
    let mut t = format!("{}: {which} over {} years\n", s.scenario, s.horizon_years);
    let sv = &s.survival;
    t += &match (sv.median_years, sv.median_ci95_years) {
        (Some(m), [lo, hi]) => format!(
            "  Typical lifetime: half of the collaborations had ended by {} (95% interval {} to {}).\n",
            years(m),
            lo.map_or("-".into(), years),
            hi.map_or("beyond the horizon".into(), years)
        ),
        (None, _) => format!(
            "  Typical lifetime: longer than the {}-year horizon (more than half were still running at the end).\n",
            s.horizon_years
        ),
    };
    let shape: Vec<String> = sv
        .at_years
        .iter()
        .into_iter()
        .filter_map(|(y, v)| v.map(|v| format!("{} after {y} year{}", pct(v), if y == 1 { "" } else { "s" })))
        .collect();
    if !shape.is_empty() {
        t += &format!("  Still running: {}.\n", shape.join(", "));
    }
    let c = &s.end_causes;
    match c.competing_risks.iter().filter(|r| r.events > 0).max_by_key(|r| r.events) {
        None => t += "  None of the runs ended within the horizon.\n",
        Some(top) => {
            t += &format!(
                "  Most often it ends because {} ({} of runs): {}\n",
                top.cause,
                pct(top.events as f64 / s.replicates.max(1) as f64),
                cause_meaning(&top.cause)
            );
            let ended = 1.0 - c.censored;
            if let Some((org, e)) = s.end_by_org.iter().max_by(|a, b| a.1.withdrawal.total_cmp(&b.1.withdrawal))
                && e.withdrawal > 0.0
                && ended > 0.0
            {
                t += &format!(
                    "  The partner that pulls out most often: {org} ({} of the runs that ended).\n",
                    pct(e.withdrawal / ended)
                );
            }
        }
    }
    t += &format!(
        "  Savings: {} by the end of year 2 and {} in all, on average.\n",
        gbp(s.savings.mean_by_year2_gbp),
        gbp(s.savings.mean_total_gbp)
    );
    // The statistics, for the researcher, on one line.
    let n = if s.replicates == 1 { which.to_string() } else { format!("{} replicates", s.replicates) };
    let mut stats = vec![format!("{n} over {} years (seed {})", s.horizon_years, s.seed)];
    stats.push(format!("{} ended, {} still running (censored)", sv.ended, sv.censored));
    if let Some(r) = &sv.rmst_years {
        stats.push(format!("restricted mean lifetime {:.2} years (SE {:.2}) to {} years", r.mean, r.se, r.to_years));
    }
    let mut ends = vec![format!("withdrawal {}", pct(c.withdrawal)), format!("understaffing {}", pct(c.understaffed))];
    if let Some(x) = c.cancelled {
        ends.push(format!("cancelled by the sponsor {}", pct(x)));
    }
    stats.push(format!("ended by {}", ends.join(", ")));
    t += &format!("  Statistics: {}.\n", stats.join("; "));
    t += &format!("  Report: {}\n", out.join("report.html").display());
    t
}
