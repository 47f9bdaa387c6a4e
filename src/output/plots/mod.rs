//! Charts of simulation results, drawn with `plotters` and written as both SVG and PNG.
//!
//! The data types here are plain (the caller converts its analysis results into them), so
//! this module depends on nothing else in the crate except the atomic file writer. Text
//! uses an embedded Noto Sans font, so no system font packages are needed. Each chart is
//! rendered into memory first (SVG into a `String`, PNG into an RGB buffer that is then
//! encoded) and each file is written whole-or-nothing; the same input gives the same bytes.

mod charts;
mod draw;
pub use draw::SCATTER_DENSE;
mod glyphs;
mod sets;
#[cfg(test)]
mod tests;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};

use crate::output::write_atomic;

/// The font family name the charts use. Registering the embedded font under the generic
/// name means the SVG files also render with a sensible font in any browser.
const FONT: &str = "sans-serif";

/// A shaded confidence band around a step curve. Both edges are step-shaped like the curve:
/// each is a list of `(x, y)` points of a right-continuous step function.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Band {
    pub lower: Vec<(f64, f64)>,
    pub upper: Vec<(f64, f64)>,
}

/// One right-continuous step curve, such as a Kaplan–Meier survival curve of one arm or the
/// cumulative incidence of one end cause.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StepCurve {
    /// Legend text.
    pub label: String,
    /// `(x, y)` points where the curve steps, starting at `(0, 1)` for survival.
    pub points: Vec<(f64, f64)>,
    /// Optional confidence band, drawn shaded in the curve's colour.
    pub band: Option<Band>,
    /// `(x, y)` positions of censored observations, drawn as small vertical ticks.
    pub censor_marks: Vec<(f64, f64)>,
}

/// One line of a panel: the mean of a quantity over runs with its 5–95% band.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Line {
    /// Legend text (the organization); lines with the same label share a colour across
    /// panels.
    pub label: String,
    /// Times in years.
    pub x: Vec<f64>,
    pub mean: Vec<f64>,
    /// Lower edge of the band (5th percentile).
    pub lo: Vec<f64>,
    /// Upper edge of the band (95th percentile).
    pub hi: Vec<f64>,
}

/// One small chart in a grid of panels.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Panel {
    pub title: String,
    /// Y-axis label, with units.
    pub y_label: String,
    pub lines: Vec<Line>,
    /// X-axis label; `None` is "Years" (time series).
    pub x_label: Option<String>,
    /// Draw each (x, mean) as a point with a whisker from lo to hi, unconnected: a scatter
    /// of design points rather than a time series.
    pub scatter: bool,
    /// The x axis's extent; `None` fits the data. Time series share the run's horizon, so
    /// that panels line up and a line that stops early is seen to stop.
    pub x_range: Option<(f64, f64)>,
}

/// Survival curves, one per arm: x "Years", y "Share of collaborations still running", with
/// shaded confidence bands, censoring ticks, a dashed line at the horizon and a legend.
/// Writes `stem.svg` and `stem.png` and returns the SVG text.
pub fn survival_plot(stem: &Path, title: &str, curves: &[StepCurve], horizon_years: f64) -> io::Result<String> {
    let fig = draw::StepFigure {
        title,
        curves,
        horizon_years,
        y_label: "Share of collaborations still running",
        survival: true,
    };
    render(stem, &fig)
}

/// Cumulative incidence by end cause, one step line per cause: x "Years", y "Cumulative
/// incidence", with a dashed line at the horizon. Bands and censoring ticks are drawn if
/// given. Writes `stem.svg` and `stem.png` and returns the SVG text.
pub fn incidence_plot(stem: &Path, title: &str, series: &[StepCurve], horizon_years: f64) -> io::Result<String> {
    let fig =
        draw::StepFigure { title, curves: series, horizon_years, y_label: "Cumulative incidence", survival: false };
    render(stem, &fig)
}

/// A grid of small panels in two columns, each with a mean line and shaded 5–95% band per
/// organization; an organization has the same colour in every panel, and one legend serves
/// them all. Writes `stem.svg` and `stem.png` and returns the SVG text.
pub fn panels_plot(stem: &Path, title: &str, panels: &[Panel]) -> io::Result<String> {
    render(stem, &draw::PanelsFigure { title, panels })
}

/// One line of a [`line_ci_plot`]: a response at each value of a varied parameter, with its
/// confidence interval.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CiSeries {
    /// Legend text (shown when there is more than one series).
    pub label: String,
    /// Values of the varied parameter.
    pub x: Vec<f64>,
    /// The response at each `x`.
    pub y: Vec<f64>,
    /// Lower edge of the confidence interval at each `x`.
    pub lo: Vec<f64>,
    /// Upper edge of the confidence interval at each `x`.
    pub hi: Vec<f64>,
}

/// One series of a [`bar_plot`]: one bar per category, with optional error bars.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BarSeries {
    /// Legend text, such as "S1" or "ST".
    pub label: String,
    /// One value per category.
    pub values: Vec<f64>,
    /// Lower ends of the error bars, one per category (both `lo` and `hi` are needed).
    pub lo: Option<Vec<f64>>,
    /// Upper ends of the error bars, one per category.
    pub hi: Option<Vec<f64>>,
}

/// A heatmap of `z` over a grid of two parameters: `z[iy][ix]` is the value at
/// `x_values[ix]` (columns, left to right) and `y_values[iy]` (rows, bottom to top). Cells
/// are coloured with the viridis colour map, annotated with their values, and explained by a
/// colour bar labelled `z_label` whose labelled ends are the span of the scale: `scale`
/// (such as 0 to the horizon for a lifetime, 0 to 1 for a share), widened only to take in a
/// cell outside it, or the cells' own range if `None`. A bracket beside the bar marks the
/// range the cells take, so a narrow range is seen to be narrow. NaN (or absent) cells are
/// hatched grey and marked "n/a". Writes `stem.svg` and `stem.png` and returns the SVG text.
#[allow(clippy::too_many_arguments)]
pub fn heatmap_plot(
    stem: &Path,
    title: &str,
    x_label: &str,
    x_values: &[f64],
    y_label: &str,
    y_values: &[f64],
    z: &[Vec<f64>],
    z_label: &str,
    scale: Option<(f64, f64)>,
) -> io::Result<String> {
    render(stem, &charts::HeatmapFigure { title, x_label, x_values, y_label, y_values, z, z_label, scale })
}

/// A response over one varied parameter: per series a line with a marker at each point and
/// a shaded confidence band, a legend when there is more than one series, and a y axis
/// fitted to the data (not forced to include zero). Writes `stem.svg` and `stem.png` and
/// returns the SVG text.
pub fn line_ci_plot(stem: &Path, title: &str, x_label: &str, y_label: &str, series: &[CiSeries]) -> io::Result<String> {
    render(stem, &charts::LineCiFigure { title, x_label, y_label, series })
}

/// Grouped bars: one group per category (such as a parameter name), one bar per series in
/// each group, error bars where `lo` and `hi` are given, a zero baseline and a legend. Long
/// category names are wrapped and, if need be, set smaller. Writes `stem.svg` and
/// `stem.png` and returns the SVG text.
pub fn bar_plot(
    stem: &Path,
    title: &str,
    y_label: &str,
    categories: &[String],
    series: &[BarSeries],
) -> io::Result<String> {
    render(stem, &charts::BarFigure { title, y_label, categories, series })
}

/// One parameter of a [`marginal_plot`]: its values in two layers over its range.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Marginal {
    /// Panel title (the parameter).
    pub name: String,
    /// The range the x axis spans.
    pub lo: f64,
    pub hi: f64,
    /// Values drawn as grey bars behind.
    pub background: Vec<f64>,
    /// Values drawn as coloured bars in front.
    pub foreground: Vec<f64>,
}

/// One axis of a [`pairs_plot`]: a parameter and the range its axis spans.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SetAxis {
    pub name: String,
    pub lo: f64,
    pub hi: f64,
}

/// A histogram (ten bins over the range) per parameter, in two columns: grey bars for the
/// background layer, coloured bars in front for the foreground layer, a legend naming the
/// layers (`labels`), and `empty_note` written in a panel whose foreground is empty.
/// Writes `stem.svg` and `stem.png` and returns the SVG text.
pub fn marginal_plot(
    stem: &Path,
    title: &str,
    panels: &[Marginal],
    labels: (&str, &str),
    empty_note: &str,
) -> io::Result<String> {
    render(stem, &sets::MarginalFigure { title, panels, labels, empty_note })
}

/// A scatter of every pair of parameters (i < j, in two columns), axes spanning the given
/// ranges: grey points for the background layer, coloured points in front for the
/// foreground layer, each point one value per axis. Writes `stem.svg` and `stem.png` and
/// returns the SVG text.
pub fn pairs_plot(
    stem: &Path,
    title: &str,
    axes: &[SetAxis],
    background: &[Vec<f64>],
    foreground: &[Vec<f64>],
    labels: (&str, &str),
) -> io::Result<String> {
    render(stem, &sets::PairsFigure { title, axes, background, foreground, labels })
}

/// A chart that can draw itself on any plotters backend.
pub(crate) trait Figure {
    fn size(&self) -> (u32, u32);
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>>;
}

/// Registers the embedded fonts once per process.
fn ensure_fonts() -> io::Result<()> {
    static DONE: OnceLock<bool> = OnceLock::new();
    let ok = *DONE.get_or_init(|| {
        register_font(FONT, FontStyle::Normal, ttf_noto_sans::REGULAR).is_ok()
            && register_font(FONT, FontStyle::Bold, ttf_noto_sans::BOLD).is_ok()
    });
    if ok { Ok(()) } else { Err(io::Error::other("the embedded chart font could not be loaded")) }
}

fn draw_error<E: std::error::Error + Send + Sync>(e: DrawingAreaErrorKind<E>) -> io::Error {
    io::Error::other(format!("drawing a chart failed: {e}"))
}

/// `stem` with `ext` appended (a stem such as `out/survival.v2` keeps its dot).
fn with_ext(stem: &Path, ext: &str) -> PathBuf {
    let mut s = stem.as_os_str().to_owned();
    s.push(".");
    s.push(ext);
    PathBuf::from(s)
}

/// Renders `fig` as SVG text.
pub(crate) fn render_svg<F: Figure>(fig: &F) -> io::Result<String> {
    ensure_fonts()?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, fig.size()).into_drawing_area();
        fig.draw(&root).map_err(draw_error)?;
        root.present().map_err(draw_error)?;
    }
    Ok(svg)
}

/// Renders `fig` as PNG bytes.
pub(crate) fn render_png<F: Figure>(fig: &F) -> io::Result<Vec<u8>> {
    ensure_fonts()?;
    let (w, h) = fig.size();
    let mut rgb = vec![0u8; w as usize * h as usize * 3];
    {
        let root = glyphs::GlyphBackend(BitMapBackend::with_buffer(&mut rgb, (w, h))).into_drawing_area();
        fig.draw(&root).map_err(draw_error)?;
        root.present().map_err(draw_error)?;
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().map_err(io::Error::other)?;
        writer.write_image_data(&rgb).map_err(io::Error::other)?;
        writer.finish().map_err(io::Error::other)?;
    }
    Ok(out)
}

/// Renders both formats in memory, then writes `stem.svg` and `stem.png`.
fn render<F: Figure>(stem: &Path, fig: &F) -> io::Result<String> {
    let svg = render_svg(fig)?;
    let png = render_png(fig)?;
    write_atomic(&with_ext(stem, "svg"), svg.as_bytes())?;
    write_atomic(&with_ext(stem, "png"), &png)?;
    Ok(svg)
}
