//! The report of a comparison: the question, the difference in words, the overlaid
//! figures, the causes per arm, what differs and how to reproduce it.

use std::fmt::Write;

use super::*;
use crate::analysis::arm::ArmStats;
use crate::output::comparison::{ArmInput, Comparison};
use crate::output::figures::Figures;

/// The report of a comparison between a baseline and a variant.
pub fn compare_report(a: &ArmInput<'_>, b: &ArmInput<'_>, c: &Comparison, figures: &Figures, command: &str) -> String {
    let mut h = String::new();
    let title = format!("What if: {} compared with {}", b.label, a.label);
    let _ = writeln!(h, "<h1>{}</h1>", esc(&title));
    let _ = writeln!(
        h,
        "<p class=\"lead\">The question: how would the collaboration's lifetime change under '{}' rather than '{}'? Both were simulated {} times with the same random seeds, so the difference is the change itself, not chance.</p>",
        esc(b.label),
        esc(a.label),
        thousands(a.outcomes.len() as u64)
    );
    h.push_str("<div class=\"headline\">\n");
    let tau = c.tau_weeks;
    let sa = a.stats.km.survival_at(tau);
    let sb = b.stats.km.survival_at(tau);
    let _ = writeln!(
        h,
        "<p>After {} years, {} of runs were still running under '{}' and {} under '{}'.</p>",
        years(tau),
        pct(sa),
        esc(a.label),
        pct(sb),
        esc(b.label)
    );
    if let Some(d) = c.rmst_difference {
        let word = if d.estimate < 0.0 { "shorter" } else { "longer" };
        let _ = writeln!(
            h,
            "<p>On average a collaboration ran {:.2} years {word} under '{}' ({} against {} of the first {} years; 95% confidence interval for the difference {:+.2} to {:+.2} years).</p>",
            d.estimate.abs() / WEEKS_PER_YEAR,
            esc(b.label),
            years(c.rmst[1]),
            years(c.rmst[0]),
            years(tau),
            d.lower / WEEKS_PER_YEAR,
            d.upper / WEEKS_PER_YEAR
        );
    }
    if let Some(l) = &c.logrank {
        let verdict = if l.p_value < 0.05 {
            "The difference between the survival curves is larger than chance would give"
        } else {
            "The difference between the survival curves could be chance"
        };
        let _ = writeln!(
            h,
            "<p>{verdict} (log-rank test: chi-square {:.2} on 1 degree of freedom, p {}).</p>",
            l.chi_square,
            if l.p_value < 1e-4 { "< 0.0001".to_string() } else { format!("= {:.4}", l.p_value) }
        );
    } else {
        h.push_str("<p>No run ended in either arm, so there is no difference in survival to test.</p>\n");
    }
    let med = |s: &ArmStats| {
        s.km.median().map_or(format!("above {} years", years(s.horizon_weeks)), |m| format!("{} years", years(m)))
    };
    let _ = writeln!(
        h,
        "<p>Median lifetime: {} for '{}', {} for '{}'.</p>",
        med(a.stats),
        esc(a.label),
        med(b.stats),
        esc(b.label)
    );
    h.push_str("</div>\n");
    h.push_str("<h2>How long the collaboration lasts</h2>\n");
    h.push_str(&figure(&figures.survival, "Share of simulated collaborations still running in each arm, with 95% confidence bands; ticks mark runs still alive at the horizon."));
    h.push_str("<h2>Why it ends</h2>\n<table>\n<tr><th>How the collaboration ended</th><th>Share by the horizon: baseline</th><th>variant</th><th>Rate ratio (variant / baseline, 95% CI)</th></tr>\n");
    for r in &c.causes {
        let ratio = r.ratio.map_or("-".to_string(), |q| format!("{:.2} ({:.2} to {:.2})", q.ratio, q.lower, q.upper));
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&r.cause),
            pct(r.baseline_incidence),
            pct(r.variant_incidence),
            ratio
        );
    }
    h.push_str("</table>\n");
    h.push_str(&figure(&figures.incidence, "Cumulative incidence of each end cause in each arm (Aalen-Johansen)."));
    h.push_str("<h2>Staff and partners over time</h2>\n");
    h.push_str(&figure(&figures.panels, "Whole-unit means over the runs still going each week, with the 5-95% range across runs; one colour per arm. Each arm's own folder has the per-organization panels."));
    h.push_str("<h2>What differs from the baseline</h2>\n");
    h.push_str(&ensemble_note(a));
    if c.parameter_differences.is_empty() {
        h.push_str("<p>No parameter differs.</p>\n");
    } else {
        h.push_str("<table>\n<tr><th>Parameter</th><th>Baseline</th><th>Variant</th></tr>\n");
        for (k, x, y) in &c.parameter_differences {
            let _ = writeln!(h, "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>", esc(k), esc(x), esc(y));
        }
        h.push_str("</table>\n");
    }
    h.push_str(&reproduce(a, command));
    h.push_str("<p class=\"small\">Files in this folder: comparison.json and comparison.csv (every number above), survival/incidence/state as SVG and PNG, and baseline/ and variant/ with each arm's own run outputs and report.</p>\n");
    page(&title, &h)
}
