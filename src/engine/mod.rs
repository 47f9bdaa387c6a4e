//! The engine runs replicates: one ChaCha8 stream per replicate derived from the master
//! seed and the replicate's index, rayon across replicates, results folded in index order
//! so the bytes never depend on the thread count. Observers collect data; the model does not.

pub mod arms;
pub mod observer;
pub mod outcome;
pub mod rng;
pub mod runner;
pub mod timeseries;

pub use observer::{Metric, Observer, SeriesCatalog, SeriesRecorder};
pub use outcome::{ReplicateOutcome, arm_stats, cause_labels};
pub use rng::{replicate_rng, replicate_seed};
pub use runner::{
    BatchConfig, BatchReport, BatchResult, NoObserver, ReplicateFailure, run_batch, run_batch_series, run_batch_sets,
    run_collect, run_replicate,
};
pub use timeseries::TimeseriesAggregator;
