//! A grid of small time-series panels: per line a mean with its shaded band, drawn faint
//! where the estimate rests on few runs, dashed horizontal reference lines, and y axes
//! anchored to the quantity's bounds and a least span.

use plotters::coord::Shift;
use plotters::element::{Polygon, Text};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::draw::{
    AXIS, BAND_ALPHA, DrawResult, GRID, Key, LEGEND_ROW_H, LegendItem, MUTED, TICK_SIZE, draw_chart_path, draw_legend,
    draw_notes, draw_title, font, style_color,
};
use super::steps::{draw_panel_title, years_label};
use super::{Figure, Line, Panel, Style};

/// Above this many points a scatter panel draws small translucent dots without whiskers.
pub const SCATTER_DENSE: usize = 100;
/// How much of its colour a faint stretch of line keeps.
pub(super) const FADE_ALPHA: f64 = 0.35;

/// A grid of small panels with mean lines and 5–95% bands.
pub(crate) struct PanelsFigure<'a> {
    pub title: &'a str,
    pub panels: &'a [Panel],
    pub notes: &'a [String],
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

/// The style of the first line labelled `label`, and whether any such line has a band.
fn label_style(panels: &[Panel], label: &str) -> (Style, bool) {
    let mut lines = panels.iter().flat_map(|p| p.lines.iter()).filter(|l| l.label == label);
    let style = lines.next().map(|l| l.style).unwrap_or_default();
    let band = panels
        .iter()
        .flat_map(|p| p.lines.iter())
        .filter(|l| l.label == label)
        .any(|l| l.lo.iter().zip(&l.hi).any(|(a, b)| a != b));
    (style, band)
}

/// One `(x, mean, lo, hi)` point of a line.
type Row = (f64, f64, f64, f64);

/// The finite rows of a line, sorted by x.
fn line_rows(l: &Line) -> Vec<Row> {
    let mut rows: Vec<Row> =
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

/// The y axis of a panel over data spanning `lo..hi` (NaN/infinite if none): anchored at
/// zero if asked, widened to the least span around the data, padded, and kept inside the
/// quantity's bounds. Returns the axis and whether it was widened to the least span.
pub(super) fn y_axis(panel: &Panel, lo: f64, hi: f64) -> ((f64, f64), bool) {
    let (mut y0, mut y1) = (lo, hi);
    for r in &panel.references {
        if r.y.is_finite() {
            y0 = y0.min(r.y);
            y1 = y1.max(r.y);
        }
    }
    if panel.y_from_zero && y0.is_finite() {
        y0 = y0.min(0.0);
    }
    if y0.partial_cmp(&y1) != Some(std::cmp::Ordering::Less) && panel.y_min_span.is_none() {
        let c = if y0.is_finite() { y0 } else { 0.0 };
        let d = (c.abs() * 0.1).max(1.0);
        (y0, y1) = (c - d, c + d);
    }
    let mut widened = false;
    if let Some(span) = panel.y_min_span.filter(|s| s.is_finite() && *s > 0.0) {
        if !(y0.is_finite() && y1.is_finite()) {
            (y0, y1) = (0.0, 0.0);
        }
        if y1 - y0 < span {
            widened = true;
            let c = (y0 + y1) / 2.0;
            (y0, y1) = (c - span / 2.0, c + span / 2.0);
            if let Some((b0, b1)) = panel.y_bounds {
                if y0 < b0 {
                    (y0, y1) = (b0, b0 + span);
                } else if y1 > b1 {
                    (y0, y1) = (b1 - span, b1);
                }
            }
            if panel.y_from_zero && y0 > 0.0 {
                y0 = 0.0;
            }
        }
    }
    let pad = (y1 - y0) * 0.06;
    // Keep a non-negative quantity's axis from dipping below zero just for padding.
    let mut y_lo = if y0 >= 0.0 && y0 - pad < 0.0 { 0.0 } else { y0 - pad };
    let mut y_hi = y1 + pad;
    if panel.y_from_zero && y0 >= 0.0 {
        y_lo = 0.0;
    }
    if let Some((b0, b1)) = panel.y_bounds {
        y_lo = y_lo.max(b0);
        y_hi = y_hi.min(b1);
    }
    ((y_lo, y_hi), widened)
}

/// Splits a line's rows at `fade_from`: the rows drawn full, and the rows drawn faint (which
/// start at the last full row, so that the line stays joined).
pub(super) fn split_fade(rows: &[Row], fade_from: Option<f64>) -> (Vec<Row>, Vec<Row>) {
    let Some(f) = fade_from else { return (rows.to_vec(), Vec::new()) };
    let k = rows.partition_point(|r| r.0 < f);
    let full = rows[..k].to_vec();
    let mut faint = Vec::new();
    if k < rows.len() {
        if k > 0 {
            faint.push(rows[k - 1]);
        }
        faint.extend_from_slice(&rows[k..]);
    }
    (full, faint)
}

fn draw_panel<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, panel: &Panel, orgs: &[&str]) -> DrawResult<DB> {
    let lines: Vec<(RGBColor, &Line, Vec<Row>)> = panel
        .lines
        .iter()
        .map(|l| {
            let pos = orgs.iter().position(|o| *o == l.label).unwrap_or(0);
            (style_color(&l.style, pos), l, line_rows(l))
        })
        .collect();
    let all = lines.iter().flat_map(|(_, _, r)| r.iter());
    let (mut x0, mut x1, mut y0, mut y1) = (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
    let (mut m0, mut m1) = (f64::INFINITY, f64::NEG_INFINITY);
    for r in all {
        x0 = x0.min(r.0);
        x1 = x1.max(r.0);
        y0 = y0.min(r.1).min(r.2);
        y1 = y1.max(r.1).max(r.3);
        m0 = m0.min(r.1);
        m1 = m1.max(r.1);
    }
    if let Some((a, b)) = panel.x_range.filter(|(a, b)| a < b) {
        (x0, x1) = (a, b);
    }
    if x0.partial_cmp(&x1) != Some(std::cmp::Ordering::Less) {
        (x0, x1) = if x0.is_finite() { (x0 - 0.5, x0 + 0.5) } else { (0.0, 1.0) };
    }
    let ((y_lo, y_hi), widened) = y_axis(panel, y0, y1);
    let dec = decimals(y_hi - y_lo);
    let y_fmt = move |v: &f64| format!("{v:.dec$}");
    let x_dec = decimals(x1 - x0);
    let x_fmt = move |v: &f64| format!("{v:.x_dec$}");

    let area = draw_panel_title(area, &panel.title)?;
    let mut chart = ChartBuilder::on(&area)
        .margin(10)
        .margin_top(2)
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
        for (col, _, rows) in &lines {
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
    let clamp = move |(x, y): (f64, f64)| (x, y.clamp(y_lo, y_hi));
    // Bands (translucent, in the line's colour), then reference lines, then the lines.
    for (col, l, rows) in &lines {
        let (full, faint) = split_fade(rows, l.fade_from);
        for (part, alpha) in [(&full, BAND_ALPHA), (&faint, BAND_ALPHA * FADE_ALPHA)] {
            if part.len() >= 2 && part.iter().any(|r| r.2 != r.3) {
                let mut poly: Vec<(f64, f64)> = part.iter().map(|r| clamp((r.0, r.3))).collect();
                poly.extend(part.iter().rev().map(|r| clamp((r.0, r.2))));
                chart.draw_series(std::iter::once(Polygon::new(poly, col.mix(alpha).filled())))?;
            }
        }
    }
    for r in panel.references.iter().filter(|r| r.y.is_finite() && r.y >= y_lo && r.y <= y_hi) {
        draw_chart_path(&chart, &[(x0, r.y), (x1, r.y)], 1, AXIS.stroke_width(2))?;
        let style = font(TICK_SIZE - 1.0).color(&MUTED).pos(Pos::new(HPos::Right, VPos::Bottom));
        let at = chart.backend_coord(&(x1, r.y));
        let (bx, by) = area.get_base_pixel();
        area.draw(&Text::new(r.label.clone(), (at.0 - bx - 4, at.1 - by - 3), style))?;
    }
    for (col, l, rows) in &lines {
        if rows.len() == 1 {
            let r = rows[0];
            chart.draw_series(std::iter::once(Circle::new((r.0, r.1), 4, col.filled())))?;
            continue;
        }
        let (full, faint) = split_fade(rows, l.fade_from);
        let path = |p: &[Row]| p.iter().map(|r| clamp((r.0, r.1))).collect::<Vec<_>>();
        if full.len() >= 2 {
            draw_chart_path(&chart, &path(&full), l.style.dash, col.stroke_width(3))?;
        }
        if faint.len() >= 2 {
            draw_chart_path(&chart, &path(&faint), l.style.dash, col.mix(FADE_ALPHA).stroke_width(2))?;
        }
    }
    if widened && m0.is_finite() {
        let d = decimals((m1 - m0).max(1e-9) * 10.0).max(dec);
        let note = format!("means {m0:.d$}–{m1:.d$} (axis widened to show scale)");
        let style = font(TICK_SIZE - 1.0).color(&MUTED).pos(Pos::new(HPos::Right, VPos::Top));
        let at = chart.backend_coord(&(x1, y_hi));
        let (bx, by) = area.get_base_pixel();
        area.draw(&Text::new(note, (at.0 - bx - 6, at.1 - by + 4), style))?;
    }
    Ok(())
}

impl PanelsFigure<'_> {
    fn legend(&self) -> Vec<LegendItem> {
        organizations(self.panels)
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let (style, band) = label_style(self.panels, o);
                LegendItem {
                    label: o.to_string(),
                    color: style_color(&style, i),
                    key: Key::Styled { band, dash: style.dash },
                }
            })
            .collect()
    }
}

impl Figure for PanelsFigure<'_> {
    fn size(&self) -> (u32, u32) {
        let rows = self.panels.len().div_ceil(PANEL_COLUMNS).max(1) as u32;
        let legend_rows = 1 + organizations(self.panels).len() as u32 / 6;
        let note_lines: u32 = self
            .notes
            .iter()
            .map(|n| (n.chars().count() as f64 * 7.8 / f64::from(PANELS_WIDTH - 40)).ceil().max(1.0) as u32)
            .sum();
        let title_lines = if self.title.chars().count() > 80 { 1 } else { 0 };
        (
            PANELS_WIDTH,
            70 + legend_rows * LEGEND_ROW_H as u32 + note_lines * 21 + title_lines * 30 + rows * PANEL_HEIGHT,
        )
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        root.fill(&WHITE)?;
        let area = root.margin(14, 10, 10, 16);
        let area = draw_title(&area, self.title)?;
        let orgs = organizations(self.panels);
        let area = draw_legend(&area, &self.legend())?;
        let area = draw_notes(&area, self.notes)?;
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
