//! The model's behaviour checks (`collabsim check-model`) as typed results, and their
//! Markdown report (docs/VALIDATION.md by default): how to regenerate it, the binary that
//! wrote it, then one section per group of checks, each requirement with its estimate, 95%
//! interval, the requirement and PASS or FAIL. No date: the same binary and file give the
//! same bytes.

use std::fmt::Write;
use std::path::Path;

use crate::scenario::behaviour::Group;

/// One requirement as evaluated.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The section of the report it appears in (a ladder's end-level artefact rows go to
    /// the threshold artefacts).
    pub section: Group,
    /// What was measured, in words.
    pub what: String,
    /// The estimate and its 95% interval; `None` where undefined.
    pub estimate: Option<f64>,
    pub interval: Option<(f64, f64)>,
    /// The estimate and interval in the statistic's unit.
    pub estimate_text: String,
    pub interval_text: String,
    pub requirement: String,
    pub pass: bool,
}

/// One level of a ladder.
#[derive(Clone, Debug, PartialEq)]
pub struct LadderRow {
    pub level: f64,
    pub value_text: String,
    /// The difference from the previous level with its interval (none at the first).
    pub step_text: String,
}

/// A ladder's table.
#[derive(Clone, Debug, PartialEq)]
pub struct LadderTable {
    pub vary: String,
    pub statistic: String,
    pub rows: Vec<LadderRow>,
}

/// One check: its requirements and, for a ladder, its table.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckResult {
    pub name: String,
    pub group: Group,
    /// The scenario file (its name) and the check's overrides.
    pub scenario: String,
    pub set: Vec<String>,
    pub rows: Vec<Row>,
    pub ladder: Option<LadderTable>,
}

impl CheckResult {
    /// Every requirement passes.
    pub fn pass(&self) -> bool {
        self.rows.iter().all(|r| r.pass)
    }
}

/// Every check of a behaviour file.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidationReport {
    /// The command that regenerates the report.
    pub command: String,
    pub crate_version: String,
    pub git_commit: Option<String>,
    pub replicates: u64,
    /// The file's seed; `None`: each scenario's own.
    pub seed: Option<u64>,
    pub checks: Vec<CheckResult>,
}

impl ValidationReport {
    /// Requirements passed and failed.
    pub fn counts(&self) -> (usize, usize) {
        let rows = self.checks.iter().flat_map(|c| &c.rows);
        let pass = rows.clone().filter(|r| r.pass).count();
        (pass, rows.count() - pass)
    }
}

/// A table cell: no line breaks, pipes escaped.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn verdict(pass: bool) -> &'static str {
    if pass { "PASS" } else { "**FAIL**" }
}

fn scenario_text(c: &CheckResult) -> String {
    if c.set.is_empty() { format!("`{}`", c.scenario) } else { format!("`{}` with `{}`", c.scenario, c.set.join(" ")) }
}

const ROW_HEAD: &str =
    "| check | scenario | measure | estimate | 95% interval | requirement | result |\n|---|---|---|---|---|---|---|\n";

fn row_line(out: &mut String, name: &str, scenario: &str, r: &Row) {
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} | {} |",
        cell(name),
        cell(scenario),
        cell(&r.what),
        cell(&r.estimate_text),
        cell(&r.interval_text),
        cell(&r.requirement),
        verdict(r.pass)
    );
}

/// The report as Markdown.
pub fn render(r: &ValidationReport) -> String {
    let mut o = String::new();
    let (pass, fail) = r.counts();
    let checks_pass = r.checks.iter().filter(|c| c.pass()).count();
    o.push_str("# Model validation: behaviour requirements\n\n");
    let _ = writeln!(
        o,
        "**{pass} of {} requirements pass, {fail} fail** ({checks_pass} of {} checks pass entirely).\n",
        pass + fail,
        r.checks.len()
    );
    o.push_str("Regenerate this file with\n\n```\n");
    let _ = writeln!(o, "{}", r.command);
    o.push_str("```\n\n");
    let _ = writeln!(
        o,
        "Written by collabsim {}{}. Every arm ran {} replicates on {}; replicate i of every arm draws from stream i (common random numbers), so differences between arms are paired. Intervals are 95% normal intervals (estimate +- 1.96 standard errors: Greenwood's for survival, Brookmeyer-Crowley for the median, binomial for shares, paired per replicate for differences of survival). A requirement on an estimate asks the point estimate to lie in its interval; where it says so, the 95% interval must exclude 0 too.\n",
        r.crate_version,
        r.git_commit.as_deref().map_or(String::new(), |c| format!(" (commit {c})")),
        r.replicates,
        r.seed.map_or("each scenario's own seed".to_string(), |s| format!("seed {s}"))
    );
    for (_, g) in crate::scenario::behaviour::Group::ALL {
        let any = r.checks.iter().any(|c| c.rows.iter().any(|x| x.section == g));
        if !any {
            continue;
        }
        let _ = writeln!(o, "## {}\n", g.title());
        if g == Group::Lever {
            for c in r.checks.iter().filter(|c| c.rows.iter().any(|x| x.section == g)) {
                let _ = writeln!(o, "### {} ({})\n", c.name, if c.pass() { "PASS" } else { "FAIL" });
                let _ = writeln!(o, "{}.\n", scenario_text(c));
                if let Some(t) = &c.ladder {
                    let _ = writeln!(
                        o,
                        "| `{}` | {} (95% interval) | difference from the previous level (95% interval) |\n|---|---|---|",
                        t.vary, t.statistic
                    );
                    for l in &t.rows {
                        let _ = writeln!(
                            o,
                            "| {} | {} | {} |",
                            crate::scenario::experiment::toml_number(l.level),
                            cell(&l.value_text),
                            cell(&l.step_text)
                        );
                    }
                    o.push('\n');
                }
                o.push_str("| requirement | estimate | 95% interval | required | result |\n|---|---|---|---|---|\n");
                for x in c.rows.iter().filter(|x| x.section == g) {
                    let _ = writeln!(
                        o,
                        "| {} | {} | {} | {} | {} |",
                        cell(&x.what),
                        cell(&x.estimate_text),
                        cell(&x.interval_text),
                        cell(&x.requirement),
                        verdict(x.pass)
                    );
                }
                o.push('\n');
            }
            continue;
        }
        o.push_str(ROW_HEAD);
        for c in &r.checks {
            for x in c.rows.iter().filter(|x| x.section == g) {
                row_line(&mut o, &c.name, &scenario_text(c), x);
            }
        }
        o.push('\n');
    }
    o
}

/// Writes the report to `path`, whole or not at all.
pub fn write_report(path: &Path, r: &ValidationReport) -> std::io::Result<()> {
    super::write_atomic(path, render(r).as_bytes())
}
