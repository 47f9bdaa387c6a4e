//! The report of one run (or of one arm of a comparison): the headline in words, the
//! survival, causes and state figures, what was changed, and how to reproduce it.

use std::fmt::Write;

use super::*;
use crate::output::comparison::ArmInput;
use crate::output::figures::Figures;

/// The report of one run.
pub fn run_report(x: &ArmInput<'_>, figures: &Figures, command: &str) -> String {
    let name = &x.scenario.spec.run.name;
    let s = x.stats;
    let mut b = String::new();
    let _ = writeln!(b, "<h1>{}</h1>", esc(name));
    let _ = writeln!(
        b,
        "<p class=\"lead\">The question: how long does this collaboration last across many possible futures, and why does it end when it ends?</p>"
    );
    b.push_str("<div class=\"headline\">\n");
    for sentence in survival_sentences(name, s) {
        let _ = writeln!(b, "<p>{sentence}</p>");
    }
    let n = x.outcomes.len().max(1) as f64;
    let savings = x.outcomes.iter().map(|r| r.savings_gbp).sum::<f64>() / n;
    let y2 = x.outcomes.iter().map(|r| r.savings_y2_gbp).sum::<f64>() / n;
    let _ = writeln!(b, "<p>It saved {} by the end of year 2 and {} in all, on average.</p>", gbp(y2), gbp(savings));
    b.push_str("</div>\n");
    b.push_str("<h2>How long the collaboration lasts</h2>\n");
    b.push_str(&figure(&figures.survival, "Share of simulated collaborations still running, with its 95% confidence band; the tick at the right marks runs still alive at the horizon (censored)."));
    b.push_str("<h2>Why it ends</h2>\n");
    b.push_str(&causes_table(s));
    b.push_str(&figure(&figures.incidence, "Cumulative incidence of each end cause (Aalen-Johansen): the share of all runs that had ended that way by each time. A withdrawal counts as 'after a leader change' if that partner's leader had taken office within the previous two years."));
    b.push_str("<h2>Staff and partners over time</h2>\n");
    b.push_str(&figure(
        &figures.panels,
        "Mean over the runs still going each week, with the 5-95% range across runs; one colour per organization.",
    ));
    b.push_str("<h2>What was changed</h2>\n");
    b.push_str(&ensemble_note(x));
    if x.scenario.overrides.is_empty() {
        b.push_str("<p>The scenario file as written, with no overrides.</p>\n");
    } else {
        b.push_str("<p>The scenario file with these overrides:</p>\n<ul>\n");
        for o in &x.scenario.overrides {
            let _ = writeln!(b, "<li><code>{}</code></li>", esc(o));
        }
        b.push_str("</ul>\n");
    }
    b.push_str(&reproduce(x, command));
    b.push_str("<p class=\"small\">Files in this folder: runs.csv (one row per simulated future), timeseries.csv (weekly means and 5-95% ranges), summary.json (all figures above), survival/incidence/state as SVG and PNG.</p>\n");
    page(name, &b)
}
