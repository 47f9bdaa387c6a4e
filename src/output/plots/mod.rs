//! Charts of simulation results, drawn with `plotters` and written as both SVG and PNG.
//!
//! The data types here are plain (the caller converts its analysis results into them), so
//! this module depends on nothing else in the crate except the atomic file writer. Text
//! uses an embedded Noto Sans font, so no system font packages are needed. Each chart is
//! rendered into memory first (SVG into a `String`, PNG into an RGB buffer that is then
//! encoded) and each file is written whole-or-nothing; the same input gives the same bytes.

mod charts;
mod draw;
pub use panels::SCATTER_DENSE;
mod glyphs;
mod panels;
mod sets;
mod steps;
#[cfg(test)]
mod tests;
mod tornado;

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

/// Which palette a [`Style`]'s colour index refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Palette {
    /// Okabe–Ito colours: arms, organizations, series.
    #[default]
    Series,
    /// A separate colour-blind-safe set (Paul Tol's 'muted') for end causes, so that a
    /// cause's colour never means an arm.
    Causes,
}

/// How a line is drawn: a colour from a palette and a dash pattern. Charts keyed by end
/// cause give cause `k` colour `k` of [`Palette::Causes`]; comparison arms get dash `i` for
/// arm `i` (0 solid, 1 dashed, 2 dotted, 3 dash-dot, 4 long dashes, 5 dash-dot-dot, then
/// again), so a line's colour says what it is and its dash which arm it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Style {
    /// Index into `palette`; `None` takes the series' position in its chart.
    pub color: Option<usize>,
    pub palette: Palette,
    /// Dash pattern index (0 solid).
    pub dash: usize,
}

impl Style {
    /// Colour `color` of the series palette, dash `dash`.
    pub fn series(color: usize, dash: usize) -> Self {
        Style { color: Some(color), palette: Palette::Series, dash }
    }

    /// Colour `cause` of the cause palette, dash `dash`.
    pub fn cause(cause: usize, dash: usize) -> Self {
        Style { color: Some(cause), palette: Palette::Causes, dash }
    }
}

/// One right-continuous step curve, such as a Kaplan–Meier survival curve of one arm or the
/// cumulative incidence of one end cause.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StepCurve {
    /// Legend text.
    pub label: String,
    /// `(x, y)` points where the curve steps, starting at `(0, 1)` for survival.
    pub points: Vec<(f64, f64)>,
    /// Optional confidence band, drawn shaded (translucent) in the curve's colour.
    pub band: Option<Band>,
    /// `(x, y)` positions of censored observations, drawn as small vertical ticks.
    pub censor_marks: Vec<(f64, f64)>,
    /// Colour and dash; the default is the curve's position in the series palette, solid.
    pub style: Style,
}

/// One entry of a chart's legend when the caller lays it out (see [`StepChart::legend`]):
/// a key line in `style` (with a shaded box behind it if `band`) and its text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LegendEntry {
    pub label: String,
    pub style: Style,
    pub band: bool,
}

/// A chart of step curves with its options (see [`survival_chart`], [`incidence_chart`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StepChart {
    pub title: String,
    pub curves: Vec<StepCurve>,
    /// The horizon, marked by a dashed vertical line if it is inside the x axis.
    pub horizon_years: f64,
    /// The end of the x axis; `None` ends it just after the horizon (or the data).
    pub x_end: Option<f64>,
    /// The legend, if not one entry per curve (for example causes as colours and arms as
    /// dashes).
    pub legend: Option<Vec<LegendEntry>>,
    /// Lines of explanation set under the legend (what a band is, why the axis ends early).
    pub notes: Vec<String>,
}

/// One panel of a grid of step charts (small multiples): its title and its curves.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StepPanel {
    pub title: String,
    pub curves: Vec<StepCurve>,
}

/// A grid of cumulative-incidence panels sharing one x axis (see [`incidence_grid`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StepGrid {
    pub title: String,
    pub panels: Vec<StepPanel>,
    pub horizon_years: f64,
    pub x_end: Option<f64>,
    /// The legend shared by all panels; `None`: one entry per distinct curve label.
    pub legend: Option<Vec<LegendEntry>>,
    pub notes: Vec<String>,
}

/// A horizontal reference line in a panel, dashed and labelled.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Reference {
    pub y: f64,
    pub label: String,
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
    /// Colour and dash; the default colours a line by its label (the same label, the same
    /// colour in every panel), solid.
    pub style: Style,
    /// From this x on the line (and its band) is drawn faint: the estimate rests on few runs.
    pub fade_from: Option<f64>,
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
    /// The y axis starts at (or includes) zero, such as for counts.
    pub y_from_zero: bool,
    /// The bounds of the quantity (such as 0–1); the axis stays inside them.
    pub y_bounds: Option<(f64, f64)>,
    /// The least span of the y axis, so that a tiny wobble does not fill the panel; when
    /// the axis is widened the panel prints the range of the data.
    pub y_min_span: Option<f64>,
    /// Dashed horizontal reference lines.
    pub references: Vec<Reference>,
}

/// Survival curves, one per arm: x "Years", y "Share of collaborations still running", with
/// shaded confidence bands, censoring ticks, a dashed line at the horizon and a legend.
/// Writes `stem.svg` and `stem.png` and returns the SVG text.
pub fn survival_plot(stem: &Path, title: &str, curves: &[StepCurve], horizon_years: f64) -> io::Result<String> {
    let fig = steps::StepFigure {
        title,
        curves,
        horizon_years,
        x_end: None,
        legend: None,
        notes: &[],
        y_label: "Share of collaborations still running",
        survival: true,
    };
    render(stem, &fig)
}

/// Cumulative incidence by end cause, one step line per cause: x "Years", y "Cumulative
/// incidence", with a dashed line at the horizon. Bands and censoring ticks are drawn if
/// given. Writes `stem.svg` and `stem.png` and returns the SVG text.
pub fn incidence_plot(stem: &Path, title: &str, series: &[StepCurve], horizon_years: f64) -> io::Result<String> {
    let fig = steps::StepFigure {
        title,
        curves: series,
        horizon_years,
        x_end: None,
        legend: None,
        notes: &[],
        y_label: "Cumulative incidence",
        survival: false,
    };
    render(stem, &fig)
}

/// Where a chart goes: `stem.svg` and `stem.png` on disk, or only its SVG text (the
/// `serve` page draws the report's charts without writing files).
#[derive(Clone, Copy, Debug)]
pub enum Target<'a> {
    Files(&'a Path),
    SvgOnly,
}

impl<'a> From<&'a Path> for Target<'a> {
    fn from(stem: &'a Path) -> Self {
        Target::Files(stem)
    }
}

impl<'a> From<Option<&'a PathBuf>> for Target<'a> {
    fn from(stem: Option<&'a PathBuf>) -> Self {
        stem.map_or(Target::SvgOnly, |s| Target::Files(s))
    }
}

impl<'a> From<&'a PathBuf> for Target<'a> {
    fn from(stem: &'a PathBuf) -> Self {
        Target::Files(stem)
    }
}

/// Survival curves with the options of a [`StepChart`]: y axis 0–100%. Writes `stem.svg`
/// and `stem.png` (unless [`Target::SvgOnly`]) and returns the SVG text.
pub fn survival_chart<'a>(target: impl Into<Target<'a>>, chart: &StepChart) -> io::Result<String> {
    render_to(target.into(), &steps::StepFigure::of(chart, "Share of collaborations still running", true))
}

/// Cumulative incidence with the options of a [`StepChart`]: y axis fitted to the data.
/// Writes `stem.svg` and `stem.png` (unless [`Target::SvgOnly`]) and returns the SVG text.
pub fn incidence_chart<'a>(target: impl Into<Target<'a>>, chart: &StepChart) -> io::Result<String> {
    render_to(target.into(), &steps::StepFigure::of(chart, "Cumulative incidence", false))
}

/// Small multiples of cumulative incidence: one panel per [`StepPanel`] (such as one per end
/// cause, the arms as line styles), two columns, all panels on one x and one y axis. Writes
/// `stem.svg` and `stem.png` (unless [`Target::SvgOnly`]) and returns the SVG text.
pub fn incidence_grid<'a>(target: impl Into<Target<'a>>, grid: &StepGrid) -> io::Result<String> {
    render_to(target.into(), &steps::StepGridFigure { grid })
}

/// [`panels_plot`] with lines of explanation (`notes`) under the legend.
pub fn panels_chart(stem: &Path, title: &str, panels: &[Panel], notes: &[String]) -> io::Result<String> {
    render(stem, &panels::PanelsFigure { title, panels, notes })
}

/// A grid of small panels in two columns, each with a mean line and shaded 5–95% band per
/// organization; an organization has the same colour in every panel, and one legend serves
/// them all. Writes `stem.svg` and `stem.png` and returns the SVG text.
pub fn panels_plot(stem: &Path, title: &str, panels: &[Panel]) -> io::Result<String> {
    render(stem, &panels::PanelsFigure { title, panels, notes: &[] })
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

/// One bar of a [`TornadoRow`]: a setting's change from the scenario with its interval.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TornadoBar {
    /// The setting, written at the bar's outer end.
    pub label: String,
    pub estimate: f64,
    pub lower: f64,
    pub upper: f64,
    /// Which legend entry (colour) the bar takes.
    pub style: usize,
}

/// One lever of a [`TornadoPanel`]: its name and a bar per setting.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TornadoRow {
    pub label: String,
    pub bars: Vec<TornadoBar>,
}

/// One statistic of a [`tornado_plot`]: rows from the top in the order given.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TornadoPanel {
    pub title: String,
    pub x_label: String,
    pub rows: Vec<TornadoRow>,
}

/// A tornado chart: per panel, one row per lever from the top, a bar per setting from zero
/// to its change with the interval as a whisker and the setting at the bar's end, a zero
/// line, and one legend (`styles`, by bar style) for all panels. Writes `stem.svg` and
/// `stem.png` and returns the SVG text.
pub fn tornado_plot(stem: &Path, title: &str, panels: &[TornadoPanel], styles: &[String]) -> io::Result<String> {
    render(stem, &tornado::TornadoFigure { title, panels, styles })
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

fn render_to<F: Figure>(target: Target<'_>, fig: &F) -> io::Result<String> {
    match target {
        Target::Files(stem) => render(stem, fig),
        Target::SvgOnly => render_svg(fig),
    }
}

/// Renders both formats in memory, then writes `stem.svg` and `stem.png`.
fn render<F: Figure>(stem: &Path, fig: &F) -> io::Result<String> {
    let svg = render_svg(fig)?;
    let png = render_png(fig)?;
    write_atomic(&with_ext(stem, "svg"), svg.as_bytes())?;
    write_atomic(&with_ext(stem, "png"), &png)?;
    Ok(svg)
}
