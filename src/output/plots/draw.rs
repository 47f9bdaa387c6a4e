//! The drawing code shared by the SVG and PNG renderings: figure layouts (title, legend,
//! notes, plotting area), step-curve geometry, dash patterns and the colour-blind-safe
//! palettes.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::element::{PathElement, Polygon, Rectangle, Text};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{Palette, Style};

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

/// End-cause colours: Paul Tol's 'muted' scheme (colour-blind safe, all readable on white),
/// ordered so that a partner's two causes ('after a leader change', then 'withdrew') get a
/// dark and a light colour of one family for the first three partners; then his 'bright'
/// scheme's distinct colours, for causes beyond nine. Fifteen distinct colours in all.
const CAUSE_PALETTE: [RGBColor; 15] = [
    RGBColor(0x33, 0x22, 0x88), // indigo
    RGBColor(0x88, 0xCC, 0xEE), // cyan
    RGBColor(0x88, 0x22, 0x55), // wine
    RGBColor(0xCC, 0x66, 0x77), // rose
    RGBColor(0x11, 0x77, 0x33), // green
    RGBColor(0x44, 0xAA, 0x99), // teal
    RGBColor(0x99, 0x99, 0x33), // olive
    RGBColor(0xAA, 0x44, 0x99), // purple
    RGBColor(0xDD, 0xCC, 0x77), // sand
    RGBColor(0x44, 0x77, 0xAA), // bright blue
    RGBColor(0xEE, 0x66, 0x77), // bright red
    RGBColor(0x22, 0x88, 0x33), // bright green
    RGBColor(0xCC, 0xBB, 0x44), // bright yellow
    RGBColor(0x66, 0xCC, 0xEE), // bright cyan
    RGBColor(0x55, 0x55, 0x55), // dark grey
];

/// Dash patterns in pixels, on and off in turn: solid, dashed, dotted, dash-dot, long
/// dashes, dash-dot-dot.
const DASHES: [&[i32]; 6] = [&[], &[11, 7], &[3, 5], &[12, 5, 3, 5], &[20, 8], &[12, 4, 3, 4, 3, 4]];

/// The dash pattern `d` (patterns repeat after six).
pub(crate) fn dash_pattern(d: usize) -> &'static [i32] {
    DASHES[d % DASHES.len()]
}

pub(super) const TEXT: RGBColor = RGBColor(0x21, 0x21, 0x21);
pub(super) const MUTED: RGBColor = RGBColor(0x55, 0x55, 0x55);
pub(super) const AXIS: RGBColor = RGBColor(0x66, 0x66, 0x66);
pub(super) const GRID: RGBColor = RGBColor(0xE3, 0xE3, 0xE3);
pub(super) const BAND_ALPHA: f64 = 0.18;

pub(super) const TITLE_SIZE: f64 = 26.0;
pub(super) const PANEL_TITLE_SIZE: f64 = 18.0;
pub(super) const AXIS_DESC_SIZE: f64 = 18.0;
pub(super) const TICK_SIZE: f64 = 15.0;
pub(super) const LEGEND_SIZE: f64 = 16.0;

pub(crate) fn color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// The colour of `style`, or of position `i` of the series palette if it names none.
pub(crate) fn style_color(style: &Style, i: usize) -> RGBColor {
    match (style.palette, style.color) {
        (Palette::Series, c) => color(c.unwrap_or(i)),
        (Palette::Causes, c) => CAUSE_PALETTE[c.unwrap_or(i) % CAUSE_PALETTE.len()],
    }
}

/// Splits the pixel path `path` into the pieces drawn by dash pattern `pattern` (the whole
/// path if it is solid). The pattern runs on across the path's corners, so a step curve's
/// short risers do not restart it.
pub(crate) fn dash_pieces(path: &[(i32, i32)], pattern: &[i32]) -> Vec<Vec<(i32, i32)>> {
    if pattern.is_empty() || pattern.iter().all(|&p| p <= 0) || path.len() < 2 {
        return if path.len() >= 2 { vec![path.to_vec()] } else { Vec::new() };
    }
    let mut pieces: Vec<Vec<(i32, i32)>> = Vec::new();
    let mut k = 0; // index into the pattern
    let mut left = f64::from(pattern[0].max(1)); // pixels left in this pattern element
    let mut current: Vec<(f64, f64)> = Vec::new();
    let to_px = |p: (f64, f64)| (p.0.round() as i32, p.1.round() as i32);
    let flush = |current: &mut Vec<(f64, f64)>, pieces: &mut Vec<Vec<(i32, i32)>>| {
        let mut v: Vec<(i32, i32)> = current.drain(..).map(to_px).collect();
        v.dedup();
        if v.len() >= 2 {
            pieces.push(v);
        }
    };
    for w in path.windows(2) {
        let (a, b) = ((f64::from(w[0].0), f64::from(w[0].1)), (f64::from(w[1].0), f64::from(w[1].1)));
        let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
        let mut at = 0.0;
        let point = |t: f64| if len > 0.0 { (a.0 + (b.0 - a.0) * t / len, a.1 + (b.1 - a.1) * t / len) } else { a };
        while at < len {
            let step = left.min(len - at);
            let on = k % 2 == 0;
            if on {
                if current.is_empty() {
                    current.push(point(at));
                }
                current.push(point(at + step));
            }
            at += step;
            left -= step;
            if left <= 1e-9 {
                if on {
                    flush(&mut current, &mut pieces);
                }
                k = (k + 1) % pattern.len();
                left = f64::from(pattern[k].max(1));
            }
        }
    }
    flush(&mut current, &mut pieces);
    pieces
}

/// Draws the pixel path `path` (coordinates of `area`) in `col`, `width` pixels wide, with
/// dash pattern `dash`.
pub(super) fn draw_dashed<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    path: &[(i32, i32)],
    dash: usize,
    style: ShapeStyle,
) -> DrawResult<DB> {
    for piece in dash_pieces(path, dash_pattern(dash)) {
        area.draw(&PathElement::new(piece, style))?;
    }
    Ok(())
}

/// Draws the data path `path` of `chart` with dash pattern `dash` (solid: one polyline).
pub(super) fn draw_chart_path<DB: DrawingBackend>(
    chart: &ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    path: &[(f64, f64)],
    dash: usize,
    style: ShapeStyle,
) -> DrawResult<DB> {
    let area = chart.plotting_area().strip_coord_spec();
    let (bx, by) = area.get_base_pixel();
    let px: Vec<(i32, i32)> = path
        .iter()
        .map(|p| {
            let (x, y) = chart.backend_coord(p);
            (x - bx, y - by)
        })
        .collect();
    draw_dashed(&area, &px, dash, style)
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

/// The smallest size a title is set in: readable on a phone once the chart is scaled down.
const TITLE_MIN_SIZE: f64 = 20.0;

/// Splits `text` into lines of at most `max_w` pixels in `style`, breaking at spaces (a
/// single word wider than the line stays whole).
pub(super) fn wrap_text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    max_w: i32,
) -> Vec<String> {
    let fits = |s: &str| area.estimate_text_size(s, style).is_ok_and(|(w, _)| w as i32 <= max_w);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
        if line.is_empty() || fits(&candidate) {
            line = candidate;
        } else {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The lines and size a title is set in within `max_w` pixels: one line at the usual size
/// if it fits, else one line a little smaller (down to the least readable size), else two
/// (or, if it must, more) lines at that size. The title is never cut.
fn title_layout<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, title: &str, max_w: i32) -> (Vec<String>, f64) {
    let mut size = TITLE_SIZE;
    loop {
        let lines = wrap_text(area, title, &bold(size), max_w);
        if lines.len() <= 1 || size <= TITLE_MIN_SIZE {
            return (lines, size);
        }
        size -= 1.0;
    }
}

/// Draws `title` centred at the top of `area` (wrapped if long) and returns the area below.
pub(super) fn draw_title<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, title: &str) -> AreaResult<DB> {
    let (w, _) = area.dim_in_pixel();
    let (lines, size) = title_layout(area, title, w as i32 - 24);
    let style = bold(size).pos(Pos::new(HPos::Center, VPos::Top));
    let line_h = size as i32 + 8;
    for (i, line) in lines.iter().enumerate() {
        area.draw(&Text::new(line.clone(), (w as i32 / 2, 4 + i as i32 * line_h), style.clone()))?;
    }
    let h = TITLE_SIZE as i32 + 14 + (lines.len().max(1) as i32 - 1) * line_h;
    Ok(area.split_vertically(h).1)
}

const NOTE_SIZE: f64 = 15.0;
const NOTE_LINE_H: i32 = 21;

/// Draws `notes` (each wrapped to the width) centred at the top of `area` in muted text and
/// returns the area below them.
pub(super) fn draw_notes<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, notes: &[String]) -> AreaResult<DB> {
    if notes.is_empty() {
        return Ok(area.clone());
    }
    let (w, _) = area.dim_in_pixel();
    let style = font(NOTE_SIZE).color(&MUTED);
    let lines: Vec<String> = notes.iter().flat_map(|n| wrap_text(area, n, &style, w as i32 - 40)).collect();
    let centred = style.pos(Pos::new(HPos::Center, VPos::Top));
    for (i, line) in lines.iter().enumerate() {
        area.draw(&Text::new(line.clone(), (w as i32 / 2, i as i32 * NOTE_LINE_H), centred.clone()))?;
    }
    Ok(area.split_vertically(lines.len() as i32 * NOTE_LINE_H + 6).1)
}

/// How a legend entry's key is drawn.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Key {
    /// A line, with a shaded box behind it if the series has a band and with the series'
    /// marker (see [`draw_marker`]) in the middle if it has one.
    Line { band: bool, marker: Option<usize> },
    /// A filled box, for bars.
    Swatch,
    /// A line in a dash pattern, with a shaded box behind it if the series has a band.
    Styled { band: bool, dash: usize },
}

/// One entry of a legend.
pub(super) struct LegendItem {
    pub label: String,
    pub color: RGBColor,
    pub key: Key,
}

/// One row of the legend: each entry's index and text width in pixels.
type LegendRow = Vec<(usize, i32)>;

const KEY_W: i32 = 40;
const KEY_GAP: i32 = 8;
const ITEM_GAP: i32 = 30;
pub(super) const LEGEND_ROW_H: i32 = 26;

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
                Key::Styled { band, dash } => {
                    if band {
                        area.draw(&Rectangle::new(
                            [(x, y - 8), (x + KEY_W, y + 8)],
                            item.color.mix(BAND_ALPHA).filled(),
                        ))?;
                    }
                    draw_dashed(area, &[(x, y), (x + KEY_W, y)], dash, item.color.stroke_width(3))?;
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
