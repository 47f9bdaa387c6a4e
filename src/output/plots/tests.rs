//! Tests of the charts: both files are written, the SVG carries the title and legend, the PNG
//! decodes to the right size with drawn content and title text, and renders are
//! byte-identical; degenerate inputs (nothing, NaN, infinities, ragged or flat data) still
//! give whole charts on sane axes.

use std::path::Path;

use super::*;
use super::{panels, steps};

/// A Kaplan–Meier-like curve falling by `rate` per step, with a band and censoring ticks.
fn km(label: &str, rate: f64, seed: u64) -> StepCurve {
    let mut points = vec![(0.0, 1.0)];
    let mut lower = vec![(0.0, 1.0)];
    let mut upper = vec![(0.0, 1.0)];
    let mut censor_marks = Vec::new();
    let mut s = 1.0;
    let mut x = 0.0;
    let mut state = seed;
    for i in 0..40 {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let u = (state >> 33) as f64 / (1u64 << 31) as f64;
        x += 0.1 + 0.4 * u;
        if x > 10.0 {
            break;
        }
        if i % 4 == 3 {
            censor_marks.push((x, s));
            continue;
        }
        s *= 1.0 - rate * (0.5 + u);
        let half = 0.04 + 0.12 * (1.0 - s) * (x / 10.0);
        points.push((x, s));
        lower.push((x, (s - half).max(0.0)));
        upper.push((x, (s + half).min(1.0)));
    }
    censor_marks.push((10.0, s));
    StepCurve {
        label: label.to_string(),
        points,
        band: Some(Band { lower, upper }),
        censor_marks,
        ..Default::default()
    }
}

fn survival_sample() -> Vec<StepCurve> {
    vec![km("Baseline", 0.035, 1), km("Shared strategy document", 0.022, 2), km("Joint control room", 0.015, 3)]
}

fn incidence_sample() -> Vec<StepCurve> {
    let cause = |label: &str, share: f64| {
        let km = km(label, 0.03, 7);
        let points = km.points.iter().map(|&(x, s)| (x, (1.0 - s) * share)).collect();
        StepCurve { label: label.to_string(), points, ..Default::default() }
    };
    vec![
        cause("Leader change", 0.45),
        cause("Budget cut", 0.3),
        cause("Strategy lost", 0.15),
        cause("Goal achieved", 0.1),
    ]
}

fn panels_sample() -> Vec<Panel> {
    let orgs = ["Police", "Fire and rescue", "Ambulance"];
    let panel = |title: &str, y_label: &str, scale: f64, trend: f64| Panel {
        title: title.to_string(),
        y_label: y_label.to_string(),
        lines: orgs
            .iter()
            .enumerate()
            .map(|(k, o)| {
                let x: Vec<f64> = (0..=40).map(|i| i as f64 * 0.25).collect();
                let mean: Vec<f64> = x
                    .iter()
                    .map(|&t| scale * (1.0 + 0.3 * k as f64) * (1.0 + trend * t / 10.0 + 0.05 * (t + k as f64).sin()))
                    .collect();
                let lo = mean.iter().zip(&x).map(|(m, t)| m - scale * (0.05 + 0.02 * t)).collect();
                let hi = mean.iter().zip(&x).map(|(m, t)| m + scale * (0.05 + 0.02 * t)).collect();
                Line { label: o.to_string(), x, mean, lo, hi, ..Line::default() }
            })
            .collect(),
        ..Panel::default()
    };
    vec![
        panel("Trust between partners", "Trust (0–1 scale)", 0.4, 0.3),
        panel("Staff time on collaboration", "Staff hours per week", 40.0, 0.5),
        panel("Budget committed", "Budget (£ thousand)", 120.0, -0.2),
        panel("Shared incidents handled", "Incidents per month", 15.0, 0.8),
        panel("Active collaborations", "Count", 3.0, -0.4),
    ]
}

fn decode(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut reader = png::Decoder::new(bytes).read_info().expect("PNG header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("PNG data");
    assert_eq!(info.color_type, png::ColorType::Rgb);
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

/// Checks both files of one chart and returns the PNG bytes.
fn check_files(stem: &Path, svg: &str, title: &str, labels: &[&str], size: (u32, u32)) -> Vec<u8> {
    let svg_file = std::fs::read_to_string(stem.with_extension("svg")).unwrap();
    assert_eq!(svg_file, svg, "the returned SVG is the one written");
    assert!(svg.trim_start().starts_with("<svg"), "SVG starts with <svg");
    assert!(svg.trim_end().ends_with("</svg>"), "SVG is closed");
    assert!(svg.contains(title), "SVG has the title");
    for l in labels {
        assert!(svg.contains(l), "SVG has the legend label {l}");
    }

    let png_bytes = std::fs::read(stem.with_extension("png")).unwrap();
    let (w, h, px) = decode(&png_bytes);
    assert_eq!((w, h), size);
    let non_white = px.chunks(3).filter(|p| p != &[255, 255, 255]).count();
    assert!(non_white > (w * h / 100) as usize, "PNG has drawn content ({non_white} pixels)");
    // The title is drawn in dark text within the top 50 rows.
    let title_rows = &px[..(w * 50 * 3) as usize];
    let dark = title_rows.chunks(3).filter(|p| p.iter().all(|&c| c < 100)).count();
    assert!(dark > 200, "title text pixels in the title area ({dark})");
    png_bytes
}

/// The text of each `<text>` element of an SVG, trimmed.
fn svg_texts(svg: &str) -> Vec<&str> {
    svg.split("<text ")
        .skip(1)
        .filter_map(|t| {
            let body = &t[t.find('>')? + 1..];
            Some(body[..body.find("</text>")?].trim())
        })
        .collect()
}

/// Every number in the SVG's geometry attributes (positions, sizes, points); a value that
/// does not parse comes back as NaN.
fn svg_coordinates(svg: &str) -> Vec<f64> {
    let attrs = ["x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "width", "height", "points"];
    let mut out = Vec::new();
    for attr in attrs.map(|a| format!(" {a}=\"")) {
        for (at, _) in svg.match_indices(&attr) {
            let v = &svg[at + attr.len()..];
            let v = &v[..v.find('"').unwrap()];
            out.extend(v.split([' ', ',']).filter(|s| !s.is_empty()).map(|s| s.parse().unwrap_or(f64::NAN)));
        }
    }
    out
}

/// The points of each polyline of an SVG drawn in `colour` (such as "#0072B2").
fn polylines(svg: &str, colour: &str) -> Vec<Vec<(f64, f64)>> {
    let stroke = format!("stroke=\"{colour}\"");
    svg.split("<polyline ")
        .skip(1)
        .map(|e| &e[..e.find("/>").unwrap()])
        .filter(|e| e.contains(&stroke))
        .map(|e| {
            let pts = &e[e.find("points=\"").unwrap() + 8..];
            let pts = &pts[..pts.find('"').unwrap()];
            let xy = |p: &str| p.split_once(',').map(|(x, y)| (x.parse().unwrap(), y.parse().unwrap())).unwrap();
            pts.split_whitespace().map(xy).collect()
        })
        .collect()
}

/// What a chart promises whatever its data: `stem.svg` is the SVG returned, whole, with the
/// title as its first text; `stem.png` decodes to the SVG's size with the title inked at the
/// top; every coordinate is finite and within the canvas (so every axis had a usable range); no
/// label prints a number as NaN or infinity. Returns the SVG's texts.
fn check_rendered(stem: &Path, svg: &str, title: &str) -> Vec<String> {
    let written = std::fs::read_to_string(stem.with_extension("svg")).unwrap();
    assert_eq!(written, svg, "{title}: the SVG written is the one returned");
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"), "{title}: SVG whole");
    let dim = |a: &str| -> u32 {
        let v = &svg[svg.find(a).unwrap() + a.len()..];
        v[..v.find('"').unwrap()].parse().unwrap()
    };
    let (w, h) = (dim("width=\""), dim("height=\""));
    let texts = svg_texts(svg);
    assert_eq!(texts.first(), Some(&title), "{title}: the title comes first");
    let coords = svg_coordinates(svg);
    let bound = f64::from(w.max(h));
    assert!(coords.len() > 4, "{title}: nothing drawn");
    for v in coords {
        assert!((0.0..=bound).contains(&v), "{title}: coordinate {v} off the {w}x{h} canvas");
    }
    assert!(!svg.contains("NaN"), "{title}: NaN in the SVG");
    for t in &texts {
        for word in t.split_whitespace() {
            let number = word.trim_end_matches('%').parse::<f64>();
            assert!(!matches!(number, Ok(v) if !v.is_finite()), "{title}: label {t:?}");
        }
    }
    let (pw, ph, px) = decode(&std::fs::read(stem.with_extension("png")).unwrap());
    assert_eq!((pw, ph), (w, h), "{title}: PNG and SVG sizes");
    let dark = px[..(w * 50 * 3) as usize].chunks(3).filter(|p| p.iter().all(|&c| c < 100)).count();
    assert!(dark > 100, "{title}: title text pixels in the title area ({dark})");
    texts.iter().map(|t| t.to_string()).collect()
}

/// Is `s` one of `texts`?
fn has(texts: &[String], s: &str) -> bool {
    texts.iter().any(|t| t == s)
}

/// How many of `texts` are exactly `s`.
fn count(texts: &[String], s: &str) -> usize {
    texts.iter().filter(|&t| t == s).count()
}

#[test]
fn survival_plot_writes_both_files() {
    let dir = tempfile::tempdir().unwrap();
    let stem = dir.path().join("survival");
    let title = "Survival of collaborations by arm";
    let svg = survival_plot(&stem, title, &survival_sample(), 10.0).unwrap();
    let png = check_files(
        &stem,
        &svg,
        title,
        &["Baseline", "Shared strategy document", "Joint control room", "Share of collaborations still running"],
        (1000, 640),
    );
    assert!(svg.contains("Horizon: 10 years"));
    let again = survival_plot(&dir.path().join("again"), title, &survival_sample(), 10.0).unwrap();
    assert_eq!(again, svg, "SVG is deterministic");
    assert_eq!(std::fs::read(dir.path().join("again.png")).unwrap(), png, "PNG is deterministic");
}

#[test]
fn incidence_plot_writes_both_files() {
    let dir = tempfile::tempdir().unwrap();
    let stem = dir.path().join("incidence");
    let title = "Cumulative incidence by end cause";
    let svg = incidence_plot(&stem, title, &incidence_sample(), 10.0).unwrap();
    let png = check_files(
        &stem,
        &svg,
        title,
        &["Leader change", "Budget cut", "Strategy lost", "Goal achieved", "Cumulative incidence"],
        (1000, 640),
    );
    let again = incidence_plot(&dir.path().join("again"), title, &incidence_sample(), 10.0).unwrap();
    assert_eq!(again, svg, "SVG is deterministic");
    assert_eq!(std::fs::read(dir.path().join("again.png")).unwrap(), png, "PNG is deterministic");
}

#[test]
fn panels_plot_writes_both_files() {
    let dir = tempfile::tempdir().unwrap();
    let stem = dir.path().join("panels");
    let title = "Organization state over time (mean and 5–95% range over runs)";
    let panels = panels_sample();
    let svg = panels_plot(&stem, title, &panels).unwrap();
    let size = panels::PanelsFigure { title, panels: &panels, notes: &[] }.size();
    assert_eq!(size.0, 1100);
    let png = check_files(
        &stem,
        &svg,
        title,
        &["Police", "Fire and rescue", "Ambulance", "Staff hours per week", "Budget committed"],
        size,
    );
    let again = panels_plot(&dir.path().join("again"), title, &panels).unwrap();
    assert_eq!(again, svg, "SVG is deterministic");
    assert_eq!(std::fs::read(dir.path().join("again.png")).unwrap(), png, "PNG is deterministic");
}

#[test]
fn special_characters_are_escaped_in_svg() {
    let dir = tempfile::tempdir().unwrap();
    let curves =
        vec![StepCurve { label: "A & B <arm>".into(), points: vec![(0.0, 1.0), (2.0, 0.5)], ..Default::default() }];
    let svg = survival_plot(&dir.path().join("esc"), "Fish & chips", &curves, 5.0).unwrap();
    assert!(svg.contains("Fish &amp; chips"));
    assert!(svg.contains("A &amp; B &lt;arm&gt;"));
}

#[test]
fn degenerate_inputs_still_render() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // No curves, no horizon: the axes fall back to 0-1 years and 0-100% (incidence: 0-10%).
    let svg = survival_plot(&d.join("empty"), "Empty", &[], f64::NAN).unwrap();
    let t = check_rendered(&d.join("empty"), &svg, "Empty");
    assert!(has(&t, "100%") && has(&t, "1") && !t.iter().any(|t| t.starts_with("Horizon")), "{t:?}");
    let svg = incidence_plot(&d.join("empty_inc"), "Empty", &[], 0.0).unwrap();
    let t = check_rendered(&d.join("empty_inc"), &svg, "Empty");
    assert!(has(&t, "10%") && !has(&t, "20%") && has(&t, "1"), "{t:?}");
    // No panels: the title alone.
    let svg = panels_plot(&d.join("empty_panels"), "Empty", &[]).unwrap();
    assert_eq!(check_rendered(&d.join("empty_panels"), &svg, "Empty"), ["Empty"]);

    // Non-finite points and a censoring mark are left out; the horizon sets the x axis.
    let curves = vec![StepCurve {
        label: "odd".into(),
        points: vec![(0.0, 1.0), (f64::NAN, 0.5), (f64::INFINITY, 0.2)],
        band: Some(Band { lower: vec![], upper: vec![(0.0, 1.0)] }),
        censor_marks: vec![(1.0, f64::NAN)],
        ..Default::default()
    }];
    let svg = survival_plot(&d.join("odd"), "Odd", &curves, 3.0).unwrap();
    let t = check_rendered(&d.join("odd"), &svg, "Odd");
    assert!(["odd", "Horizon: 3 years", "3", "100%"].iter().all(|l| has(&t, l)), "{t:?}");
    for line in polylines(&svg, "#0072B2") {
        assert!(line.iter().all(|p| p.1 == line[0].1), "the curve stays at 100%: {line:?}");
    }
    assert!(!has(&t, "4"), "the x axis runs to the horizon: {t:?}");

    // A flat line with a short band edge, a single point, no lines, a scatter: each panel
    // gets an axis around its data (around 5 for the flat line, -1 to 1 for none).
    let panels = vec![
        Panel {
            title: "Flat".into(),
            y_label: "Count".into(),
            lines: vec![Line {
                label: "X".into(),
                x: vec![0.0, 1.0, 2.0],
                mean: vec![5.0; 3],
                lo: vec![5.0; 3],
                hi: vec![5.0],
                ..Line::default()
            }],
            ..Panel::default()
        },
        Panel {
            title: "One point".into(),
            y_label: "Count".into(),
            lines: vec![Line {
                label: "Y".into(),
                x: vec![1.0],
                mean: vec![2.0],
                lo: vec![1.0],
                hi: vec![3.0],
                ..Line::default()
            }],
            ..Panel::default()
        },
        Panel { title: "Nothing".into(), y_label: "Count".into(), ..Panel::default() },
        Panel {
            title: "Scatter".into(),
            y_label: "RMST (years)".into(),
            x_label: Some("collaboration.transparency".into()),
            scatter: true,
            lines: vec![Line {
                label: "design points".into(),
                x: vec![0.31, 0.5, 0.77, 0.9],
                mean: vec![7.0, 8.1, 9.0, 9.6],
                lo: vec![6.5, 7.7, 8.6, 9.3],
                hi: vec![7.5, 8.5, 9.4, 9.9],
                ..Line::default()
            }],
            ..Panel::default()
        },
        Panel {
            title: "Shared horizon".into(),
            y_label: "Mean".into(),
            lines: vec![Line { label: "Z".into(), x: vec![0.0, 1.0], mean: vec![1.0, 2.0], ..Line::default() }],
            x_range: Some((0.0, 10.0)),
            ..Panel::default()
        },
    ];
    let svg = panels_plot(&d.join("odd_panels"), "Odd", &panels).unwrap();
    let t = check_rendered(&d.join("odd_panels"), &svg, "Odd");
    let want = [
        "X",
        "Y",
        "design points",
        "Flat",
        "One point",
        "Nothing",
        "Scatter",
        "collaboration.transparency",
        "Shared horizon",
    ];
    assert!(want.iter().all(|l| has(&t, l)), "{t:?}");
    assert!(["4.0", "5.0", "6.0", "-1.0", "1.0", "10.0"].iter().all(|l| has(&t, l)), "{t:?}");
    // A single time gets half a year either side of it (x = 0 and x = 1 here).
    assert!(["-0.4", "0.4", "0.6", "1.4"].iter().all(|l| has(&t, l)), "{t:?}");
}

#[test]
fn organization_colours_are_consistent_across_panels() {
    let panels = panels_sample();
    let orgs = panels::organizations(&panels);
    assert_eq!(orgs, vec!["Police", "Fire and rescue", "Ambulance"]);
    // A panel listing the organizations in another order keeps their colours.
    let svg = render_svg(&panels::PanelsFigure { title: "t", panels: &panels, notes: &[] }).unwrap();
    let mut swapped = panels.clone();
    swapped[0].lines.reverse();
    let svg2 = render_svg(&panels::PanelsFigure { title: "t", panels: &swapped, notes: &[] }).unwrap();
    assert_eq!(panels::organizations(&swapped)[0], "Ambulance");
    assert!(svg.contains("#0072B2") && svg2.contains("#0072B2"));
}

#[test]
fn step_geometry() {
    let pts = [(0.0, 1.0), (1.0, 0.8), (3.0, 0.5)];
    assert_eq!(
        steps::step_path(&pts, 4.0),
        vec![(0.0, 1.0), (1.0, 1.0), (1.0, 0.8), (3.0, 0.8), (3.0, 0.5), (4.0, 0.5)]
    );
    let poly = steps::band_polygon(&[(0.0, 0.9), (2.0, 0.6)], &[(0.0, 1.0), (1.0, 0.95)]);
    assert_eq!(
        poly,
        vec![(0.0, 1.0), (1.0, 1.0), (1.0, 0.95), (2.0, 0.95), (2.0, 0.6), (2.0, 0.9), (1.0, 0.9), (0.0, 0.9)]
    );
}

/// A response over a grid of two parameters, with one missing cell.
fn heatmap_sample() -> (Vec<f64>, Vec<f64>, Vec<Vec<f64>>) {
    let xs = vec![0.05, 0.1, 0.2, 1.0 / 3.0, 0.5, 0.75];
    let ys = vec![0.5, 1.0, 1.5, 2.0, 3.0];
    let z: Vec<Vec<f64>> = ys
        .iter()
        .enumerate()
        .map(|(iy, &y)| {
            xs.iter()
                .enumerate()
                .map(|(ix, &x)| if (ix, iy) == (4, 1) { f64::NAN } else { 2.0 + 9.0 * x * y / (1.0 + x * y) })
                .collect()
        })
        .collect();
    (xs, ys, z)
}

fn line_ci_sample() -> Vec<CiSeries> {
    let arm = |label: &str, base: f64, slope: f64| {
        let x: Vec<f64> = (0..9).map(|i| 0.1 * i as f64).collect();
        let y: Vec<f64> = x.iter().map(|&p| base + slope * p + 0.4 * (6.0 * p).sin()).collect();
        let half: Vec<f64> = x.iter().map(|&p| 0.35 + 0.5 * p).collect();
        CiSeries {
            label: label.to_string(),
            lo: y.iter().zip(&half).map(|(y, h)| y - h).collect(),
            hi: y.iter().zip(&half).map(|(y, h)| y + h).collect(),
            x,
            y,
        }
    };
    vec![arm("Baseline", 6.0, 2.0), arm("Shared strategy document", 7.5, 3.0)]
}

fn bar_sample() -> (Vec<String>, Vec<BarSeries>) {
    let categories: Vec<String> = [
        "trust_decay_rate",
        "leader_turnover_probability",
        "budget_cut_shock",
        "meeting_frequency",
        "staff",
        "strategy document half-life",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let s1 = [0.32, 0.21, 0.08, -0.02, 0.01, 0.15];
    let st = [0.45, 0.30, 0.12, 0.03, f64::NAN, 0.22];
    let series = |label: &str, v: &[f64]| BarSeries {
        label: label.to_string(),
        values: v.to_vec(),
        lo: Some(v.iter().map(|x| x - 0.04).collect()),
        hi: Some(v.iter().map(|x| x + 0.05).collect()),
    };
    (categories, vec![series("S1 (first order)", &s1), series("ST (total)", &st)])
}

#[test]
fn heatmap_plot_writes_both_files() {
    let dir = tempfile::tempdir().unwrap();
    let stem = dir.path().join("heat");
    let title = "Mean collaboration duration by trust decay and meeting interval";
    let (xs, ys, z) = heatmap_sample();
    let svg = heatmap_plot(&stem, title, "Trust decay rate", &xs, "Meeting interval", &ys, &z, "Years", None).unwrap();
    let png = check_files(
        &stem,
        &svg,
        title,
        &["Trust decay rate", "Meeting interval", "Years", "n/a", "0.333", "0.05", "1.5"],
        (1000, 680),
    );
    // Cells are annotated with three significant digits: z at x = 0.05, y = 0.5.
    assert!(svg.contains("\n2.22\n"), "cell annotation");
    let again = heatmap_plot(
        &dir.path().join("again"),
        title,
        "Trust decay rate",
        &xs,
        "Meeting interval",
        &ys,
        &z,
        "Years",
        None,
    )
    .unwrap();
    assert_eq!(again, svg, "SVG is deterministic");
    assert_eq!(std::fs::read(dir.path().join("again.png")).unwrap(), png, "PNG is deterministic");
}

#[test]
fn line_ci_plot_writes_both_files() {
    let dir = tempfile::tempdir().unwrap();
    let stem = dir.path().join("line");
    let title = "Mean duration by leader turnover probability";
    let series = line_ci_sample();
    let svg = line_ci_plot(&stem, title, "Leader turnover probability", "Mean duration (years)", &series).unwrap();
    let png = check_files(
        &stem,
        &svg,
        title,
        &["Baseline", "Shared strategy document", "Leader turnover probability", "Mean duration (years)"],
        (1000, 640),
    );
    let again =
        line_ci_plot(&dir.path().join("again"), title, "Leader turnover probability", "Mean duration (years)", &series)
            .unwrap();
    assert_eq!(again, svg, "SVG is deterministic");
    assert_eq!(std::fs::read(dir.path().join("again.png")).unwrap(), png, "PNG is deterministic");
    // One series: no legend.
    let one = line_ci_plot(&dir.path().join("one"), title, "p", "y", &series[..1]).unwrap();
    assert!(!one.contains("Baseline"));
}

#[test]
fn bar_plot_writes_both_files() {
    let dir = tempfile::tempdir().unwrap();
    let stem = dir.path().join("bars");
    let title = "Sobol sensitivity indices of mean duration";
    let (categories, series) = bar_sample();
    let svg = bar_plot(&stem, title, "Sensitivity index", &categories, &series).unwrap();
    let size = draw_size(&charts::BarFigure { title, y_label: "", categories: &categories, series: &series });
    let png = check_files(
        &stem,
        &svg,
        title,
        &["S1 (first order)", "ST (total)", "Sensitivity index", "staff", "trust_decay_rate", "n/a"],
        size,
    );
    let again = bar_plot(&dir.path().join("again"), title, "Sensitivity index", &categories, &series).unwrap();
    assert_eq!(again, svg, "SVG is deterministic");
    assert_eq!(std::fs::read(dir.path().join("again.png")).unwrap(), png, "PNG is deterministic");
}

fn draw_size<F: Figure>(f: &F) -> (u32, u32) {
    f.size()
}

#[test]
fn parameter_charts_survive_degenerate_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let heat = |stem: &str, title: &str, xs: &[f64], ys: &[f64], z: &[Vec<f64>]| -> Vec<String> {
        let svg = heatmap_plot(&d.join(stem), title, "x", xs, "y", ys, z, "z", None).unwrap();
        check_rendered(&d.join(stem), &svg, title)
    };
    // Empty grids say so.
    assert!(heat("h0", "Empty", &[], &[], &[]).iter().any(|t| t == "No data"));
    assert!(heat("h1", "No rows", &[1.0, 2.0], &[], &[]).iter().any(|t| t == "No data"));
    // Missing and absent cells are marked "n/a" (and explained once beside the colour bar).
    let t = heat("h2", "All missing", &[1.0, 2.0], &[1.0], &[vec![f64::NAN; 2]]);
    assert_eq!(count(&t, "n/a"), 2 + 1, "{t:?}");
    let t = heat("h3", "Ragged", &[1.0, 2.0, 3.0], &[1.0, 2.0], &[vec![1.0]]);
    assert_eq!(count(&t, "n/a"), 5 + 1, "{t:?}");
    // A flat surface: four cells and one colour-bar tick, all 3.
    let t = heat("h4", "Flat", &[1.0, 2.0], &[1.0, 2.0], &[vec![3.0; 2], vec![3.0; 2]]);
    assert_eq!(count(&t, "3"), 4 + 1, "{t:?}");
    // Dense and huge: the colour bar spans the rows shown (0 to 0.59 * 0.01 * 1e7), and
    // non-finite row values get a label each.
    let many: Vec<f64> = (0..60).map(|i| i as f64 * 0.01).collect();
    let big: Vec<Vec<f64>> = many.iter().map(|&y| many.iter().map(|&x| x * y * 1e7).collect()).collect();
    let t = heat("h5", "Dense", &many, &[f64::NAN, f64::INFINITY], &big);
    assert!(["0", "59000", "n/a", "∞", "0.57"].iter().all(|l| has(&t, l)), "{t:?}");

    let t = check_rendered(&d.join("l0"), &line_ci_plot(&d.join("l0"), "Empty", "x", "y", &[]).unwrap(), "Empty");
    assert!(has(&t, "0.0") && has(&t, "1.0"), "empty data: a 0-1 axis: {t:?}");
    let odd = vec![
        CiSeries { label: "none".into(), ..Default::default() },
        CiSeries { label: "one".into(), x: vec![1.0], y: vec![2.0], lo: vec![1.5], hi: vec![2.5] },
        CiSeries {
            label: "gaps".into(),
            x: vec![0.0, 1.0, f64::NAN, 3.0, 4.0],
            y: vec![1.0, f64::NAN, 2.0, 2.0, 2.0],
            lo: vec![0.5, 0.5],
            hi: vec![1.5, f64::INFINITY, 3.0],
        },
    ];
    let t = check_rendered(&d.join("l1"), &line_ci_plot(&d.join("l1"), "Odd", "x", "y", &odd).unwrap(), "Odd");
    assert!(["none", "one", "gaps", "0.0", "4.0", "0.5", "2.5"].iter().all(|l| has(&t, l)), "{t:?}");
    let flat = vec![CiSeries { label: "flat".into(), x: vec![2.0, 2.0], y: vec![0.0, 0.0], lo: vec![], hi: vec![] }];
    let t = check_rendered(&d.join("l2"), &line_ci_plot(&d.join("l2"), "Flat", "x", "y", &flat).unwrap(), "Flat");
    assert!(["2.00", "-1.0", "1.0"].iter().all(|l| has(&t, l)), "a point: axes around it: {t:?}");

    let t = check_rendered(&d.join("b0"), &bar_plot(&d.join("b0"), "Empty", "y", &[], &[]).unwrap(), "Empty");
    assert!(has(&t, "0.0") && has(&t, "1.0"), "{t:?}");
    let svg = bar_plot(&d.join("b1"), "No series", "y", &["a".into()], &[]).unwrap();
    assert!(check_rendered(&d.join("b1"), &svg, "No series").iter().any(|t| t == "a"));
    let cats: Vec<String> = (0..30).map(|i| format!("a_very_long_parameter_name_number_{i}")).collect();
    let bars = vec![
        BarSeries { label: "short".into(), values: vec![f64::NAN, -1.0], lo: Some(vec![]), hi: None },
        BarSeries {
            label: "neg".into(),
            values: vec![-2.0; 30],
            lo: Some(vec![-3.0; 30]),
            hi: Some(vec![f64::NAN; 30]),
        },
    ];
    let t = check_rendered(&d.join("b2"), &bar_plot(&d.join("b2"), "Many", "y", &cats, &bars).unwrap(), "Many");
    // Every category is labelled, the missing values of the short series are marked, and the
    // axis reaches the negative bars (half-given error bars are not drawn, so not to -3).
    assert!(cats.iter().all(|c| has(&t, c)), "{t:?}");
    assert_eq!(count(&t, "n/a"), 29, "{t:?}");
    assert!(has(&t, "-2.0") && has(&t, "0.0") && !has(&t, "-3.0"), "{t:?}");
}

#[test]
fn number_formats() {
    assert_eq!(charts::compact(0.1), "0.1");
    assert_eq!(charts::compact(1.0 / 3.0), "0.333");
    assert_eq!(charts::compact(1.5), "1.5");
    assert_eq!(charts::compact(0.125), "0.125");
    assert_eq!(charts::compact(20.0), "20");
    assert_eq!(charts::compact(-0.05), "-0.05");
    assert_eq!(charts::sig(2.2222, 3), "2.22");
    assert_eq!(charts::sig(9.9996, 3), "10");
    assert_eq!(charts::sig(0.5, 3), "0.5");
    assert_eq!(charts::sig(1234.6, 3), "1235");
    assert_eq!(charts::sig(1.2e-6, 3), "1.2e-6");
    assert_eq!(charts::sig(f64::NAN, 3), "n/a");
    assert_eq!(charts::sig(0.0, 3), "0");
}

#[test]
fn colour_map_and_contrast() {
    assert_eq!(charts::viridis(0.0), RGBColor(0x44, 0x01, 0x54));
    assert_eq!(charts::viridis(1.0), RGBColor(0xfd, 0xe7, 0x25));
    assert_eq!(charts::viridis(f64::NAN), charts::viridis(0.0));
    assert_eq!(charts::text_on(charts::viridis(0.1)), WHITE);
    assert_eq!(charts::text_on(charts::viridis(0.9)), RGBColor(0, 0, 0));
}

#[test]
fn category_labels_wrap_at_separators() {
    let w = |s: &str| s.chars().count() as i32 * 10;
    assert_eq!(charts::wrap("leader_turnover_probability", 120, &w), vec!["leader_", "turnover_", "probability"]);
    assert_eq!(charts::wrap("half life", 200, &w), vec!["half life"]);
    assert_eq!(charts::wrap("strategy document half-life", 100, &w), vec!["strategy", "document", "half-life"]);
    assert_eq!(charts::wrap("strategy document half-life", 170, &w), vec!["strategy document", "half-life"]);
    assert_eq!(charts::wrap("", 100, &w), vec![""]);
    assert_eq!(charts::tick_decimals(5.5, 10.5, 8), 0);
    assert_eq!(charts::tick_decimals(-0.03, 0.9, 10), 1);
    assert_eq!(charts::tick_decimals(0.0, 0.3, 10), 2);
}

/// The polylines of an SVG drawn in `colour` at full opacity (`opacity="1"`) or faint.
fn polylines_with(svg: &str, colour: &str, faint: bool) -> Vec<Vec<(f64, f64)>> {
    let stroke = format!("stroke=\"{colour}\"");
    svg.split("<polyline ")
        .skip(1)
        .map(|e| &e[..e.find("/>").unwrap()])
        .filter(|e| e.contains(&stroke) && (e.contains("opacity=\"1\"") != faint))
        .map(|e| {
            let pts = &e[e.find("points=\"").unwrap() + 8..];
            let pts = &pts[..pts.find('"').unwrap()];
            let xy = |p: &str| p.split_once(',').map(|(x, y)| (x.parse().unwrap(), y.parse().unwrap())).unwrap();
            pts.split_whitespace().map(xy).collect()
        })
        .collect()
}

fn path_len(p: &[(f64, f64)]) -> f64 {
    p.windows(2).map(|w| ((w[1].0 - w[0].0).powi(2) + (w[1].1 - w[0].1).powi(2)).sqrt()).sum()
}

#[test]
fn dash_patterns_differ_per_arm_and_solid_is_whole() {
    let path = [(0, 0), (200, 0), (200, 100)];
    assert_eq!(draw::dash_pieces(&path, draw::dash_pattern(0)), vec![path.to_vec()], "arm 0 is solid");
    let mut seen = Vec::new();
    for d in 1..6 {
        let pieces = draw::dash_pieces(&path, draw::dash_pattern(d));
        assert!(pieces.len() >= 8, "dash {d} breaks a 300-px path into pieces: {}", pieces.len());
        let lens: Vec<i32> = pieces
            .iter()
            .map(|p| path_len(&p.iter().map(|&(x, y)| (x as f64, y as f64)).collect::<Vec<_>>()) as i32)
            .collect();
        // The first pieces are as long as the pattern's 'on' elements.
        assert_eq!(lens[0], draw::dash_pattern(d)[0], "dash {d}: {lens:?}");
        seen.push(draw::dash_pattern(d));
    }
    seen.dedup();
    assert_eq!(seen.len(), 5, "five distinct broken patterns after solid");
}

/// Cumulative incidence of `causes` causes in `arms` arms, cause k in colour k, arm i in dash i.
fn styled_incidence(causes: usize, arms: usize) -> Vec<StepCurve> {
    let mut out = Vec::new();
    for i in 0..arms {
        for k in 0..causes {
            let share = 0.1 + 0.05 * k as f64 + 0.03 * i as f64;
            let points = (0..=20).map(|t| (t as f64 * 0.5, share * t as f64 / 20.0)).collect();
            out.push(StepCurve {
                label: format!("arm {i}: cause {k}"),
                points,
                style: Style::cause(k, i),
                ..StepCurve::default()
            });
        }
    }
    out
}

/// The distinct `stroke="#RRGGBB"` colours of an SVG's polylines.
fn stroke_colours(svg: &str) -> Vec<String> {
    let mut v: Vec<String> = svg
        .split("<polyline ")
        .skip(1)
        .filter_map(|e| {
            let at = e.find("stroke=\"")? + 8;
            Some(e[at..at + 7].to_string())
        })
        .collect();
    v.sort();
    v.dedup();
    v
}

#[test]
fn each_cause_has_one_colour_and_each_arm_one_dash() {
    // Eight causes (three partners, understaffed, sponsor) in two arms: eight distinct colours,
    // none from the arms' palette, each drawn once solid (arm 0) and once dashed (arm 1).
    let dir = tempfile::tempdir().unwrap();
    let curves = styled_incidence(8, 2);
    let chart = StepChart { title: "Causes".into(), curves, horizon_years: 10.0, ..StepChart::default() };
    let svg = incidence_chart(&dir.path().join("inc"), &chart).unwrap();
    let axis = ["#666666", "#E3E3E3"];
    let colours: Vec<String> = stroke_colours(&svg).into_iter().filter(|c| !axis.contains(&c.as_str())).collect();
    assert_eq!(colours.len(), 8, "one colour per cause: {colours:?}");
    for c in &colours {
        let lines = polylines_with(&svg, c, false);
        // Legend keys are short (one piece for solid, a few for dashed); the curves are long.
        let long_solid = lines.iter().filter(|l| path_len(l) > 300.0).count();
        let dashes = lines.iter().filter(|l| path_len(l) < 25.0).count();
        assert_eq!(long_solid, 1, "{c}: arm 0's curve is one solid polyline");
        assert!(dashes > 20, "{c}: arm 1's curve is dashed ({dashes} short pieces)");
    }
    // With more causes than the palette's fifteen, colours repeat only after fifteen.
    let many = StepChart { curves: styled_incidence(15, 1), ..chart };
    let svg = incidence_chart(&dir.path().join("many"), &many).unwrap();
    assert_eq!(stroke_colours(&svg).iter().filter(|c| !axis.contains(&c.as_str())).count(), 15);
}

#[test]
fn small_multiples_keep_cause_colours_and_arm_dashes() {
    let dir = tempfile::tempdir().unwrap();
    let curves = styled_incidence(6, 3);
    let panels: Vec<StepPanel> = (0..6)
        .map(|k| StepPanel {
            title: format!("cause {k}"),
            curves: curves.iter().filter(|c| c.style.color == Some(k)).cloned().collect(),
        })
        .collect();
    let legend: Vec<LegendEntry> =
        (0..3).map(|i| LegendEntry { label: format!("arm {i}"), style: Style::series(6, i), band: false }).collect();
    let grid = StepGrid {
        title: "Causes by arm".into(),
        panels,
        horizon_years: 10.0,
        legend: Some(legend),
        notes: vec!["One panel per cause.".into()],
        ..StepGrid::default()
    };
    let svg = incidence_grid(&dir.path().join("grid"), &grid).unwrap();
    let t = check_rendered(&dir.path().join("grid"), &svg, "Causes by arm");
    for k in 0..6 {
        assert!(has(&t, &format!("cause {k}")), "panel title {k}");
    }
    assert!(["arm 0", "arm 1", "arm 2", "One panel per cause."].iter().all(|l| has(&t, l)), "{t:?}");
    // The legend's arm keys are black in dashes 0, 1, 2: one, then several, pieces.
    let black = polylines_with(&svg, "#000000", false);
    assert_eq!(black.iter().filter(|l| path_len(l) >= 39.0).count(), 1, "arm 0 key solid: {black:?}");
    assert!(black.len() >= 5, "arm 1 and 2 keys dashed");
}

#[test]
fn faint_tail_reference_line_and_anchored_axis() {
    let dir = tempfile::tempdir().unwrap();
    let x: Vec<f64> = (0..100).map(|w| w as f64 / 52.0).collect();
    let mean: Vec<f64> = x.iter().map(|t| 0.240 + 0.015 * t / 2.0).collect();
    let panel = Panel {
        title: "Distance between partners' cultural norms (mean of runs still going)".into(),
        y_label: "Norm distance (0-1)".into(),
        lines: vec![Line {
            label: "between partners".into(),
            x: x.clone(),
            lo: mean.iter().map(|m| m - 0.002).collect(),
            hi: mean.iter().map(|m| m + 0.002).collect(),
            mean,
            fade_from: Some(1.5),
            ..Line::default()
        }],
        x_range: Some((0.0, 10.0)),
        y_bounds: Some((0.0, 1.0)),
        y_min_span: Some(0.2),
        references: vec![Reference { y: 0.3, label: "review midpoint: support 0.3".into() }],
        ..Panel::default()
    };
    let svg = panels_chart(&dir.path().join("p"), "Norms", std::slice::from_ref(&panel), &["a note".into()]).unwrap();
    let t = check_rendered(&dir.path().join("p"), &svg, "Norms");
    assert!(has(&t, "review midpoint: support 0.3") && has(&t, "a note"), "{t:?}");
    // The line is drawn full to 1.5 years and faint after.
    let full = polylines_with(&svg, "#0072B2", false);
    let faint = polylines_with(&svg, "#0072B2", true);
    assert!(full.iter().any(|l| path_len(l) > 50.0), "full part");
    assert!(faint.iter().any(|l| l.len() > 10), "faint part");
    // The y axis spans at least 0.2 around data spanning 0.015, and says so.
    let ((lo, hi), widened) = panels::y_axis(&panel, 0.238, 0.257);
    assert!(widened && hi - lo >= 0.2 && lo >= 0.0 && hi <= 1.0, "{lo}..{hi}");
    assert!(t.iter().any(|s| s.starts_with("means 0.240–0.25")), "range printed: {t:?}");
    // Counts start at zero.
    let count = Panel { y_from_zero: true, y_bounds: None, y_min_span: None, references: vec![], ..panel.clone() };
    assert_eq!(panels::y_axis(&count, 120.0, 200.0).0.0, 0.0);
    // A reference outside the data widens the axis to show it.
    let ((lo, _), _) = panels::y_axis(&Panel { y_min_span: None, ..panel }, 0.6, 0.7);
    assert!(lo <= 0.3, "{lo}");
}

#[test]
fn long_titles_wrap_instead_of_being_cut_or_shrunk() {
    let dir = tempfile::tempdir().unwrap();
    let title = "Survival: CS2: fire control rooms co-located in a police control room (--set \
                 leadership.turnover_per_year=0.3) vs leadership.turnover_per_year=0.6 and \
                 collaboration.strategy_document=false (1,000 replicates each, seed 2016)";
    let chart =
        StepChart { title: title.into(), curves: survival_sample(), horizon_years: 10.0, ..StepChart::default() };
    let svg = survival_chart(&dir.path().join("s"), &chart).unwrap();
    let t = svg_texts(&svg);
    let lines: Vec<&str> = t.iter().take_while(|l| !l.is_empty() && title.contains(*l)).copied().collect();
    assert!(lines.len() >= 2, "the title is wrapped: {lines:?}");
    assert_eq!(lines.join(" "), title, "every word of the title is kept");
    let size = |s: &str| {
        let at = s.find("font-size=\"").unwrap() + 11;
        s[at..at + s[at..].find('"').unwrap()].parse::<f64>().unwrap()
    };
    let first = svg.split("<text ").nth(1).unwrap();
    // plotters writes font sizes scaled by 1/1.24 in SVG: 20 px is 16.1 there, and the old
    // shrink-to-fit went down to 15.6 px (12.6).
    assert!(size(first) >= 20.0 / 1.24 - 0.01, "title set at a readable size: {}", size(first));
    // Panel titles wrap too.
    let long = Panel { title: title.into(), ..panels_sample()[0].clone() };
    let svg = panels_plot(&dir.path().join("p"), "t", &[long]).unwrap();
    let words: usize = svg_texts(&svg).iter().filter(|l| title.contains(*l) && l.len() > 20).count();
    assert!(words >= 2, "the panel title is on two or more lines");
}

#[test]
fn x_axis_can_end_before_the_horizon() {
    let dir = tempfile::tempdir().unwrap();
    let chart = StepChart {
        title: "Early".into(),
        curves: vec![StepCurve {
            label: "a".into(),
            points: vec![(0.0, 1.0), (1.2, 0.4), (2.6, 0.0), (10.0, 0.0)],
            ..Default::default()
        }],
        horizon_years: 10.0,
        x_end: Some(3.0),
        notes: vec!["All runs ended early".into()],
        ..StepChart::default()
    };
    let svg = survival_chart(&dir.path().join("e"), &chart).unwrap();
    let t = check_rendered(&dir.path().join("e"), &svg, "Early");
    assert!(has(&t, "3") && !has(&t, "4") && has(&t, "All runs ended early"), "{t:?}");
    assert!(!t.iter().any(|s| s.starts_with("Horizon")), "the horizon is off the axis");
}

#[test]
fn a_heatmap_scale_anchored_at_the_bounds_spans_them_and_labels_its_ends() {
    use super::charts::colour_span;
    // The issue's case: cells 9.38 to 10 on a 10-year horizon span 0 to 10, not 9.38 to 10.
    assert_eq!(colour_span(&[9.38, 10.0, f64::NAN], Some((0.0, 10.0))), Some((0.0, 10.0, false)));
    assert_eq!(colour_span(&[9.38, 10.0], None), Some((9.38, 10.0, false)));
    // A cell outside the anchor widens the span rather than being drawn at its end.
    assert_eq!(colour_span(&[12.0], Some((0.0, 10.0))), Some((0.0, 12.0, false)));
    assert_eq!(colour_span(&[f64::NAN], Some((0.0, 10.0))), None);
    let d = tempfile::tempdir().unwrap();
    let z = vec![vec![9.38, 10.0], vec![9.7, 9.9]];
    let svg =
        heatmap_plot(&d.path().join("h"), "t", "x", &[1.0, 2.0], "y", &[1.0, 2.0], &z, "z", Some((0.0, 10.0))).unwrap();
    for tick in ["0", "2.5", "5", "7.5", "10"] {
        assert!(svg.contains(&format!(">\n{tick}\n</text>")), "colour-bar tick {tick}");
    }
}

#[test]
fn a_dense_scatter_draws_small_translucent_dots_without_whiskers() {
    // A Sobol design's hundreds of points with whiskers hid each other (issue 14, item 23):
    // above SCATTER_DENSE points each is a small translucent dot and no whisker is drawn.
    let d = tempfile::tempdir().unwrap();
    let scatter = |n: usize| Panel {
        title: "Scatter".into(),
        y_label: "RMST (years)".into(),
        x_label: Some("collaboration.transparency".into()),
        scatter: true,
        lines: vec![Line {
            label: "design points".into(),
            x: (0..n).map(|i| i as f64 / n as f64).collect(),
            mean: (0..n).map(|i| 5.0 + (i % 7) as f64 / 7.0).collect(),
            lo: (0..n).map(|i| 4.5 + (i % 7) as f64 / 7.0).collect(),
            hi: (0..n).map(|i| 5.5 + (i % 7) as f64 / 7.0).collect(),
            ..Line::default()
        }],
        ..Panel::default()
    };
    let sparse = panels_plot(&d.path().join("sparse"), "Sparse", &[scatter(SCATTER_DENSE)]).unwrap();
    let dense = panels_plot(&d.path().join("dense"), "Dense", &[scatter(SCATTER_DENSE + 1)]).unwrap();
    let circles = |svg: &str, r: &str| svg.matches(&format!("r=\"{r}\"")).count();
    assert_eq!(circles(&sparse, "3"), SCATTER_DENSE, "each sparse point a full dot");
    assert_eq!(circles(&dense, "3"), 0, "no full-size dot when dense");
    assert_eq!(circles(&dense, "2"), SCATTER_DENSE + 1, "each dense point a small dot");
    let small = dense.split("<circle").skip(1).filter(|c| c.contains("r=\"2\"")).collect::<Vec<_>>();
    assert!(small.iter().all(|c| c.split('>').next().is_some_and(|a| a.contains("opacity=\"0.3"))), "translucent dots");
    assert!(
        sparse.matches("<polyline").count() >= SCATTER_DENSE + dense.matches("<polyline").count(),
        "whiskers only in the sparse scatter"
    );
}
