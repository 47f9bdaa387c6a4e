//! What resumable, shardable work shares (`sweep`, `calibrate`): a shard's share of the
//! points, the points still to run once recorded ones are kept, and clearing a folder's
//! previous results before starting afresh. The records themselves are
//! `output::records`.

use std::fs;
use std::path::Path;

use anyhow::Context;

use crate::output::records::read_records_index;

/// Shard `k` of `n` (1-based): the points whose index is k - 1 modulo n.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub k: usize,
    pub n: usize,
}

impl Shard {
    /// Whether point `i` is this shard's.
    pub fn owns(&self, i: usize) -> bool {
        i % self.n == self.k - 1
    }
}

impl std::str::FromStr for Shard {
    type Err = anyhow::Error;
    fn from_str(s: &str) -> anyhow::Result<Shard> {
        let bad = || anyhow::anyhow!("--shard {s}: expected K/N with 1 <= K <= N, e.g. --shard 2/3");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (k, n): (usize, usize) = (k.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
        if k == 0 || n == 0 || k > n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }
}

/// Of `n` points, this shard's (all, unsharded) and those of them not yet recorded in `dir`.
pub fn pending(n: usize, shard: Option<Shard>, dir: &Path) -> anyhow::Result<(Vec<usize>, Vec<usize>)> {
    let mine: Vec<usize> = (0..n).filter(|&i| shard.is_none_or(|s| s.owns(i))).collect();
    let done = read_records_index(dir).with_context(|| format!("cannot read {}", dir.display()))?;
    let todo = mine.iter().copied().filter(|i| done.binary_search(i).is_err()).collect();
    Ok((mine, todo))
}

/// Removes the folders `dirs` and the files `files` of `out` (only names the work writes).
pub fn clear(out: &Path, dirs: &[&str], files: &[String]) -> anyhow::Result<()> {
    for d in dirs {
        let p = out.join(d);
        if p.exists() {
            fs::remove_dir_all(&p).with_context(|| format!("cannot clear {}", p.display()))?;
        }
    }
    for f in files {
        let p = out.join(f);
        if p.exists() {
            fs::remove_file(&p).with_context(|| format!("cannot remove {}", p.display()))?;
        }
    }
    Ok(())
}
