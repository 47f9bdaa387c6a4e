//! The run and comparison charts as a reader meets them, from the binary: each end cause one
//! colour in every chart and each arm one dash, the review midpoint drawn where the scenario
//! puts it, the state chart's means said to be over the runs still going, and a time axis
//! that stops (and says so) when every run has ended long before the horizon.

use std::collections::BTreeSet;
use std::path::Path;

mod common;
use common::ok;

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// A polyline: its stroke colour, whether it is faint, its points.
type Polyline = (String, bool, Vec<(f64, f64)>);

/// Every polyline of an SVG.
fn polylines(svg: &str) -> Vec<Polyline> {
    svg.split("<polyline ")
        .skip(1)
        .map(|e| &e[..e.find("/>").unwrap()])
        .map(|e| {
            let at = e.find("stroke=\"").unwrap() + 8;
            let colour = e[at..at + 7].to_string();
            let pts = &e[e.find("points=\"").unwrap() + 8..];
            let pts = &pts[..pts.find('"').unwrap()];
            let xy = |p: &str| p.split_once(',').map(|(x, y)| (x.parse().unwrap(), y.parse().unwrap())).unwrap();
            (colour, !e.contains("opacity=\"1\""), pts.split_whitespace().map(xy).collect())
        })
        .collect()
}

fn length(p: &[(f64, f64)]) -> f64 {
    p.windows(2).map(|w| ((w[1].0 - w[0].0).powi(2) + (w[1].1 - w[0].1).powi(2)).sqrt()).sum()
}

/// The colours of curves (not axes, grid, reference lines or legend keys) in an SVG.
fn curve_colours(svg: &str) -> BTreeSet<String> {
    let greys = ["#666666", "#E3E3E3", "#000000", "#FFFFFF"];
    polylines(svg)
        .into_iter()
        .filter(|(c, _, p)| !greys.contains(&c.as_str()) && length(p) > 60.0)
        .map(|l| l.0)
        .collect()
}

fn texts(svg: &str) -> Vec<String> {
    svg.split("<text ")
        .skip(1)
        .filter_map(|t| {
            let body = &t[t.find('>')? + 1..];
            Some(body[..body.find("</text>")?].trim().to_string())
        })
        .collect()
}

#[test]
fn a_three_partner_comparison_gives_each_cause_one_colour_and_each_arm_one_dash() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cmp");
    ok(&[
        "compare",
        "scenarios/cs2-colocated-control.toml",
        "--variant",
        "leadership.turnover_per_year=0.6",
        "--replicates",
        "80",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    let cmp = read(&out.join("incidence.svg"));
    let base = read(&out.join("baseline/incidence.svg"));
    let var = read(&out.join("variant/incidence.svg"));
    let colours = curve_colours(&cmp);
    // The comparison uses exactly the colours the arms' own charts give the same causes.
    let own: BTreeSet<String> = curve_colours(&base).union(&curve_colours(&var)).cloned().collect();
    assert_eq!(colours, own, "a cause keeps its colour from the arm's chart to the comparison");
    assert!(colours.len() >= 3, "three partners' causes: {colours:?}");
    // Every cause colour is drawn solid for the baseline (a long polyline) and dashed for the
    // variant (many short pieces), unless a cause never happened in one arm.
    let lines = polylines(&cmp);
    let mut both = 0;
    for c in &colours {
        let of: Vec<&Vec<(f64, f64)>> = lines.iter().filter(|l| &l.0 == c).map(|l| &l.2).collect();
        let solid = of.iter().any(|p| length(p) > 100.0);
        let dashed = of.iter().filter(|p| length(p) < 25.0).count() > 10;
        both += usize::from(solid && dashed);
    }
    assert!(both >= 2, "causes drawn in both arms' dashes: {both} of {}", colours.len());
    // The legend and the notes name both kinds of key.
    let t = texts(&cmp).join(" ");
    assert!(t.contains("Colour shows the end cause") && t.contains("solid") && t.contains("dashed"), "{t}");
    // The state chart draws arm 1 dashed too, says what its means are over, and marks the
    // review midpoint.
    let state = read(&out.join("state.svg"));
    let t = texts(&state).join(" ");
    assert!(t.contains("(mean of runs still going)") && t.contains("review midpoint: support 0.45"), "{t}");
}

#[test]
fn state_and_survival_charts_follow_the_scenario_and_stop_when_every_run_has_ended() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("hr");
    let o = out.to_str().unwrap();
    ok(&["run", "scenarios/hr-no-shared-vision.toml", "--replicates", "60", "--quiet", "--out", o]);
    let runs = read(&out.join("runs.csv"));
    let mut rows = runs.lines();
    let head: Vec<&str> = rows.next().unwrap().split(',').collect();
    let (iw, ic) =
        (head.iter().position(|h| *h == "end_week").unwrap(), head.iter().position(|h| *h == "censored").unwrap());
    let (mut last, mut all_ended) = (0u32, true);
    for r in rows {
        let f: Vec<&str> = r.split(',').collect();
        last = last.max(f[iw].parse().unwrap());
        all_ended &= f[ic] == "false";
    }
    // The HR case without a shared vision fails within a few years (pattern P2).
    assert!(all_ended && last < 8 * 52, "the test needs every run to end early: last week {last}");
    let axis_end = (last as f64 / 52.0).floor() + 1.0;
    for f in ["survival.svg", "incidence.svg"] {
        let t = texts(&read(&out.join(f)));
        assert!(t.iter().any(|s| s.starts_with("All runs ended early")), "{f} says why its axis stops");
        let ticks: Vec<f64> = t.iter().filter_map(|s| s.parse::<f64>().ok()).collect();
        let max = ticks.iter().copied().fold(0.0, f64::max);
        assert!(max <= axis_end + 1e-9 && max >= axis_end - 0.5, "{f}: x axis ends at {max}, want {axis_end}");
        assert!(!t.iter().any(|s| s.starts_with("Horizon")), "{f}: the horizon is past the axis");
    }
    let state = read(&out.join("state.svg"));
    let t = texts(&state);
    let joined = t.join(" ");
    assert!(joined.contains("mean over the simulated futures still running"), "{joined}");
    assert!(t.iter().any(|s| s == "review midpoint: support 0.45 (25% chance of leaving)"), "{t:?}");
    // Fewer than a quarter of the runs are left before the lines stop: faint tails.
    let faint = polylines(&state).iter().filter(|l| l.1 && l.2.len() >= 3).count();
    assert!(faint > 0, "faint tails in the state chart");

    // A scenario with another midpoint gets its own line.
    let out2 = tmp.path().join("hr2");
    ok(&[
        "run",
        "scenarios/hr-no-shared-vision.toml",
        "--replicates",
        "20",
        "--set",
        "end.support_midpoint=0.4",
        "--quiet",
        "--out",
        out2.to_str().unwrap(),
    ]);
    let t = texts(&read(&out2.join("state.svg")));
    assert!(t.iter().any(|s| s.starts_with("review midpoint: support 0.4 (")), "{t:?}");
}
