//! A tornado chart: one row per lever, ranked from the top, with a horizontal bar per
//! setting from zero (the scenario as it is) to the change that setting makes, its 95%
//! interval as a whisker and the setting written at the bar's outer end. Several panels
//! (one per statistic) share the legend; each panel has its own axis and its own order.

use plotters::coord::Shift;
use plotters::element::{PathElement, Rectangle, Text};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::draw::{
    AXIS, DrawResult, GRID, Key, LegendItem, MUTED, TEXT, TICK_SIZE, bold, color, draw_legend, draw_title, font,
};
use super::{Figure, TornadoPanel};

const WIDTH: u32 = 1100;
const BAR_H: i32 = 18;
const BAR_GAP: i32 = 4;
const ROW_PAD: i32 = 10;
const PANEL_TITLE_H: i32 = 34;
const AXIS_H: i32 = 58;
const PANEL_GAP: i32 = 22;
const LABEL_SIZE: f64 = 15.0;
const END_LABEL_SIZE: f64 = 15.0;
/// Room for a bar's setting text beyond its whisker, in pixels.
const END_LABEL_ROOM: f64 = 70.0;
const ROW_SHADE: RGBColor = RGBColor(0xF6, 0xF6, 0xF6);
const ZERO: RGBColor = RGBColor(0x33, 0x33, 0x33);

pub(crate) struct TornadoFigure<'a> {
    pub title: &'a str,
    pub panels: &'a [TornadoPanel],
    /// The legend text of each bar style (0, 1, 2, ...); only styles in use are shown.
    pub styles: &'a [String],
}

fn row_h(bars: usize) -> i32 {
    2 * ROW_PAD + bars.max(1) as i32 * (BAR_H + BAR_GAP) - BAR_GAP
}

fn panel_h(p: &TornadoPanel) -> i32 {
    PANEL_TITLE_H + p.rows.iter().map(|r| row_h(r.bars.len())).sum::<i32>() + AXIS_H
}

/// Tick values at a 1, 2 or 5 step covering `lo..hi`, about `n` of them.
pub(super) fn nice_ticks(lo: f64, hi: f64, n: usize) -> (Vec<f64>, usize) {
    let span = (hi - lo).max(1e-12);
    let raw = span / n.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * mag).find(|s| *s >= raw).unwrap_or(10.0 * mag);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    let decimals = if step >= 1.0 { 0 } else { (-step.log10().floor()) as usize };
    ((first..=last).map(|k| k as f64 * step).collect(), decimals)
}

impl Figure for TornadoFigure<'_> {
    fn size(&self) -> (u32, u32) {
        let panels: i32 = self.panels.iter().map(panel_h).sum::<i32>() + PANEL_GAP * self.panels.len() as i32;
        (WIDTH, (panels + 130).max(300) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        root.fill(&WHITE)?;
        let area = root.margin(14, 10, 30, 20);
        let area = draw_title(&area, self.title)?;
        let used: Vec<usize> = (0..self.styles.len())
            .filter(|&k| self.panels.iter().any(|p| p.rows.iter().any(|r| r.bars.iter().any(|b| b.style == k))))
            .collect();
        let items: Vec<LegendItem> = used
            .iter()
            .map(|&k| LegendItem { label: self.styles[k].clone(), color: color(k), key: Key::Swatch })
            .collect();
        let mut area = draw_legend(&area, &items)?;
        let label_style = font(LABEL_SIZE);
        let widest = self
            .panels
            .iter()
            .flat_map(|p| &p.rows)
            .map(|r| area.estimate_text_size(&r.label, &label_style).map_or(0, |(w, _)| w as i32))
            .max()
            .unwrap_or(0);
        let (w, _) = area.dim_in_pixel();
        let label_w = (widest + 16).min(w as i32 * 2 / 5);
        for p in self.panels {
            let h = panel_h(p);
            let (this, rest) = area.split_vertically(h + PANEL_GAP);
            draw_panel(&this, p, label_w)?;
            area = rest;
        }
        Ok(())
    }
}

fn draw_panel<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, p: &TornadoPanel, label_w: i32) -> DrawResult<DB> {
    let (w, _) = area.dim_in_pixel();
    let w = w as i32;
    area.draw(&Text::new(p.title.clone(), (0, 4), bold(18.0).pos(Pos::new(HPos::Left, VPos::Top))))?;
    let top = PANEL_TITLE_H;
    let plot_l = label_w;
    let plot_r = w - 8;
    let plot_w = f64::from(plot_r - plot_l);

    // The axis covers every whisker and zero, with room at both ends for the setting texts.
    let (mut lo, mut hi) = (0.0_f64, 0.0_f64);
    for b in p.rows.iter().flat_map(|r| &r.bars) {
        for v in [b.estimate, b.lower, b.upper].into_iter().filter(|v| v.is_finite()) {
            lo = lo.min(v);
            hi = hi.max(v);
        }
    }
    if hi - lo < 1e-9 {
        hi += 1.0;
        lo -= 1.0;
    }
    let data_w = plot_w - 2.0 * END_LABEL_ROOM;
    let unit = (hi - lo) / data_w.max(50.0);
    let (x_lo, x_hi) = (lo - END_LABEL_ROOM * unit, hi + END_LABEL_ROOM * unit);
    let px = |v: f64| plot_l + ((v - x_lo) / (x_hi - x_lo) * plot_w).round() as i32;

    let rows_h: i32 = p.rows.iter().map(|r| row_h(r.bars.len())).sum();
    let bottom = top + rows_h;
    // Row shading, then the grid and the zero line, then the bars over them.
    let mut y = top;
    for (i, r) in p.rows.iter().enumerate() {
        let h = row_h(r.bars.len());
        if i % 2 == 0 {
            area.draw(&Rectangle::new([(0, y), (plot_r, y + h)], ROW_SHADE.filled()))?;
        }
        y += h;
    }
    let (ticks, dec) = nice_ticks(lo, hi, 8);
    let tick_style = font(TICK_SIZE).color(&MUTED).pos(Pos::new(HPos::Center, VPos::Top));
    for t in &ticks {
        let x = px(*t);
        area.draw(&PathElement::new(vec![(x, top), (x, bottom)], GRID.stroke_width(1)))?;
        area.draw(&PathElement::new(vec![(x, bottom), (x, bottom + 5)], AXIS.stroke_width(1)))?;
        let text = if *t == 0.0 { "0".to_string() } else { format!("{t:+.dec$}") };
        area.draw(&Text::new(text, (x, bottom + 8), tick_style.clone()))?;
    }
    area.draw(&PathElement::new(vec![(plot_l, bottom), (plot_r, bottom)], AXIS.stroke_width(1)))?;
    area.draw(&Text::new(
        p.x_label.clone(),
        (plot_l + (plot_r - plot_l) / 2, bottom + 32),
        font(TICK_SIZE).color(&TEXT).pos(Pos::new(HPos::Center, VPos::Top)),
    ))?;
    let x0 = px(0.0);
    area.draw(&PathElement::new(vec![(x0, top - 4), (x0, bottom)], ZERO.stroke_width(2)))?;

    let label_style = font(LABEL_SIZE).pos(Pos::new(HPos::Right, VPos::Center));
    let mut y = top;
    for r in &p.rows {
        let h = row_h(r.bars.len());
        area.draw(&Text::new(r.label.clone(), (label_w - 10, y + h / 2), label_style.clone()))?;
        let mut by = y + ROW_PAD;
        for b in &r.bars {
            let c = color(b.style);
            let mid = by + BAR_H / 2;
            if b.estimate.is_finite() {
                let (a, e) = (x0.min(px(b.estimate)), x0.max(px(b.estimate)));
                area.draw(&Rectangle::new([(a, by), (e.max(a + 1), by + BAR_H)], c.filled()))?;
            }
            let (l, u) = (px(b.lower), px(b.upper));
            if b.lower.is_finite() && b.upper.is_finite() {
                let style = TEXT.stroke_width(2);
                area.draw(&PathElement::new(vec![(l, mid), (u, mid)], style))?;
                for x in [l, u] {
                    area.draw(&PathElement::new(vec![(x, mid - 5), (x, mid + 5)], style))?;
                }
            }
            // The setting at the outer end: right of a gain, left of a loss.
            let outer = if b.estimate >= 0.0 { u.max(px(b.estimate)) + 6 } else { l.min(px(b.estimate)) - 6 };
            let pos = if b.estimate >= 0.0 { HPos::Left } else { HPos::Right };
            area.draw(&Text::new(
                b.label.clone(),
                (outer, mid),
                font(END_LABEL_SIZE).color(&MUTED).pos(Pos::new(pos, VPos::Center)),
            ))?;
            by += BAR_H + BAR_GAP;
        }
        y += h;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_fall_on_round_steps_inside_the_range() {
        let (t, d) = nice_ticks(-31.0, 4.0, 8);
        assert_eq!(t, vec![-30.0, -25.0, -20.0, -15.0, -10.0, -5.0, 0.0]);
        assert_eq!(d, 0);
        let (t, d) = nice_ticks(-0.12, 0.03, 6);
        assert_eq!(d, 2);
        assert!(t.contains(&0.0) && t.iter().all(|v| (-0.12..=0.03).contains(v)));
    }
}
