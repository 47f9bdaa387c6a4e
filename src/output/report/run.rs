//! The report of one run (or of one arm of a comparison): first the typical lifetime and the
//! shape of survival, then who pulls out and why, then the figures, the end causes with what
//! each label means, the assumptions that differ from the defaults, what was overridden, and
//! how to reproduce it. Each statistical term is explained where it first appears.

use std::fmt::Write;

use super::*;
use crate::model::EndCause;
use crate::model::registry::Effect;
use crate::output::comparison::ArmInput;
use crate::output::figures::Figures;
use crate::scenario::Scenario;
use crate::scenario::catalog::{ParamRow, groups, is_run_key};

/// Years at which the headline gives survival, in order; only those within the horizon.
const SHAPE_YEARS: [f64; 4] = [1.0, 2.0, 5.0, 10.0];

/// The title of an arm's report and figures: the scenario's name, and, when the arm is one
/// of a comparison or has overrides, its label and the overrides, so that nobody reads a
/// variant as the plain scenario.
pub fn arm_title(name: &str, label: &str, overrides: &[String]) -> String {
    // A comparison's arm label already names the scenario ('variant: ... (CS1 ... with ...)'):
    // then the label alone, so the name is not said twice.
    let mut t = if label.is_empty() || label == name {
        name.to_string()
    } else if label.contains(name) {
        label.to_string()
    } else {
        format!("{name} [{label}]")
    };
    // Run settings (seed, replicates, years) change how much is simulated, not what.
    let unnamed: Vec<&String> = model_overrides(overrides).filter(|o| !label.contains(o.as_str())).collect();
    if !unnamed.is_empty() {
        let list: Vec<&str> = unnamed.iter().map(|o| o.as_str()).collect();
        t = format!("{t} with {}", list.join(", "));
    }
    t
}

/// The overrides that change the model (not the run settings: seed, replicates, years).
fn model_overrides(overrides: &[String]) -> impl Iterator<Item = &String> {
    overrides.iter().filter(|o| !is_run_key(o.split_once('=').map_or(o.as_str(), |(k, _)| k.trim())))
}

/// The headline sentences: the median lifetime with its interval, survival at 1, 2, 5 and
/// 10 years (those within the horizon) and the restricted mean, each term explained once.
pub(super) fn lifetime_sentences(s: &ArmStats) -> Vec<String> {
    let h = s.horizon_weeks;
    let mut v = vec![match (s.km.median(), s.median.lower, s.median.upper) {
        (Some(m), lo, hi) => format!(
            "<strong>Typical lifetime: {} years.</strong> Half of the {} simulated collaborations had ended by {} years (the <dfn>median lifetime</dfn>; its <dfn>95% interval</dfn>, {} to {}, is the range that would contain the true median in 95 of 100 repeats of this experiment).",
            years(m),
            thousands(s.n as u64),
            years(m),
            lo.map_or("-".into(), |x| format!("{} years", years(x))),
            hi.map_or("beyond the horizon".into(), |x| format!("{} years", years(x)))
        ),
        (None, _, _) => format!(
            "<strong>Typical lifetime: longer than the {}-year horizon.</strong> More than half of the {} simulated collaborations were still running when the simulation stopped, so the <dfn>median lifetime</dfn> (the time by which half have ended) is beyond {} years.",
            years(h),
            thousands(s.n as u64),
            years(h)
        ),
    }];
    let mut shape: Vec<String> = SHAPE_YEARS
        .iter()
        .filter(|&&y| y * WEEKS_PER_YEAR <= h)
        .map(|&y| {
            format!("{} after {y} year{}", pct(s.km.survival_at(y * WEEKS_PER_YEAR)), if y == 1.0 { "" } else { "s" })
        })
        .collect();
    if !SHAPE_YEARS.iter().any(|&y| (y * WEEKS_PER_YEAR - h).abs() < 0.5) {
        shape.push(format!("{} at the {}-year horizon", pct(s.km.survival_at(h)), years(h)));
    }
    v.push(format!("Still running: {}.", shape.join(", ")));
    if let Some(r) = s.rmst {
        v.push(format!(
            "On average a collaboration ran {} of the {} years (the <dfn>restricted mean</dfn>: the average time running, counting only time up to the horizon; standard error {:.2} years).",
            years(r.mean),
            years(h),
            r.se / WEEKS_PER_YEAR
        ));
    }
    v
}

/// Who pulls out and why: the cause that most often ends it, and the partner whose
/// withdrawals end it most often.
pub(super) fn who_ends_it(x: &ArmInput<'_>) -> String {
    let s = x.stats;
    if s.events == 0 {
        return format!("None of the {} runs ended within the horizon.", thousands(s.n as u64));
    }
    let (k, top) = s.rates.iter().enumerate().max_by_key(|(k, r)| (r.events, std::cmp::Reverse(*k))).expect("causes");
    let label = &s.cause_labels[k];
    let mut t = format!(
        "<strong>Most often it ends because {}</strong>: {} of {} runs ({}). {}",
        esc(label),
        thousands(top.events as u64),
        thousands(s.n as u64),
        pct(top.events as f64 / s.n as f64),
        esc(&cause_meaning(label))
    );
    let names = &x.scenario.spec.params.org_names;
    let mut by_org = vec![0usize; names.len()];
    for o in x.outcomes {
        if let (Some(EndCause::Withdrawal), Some(org)) = (o.end_cause, o.end_org) {
            by_org[org] += 1;
        }
    }
    if let Some((o, &n)) = by_org.iter().enumerate().max_by_key(|(o, n)| (**n, std::cmp::Reverse(*o)))
        && n > 0
    {
        let _ = write!(
            t,
            " The partner that pulls out most often is {}: its withdrawals ended {} of the {} runs that ended.",
            esc(&names[o]),
            pct(n as f64 / s.events as f64),
            thousands(s.events as u64)
        );
    }
    t
}

/// The scenario's parameters whose values differ from the model's defaults (run settings
/// and labels aside), from the parameter registry.
pub fn assumptions(sc: &Scenario) -> Vec<ParamRow> {
    groups(Some(sc))
        .into_iter()
        .flat_map(|g| g.rows)
        .filter(|r| !matches!(r.effect, Effect::Run | Effect::Label))
        .filter(|r| match r.value.as_deref() {
            // A list of tables is listed element by element in the rows that follow it.
            None | Some("(not set)") => false,
            Some(v) => v != r.default && !v.starts_with("[{"),
        })
        .collect()
}

fn assumptions_table(sc: &Scenario) -> String {
    let rows = assumptions(sc);
    if rows.is_empty() {
        return "<p>Every parameter has the model's default value.</p>\n".into();
    }
    let mut t = format!(
        "<p>{} parameters differ from the model's defaults (the others, listed by <code>collabsim params</code>, keep their defaults):</p>\n<table>\n<tr><th>Parameter</th><th>Value</th><th>Default</th><th>Meaning</th></tr>\n",
        rows.len()
    );
    for r in rows {
        let _ = writeln!(
            t,
            "<tr><td><code>{}</code></td><td class=\"val\">{}</td><td class=\"val\">{}</td><td>{}{}</td></tr>",
            esc(&r.path),
            esc(r.value.as_deref().unwrap_or("")),
            esc(&r.default),
            esc(r.meaning),
            if r.unit.is_empty() || r.unit == "text" { String::new() } else { format!(" ({})", esc(r.unit)) }
        );
    }
    t.push_str("</table>\n");
    t
}

/// The report of one run.
pub fn run_report(x: &ArmInput<'_>, figures: &Figures, command: &str) -> String {
    let name = &x.scenario.spec.run.name;
    let title = arm_title(name, x.label, &x.scenario.overrides);
    let s = x.stats;
    let mut b = String::new();
    let _ = writeln!(b, "<h1>{}</h1>", esc(&title));
    let changed: Vec<&String> = model_overrides(&x.scenario.overrides).collect();
    if x.label != name.as_str() || !changed.is_empty() {
        let over = if changed.is_empty() {
            "no overrides of the model".to_string()
        } else {
            changed.iter().map(|o| format!("<code>{}</code>", esc(o))).collect::<Vec<_>>().join(", ")
        };
        let _ = writeln!(
            b,
            "<p class=\"arm\">This is <strong>{}</strong>: the scenario <em>{}</em> with {over}.{}</p>",
            esc(x.label),
            esc(name),
            if changed.is_empty() { "" } else { " It is not the plain scenario." }
        );
    }
    let _ = writeln!(
        b,
        "<p class=\"lead\">The question: how long does this collaboration last across many possible futures, and why does it end when it ends?</p>"
    );
    b.push_str("<div class=\"headline\">\n");
    for sentence in lifetime_sentences(s) {
        let _ = writeln!(b, "<p>{sentence}</p>");
    }
    let _ = writeln!(b, "<p>{}</p>", who_ends_it(x));
    let n = x.outcomes.len().max(1) as f64;
    let savings = x.outcomes.iter().map(|r| r.savings_gbp).sum::<f64>() / n;
    let y2 = x.outcomes.iter().map(|r| r.savings_y2_gbp).sum::<f64>() / n;
    let _ = writeln!(b, "<p>It saved {} by the end of year 2 and {} in all, on average.</p>", gbp(y2), gbp(savings));
    b.push_str("</div>\n");
    b.push_str("<h2>How long the collaboration lasts</h2>\n");
    b.push_str(&figure(&figures.survival, "Share of simulated collaborations still running. The shaded 95% confidence band is the range that would contain the true share in 95 of 100 repeats of this experiment. The ticks at the right mark runs still going when the simulation stopped: they are 'censored', meaning their end is not known, only that it comes later."));
    b.push_str("<h2>Why it ends</h2>\n");
    let _ = writeln!(
        b,
        "<p class=\"small\">{RATE_PER_YEAR_AT_RISK} 'Share by the horizon' is the share of all runs that had ended this way when the simulation stopped.</p>"
    );
    b.push_str(&causes_table(s));
    b.push_str(&figure(&figures.incidence, "Cumulative incidence of each end cause (Aalen-Johansen): the share of all runs that had ended that way by each time. A withdrawal counts as 'after a leader change' if that partner's leader had taken office within the previous two years; 'A withdrew' alone means no leader change at A in those two years."));
    b.push_str("<h2>Staff and partners over time</h2>\n");
    b.push_str(&figure(
        &figures.panels,
        "Mean over the runs still going each week, with the 5-95% range across runs (the band between the 5th and 95th percentiles: nine in ten runs lie inside it); one colour per organization.",
    ));
    b.push_str("<h2>What this scenario assumes</h2>\n");
    b.push_str(&assumptions_table(x.scenario));
    b.push_str("<h2>What was changed</h2>\n");
    b.push_str(&ensemble_note(x));
    if x.scenario.overrides.is_empty() {
        b.push_str("<p>The scenario file as written, with no overrides.</p>\n");
    } else {
        b.push_str("<p>The scenario file with these overrides (already included in the table above):</p>\n<ul>\n");
        for o in &x.scenario.overrides {
            let _ = writeln!(b, "<li><code>{}</code></li>", esc(o));
        }
        b.push_str("</ul>\n");
    }
    b.push_str(&reproduce(x, command));
    b.push_str("<p class=\"small\">Files in this folder: runs.csv (one row per simulated future), timeseries.csv (weekly means and 5-95% ranges), summary.json (all figures above), survival/incidence/state as SVG and PNG.</p>\n");
    page(&title, &b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_arm_title_names_the_arm_and_its_model_overrides_but_not_run_settings() {
        assert_eq!(arm_title("CS1", "CS1", &[]), "CS1");
        assert_eq!(arm_title("CS1", "CS1", &["replicates=40".into(), "seed=3".into()]), "CS1");
        assert_eq!(arm_title("CS1", "CS1", &["vision.initial=0.2".into()]), "CS1 with vision.initial=0.2");
        // A label that already names the override does not repeat it; other overrides are listed.
        let over = ["vision.initial=0.2".to_string(), "leadership.turnover_per_year=0.33".into()];
        assert_eq!(
            arm_title("CS1", "variant: leadership.turnover_per_year=0.33", &over),
            "CS1 [variant: leadership.turnover_per_year=0.33] with vision.initial=0.2"
        );
        // A label that names the scenario itself stands alone.
        assert_eq!(
            arm_title("CS1", "variant: no document (CS1 with collaboration.strategy_document=false)", &[]),
            "variant: no document (CS1 with collaboration.strategy_document=false)"
        );
    }
}
