//! The run's KTAP: per actor its operations, rate and errno histogram as
//! diagnostics and one result (no failure, and at least one operation
//! succeeded), then one result per invariant. A `drvtorture-stat:` line per
//! actor carries the figures for scripts (bench.sh).

use crate::invariant::Verdict;
use crate::resolve::Plan;
use crate::splat::Report;
use crate::stats::Stats;
use std::time::Duration;

/// The figures of one actor, as a `drvtorture-stat:` line.
pub fn stat_line(name: &str, kind: &str, threads: usize, s: &Stats, elapsed: Duration) -> String {
    let secs = elapsed.as_secs_f64();
    let rate = if secs > 0.0 { s.ops as f64 / secs } else { 0.0 };
    format!(
        "drvtorture-stat: actor={name} kind={kind} threads={threads} ops={} ok={} failed={} ms={} ops_per_s={rate:.1}",
        s.ops,
        s.ok(),
        s.failed,
        elapsed.as_millis()
    )
}

/// What a run was: its plan, threads per actor, seed, length, and, with
/// `--stop-on-splat`, the kernel report that stopped it, if any.
pub struct Run<'a> {
    /// The target.
    pub plan: &'a Plan,
    /// Threads per actor, in the plan's order.
    pub threads: &'a [usize],
    /// The seed.
    pub seed: u64,
    /// From the start to the last thread's end.
    pub elapsed: Duration,
    /// `None`: the kernel log was not watched; `Some(None)`: no report.
    pub splat: Option<Option<Report>>,
}

/// Prints the KTAP document; true when every result passed.
pub fn print(run: &Run, stats: &[Stats], verdicts: &[Verdict]) -> bool {
    let Run {
        plan,
        threads,
        seed,
        elapsed,
        ..
    } = *run;
    println!("TAP version 13");
    println!(
        "1..{}",
        plan.actors.len() + verdicts.len() + usize::from(run.splat.is_some())
    );
    println!(
        "# drvtorture: target {}, seed {seed} (replay: --seed {seed}), {:.2} s",
        plan.name,
        elapsed.as_secs_f64()
    );
    let mut n = 0;
    let mut failed = 0;
    let mut result = |ok: bool, what: &str| {
        n += 1;
        if !ok {
            failed += 1;
        }
        println!("{}ok {n} {what}", if ok { "" } else { "not " });
    };
    for ((actor, s), t) in plan.actors.iter().zip(stats).zip(threads) {
        let secs = elapsed.as_secs_f64().max(1e-9);
        println!(
            "# actor {} ({}, {t} threads): {} ops, {:.1} ops/s, {} failures",
            actor.name,
            actor.kind.name(),
            s.ops,
            s.ops as f64 / secs,
            s.failed
        );
        for line in s.histogram_lines() {
            println!("#   {line}");
        }
        for f in &s.failures {
            println!("#   {}", f.line());
        }
        if s.failed as usize > s.failures.len() {
            println!(
                "#   ... and {} more failures",
                s.failed as usize - s.failures.len()
            );
        }
        println!(
            "# {}",
            stat_line(&actor.name, actor.kind.name(), *t, s, elapsed)
        );
        let ok = s.failed == 0 && s.ok() > 0;
        result(
            ok,
            &format!(
                "{}: {} ops, {} failed{}",
                actor.name,
                s.ops,
                s.failed,
                if s.ok() == 0 { ", none succeeded" } else { "" }
            ),
        );
    }
    for v in verdicts {
        if !v.ok {
            println!("# {}: {}", v.what, v.detail);
        } else if !v.detail.is_empty() {
            println!("# {}", v.detail);
        }
        result(v.ok, &format!("invariant: {}", v.what));
    }
    if let Some(splat) = &run.splat {
        if let Some(r) = splat {
            println!(
                "# kernel report at {}.{:03} s, run stopped: {}",
                r.at.as_secs(),
                r.at.subsec_millis(),
                r.line
            );
            println!("# drvtorture-splat: ms={}", r.at.as_millis());
        }
        result(splat.is_none(), "no kernel report during the run");
    }
    println!(
        "# Totals: pass:{} fail:{failed} xfail:0 xpass:0 skip:0 error:0",
        n - failed
    );
    failed == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_line_has_the_figures() {
        let mut s = Stats::default();
        for _ in 0..10 {
            s.count("write", 0);
        }
        s.count("write", libc::EINVAL);
        let line = stat_line("w", "override-write", 2, &s, Duration::from_millis(500));
        assert_eq!(
            line,
            "drvtorture-stat: actor=w kind=override-write threads=2 ops=11 ok=10 failed=0 ms=500 ops_per_s=22.0"
        );
    }
}
