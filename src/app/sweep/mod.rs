//! `sweep`: an experiment's design points (`plan`), each point's replicates run on the same
//! seeds (common random numbers) and recorded as soon as it finishes (`run`), then the
//! final files built from the records alone (`finalize`), so that a resumed sweep and a
//! merge of shards write the same bytes as one uninterrupted sweep.

mod finalize;
mod plan;
mod run;

pub use finalize::{finalize, finish_folder};
pub use plan::plan;
pub use run::{Shard, SweepOutcome, SweepRequest, read_plan, run_point, sweep, write_plan_file};
