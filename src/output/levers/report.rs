//! The report of `collabsim levers`: the question, the levers that matter most in words,
//! the tornado chart, a table of every setting with its paired interval, the levers left
//! out and why, the terms explained, and the command that reproduces it.

use std::fmt::Write;

use super::{Levers, points, top_sentences, year_text, years_change};
use crate::output::report::{esc, figure, page, pct, thousands};

/// report.html of a lever analysis, with the tornado chart's SVG inline.
pub fn levers_report(lv: &Levers, tornado_svg: &str, command: &str) -> String {
    let mut h = String::new();
    let title = format!("Which levers matter for {}?", lv.scenario);
    let _ = writeln!(h, "<h1>{}</h1>", esc(&title));
    let _ = writeln!(
        h,
        "<p class=\"lead\">Each policy lever was moved on its own from the scenario's value to the low and to the high end of its plausible range (a true-or-false lever to the other value, a choice to each alternative), everything else as in the scenario. Every setting ran the same {} replicates on the same seeds ({}), so each change is the lever's doing, not chance.</p>",
        thousands(lv.replicates),
        lv.seed
    );
    let _ = writeln!(
        h,
        "<div class=\"headline\">\n<p>As it is, {} of runs of the scenario are still running after {} years, and a collaboration runs {:.2} of the first {} years on average.</p>",
        pct(lv.baseline.survival),
        year_text(lv.year),
        lv.baseline.rmst_years,
        year_text(lv.horizon_years)
    );
    for s in top_sentences(lv, 3) {
        let _ = writeln!(h, "<p>{}</p>", esc(&s));
    }
    h.push_str("</div>\n");

    h.push_str("<h2>The levers, ranked</h2>\n");
    h.push_str(&figure(
        tornado_svg,
        &format!(
            "Tornado chart. Each row is a lever, the one that moves survival at {} years most at the top (the lower panel ranks by mean lifetime). Each bar runs from the scenario as it is (0) to the change one setting makes; the black whisker is its 95% interval; the setting is written at the bar's end.",
            year_text(lv.year)
        ),
    ));

    h.push_str("<h2>Every setting</h2>\n");
    let _ = writeln!(
        h,
        "<p class=\"small\">Survival at {y} years is the share of runs still running then; mean lifetime is the restricted mean survival time, the average of each run's lifetime counted up to the {hz}-year horizon. A change is the setting's value minus the scenario's, averaged over the replicates it shares a seed with; its 95% interval comes from those paired differences and is kept within what the quantity allows.</p>",
        y = year_text(lv.year),
        hz = year_text(lv.horizon_years)
    );
    h.push_str("<table>\n<tr><th>Rank</th><th>Lever</th><th>Setting</th><th>Survival at ");
    let _ = writeln!(
        h,
        "{} years</th><th>Change (95% interval)</th><th>Mean lifetime, years</th><th>Change (95% interval)</th></tr>",
        year_text(lv.year)
    );
    for l in lv.ranked(false) {
        for (i, s) in l.settings.iter().enumerate() {
            let lever = if i == 0 {
                let range = l.plausible.map_or(String::new(), |[a, b]| {
                    format!("<br><span class=\"small\">plausible {} to {}</span>", fmt_num(a), fmt_num(b))
                });
                format!(
                    "<td rowspan=\"{n}\" class=\"num\">{}</td><td rowspan=\"{n}\"><code>{}</code><br><span class=\"small\">{}</span>{range}</td>",
                    l.survival_rank,
                    esc(&l.path),
                    esc(&l.meaning),
                    n = l.settings.len()
                )
            } else {
                String::new()
            };
            let setting = if s.is_scenario { format!("{} (the scenario's)", esc(&s.setting)) } else { esc(&s.setting) };
            let (ds, dr) = (s.survival_difference, s.rmst_difference_years);
            let change_s = if s.is_scenario {
                "-".to_string()
            } else {
                format!("{} ({} to {})", points(ds.estimate), points(ds.ci95[0]), points(ds.ci95[1]))
            };
            let change_r = if s.is_scenario {
                "-".to_string()
            } else {
                format!("{} ({} to {})", years_change(dr.estimate), years_change(dr.ci95[0]), years_change(dr.ci95[1]))
            };
            let _ = writeln!(
                h,
                "<tr>{lever}<td>{setting}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{:.2}</td><td class=\"num\">{}</td></tr>",
                pct(s.values.survival),
                esc(&change_s),
                s.values.rmst_years,
                esc(&change_r)
            );
        }
    }
    h.push_str("</table>\n");

    if !lv.skipped.is_empty() {
        h.push_str("<h2>Levers left out</h2>\n<p>These would change nothing in this scenario, or cannot be set in it:</p>\n<ul>\n");
        for s in &lv.skipped {
            let what = match &s.setting {
                Some(v) => format!("<code>{}</code> = {}", esc(&s.path), esc(v)),
                None => format!("<code>{}</code>", esc(&s.path)),
            };
            let _ = writeln!(h, "<li>{what}: {}</li>", esc(&s.reason));
        }
        h.push_str("</ul>\n");
    }

    h.push_str("<h2>How to read and reproduce this</h2>\n");
    let _ = writeln!(
        h,
        "<p>Plausible ranges are declared with each lever (<code>collabsim params</code> lists them; docs/ODD.md gives their sources). The scenario ran with: {}. A lever's rank is by the extent of its bar: from its lowest to its highest setting, the scenario's own value included. An interval that does not cross 0 is a change the replicates support; one that crosses 0 could be no change at all.</p>",
        if lv.overrides.is_empty() {
            "no overrides".to_string()
        } else {
            lv.overrides.iter().map(|o| format!("<code>{}</code>", esc(o))).collect::<Vec<_>>().join(", ")
        }
    );
    let _ = writeln!(
        h,
        "<p>Reproduce: <code>{}</code> (or <code>collabsim reproduce manifest.json</code> in this folder). Files: levers.csv (one row per lever, setting and statistic), levers.json, tornado.svg and tornado.png.</p>",
        esc(command)
    );
    page(&title, &h)
}

fn fmt_num(x: f64) -> String {
    crate::scenario::experiment::toml_number(x)
}
