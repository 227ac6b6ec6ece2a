//! What the threads of an actor did: operations, the errno histogram per
//! operation, and the failures (an errno not allowed, a value never
//! written), with the time since the run's start.

use crate::errno;
use std::collections::BTreeMap;
use std::time::Duration;

/// Failures kept per actor; the rest are only counted.
const KEPT: usize = 16;

/// One failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// Time since the start of the run.
    pub at: Duration,
    /// The operation, e.g. `write 'beta'`.
    pub op: String,
    /// Its errno (0: it succeeded, but wrongly).
    pub errno: i32,
    /// Why it is one.
    pub why: String,
}

impl Failure {
    /// One line for the report.
    pub fn line(&self) -> String {
        let result = if self.errno == 0 {
            "ok".to_string()
        } else {
            errno::name(self.errno)
        };
        format!(
            "failure at {}.{:06} s: {}: {} ({})",
            self.at.as_secs(),
            self.at.subsec_micros(),
            self.op,
            result,
            self.why
        )
    }
}

/// Counts of one actor (or one of its threads).
#[derive(Clone, Debug, Default)]
pub struct Stats {
    /// Operations done.
    pub ops: u64,
    /// Per operation name, per result (0: success, else the errno).
    pub histogram: BTreeMap<&'static str, BTreeMap<i32, u64>>,
    /// The first failures.
    pub failures: Vec<Failure>,
    /// All failures.
    pub failed: u64,
    /// Operations run with fault injection armed: (the fault was
    /// injected, the operation made fewer allocations than N).
    pub faults: (u64, u64),
    /// Failed operations excused because their fault was injected
    /// (`--fail-nth`).
    pub excused: u64,
}

impl Stats {
    /// Counts one operation's result.
    pub fn count(&mut self, op: &'static str, result: i32) {
        self.ops += 1;
        *self
            .histogram
            .entry(op)
            .or_default()
            .entry(result)
            .or_default() += 1;
    }

    /// Records a failure.
    pub fn fail(&mut self, f: Failure) {
        self.failed += 1;
        if self.failures.len() < KEPT {
            self.failures.push(f);
        }
    }

    /// Settles the failures held back from one operation run with
    /// `--fail-nth`: excused if its fault was injected, else failures.
    pub fn settle(&mut self, held: Vec<Failure>, injected: bool) {
        for f in held {
            if injected {
                self.excused += 1;
            } else {
                self.fail(f);
            }
        }
    }

    /// Operations that succeeded.
    pub fn ok(&self) -> u64 {
        self.histogram.values().filter_map(|h| h.get(&0)).sum()
    }

    /// Adds another thread's counts.
    pub fn merge(&mut self, other: Stats) {
        self.ops += other.ops;
        self.failed += other.failed;
        self.faults.0 += other.faults.0;
        self.faults.1 += other.faults.1;
        self.excused += other.excused;
        for (op, h) in other.histogram {
            let mine = self.histogram.entry(op).or_default();
            for (r, n) in h {
                *mine.entry(r).or_default() += n;
            }
        }
        for f in other.failures {
            if self.failures.len() < KEPT {
                self.failures.push(f);
            }
        }
        self.failures.sort_by_key(|f| f.at);
    }

    /// The histogram, one line per operation: `write: ok 120, EINVAL 3`,
    /// then the fault injection counts if any.
    pub fn histogram_lines(&self) -> Vec<String> {
        let faults = (self.faults != (0, 0)).then(|| {
            let excused = if self.excused > 0 {
                format!(", failures excused (fault injected) {}", self.excused)
            } else {
                String::new()
            };
            format!(
                "faults: injected {}, not reached {}{excused}",
                self.faults.0, self.faults.1
            )
        });
        self.histogram
            .iter()
            .map(|(op, h)| {
                let parts: Vec<String> = h
                    .iter()
                    .map(|(r, n)| {
                        let r = if *r == 0 {
                            "ok".to_string()
                        } else {
                            errno::name(*r)
                        };
                        format!("{r} {n}")
                    })
                    .collect();
                format!("{op}: {}", parts.join(", "))
            })
            .chain(faults)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_counts_merge_and_show_last() {
        let mut a = Stats::default();
        a.count("bind", 0);
        a.faults = (2, 1);
        a.merge(Stats {
            faults: (1, 0),
            ..Default::default()
        });
        assert_eq!(a.faults, (3, 1));
        assert_eq!(
            a.histogram_lines().last().unwrap(),
            "faults: injected 3, not reached 1"
        );
        assert_eq!(Stats::default().histogram_lines(), Vec::<String>::new());
        a.merge(Stats {
            faults: (1, 0),
            excused: 2,
            ..Default::default()
        });
        assert_eq!(
            a.histogram_lines().last().unwrap(),
            "faults: injected 4, not reached 1, failures excused (fault injected) 2"
        );
    }

    #[test]
    fn held_back_failures_are_excused_only_when_the_fault_hit() {
        let f = || Failure {
            at: Duration::ZERO,
            op: "bind".into(),
            errno: libc::ENOMEM,
            why: "errno not allowed".into(),
        };
        let mut s = Stats::default();
        s.settle(vec![f(), f()], true);
        assert_eq!((s.excused, s.failed), (2, 0));
        s.settle(vec![f()], false);
        assert_eq!((s.excused, s.failed), (2, 1));
        assert_eq!(s.failures, [f()]);
    }

    #[test]
    fn counts_and_merges() {
        let mut a = Stats::default();
        a.count("write", 0);
        a.count("write", libc::EINVAL);
        let mut b = Stats::default();
        b.count("write", 0);
        b.count("read", 0);
        b.fail(Failure {
            at: Duration::from_millis(1500),
            op: "read".into(),
            errno: 0,
            why: "x".into(),
        });
        a.merge(b);
        assert_eq!(a.ops, 4);
        assert_eq!(a.ok(), 3);
        assert_eq!(a.failed, 1);
        assert_eq!(a.histogram_lines(), ["read: ok 1", "write: ok 2, EINVAL 1"]);
        assert_eq!(a.failures[0].line(), "failure at 1.500000 s: read: ok (x)");
    }

    #[test]
    fn keeps_only_the_first_failures() {
        let mut s = Stats::default();
        for i in 0..100 {
            s.fail(Failure {
                at: Duration::from_micros(i),
                op: "w".into(),
                errno: libc::ENOMEM,
                why: "not allowed".into(),
            });
        }
        assert_eq!(s.failed, 100);
        assert_eq!(s.failures.len(), KEPT);
        assert_eq!(
            s.failures[0].line(),
            "failure at 0.000000 s: w: ENOMEM (not allowed)"
        );
    }
}
