//! Test fixture: R survival's `aml` data (acute myelogenous leukaemia, weeks to relapse), the
//! data set against which the survival statistics here are checked. `event = false` is censored.

use super::survival::Observation;

fn observations(rows: &[(u32, bool)]) -> Vec<Observation> {
    rows.iter().map(|&(t, e)| Observation { time: f64::from(t), event: e }).collect()
}

/// `aml[aml$x == "Maintained", ]`: 11 patients, 7 relapses.
pub fn maintained() -> Vec<Observation> {
    observations(&[
        (9, true),
        (13, true),
        (13, false),
        (18, true),
        (23, true),
        (28, false),
        (31, true),
        (34, true),
        (45, false),
        (48, true),
        (161, false),
    ])
}

/// `aml[aml$x == "Nonmaintained", ]`: 12 patients, 11 relapses.
pub fn nonmaintained() -> Vec<Observation> {
    observations(&[
        (5, true),
        (5, true),
        (8, true),
        (8, true),
        (12, true),
        (16, false),
        (23, true),
        (27, true),
        (30, true),
        (33, true),
        (43, true),
        (45, true),
    ])
}

/// The whole of `aml`: 23 patients, 18 relapses.
pub fn all() -> Vec<Observation> {
    let mut v = maintained();
    v.extend(nonmaintained());
    v
}
