//! The server's work: each question becomes a job that runs the baseline and the variant on
//! common random numbers in stages (200 replicates, then 500, 1,000, ... up to the number
//! asked), publishing a complete estimate after each stage, so that the page has a first
//! answer within about a second and watches it sharpen. Replicates `0..n` are the first n of
//! any longer run, so a stage only adds replicates; the baseline's outcomes are kept per
//! scenario and horizon and shared by the jobs that move a lever of the same baseline.
//!
//! Bounds: a client's new question cancels its previous job (checked between replicates);
//! at most `max_running_jobs` run at once and a question beyond them is refused, not queued;
//! a running job nobody has asked about for `ABANDONED` is cancelled; at most
//! `max_kept_jobs` finished jobs are kept, the oldest dropped first; the baseline store
//! holds at most `CACHED_BASELINES` outcome lists.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::Limits;
use super::answer;
use super::catalog::Catalog;
use super::question::Checked;
use crate::engine::ReplicateOutcome;
use crate::engine::arms::run_arms_crn;

/// The replicates of the first estimate.
pub const FIRST_STAGE: u64 = 200;
/// Where the estimate is published on its way to the number asked.
const STAGES: [u64; 5] = [FIRST_STAGE, 500, 1000, 2000, 5000];
/// A running job whose client has not asked about it for this long is cancelled.
const ABANDONED: Duration = Duration::from_secs(30);
/// Baselines (scenario, horizon) whose outcomes are kept.
const CACHED_BASELINES: usize = 16;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding a lock leaves data that is still whole here (plain fields).
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// How a job stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    Running,
    Done,
    Cancelled,
    Failed(String),
}

/// One question being answered.
pub struct Job {
    pub id: u64,
    client: Option<String>,
    cancel: AtomicBool,
    /// Replicate runs done and to do over all stages and arms (the progress bar).
    done: AtomicU64,
    total: u64,
    status: Mutex<Status>,
}

struct Status {
    phase: Phase,
    /// Stages published so far (0: none yet).
    stage: u32,
    /// The latest estimate, as JSON.
    answer: Option<Arc<String>>,
    last_asked: Instant,
}

impl Job {
    fn running(&self) -> bool {
        lock(&self.status).phase == Phase::Running
    }

    /// `GET /api/jobs/ID`: the phase, the progress and, if the page has not seen it yet
    /// (`seen` is the stage it has), the latest estimate.
    pub fn poll_json(&self, seen: u32) -> String {
        let mut st = lock(&self.status);
        st.last_asked = Instant::now();
        let (phase, error) = match &st.phase {
            Phase::Running => ("running", None),
            Phase::Done => ("done", None),
            Phase::Cancelled => ("cancelled", None),
            Phase::Failed(e) => ("failed", Some(e.clone())),
        };
        let answer = match &st.answer {
            Some(a) if st.stage > seen => a.as_str().to_string(),
            _ => "null".into(),
        };
        format!(
            "{{\"id\":{},\"phase\":\"{phase}\",\"done\":{},\"total\":{},\"stage\":{},\"error\":{},\"answer\":{answer}}}",
            self.id,
            self.done.load(Ordering::Relaxed).min(self.total),
            self.total,
            st.stage,
            serde_json::to_string(&error).expect("a string serializes"),
        )
    }

    fn finish(&self, phase: Phase) {
        lock(&self.status).phase = phase;
    }
}

/// The outcomes of a baseline's replicates `0..n`.
struct Baseline {
    scenario: String,
    horizon_weeks: u32,
    outcomes: Arc<Vec<ReplicateOutcome>>,
}

/// Everything the request handlers share.
pub struct State {
    pub catalog: Catalog,
    pub pool: rayon::ThreadPool,
    pub threads: Option<usize>,
    pub limits: Limits,
    /// `/api/scenarios`, serialized once.
    pub scenarios_json: String,
    jobs: Mutex<VecDeque<Arc<Job>>>,
    baselines: Mutex<VecDeque<Baseline>>,
    next_id: AtomicU64,
    /// A save (a full `compare` with its files) is running.
    pub saving: AtomicBool,
}

impl State {
    pub fn new(catalog: Catalog, pool: rayon::ThreadPool, threads: Option<usize>, limits: Limits) -> State {
        let scenarios_json = catalog.to_json(&limits).to_string();
        State {
            catalog,
            pool,
            threads,
            limits,
            scenarios_json,
            jobs: Mutex::new(VecDeque::new()),
            baselines: Mutex::new(VecDeque::new()),
            next_id: AtomicU64::new(1),
            saving: AtomicBool::new(false),
        }
    }

    pub fn job(&self, id: u64) -> Option<Arc<Job>> {
        lock(&self.jobs).iter().find(|j| j.id == id).cloned()
    }

    /// Stops every job (the server is stopping).
    pub fn cancel_all(&self) {
        for j in lock(&self.jobs).iter() {
            j.cancel.store(true, Ordering::SeqCst);
        }
    }

    /// Takes a checked question: cancels the client's previous job, refuses (with the
    /// reason) if too many jobs run, and starts the new one on its own thread.
    pub fn submit(self: &Arc<Self>, c: Checked, client: Option<String>) -> Result<Arc<Job>, String> {
        let kept = self.kept_baseline(&c).unwrap_or_default();
        let stages = stages(&c, kept.len() as u64);
        let total = stages.iter().map(|s| (s.end - s.start) * s.arms as u64).sum();
        let job = {
            let mut jobs = lock(&self.jobs);
            for j in jobs.iter() {
                let stale = client.is_some() && j.client == client;
                let abandoned = lock(&j.status).last_asked.elapsed() > ABANDONED;
                if (stale || abandoned) && j.running() {
                    j.cancel.store(true, Ordering::SeqCst);
                }
            }
            let running = jobs.iter().filter(|j| j.running() && !j.cancel.load(Ordering::SeqCst)).count();
            if running >= self.limits.max_running_jobs {
                return Err(format!(
                    "the server is already answering {running} questions (its limit); try again when one is done"
                ));
            }
            let job = Arc::new(Job {
                id: self.next_id.fetch_add(1, Ordering::SeqCst),
                client,
                cancel: AtomicBool::new(false),
                done: AtomicU64::new(0),
                total,
                status: Mutex::new(Status {
                    phase: Phase::Running,
                    stage: 0,
                    answer: None,
                    last_asked: Instant::now(),
                }),
            });
            jobs.push_back(Arc::clone(&job));
            while jobs.len() > self.limits.max_kept_jobs + self.limits.max_running_jobs {
                match jobs.iter().position(|j| !j.running()) {
                    Some(i) => drop(jobs.remove(i)),
                    None => break,
                }
            }
            job
        };
        let (state, j) = (Arc::clone(self), Arc::clone(&job));
        let started = std::thread::Builder::new().name(format!("collabsim-job-{}", job.id)).spawn(move || {
            let phase =
                match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| state.work(&j, &c, &stages, &kept))) {
                    Ok(p) => p,
                    Err(_) => Phase::Failed("internal error while computing the answer".into()),
                };
            j.finish(phase);
        });
        if started.is_err() {
            job.finish(Phase::Failed("cannot start a thread for the job".into()));
        }
        Ok(job)
    }

    fn kept_baseline(&self, c: &Checked) -> Option<Arc<Vec<ReplicateOutcome>>> {
        let p = &c.plan.arms[0].scenario.spec.params;
        lock(&self.baselines)
            .iter()
            .find(|b| b.scenario == c.scenario_id && b.horizon_weeks == p.horizon_weeks)
            .map(|b| Arc::clone(&b.outcomes))
    }

    fn keep_baseline(&self, c: &Checked, outcomes: &[ReplicateOutcome]) {
        let horizon_weeks = c.plan.arms[0].scenario.spec.params.horizon_weeks;
        let mut store = lock(&self.baselines);
        let at = store.iter().position(|b| b.scenario == c.scenario_id && b.horizon_weeks == horizon_weeks);
        if let Some(i) = at {
            if store[i].outcomes.len() >= outcomes.len() {
                return;
            }
            store.remove(i);
        }
        store.push_back(Baseline {
            scenario: c.scenario_id.clone(),
            horizon_weeks,
            outcomes: Arc::new(outcomes.to_vec()),
        });
        while store.len() > CACHED_BASELINES {
            store.pop_front();
        }
    }

    /// Runs the stages, publishing an estimate after each.
    fn work(&self, job: &Job, c: &Checked, stages: &[Stage], kept: &[ReplicateOutcome]) -> Phase {
        let arms = &c.plan.arms;
        let seed = arms[0].scenario.spec.run.seed;
        let mut base: Vec<ReplicateOutcome> = kept.to_vec();
        let mut variant: Vec<ReplicateOutcome> = Vec::new();
        let tick = || {
            job.done.fetch_add(1, Ordering::Relaxed);
        };
        for (k, s) in stages.iter().enumerate() {
            if job.cancel.load(Ordering::SeqCst) {
                return Phase::Cancelled;
            }
            let mut params = Vec::with_capacity(2);
            if s.base {
                base.truncate(s.start as usize);
                params.push(arms[0].scenario.spec.params.clone());
            }
            if c.has_variant() {
                params.push(arms[1].scenario.spec.params.clone());
            }
            let report = self.pool.install(|| run_arms_crn(&params, seed, s.start..s.end, Some(&job.cancel), &tick));
            if report.cancelled {
                return Phase::Cancelled;
            }
            if let Some((a, f)) = report.failures.first() {
                let role = if s.base && *a == 0 { "baseline" } else { "variant" };
                return Phase::Failed(format!(
                    "replicate {} of the {role} (seed {}) failed: {}; `{}` re-runs it with a report",
                    f.replicate,
                    f.seed,
                    f.message,
                    c.command()
                ));
            }
            let mut runs = report.outcomes.into_iter();
            if s.base {
                base.extend(runs.next().unwrap_or_default());
                self.keep_baseline(c, &base);
            }
            if c.has_variant() {
                variant.extend(runs.next().unwrap_or_default());
            }
            let n = s.end as usize;
            let v = c.has_variant().then(|| &variant[..n]);
            let json = match answer::build(c, &base[..n], v, k + 1 == stages.len()) {
                Ok(j) => j,
                Err(e) => return Phase::Failed(format!("cannot draw the answer: {e}")),
            };
            let mut st = lock(&job.status);
            st.answer = Some(Arc::new(json));
            st.stage = k as u32 + 1;
        }
        Phase::Done
    }
}

/// The stages of `c`'s job, given `kept` replicates of its baseline already run: each the
/// replicates it adds and how many arms it runs.
fn stages(c: &Checked, kept: u64) -> Vec<Stage> {
    let r = c.replicates;
    let mut ends: Vec<u64> = STAGES.iter().copied().filter(|&s| s < r).collect();
    ends.push(r);
    let mut start = 0;
    ends.into_iter()
        .map(|end| {
            let base = kept < end;
            let arms = usize::from(base) + usize::from(c.has_variant());
            let s = Stage { start, end, arms, base };
            start = end;
            s
        })
        .collect()
}

/// The replicates `start..end` one stage adds, on `arms` arms (`base`: the baseline among
/// them).
#[derive(Clone, Copy, Debug)]
pub struct Stage {
    start: u64,
    end: u64,
    arms: usize,
    base: bool,
}
