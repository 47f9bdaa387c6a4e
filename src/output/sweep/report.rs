//! `report.html` of a sweep, in the style of the run report: the question, the design, the
//! headline range of the output in words, the figures, the sensitivity indices, the best and
//! worst design points, and how to reproduce it.

use std::fmt::Write;

use crate::output::report::{esc, page, thousands};
use crate::scenario::experiment::{DesignKind, OutputKind, SweepPlan, toml_number};

/// Inline SVG of each figure the sweep drew.
#[derive(Default)]
pub struct SweepFigures {
    pub heatmap: Option<String>,
    pub response: Option<String>,
    pub survival: Option<String>,
    pub sensitivity: Option<String>,
}

/// One parameter's indices: Morris (mu, mu*, sigma) or Sobol (S1, lo, hi, ST, lo, hi).
pub struct SensitivityRow {
    pub parameter: String,
    pub values: Vec<f64>,
}

fn fmt_value(plan: &SweepPlan, v: f64) -> String {
    if plan.output == OutputKind::Savings {
        format!("£{}", thousands(v.round().max(0.0) as u64))
    } else if plan.output == OutputKind::Survival {
        format!("{:.1}%", 100.0 * v)
    } else {
        format!("{v:.2} years")
    }
}

fn at_point(plan: &SweepPlan, i: usize) -> String {
    plan.params
        .iter()
        .zip(&plan.points[i])
        .map(|(p, x)| format!("{} = {}", p.key, toml_number(*x)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `sorted` holds (output, point) for the points with a finite output, ascending.
pub fn sweep_report(plan: &SweepPlan, figs: &SweepFigures, sens: &[SensitivityRow], sorted: &[(f64, usize)]) -> String {
    let mut b = String::new();
    let n = plan.points.len();
    let _ = writeln!(b, "<h1>{}</h1>", esc(&plan.name));
    let keys: Vec<String> = plan.params.iter().map(|p| format!("<code>{}</code>", esc(&p.key))).collect();
    let _ = writeln!(
        b,
        "<p class=\"lead\">The question: how does the {} of '{}' change as {} vary?</p>",
        esc(&plan.output_label()),
        esc(&plan.scenario_name),
        keys.join(", ")
    );
    let design = match plan.design {
        DesignKind::Grid => "a full grid over the listed values",
        DesignKind::Lhs => "a Latin hypercube sample of the ranges",
        DesignKind::Morris => "Morris trajectories (elementary effects)",
        DesignKind::Sobol => "Saltelli's sampling for Sobol indices",
    };
    b.push_str("<div class=\"headline\">\n");
    let _ = writeln!(
        b,
        "<p>{} design points ({design}), {} simulated futures each: {} runs in all. Every point uses the same seeds, so the differences between points are the parameters' doing, not chance.</p>",
        thousands(n as u64),
        thousands(plan.replicates),
        thousands(n as u64 * plan.replicates)
    );
    if let Some(e) = &plan.ensemble {
        let _ = writeln!(
            b,
            "<p>Every point ran with an ensemble of {} parameter sets from <code>{}</code> (SHA-256 <code>{}</code>) on {}: replicate i used set i mod {}, then the point's values, so each point's results carry the uncertainty in those parameters as well as chance.</p>",
            thousands(e.len() as u64),
            esc(&e.file),
            esc(&e.sha256),
            e.params.iter().map(|p| format!("<code>{}</code>", esc(p))).collect::<Vec<_>>().join(", "),
            e.len()
        );
    }
    if let (Some(lo), Some(hi)) = (sorted.first(), sorted.last()) {
        let _ = writeln!(
            b,
            "<p>The {} ranged from {} (at {}) to {} (at {}).</p>",
            esc(&plan.output_label()),
            fmt_value(plan, lo.0),
            esc(&at_point(plan, lo.1)),
            fmt_value(plan, hi.0),
            esc(&at_point(plan, hi.1))
        );
    }
    if let Some(top) = sens.iter().max_by(|a, c| {
        let k = if plan.design == DesignKind::Morris { 1 } else { 3 };
        a.values[k].total_cmp(&c.values[k])
    }) {
        let (what, v) = if plan.design == DesignKind::Morris {
            ("mu*", top.values[1])
        } else {
            ("total Sobol index", top.values[3])
        };
        let _ = writeln!(
            b,
            "<p>The most influential parameter is <code>{}</code> ({what} {v:.3}).</p>",
            esc(&top.parameter)
        );
    }
    b.push_str("</div>\n");
    let fig = |b: &mut String, svg: &Option<String>, caption: &str| {
        if let Some(s) = svg {
            let s =
                s.trim_start().strip_prefix("<?xml").and_then(|s| s.split_once("?>")).map_or(s.as_str(), |(_, r)| r);
            let _ = writeln!(b, "<figure>\n{s}\n<figcaption>{}</figcaption>\n</figure>", esc(caption));
        }
    };
    if figs.heatmap.is_some() || figs.response.is_some() || figs.survival.is_some() {
        b.push_str("<h2>How the result moves with the parameters</h2>\n");
    }
    fig(&mut b, &figs.heatmap, "The output at each pair of levels of the first two parameters.");
    let response_caption = if plan.design == DesignKind::Grid {
        "The output over the first parameter with its 95% interval."
    } else {
        "The output at every design point against each parameter, with its 95% interval."
    };
    fig(&mut b, &figs.response, response_caption);
    fig(
        &mut b,
        &figs.survival,
        "Share of collaborations still running, all runs at each level of the first parameter pooled.",
    );
    if !sens.is_empty() {
        b.push_str("<h2>Which parameters matter</h2>\n");
        fig(&mut b, &figs.sensitivity, "Sensitivity of the output to each parameter over its whole range.");
        if plan.design == DesignKind::Morris {
            b.push_str("<table>\n<tr><th>Parameter</th><th>mu</th><th>mu* (importance)</th><th>sigma (interactions, non-linearity)</th></tr>\n");
        } else {
            b.push_str(
                "<table>\n<tr><th>Parameter</th><th>First order S1 (95% CI)</th><th>Total ST (95% CI)</th></tr>\n",
            );
        }
        for r in sens {
            let v = &r.values;
            if plan.design == DesignKind::Morris {
                let _ = writeln!(
                    b,
                    "<tr><td><code>{}</code></td><td class=\"num\">{:.4}</td><td class=\"num\">{:.4}</td><td class=\"num\">{:.4}</td></tr>",
                    esc(&r.parameter),
                    v[0],
                    v[1],
                    v[2]
                );
            } else {
                let _ = writeln!(
                    b,
                    "<tr><td><code>{}</code></td><td class=\"num\">{:.3} ({:.3} to {:.3})</td><td class=\"num\">{:.3} ({:.3} to {:.3})</td></tr>",
                    esc(&r.parameter),
                    v[0],
                    v[1],
                    v[2],
                    v[3],
                    v[4],
                    v[5]
                );
            }
        }
        b.push_str("</table>\n");
    }
    b.push_str(
        "<h2>Best and worst design points</h2>\n<table>\n<tr><th>Point</th><th>Parameters</th><th>Output</th></tr>\n",
    );
    let shown: Vec<&(f64, usize)> = if sorted.len() <= 10 {
        sorted.iter().rev().collect()
    } else {
        sorted.iter().rev().take(5).chain(sorted.iter().take(5).collect::<Vec<_>>().into_iter().rev()).collect()
    };
    for (v, i) in shown {
        let _ = writeln!(
            b,
            "<tr><td class=\"num\">{i}</td><td>{}</td><td class=\"num\">{}</td></tr>",
            esc(&at_point(plan, *i)),
            fmt_value(plan, *v)
        );
    }
    b.push_str("</table>\n<p class=\"small\">Every point is a row of sweep.csv, with survival at 1, 2, 5 and 10 years, the median and RMST with 95% intervals, the share of runs ending by each cause and mean savings.</p>\n");
    b.push_str("<h2>The design</h2>\n<table>\n<tr><th>Parameter</th><th>Values</th></tr>\n");
    for p in &plan.params {
        let vals = match &p.levels {
            Some(l) => l.iter().map(|x| toml_number(*x)).collect::<Vec<_>>().join(", "),
            None => format!("{} to {}", toml_number(p.lo), toml_number(p.hi)),
        };
        let _ = writeln!(b, "<tr><td><code>{}</code></td><td>{}</td></tr>", esc(&p.key), esc(&vals));
    }
    b.push_str("</table>\n");
    if !plan.fixed.is_empty() {
        b.push_str("<p>Fixed at every point:</p>\n<ul>\n");
        for f in &plan.fixed {
            let _ = writeln!(b, "<li><code>{}</code></li>", esc(f));
        }
        b.push_str("</ul>\n");
    }
    let _ = writeln!(
        b,
        "<h2>Reproduce</h2>\n<p>collabsim {} &middot; experiment <code>{}</code> (SHA-256 <code>{}</code>) &middot; scenario <code>{}</code> (SHA-256 <code>{}</code>) &middot; seed {} &middot; plan {}.</p>\n<p><code>collabsim sweep {}</code></p>",
        esc(&plan.crate_version),
        esc(&plan.experiment_file),
        esc(&plan.experiment_sha256),
        esc(&plan.scenario_file),
        esc(&plan.scenario_sha256),
        plan.seed,
        esc(&plan.id),
        esc(&plan.experiment_file)
    );
    page(&plan.name, &b)
}
