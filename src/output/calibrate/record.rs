//! A calibration's checkpoint files: `calibration.json` (the plan of the whole
//! calibration), and for each wave `waves/wNN/plan.json` (its points, written before any of
//! them runs) and `waves/wNN/points/p<id>.json` (one finished point's statistics per target,
//! written when it finishes). The final files are built from these alone, so an interrupted
//! and resumed calibration, or one run in shards, writes the same bytes as one run straight
//! through.

use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::analysis::emulator::Order;
use crate::output::records::{read_json, write_json_pretty};
use crate::scenario::calibration::CalibrationPlan;

/// How a wave's points were chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WaveKind {
    /// A Latin hypercube over the prior box (the first wave).
    LatinHypercube,
    /// Candidates over the prior box that no target's emulator rules out, chosen
    /// space-filling (greedy maximin), topped up by perturbing accepted points.
    Emulated,
}

/// The polynomial an emulator fitted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FitOrder {
    Constant,
    Linear,
    Quadratic,
}

impl From<Order> for FitOrder {
    fn from(o: Order) -> Self {
        match o {
            Order::Constant => FitOrder::Constant,
            Order::Linear => FitOrder::Linear,
            Order::Quadratic => FitOrder::Quadratic,
        }
    }
}

/// One target's emulator as fitted to plan a wave.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EmulatorInfo {
    pub order: FitOrder,
    /// Points it was fitted on (those where the statistic is defined).
    pub points: usize,
    /// Residual standard deviation of the regression.
    pub residual_sd: f64,
    /// Root mean squared simulation standard error of the points it was fitted on.
    pub simulation_sd: f64,
}

/// How a wave's points came about.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WaveDesign {
    pub kind: WaveKind,
    /// Candidates drawn (0 for a Latin hypercube).
    pub candidates: usize,
    /// Candidates no emulator ruled out.
    pub passed: usize,
    /// Points made by perturbing accepted points, when too few candidates passed.
    pub perturbed: usize,
    /// Each target's emulator (`None`: too few defined values to fit one, so it rules
    /// nothing out).
    pub emulators: Vec<Option<EmulatorInfo>>,
}

/// A wave's points, written before any of them runs; `id` (a hash of the rest) ties the
/// point records to it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WavePlan {
    pub id: String,
    /// The calibration's id.
    pub calibration: String,
    pub wave: u32,
    /// The number of point 0 of this wave; points are numbered across waves.
    pub first_point: usize,
    pub design: WaveDesign,
    /// Each point's value of every prior, in the calibration's order.
    pub points: Vec<Vec<f64>>,
}

impl WavePlan {
    pub fn new(
        plan: &CalibrationPlan,
        wave: u32,
        first_point: usize,
        design: WaveDesign,
        points: Vec<Vec<f64>>,
    ) -> Self {
        let mut w = WavePlan { id: String::new(), calibration: plan.id.clone(), wave, first_point, design, points };
        let bytes = serde_json::to_vec(&w).expect("wave plan serializes");
        w.id = Sha256::digest(&bytes).iter().take(8).map(|b| format!("{b:02x}")).collect();
        w
    }
}

/// A target's statistic at one point: its value (`None` where it is undefined, such as a
/// partner's share of endings when no run ended) and the simulation's standard error.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct TargetValue {
    pub value: Option<f64>,
    pub se: f64,
}

/// One finished point: each target's statistic, in the calibration's order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PointStats {
    /// The wave plan's id.
    pub plan: String,
    /// The point's index in its wave.
    pub point: usize,
    pub targets: Vec<TargetValue>,
}

pub fn calibration_path(out: &Path) -> PathBuf {
    out.join("calibration.json")
}

/// The folder of wave `wave` (1-based).
pub fn wave_dir(out: &Path, wave: u32) -> PathBuf {
    out.join("waves").join(format!("w{wave:02}"))
}

pub fn wave_plan_path(out: &Path, wave: u32) -> PathBuf {
    wave_dir(out, wave).join("plan.json")
}

/// Where wave `wave`'s point records are.
pub fn wave_points_dir(out: &Path, wave: u32) -> PathBuf {
    wave_dir(out, wave).join("points")
}

pub fn write_calibration(out: &Path, plan: &CalibrationPlan) -> io::Result<()> {
    write_json_pretty(&calibration_path(out), plan)
}

pub fn read_calibration(out: &Path) -> io::Result<CalibrationPlan> {
    read_json(&calibration_path(out))
}

pub fn write_wave_plan(out: &Path, w: &WavePlan) -> io::Result<()> {
    std::fs::create_dir_all(wave_dir(out, w.wave))?;
    write_json_pretty(&wave_plan_path(out, w.wave), w)
}

pub fn read_wave_plan(out: &Path, wave: u32) -> io::Result<WavePlan> {
    read_json(&wave_plan_path(out, wave))
}
