//! The report of a comparison: the question, each variant's difference from the baseline
//! in words, a table of every arm, the overlaid figures and the chart of differences, the
//! causes per arm, what differs and how to reproduce it. One variant or a ladder.

use std::fmt::Write;

use super::*;
use crate::analysis::arm::ArmStats;
use crate::output::comparison::{ComparisonSet, p_words, report_years};
use crate::output::figures::Figures;

fn quoted(s: &str) -> String {
    format!("'{}'", esc(s))
}

/// The report of a baseline and its variants; `differences` is the SVG of the chart of
/// each variant's difference in mean lifetime, if drawn.
pub fn compare_report(set: &ComparisonSet<'_>, figures: &Figures, differences: Option<&str>, command: &str) -> String {
    let a = &set.baseline.input;
    let n_var = set.variants.len();
    let mut h = String::new();
    let title = match (n_var, &set.ladder) {
        (1, _) => format!("What if: {} compared with {}", set.variants[0].0.input.label, a.label),
        (_, Some(l)) if l.also.is_empty() => {
            format!("What if {} were {}? Compared with {}", l.key, l.values.join(", "), a.label)
        }
        (_, Some(l)) => format!(
            "What if {} were {}, with {}? Compared with {}",
            l.key,
            l.values.join(", "),
            l.also.join(", "),
            a.label
        ),
        _ => format!("What if: {n_var} variants compared with {}", a.label),
    };
    let _ = writeln!(h, "<h1>{}</h1>", esc(&title));
    let tau = set.tau_weeks;
    let _ = writeln!(
        h,
        "<p class=\"lead\">The question: how would the collaboration's lifetime change under {} rather than the baseline, {}? Every arm was simulated {} times with the same random seeds (common random numbers), so a difference is the change itself, not chance. All statistics run to {} years, the shortest horizon of the arms.</p>",
        if n_var == 1 { quoted(set.variants[0].0.input.label) } else { format!("each of {n_var} variants") },
        quoted(a.label),
        thousands(a.outcomes.len() as u64),
        years(tau)
    );
    for w in &set.warnings {
        let _ = writeln!(h, "<p class=\"headline\"><strong>Warning:</strong> {}</p>", esc(w));
    }
    h.push_str("<div class=\"headline\">\n");
    let _ = writeln!(
        h,
        "<p>Under the baseline {}, {} of runs were still running after {} years; {}.</p>",
        quoted(a.label),
        pct(a.stats.km.survival_at(tau)),
        years(tau),
        median_words(a.stats, tau)
    );
    for (v, c) in &set.variants {
        let b = &v.input;
        let mut s = format!(
            "Under {}, {} were still running after {} years",
            quoted(b.label),
            pct(b.stats.km.survival_at(tau)),
            years(tau)
        );
        if c.identical() {
            s.push_str(", exactly as in the baseline: it changes no parameter.");
        } else if let Some(d) = c.rmst_difference {
            let word = if d.estimate < 0.0 { "shorter" } else { "longer" };
            let _ = write!(
                s,
                "; on average a collaboration ran {:.2} years {word} than in the baseline ({} against {} of the first {} years; 95% confidence interval for the difference {:+.2} to {:+.2} years)",
                d.estimate.abs() / WEEKS_PER_YEAR,
                years(c.rmst[1]),
                years(c.rmst[0]),
                years(tau),
                d.lower / WEEKS_PER_YEAR,
                d.upper / WEEKS_PER_YEAR
            );
            match &c.logrank {
                Some(l) if l.p_value < 0.05 => {
                    let _ = write!(
                        s,
                        ". The survival curves differ by more than chance would give (log-rank test, {}).",
                        p_words(l.p_value)
                    );
                }
                Some(l) => {
                    let _ = write!(
                        s,
                        ". The difference between the survival curves could be chance (log-rank test, {}).",
                        p_words(l.p_value)
                    );
                }
                None => s.push_str(". No run ended in either arm, so there is no difference in survival to test."),
            }
        } else {
            s.push('.');
        }
        let _ = writeln!(h, "<p>{s}</p>");
    }
    h.push_str("</div>\n");

    h.push_str("<h2>Every arm at a glance</h2>\n");
    let yrs = report_years(tau);
    h.push_str("<table>\n<tr><th>Arm</th><th>Median lifetime (95% CI)</th>");
    for y in &yrs {
        let _ = write!(h, "<th>Still running after {y} {}</th>", if *y == 1.0 { "year" } else { "years" });
    }
    let _ = writeln!(
        h,
        "<th>Mean lifetime to {} years</th><th>Difference from the baseline (95% CI)</th><th>Log-rank test</th></tr>",
        years(tau)
    );
    let arms = std::iter::once((&set.baseline, None)).chain(set.variants.iter().map(|(v, c)| (v, Some(c))));
    for (x, c) in arms {
        let s = x.input.stats;
        let _ = write!(
            h,
            "<tr><td>{}<br><span class=\"small\">{}/</span></td><td class=\"num\">{}</td>",
            esc(x.input.label),
            esc(x.folder),
            median_cell(s, tau)
        );
        for y in &yrs {
            let _ = write!(h, "<td class=\"num\">{}</td>", pct(s.km.survival_at(y * WEEKS_PER_YEAR)));
        }
        let rmst = c.map_or_else(
            || set.variants.first().map_or(String::new(), |(_, c)| format!("{} years", years(c.rmst[0]))),
            |c| format!("{} years", years(c.rmst[1])),
        );
        let diff = match c.and_then(|c| c.rmst_difference) {
            Some(d) => format!(
                "{:+.2} ({:+.2} to {:+.2}) years",
                d.estimate / WEEKS_PER_YEAR,
                d.lower / WEEKS_PER_YEAR,
                d.upper / WEEKS_PER_YEAR
            ),
            None if c.is_none() => "(the baseline)".into(),
            None => "-".into(),
        };
        let test = match c.map(|c| (c.identical(), c.logrank.as_ref())) {
            None => String::new(),
            Some((true, _)) => "identical arms".into(),
            Some((false, Some(l))) => format!("chi-square {:.1}, {}", l.chi_square, p_words(l.p_value)),
            Some((false, None)) => "no run ended".into(),
        };
        let _ = writeln!(h, "<td class=\"num\">{rmst}</td><td class=\"num\">{diff}</td><td>{test}</td></tr>");
    }
    h.push_str("</table>\n<p class=\"small\">Mean lifetime to the horizon is the restricted mean survival time: the average number of years a collaboration ran, counting a run still going at the horizon as lasting to it. Its difference and interval come from the replicate-by-replicate differences, which the shared seeds make possible. The log-rank test asks whether the two survival curves could differ by chance alone.</p>\n");

    h.push_str("<h2>How long the collaboration lasts</h2>\n");
    h.push_str(&figure(&figures.survival, "Share of simulated collaborations still running in each arm, with 95% confidence bands; ticks mark runs still alive at the horizon."));
    if let Some(svg) = differences {
        h.push_str(&figure(svg, "Each variant's difference in mean lifetime to the horizon from the baseline, with its 95% confidence interval (from the paired differences); the line at 0 is no difference."));
    }
    let _ = write!(
        h,
        "<h2>Why it ends</h2>\n<table>\n<tr><th>How the collaboration ended (share of runs by {} years)</th>",
        years(tau)
    );
    for l in set.labels() {
        let _ = write!(h, "<th>{}</th>", esc(l));
    }
    h.push_str("</tr>\n");
    let mut causes: Vec<String> = a.stats.cause_labels.clone();
    for (v, _) in &set.variants {
        causes.extend(v.input.stats.cause_labels.iter().filter(|l| !a.stats.cause_labels.contains(l)).cloned());
    }
    causes.dedup();
    let share = |s: &ArmStats, cause: &str| {
        s.cause_labels
            .iter()
            .position(|l| l == cause)
            .map_or("-".to_string(), |k| pct(s.incidence.incidence_at(k, tau)))
    };
    for cause in &causes {
        let _ = write!(h, "<tr><td>{}</td><td class=\"num\">{}</td>", esc(cause), share(a.stats, cause));
        for (v, _) in &set.variants {
            let _ = write!(h, "<td class=\"num\">{}</td>", share(v.input.stats, cause));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</table>\n");
    h.push_str("<p>The rate ratio compares how often a cause ends a collaboration per year it is running (its rate per year at risk) in a variant with the baseline: 2 means twice as often, 0.5 half as often; '-' where a cause never happened in one of the two.</p>\n<table>\n<tr><th>How the collaboration ended (rate ratio, 95% CI)</th>");
    for (v, _) in &set.variants {
        let _ = write!(h, "<th>{} / baseline</th>", esc(v.input.label));
    }
    h.push_str("</tr>\n");
    for cause in &causes {
        let _ = write!(h, "<tr><td>{}</td>", esc(cause));
        for (_, c) in &set.variants {
            let r = c.causes.iter().find(|r| &r.cause == cause).and_then(|r| r.ratio);
            let cell = r.map_or("-".to_string(), |q| format!("{:.2} ({:.2} to {:.2})", q.ratio, q.lower, q.upper));
            let _ = write!(h, "<td class=\"num\">{cell}</td>");
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</table>\n");
    h.push_str(&figure(&figures.incidence, "Cumulative incidence of each end cause in each arm (Aalen-Johansen): the share of all runs that had ended that way by each time."));
    h.push_str("<h2>Staff and partners over time</h2>\n");
    h.push_str(&figure(&figures.panels, "Whole-unit means over the runs still going each week, with the 5-95% range across runs, one line per arm. Each arm's own folder has the per-organization panels."));
    h.push_str("<h2>What differs from the baseline</h2>\n");
    h.push_str(&ensemble_note(a));
    let mut keys: Vec<(String, String)> = Vec::new();
    for (_, c) in &set.variants {
        for (k, x, _) in &c.parameter_differences {
            if !keys.iter().any(|(q, _)| q == k) {
                keys.push((k.clone(), x.clone()));
            }
        }
    }
    if keys.is_empty() {
        h.push_str("<p>No parameter differs.</p>\n");
    } else {
        h.push_str("<table>\n<tr><th>Parameter</th><th>Baseline</th>");
        for (v, _) in &set.variants {
            let _ = write!(h, "<th>{}</th>", esc(v.input.label));
        }
        h.push_str("</tr>\n");
        for (k, base) in &keys {
            let _ = write!(h, "<tr><td><code>{}</code></td><td>{}</td>", esc(k), esc(base));
            for (_, c) in &set.variants {
                let v = c.parameter_differences.iter().find(|(q, _, _)| q == k).map_or(base.as_str(), |(_, _, v)| v);
                let _ = write!(h, "<td>{}</td>", esc(v));
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</table>\n");
    }
    h.push_str(&reproduce(a, command));
    let folders: Vec<String> = std::iter::once(&set.baseline)
        .chain(set.variants.iter().map(|(v, _)| v))
        .map(|x| format!("{}/", x.folder))
        .collect();
    let _ = writeln!(
        h,
        "<p class=\"small\">Files in this folder: comparison.json and comparison.csv (every number above), survival/incidence/state{} as SVG and PNG, and {} with each arm's own run outputs and report.</p>",
        if differences.is_some() { "/differences" } else { "" },
        folders.join(", ")
    );
    page(&title, &h)
}

fn median_words(s: &ArmStats, tau: f64) -> String {
    s.km.median().filter(|&m| m <= tau).map_or("more than half were still running then".to_string(), |m| {
        format!("half had ended by {} years", years(m))
    })
}

fn median_cell(s: &ArmStats, tau: f64) -> String {
    match s.km.median().filter(|&m| m <= tau) {
        None => format!("above {} years", years(tau)),
        Some(m) => format!(
            "{} ({} to {}) years",
            years(m),
            s.median.lower.map_or("-".into(), years),
            s.median.upper.map_or("beyond".into(), years)
        ),
    }
}
