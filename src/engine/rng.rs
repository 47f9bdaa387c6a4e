//! Random streams. Replicate i of master seed m draws from ChaCha8Rng seeded with
//! `replicate_seed(m, i)`, a SplitMix64 mix of both: independent of thread count and of
//! which other replicates run, and the same for every sweep point (common random numbers).

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// SplitMix64's finalizer (Steele, Lea and Flood 2014): a bijective 64-bit mixer.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The seed of replicate `index` under `master`; printed in `runs.csv` so that one
/// replicate can be re-run alone.
pub fn replicate_seed(master: u64, index: u64) -> u64 {
    mix(master ^ mix(index))
}

pub fn replicate_rng(master: u64, index: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(replicate_seed(master, index))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_differ_by_index_and_master() {
        let a: Vec<u64> = (0..1000).map(|i| replicate_seed(1, i)).collect();
        let mut s = a.clone();
        s.sort();
        s.dedup();
        assert_eq!(s.len(), a.len());
        assert_ne!(replicate_seed(1, 0), replicate_seed(2, 0));
        assert_eq!(replicate_seed(7, 3), replicate_seed(7, 3));
    }
}
