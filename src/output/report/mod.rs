//! `report.html`: one self-contained page (inline SVG and CSS, no scripts, no network) that a
//! non-specialist can read: the question, the headline numbers in words, the figures, the
//! causes of the end, what differs from the baseline, and how to reproduce the result.

use std::fmt::Write;

use super::comparison::ArmInput;
use crate::analysis::arm::ArmStats;

mod compare;
mod run;

pub use compare::compare_report;
pub use run::run_report;

pub(super) const WEEKS_PER_YEAR: f64 = 52.0;

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// 1234567 as "1,234,567".
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut o = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            o.push(',');
        }
        o.push(c);
    }
    o
}

/// A share as a percentage, with a decimal only where whole numbers would say 0% or 100%.
pub fn pct(x: f64) -> String {
    let p = 100.0 * x;
    if (p > 0.0 && p < 1.0) || (p > 99.0 && p < 100.0) { format!("{p:.1}%") } else { format!("{p:.0}%") }
}

pub(super) fn years(w: f64) -> String {
    format!("{:.1}", w / WEEKS_PER_YEAR)
}

pub(super) fn gbp(x: f64) -> String {
    if x.abs() >= 1e6 { format!("£{:.2}m", x / 1e6) } else { format!("£{}", thousands(x.round().max(0.0) as u64)) }
}

const STYLE: &str = "body{font-family:'Noto Sans',sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}\
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid #ddd;padding-bottom:.2em}\
.lead{font-size:1.1em;color:#444}.headline{background:#f3f7fb;border-left:4px solid #0072B2;padding:.6em 1em;margin:1em 0}\
.headline p{margin:.35em 0}table{border-collapse:collapse;margin:.6em 0}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}\
th{background:#f4f4f4}td.num{text-align:right;font-variant-numeric:tabular-nums}figure{margin:1em 0}figure svg{max-width:100%;height:auto}\
figcaption{color:#555;font-size:.92em}code{background:#f4f4f4;padding:.1em .3em;border-radius:3px;word-break:break-all}.small{color:#666;font-size:.9em}";

pub fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        esc(title)
    )
}

pub(super) fn figure(svg: &str, caption: &str) -> String {
    // The SVG comes from our own plots module; its XML declaration, if any, is dropped.
    let svg = svg.trim_start().strip_prefix("<?xml").and_then(|s| s.split_once("?>")).map_or(svg, |(_, rest)| rest);
    format!("<figure>\n{svg}\n<figcaption>{}</figcaption>\n</figure>\n", esc(caption))
}

/// Sentences on one arm's survival, in words.
pub(super) fn survival_sentences(name: &str, s: &ArmStats) -> Vec<String> {
    let h = s.horizon_weeks;
    let mut v = vec![format!(
        "In {} simulated futures, {} of runs of {} were still running after {} years.",
        thousands(s.n as u64),
        pct(s.km.survival_at(h)),
        esc(name),
        years(h)
    )];
    for y in [2.0, 5.0] {
        if y * WEEKS_PER_YEAR < h {
            v.push(format!("After {y} years, {} were still running.", pct(s.km.survival_at(y * WEEKS_PER_YEAR))));
        }
    }
    v.push(match (s.km.median(), s.median.lower, s.median.upper) {
        (Some(m), lo, hi) => format!(
            "Half of the collaborations had ended by {} years (95% interval {} to {}).",
            years(m),
            lo.map_or("-".into(), years),
            hi.map_or("beyond the horizon".into(), |x| format!("{} years", years(x)))
        ),
        (None, _, _) => format!(
            "More than half were still running at the horizon, so the median lifetime is above {} years.",
            years(h)
        ),
    });
    if let Some(r) = s.rmst {
        v.push(format!(
            "On average a collaboration ran {} of the {} years (restricted mean, standard error {:.2} years).",
            years(r.mean),
            years(h),
            r.se / WEEKS_PER_YEAR
        ));
    }
    v
}

pub(super) fn causes_table(s: &ArmStats) -> String {
    let mut t = String::from(
        "<table>\n<tr><th>How the collaboration ended</th><th>Runs</th><th>Share by the horizon</th><th>Rate per year at risk</th></tr>\n",
    );
    for (k, label) in s.cause_labels.iter().enumerate() {
        let _ = writeln!(
            t,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{:.4}</td></tr>",
            esc(label),
            s.rates[k].events,
            pct(s.incidence_at_horizon(k)),
            s.rates[k].rate * WEEKS_PER_YEAR
        );
    }
    let _ = writeln!(
        t,
        "<tr><td>still running at the horizon</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td></td></tr>\n</table>",
        s.n - s.events,
        pct(s.km.survival_at(s.horizon_weeks))
    );
    t
}

pub(super) fn reproduce(x: &ArmInput<'_>, command: &str) -> String {
    format!(
        "<h2>Reproduce</h2>\n<p>collabsim {} &middot; scenario <code>{}</code> (SHA-256 <code>{}</code>) &middot; seed {} &middot; {} replicates. The same command gives the same bytes on any machine and thread count:</p>\n<p><code>{}</code></p>\n",
        env!("CARGO_PKG_VERSION"),
        esc(&x.scenario.path.display().to_string()),
        esc(&x.scenario.sha256),
        x.scenario.spec.run.seed,
        thousands(x.outcomes.len() as u64),
        esc(command)
    )
}

/// A paragraph saying that the replicates ran with an ensemble of parameter sets, if so.
pub(super) fn ensemble_note(x: &ArmInput<'_>) -> String {
    let Some(e) = &x.scenario.ensemble else { return String::new() };
    let e = &e.ensemble;
    let params: Vec<String> = e.params.iter().map(|p| format!("<code>{}</code>", esc(p))).collect();
    format!(
        "<p>The replicates ran with an ensemble of {} parameter sets from <code>{}</code> (SHA-256 <code>{}</code>), each setting {}: replicate i used set i mod {}, before the overrides below. The curves and intervals therefore carry the uncertainty in these parameters as well as chance.</p>\n",
        thousands(e.len() as u64),
        esc(&e.file),
        esc(&e.sha256),
        params.join(", "),
        e.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_helpers() {
        assert_eq!(esc("a<b & 'c' \"d\">"), "a&lt;b &amp; &#39;c&#39; &quot;d&quot;&gt;");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(pct(0.81), "81%");
        assert_eq!(pct(0.999), "99.9%");
        assert_eq!(pct(0.001), "0.1%");
        assert_eq!(pct(1.0), "100%");
        assert_eq!(gbp(1_407_692.0), "£1.41m");
        assert_eq!(gbp(400_000.0), "£400,000");
    }
}
