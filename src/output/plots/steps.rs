//! Step charts: Kaplan–Meier survival and cumulative incidence, on one chart or as small
//! multiples (one panel per end cause, the arms as line styles), with the step geometry
//! they share.

use plotters::coord::Shift;
use plotters::element::{EmptyElement, PathElement, Polygon, Text};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::draw::{
    AXIS, AXIS_DESC_SIZE, BAND_ALPHA, DrawResult, GRID, Key, LEGEND_ROW_H, LegendItem, MUTED, PANEL_TITLE_SIZE,
    TICK_SIZE, bold, draw_chart_path, draw_legend, draw_notes, draw_title, font, style_color, wrap_text,
};
use super::{Figure, LegendEntry, StepChart, StepCurve, StepGrid};

pub(super) fn finite(p: &(f64, f64)) -> bool {
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
pub(super) fn clean(pts: &[(f64, f64)]) -> Vec<(f64, f64)> {
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

fn percent_label(v: &f64) -> String {
    format!("{:.0}%", v * 100.0)
}

pub(super) fn years_label(v: &f64) -> String {
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

/// Rough pixel height of `notes` and of a legend of `items` entries on a chart `w` wide,
/// for sizing a figure before any text can be measured (Noto Sans averages about half its
/// size per character).
fn extra_height<S: AsRef<str>>(notes: &[String], legend_labels: &[S], w: f64) -> u32 {
    let note_lines: f64 = notes.iter().map(|n| (n.chars().count() as f64 * 7.8 / (w - 40.0)).ceil().max(1.0)).sum();
    let legend_w: f64 = legend_labels.iter().map(|l| 40.0 + 8.0 + 30.0 + l.as_ref().chars().count() as f64 * 8.4).sum();
    let legend_rows = (legend_w / w).ceil().max(1.0);
    (note_lines * 21.0 + (legend_rows - 1.0) * f64::from(LEGEND_ROW_H)) as u32
}

/// The legend of a step chart: the caller's entries, or one per curve.
fn legend_items(curves: &[StepCurve], legend: Option<&[LegendEntry]>) -> Vec<LegendItem> {
    match legend {
        Some(entries) => entries
            .iter()
            .enumerate()
            .map(|(i, e)| LegendItem {
                label: e.label.clone(),
                color: style_color(&e.style, i),
                key: Key::Styled { band: e.band, dash: e.style.dash },
            })
            .collect(),
        None => curves
            .iter()
            .enumerate()
            .map(|(i, c)| LegendItem {
                label: c.label.clone(),
                color: style_color(&c.style, i),
                key: Key::Styled { band: c.band.is_some(), dash: c.style.dash },
            })
            .collect(),
    }
}

/// The largest finite x of the curves (points, marks and bands).
fn data_x_max(curves: &[StepCurve]) -> f64 {
    curves
        .iter()
        .flat_map(|c| {
            let band = c.band.iter().flat_map(|b| b.lower.iter().chain(b.upper.iter()));
            c.points.iter().chain(c.censor_marks.iter()).chain(band)
        })
        .filter(|p| finite(p))
        .map(|p| p.0)
        .fold(0.0_f64, f64::max)
}

/// The largest finite y of the curves and their upper bands.
fn data_y_max(curves: &[StepCurve]) -> f64 {
    curves
        .iter()
        .flat_map(|c| c.points.iter().chain(c.band.iter().flat_map(|b| b.upper.iter())))
        .filter(|p| finite(p))
        .map(|p| p.1)
        .fold(0.0_f64, f64::max)
}

/// The end of the x axis: `x_end` if given, else a little past the horizon or the data.
fn x_axis_end(x_end: Option<f64>, horizon: Option<f64>, curves: &[StepCurve]) -> f64 {
    if let Some(e) = x_end.filter(|e| e.is_finite() && *e > 0.0) {
        return e;
    }
    let m = horizon.unwrap_or(0.0).max(data_x_max(curves));
    if m > 0.0 { m * 1.03 } else { 1.0 }
}

/// Sizes of the text of one step plot.
struct StepText {
    axis: f64,
    tick: f64,
    width: u32,
}

const FULL: StepText = StepText { axis: AXIS_DESC_SIZE, tick: TICK_SIZE, width: 3 };
const SMALL: StepText = StepText { axis: TICK_SIZE, tick: TICK_SIZE - 2.0, width: 3 };

/// Draws `curves` on `area` over `0..x_max` x `0..y_top`: bands first (translucent, in
/// each curve's colour), the horizon if inside the axis, then each curve in its colour and
/// dash with its censoring ticks.
#[allow(clippy::too_many_arguments)]
fn draw_steps<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    curves: &[StepCurve],
    (x_max, y_top): (f64, f64),
    horizon: Option<f64>,
    survival: bool,
    y_label: &str,
    text: &StepText,
) -> DrawResult<DB> {
    let mut chart = ChartBuilder::on(area)
        .margin_top(6)
        .margin_right(8)
        .x_label_area_size(if text.axis < AXIS_DESC_SIZE { 44 } else { 56 })
        .y_label_area_size(if text.axis < AXIS_DESC_SIZE { 66 } else { 80 })
        .build_cartesian_2d(0.0..x_max, 0.0..y_top)?;
    chart
        .configure_mesh()
        .x_desc("Years")
        .y_desc(y_label)
        .axis_desc_style(font(text.axis))
        .label_style(font(text.tick).color(&MUTED))
        .x_label_formatter(&years_label)
        .y_label_formatter(&percent_label)
        .y_labels(if survival { 6 } else { 8 })
        .x_labels(12)
        .bold_line_style(GRID)
        .light_line_style(TRANSPARENT)
        .axis_style(AXIS)
        .draw()?;

    let clamp = move |(x, y): (f64, f64)| (x.clamp(0.0, x_max), y.clamp(0.0, y_top));

    // Bands first, so every line is drawn on top of every band.
    for (i, c) in curves.iter().enumerate() {
        if let Some(b) = &c.band {
            let poly: Vec<(f64, f64)> = band_polygon(&b.lower, &b.upper).into_iter().map(clamp).collect();
            if poly.len() >= 3 {
                let col = style_color(&c.style, i);
                chart.draw_series(std::iter::once(Polygon::new(poly, col.mix(BAND_ALPHA).filled())))?;
            }
        }
    }

    if let Some(h) = horizon.filter(|&h| h <= x_max) {
        chart.draw_series(DashedLineSeries::new(vec![(h, 0.0), (h, y_top)], 8, 6, AXIS.stroke_width(2)))?;
        let label = format!("Horizon: {} years", years_label(&h));
        // Survival curves sit high at the horizon, so their label goes at the bottom.
        let (y, vpos, dy) = if survival { (0.0, VPos::Bottom, -6) } else { (y_top, VPos::Top, 6) };
        let style = font(text.tick).color(&MUTED).pos(Pos::new(HPos::Right, vpos));
        chart.draw_series(std::iter::once(EmptyElement::at((h, y)) + Text::new(label, (-8, dy), style)))?;
    }

    for (i, c) in curves.iter().enumerate() {
        let pts = clean(&c.points);
        let marks = clean(&c.censor_marks);
        let x_end = pts.last().map_or(0.0, |p| p.0).max(marks.last().map_or(0.0, |p| p.0));
        let path: Vec<(f64, f64)> = step_path(&pts, x_end).into_iter().map(clamp).collect();
        let col = style_color(&c.style, i);
        draw_chart_path(&chart, &path, c.style.dash, col.stroke_width(text.width))?;
        chart.draw_series(
            marks
                .into_iter()
                .filter(|p| p.0 <= x_max)
                .map(clamp)
                .map(|p| EmptyElement::at(p) + PathElement::new(vec![(0, -6), (0, 6)], col.stroke_width(2))),
        )?;
    }
    Ok(())
}

/// Survival or cumulative-incidence step curves on one chart.
pub(crate) struct StepFigure<'a> {
    pub title: &'a str,
    pub curves: &'a [StepCurve],
    pub horizon_years: f64,
    pub x_end: Option<f64>,
    pub legend: Option<&'a [LegendEntry]>,
    pub notes: &'a [String],
    pub y_label: &'a str,
    /// Survival: the y axis is always 0–100%. Otherwise it is fitted to the data.
    pub survival: bool,
}

impl<'a> StepFigure<'a> {
    pub(crate) fn of(chart: &'a StepChart, y_label: &'a str, survival: bool) -> Self {
        StepFigure {
            title: &chart.title,
            curves: &chart.curves,
            horizon_years: chart.horizon_years,
            x_end: chart.x_end,
            legend: chart.legend.as_deref(),
            notes: &chart.notes,
            y_label,
            survival,
        }
    }

    fn legend_labels(&self) -> Vec<&str> {
        match self.legend {
            Some(l) => l.iter().map(|e| e.label.as_str()).collect(),
            None => self.curves.iter().map(|c| c.label.as_str()).collect(),
        }
    }
}

const STEP_W: u32 = 1000;
const STEP_H: u32 = 640;

impl Figure for StepFigure<'_> {
    fn size(&self) -> (u32, u32) {
        let title_lines = if self.title.chars().count() > 75 { 1 } else { 0 };
        (STEP_W, STEP_H + extra_height(self.notes, &self.legend_labels(), f64::from(STEP_W)) + title_lines * 30)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        root.fill(&WHITE)?;
        let area = root.margin(14, 10, 14, 28);
        let area = draw_title(&area, self.title)?;
        let area = draw_legend(&area, &legend_items(self.curves, self.legend))?;
        let area = draw_notes(&area, self.notes)?;

        let horizon = (self.horizon_years.is_finite() && self.horizon_years > 0.0).then_some(self.horizon_years);
        let x_max = x_axis_end(self.x_end, horizon, self.curves);
        // Survival curves end near 1 at the start, so leave a little headroom above 100%.
        let y_top = if self.survival { 1.02 } else { share_axis_max(data_y_max(self.curves)) };
        draw_steps(&area, self.curves, (x_max, y_top), horizon, self.survival, self.y_label, &FULL)
    }
}

/// Small multiples of cumulative incidence: one panel per cause, one x and one y axis.
pub(crate) struct StepGridFigure<'a> {
    pub grid: &'a StepGrid,
}

const GRID_COLUMNS: usize = 2;
const GRID_PANEL_H: u32 = 300;

impl StepGridFigure<'_> {
    fn legend_labels(&self) -> Vec<String> {
        match &self.grid.legend {
            Some(l) => l.iter().map(|e| e.label.clone()).collect(),
            None => self.distinct_curves().into_iter().map(|c| c.label).collect(),
        }
    }

    /// The first curve of each label, in order: the legend when the caller gives none.
    fn distinct_curves(&self) -> Vec<StepCurve> {
        let mut out: Vec<StepCurve> = Vec::new();
        for c in self.grid.panels.iter().flat_map(|p| p.curves.iter()) {
            if !out.iter().any(|o| o.label == c.label) {
                out.push(StepCurve { points: vec![], censor_marks: vec![], ..c.clone() });
            }
        }
        out
    }
}

impl Figure for StepGridFigure<'_> {
    fn size(&self) -> (u32, u32) {
        let rows = self.grid.panels.len().div_ceil(GRID_COLUMNS).max(1) as u32;
        let title_lines = if self.grid.title.chars().count() > 75 { 1 } else { 0 };
        let extra = extra_height(&self.grid.notes, &self.legend_labels(), f64::from(STEP_W));
        (STEP_W, 110 + extra + title_lines * 30 + rows * GRID_PANEL_H)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        root.fill(&WHITE)?;
        let g = self.grid;
        let area = root.margin(14, 10, 10, 16);
        let area = draw_title(&area, &g.title)?;
        let curves = self.distinct_curves();
        let area = draw_legend(&area, &legend_items(&curves, g.legend.as_deref()))?;
        let area = draw_notes(&area, &g.notes)?;
        if g.panels.is_empty() {
            return Ok(());
        }
        let horizon = (g.horizon_years.is_finite() && g.horizon_years > 0.0).then_some(g.horizon_years);
        let all: Vec<StepCurve> = g.panels.iter().flat_map(|p| p.curves.iter().cloned()).collect();
        let x_max = x_axis_end(g.x_end, horizon, &all);
        let y_top = share_axis_max(data_y_max(&all));
        let rows = g.panels.len().div_ceil(GRID_COLUMNS);
        let cells = area.split_evenly((rows, GRID_COLUMNS));
        for (panel, cell) in g.panels.iter().zip(&cells) {
            let cell = draw_panel_title(cell, &panel.title)?;
            draw_steps(&cell, &panel.curves, (x_max, y_top), horizon, false, "Cumulative incidence", &SMALL)?;
        }
        Ok(())
    }
}

/// Draws a panel's title in bold, wrapped onto as many lines as it needs, and returns the
/// area below it.
pub(super) fn draw_panel_title<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
) -> Result<DrawingArea<DB, Shift>, plotters::drawing::DrawingAreaErrorKind<DB::ErrorType>> {
    let (w, _) = area.dim_in_pixel();
    let style = bold(PANEL_TITLE_SIZE);
    let lines = wrap_text(area, title, &style, w as i32 - 20);
    let line_h = PANEL_TITLE_SIZE as i32 + 5;
    let centred = style.pos(Pos::new(HPos::Center, VPos::Top));
    for (i, line) in lines.iter().enumerate() {
        area.draw(&Text::new(line.clone(), (w as i32 / 2, 8 + i as i32 * line_h), centred.clone()))?;
    }
    Ok(area.split_vertically(12 + lines.len().max(1) as i32 * line_h).1)
}
