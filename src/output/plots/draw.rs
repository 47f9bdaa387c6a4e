//! The drawing code shared by the SVG and PNG renderings: figure layouts (title, legend,
//! plotting area), step-curve geometry and the colour-blind-safe palette.

use plotters::coord::Shift;
use plotters::element::{EmptyElement, PathElement, Polygon, Rectangle, Text};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{Figure, Line, Panel, StepCurve};

/// Okabe–Ito colours, ordered so that the first few are the most distinct on white (the
/// yellow comes last because it is faint on a white background).
const PALETTE: [RGBColor; 8] = [
    RGBColor(0x00, 0x72, 0xB2), // blue
    RGBColor(0xD5, 0x5E, 0x00), // vermillion
    RGBColor(0x00, 0x9E, 0x73), // bluish green
    RGBColor(0xE6, 0x9F, 0x00), // orange
    RGBColor(0xCC, 0x79, 0xA7), // reddish purple
    RGBColor(0x56, 0xB4, 0xE9), // sky blue
    RGBColor(0x00, 0x00, 0x00), // black
    RGBColor(0xF0, 0xE4, 0x42), // yellow
];

pub(super) const TEXT: RGBColor = RGBColor(0x21, 0x21, 0x21);
pub(super) const MUTED: RGBColor = RGBColor(0x55, 0x55, 0x55);
pub(super) const AXIS: RGBColor = RGBColor(0x66, 0x66, 0x66);
pub(super) const GRID: RGBColor = RGBColor(0xE3, 0xE3, 0xE3);
pub(super) const BAND_ALPHA: f64 = 0.18;

pub(super) const TITLE_SIZE: f64 = 26.0;
const PANEL_TITLE_SIZE: f64 = 18.0;
pub(super) const AXIS_DESC_SIZE: f64 = 18.0;
pub(super) const TICK_SIZE: f64 = 15.0;
pub(super) const LEGEND_SIZE: f64 = 16.0;

pub(crate) fn color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

pub(super) fn font(size: f64) -> TextStyle<'static> {
    FontDesc::new(FontFamily::SansSerif, size, FontStyle::Normal).color(&TEXT)
}

pub(super) fn bold(size: f64) -> TextStyle<'static> {
    FontDesc::new(FontFamily::SansSerif, size, FontStyle::Bold).color(&TEXT)
}

pub(super) type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;
pub(super) type AreaResult<DB> =
    Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Draws `title` centred at the top of `area` and returns the area below it.
pub(super) fn draw_title<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, title: &str) -> AreaResult<DB> {
    let (w, _) = area.dim_in_pixel();
    // A long title is set smaller until it fits the width (down to 60% of the usual size).
    let mut size = TITLE_SIZE;
    while size > 0.6 * TITLE_SIZE
        && area.estimate_text_size(title, &bold(size)).is_ok_and(|(tw, _)| tw as i32 > w as i32 - 24)
    {
        size -= 1.0;
    }
    let style = bold(size).pos(Pos::new(HPos::Center, VPos::Top));
    let h = TITLE_SIZE as i32 + 14;
    if !title.is_empty() {
        area.draw(&Text::new(title.to_string(), (w as i32 / 2, 4), style))?;
    }
    Ok(area.split_vertically(h).1)
}

/// How a legend entry's key is drawn.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Key {
    /// A line, with a shaded box behind it if the series has a band and with the series'
    /// marker (see [`draw_marker`]) in the middle if it has one.
    Line { band: bool, marker: Option<usize> },
    /// A filled box, for bars.
    Swatch,
}

/// One entry of a legend.
pub(super) struct LegendItem {
    pub label: String,
    pub color: RGBColor,
    pub key: Key,
}

/// One row of the legend: each entry's index and text width in pixels.
type LegendRow = Vec<(usize, i32)>;

const KEY_W: i32 = 30;
const KEY_GAP: i32 = 8;
const ITEM_GAP: i32 = 30;
const LEGEND_ROW_H: i32 = 26;

/// Lays legend entries out in centred rows that fit the area's width; returns each row's
/// entries with their text widths.
fn legend_rows<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    items: &[LegendItem],
) -> Result<Vec<LegendRow>, DrawingAreaErrorKind<DB::ErrorType>> {
    let style = font(LEGEND_SIZE);
    let max_w = area.dim_in_pixel().0 as i32;
    let mut rows: Vec<LegendRow> = Vec::new();
    let mut row_w = 0;
    for (i, item) in items.iter().enumerate() {
        let (tw, _) = area.estimate_text_size(&item.label, &style)?;
        let w = KEY_W + KEY_GAP + tw as i32;
        match rows.last_mut() {
            Some(row) if row_w + ITEM_GAP + w <= max_w => {
                row.push((i, tw as i32));
                row_w += ITEM_GAP + w;
            }
            _ => {
                rows.push(vec![(i, tw as i32)]);
                row_w = w;
            }
        }
    }
    Ok(rows)
}

/// Draws a legend in centred rows at the top of `area` and returns the area below it.
pub(super) fn draw_legend<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, items: &[LegendItem]) -> AreaResult<DB> {
    if items.is_empty() {
        return Ok(area.clone());
    }
    let rows = legend_rows(area, items)?;
    let (w, _) = area.dim_in_pixel();
    let style = font(LEGEND_SIZE).pos(Pos::new(HPos::Left, VPos::Center));
    for (r, row) in rows.iter().enumerate() {
        let row_w: i32 =
            row.iter().map(|&(_, tw)| KEY_W + KEY_GAP + tw).sum::<i32>() + ITEM_GAP * (row.len() as i32 - 1);
        let mut x = (w as i32 - row_w).max(0) / 2;
        let y = r as i32 * LEGEND_ROW_H + LEGEND_ROW_H / 2;
        for &(i, tw) in row {
            let item = &items[i];
            match item.key {
                Key::Line { band, marker } => {
                    if band {
                        area.draw(&Rectangle::new(
                            [(x, y - 8), (x + KEY_W, y + 8)],
                            item.color.mix(BAND_ALPHA).filled(),
                        ))?;
                    }
                    area.draw(&PathElement::new(vec![(x, y), (x + KEY_W, y)], item.color.stroke_width(3)))?;
                    if let Some(shape) = marker {
                        draw_marker(area, (x + KEY_W / 2, y), shape, item.color)?;
                    }
                }
                Key::Swatch => {
                    area.draw(&Rectangle::new([(x + 4, y - 8), (x + KEY_W - 4, y + 8)], item.color.filled()))?;
                }
            }
            area.draw(&Text::new(item.label.clone(), (x + KEY_W + KEY_GAP, y), style.clone()))?;
            x += KEY_W + KEY_GAP + tw + ITEM_GAP;
        }
    }
    Ok(area.split_vertically(rows.len() as i32 * LEGEND_ROW_H + 8).1)
}

const MARKER_R: i32 = 6;

/// Draws marker `shape` (circle, square, triangle, diamond, in turn) centred at pixel `at`
/// of `area`, with a white rim that sets it off from lines and bands behind it. Series differ
/// in marker shape as well as colour, so they stay distinct in grey print.
pub(super) fn draw_marker<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    at: (i32, i32),
    shape: usize,
    col: RGBColor,
) -> DrawResult<DB> {
    let (x, y) = at;
    for (r, c) in [(MARKER_R + 2, WHITE), (MARKER_R, col)] {
        match shape % 4 {
            0 => area.draw(&Circle::new(at, r, c.filled()))?,
            1 => {
                let h = r * 9 / 10;
                area.draw(&Rectangle::new([(x - h, y - h), (x + h, y + h)], c.filled()))?
            }
            2 => {
                let r = r + 1;
                area.draw(&Polygon::new(vec![(x, y - r), (x + r, y + r * 3 / 4), (x - r, y + r * 3 / 4)], c.filled()))?
            }
            _ => {
                let r = r + 1;
                area.draw(&Polygon::new(vec![(x, y - r), (x + r, y), (x, y + r), (x - r, y)], c.filled()))?
            }
        }
    }
    Ok(())
}

fn finite(p: &(f64, f64)) -> bool {
    p.0.is_finite() && p.1.is_finite()
}

/// Value at `x` of the right-continuous step function through `pts` (sorted by x); before
/// the first point, the first value.
fn step_at(pts: &[(f64, f64)], x: f64) -> f64 {
    let i = pts.partition_point(|p| p.0 <= x);
    if i == 0 { pts[0].1 } else { pts[i - 1].1 }
}

/// The finite points of `pts`, sorted by x (a stable sort keeps the caller's order of
/// points at the same x, so a vertical drop stays a drop).
fn clean(pts: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut v: Vec<(f64, f64)> = pts.iter().copied().filter(finite).collect();
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    v
}

/// The drawn path of a step function through `pts`, continued flat to `x_end`.
pub(super) fn step_path(pts: &[(f64, f64)], x_end: f64) -> Vec<(f64, f64)> {
    let mut out = Vec::with_capacity(pts.len() * 2 + 1);
    for (i, &(x, y)) in pts.iter().enumerate() {
        if i > 0 {
            out.push((x, pts[i - 1].1));
        }
        out.push((x, y));
    }
    if let Some(&(x, y)) = pts.last()
        && x_end > x
    {
        out.push((x_end, y));
    }
    out.dedup();
    out
}

/// The outline of a step-shaped band: the upper edge left to right, then the lower edge
/// right to left, over the union of both edges' breakpoints.
pub(super) fn band_polygon(lower: &[(f64, f64)], upper: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let (lower, upper) = (clean(lower), clean(upper));
    if lower.is_empty() || upper.is_empty() {
        return Vec::new();
    }
    let mut xs: Vec<f64> = lower.iter().chain(upper.iter()).map(|p| p.0).collect();
    xs.sort_by(f64::total_cmp);
    xs.dedup();
    let edge = |pts: &[(f64, f64)]| -> Vec<(f64, f64)> {
        let mut out = Vec::with_capacity(xs.len() * 2);
        let mut prev: Option<f64> = None;
        for &x in &xs {
            let y = step_at(pts, x);
            if let Some(p) = prev {
                out.push((x, p));
            }
            out.push((x, y));
            prev = Some(y);
        }
        out
    };
    let mut poly = edge(&upper);
    let mut low = edge(&lower);
    low.reverse();
    poly.extend(low);
    poly.dedup();
    poly
}

/// Survival or cumulative-incidence step curves.
pub(crate) struct StepFigure<'a> {
    pub title: &'a str,
    pub curves: &'a [StepCurve],
    pub horizon_years: f64,
    pub y_label: &'a str,
    /// Survival: the y axis is always 0–100%. Otherwise it is fitted to the data.
    pub survival: bool,
}

fn percent_label(v: &f64) -> String {
    format!("{:.0}%", v * 100.0)
}

fn years_label(v: &f64) -> String {
    let r = v.round();
    if (v - r).abs() < 1e-9 { format!("{r:.0}") } else { format!("{v:.1}") }
}

/// A round upper limit for a y axis showing shares (at least 5%, at most 100%).
fn share_axis_max(max: f64) -> f64 {
    if max.is_nan() || max <= 0.0 {
        return 0.1;
    }
    let padded = max * 1.08;
    let steps = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0];
    steps.iter().copied().find(|&s| s >= padded).unwrap_or(1.0)
}

impl Figure for StepFigure<'_> {
    fn size(&self) -> (u32, u32) {
        (1000, 640)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        root.fill(&WHITE)?;
        let area = root.margin(14, 10, 14, 28);
        let area = draw_title(&area, self.title)?;
        let items: Vec<LegendItem> = self
            .curves
            .iter()
            .enumerate()
            .map(|(i, c)| LegendItem {
                label: c.label.clone(),
                color: color(i),
                key: Key::Line { band: c.band.is_some(), marker: None },
            })
            .collect();
        let area = draw_legend(&area, &items)?;

        let horizon = (self.horizon_years.is_finite() && self.horizon_years > 0.0).then_some(self.horizon_years);
        let data_x = self
            .curves
            .iter()
            .flat_map(|c| {
                let band = c.band.iter().flat_map(|b| b.lower.iter().chain(b.upper.iter()));
                c.points.iter().chain(c.censor_marks.iter()).chain(band)
            })
            .filter(|p| finite(p))
            .map(|p| p.0)
            .fold(0.0_f64, f64::max);
        let x_max = {
            let m = horizon.unwrap_or(0.0).max(data_x);
            if m > 0.0 { m * 1.03 } else { 1.0 }
        };
        let y_max = if self.survival {
            1.0
        } else {
            let m = self
                .curves
                .iter()
                .flat_map(|c| c.points.iter().chain(c.band.iter().flat_map(|b| b.upper.iter())))
                .filter(|p| finite(p))
                .map(|p| p.1)
                .fold(0.0_f64, f64::max);
            share_axis_max(m)
        };
        // Survival curves end near 1 at the start, so leave a little headroom above 100%.
        let y_top = if self.survival { 1.02 } else { y_max };

        let mut chart = ChartBuilder::on(&area)
            .margin_top(6)
            .margin_right(8)
            .x_label_area_size(56)
            .y_label_area_size(80)
            .build_cartesian_2d(0.0..x_max, 0.0..y_top)?;
        chart
            .configure_mesh()
            .x_desc("Years")
            .y_desc(self.y_label)
            .axis_desc_style(font(AXIS_DESC_SIZE))
            .label_style(font(TICK_SIZE).color(&MUTED))
            .x_label_formatter(&years_label)
            .y_label_formatter(&percent_label)
            .y_labels(if self.survival { 6 } else { 8 })
            .x_labels(12)
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(AXIS)
            .draw()?;

        let clamp = move |(x, y): (f64, f64)| (x.clamp(0.0, x_max), y.clamp(0.0, y_top));

        // Bands first, so every line is drawn on top of every band.
        for (i, c) in self.curves.iter().enumerate() {
            if let Some(b) = &c.band {
                let poly: Vec<(f64, f64)> = band_polygon(&b.lower, &b.upper).into_iter().map(clamp).collect();
                if poly.len() >= 3 {
                    chart.draw_series(std::iter::once(Polygon::new(poly, color(i).mix(BAND_ALPHA).filled())))?;
                }
            }
        }

        if let Some(h) = horizon {
            chart.draw_series(DashedLineSeries::new(vec![(h, 0.0), (h, y_top)], 8, 6, AXIS.stroke_width(2)))?;
            let label = format!("Horizon: {} years", years_label(&h));
            // Survival curves sit high at the horizon, so their label goes at the bottom.
            let (y, vpos, dy) = if self.survival { (0.0, VPos::Bottom, -6) } else { (y_top, VPos::Top, 6) };
            let style = font(TICK_SIZE).color(&MUTED).pos(Pos::new(HPos::Right, vpos));
            chart.draw_series(std::iter::once(EmptyElement::at((h, y)) + Text::new(label, (-8, dy), style)))?;
        }

        for (i, c) in self.curves.iter().enumerate() {
            let pts = clean(&c.points);
            let marks = clean(&c.censor_marks);
            let x_end = pts.last().map_or(0.0, |p| p.0).max(marks.last().map_or(0.0, |p| p.0));
            let path: Vec<(f64, f64)> = step_path(&pts, x_end).into_iter().map(clamp).collect();
            let col = color(i);
            chart.draw_series(std::iter::once(PathElement::new(path, col.stroke_width(3))))?;
            chart.draw_series(
                marks
                    .into_iter()
                    .map(clamp)
                    .map(|p| EmptyElement::at(p) + PathElement::new(vec![(0, -6), (0, 6)], col.stroke_width(2))),
            )?;
        }
        Ok(())
    }
}

/// A grid of small panels with mean lines and 5–95% bands.
pub(crate) struct PanelsFigure<'a> {
    pub title: &'a str,
    pub panels: &'a [Panel],
}

const PANEL_COLUMNS: usize = 2;
const PANEL_HEIGHT: u32 = 330;
const PANELS_WIDTH: u32 = 1100;

/// The labels of all lines in order of first appearance: each gets one colour everywhere.
pub(super) fn organizations(panels: &[Panel]) -> Vec<&str> {
    let mut seen: Vec<&str> = Vec::new();
    for l in panels.iter().flat_map(|p| p.lines.iter()) {
        if !seen.contains(&l.label.as_str()) {
            seen.push(&l.label);
        }
    }
    seen
}

/// One `(x, mean, lo, hi)` point of a line.
type Row = (f64, f64, f64, f64);

/// The finite rows of a line, sorted by x.
fn line_rows(l: &Line) -> Vec<(f64, f64, f64, f64)> {
    let mut rows: Vec<(f64, f64, f64, f64)> =
        l.x.iter()
            .zip(&l.mean)
            .zip(l.lo.iter().zip(&l.hi))
            .map(|((&x, &m), (&lo, &hi))| (x, m, lo, hi))
            .filter(|r| r.0.is_finite() && r.1.is_finite() && r.2.is_finite() && r.3.is_finite())
            .collect();
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    rows
}

/// Decimal places for tick labels on an axis spanning `span`.
pub(super) fn decimals(span: f64) -> usize {
    if span >= 20.0 {
        0
    } else if span >= 2.0 {
        1
    } else if span >= 0.2 {
        2
    } else {
        3
    }
}

/// Above this many points a scatter panel draws small translucent dots without whiskers.
pub const SCATTER_DENSE: usize = 100;

fn draw_panel<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, panel: &Panel, orgs: &[&str]) -> DrawResult<DB> {
    let lines: Vec<(usize, Vec<Row>)> =
        panel.lines.iter().map(|l| (orgs.iter().position(|o| *o == l.label).unwrap_or(0), line_rows(l))).collect();
    let all = lines.iter().flat_map(|(_, r)| r.iter());
    let (mut x0, mut x1, mut y0, mut y1) = (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
    for r in all {
        x0 = x0.min(r.0);
        x1 = x1.max(r.0);
        y0 = y0.min(r.1).min(r.2);
        y1 = y1.max(r.1).max(r.3);
    }
    if let Some((a, b)) = panel.x_range.filter(|(a, b)| a < b) {
        (x0, x1) = (a, b);
    }
    if x0.partial_cmp(&x1) != Some(std::cmp::Ordering::Less) {
        (x0, x1) = if x0.is_finite() { (x0 - 0.5, x0 + 0.5) } else { (0.0, 1.0) };
    }
    if y0.partial_cmp(&y1) != Some(std::cmp::Ordering::Less) {
        let c = if y0.is_finite() { y0 } else { 0.0 };
        let d = (c.abs() * 0.1).max(1.0);
        (y0, y1) = (c - d, c + d);
    }
    let pad = (y1 - y0) * 0.06;
    // Keep a non-negative quantity's axis from dipping below zero just for padding.
    let y_lo = if y0 >= 0.0 && y0 - pad < 0.0 { 0.0 } else { y0 - pad };
    let y_hi = y1 + pad;
    let dec = decimals(y_hi - y_lo);
    let y_fmt = move |v: &f64| format!("{v:.dec$}");
    let x_dec = decimals(x1 - x0);
    let x_fmt = move |v: &f64| format!("{v:.x_dec$}");

    let mut chart = ChartBuilder::on(area)
        .caption(&panel.title, bold(PANEL_TITLE_SIZE))
        .margin(10)
        .x_label_area_size(48)
        .y_label_area_size(78)
        .build_cartesian_2d(x0..x1, y_lo..y_hi)?;
    chart
        .configure_mesh()
        .x_desc(panel.x_label.as_deref().unwrap_or("Years"))
        .y_desc(panel.y_label.as_str())
        .axis_desc_style(font(TICK_SIZE + 1.0))
        .label_style(font(TICK_SIZE - 1.0).color(&MUTED))
        .x_label_formatter(if panel.x_label.is_some() { &x_fmt } else { &years_label })
        .y_label_formatter(&y_fmt)
        .x_labels(8)
        .y_labels(6)
        .bold_line_style(GRID)
        .light_line_style(TRANSPARENT)
        .axis_style(AXIS)
        .draw()?;

    if panel.scatter {
        for (c, rows) in &lines {
            let col = color(*c);
            // Many points (a Sobol design has n(k + 2)) would hide each other: then small
            // translucent dots without whiskers, so density shows where points pile up.
            let dense = rows.len() > SCATTER_DENSE;
            for r in rows {
                if dense {
                    chart.draw_series(std::iter::once(Circle::new((r.0, r.1), 2, col.mix(0.3).filled())))?;
                    continue;
                }
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(r.0, r.2), (r.0, r.3)],
                    col.mix(0.5).stroke_width(1),
                )))?;
                chart.draw_series(std::iter::once(Circle::new((r.0, r.1), 3, col.filled())))?;
            }
        }
        return Ok(());
    }
    for (c, rows) in &lines {
        if rows.len() >= 2 {
            let mut poly: Vec<(f64, f64)> = rows.iter().map(|r| (r.0, r.3)).collect();
            poly.extend(rows.iter().rev().map(|r| (r.0, r.2)));
            chart.draw_series(std::iter::once(Polygon::new(poly, color(*c).mix(BAND_ALPHA).filled())))?;
        }
    }
    for (c, rows) in &lines {
        let col = color(*c);
        if rows.len() == 1 {
            let r = rows[0];
            chart.draw_series(std::iter::once(Circle::new((r.0, r.1), 4, col.filled())))?;
        } else {
            chart.draw_series(LineSeries::new(rows.iter().map(|r| (r.0, r.1)), col.stroke_width(3)))?;
        }
    }
    Ok(())
}

impl Figure for PanelsFigure<'_> {
    fn size(&self) -> (u32, u32) {
        let rows = self.panels.len().div_ceil(PANEL_COLUMNS).max(1) as u32;
        let legend_rows = 1 + organizations(self.panels).len() as u32 / 6;
        (PANELS_WIDTH, 70 + legend_rows * LEGEND_ROW_H as u32 + rows * PANEL_HEIGHT)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        root.fill(&WHITE)?;
        let area = root.margin(14, 10, 10, 16);
        let area = draw_title(&area, self.title)?;
        let orgs = organizations(self.panels);
        let items: Vec<LegendItem> = orgs
            .iter()
            .enumerate()
            .map(|(i, o)| LegendItem {
                label: o.to_string(),
                color: color(i),
                key: Key::Line { band: true, marker: None },
            })
            .collect();
        let area = draw_legend(&area, &items)?;
        if self.panels.is_empty() {
            return Ok(());
        }
        let rows = self.panels.len().div_ceil(PANEL_COLUMNS);
        let cells = area.split_evenly((rows, PANEL_COLUMNS));
        for (panel, cell) in self.panels.iter().zip(&cells) {
            draw_panel(cell, panel, &orgs)?;
        }
        Ok(())
    }
}
