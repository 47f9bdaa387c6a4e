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

    /// SplitMix64 as its authors publish it, a generator (add the golden gamma to the state,
    /// then finalize), written apart from `mix` so that the two can disagree.
    struct SplitMix64(u64);

    impl SplitMix64 {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }
    }

    /// SplitMix64's first output from state `z`: what `mix(z)` must be.
    fn reference(z: u64) -> u64 {
        SplitMix64(z).next()
    }

    #[test]
    fn mix_gives_splitmix64s_published_outputs() {
        // The first outputs of SplitMix64 from state 0 (Vigna's splitmix64.c), also checked
        // with a separate Python implementation.
        let published = [0xe220_a839_7b1d_cdaf, 0x6e78_9e6a_a1b9_65f4, 0x06c4_5d18_8009_454f];
        let mut g = SplitMix64(0);
        assert_eq!([g.next(), g.next(), g.next()], published);
        let gamma = 0x9e37_79b9_7f4a_7c15_u64;
        assert_eq!([mix(0), mix(gamma), mix(gamma.wrapping_mul(2))], published);
        let mut states = SplitMix64(42);
        for _ in 0..10_000 {
            let z = states.next();
            assert_eq!(mix(z), reference(z), "state {z:#x}");
        }
    }

    #[test]
    fn replicate_seed_is_the_documented_mix_of_master_and_index() {
        // `mix(m ^ mix(i))`, computed in Python for these pairs.
        let pinned = [
            ((7, 3), 0xe880_a903_bcff_6547),
            ((0, 0), 0xa706_dd2f_4d19_7e6f),
            ((1, 0), 0x08b4_fda8_c892_b50e),
            ((0xdead_beef, 12_345), 0xd0d0_7aa6_bcb2_cc7e),
            ((u64::MAX, u64::MAX), 0x6309_143e_67a4_7936),
        ];
        for ((m, i), want) in pinned {
            assert_eq!(replicate_seed(m, i), want, "master {m}, index {i}");
        }
        let mut draws = SplitMix64(7);
        for _ in 0..10_000 {
            let (m, i) = (draws.next(), draws.next() >> (draws.next() % 64));
            assert_eq!(replicate_seed(m, i), reference(m ^ reference(i)), "master {m}, index {i}");
        }
    }

    #[test]
    fn seeds_differ_by_index_and_master() {
        let a: Vec<u64> = (0..1000).map(|i| replicate_seed(1, i)).collect();
        let mut s = a.clone();
        s.sort();
        s.dedup();
        assert_eq!(s.len(), a.len());
        assert_ne!(replicate_seed(1, 0), replicate_seed(2, 0));
    }
}
