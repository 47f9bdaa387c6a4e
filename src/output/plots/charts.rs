//! Charts over parameter values: a heatmap of a response over a grid of two parameters, lines
//! with confidence bands over one parameter, and grouped bars (such as sensitivity indices).
//! They share the fonts, title, legend and palette of `draw`.

use plotters::coord::Shift;
use plotters::element::{PathElement, Polygon, Rectangle, Text};
use plotters::prelude::*;
use plotters::style::FontTransform;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::draw::{
    AXIS, AXIS_DESC_SIZE, BAND_ALPHA, DrawResult, GRID, Key, LegendItem, MUTED, TEXT, TICK_SIZE, color, draw_legend,
    draw_marker, draw_title, font,
};
use super::{BarSeries, CiSeries, Figure};

/// `v` with `digits` significant digits and no trailing zeros; very large or small
/// magnitudes in scientific notation.
pub(super) fn sig(v: f64, digits: i32) -> String {
    if v.is_nan() {
        return "n/a".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "∞" } else { "-∞" }.into();
    }
    if v == 0.0 {
        return "0".into();
    }
    let mag = v.abs().log10().floor() as i32;
    if !(-4..7).contains(&mag) {
        let dec = (digits - 1).max(0) as usize;
        let s = format!("{v:.dec$e}");
        // "1.20e-5" -> "1.2e-5"
        return match s.split_once('e') {
            Some((m, e)) => format!("{}e{e}", trim_zeros(m)),
            None => s,
        };
    }
    let dec = (digits - 1 - mag).max(0) as usize;
    let s = trim_zeros(&format!("{v:.dec$}"));
    if s == "-0" { "0".into() } else { s }
}

fn trim_zeros(s: &str) -> String {
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s.to_string() }
}

/// A parameter value as a category label: the shortest form with up to three significant
/// digits that gives the value back exactly (0.1, 0.125, 1.5, 20), or else three
/// significant digits (0.333).
pub(super) fn compact(v: f64) -> String {
    for d in 1..=3 {
        let s = sig(v, d);
        if s.parse::<f64>().is_ok_and(|p| (p - v).abs() <= 1e-9 * v.abs()) {
            return s;
        }
    }
    sig(v, 3)
}

/// Decimal places that show every tick plotters puts on an axis over `lo..hi` with at most
/// `n` labels (so a step of 0.5 gives "6.5", and a step of 1 gives "6", not "6.0").
pub(super) fn tick_decimals(lo: f64, hi: f64, n: usize) -> usize {
    use plotters::coord::ranged1d::Ranged;
    use plotters::coord::types::RangedCoordf64;
    if lo.partial_cmp(&hi) != Some(std::cmp::Ordering::Less) {
        return 0;
    }
    RangedCoordf64::from(lo..hi)
        .key_points(n)
        .iter()
        .map(|v| {
            let s = trim_zeros(&format!("{v:.6}"));
            s.split_once('.').map_or(0, |(_, d)| d.len())
        })
        .max()
        .unwrap_or(0)
}

/// Anchor colours of matplotlib's viridis map at 0, 1/8, ..., 1: perceptually uniform,
/// readable in grey and by colour-blind readers.
const VIRIDIS: [(u8, u8, u8); 9] = [
    (0x44, 0x01, 0x54),
    (0x47, 0x2c, 0x7a),
    (0x3b, 0x51, 0x8b),
    (0x2c, 0x71, 0x8e),
    (0x21, 0x90, 0x8d),
    (0x27, 0xad, 0x81),
    (0x5c, 0xc8, 0x63),
    (0xaa, 0xdc, 0x32),
    (0xfd, 0xe7, 0x25),
];

/// The viridis colour at `t` in 0–1, interpolated linearly between the anchors.
pub(super) fn viridis(t: f64) -> RGBColor {
    let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { 0.0 };
    let p = t * (VIRIDIS.len() - 1) as f64;
    let i = (p.floor() as usize).min(VIRIDIS.len() - 2);
    let f = p - i as f64;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    let mix = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Black or white, whichever contrasts more with `c` (by WCAG relative luminance).
pub(super) fn text_on(c: RGBColor) -> RGBColor {
    let lin = |v: u8| {
        let s = f64::from(v) / 255.0;
        if s <= 0.04045 { s / 12.92 } else { ((s + 0.055) / 1.055).powf(2.4) }
    };
    let l = 0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2);
    // Contrast with white is 1.05 / (l + 0.05), with black (l + 0.05) / 0.05.
    if l > 0.179 { RGBColor(0, 0, 0) } else { WHITE }
}

const MISSING_FILL: RGBColor = RGBColor(0xF2, 0xF2, 0xF2);
const HATCH: RGBColor = RGBColor(0xC4, 0xC4, 0xC4);
const BASELINE: RGBColor = RGBColor(0x33, 0x33, 0x33);

/// Text width in pixels (0 if it cannot be measured).
fn text_w<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, s: &str, style: &TextStyle) -> i32 {
    area.estimate_text_size(s, style).map_or(0, |(w, _)| w as i32)
}

/// Draws a light grey, diagonally hatched box: the mark of a missing value.
fn draw_missing<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, a: (i32, i32), b: (i32, i32)) -> DrawResult<DB> {
    area.draw(&Rectangle::new([a, b], MISSING_FILL.filled()))?;
    let (w, h) = (b.0 - a.0, b.1 - a.1);
    let step = 9;
    let mut d = step / 2;
    // Lines "/" where (x - a.0) + (b.1 - y) = d, clipped to the box.
    while d < w + h {
        let lo = (d - h).max(0);
        let hi = d.min(w);
        if hi > lo {
            area.draw(&PathElement::new(vec![(a.0 + lo, b.1 - (d - lo)), (a.0 + hi, b.1 - (d - hi))], HATCH))?;
        }
        d += step;
    }
    Ok(())
}

/// A heatmap over a grid of two parameters.
pub(crate) struct HeatmapFigure<'a> {
    pub title: &'a str,
    pub x_label: &'a str,
    pub x_values: &'a [f64],
    pub y_label: &'a str,
    pub y_values: &'a [f64],
    pub z: &'a [Vec<f64>],
    pub z_label: &'a str,
    /// The values the colour scale spans (`lo` darkest, `hi` brightest); `None` spans the
    /// cells' own range.
    pub scale: Option<(f64, f64)>,
}

/// The span of a heatmap's colour scale: `anchor` widened to take in every finite cell (a
/// value outside the anchor must not be drawn as if at its end), or else the cells' own
/// range; `None` when no cell is finite. The bool says the span is flat (one value).
pub(super) fn colour_span(cells: &[f64], anchor: Option<(f64, f64)>) -> Option<(f64, f64, bool)> {
    let finite: Vec<f64> = cells.iter().copied().filter(|v| v.is_finite()).collect();
    if finite.is_empty() {
        return None;
    }
    let z_min = finite.iter().copied().fold(f64::INFINITY, f64::min);
    let z_max = finite.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = match anchor {
        Some((a, b)) if a.is_finite() && b.is_finite() && a < b => (a.min(z_min), b.max(z_max)),
        _ => (z_min, z_max),
    };
    Some((lo, hi, hi.partial_cmp(&lo) != Some(std::cmp::Ordering::Greater)))
}

impl HeatmapFigure<'_> {
    /// `z[iy][ix]`, NaN where absent.
    fn value(&self, ix: usize, iy: usize) -> f64 {
        self.z.get(iy).and_then(|r| r.get(ix)).copied().unwrap_or(f64::NAN)
    }

    /// All values of the grid's cells.
    fn cells(&self) -> impl Iterator<Item = f64> + '_ {
        (0..self.y_values.len()).flat_map(move |iy| (0..self.x_values.len()).map(move |ix| self.value(ix, iy)))
    }
}

const COLORBAR_W: i32 = 22;

impl Figure for HeatmapFigure<'_> {
    fn size(&self) -> (u32, u32) {
        (1000, 680)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        root.fill(&WHITE)?;
        let area = root.margin(14, 10, 14, 20);
        let area = draw_title(&area, self.title)?;
        // Everything below is drawn on `root` in absolute pixels.
        let (bx, by) = area.get_base_pixel();
        let (aw, ah) = area.dim_in_pixel();
        let (aw, ah) = (aw as i32, ah as i32);
        let (nx, ny) = (self.x_values.len(), self.y_values.len());

        let cells: Vec<f64> = self.cells().collect();
        let missing = cells.iter().any(|v| !v.is_finite());
        let span = colour_span(&cells, self.scale);
        let (z_min, z_max, flat) = span.unwrap_or((0.0, 1.0, true));
        let t_of = |v: f64| if flat { 0.5 } else { (v - z_min) / (z_max - z_min) };
        // Colour-bar ticks as (position 0–1, value): both ends of the span are labelled.
        let ticks: Vec<(f64, f64)> = if span.is_none() {
            Vec::new()
        } else if flat {
            vec![(0.5, z_min)]
        } else {
            (0..=4).map(|k| k as f64 / 4.0).map(|t| (t, z_min + t * (z_max - z_min))).collect()
        };
        // Where the cells lie on the scale, marked beside the colour bar.
        let finite: Vec<f64> = cells.iter().copied().filter(|v| v.is_finite()).collect();
        let cell_range = (!finite.is_empty() && !flat).then(|| {
            (
                finite.iter().copied().fold(f64::INFINITY, f64::min),
                finite.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            )
        });
        let tick_labels: Vec<String> = ticks.iter().map(|&(_, v)| sig(v, 3)).collect();

        let tick_style = font(TICK_SIZE).color(&MUTED);
        let x_names: Vec<String> = self.x_values.iter().map(|&v| compact(v)).collect();
        let y_names: Vec<String> = self.y_values.iter().map(|&v| compact(v)).collect();
        let y_tick_w = y_names.iter().map(|s| text_w(root, s, &tick_style)).max().unwrap_or(0);
        let cb_tick_w = tick_labels.iter().map(|s| text_w(root, s, &tick_style)).max().unwrap_or(0);
        let desc = AXIS_DESC_SIZE as i32;

        let x0 = bx + desc + 14 + y_tick_w + 10;
        let x1 = bx + aw - (30 + COLORBAR_W + 8 + cb_tick_w.max(text_w(root, "n/a", &font(TICK_SIZE))) + 16 + desc);
        let y0 = by + 8;
        let y1 = by + ah - (TICK_SIZE as i32 + 12 + desc + 10);

        // Axis titles.
        let desc_style = font(AXIS_DESC_SIZE);
        root.draw(&Text::new(
            self.x_label.to_string(),
            ((x0 + x1) / 2, by + ah - 2),
            desc_style.clone().pos(Pos::new(HPos::Center, VPos::Bottom)),
        ))?;
        root.draw(&Text::new(
            self.y_label.to_string(),
            (bx + desc / 2 + 2, (y0 + y1) / 2),
            desc_style.clone().transform(FontTransform::Rotate270).pos(Pos::new(HPos::Center, VPos::Center)),
        ))?;

        if nx == 0 || ny == 0 {
            root.draw(&Rectangle::new([(x0, y0), (x1, y1)], AXIS))?;
            root.draw(&Text::new(
                "No data".to_string(),
                ((x0 + x1) / 2, (y0 + y1) / 2),
                font(AXIS_DESC_SIZE).color(&MUTED).pos(Pos::new(HPos::Center, VPos::Center)),
            ))?;
            return Ok(());
        }

        let cw = f64::from(x1 - x0) / nx as f64;
        let ch = f64::from(y1 - y0) / ny as f64;
        let col_x = |ix: usize| x0 + (ix as f64 * cw).round() as i32;
        // Rows run bottom to top.
        let row_y = |iy: usize| y1 - (iy as f64 * ch).round() as i32;

        // The largest annotation size (15 down to 10 px) at which every value fits its cell.
        let labels: Vec<String> = self.cells().map(|v| sig(v, 3)).collect();
        let ann_size = (10..=AXIS_DESC_SIZE as i32).rev().map(f64::from).find(|&s| {
            let st = font(s);
            ch >= s + 4.0 && labels.iter().all(|l| f64::from(text_w(root, l, &st)) <= cw - 6.0)
        });

        for iy in 0..ny {
            for ix in 0..nx {
                let v = self.value(ix, iy);
                let (a, b) = ((col_x(ix), row_y(iy + 1)), (col_x(ix + 1), row_y(iy)));
                let centre = ((a.0 + b.0) / 2, (a.1 + b.1) / 2);
                let anchor = Pos::new(HPos::Center, VPos::Center);
                if v.is_finite() {
                    let c = viridis(t_of(v));
                    root.draw(&Rectangle::new([a, b], c.filled()))?;
                    if let Some(s) = ann_size {
                        let ink = text_on(c);
                        let style = font(s).color(&ink).pos(anchor);
                        root.draw(&Text::new(sig(v, 3), centre, style))?;
                    }
                } else {
                    draw_missing(root, a, b)?;
                    if let Some(s) = ann_size {
                        root.draw(&Text::new("n/a".to_string(), centre, font(s).color(&MUTED).pos(anchor)))?;
                    }
                }
            }
        }
        // Thin white rules between cells keep neighbouring cells of similar colour apart.
        if cw >= 24.0 && ch >= 24.0 {
            let rule = WHITE.stroke_width(2);
            for ix in 1..nx {
                root.draw(&PathElement::new(vec![(col_x(ix), y0), (col_x(ix), y1)], rule))?;
            }
            for iy in 1..ny {
                root.draw(&PathElement::new(vec![(x0, row_y(iy)), (x1, row_y(iy))], rule))?;
            }
        }
        root.draw(&Rectangle::new([(x0, y0), (x1, y1)], AXIS))?;

        // Category ticks at the cell centres; if the labels would collide, every k-th one.
        let x_label_w = x_names.iter().map(|s| text_w(root, s, &tick_style)).max().unwrap_or(0);
        let x_every = ((f64::from(x_label_w) + 12.0) / cw).ceil().max(1.0) as usize;
        for (ix, name) in x_names.iter().enumerate() {
            let cx = (col_x(ix) + col_x(ix + 1)) / 2;
            root.draw(&PathElement::new(vec![(cx, y1), (cx, y1 + 5)], AXIS))?;
            if ix % x_every == 0 {
                let style = tick_style.clone().pos(Pos::new(HPos::Center, VPos::Top));
                root.draw(&Text::new(name.clone(), (cx, y1 + 8), style))?;
            }
        }
        let y_every = ((TICK_SIZE + 4.0) / ch).ceil().max(1.0) as usize;
        for (iy, name) in y_names.iter().enumerate() {
            let cy = (row_y(iy) + row_y(iy + 1)) / 2;
            root.draw(&PathElement::new(vec![(x0 - 5, cy), (x0, cy)], AXIS))?;
            if iy % y_every == 0 {
                let style = tick_style.clone().pos(Pos::new(HPos::Right, VPos::Center));
                root.draw(&Text::new(name.clone(), (x0 - 8, cy), style))?;
            }
        }

        // Colour bar.
        let cb0 = x1 + 30;
        let cb1 = cb0 + COLORBAR_W;
        const STRIPS: i32 = 64;
        let strip_y = |k: i32| y1 - ((f64::from(k) / f64::from(STRIPS)) * f64::from(y1 - y0)).round() as i32;
        for k in 0..STRIPS {
            let c = viridis((f64::from(k) + 0.5) / f64::from(STRIPS));
            root.draw(&Rectangle::new([(cb0, strip_y(k + 1)), (cb1, strip_y(k))], c.filled()))?;
        }
        root.draw(&Rectangle::new([(cb0, y0), (cb1, y1)], AXIS))?;
        if let Some((a, b)) = cell_range {
            // A bracket left of the bar from the lowest to the highest cell.
            let y_of = |v: f64| y1 - (t_of(v) * f64::from(y1 - y0)).round() as i32;
            let (ya, yb) = (y_of(a), y_of(b).min(y_of(a) - 2));
            let ink = TEXT.stroke_width(3);
            root.draw(&PathElement::new(vec![(cb0 - 7, ya), (cb0 - 7, yb)], ink))?;
            for y in [ya, yb] {
                root.draw(&PathElement::new(vec![(cb0 - 12, y), (cb0 - 3, y)], TEXT.stroke_width(2)))?;
            }
        }
        for (&(t, _), label) in ticks.iter().zip(&tick_labels) {
            let y = y1 - (t * f64::from(y1 - y0)).round() as i32;
            root.draw(&PathElement::new(vec![(cb1, y), (cb1 + 5, y)], AXIS))?;
            let style = tick_style.clone().pos(Pos::new(HPos::Left, VPos::Center));
            root.draw(&Text::new(label.clone(), (cb1 + 8, y), style))?;
        }
        let z_x = cb1 + 8 + cb_tick_w + 12 + desc / 2;
        root.draw(&Text::new(
            self.z_label.to_string(),
            (z_x, (y0 + y1) / 2),
            desc_style.transform(FontTransform::Rotate270).pos(Pos::new(HPos::Center, VPos::Center)),
        ))?;
        if missing {
            let (a, b) = ((cb0, y1 + 12), (cb1, y1 + 28));
            draw_missing(root, a, b)?;
            root.draw(&Rectangle::new([a, b], AXIS))?;
            let style = font(TICK_SIZE).color(&MUTED).pos(Pos::new(HPos::Left, VPos::Center));
            root.draw(&Text::new("n/a".to_string(), (cb1 + 8, (a.1 + b.1) / 2), style))?;
        }
        Ok(())
    }
}

const X_TICKS: usize = 10;
const Y_TICKS: usize = 8;

/// Lines with markers and confidence bands over one varied parameter.
pub(crate) struct LineCiFigure<'a> {
    pub title: &'a str,
    pub x_label: &'a str,
    pub y_label: &'a str,
    pub series: &'a [CiSeries],
}

/// One `(x, y, lo, hi)` point of a series; `lo` and `hi` may be NaN.
type CiRow = (f64, f64, f64, f64);

/// The points of a series with finite `x` and `y`, sorted by x; a missing or non-finite
/// interval edge becomes NaN.
fn ci_rows(s: &CiSeries) -> Vec<CiRow> {
    let edge = |v: &[f64], i: usize| v.get(i).copied().filter(|e| e.is_finite()).unwrap_or(f64::NAN);
    let mut rows: Vec<CiRow> =
        s.x.iter()
            .zip(&s.y)
            .enumerate()
            .filter(|(_, (x, y))| x.is_finite() && y.is_finite())
            .map(|(i, (&x, &y))| (x, y, edge(&s.lo, i), edge(&s.hi, i)))
            .collect();
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    rows
}

/// `(lo, hi)` widened to a non-empty range if it is empty or unset.
fn nonempty(lo: f64, hi: f64) -> (f64, f64) {
    if lo < hi {
        (lo, hi)
    } else if lo.is_finite() {
        let d = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        (lo - d, lo + d)
    } else {
        (0.0, 1.0)
    }
}

impl Figure for LineCiFigure<'_> {
    fn size(&self) -> (u32, u32) {
        (1000, 640)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        root.fill(&WHITE)?;
        let area = root.margin(14, 10, 14, 28);
        let area = draw_title(&area, self.title)?;
        let rows: Vec<Vec<CiRow>> = self.series.iter().map(ci_rows).collect();
        let area = if self.series.len() > 1 {
            let items: Vec<LegendItem> = self
                .series
                .iter()
                .enumerate()
                .map(|(i, s)| LegendItem {
                    label: s.label.clone(),
                    color: color(i),
                    key: Key::Line { band: rows[i].iter().any(|r| r.2.is_finite()), marker: Some(i) },
                })
                .collect();
            draw_legend(&area, &items)?
        } else {
            area
        };

        let all = rows.iter().flatten();
        let (mut x0, mut x1, mut y0, mut y1) = (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
        for r in all {
            x0 = x0.min(r.0);
            x1 = x1.max(r.0);
            for v in [r.1, r.2, r.3].into_iter().filter(|v| v.is_finite()) {
                y0 = y0.min(v);
                y1 = y1.max(v);
            }
        }
        let (x0, x1) = nonempty(x0, x1);
        let (y0, y1) = nonempty(y0, y1);
        // Room at the ends for the markers; room above and below for the bands.
        let x_pad = (x1 - x0) * 0.04;
        let y_pad = (y1 - y0) * 0.08;
        let (x_lo, x_hi) = (x0 - x_pad, x1 + x_pad);
        let (y_lo, y_hi) = (y0 - y_pad, y1 + y_pad);
        let x_dec = tick_decimals(x_lo, x_hi, X_TICKS);
        let y_dec = tick_decimals(y_lo, y_hi, Y_TICKS);
        let x_fmt = move |v: &f64| format!("{v:.x_dec$}");
        let y_fmt = move |v: &f64| format!("{v:.y_dec$}");

        let mut chart = ChartBuilder::on(&area)
            .margin_top(6)
            .margin_right(8)
            .x_label_area_size(56)
            .y_label_area_size(80)
            .build_cartesian_2d(x_lo..x_hi, y_lo..y_hi)?;
        chart
            .configure_mesh()
            .x_desc(self.x_label)
            .y_desc(self.y_label)
            .axis_desc_style(font(AXIS_DESC_SIZE))
            .label_style(font(TICK_SIZE).color(&MUTED))
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .x_labels(X_TICKS)
            .y_labels(Y_TICKS)
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(AXIS)
            .draw()?;

        // Bands first, so every line and marker is drawn on top of every band. A band runs
        // over consecutive points with both interval edges; a lone point gets a whisker.
        for (i, rs) in rows.iter().enumerate() {
            let col = color(i);
            for run in rs.split(|r| !(r.2.is_finite() && r.3.is_finite())) {
                if run.len() >= 2 {
                    let mut poly: Vec<(f64, f64)> = run.iter().map(|r| (r.0, r.3)).collect();
                    poly.extend(run.iter().rev().map(|r| (r.0, r.2)));
                    chart.draw_series(std::iter::once(Polygon::new(poly, col.mix(BAND_ALPHA).filled())))?;
                } else if let [r] = run {
                    let (a, b) = (chart.backend_coord(&(r.0, r.2)), chart.backend_coord(&(r.0, r.3)));
                    let style = col.mix(0.6).stroke_width(2);
                    root.draw(&PathElement::new(vec![a, b], style))?;
                    for y in [a.1, b.1] {
                        root.draw(&PathElement::new(vec![(a.0 - 6, y), (a.0 + 6, y)], style))?;
                    }
                }
            }
        }
        for (i, rs) in rows.iter().enumerate() {
            if rs.len() >= 2 {
                chart.draw_series(LineSeries::new(rs.iter().map(|r| (r.0, r.1)), color(i).stroke_width(3)))?;
            }
        }
        for (i, rs) in rows.iter().enumerate() {
            for r in rs {
                draw_marker(root, chart.backend_coord(&(r.0, r.1)), i, color(i))?;
            }
        }
        Ok(())
    }
}

/// Grouped bars with optional error bars.
pub(crate) struct BarFigure<'a> {
    pub title: &'a str,
    pub y_label: &'a str,
    pub categories: &'a [String],
    pub series: &'a [BarSeries],
}

/// Splits `label` into lines no wider than `max_w` (as measured by `width`), breaking at
/// spaces if that is enough, else also after underscores, hyphens, slashes and dots; a part
/// too long for a line gets a line of its own.
pub(super) fn wrap(label: &str, max_w: i32, width: &dyn Fn(&str) -> i32) -> Vec<String> {
    let at_spaces = wrap_at(label, max_w, width, &[' ']);
    if at_spaces.iter().all(|l| width(l) <= max_w) {
        return at_spaces;
    }
    wrap_at(label, max_w, width, &[' ', '_', '-', '/', '.'])
}

/// Greedy wrapping of `label`, breaking after any of `breaks`.
fn wrap_at(label: &str, max_w: i32, width: &dyn Fn(&str) -> i32, breaks: &[char]) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut cur = String::new();
    for c in label.chars() {
        cur.push(c);
        if breaks.contains(&c) {
            parts.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        parts.push(cur);
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for p in parts {
        let joined = format!("{line}{p}");
        if line.is_empty() || width(joined.trim_end()) <= max_w {
            line = joined;
        } else {
            lines.push(line.trim_end().to_string());
            line = p;
        }
    }
    if !line.trim().is_empty() || lines.is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}

const MAX_LABEL_LINES: usize = 3;
/// The smallest size for horizontal category labels; below it they are turned vertical.
const MIN_LABEL_SIZE: i32 = 12;
/// The most height vertical category labels may take.
const MAX_VERTICAL_LABEL: i32 = 220;

/// How the category labels of a bar chart are set.
struct CategoryLabels {
    size: f64,
    /// Each label's lines (one line if vertical).
    lines: Vec<Vec<String>>,
    /// Reading upwards, ending under the group.
    vertical: bool,
    /// Pixels the labels need below the axis.
    height: i32,
}

impl BarFigure<'_> {
    /// The error bar of series `s` at category `c`, if both ends are given and finite.
    fn error(&self, s: &BarSeries, c: usize) -> Option<(f64, f64)> {
        let lo = *s.lo.as_ref()?.get(c)?;
        let hi = *s.hi.as_ref()?.get(c)?;
        (lo.is_finite() && hi.is_finite()).then_some((lo, hi))
    }

    /// The category labels' layout: the largest size (down to 12 px) at which every label,
    /// wrapped into at most three lines, fits its slot of `slot_w` pixels; failing that,
    /// vertical labels at the largest size (down to 10 px) that keeps them within 220 pixels,
    /// cut short with "…" if even that is too long.
    fn category_labels<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>, slot_w: i32) -> CategoryLabels {
        let line_h = |size: i32| (f64::from(size) * 1.25).round() as i32;
        for size in (MIN_LABEL_SIZE..=TICK_SIZE as i32 + 1).rev() {
            let style = font(f64::from(size));
            let width = |s: &str| text_w(area, s, &style);
            let lines: Vec<Vec<String>> = self.categories.iter().map(|c| wrap(c, slot_w, &width)).collect();
            if lines.iter().all(|ls| ls.len() <= MAX_LABEL_LINES && ls.iter().all(|l| width(l) <= slot_w)) {
                let n = lines.iter().map(Vec::len).max().unwrap_or(1) as i32;
                return CategoryLabels { size: f64::from(size), lines, vertical: false, height: n * line_h(size) + 18 };
            }
        }
        let widest = |size: i32| {
            let style = font(f64::from(size));
            self.categories.iter().map(|c| text_w(area, c, &style)).max().unwrap_or(0)
        };
        let size = (10..=TICK_SIZE as i32).rev().find(|&s| widest(s) <= MAX_VERTICAL_LABEL).unwrap_or(10);
        let style = font(f64::from(size));
        let lines: Vec<Vec<String>> = self
            .categories
            .iter()
            .map(|c| {
                let mut chars: Vec<char> = c.chars().collect();
                let mut l = c.clone();
                while text_w(area, &l, &style) > MAX_VERTICAL_LABEL && chars.pop().is_some() {
                    l = chars.iter().collect::<String>() + "…";
                }
                vec![l]
            })
            .collect();
        let height = widest(size).min(MAX_VERTICAL_LABEL) + 24;
        CategoryLabels { size: f64::from(size), lines, vertical: true, height }
    }
}

const Y_LABEL_AREA: i32 = 80;

impl Figure for BarFigure<'_> {
    fn size(&self) -> (u32, u32) {
        let group = 40 + 28 * self.series.len().max(1) as u32;
        ((160 + self.categories.len() as u32 * group).clamp(1000, 1800), 640)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        root.fill(&WHITE)?;
        let area = root.margin(14, 10, 14, 28);
        let area = draw_title(&area, self.title)?;
        let items: Vec<LegendItem> = self
            .series
            .iter()
            .enumerate()
            .map(|(i, s)| LegendItem { label: s.label.clone(), color: color(i), key: Key::Swatch })
            .collect();
        let area = draw_legend(&area, &items)?;

        let n = self.categories.len();
        let ns = self.series.len();
        let slot_w = (area.dim_in_pixel().0 as i32 - Y_LABEL_AREA - 8) / n.max(1) as i32 - 10;
        let labels = self.category_labels(&area, slot_w);

        let (mut lo, mut hi) = (0.0_f64, 0.0_f64);
        for s in self.series {
            for c in 0..n {
                let v = s.values.get(c).copied().unwrap_or(f64::NAN);
                let (e0, e1) = self.error(s, c).unwrap_or((v, v));
                for x in [v, e0, e1].into_iter().filter(|x| x.is_finite()) {
                    lo = lo.min(x);
                    hi = hi.max(x);
                }
            }
        }
        if lo == hi {
            hi = 1.0;
        }
        let pad = (hi - lo) * 0.08;
        let (y_lo, y_hi) = (if lo < 0.0 { lo - pad } else { 0.0 }, if hi > 0.0 { hi + pad } else { 0.0 });
        let dec = tick_decimals(y_lo, y_hi, Y_TICKS);
        let y_fmt = move |v: &f64| format!("{v:.dec$}");

        let mut chart = ChartBuilder::on(&area)
            .margin_top(6)
            .margin_right(8)
            .x_label_area_size(labels.height)
            .y_label_area_size(Y_LABEL_AREA)
            .build_cartesian_2d(0.0..n.max(1) as f64, y_lo..y_hi)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_desc(self.y_label)
            .axis_desc_style(font(AXIS_DESC_SIZE))
            .label_style(font(TICK_SIZE).color(&MUTED))
            .y_label_formatter(&y_fmt)
            .y_labels(Y_TICKS)
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(AXIS)
            .draw()?;

        // Bars fill 80% of each category's slot, with a small gap between neighbours.
        let group_w = 0.8;
        let bar_w = group_w / ns.max(1) as f64;
        let gap = bar_w * 0.08;
        for (k, s) in self.series.iter().enumerate() {
            let col = color(k);
            for c in 0..n {
                let left = c as f64 + (1.0 - group_w) / 2.0 + k as f64 * bar_w;
                let (a, b) = (left + gap / 2.0, left + bar_w - gap / 2.0);
                let mid = (a + b) / 2.0;
                match s.values.get(c).copied().filter(|v| v.is_finite()) {
                    Some(v) => {
                        chart.draw_series(std::iter::once(Rectangle::new([(a, 0.0), (b, v)], col.filled())))?;
                    }
                    None => {
                        let p = chart.backend_coord(&(mid, 0.0));
                        let style = font(TICK_SIZE - 3.0).color(&MUTED).pos(Pos::new(HPos::Center, VPos::Bottom));
                        root.draw(&Text::new("n/a".to_string(), (p.0, p.1 - 3), style))?;
                    }
                }
            }
        }
        // The zero baseline over the bars' bottom edges, then the error bars over everything.
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, 0.0), (n.max(1) as f64, 0.0)],
            BASELINE.stroke_width(2),
        )))?;
        for (k, s) in self.series.iter().enumerate() {
            for c in 0..n {
                if let Some((e0, e1)) = self.error(s, c) {
                    let mid = c as f64 + (1.0 - group_w) / 2.0 + (k as f64 + 0.5) * bar_w;
                    let (p0, p1) = (chart.backend_coord(&(mid, e0)), chart.backend_coord(&(mid, e1)));
                    let px_w = chart.backend_coord(&(bar_w, 0.0)).0 - chart.backend_coord(&(0.0, 0.0)).0;
                    let cap = (px_w / 4).clamp(3, 10);
                    let style = TEXT.stroke_width(2);
                    root.draw(&PathElement::new(vec![p0, p1], style))?;
                    for y in [p0.1, p1.1] {
                        root.draw(&PathElement::new(vec![(p0.0 - cap, y), (p0.0 + cap, y)], style))?;
                    }
                }
            }
        }

        // Category labels, centred under their groups.
        let bottom = chart.backend_coord(&(0.0, y_lo)).1;
        let line_h = (labels.size * 1.25).round() as i32;
        let style = if labels.vertical {
            font(labels.size).transform(FontTransform::Rotate270).pos(Pos::new(HPos::Right, VPos::Center))
        } else {
            font(labels.size).pos(Pos::new(HPos::Center, VPos::Top))
        };
        for (c, lines) in labels.lines.iter().enumerate() {
            let x = chart.backend_coord(&(c as f64 + 0.5, y_lo)).0;
            root.draw(&PathElement::new(vec![(x, bottom), (x, bottom + 5)], AXIS))?;
            for (j, l) in lines.iter().enumerate() {
                root.draw(&Text::new(l.clone(), (x, bottom + 9 + j as i32 * line_h), style.clone()))?;
            }
        }
        Ok(())
    }
}
