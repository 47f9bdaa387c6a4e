//! Charts of parameter sets over their ranges: a histogram per parameter and a scatter per
//! pair of parameters, each with a grey background layer (say, every point evaluated) and a
//! coloured foreground layer (the points kept). The axes span the given ranges, so a layer
//! that fills only part of an axis shows how far it narrows the range.

use plotters::coord::Shift;
use plotters::element::{Rectangle, Text};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::charts::tick_decimals;
use super::draw::{
    AXIS, DrawResult, GRID, Key, LegendItem, MUTED, TICK_SIZE, bold, color, draw_legend, draw_title, font,
};
use super::{Figure, Marginal, SetAxis};

/// Histogram bins over each range.
const BINS: usize = 10;
const COLUMNS: usize = 2;
const PANEL_HEIGHT: u32 = 330;
const WIDTH: u32 = 1100;
const BACKGROUND: RGBColor = RGBColor(0xC8, 0xC8, 0xC8);
const PANEL_TITLE_SIZE: f64 = 17.0;

fn legend(labels: (&str, &str)) -> [LegendItem; 2] {
    [
        LegendItem { label: labels.0.to_string(), color: BACKGROUND, key: Key::Swatch },
        LegendItem { label: labels.1.to_string(), color: color(0), key: Key::Swatch },
    ]
}

/// Counts of `xs` in `BINS` equal bins over `[lo, hi]` (the top edge in the last bin;
/// values outside are left out).
pub(super) fn bin_counts(xs: &[f64], lo: f64, hi: f64) -> [usize; BINS] {
    let mut c = [0; BINS];
    for &x in xs {
        if x.is_finite() && x >= lo && x <= hi && hi > lo {
            let b = (((x - lo) / (hi - lo)) * BINS as f64).floor() as usize;
            c[b.min(BINS - 1)] += 1;
        }
    }
    c
}

/// `(lo, hi)`, widened if empty.
fn span(lo: f64, hi: f64) -> (f64, f64) {
    if lo < hi { (lo, hi) } else { (lo - 0.5, lo + 0.5) }
}

fn grid_size(panels: usize, columns: usize) -> (u32, u32) {
    let rows = panels.div_ceil(columns).max(1) as u32;
    (WIDTH, 110 + rows * PANEL_HEIGHT)
}

/// One histogram per parameter.
pub(crate) struct MarginalFigure<'a> {
    pub title: &'a str,
    pub panels: &'a [Marginal],
    pub labels: (&'a str, &'a str),
    pub empty_note: &'a str,
}

fn draw_marginal<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, m: &Marginal, note: &str) -> DrawResult<DB> {
    let (lo, hi) = span(m.lo, m.hi);
    let back = bin_counts(&m.background, lo, hi);
    let front = bin_counts(&m.foreground, lo, hi);
    let top = back.iter().chain(&front).copied().max().unwrap_or(0).max(1) as f64 * 1.12;
    let x_dec = tick_decimals(lo, hi, 6);
    let x_fmt = move |v: &f64| format!("{v:.x_dec$}");
    let y_fmt = |v: &f64| format!("{v:.0}");
    let mut chart = ChartBuilder::on(area)
        .caption(&m.name, bold(PANEL_TITLE_SIZE))
        .margin(10)
        .x_label_area_size(44)
        .y_label_area_size(64)
        .build_cartesian_2d(lo..hi, 0.0..top)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .y_desc("Points")
        .axis_desc_style(font(TICK_SIZE))
        .label_style(font(TICK_SIZE - 1.0).color(&MUTED))
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .x_labels(6)
        .y_labels(5)
        .bold_line_style(GRID)
        .light_line_style(TRANSPARENT)
        .axis_style(AXIS)
        .draw()?;
    let w = (hi - lo) / BINS as f64;
    for (counts, col) in [(&back, BACKGROUND), (&front, color(0))] {
        chart.draw_series(counts.iter().enumerate().filter(|(_, c)| **c > 0).map(|(b, &c)| {
            let x0 = lo + b as f64 * w;
            Rectangle::new([(x0 + w * 0.06, 0.0), (x0 + w * 0.94, c as f64)], col.filled())
        }))?;
    }
    if m.foreground.is_empty() && !note.is_empty() {
        let at = chart.backend_coord(&((lo + hi) / 2.0, top * 0.8));
        let style = font(TICK_SIZE).color(&MUTED).pos(Pos::new(HPos::Center, VPos::Center));
        area.draw(&Text::new(note.to_string(), at, style))?;
    }
    Ok(())
}

impl Figure for MarginalFigure<'_> {
    fn size(&self) -> (u32, u32) {
        grid_size(self.panels.len(), COLUMNS)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        root.fill(&WHITE)?;
        let area = root.margin(14, 10, 10, 16);
        let area = draw_title(&area, self.title)?;
        let area = draw_legend(&area, &legend(self.labels))?;
        if self.panels.is_empty() {
            return Ok(());
        }
        let rows = self.panels.len().div_ceil(COLUMNS);
        for (m, cell) in self.panels.iter().zip(&area.split_evenly((rows, COLUMNS))) {
            draw_marginal(cell, m, self.empty_note)?;
        }
        Ok(())
    }
}

/// A scatter of every pair of parameters.
pub(crate) struct PairsFigure<'a> {
    pub title: &'a str,
    pub axes: &'a [SetAxis],
    pub background: &'a [Vec<f64>],
    pub foreground: &'a [Vec<f64>],
    pub labels: (&'a str, &'a str),
}

impl PairsFigure<'_> {
    fn pairs(&self) -> Vec<(usize, usize)> {
        let k = self.axes.len();
        (0..k).flat_map(|i| (i + 1..k).map(move |j| (i, j))).collect()
    }
}

impl Figure for PairsFigure<'_> {
    fn size(&self) -> (u32, u32) {
        grid_size(self.pairs().len(), COLUMNS)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        root.fill(&WHITE)?;
        let area = root.margin(14, 10, 10, 16);
        let area = draw_title(&area, self.title)?;
        let area = draw_legend(&area, &legend(self.labels))?;
        let pairs = self.pairs();
        if pairs.is_empty() {
            return Ok(());
        }
        let rows = pairs.len().div_ceil(COLUMNS);
        for (&(i, j), cell) in pairs.iter().zip(&area.split_evenly((rows, COLUMNS))) {
            let (ax, ay) = (&self.axes[i], &self.axes[j]);
            let (x0, x1) = span(ax.lo, ax.hi);
            let (y0, y1) = span(ay.lo, ay.hi);
            let (xd, yd) = (tick_decimals(x0, x1, 6), tick_decimals(y0, y1, 6));
            let x_fmt = move |v: &f64| format!("{v:.xd$}");
            let y_fmt = move |v: &f64| format!("{v:.yd$}");
            let mut chart = ChartBuilder::on(cell)
                .margin(10)
                .x_label_area_size(48)
                .y_label_area_size(72)
                .build_cartesian_2d(x0..x1, y0..y1)?;
            chart
                .configure_mesh()
                .x_desc(ax.name.as_str())
                .y_desc(ay.name.as_str())
                .axis_desc_style(font(TICK_SIZE))
                .label_style(font(TICK_SIZE - 1.0).color(&MUTED))
                .x_label_formatter(&x_fmt)
                .y_label_formatter(&y_fmt)
                .x_labels(6)
                .y_labels(6)
                .bold_line_style(GRID)
                .light_line_style(TRANSPARENT)
                .axis_style(AXIS)
                .draw()?;
            let inside = |p: &&Vec<f64>| p.len() > i.max(j) && p[i].is_finite() && p[j].is_finite();
            for (points, col, r) in [(self.background, BACKGROUND, 3), (self.foreground, color(0), 4)] {
                chart.draw_series(points.iter().filter(inside).map(|p| Circle::new((p[i], p[j]), r, col.filled())))?;
            }
        }
        Ok(())
    }
}
