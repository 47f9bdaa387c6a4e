//! Pattern-oriented tests: the ten patterns P1-P10 of docs/ODD.md (section 1, each with its
//! source), each checked on many seeded replicates through the library API.
//!
//! Every test names the finding of Zaghoul and Partridge, 'Enabling Policing to Be Better:
//! Lessons from Two Case Studies in Police Collaboration', that it checks, and explains
//! its bounds from the values observed with its fixed seed and the sampling error at its
//! replicate count. Variants that are compared use the same master seed (common random
//! numbers), so replicate i of both variants starts from the same stream.
//! Where Model 2.0 has a behaviour requirement for a pattern (the intervals of
//! calibration/cases.toml and the held-out imposed case, stated at 1,000 replicates), the
//! test states the pattern as that requirement and uses its bounds unchanged.
//! Each test prints what it observed (`cargo test --release --test patterns -- --nocapture`).

use std::ops::RangeInclusive;
use std::path::PathBuf;

use collabsim::analysis::survival::{KaplanMeier, Observation};
use collabsim::engine::{self, BatchResult, Metric, SeriesCatalog, SeriesRecorder};
use collabsim::model::{EndCause, Params};
use rayon::prelude::*;

const WEEKS_PER_YEAR: f64 = 52.0;

/// Replicates per arm of the lever tests (P3, P4, P6): each compares two arms with common
/// random numbers, so the paired SE of a change in S(8y) is at most sqrt(p(1-p)/n) summed over
/// the arms, about 0.02 at 500 (see each test for its margins).
const N_LEVER: u64 = 500;

/// The scenario's parameters with `--set`-style overrides.
fn params(file: &str, overrides: &[&str]) -> Params {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios").join(file);
    let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    collabsim::scenario::load(&path, &overrides)
        .unwrap_or_else(|e| panic!("{file} with {overrides:?} does not load: {e:?}"))
        .spec
        .params
}

fn run(file: &str, overrides: &[&str], seed: u64, replicates: u64) -> BatchResult {
    engine::run_collect(&params(file, overrides), seed, replicates)
}

fn km(res: &BatchResult) -> KaplanMeier {
    let obs: Vec<Observation> =
        res.outcomes.iter().map(|o| Observation { time: o.end_week as f64, event: !o.censored }).collect();
    KaplanMeier::fit(&obs)
}

/// Kaplan-Meier survival at `years`.
fn surv(res: &BatchResult, years: f64) -> f64 {
    km(res).survival_at(years * WEEKS_PER_YEAR)
}

/// Binomial standard error of a proportion.
fn se(p: f64, n: usize) -> f64 {
    (p * (1.0 - p) / n as f64).sqrt()
}

/// The mean over `weeks` of the weekly means (over replicates still running).
fn window(res: &BatchResult, m: Metric, org: Option<usize>, weeks: RangeInclusive<usize>) -> f64 {
    let v: Vec<f64> = weeks
        .clone()
        .map(|w| res.mean(m, org, w).unwrap_or_else(|| panic!("no run alive at week {w} for {m:?}")))
        .collect();
    v.iter().sum::<f64>() / v.len() as f64
}

/// The replicates still running at `week` and the 5% and 95% quantiles of the series across
/// them: the spread behind a mean's standard error (sd about (q95 - q05) / 3.3).
fn spread(res: &BatchResult, m: Metric, org: Option<usize>, week: usize) -> (u64, f64, f64) {
    let s = res.catalog.series.iter().position(|&x| x == (m, org)).expect("series is recorded");
    let c = res.series.cell(week, s);
    (c.n, c.q05.quantile().unwrap_or(f64::NAN), c.q95.quantile().unwrap_or(f64::NAN))
}

/// One replicate's weekly series (row-major week x series of `catalog`), for paired
/// per-replicate statistics that `BatchResult`'s means cannot give.
struct Traces {
    catalog: SeriesCatalog,
    runs: Vec<Vec<f64>>,
}

impl Traces {
    fn collect(p: &Params, seed: u64, replicates: u64) -> Traces {
        let catalog = SeriesCatalog::new(p.org_names.clone());
        let weeks = p.horizon_weeks as usize + 1;
        let runs = (0..replicates)
            .into_par_iter()
            .map(|i| {
                let mut rec = SeriesRecorder::new(&catalog, weeks);
                engine::run_replicate(p, seed, i, &mut rec);
                rec.values
            })
            .collect();
        Traces { catalog, runs }
    }

    fn series(&self, m: Metric, org: Option<usize>) -> usize {
        self.catalog.series.iter().position(|&x| x == (m, org)).expect("series is recorded")
    }

    /// Weeks recorded in replicate `r` (week 0 up to its end).
    fn weeks(&self, r: usize) -> usize {
        self.runs[r].len() / self.catalog.len()
    }

    fn at(&self, r: usize, s: usize, week: usize) -> f64 {
        self.runs[r][week * self.catalog.len() + s]
    }

    /// Mean of series `s` over the given weeks of replicate `r`.
    fn mean_over(&self, r: usize, s: usize, weeks: &[usize]) -> f64 {
        weeks.iter().map(|&w| self.at(r, s, w)).sum::<f64>() / weeks.len() as f64
    }
}

/// Mean and standard error of a sample.
fn mean_se(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let m = x.iter().sum::<f64>() / n;
    let var = x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (n - 1.0);
    (m, (var / n).sqrt())
}

/// One indicator per replicate: 1 if it is still running after `years`, else 0. When the
/// horizon is at least `years` nothing is censored before then, so their mean is the
/// Kaplan-Meier S(years) (checked), and paired indicators give paired differences.
fn alive(res: &BatchResult, years: f64) -> Vec<f64> {
    let t = years * WEEKS_PER_YEAR;
    let a: Vec<f64> =
        res.outcomes.iter().map(|o| if o.censored || o.end_week as f64 > t { 1.0 } else { 0.0 }).collect();
    let s = a.iter().sum::<f64>() / a.len() as f64;
    assert!((s - surv(res, years)).abs() < 1e-9, "S({years}y) needs a horizon of at least {years} years");
    a
}

/// The change of S(years) from arm `a` to arm `b` run with the same master seed (common
/// random numbers), with the standard error of the paired per-replicate difference.
fn paired_change(a: &BatchResult, b: &BatchResult, years: f64) -> (f64, f64) {
    mean_se(&changes(a, b, years))
}

/// Per replicate, alive after `years` in arm `b` minus alive in arm `a` (-1, 0 or 1).
fn changes(a: &BatchResult, b: &BatchResult, years: f64) -> Vec<f64> {
    alive(b, years).iter().zip(alive(a, years)).map(|(x, y)| x - y).collect()
}

/// A lever's effect on 8-year survival: S(8y) at its first and second value, the paired
/// change from the first to the second with its SE, and the per-replicate changes.
struct Lever {
    from: f64,
    to: f64,
    change: f64,
    se: f64,
    per_replicate: Vec<f64>,
}

/// Runs `file` with the `base` overrides and `lever` set to `from`, then to `to`, with the
/// same seed and an 8-year horizon.
fn lever(file: &str, base: &[&str], lever: &str, from: &str, to: &str, seed: u64, n: u64) -> Lever {
    let arm = |v: &str| {
        let set = format!("{lever}={v}");
        let mut o: Vec<&str> = vec!["years=8"];
        o.extend_from_slice(base);
        o.push(&set);
        run(file, &o, seed, n)
    };
    let (a, b) = (arm(from), arm(to));
    let per_replicate = changes(&a, &b, 8.0);
    let (change, se) = mean_se(&per_replicate);
    Lever { from: surv(&a, 8.0), to: surv(&b, 8.0), change, se, per_replicate }
}

// ---------------------------------------------------------------------------------------
// Pattern 1: CS1 and CS2 as specified mostly survive their observed span.
// ---------------------------------------------------------------------------------------

/// Paper: CS1 and CS2 are 'two different UK collaboration arrangements that have been claimed
/// as "successful"'; CS1 began 'In 2010' and was studied 'between February 2018 and May 2019',
/// so it ran at least 8 years. CS2 made its savings 'in 2016/2017' and was studied in
/// 2018-2019: at least 2 years. CS2's three partners kept their own rules and norms ('alignment
/// was not achieved'), where CS1 built one culture.
///
/// Requirement (Model 2.0, 1,000 replicates): CS1 S(8y) in 0.65-0.95 ('claimed as successful'
/// and running after 8 years, but not certain to: its reviews can end it); CS2 S(2y) >= 0.85;
/// CS2 S(8y) in 0.4-0.9 and below CS1's (less surely than CS1).
///
/// Design: both scenarios as specified, 8-year horizon, 1,000 replicates, one seed (common
/// random numbers).
/// Observed: CS1 S(8y) 0.941 (binomial SE 0.0075), CS2 S(2y) 0.957 (SE 0.0064) and S(8y)
/// 0.847 (SE 0.0114), CS1 - CS2 at 8 years +0.094 (paired SE 0.0135).
/// Bounds: those of the requirement, at its replicate count. CS2 is well inside them (S(2y)
/// 17 SE above 0.85, S(8y) 4.6 SE below 0.9 and 7 paired SE below CS1's). CS1's S(8y) is not:
/// it is 0.009, 1.2 SE, below the upper bound 0.95 (the calibrated model sits near the top of
/// its interval: 0.938 with the scenario's own seed), so with another seed this test could
/// fail by chance on that bound (about one seed in 10-20); its lower bound 0.65 is 38 SE away.
/// A model in which CS1 failed within 8 years in more than a third of the runs, or in which
/// CS2 outlasted CS1, fails the test.
#[test]
fn p1_cs1_and_cs2_survive_their_observed_span() {
    let n = 1000;
    let seed = 101;
    let cs1 = run("cs1-merged-it.toml", &["years=8"], seed, n);
    let cs2 = run("cs2-colocated-control.toml", &["years=8"], seed, n);
    let (s1_8, s2_2, s2_8) = (surv(&cs1, 8.0), surv(&cs2, 2.0), surv(&cs2, 8.0));
    let (d, sed) = paired_change(&cs2, &cs1, 8.0);
    eprintln!(
        "p1: CS1 S(8y) = {s1_8:.3} (SE {:.4}); CS2 S(2y) = {s2_2:.3} (SE {:.4}), S(8y) = {s2_8:.3} (SE {:.4}); CS1 - CS2 at 8y {d:.3} (SE {sed:.4}) (n = {n})",
        se(s1_8, n as usize),
        se(s2_2, n as usize),
        se(s2_8, n as usize)
    );
    assert!(
        (0.65..=0.95).contains(&s1_8),
        "CS1 should mostly, not surely, survive its 8 observed years; S(8y) = {s1_8:.3}"
    );
    assert!(s2_2 >= 0.85, "CS2 should survive its first 2 years; S(2y) = {s2_2:.3}");
    assert!((0.4..=0.9).contains(&s2_8), "CS2 S(8y) should be within 0.4-0.9; {s2_8:.3}");
    assert!(s2_8 < s1_8, "CS2 should survive 8 years less surely than CS1: {s2_8:.3} vs {s1_8:.3}");
}

// ---------------------------------------------------------------------------------------
// Pattern 2: without a shared vision (the HR case) the collaboration fails within years.
// ---------------------------------------------------------------------------------------

/// Paper (CS1): the same two forces' HR collaboration 'failed': '...in some of the other areas
/// that we were looking at, HR, because in reality there was no shared vision. (P16)'.
///
/// Requirement (Model 2.0, 1,000 replicates): S(1y) >= 0.7 (the collaboration starts and
/// mostly runs its first year: reviews, not an immediate collapse, end it) and S(4y) <= 0.4
/// (most runs have failed within a few years).
///
/// Design: the HR scenario as specified, 1,000 replicates.
/// Observed: S(1y) 0.827 (binomial SE 0.012), S(4y) 0.012 (SE 0.0034), median 1.83 years.
/// Bounds: those of the requirement: S(1y) is 10 SE above 0.7 and S(4y) 0.39 below 0.4. The
/// CS1 IT unit (same forces, with a vision) mostly survives 8 years (pattern 1), so the test
/// separates the two cases by the vision, not by the forces.
#[test]
fn p2_hr_without_shared_vision_fails_within_a_few_years() {
    let n = 1000;
    let hr = run("hr-no-shared-vision.toml", &[], 201, n);
    let k = km(&hr);
    let s1 = k.survival_at(WEEKS_PER_YEAR);
    let s4 = k.survival_at(4.0 * WEEKS_PER_YEAR);
    let median = k.median().map(|w| w / WEEKS_PER_YEAR);
    eprintln!(
        "p2: HR S(1y) = {s1:.3} (SE {:.4}), S(4y) = {s4:.3} (SE {:.4}), median = {median:?} years (n = {n})",
        se(s1, n as usize),
        se(s4, n as usize)
    );
    assert!(s1 >= 0.7, "HR without vision should mostly run its first year; S(1y) = {s1:.3}");
    assert!(s4 <= 0.4, "HR without vision should mostly fail within 4 years; S(4y) = {s4:.3}");
}

// ---------------------------------------------------------------------------------------
// Pattern 3: leadership turnover shortens survival; a strategy document removes much of it.
// ---------------------------------------------------------------------------------------

/// Paper (CS1): 'What saved me a number of times, particularly as individuals at the top
/// changed, was that the strategy didn't. I still carry around with me the strategy [in 2018]
/// that we wrote back in 2012...it's like a blueprint. (P3)'; and trust 'needed reinforcing,
/// especially with the inevitable change in senior management'. 'A similar approach was
/// implemented and stressed in CS2'.
///
/// Requirement (Model 2.0, 1,000 replicates), in CS1 and in CS2: raising
/// leadership.turnover_per_year from 0.1 to 0.6 a year lowers S(8y) by at least 10 points
/// without the strategy document, and with it by at least 3 points (turnover still costs
/// something) but by less than without (the document removes part of the effect).
///
/// Design: each case with and without the document, turnover 0.1 and 0.6, one seed for all
/// eight arms (common random numbers), 8-year horizon, 500 replicates per arm (`N_LEVER`).
/// Observed S(8y) at turnover 0.1 -> 0.6 (change, paired SE):
/// - CS1 without document 0.782 -> 0.216 (-0.566, 0.024), with it 0.974 -> 0.834 (-0.140,
///   0.017); the document's difference to the change +0.426 (paired SE 0.029);
/// - CS2 without document 0.620 -> 0.050 (-0.570, 0.023), with it 0.956 -> 0.674 (-0.282,
///   0.022); difference +0.288 (SE 0.032).
///
/// Bounds: those of the requirement. The nearest is CS1's 3 points with the document:
/// observed 14 points, 6 paired SE above it; every other margin is 9+ SE. With 500
/// replicates the paired SEs are at most 0.035, so a lever worth the required amount could
/// not pass or fail by sampling alone. (Under the old model the document removed over 98% of
/// the turnover effect in CS1; Model 2.0 lets a new leader's review end a collaboration even
/// with the strategy in force, so the requirement asks only that the document remove part
/// of it: in CS2 it now removes half.)
#[test]
fn p3_turnover_shortens_survival_and_strategy_document_removes_much_of_it() {
    let n = N_LEVER;
    let seed = 301;
    let turnover = "leadership.turnover_per_year";
    for file in ["cs1-merged-it.toml", "cs2-colocated-control.toml"] {
        let without = lever(file, &["collaboration.strategy_document=false"], turnover, "0.1", "0.6", seed, n);
        let with = lever(file, &["collaboration.strategy_document=true"], turnover, "0.1", "0.6", seed, n);
        // The two changes come from the same replicates, so their difference is paired too.
        let gap: Vec<f64> = with.per_replicate.iter().zip(&without.per_replicate).map(|(w, o)| w - o).collect();
        let (g, seg) = mean_se(&gap);
        eprintln!(
            "p3: {file}: turnover 0.1 -> 0.6, S(8y) without document {:.3} -> {:.3} (change {:+.3}, SE {:.4}), with document {:.3} -> {:.3} (change {:+.3}, SE {:.4}); with - without {g:+.3} (SE {seg:.4}) (n = {n})",
            without.from, without.to, without.change, without.se, with.from, with.to, with.change, with.se
        );
        assert!(
            -without.change >= 0.10,
            "{file}: without a strategy document turnover 0.1 -> 0.6 should cost >= 10 points of S(8y); {:+.3}",
            without.change
        );
        assert!(
            -with.change >= 0.03,
            "{file}: with the strategy document turnover 0.1 -> 0.6 should still cost >= 3 points of S(8y); {:+.3}",
            with.change
        );
        assert!(
            -with.change < -without.change,
            "{file}: the strategy document should remove part of the turnover effect: {:+.3} with vs {:+.3} without",
            with.change,
            without.change
        );
    }
}

// ---------------------------------------------------------------------------------------
// Pattern 4: transparency lengthens survival; low transparency makes trust drift down.
// ---------------------------------------------------------------------------------------

/// Paper: 'It appeared that transparency was the foundation of building trust: Absolute
/// transparency on all information ... That helped build trust ... because without trust,
/// nothing works.' and, in CS2, 'if you're not transparent, you might as well pack-in. (I11)'.
///
/// Design: CS1 with collaboration.transparency 0.1 / 0.5 / 0.95, one seed, without the
/// strategy document, so that transparency acts alone on a 10-year horizon (the requirement
/// on CS1 and CS2 as specified is checked by the next test).
/// Observed, 300 replicates: S(10y) 0.007 / 0.147 / 0.470; mean trust 0.551 at week 0 and,
/// at week 104 (runs alive: 174, 226, 264), 0.284 at transparency 0.1, 0.465 at 0.5 and 0.729
/// at 0.95.
/// Bounds: S(10y) rises by at least 0.05 per step (observed steps 0.140 and 0.323; the SEs of
/// the differences at these proportions and n = 300 are 0.021 and 0.035, so they are 4.3 and
/// 7.8 SE above 0.05) and by at least 0.3 from 0.1 to 0.95 (observed 0.463, SE 0.029: 5.6 SE
/// away). Trust at 0.1 falls by at least 0.1 from week 0 to week 104 (observed 0.267 over the
/// runs alive at week 104; their 5-95% range of mean trust is 0.271-0.302, an sd of about
/// 0.01, so the SE of the mean is under 0.001) and ends at least 0.2 below trust at
/// transparency 0.95 (observed 0.445 below).
#[test]
fn p4_transparency_lengthens_survival_and_low_transparency_erodes_trust() {
    let n = 300;
    let seed = 401;
    let levels = ["0.1", "0.5", "0.95"];
    let runs: Vec<BatchResult> = levels
        .iter()
        .map(|t| {
            let t = format!("collaboration.transparency={t}");
            run("cs1-merged-it.toml", &["collaboration.strategy_document=false", &t], seed, n)
        })
        .collect();
    let s: Vec<f64> = runs.iter().map(|r| surv(r, 10.0)).collect();
    let trust0: Vec<f64> = runs.iter().map(|r| r.mean(Metric::Trust, None, 0).unwrap()).collect();
    let trust104: Vec<f64> =
        runs.iter().map(|r| r.mean(Metric::Trust, None, 104).expect("runs alive at week 104")).collect();
    let sp: Vec<_> = runs.iter().map(|r| spread(r, Metric::Trust, None, 104)).collect();
    eprintln!(
        "p4: transparency {levels:?}: S(10y) {s:.3?}; trust week 0 {trust0:.3?}, week 104 {trust104:.3?} (runs alive, 5%, 95%: {sp:.3?})"
    );
    assert!(s[1] - s[0] >= 0.05 && s[2] - s[1] >= 0.05, "survival should rise with transparency: {s:.3?}");
    assert!(s[2] - s[0] >= 0.30, "transparency 0.1 -> 0.95 should add >= 0.3 to S(10y): {s:.3?}");
    assert!(
        trust0[0] - trust104[0] >= 0.10,
        "at transparency 0.1 trust should drift down: {:.3} -> {:.3}",
        trust0[0],
        trust104[0]
    );
    assert!(
        trust104[2] - trust104[0] >= 0.20,
        "trust at week 104 should be much higher at 0.95 than at 0.1: {trust104:.3?}"
    );
}

/// Paper: as above ('transparency was the foundation of building trust'; 'if you're not
/// transparent, you might as well pack-in').
///
/// Requirement (Model 2.0, 1,000 replicates), in CS1 and in CS2 as specified (each with its
/// strategy document): raising collaboration.transparency from 0.2 to 1.0 raises S(8y) by at
/// least 10 points.
///
/// Design: each case at transparency 0.2 and 1.0, one seed (common random numbers), 8-year
/// horizon, 500 replicates per arm (`N_LEVER`).
/// Observed S(8y) at transparency 0.2 -> 1.0: CS1 0.450 -> 0.958 (+0.508, paired SE 0.024),
/// CS2 0.570 -> 0.864 (+0.294, SE 0.026). Bound: the requirement's 10 points; observed 17
/// and 7 paired SE above it.
#[test]
fn p4_transparency_raises_eight_year_survival_in_cs1_and_cs2() {
    let n = N_LEVER;
    for file in ["cs1-merged-it.toml", "cs2-colocated-control.toml"] {
        let t = lever(file, &[], "collaboration.transparency", "0.2", "1.0", 402, n);
        eprintln!(
            "p4: {file}: transparency 0.2 -> 1.0, S(8y) {:.3} -> {:.3} (change {:+.3}, SE {:.4}) (n = {n})",
            t.from, t.to, t.change, t.se
        );
        assert!(t.change >= 0.10, "{file}: transparency 0.2 -> 1.0 should add >= 10 points to S(8y); {:+.3}", t.change);
    }
}

// ---------------------------------------------------------------------------------------
// Pattern 5: a new shared culture shrinks norm distance; kept separate, friction persists.
// ---------------------------------------------------------------------------------------

/// Paper: 'CS1 insisted on creating a new culture separate from both parent organizations
/// ... We created our own culture... , our own identity. (P7, CS1)'.
///
/// Observed, 300 replicates: CS1 norm distance (all) 0.266 at week 0, 0.027 at week 104.
/// Bound: week-104 distance at most a quarter of week 0's. Norm distance is a mean over
/// ~115 staff in each run, so its replicate mean has an SE well below 0.005; the observed
/// ratio 0.10 is far from 0.25.
#[test]
fn p5_new_shared_culture_shrinks_norm_distance() {
    let res = run("cs1-merged-it.toml", &["years=2"], 501, 300);
    let d0 = res.mean(Metric::NormDistance, None, 0).unwrap();
    let d104 = res.mean(Metric::NormDistance, None, 104).unwrap();
    eprintln!("p5: CS1 norm distance week 0 {d0:.4}, week 104 {d104:.4}");
    assert!(d0 > 0.1, "the partners should start with different norms; distance {d0:.4}");
    assert!(d104 <= 0.25 * d0, "under a new shared culture norm distance should shrink: {d0:.4} -> {d104:.4}");
}

/// Paper: 'CS2 decided to maintain their own rules and norms and alignment was not achieved,
/// not even between the two FRS ... Maintaining separate identities, however, created several
/// tensions at multiple levels' ('we daren't sit on their desks because that's their chairs.
/// They've got green dots on the back of the chair.' (I17 (PF))).
///
/// Design: CS2 as specified (culture_policy "keep-separate") against CS2 with
/// collaboration.culture_policy = "new-shared": the same organizations, staff and
/// shared_resources (0.7), and the same seed, so only the culture policy differs. (CS1 is not
/// used as the comparison because its shared_resources is 0.1 and its partners differ.)
/// Friction is measured in years 3 and 4 (weeks 104-208), after the new culture has had
/// time to form.
/// Observed, 300 replicates: friction events per week (all) 0.947 kept separate vs 0.211
/// new-shared (ratio 4.5); norm distance 0.2470 at week 0 and 0.2466 at week 208 kept
/// separate. Bounds: kept separate at least 3 times the new-shared rate and at least 0.5 a
/// week; kept-separate norm distance shrinks by less than 10%. The weekly count is roughly
/// Poisson (5-95% range 0-3, sd about 1), so one week's mean over 300 runs has an SE of
/// about 0.06 and the 105-week window's well under 0.01: negligible against these gaps.
#[test]
fn p5_kept_separate_friction_persists_where_new_culture_does_not() {
    let n = 300;
    let seed = 502;
    let sep = run("cs2-colocated-control.toml", &["years=4"], seed, n);
    let new = run("cs2-colocated-control.toml", &["years=4", "collaboration.culture_policy=\"new-shared\""], seed, n);
    let f_sep = window(&sep, Metric::Friction, None, 104..=208);
    let f_new = window(&new, Metric::Friction, None, 104..=208);
    let d0 = sep.mean(Metric::NormDistance, None, 0).unwrap();
    let d208 = sep.mean(Metric::NormDistance, None, 208).unwrap();
    eprintln!(
        "p5: CS2 friction/week (weeks 104-208) keep-separate {f_sep:.3}, new-shared {f_new:.3}; keep-separate norm distance {d0:.4} -> {d208:.4}"
    );
    assert!(f_sep >= 0.5, "kept separate, friction should persist; {f_sep:.3} events a week");
    assert!(f_sep >= 3.0 * f_new, "friction kept separate ({f_sep:.3}) should far exceed new-shared ({f_new:.3})");
    assert!(d208 >= 0.9 * d0, "kept separate, norms should not converge: {d0:.4} -> {d208:.4}");
}

// ---------------------------------------------------------------------------------------
// Pattern 6: overload peaks around go-live, with a dip in motivation and a rise in leavers;
// doubling the overload shortens survival.
// ---------------------------------------------------------------------------------------

/// Go-lives of CS1 and the windows compared within each replicate: near = the go-live week
/// and the 8 weeks after (motivation responds with a lag of a few weeks); far = 13 weeks
/// starting 26 weeks before and 13 weeks starting 18 weeks after, so that a slow trend in
/// motivation cancels out.
const GO_LIVES: [usize; 2] = [52, 104];

fn go_live_windows() -> (Vec<usize>, Vec<usize>) {
    let mut near = Vec::new();
    let mut far = Vec::new();
    for g in GO_LIVES {
        near.extend(g..=g + 8);
        far.extend(g - 26..=g - 14);
        far.extend(g + 18..=g + 30);
    }
    (near, far)
}

/// Paper: 'Work overload occurred during the collaboration process, but more frequently when
/// systems were near to the "going live" stage ... I'm overworked sometimes. (SA Team
/// Staff—CS1)', and overload has 'strong connections with motivation at an individual level'.
///
/// Design: CS1 as specified (go-lives at weeks 52 and 104, project.overload 1.0), random
/// incidents off (they raise motivation and would add noise); per-replicate mean workload and
/// motivation near each go-live against far from it (see `go_live_windows`), paired within
/// the replicate.
/// Observed, 300 replicates (297 alive at the last week compared): workload far 1.070, near -
/// far +0.184 (paired SE 0.0006); motivation far 0.677, near - far -0.0475 (SE 0.0002).
/// Bounds: workload higher near by at least 0.1 and motivation lower near by at least 0.01,
/// each with the paired difference at least 5 SE from zero (observed t = 329 and -285: the
/// within-run comparison is almost free of noise, so the bounds are set by the size of the
/// effect; a dip under 0.01 in motivation, on a 0-1 scale, would not be a visible dip).
#[test]
fn p6_overload_peaks_at_go_live_and_motivation_dips() {
    let p = params("cs1-merged-it.toml", &["years=3", "incidents.per_year=0"]);
    let tr = Traces::collect(&p, 601, 300);
    let (near, far) = go_live_windows();
    let last = *near.iter().chain(&far).max().unwrap();
    let alive: Vec<usize> = (0..tr.runs.len()).filter(|&r| tr.weeks(r) > last).collect();
    assert!(alive.len() >= 250, "most CS1 runs should be alive at week {last}: {}", alive.len());
    let paired = |m: Metric| {
        let s = tr.series(m, None);
        let d: Vec<f64> = alive.iter().map(|&r| tr.mean_over(r, s, &near) - tr.mean_over(r, s, &far)).collect();
        let lvl: Vec<f64> = alive.iter().map(|&r| tr.mean_over(r, s, &far)).collect();
        (mean_se(&d), mean_se(&lvl).0)
    };
    let ((dw, sew), fw) = paired(Metric::Workload);
    let ((dm, sem), fm) = paired(Metric::Motivation);
    eprintln!(
        "p6: n = {}; workload far {fw:.3}, near - far {dw:.4} (SE {sew:.4}, t {:.1}); motivation far {fm:.3}, near - far {dm:.4} (SE {sem:.4}, t {:.1})",
        alive.len(),
        dw / sew,
        dm / sem
    );
    assert!(dw >= 0.10 && dw >= 5.0 * sew, "workload should peak around go-live: near - far = {dw:.4} (SE {sew:.4})");
    assert!(
        -dm >= 0.01 && -dm >= 5.0 * sem,
        "motivation should dip around go-live: near - far = {dm:.4} (SE {sem:.4})"
    );
}

/// Paper: as above; overload near go-live should also show as staff leaving.
///
/// Design: CS1 with the project load doubled (project.overload = 2, a what-if that makes the
/// effect visible), random incidents off; leavers per week near each
/// go-live (the go-live week and the 12 weeks after) against far from it (13 weeks starting
/// 30 weeks before and 13 weeks starting 18 weeks after), paired within the replicate, 400
/// replicates.
/// Bound: leavers near exceed leavers far by at least 10% (about 0.027 a week) with the
/// paired difference at least 3 SE above zero (the SE is about 0.008, so a 10% rise is just
/// detectable).
/// Observed: 376 runs alive at the last week compared; leavers far 0.270 a week, near - far
/// 0.180 (SE 0.0080): a 67% rise, 22 SE above zero. (Before staff.quit_overload_per_year existed the difference was
/// -0.0020: overload reached leavers only through willingness, too slowly to show.)
#[test]
fn p6_overload_at_go_live_raises_leavers() {
    let p = params("cs1-merged-it.toml", &["years=3", "incidents.per_year=0", "project.overload=2.0"]);
    let tr = Traces::collect(&p, 602, 400);
    let mut near = Vec::new();
    let mut far = Vec::new();
    for g in GO_LIVES {
        near.extend(g..=g + 12);
        far.extend(g - 30..=g - 18);
        far.extend(g + 18..=g + 30);
    }
    let last = *near.iter().chain(&far).max().unwrap();
    let alive: Vec<usize> = (0..tr.runs.len()).filter(|&r| tr.weeks(r) > last).collect();
    let s = tr.series(Metric::Leavers, None);
    let d: Vec<f64> = alive.iter().map(|&r| tr.mean_over(r, s, &near) - tr.mean_over(r, s, &far)).collect();
    let lvl: Vec<f64> = alive.iter().map(|&r| tr.mean_over(r, s, &far)).collect();
    let ((dl, sel), fl) = (mean_se(&d), mean_se(&lvl).0);
    eprintln!("p6: n = {}; leavers/week far {fl:.4}, near - far {dl:.4} (SE {sel:.4})", alive.len());
    assert!(
        dl >= 0.10 * fl && dl >= 3.0 * sel,
        "leavers should rise around go-live: near - far = {dl:.4} (SE {sel:.4})"
    );
}

/// Paper: as above; overload has 'strong connections with motivation at an individual level',
/// and a unit that is overworked fails visibly.
///
/// Requirement (Model 2.0, 1,000 replicates), in CS1 and in CS2 as specified: doubling the
/// project load (project.overload 1 -> 2) lowers S(8y) by at least 5 points.
///
/// Design: each case at overload 1 and 2, one seed (common random numbers), 8-year horizon,
/// 500 replicates per arm (`N_LEVER`).
/// Observed S(8y) at overload 1 -> 2: CS1 0.944 -> 0.768 (-0.176, paired SE 0.022), CS2 0.854
/// -> 0.592 (-0.262, SE 0.027). Bound: the requirement's 5 points; observed 5.7 and 8 paired
/// SE above it.
#[test]
fn p6_doubled_overload_shortens_eight_year_survival_in_cs1_and_cs2() {
    let n = N_LEVER;
    for file in ["cs1-merged-it.toml", "cs2-colocated-control.toml"] {
        let o = lever(file, &[], "project.overload", "1.0", "2.0", 603, n);
        eprintln!(
            "p6: {file}: overload 1 -> 2, S(8y) {:.3} -> {:.3} (change {:+.3}, SE {:.4}) (n = {n})",
            o.from, o.to, o.change, o.se
        );
        assert!(-o.change >= 0.05, "{file}: overload 1 -> 2 should cost >= 5 points of S(8y); {:+.3}", o.change);
    }
}

// ---------------------------------------------------------------------------------------
// Pattern 7: a non-lead partner with little participation disengages and withdraws.
// ---------------------------------------------------------------------------------------

/// Paper: 'Although this strategy [a lead partner] facilitated decision-making ... it did mean
/// that the non-lead partner slowly became less engaged at a strategic level and only fully
/// engaged if something started to go in an unintended direction. One strategy to solve this
/// could involve ensuring the active participation by partners in the decision-making
/// process.'
///
/// Design: CS1 with PF1 the lead, organizations.PF2.participation = 0 and no strategy
/// document (so that enough runs end to see who withdraws); and CS1 as specified
/// (participation 0.5) for the engagement gap alone.
/// Observed, 300 replicates, no participation: engagement PF1 / PF2 0.699 / 0.659 at week 4,
/// 0.704 / 0.529 at week 52, 0.695 / 0.528 at week 104; 225 of 300 runs end in a withdrawal
/// and PF2 is the one that withdraws in 188 of them (83.6%). CS1 as specified: gap PF1 - PF2
/// 0.090 at week 260.
/// Bounds: PF2 below PF1 by at least 0.08 at week 104 (observed 0.167; over the 240 runs
/// alive the 5-95% ranges of engagement are 0.62-0.75 for PF1 and 0.47-0.57 for PF2, sds
/// under 0.04, so each mean's SE is under 0.003 and the gap's under 0.005: 17+ SE), and the
/// gap wider at week 52 than at week 4 ('slowly'; observed 0.175 against 0.040); at least 100
/// runs end in a withdrawal and PF2 is the withdrawing partner in at least 75% of them
/// (observed 83.6%; the binomial SE at p = 0.75, n = 225 is 0.029, so 3.0 SE above: Model
/// 2.0's reviews let the lead leave too, when its own support falls); CS1 as specified, PF2
/// below PF1 by at least 0.05 at week 260 (observed 0.090; over the 289 runs alive the 5-95%
/// ranges are 0.71-0.77 and 0.62-0.68, so each mean's SE is about 0.001).
#[test]
fn p7_non_lead_partner_disengages_and_is_the_one_that_withdraws() {
    let n = 300;
    let res = run(
        "cs1-merged-it.toml",
        &["organizations.PF2.participation=0.0", "collaboration.strategy_document=false"],
        701,
        n,
    );
    let eng = |o: usize, w: usize| res.mean(Metric::Engagement, Some(o), w).expect("runs alive");
    let gap = |w: usize| eng(0, w) - eng(1, w);
    let ended: Vec<_> = res.outcomes.iter().filter(|o| o.end_cause == Some(EndCause::Withdrawal)).collect();
    let by_pf2 = ended.iter().filter(|o| o.end_org == Some(1)).count();
    let share = by_pf2 as f64 / ended.len().max(1) as f64;
    eprintln!(
        "p7: engagement PF1/PF2 week 4 {:.3}/{:.3}, week 52 {:.3}/{:.3}, week 104 {:.3}/{:.3}; withdrawals {}, by PF2 {by_pf2} ({share:.3})",
        eng(0, 4),
        eng(1, 4),
        eng(0, 52),
        eng(1, 52),
        eng(0, 104),
        eng(1, 104),
        ended.len()
    );
    assert!(
        gap(104) >= 0.08,
        "the non-lead PF2 should be less engaged than the lead PF1 at week 104: gap {:.3}",
        gap(104)
    );
    assert!(
        gap(52) > gap(4),
        "the non-lead should disengage over time: gap week 4 {:.3}, week 52 {:.3}",
        gap(4),
        gap(52)
    );
    assert!(ended.len() >= 100, "enough runs should end in withdrawal to tell who withdraws: {}", ended.len());
    assert!(share >= 0.75, "the non-lead PF2 should withdraw most often: {by_pf2} of {}", ended.len());

    let cs1 = run("cs1-merged-it.toml", &["years=5"], 702, n);
    let g260 =
        cs1.mean(Metric::Engagement, Some(0), 260).unwrap() - cs1.mean(Metric::Engagement, Some(1), 260).unwrap();
    let sp104: Vec<_> = (0..2).map(|o| spread(&res, Metric::Engagement, Some(o), 104)).collect();
    let sp260: Vec<_> = (0..2).map(|o| spread(&cs1, Metric::Engagement, Some(o), 260)).collect();
    eprintln!(
        "p7: CS1 as specified, engagement gap PF1 - PF2 at week 260 {g260:.3}; runs alive, 5%, 95% of PF1, PF2 engagement: week 104 (no participation) {sp104:.3?}, week 260 (as specified) {sp260:.3?}"
    );
    assert!(g260 >= 0.05, "in CS1 as specified the non-lead PF2 should be less engaged: gap {g260:.3}");
}

// ---------------------------------------------------------------------------------------
// Pattern 8: CS1 ends with about 115 of 150 posts and 1.4m saved by year 2; CS2 10/50/40.
// ---------------------------------------------------------------------------------------

/// Paper (CS1, I2): '...£1.4 million in the first two years ... we reduced number of staff
/// from about 150 staff to a single entity which is about 115'.
///
/// Design: CS1 as specified, run for its observed 8 years, 400 replicates.
/// Observed: mean active staff at the end 113.1 (posts 115; vacancies from ordinary turnover
/// wait 13 weeks to be filled), mean savings by week 104 1.398m GBP.
/// Bounds: active staff at the end within 90-100% of the 115 posts, i.e. 103.5-115
/// ('about 115'; staff before the merger must be 150); savings by year 2 within 10% of 1.4m
/// (1.26m-1.54m; 'about'). Both are means over 400 runs with a small spread (staff sd about
/// 2, savings sd under 0.05m), so their SEs (about 0.1 staff, 2.5k GBP) are negligible
/// against the bands.
#[test]
fn p8_cs1_ends_with_about_115_posts_and_1_4m_by_year_two() {
    let n = 400;
    let res = run("cs1-merged-it.toml", &["years=8"], 801, n);
    let k = n as f64;
    let staff0 = res.mean(Metric::ActiveStaff, None, 0).unwrap();
    let staff_end = res.outcomes.iter().map(|o| o.active_staff_end as f64).sum::<f64>() / k;
    let y2 = res.outcomes.iter().map(|o| o.savings_y2_gbp).sum::<f64>() / k;
    eprintln!("p8: CS1 staff at week 0 {staff0:.1}, at end {staff_end:.1}; savings by year 2 {y2:.0} GBP");
    assert!((103.5..=115.0).contains(&staff_end), "CS1 should end with about 115 staff; mean {staff_end:.1}");
    assert!((1.26e6..=1.54e6).contains(&y2), "CS1 should save about 1.4m GBP by year 2; mean {y2:.0}");
}

/// Paper (CS2): 'the collaboration calculated efficiency savings of £1 m (10% savings to PF,
/// 50% FRS1, and 40% FRS2) in 2016/2017.'
///
/// Design: CS2 for 4 years (its last go-live is week 182), 300 replicates; shares of the total
/// savings credited to each partner, and the unit's savings in its first full year of
/// operation (week 52 to week 104; savings start at week 26), with
/// savings.delivery_sensitivity = 0 so that the plan is delivered whatever happens (7.12).
/// Observed: shares 0.100 / 0.500 / 0.400 (as specified and with the plan delivered); year-2
/// savings 1,000,000 GBP with the plan delivered, 846,307 GBP as specified. Bounds: each
/// share within 0.02 of 10/50/40 ('roughly'), year-2 savings of the delivered plan within
/// 10% of 1m GBP. The split is set by the scenario's benefit_share and every week's savings
/// are split by it, so the shares check the model's savings accounting (each partner
/// credited its share, nothing lost or counted twice), not a stochastic outcome; so does
/// the delivered plan's 1m. Model 2.0 delivers a started savings item only as far as the
/// unit works (delivery factor 1 - visible failure, 7.12), and CS2's seven go-lives overload
/// it: as specified it realises about 85% of the plan in year 2. That is the model's
/// documented rule, not an accounting error, so the 1m is checked on the plan (the paper's
/// 'calculated' savings), and the realised amount is printed, not bounded.
#[test]
fn p8_cs2_savings_split_10_50_40() {
    let planned = run("cs2-colocated-control.toml", &["years=4", "savings.delivery_sensitivity=0"], 802, 300);
    let as_specified = run("cs2-colocated-control.toml", &["years=4"], 802, 300);
    let year2 = |res: &BatchResult| {
        res.mean(Metric::Savings, None, 104).unwrap() - res.mean(Metric::Savings, None, 52).unwrap()
    };
    let shares = |res: &BatchResult| {
        let mut by_org = [0.0; 3];
        for o in &res.outcomes {
            for (acc, s) in by_org.iter_mut().zip(&o.savings_by_org) {
                *acc += s;
            }
        }
        let total: f64 = by_org.iter().sum();
        by_org.iter().map(|s| s / total).collect::<Vec<f64>>()
    };
    let (sp, ss) = (shares(&planned), shares(&as_specified));
    let (yp, ys) = (year2(&planned), year2(&as_specified));
    eprintln!(
        "p8: CS2 savings shares PF/FRS1/FRS2 {ss:.3?} as specified, {sp:.3?} plan delivered; savings weeks 52-104 {ys:.0} GBP as specified, {yp:.0} GBP plan delivered"
    );
    for (s, want) in ss.iter().zip([0.1, 0.5, 0.4]) {
        assert!((s - want).abs() <= 0.02, "CS2 savings should split about 10/50/40: {ss:.3?}");
    }
    assert!((0.9e6..=1.1e6).contains(&yp), "CS2's plan should deliver about 1m GBP a year; {yp:.0}");
}

// ---------------------------------------------------------------------------------------
// Pattern 9: a collaboration imposed on unwilling partners almost always fails, after years.
// ---------------------------------------------------------------------------------------

/// Paper: 'Examples of recent failed collaboration investments in the UK include FiReControl
/// (£469 m) ...'; and 'if trust is not available at organizational and individual levels,
/// then the collaboration will not occur, or occur as effectively as if it was present.'
/// FiReControl was imposed nationally in 2004 and cancelled in 2010 (National Audit Office
/// 2011): it failed, but after years, not at once.
///
/// Requirement (Model 2.0, 1,000 replicates): at least 80% of runs have ended within the
/// 10-year horizon ('almost always fails'), with a median survival of 3-8 years (a sponsor
/// holds the partners in while its commitment lasts, 7.14; FiReControl ran about six years).
///
/// Design: the FiReControl-like scenario as specified (four unwilling fire services, weak
/// national vision, one-way communication, a sponsor), 10-year horizon, 1,000 replicates.
/// Observed: every run ends (1,000 of 1,000), median 3.87 years, S(3y) 0.969 (binomial SE
/// 0.0055), S(8y) 0.000. Bounds: those of the requirement. The median is at least 3 years
/// exactly when S(3y) > 0.5 (observed 85 SE above) and at most 8 when S(8y) <= 0.5 (observed
/// 0); the ended share is 20 points above 0.8 (the binomial SE at p = 0.8, n = 1,000 is
/// 0.013). (Under the old model the sponsor did not exist and the median was 0.5 years; the
/// old bound S(2y) <= 0.05 contradicts 7.14, under which the sponsor holds the partners in
/// while its commitment is at least 0.5, about 3.7 years in this scenario.)
#[test]
fn p9_imposed_collaboration_almost_always_fails_within_years() {
    let n = 1000;
    let res = run("imposed-national-firecontrol.toml", &["years=10"], 901, n);
    let ended = res.outcomes.iter().filter(|o| !o.censored).count() as f64 / n as f64;
    let k = km(&res);
    let (s3, s8) = (k.survival_at(3.0 * WEEKS_PER_YEAR), k.survival_at(8.0 * WEEKS_PER_YEAR));
    let median = k.median().map(|w| w / WEEKS_PER_YEAR);
    eprintln!(
        "p9: imposed: ended {ended:.3} (SE {:.4}), S(3y) {s3:.3} (SE {:.4}), S(8y) {s8:.3}, median {median:?} years (n = {n})",
        se(ended, n as usize),
        se(s3, n as usize)
    );
    assert!(ended >= 0.80, "an imposed collaboration should almost always fail within 10 years; ended {ended:.3}");
    let median = median.expect("more than half the imposed runs end within the horizon");
    assert!((3.0..=8.0).contains(&median), "an imposed collaboration should fail after 3-8 years; median {median:.2}");
}

// ---------------------------------------------------------------------------------------
// Pattern 10: a major incident raises cooperation for a while.
// ---------------------------------------------------------------------------------------

/// Paper (CS1, P26): 'When something big happens, we [emergency services] put aside our
/// differences and make it work. When we have time to think about collaborating, then people
/// get cold feet, issues of trust and hidden agendas appear.'
///
/// Design: CS1 with random incidents off (incidents.per_year = 0), with and without one
/// scheduled incident at week 156, same seed: replicate i of both arms is identical up to the
/// incident, so the per-replicate difference isolates its effect. 'During' = the weeks the
/// incident is active in the incident arm (8 weeks by default); 'a year later' = weeks 52-64
/// after the incident.
/// Observed, 300 replicates (paired differences incident - none): during, motivation +0.0289
/// (SE 0.0001), trust +0.0118 (SE 0.0001), engagement PF1 +0.0226 (SE 0.0001), PF2 +0.0228
/// (SE 0.0001); a year later +0.0021, +0.0034, +0.0033, +0.0048 (SEs 0.0004-0.0007; 7% to
/// 29% of 'during').
/// Bounds: during, each difference is positive by at least 0.005 and at least 5 paired SEs
/// (observed 100+ SEs); a year later each difference is less than half the 'during' one ('for
/// a while', not for ever; trust, the slowest to fade, is at 29%, with SE 0.0005 against a
/// limit of 0.0059: 5 SE away).
#[test]
fn p10_major_incident_raises_cooperation_for_a_while() {
    let n = 300;
    let seed = 1001;
    let at = 156usize;
    let base = ["years=5", "incidents.per_year=0"];
    let sched = format!("incidents.scheduled_weeks=[{at}]");
    let none = Traces::collect(&params("cs1-merged-it.toml", &base), seed, n);
    let inc = Traces::collect(&params("cs1-merged-it.toml", &[base[0], base[1], &sched]), seed, n);
    let later: Vec<usize> = (at + 52..=at + 64).collect();
    let last = *later.last().unwrap();
    let alive: Vec<usize> = (0..n as usize).filter(|&r| none.weeks(r) > last && inc.weeks(r) > last).collect();
    assert!(alive.len() >= 250, "most CS1 runs should be alive at week {last}: {}", alive.len());
    // The incident arm's active weeks, from its own record; none in the other arm.
    let flag = inc.series(Metric::Incident, None);
    let during: Vec<usize> = (0..=last).filter(|&w| inc.at(alive[0], flag, w) > 0.5).collect();
    assert!(
        !during.is_empty() && during[0] >= at,
        "the scheduled incident should be active from week {at}: {during:?}"
    );
    assert!(alive.iter().all(|&r| (0..=last).all(|w| none.at(r, flag, w) == 0.0)), "no incident without scheduling");

    let series = [
        ("motivation", Metric::Motivation, None),
        ("trust", Metric::Trust, None),
        ("engagement PF1", Metric::Engagement, Some(0)),
        ("engagement PF2", Metric::Engagement, Some(1)),
    ];
    for (name, m, org) in series {
        let s = inc.series(m, org);
        let diff = |weeks: &[usize]| {
            let d: Vec<f64> = alive.iter().map(|&r| inc.mean_over(r, s, weeks) - none.mean_over(r, s, weeks)).collect();
            mean_se(&d)
        };
        let (dd, sed) = diff(&during);
        let (dl, sel) = diff(&later);
        eprintln!("p10: {name}: during {dd:+.4} (SE {sed:.4}), a year later {dl:+.4} (SE {sel:.4})");
        assert!(dd >= 0.005 && dd >= 5.0 * sed, "a major incident should raise {name}: {dd:+.4} (SE {sed:.4})");
        assert!(dl < 0.5 * dd, "the incident's effect on {name} should fade: during {dd:+.4}, a year later {dl:+.4}");
    }
}
