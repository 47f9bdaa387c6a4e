//! A calibration's report.html: in words, what was accepted and which parameters the
//! targets pin down and which they leave free; each target with its observed and simulated
//! values; the waves; the figures; the method; how to use the accepted ensemble; how to
//! reproduce it. Self-contained like the other reports (`report::page`).

use std::fmt::Write;

use super::{Calibrated, Evaluated, Verdict};
use crate::output::report::{esc, page, pct, thousands};
use crate::scenario::calibration::{Statistic, TargetPlan};
use crate::scenario::experiment::toml_number;

/// A value of a target's statistic in its unit.
pub fn fmt_value(t: &TargetPlan, v: f64) -> String {
    let signed = t.baseline.is_some();
    match t.statistic {
        _ if t.statistic.is_share() && signed => format!("{v:+.3}"),
        _ if t.statistic.is_share() => format!("{v:.3}"),
        Statistic::Median | Statistic::Rmst if signed => format!("{v:+.2} years"),
        Statistic::Median | Statistic::Rmst => format!("{v:.2} years"),
        Statistic::Savings => {
            let s = format!("£{}", thousands(v.abs().round() as u64));
            if v < 0.0 {
                format!("-{s}")
            } else if signed {
                format!("+{s}")
            } else {
                s
            }
        }
        Statistic::StaffEnd if signed => format!("{v:+.1}"),
        Statistic::StaffEnd => format!("{v:.1}"),
        _ => format!("{v:.3}"),
    }
}

fn observed(t: &TargetPlan) -> String {
    let obs =
        if t.lo == t.hi { fmt_value(t, t.lo) } else { format!("{} to {}", fmt_value(t, t.lo), fmt_value(t, t.hi)) };
    let tol = match t.statistic {
        Statistic::Savings => format!("£{}", thousands(t.tolerance.round() as u64)),
        _ => toml_number(t.tolerance),
    };
    format!("{obs} (tolerance {tol})")
}

fn num(x: f64) -> String {
    let s = format!("{x:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

fn at_point(c: &Calibrated<'_>, e: &Evaluated) -> String {
    c.plan.priors.iter().zip(&e.x).map(|(p, x)| format!("{} = {}", p.key, num(*x))).collect::<Vec<_>>().join(", ")
}

fn arm_text(c: &Calibrated<'_>, arm: usize) -> String {
    let a = &c.plan.arms[arm];
    if a.set.is_empty() {
        format!("<code>{}</code>", esc(&a.scenario_file))
    } else {
        format!("<code>{}</code> with <code>{}</code>", esc(&a.scenario_file), esc(&a.set.join(" ")))
    }
}

fn figure(svg: &str, caption: &str) -> String {
    let svg = svg.trim_start().strip_prefix("<?xml").and_then(|s| s.split_once("?>")).map_or(svg, |(_, r)| r);
    format!("<figure>\n{svg}\n<figcaption>{}</figcaption>\n</figure>\n", esc(caption))
}

fn code_list(keys: &[String]) -> String {
    let v: Vec<String> = keys.iter().map(|k| format!("<code>{}</code>", esc(k))).collect();
    match v.len() {
        0 => String::new(),
        1 => v[0].clone(),
        n => format!("{} and {}", v[..n - 1].join(", "), v[n - 1]),
    }
}

/// The report; `marginal` and `pairwise` are the figures' SVG text.
pub fn calibration_report(c: &Calibrated<'_>, marginal: &str, pairwise: Option<&str>) -> String {
    let plan = c.plan;
    let n = c.evaluated.len();
    let acc = c.accepted.len();
    let mut b = String::new();
    let _ = writeln!(b, "<h1>{}</h1>", esc(&plan.name));
    let keys: Vec<String> = plan.priors.iter().map(|p| p.key.clone()).collect();
    let _ = writeln!(
        b,
        "<p class=\"lead\">The question: which values of {} let the model reproduce {} observed target{}? History matching simulates parameter sets in waves and rules out those that miss a target by more than chance and the tolerance allow; what is left is the accepted ensemble.</p>",
        code_list(&keys),
        plan.targets.len(),
        if plan.targets.len() == 1 { "" } else { "s" }
    );
    b.push_str("<div class=\"headline\">\n");
    let waves_run = c.waves.iter().filter(|w| !w.points.is_empty()).count();
    let _ = writeln!(
        b,
        "<p>{} parameter sets were simulated in {} wave{}, {} replicates per arm at each, every set on the same seeds (common random numbers).</p>",
        thousands(n as u64),
        waves_run,
        if waves_run == 1 { "" } else { "s" },
        thousands(plan.replicates)
    );
    if acc == 0 {
        let worst = (0..plan.targets.len()).max_by_key(|&t| (c.targets[t].ruled_out, std::cmp::Reverse(t)));
        let _ = writeln!(
            b,
            "<p><strong>No parameter set was accepted.</strong> Every one of the {} sets simulated was ruled out by at least one target (implausibility above {}), so within these prior ranges the model cannot meet the targets together.</p>",
            thousands(n as u64),
            num(plan.cut)
        );
        if let Some(t) = worst {
            let _ = writeln!(
                b,
                "<p>The target that ruled out most sets: '{}' ({} of {}).",
                esc(&plan.targets[t].name),
                c.targets[t].ruled_out,
                n
            );
            if let Some(best) = c.best {
                let e = &c.evaluated[best];
                let _ = write!(
                    b,
                    " The nearest set, {} (point {}), had largest implausibility {}.",
                    esc(&at_point(c, e)),
                    e.id,
                    fmt_i(e.max)
                );
            }
            b.push_str(" Check the targets' values and tolerances, widen the priors, or revisit the model.</p>\n");
        }
        b.push_str("<p>accepted.csv is empty, so there is no ensemble to run.</p>\n");
    } else {
        let _ = writeln!(
            b,
            "<p>{} of them ({}) were accepted: no target's implausibility above {}.</p>",
            thousands(acc as u64),
            pct(acc as f64 / n.max(1) as f64),
            num(plan.cut)
        );
        let pinned: Vec<String> =
            c.params.iter().filter(|p| p.verdict == Verdict::Pinned).map(|p| p.key.clone()).collect();
        let free: Vec<String> = c.params.iter().filter(|p| p.verdict == Verdict::Free).map(|p| p.key.clone()).collect();
        if !pinned.is_empty() {
            let _ = writeln!(
                b,
                "<p>The targets pin down {}: the accepted 5-95% range covers less than half of the prior range.</p>",
                code_list(&pinned)
            );
        }
        if !free.is_empty() {
            let _ = writeln!(
                b,
                "<p>They leave {} free: accepted values spread over half of the prior range or more, so these targets say little about {}.</p>",
                code_list(&free),
                if free.len() == 1 { "it" } else { "them" }
            );
        }
        if c.params.iter().any(|p| p.verdict == Verdict::TooFew) {
            let _ = writeln!(
                b,
                "<p>With fewer than {} accepted sets, it is too early to say which parameters the targets pin down; run more waves or points.</p>",
                super::MIN_FOR_VERDICT
            );
        }
    }
    if let Some(w) = c.stopped_after {
        let _ = writeln!(
            b,
            "<p>The calibration stopped after wave {w}: every set simulated so far was ruled out and no candidate passed the emulators, so there was no region left to sample.</p>"
        );
    }
    b.push_str("</div>\n");

    b.push_str("<h2>What the targets pin down</h2>\n");
    b.push_str("<table>\n<tr><th>Parameter</th><th>Prior range</th><th>Accepted 5-95%</th><th>Share of the prior width</th><th>In words</th></tr>\n");
    for p in &c.params {
        let range = format!("{} to {}{}", num(p.lo), num(p.hi), if p.declared { " (the declared range)" } else { "" });
        let accepted = match (p.q05, p.q95) {
            (Some(a), Some(z)) => format!("{} to {}", num(a), num(z)),
            _ => "-".into(),
        };
        let share = p.width_share.map_or("-".to_string(), pct);
        let words = match p.verdict {
            Verdict::Pinned => "pinned down",
            Verdict::Free => "left free",
            Verdict::TooFew => "too few accepted sets to tell",
            Verdict::NoneAccepted => "nothing accepted",
        };
        let _ = writeln!(
            b,
            "<tr><td><code>{}</code></td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            esc(&p.key),
            range,
            accepted,
            share,
            words
        );
    }
    b.push_str("</table>\n");
    let _ = writeln!(
        b,
        "<p class=\"small\">A parameter counts as pinned down when the 5th to 95th percentile of its accepted values spans less than {}% of its prior range (with at least {} accepted sets). Later waves sample the region not yet ruled out, so the accepted sets show its extent, not a probability distribution.</p>",
        (super::PINNED_BELOW * 100.0).round(),
        super::MIN_FOR_VERDICT
    );
    b.push_str(&figure(
        marginal,
        "Each parameter over its prior range: grey bars count every set simulated, blue bars the accepted ones.",
    ));
    if let Some(svg) = pairwise {
        b.push_str(&figure(svg, "Every pair of parameters: grey points were ruled out, blue points accepted. A blue band along one axis means the targets trade one parameter off against the other."));
    }

    b.push_str("<h2>The targets</h2>\n<table>\n<tr><th>Target</th><th>Statistic</th><th>Simulated with</th><th>Observed</th><th>Simulated at the best set (&plusmn; SE)</th><th>Over the accepted sets</th><th>Sets it ruled out</th></tr>\n");
    for (k, t) in plan.targets.iter().enumerate() {
        let s = &c.targets[k];
        let arms = match t.baseline {
            Some(base) => format!("{} minus {}", arm_text(c, t.arm), arm_text(c, base)),
            None => arm_text(c, t.arm),
        };
        let best = match s.best {
            Some(v) => match v.value {
                Some(x) => format!("{} &plusmn; {}", esc(&fmt_value(t, x)), esc(&fmt_value_abs(t, v.se))),
                None => "undefined".into(),
            },
            None => "-".into(),
        };
        let range = s.accepted_range.map_or("-".to_string(), |(a, z)| {
            if a == z {
                esc(&fmt_value(t, a))
            } else {
                format!("{} to {}", esc(&fmt_value(t, a)), esc(&fmt_value(t, z)))
            }
        });
        let _ = writeln!(
            b,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{} of {}</td></tr>",
            esc(&t.name),
            esc(&t.describe()),
            arms,
            esc(&observed(t)),
            best,
            range,
            s.ruled_out,
            n
        );
    }
    b.push_str("</table>\n");
    if let Some(best) = c.best {
        let e = &c.evaluated[best];
        let _ = writeln!(
            b,
            "<p class=\"small\">The best set is point {} (wave {}): {}; its largest implausibility is {}.</p>",
            e.id,
            e.wave,
            esc(&at_point(c, e)),
            fmt_i(e.max)
        );
    }

    b.push_str("<h2>The waves</h2>\n<table>\n<tr><th>Wave</th><th>Sets</th><th>How they were chosen</th>");
    for t in &plan.targets {
        let _ = write!(b, "<th>Ruled out by '{}'</th>", esc(&t.name));
    }
    b.push_str("<th>Ruled out by any target</th></tr>\n");
    for w in c.waves {
        let how = match w.design.kind {
            super::record::WaveKind::LatinHypercube => "a Latin hypercube over the prior ranges".to_string(),
            super::record::WaveKind::Emulated => format!(
                "{} candidates drawn, {} not ruled out by the emulators{}",
                thousands(w.design.candidates as u64),
                thousands(w.design.passed as u64),
                if w.design.perturbed > 0 {
                    format!(", {} by perturbing accepted sets", w.design.perturbed)
                } else {
                    String::new()
                }
            ),
        };
        let _ =
            write!(b, "<tr><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td>", w.wave, w.points.len(), how);
        for r in c.wave_rows.iter().filter(|r| r.wave == w.wave) {
            let share = if r.points > 0 { pct(r.ruled_out as f64 / r.points as f64) } else { "-".into() };
            let _ = write!(b, "<td class=\"num\">{share}</td>");
        }
        b.push_str("</tr>\n");
    }
    b.push_str("</table>\n<p class=\"small\">waves.csv has these shares with the smallest and median implausibility of each wave and target.</p>\n");

    b.push_str("<h2>Method</h2>\n");
    let _ = writeln!(
        b,
        "<p>History matching (Craig et al. 1997; Vernon et al. 2010). Each target is a statistic of a scenario's replicates, or the difference of a statistic between two variants of a scenario run on the same seeds. At a parameter set, every arm runs {} replicates, replicate i from the same random stream at every set and in every arm. A target's implausibility is the distance from the simulated value to the observed value or interval (zero inside it) over sqrt(SE<sup>2</sup> + tolerance<sup>2</sup>), SE being the simulation's standard error (Greenwood's for survival, binomial for shares, the sample standard error of the mean for means and for paired differences, the width of the Brookmeyer-Crowley interval over 2 &times; 1.96 for the median, and sqrt(SE<sub>a</sub><sup>2</sup> + SE<sub>b</sub><sup>2</sup>) for differences that are not means over replicates). A set is ruled out when its largest implausibility exceeds {}.</p>",
        thousands(plan.replicates),
        num(plan.cut)
    );
    let _ = writeln!(
        b,
        "<p>Wave 1 is a Latin hypercube of {} sets over the prior ranges. Before each later wave, every target gets an emulator: a least-squares quadratic in the parameters scaled to 0-1 (linear or constant with too few sets) fitted to every set simulated so far. {} candidates per new set are drawn uniformly over the prior ranges; a candidate is kept unless some target's emulated implausibility, the distance over sqrt(tolerance<sup>2</sup> + mean SE<sup>2</sup> + s<sup>2</sup>(1 + h)) with s<sup>2</sup> the residual variance and h the candidate's leverage, exceeds the cut. Of those kept, {} are chosen one at a time as far as possible from every set simulated and every set chosen (greedy maximin); if too few are kept, accepted sets are perturbed (uniformly by up to a tenth of each range) to make up the number. Every draw comes from streams of the seed ({}) that no replicate uses, so the calibration gives the same sets and the same bytes at any thread count, after an interruption and --resume, and in shards.</p>",
        plan.points, plan.candidates, plan.points, plan.seed
    );
    b.push_str("<h2>Using the accepted ensemble</h2>\n");
    let _ = writeln!(
        b,
        "<p>accepted.csv holds one row per accepted set. <code>collabsim run SCENARIO --ensemble accepted.csv</code> (and <code>compare</code> and <code>sweep</code>) runs replicate i with set i mod n of the ensemble, so the survival curves carry the parameters' uncertainty as well as chance.</p>"
    );
    let _ = writeln!(
        b,
        "<h2>Reproduce</h2>\n<p>collabsim {} &middot; calibration <code>{}</code> (SHA-256 <code>{}</code>) &middot; seed {} &middot; plan {}.</p>\n<p><code>{}</code></p>",
        esc(&plan.crate_version),
        esc(&plan.calibration_file),
        esc(&plan.calibration_sha256),
        plan.seed,
        esc(&plan.id),
        esc(&c.command)
    );
    b.push_str("<p class=\"small\">Files in this folder: waves.csv, accepted.csv, marginal and pairwise figures (SVG and PNG), calibration.json and waves/ (the plan and every simulated set's statistics, from which everything above is computed), manifest.json.</p>\n");
    page(&plan.name, &b)
}

/// A standard error in the statistic's unit, without a sign.
fn fmt_value_abs(t: &TargetPlan, v: f64) -> String {
    let unsigned = TargetPlan { baseline: None, ..t.clone() };
    fmt_value(&unsigned, v.abs())
}

fn fmt_i(x: f64) -> String {
    if x.is_finite() { format!("{x:.2}") } else { "infinite".into() }
}
