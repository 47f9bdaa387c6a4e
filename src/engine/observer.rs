//! Data collection, kept apart from the model (as in Mesa's DataCollector): an observer
//! looks at the world after each week. `SeriesRecorder` records the catalog's metrics,
//! per organization and for the whole unit ('all').

use crate::model::{Org, World};

pub trait Observer {
    fn observe(&mut self, world: &World);
}

/// The weekly measures written to `timeseries.csv`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    Trust,
    Motivation,
    Willingness,
    Workload,
    Engagement,
    LeaderCommitment,
    ActiveStaff,
    Leavers,
    Friction,
    NormDistance,
    Vision,
    Incident,
    Savings,
}

impl Metric {
    pub fn name(self) -> &'static str {
        match self {
            Metric::Trust => "trust",
            Metric::Motivation => "motivation",
            Metric::Willingness => "willingness",
            Metric::Workload => "workload",
            Metric::Engagement => "engagement",
            Metric::LeaderCommitment => "leader_commitment",
            Metric::ActiveStaff => "active_staff",
            Metric::Leavers => "leavers",
            Metric::Friction => "friction_events",
            Metric::NormDistance => "norm_distance",
            Metric::Vision => "shared_vision",
            Metric::Incident => "incident_active",
            Metric::Savings => "savings_gbp",
        }
    }

    /// Staff means, weighted by head count for 'all'.
    const STAFF_MEANS: [Metric; 4] = [Metric::Trust, Metric::Motivation, Metric::Willingness, Metric::Workload];
    /// Organization-level states (no 'all').
    const ORG_ONLY: [Metric; 2] = [Metric::Engagement, Metric::LeaderCommitment];
    /// Counts, summed for 'all'.
    const COUNTS: [Metric; 3] = [Metric::ActiveStaff, Metric::Leavers, Metric::Friction];
    /// Collaboration-level measures ('all' only).
    const UNIT: [Metric; 4] = [Metric::NormDistance, Metric::Vision, Metric::Incident, Metric::Savings];
}

/// Which (metric, organization) pairs are recorded, in output order; `None` is 'all'.
#[derive(Clone, Debug)]
pub struct SeriesCatalog {
    pub series: Vec<(Metric, Option<usize>)>,
    pub org_names: Vec<String>,
}

impl SeriesCatalog {
    pub fn new(org_names: Vec<String>) -> Self {
        let n = org_names.len();
        let mut series = Vec::new();
        for m in Metric::STAFF_MEANS.iter().chain(&Metric::COUNTS) {
            series.extend((0..n).map(|o| (*m, Some(o))));
            series.push((*m, None));
        }
        for m in Metric::ORG_ONLY {
            series.extend((0..n).map(|o| (m, Some(o))));
        }
        series.extend(Metric::UNIT.iter().map(|m| (*m, None)));
        SeriesCatalog { series, org_names }
    }

    pub fn len(&self) -> usize {
        self.series.len()
    }

    pub fn is_empty(&self) -> bool {
        self.series.is_empty()
    }

    pub fn org_label(&self, org: Option<usize>) -> &str {
        org.map_or("all", |o| &self.org_names[o])
    }

    fn org_value(m: Metric, o: &Org) -> f64 {
        match m {
            Metric::Trust => o.mean_trust,
            Metric::Motivation => o.mean_motivation,
            Metric::Willingness => o.mean_willingness,
            Metric::Workload => o.mean_workload,
            Metric::Engagement => o.engagement,
            Metric::LeaderCommitment => o.leader_commitment,
            Metric::ActiveStaff => o.active_staff as f64,
            Metric::Leavers => o.leavers as f64,
            Metric::Friction => o.friction_events as f64,
            _ => f64::NAN,
        }
    }

    /// The value of one series in the current world.
    pub fn value(&self, s: usize, w: &World) -> f64 {
        let (m, org) = self.series[s];
        match (m, org) {
            (_, Some(o)) => Self::org_value(m, &w.orgs[o]),
            (Metric::NormDistance, None) => w.collab.norm_distance,
            (Metric::Vision, None) => w.collab.vision,
            (Metric::Incident, None) => f64::from(u8::from(w.collab.incident_left > 0)),
            (Metric::Savings, None) => w.collab.savings_gbp,
            (m, None) if Metric::COUNTS.contains(&m) => w.orgs.iter().map(|o| Self::org_value(m, o)).sum(),
            (m, None) => {
                let (mut sum, mut n) = (0.0, 0.0);
                for o in w.orgs.iter().filter(|o| o.active_staff > 0) {
                    sum += o.active_staff as f64 * Self::org_value(m, o);
                    n += o.active_staff as f64;
                }
                if n > 0.0 { sum / n } else { 0.0 }
            }
        }
    }
}

/// Records every catalog series each week, row-major (week, series).
pub struct SeriesRecorder<'a> {
    pub catalog: &'a SeriesCatalog,
    pub values: Vec<f64>,
}

impl<'a> SeriesRecorder<'a> {
    pub fn new(catalog: &'a SeriesCatalog, weeks: usize) -> Self {
        SeriesRecorder { catalog, values: Vec::with_capacity(weeks * catalog.len()) }
    }
    pub fn weeks(&self) -> usize {
        self.values.len() / self.catalog.len().max(1)
    }
}

impl Observer for SeriesRecorder<'_> {
    fn observe(&mut self, w: &World) {
        for s in 0..self.catalog.len() {
            self.values.push(self.catalog.value(s, w));
        }
    }
}
