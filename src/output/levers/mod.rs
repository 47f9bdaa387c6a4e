//! `collabsim levers`' results as files: levers.json (typed, the `Levers` record below),
//! levers.csv (long format: one row per lever, setting and statistic), the tornado chart
//! (`tornado_figure`) and report.html (`report.rs`), and the plain sentences that the report
//! and the terminal both lead with.

mod report;

use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::atomic::AtomicFile;
use super::f6;
use super::plots::{TornadoBar, TornadoPanel, TornadoRow, tornado_plot};
use super::report::pct;

pub use report::levers_report;

/// levers.json: what was moved, how far, and what each move did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Levers {
    pub question: String,
    pub scenario: String,
    pub scenario_file: String,
    pub overrides: Vec<String>,
    pub seed: u64,
    /// Replicates per setting; every setting runs replicates 0..n of `seed`.
    pub replicates: u64,
    pub horizon_years: f64,
    /// The year at which survival is compared.
    pub year: f64,
    /// The scenario as it is.
    pub baseline: ArmValues,
    /// In order of their effect on survival at `year` (rank 1 first).
    pub levers: Vec<LeverEffect>,
    /// Levers not moved, with why.
    pub skipped: Vec<Skipped>,
}

/// Survival at the chosen year and the mean lifetime to the horizon of one arm.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArmValues {
    /// Share of runs still running at `year`.
    pub survival: f64,
    /// Restricted mean lifetime to the horizon, in years.
    pub rmst_years: f64,
}

/// One lever, every setting it was moved to, and its rank on each statistic.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeverEffect {
    /// The dotted path, as `--set` takes it.
    pub path: String,
    pub meaning: String,
    pub unit: String,
    /// "number", "whole number", "true or false" or "choice".
    pub kind: String,
    /// The scenario's value (for an unset partner turnover, the shared one it inherits).
    pub scenario_value: String,
    /// The declared plausible range of a numeric lever.
    pub plausible: Option<[f64; 2]>,
    /// Every setting, the scenario's own included (`is_scenario`), low to high.
    pub settings: Vec<SettingEffect>,
    /// Change in survival at `year`: the extent of the lever's bar.
    pub survival_swing: f64,
    /// From the setting with the lowest survival to the one with the highest, paired.
    pub survival_span: Span,
    pub survival_rank: usize,
    /// Change in mean lifetime to the horizon, years: the extent of the lever's bar.
    pub rmst_swing_years: f64,
    pub rmst_span: Span,
    pub rmst_rank: usize,
}

/// Which end of the lever a setting is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum End {
    /// The low end of the plausible range, or `false`.
    Low,
    /// The high end of the plausible range, or `true`.
    High,
    /// One of a choice's alternatives.
    Alternative,
    /// The scenario's own value, inside the plausible range (or outside it).
    Scenario,
}

impl End {
    pub fn name(self) -> &'static str {
        match self {
            End::Low => "low",
            End::High => "high",
            End::Alternative => "alternative",
            End::Scenario => "scenario",
        }
    }
}

/// One setting of a lever and what it did against the scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SettingEffect {
    /// The value, as `--set` writes it.
    pub setting: String,
    pub end: End,
    /// The scenario's own value: not run again, its differences are 0.
    pub is_scenario: bool,
    pub values: ArmValues,
    /// Survival at `year` minus the scenario's, as a share (0.05 = 5 points).
    pub survival_difference: Interval,
    pub rmst_difference_years: Interval,
}

/// An estimate with its 95% interval from the paired per-replicate differences.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    pub estimate: f64,
    pub se: f64,
    pub ci95: [f64; 2],
}

impl Interval {
    pub const ZERO: Interval = Interval { estimate: 0.0, se: 0.0, ci95: [0.0, 0.0] };
}

/// The difference between two settings of one lever (`to` minus `from`), paired.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Span {
    pub from: String,
    pub to: String,
    pub from_value: f64,
    pub to_value: f64,
    pub difference: Interval,
}

/// A lever (or one setting of it) left out, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Skipped {
    pub path: String,
    /// The setting left out, if only one was.
    pub setting: Option<String>,
    pub reason: String,
}

impl Levers {
    pub fn to_json(&self) -> Vec<u8> {
        let mut b = serde_json::to_vec_pretty(self).expect("levers.json serializes");
        b.push(b'\n');
        b
    }

    /// The levers in order of their rank on survival (`rmst: false`) or on mean lifetime.
    pub fn ranked(&self, rmst: bool) -> Vec<&LeverEffect> {
        let mut v: Vec<&LeverEffect> = self.levers.iter().collect();
        v.sort_by_key(|l| if rmst { l.rmst_rank } else { l.survival_rank });
        v
    }

    /// levers.csv: long format, one row per lever, setting and statistic (`survival` at
    /// `at_years`, `rmst_years` to the horizon), each with the arm's value, the scenario's,
    /// the paired difference and its interval, the lever's swing and rank.
    pub fn write_csv(&self, path: &Path) -> io::Result<()> {
        let mut f = AtomicFile::create(path)?;
        {
            let mut w = csv::Writer::from_writer(&mut f);
            w.write_record([
                "lever",
                "setting",
                "end",
                "is_scenario",
                "scenario_value",
                "statistic",
                "at_years",
                "value",
                "scenario_statistic",
                "difference",
                "difference_se",
                "difference_ci95_lower",
                "difference_ci95_upper",
                "swing",
                "rank",
                "replicates",
                "seed",
            ])?;
            for l in &self.levers {
                for s in &l.settings {
                    let rows = [
                        ("survival", self.year, s.values.survival, self.baseline.survival, s.survival_difference),
                        (
                            "rmst_years",
                            self.horizon_years,
                            s.values.rmst_years,
                            self.baseline.rmst_years,
                            s.rmst_difference_years,
                        ),
                    ];
                    for (k, (stat, at, v, base, d)) in rows.into_iter().enumerate() {
                        let (swing, rank) = if k == 0 {
                            (l.survival_swing, l.survival_rank)
                        } else {
                            (l.rmst_swing_years, l.rmst_rank)
                        };
                        w.write_record([
                            l.path.clone(),
                            s.setting.clone(),
                            s.end.name().into(),
                            s.is_scenario.to_string(),
                            l.scenario_value.clone(),
                            stat.into(),
                            f6(at),
                            f6(v),
                            f6(base),
                            f6(d.estimate),
                            f6(d.se),
                            f6(d.ci95[0]),
                            f6(d.ci95[1]),
                            f6(swing),
                            rank.to_string(),
                            self.replicates.to_string(),
                            self.seed.to_string(),
                        ])?;
                    }
                }
            }
            w.flush()?;
        }
        f.commit()
    }
}

/// A year as a reader says it: "5", "2.5".
pub fn year_text(y: f64) -> String {
    let s = format!("{y:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A change in survival in percentage points, signed: "+32 points", "-0.4 points".
pub fn points(d: f64) -> String {
    let p = 100.0 * d;
    if p == 0.0 {
        "0 points".into()
    } else if p.abs() < 1.0 {
        format!("{p:+.1} points")
    } else {
        format!("{p:+.0} points")
    }
}

/// A change in years, signed: "+0.42 years".
pub fn years_change(d: f64) -> String {
    format!("{d:+.2} years")
}

/// A lever's effect in one sentence: "from 0.2 to 1, survival at 5 years goes from 61% to
/// 93% (+32 points, 95% CI +28 to +36); mean lifetime to 10 years +1.10 years (95% CI +0.9
/// to +1.3)". The mean lifetime's settings are named too where they are not the same two.
pub fn sentence(l: &LeverEffect, lv: &Levers) -> String {
    let s = &l.survival_span;
    let d = s.difference;
    let r = &l.rmst_span;
    let rd = r.difference;
    let rmst_settings = if (&r.from, &r.to) == (&s.from, &s.to) {
        String::new()
    } else {
        format!(" from {} to {}", setting_words(l, &r.from), setting_words(l, &r.to))
    };
    format!(
        "from {} to {}, survival at {} years goes from {} to {} ({}, 95% CI {} to {}); mean lifetime to {} years{rmst_settings} {} (95% CI {} to {}).",
        setting_words(l, &s.from),
        setting_words(l, &s.to),
        year_text(lv.year),
        pct(s.from_value),
        pct(s.to_value),
        points(d.estimate),
        points_bare(d.ci95[0]),
        points_bare(d.ci95[1]),
        year_text(lv.horizon_years),
        years_change(rd.estimate),
        years_bare(rd.ci95[0]),
        years_bare(rd.ci95[1]),
    )
}

fn years_bare(d: f64) -> String {
    format!("{d:+.2}")
}

/// A setting in words: its value, with "(the scenario's)" for the scenario's own.
fn setting_words(l: &LeverEffect, setting: &str) -> String {
    match l.settings.iter().find(|s| s.setting == setting) {
        Some(s) if s.is_scenario => format!("{setting} (the scenario's)"),
        _ => setting.to_string(),
    }
}

fn points_bare(d: f64) -> String {
    points(d).trim_end_matches(" points").to_string()
}

/// The top `n` levers on survival, one sentence each: the first "matters most", the others
/// "comes next".
pub fn top_sentences(lv: &Levers, n: usize) -> Vec<String> {
    lv.ranked(false)
        .into_iter()
        .take(n)
        .enumerate()
        .map(|(i, l)| {
            let lead = match i {
                0 => "matters most",
                1 => "comes second",
                _ => "comes third",
            };
            format!("{} {lead}: {}", l.path, sentence(l, lv))
        })
        .collect()
}

/// The tornado chart: change in survival at the year (points) and in mean lifetime (years),
/// each lever a row with a bar per setting from the scenario's value, ranked by swing.
/// Writes `stem.svg` and `stem.png` and returns the SVG.
pub fn tornado_figure(stem: &Path, lv: &Levers) -> io::Result<String> {
    let panel = |rmst: bool| {
        let rows = lv
            .ranked(rmst)
            .into_iter()
            .map(|l| TornadoRow {
                label: format!("{} (now {})", l.path, l.scenario_value.split(' ').next().unwrap_or("")),
                bars: l
                    .settings
                    .iter()
                    .filter(|s| !s.is_scenario)
                    .map(|s| {
                        let (d, k) = if rmst { (s.rmst_difference_years, 1.0) } else { (s.survival_difference, 100.0) };
                        TornadoBar {
                            label: s.setting.clone(),
                            estimate: k * d.estimate,
                            lower: k * d.ci95[0],
                            upper: k * d.ci95[1],
                            style: match s.end {
                                End::Low => 0,
                                End::High => 1,
                                End::Alternative | End::Scenario => 2,
                            },
                        }
                    })
                    .collect(),
            })
            .collect();
        if rmst {
            TornadoPanel {
                title: format!(
                    "Change in mean lifetime to {} years (scenario: {:.2} years)",
                    year_text(lv.horizon_years),
                    lv.baseline.rmst_years
                ),
                x_label: "years, with 95% interval".into(),
                rows,
            }
        } else {
            TornadoPanel {
                title: format!(
                    "Change in survival at {} years (scenario: {} still running)",
                    year_text(lv.year),
                    pct(lv.baseline.survival)
                ),
                x_label: "percentage points, with 95% interval".into(),
                rows,
            }
        }
    };
    let title = format!("Which levers matter: {}", lv.scenario);
    let styles = [
        "low end of the plausible range, or false".to_string(),
        "high end of the plausible range, or true".to_string(),
        "another choice".to_string(),
    ];
    tornado_plot(stem, &title, &[panel(false), panel(true)], &styles)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_and_years_read_as_people_write_them() {
        assert_eq!(points(0.32), "+32 points");
        assert_eq!(points(-0.004), "-0.4 points");
        assert_eq!(points(0.0), "0 points");
        assert_eq!(year_text(5.0), "5");
        assert_eq!(year_text(2.5), "2.5");
        assert_eq!(years_change(-1.234), "-1.23 years");
    }
}
