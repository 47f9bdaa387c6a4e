//! A calibration's files: the checkpoints (`record`: the calibration's plan, each wave's
//! plan and each point's statistics), then, from those alone, `waves.csv` and
//! `accepted.csv` (`tables`), the marginal and pairwise figures, and report.html
//! (`report`). The numbers (implausibilities, the accepted set, which parameters the targets
//! pin down) are computed by `app::calibrate` and handed over as a [`Calibrated`].

pub mod record;
pub mod report;
pub mod tables;

use std::io;
use std::path::Path;

use record::{TargetValue, WavePlan};

use crate::output::plots::{Marginal, SetAxis, marginal_plot, pairs_plot};
use crate::scenario::calibration::CalibrationPlan;

/// Every file a calibration may write besides its checkpoints (`pairwise` needs two
/// priors or more).
pub const RESULT_FILES: [&str; 7] =
    ["waves.csv", "accepted.csv", "marginal.svg", "marginal.png", "pairwise.svg", "pairwise.png", "report.html"];

/// One simulated point with its implausibility under each target.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluated {
    /// Its number across waves.
    pub id: usize,
    pub wave: u32,
    pub x: Vec<f64>,
    pub values: Vec<TargetValue>,
    /// Per target; infinite where the statistic is undefined or misses with no uncertainty.
    pub implausibility: Vec<f64>,
    /// The largest of them: the point is accepted when it is at most the cut.
    pub max: f64,
}

/// One row of waves.csv: a wave and a target (`None`: any target).
#[derive(Clone, Debug, PartialEq)]
pub struct WaveRow {
    pub wave: u32,
    pub target: Option<usize>,
    pub points: usize,
    pub ruled_out: usize,
    /// Over the wave's points; `None` for a wave without points.
    pub min_implausibility: Option<f64>,
    pub median_implausibility: Option<f64>,
}

/// What the accepted points say about a parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The accepted 5-95% range is under half the prior width.
    Pinned,
    /// It is half the prior width or more.
    Free,
    /// Fewer accepted points than `MIN_FOR_VERDICT`.
    TooFew,
    /// Nothing was accepted.
    NoneAccepted,
}

/// Accepted points needed to judge a parameter pinned or free.
pub const MIN_FOR_VERDICT: usize = 5;
/// The accepted 5-95% range as a share of the prior width below which a parameter is pinned.
pub const PINNED_BELOW: f64 = 0.5;

/// A parameter's prior range and its accepted values.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamSummary {
    pub key: String,
    pub lo: f64,
    pub hi: f64,
    /// The range is the registry's (the file gave none).
    pub declared: bool,
    /// The accepted values' 5th and 95th percentiles (R's type 7), if any were accepted.
    pub q05: Option<f64>,
    pub q95: Option<f64>,
    /// `(q95 - q05) / (hi - lo)`.
    pub width_share: Option<f64>,
    pub verdict: Verdict,
}

/// A target over the whole calibration.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetSummary {
    /// Points (of all waves) it ruled out.
    pub ruled_out: usize,
    /// Its statistic at the best point (the smallest largest implausibility).
    pub best: Option<TargetValue>,
    /// The range of its statistic over the accepted points.
    pub accepted_range: Option<(f64, f64)>,
}

/// Everything the final files say.
pub struct Calibrated<'a> {
    pub plan: &'a CalibrationPlan,
    pub waves: &'a [WavePlan],
    /// Every point of every wave, in order.
    pub evaluated: Vec<Evaluated>,
    /// Per wave, one row per target and one for any target.
    pub wave_rows: Vec<WaveRow>,
    pub params: Vec<ParamSummary>,
    pub targets: Vec<TargetSummary>,
    /// Indices into `evaluated` of the accepted points.
    pub accepted: Vec<usize>,
    /// Index into `evaluated` of the point with the smallest largest implausibility.
    pub best: Option<usize>,
    /// The wave after which no points were left to run, if the calibration stopped early.
    pub stopped_after: Option<u32>,
    /// The command that reproduces the calibration.
    pub command: String,
}

/// Writes waves.csv, accepted.csv, the figures and report.html into `out`; returns the
/// names written, in `RESULT_FILES` order.
pub fn write_results(c: &Calibrated<'_>, out: &Path) -> io::Result<Vec<String>> {
    tables::write_waves(c, &out.join("waves.csv"))?;
    tables::write_accepted(c, &out.join("accepted.csv"))?;
    let plan = c.plan;
    let accepted: Vec<&Evaluated> = c.accepted.iter().map(|&i| &c.evaluated[i]).collect();
    let labels = ("all points simulated", "accepted");
    let tail = format!("{} ({} of {} points accepted)", plan.name, accepted.len(), c.evaluated.len());
    let marginals: Vec<Marginal> = plan
        .priors
        .iter()
        .enumerate()
        .map(|(k, p)| Marginal {
            name: p.key.clone(),
            lo: p.lo,
            hi: p.hi,
            background: c.evaluated.iter().map(|e| e.x[k]).collect(),
            foreground: accepted.iter().map(|e| e.x[k]).collect(),
        })
        .collect();
    let marginal = marginal_plot(
        &out.join("marginal"),
        &format!("Accepted values over each prior range: {tail}"),
        &marginals,
        labels,
        "no point accepted",
    )?;
    let mut written: Vec<String> =
        ["waves.csv", "accepted.csv", "marginal.svg", "marginal.png"].map(String::from).to_vec();
    let pairwise = if plan.priors.len() >= 2 {
        let axes: Vec<SetAxis> =
            plan.priors.iter().map(|p| SetAxis { name: p.key.clone(), lo: p.lo, hi: p.hi }).collect();
        let all: Vec<Vec<f64>> = c.evaluated.iter().map(|e| e.x.clone()).collect();
        let kept: Vec<Vec<f64>> = accepted.iter().map(|e| e.x.clone()).collect();
        written.extend(["pairwise.svg".to_string(), "pairwise.png".to_string()]);
        Some(pairs_plot(
            &out.join("pairwise"),
            &format!("Accepted parameter sets, each pair of parameters: {tail}"),
            &axes,
            &all,
            &kept,
            labels,
        )?)
    } else {
        None
    };
    let html = report::calibration_report(c, &marginal, pairwise.as_deref());
    crate::output::write_atomic(&out.join("report.html"), html.as_bytes())?;
    written.push("report.html".to_string());
    Ok(written)
}
