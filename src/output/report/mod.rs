//! `report.html`: one self-contained page (inline SVG and CSS, no scripts, no network) that a
//! non-specialist can read: the question, the headline numbers in words, the figures, the
//! causes of the end, what differs from the baseline, and how to reproduce the result.

use std::fmt::Write;

use super::comparison::ArmInput;
use crate::analysis::arm::ArmStats;

mod compare;
mod run;

pub use compare::compare_report;
pub use run::{arm_title, assumptions, run_report};

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

pub fn gbp(x: f64) -> String {
    if x.abs() >= 1e6 { format!("£{:.2}m", x / 1e6) } else { format!("£{}", thousands(x.round().max(0.0) as u64)) }
}

/// The page style shared by every report. On a phone (narrow screens) tables and figures
/// keep a readable width and scroll sideways inside their own wrapper instead of squeezing
/// text to a word per line or charts to an unreadable size; printed, each figure with its
/// caption and each table stays on one page, table headers repeat, and links show where
/// they point.
const STYLE: &str = "body{font-family:'Noto Sans',sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}\
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid #ddd;padding-bottom:.2em}\
.lead{font-size:1.1em;color:#444}.headline{background:#f3f7fb;border-left:4px solid #0072B2;padding:.6em 1em;margin:1em 0}\
.headline p{margin:.35em 0}.arm{background:#fff4e5;border-left:4px solid #E69F00;padding:.5em 1em}.stats{color:#555;font-size:.92em}\
.scroll{overflow-x:auto;max-width:100%;-webkit-overflow-scrolling:touch}\
table{border-collapse:collapse;margin:.6em 0}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}\
th{background:#f4f4f4}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}figure{margin:1em 0}figure svg{max-width:100%;height:auto;display:block}\
figcaption{color:#555;font-size:.92em}code{background:#f4f4f4;padding:.1em .3em;border-radius:3px;word-break:break-all}.small{color:#666;font-size:.9em}dfn{font-style:normal;font-weight:600}\
h1,h2,p,li,figcaption,td.val{overflow-wrap:anywhere}\
@media screen and (max-width:820px){body{margin:1em auto;padding:0 .75em}h1{font-size:1.35em}\
figure svg{width:820px;min-width:820px;max-width:none}\
td,th{min-width:8ch}td:not(.num),th{min-width:11em}}\
@media print{@page{margin:15mm 12mm}body{max-width:none;margin:0;padding:0;font-size:10.5pt}\
figure,table,.headline,.arm{break-inside:avoid;page-break-inside:avoid}figure svg{max-width:100%;max-height:230mm;width:auto}\
.scroll{overflow:visible}td,th{overflow-wrap:anywhere}td.num{white-space:normal}thead{display:table-header-group}tr{break-inside:avoid;page-break-inside:avoid}\
h2{break-after:avoid;page-break-after:avoid}figcaption{break-before:avoid;page-break-before:avoid}}";

pub fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{}</body>\n</html>\n",
        esc(title),
        scroll_wrappers(body)
    )
}

/// Puts every table and every figure's chart in a `.scroll` wrapper (so that a narrow
/// screen scrolls it sideways rather than squeezing it) and a table's first row of headers
/// in a `<thead>` (so that print repeats it on each page). The reports are our own HTML:
/// tables open with `<table>` and a row of `<th>`, figures hold one inline `<svg>`.
fn scroll_wrappers(body: &str) -> String {
    let mut o = String::with_capacity(body.len() + 256);
    let mut rest = body;
    while let Some(i) = rest.find("<table>") {
        o.push_str(&rest[..i]);
        let after = &rest[i + "<table>".len()..];
        let Some(end) = after.find("</table>") else {
            o.push_str(&rest[i..]);
            rest = "";
            break;
        };
        let inner = &after[..end];
        o.push_str("<div class=\"scroll\"><table>");
        let t = inner.trim_start();
        match (t.starts_with("<tr><th"), t.find("</tr>")) {
            (true, Some(k)) => {
                let head_end = k + "</tr>".len();
                let _ = write!(o, "\n<thead>{}</thead>\n<tbody>{}</tbody>\n", &t[..head_end], &t[head_end..]);
            }
            _ => o.push_str(inner),
        }
        o.push_str("</table></div>");
        rest = &after[end + "</table>".len()..];
    }
    o.push_str(rest);
    // Each figure's chart: `<figure>\n<svg ...</svg>` gets its own scroll box, so that the
    // caption below it keeps the screen's width.
    let mut f = String::with_capacity(o.len() + 256);
    let mut rest = o.as_str();
    while let Some(i) = rest.find("<figure>") {
        let after_open = i + "<figure>".len();
        f.push_str(&rest[..after_open]);
        let after = &rest[after_open..];
        match (after.find("<svg"), after.find("</svg>"), after.find("</figure>")) {
            (Some(a), Some(b), Some(c)) if a < b && b < c => {
                f.push_str(&after[..a]);
                let _ = write!(f, "<div class=\"scroll\">{}</div>", &after[a..b + "</svg>".len()]);
                rest = &after[b + "</svg>".len()..];
            }
            _ => rest = after,
        }
    }
    f.push_str(rest);
    f
}

pub(crate) fn figure(svg: &str, caption: &str) -> String {
    // The SVG comes from our own plots module; its XML declaration, if any, is dropped.
    let svg = svg.trim_start().strip_prefix("<?xml").and_then(|s| s.split_once("?>")).map_or(svg, |(_, rest)| rest);
    format!("<figure>\n{svg}\n<figcaption>{}</figcaption>\n</figure>\n", esc(caption))
}

/// What an end-cause label (`engine::cause_labels`) means, in one sentence: 'A withdrew'
/// is a withdrawal with no leader change at A in the previous two years, which the label
/// alone does not say.
pub fn cause_meaning(label: &str) -> String {
    let window = years_words(crate::engine::outcome::LEADER_CHANGE_WINDOW_WEEKS as f64);
    if let Some(org) = label.strip_suffix(" withdrew after a leader change") {
        format!("{org} pulled out at a review within {window} of a new leader taking office at {org}.")
    } else if let Some(org) = label.strip_suffix(" withdrew") {
        format!("{org} pulled out at a review, with no leader change at {org} in the previous {window}.")
    } else if label == "unit understaffed" {
        "Too few staff were left in the shared unit to run it.".into()
    } else if label == "sponsor cancelled" {
        "The sponsor that imposed the collaboration cancelled it.".into()
    } else {
        String::new()
    }
}

/// 104 weeks as "two years".
fn years_words(weeks: f64) -> String {
    let y = weeks / WEEKS_PER_YEAR;
    let words = ["zero", "one", "two", "three", "four", "five"];
    if y.fract() == 0.0 && (y as usize) < words.len() {
        format!("{} year{}", words[y as usize], if y == 1.0 { "" } else { "s" })
    } else {
        format!("{y:.1} years")
    }
}

/// One sentence defining the rate column, said where the table first shows it.
pub(super) const RATE_PER_YEAR_AT_RISK: &str = "<dfn>Rate per year at risk</dfn>: the number of runs that ended this way divided by the total years that runs were still going (so that runs ending early do not hide a cause that strikes late).";

pub(super) fn causes_table(s: &ArmStats) -> String {
    let mut t = String::from(
        "<table>\n<tr><th>How the collaboration ended</th><th>What this means</th><th>Runs</th><th>Share by the horizon</th><th>Rate per year at risk</th></tr>\n",
    );
    for (k, label) in s.cause_labels.iter().enumerate() {
        let _ = writeln!(
            t,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{:.4}</td></tr>",
            esc(label),
            esc(&cause_meaning(label)),
            s.rates[k].events,
            pct(s.incidence_at_horizon(k)),
            s.rates[k].rate * WEEKS_PER_YEAR
        );
    }
    let _ = writeln!(
        t,
        "<tr><td>still running at the horizon</td><td>Censored: the run had not ended when the simulation stopped.</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td></td></tr>\n</table>",
        s.n - s.events,
        pct(s.km.survival_at(s.horizon_weeks))
    );
    t
}

pub(super) fn reproduce(x: &ArmInput<'_>, command: &str) -> String {
    format!(
        "<h2>Reproduce</h2>\n<p>collabsim {} &middot; scenario <code>{}</code> (SHA-256 <code>{}</code>) &middot; seed {} &middot; {}. The same command gives the same bytes on any machine and thread count:</p>\n<p><code>{}</code></p>\n",
        env!("CARGO_PKG_VERSION"),
        esc(&x.scenario.path.display().to_string()),
        esc(&x.scenario.sha256),
        x.scenario.spec.run.seed,
        replicates_words(x.outcomes.iter().map(|o| o.replicate)),
        esc(command)
    )
}

/// "1,000 replicates", or "replicate 5 alone" when one replicate was re-run by itself.
pub fn replicates_words(replicates: impl ExactSizeIterator<Item = u64>) -> String {
    let n = replicates.len();
    let mut it = replicates;
    match (n, it.next()) {
        (1, Some(k)) => format!("replicate {k} alone"),
        _ => format!("{} replicates", thousands(n as u64)),
    }
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
        assert_eq!(replicates_words([5u64].into_iter()), "replicate 5 alone");
        assert_eq!(replicates_words([0u64, 1].into_iter()), "2 replicates");
    }

    #[test]
    fn each_cause_label_says_what_it_means() {
        // 'A withdrew' alone: no leader change at A within the window (two years).
        assert_eq!(
            cause_meaning("PF1 withdrew"),
            "PF1 pulled out at a review, with no leader change at PF1 in the previous two years."
        );
        assert!(cause_meaning("PF1 withdrew after a leader change").contains("within two years of a new leader"));
        for label in crate::engine::cause_labels(&["A".into(), "B".into()], true) {
            assert!(!cause_meaning(&label).is_empty(), "{label} has no meaning");
        }
    }

    #[test]
    fn tables_and_charts_get_scroll_boxes_and_tables_a_repeating_header() {
        let body = "<p>x</p>\n<table>\n<tr><th>a</th></tr>\n<tr><td>1</td></tr>\n</table>\n<figure>\n<svg viewBox=\"0 0 1 1\"></svg>\n<figcaption>c</figcaption>\n</figure>\n";
        let o = scroll_wrappers(body);
        assert!(o.contains("<div class=\"scroll\"><table>\n<thead><tr><th>a</th></tr></thead>\n<tbody>\n<tr><td>1</td></tr>\n</tbody>\n</table></div>"), "{o}");
        assert!(
            o.contains(
                "<figure>\n<div class=\"scroll\"><svg viewBox=\"0 0 1 1\"></svg></div>\n<figcaption>c</figcaption>"
            ),
            "{o}"
        );
        assert!(o.starts_with("<p>x</p>"));
    }
}
