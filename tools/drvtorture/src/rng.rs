//! The engine's random choices: SplitMix64, seeded per thread from the run's
//! seed, so that `--seed` replays every thread's sequence of choices (the
//! interleaving of the threads is the scheduler's and is not replayed).
//!
//! Link: https://prng.di.unimi.it/splitmix64.c

/// A SplitMix64 generator.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator for thread `thread` of actor `actor` of a run seeded
    /// with `seed`: each thread gets its own, fixed by the three.
    pub fn for_thread(seed: u64, actor: usize, thread: usize) -> Self {
        let mut base = Rng(seed);
        let salt = base.next_u64() ^ ((actor as u64) << 32 | thread as u64);
        let mut rng = Rng(salt);
        rng.next_u64();
        rng
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// A seed when none is given: the clock's nanoseconds mixed with the PID.
pub fn fresh_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    Rng(nanos ^ u64::from(std::process::id())).next_u64()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_choices() {
        let mut a = Rng::for_thread(42, 1, 2);
        let mut b = Rng::for_thread(42, 1, 2);
        for _ in 0..100 {
            assert_eq!(a.below(7), b.below(7));
        }
    }

    #[test]
    fn threads_and_seeds_differ() {
        let first = |mut r: Rng| (0..8).map(|_| r.next_u64()).collect::<Vec<_>>();
        let base = first(Rng::for_thread(42, 0, 0));
        assert_ne!(base, first(Rng::for_thread(42, 0, 1)));
        assert_ne!(base, first(Rng::for_thread(42, 1, 0)));
        assert_ne!(base, first(Rng::for_thread(43, 0, 0)));
    }

    #[test]
    fn below_stays_in_range_and_covers_it() {
        let mut r = Rng::for_thread(7, 0, 0);
        let mut seen = [false; 5];
        for _ in 0..1000 {
            let v = r.below(5);
            assert!(v < 5);
            seen[v] = true;
        }
        assert!(seen.iter().all(|s| *s));
    }
}
