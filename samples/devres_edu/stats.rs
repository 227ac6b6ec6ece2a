// SPDX-License-Identifier: GPL-2.0

//! The module's counters and the debugfs file that shows them,
//! `/sys/kernel/debug/drvlife-edu/stats`: one `key=value` per line.
//!
//! The counters live as long as the module, so that tests can add them up
//! across bindings: every check is counted as succeeded, refused (the BAR
//! was revoked) or failed (the device answered wrongly, which would be a
//! bug).

use core::{
    fmt::{
        self,
        Formatter, //
    },
    sync::atomic::{
        AtomicU64,
        Ordering, //
    },
};
use kernel::{
    debugfs::{
        Dir,
        File, //
    },
    prelude::*,
};

/// Adds one to `counter`.
pub(crate) fn count(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

fn value(counter: &AtomicU64) -> u64 {
    counter.load(Ordering::Relaxed)
}

/// Outcomes of a kind of liveness check: total = succeeded + refused +
/// failed.
pub(crate) struct CheckCounters {
    total: AtomicU64,
    succeeded: AtomicU64,
    refused: AtomicU64,
    failed: AtomicU64,
}

impl CheckCounters {
    const fn new() -> Self {
        Self {
            total: AtomicU64::new(0),
            succeeded: AtomicU64::new(0),
            refused: AtomicU64::new(0),
            failed: AtomicU64::new(0),
        }
    }

    /// Counts one check: `Some(ok)` if it reached the device, `None` if the
    /// BAR was revoked.
    pub(crate) fn record(&self, outcome: Option<bool>) {
        count(&self.total);
        count(match outcome {
            Some(true) => &self.succeeded,
            Some(false) => &self.failed,
            None => &self.refused,
        });
    }

    /// Writes the counters as `<prefix>_<total_name>=N` and
    /// `<prefix>_succeeded=N` etc.
    fn write(&self, f: &mut Formatter<'_>, prefix: &str, total_name: &str) -> fmt::Result {
        writeln!(f, "{prefix}_{total_name}={}", value(&self.total))?;
        writeln!(f, "{prefix}_succeeded={}", value(&self.succeeded))?;
        writeln!(f, "{prefix}_refused={}", value(&self.refused))?;
        writeln!(f, "{prefix}_failed={}", value(&self.failed))
    }
}

/// The operations of the files' `read()`s.
pub(crate) static READ_OPS: CheckCounters = CheckCounters::new();
/// The ticks of the files' timers (`timer_period_us`), kept apart from the
/// reads because timers tick while tests read those.
pub(crate) static FILE_TIMERS: CheckCounters = CheckCounters::new();
/// The ticks of the auxiliary children's timers (`child_timer_period_us`).
/// A child's timer stops when the child is unbound, before its parent's BAR
/// is revoked: none of its ticks may ever be refused.
pub(crate) static CHILD_TIMERS: CheckCounters = CheckCounters::new();

/// The interrupt path.
///
/// `write()`: attempted = raised + refused (BAR already revoked); raised =
/// acked (the device reported the status clear) + revoked while waiting +
/// timed out. Handler: calls, handled (a status bit was set and
/// acknowledged) and `access()` failures (there must be none: the handler
/// cannot outlive the binding).
pub(crate) struct IrqCounters {
    pub(crate) attempted: AtomicU64,
    pub(crate) raised: AtomicU64,
    pub(crate) refused: AtomicU64,
    pub(crate) acked: AtomicU64,
    pub(crate) revoked_waiting: AtomicU64,
    pub(crate) timed_out: AtomicU64,
    pub(crate) handler_calls: AtomicU64,
    pub(crate) handled: AtomicU64,
    pub(crate) handler_access_failed: AtomicU64,
}

/// The interrupt path's counters.
pub(crate) static IRQ: IrqCounters = IrqCounters {
    attempted: AtomicU64::new(0),
    raised: AtomicU64::new(0),
    refused: AtomicU64::new(0),
    acked: AtomicU64::new(0),
    revoked_waiting: AtomicU64::new(0),
    timed_out: AtomicU64::new(0),
    handler_calls: AtomicU64::new(0),
    handled: AtomicU64::new(0),
    handler_access_failed: AtomicU64::new(0),
};

fn write_stats(_: &(), f: &mut Formatter<'_>) -> fmt::Result {
    READ_OPS.write(f, "read_ops", "attempted")?;
    FILE_TIMERS.write(f, "file_timer", "ticks")?;
    CHILD_TIMERS.write(f, "child_timer", "ticks")?;
    writeln!(f, "irq_attempted={}", value(&IRQ.attempted))?;
    writeln!(f, "irq_raised={}", value(&IRQ.raised))?;
    writeln!(f, "irq_refused={}", value(&IRQ.refused))?;
    writeln!(f, "irq_acked={}", value(&IRQ.acked))?;
    writeln!(f, "irq_revoked_waiting={}", value(&IRQ.revoked_waiting))?;
    writeln!(f, "irq_timed_out={}", value(&IRQ.timed_out))?;
    writeln!(f, "irq_handler_calls={}", value(&IRQ.handler_calls))?;
    writeln!(f, "irq_handled={}", value(&IRQ.handled))?;
    writeln!(
        f,
        "irq_handler_access_failed={}",
        value(&IRQ.handler_access_failed)
    )
}

/// Creates the `stats` file in `dir`.
pub(crate) fn stats_file(dir: &Dir) -> impl PinInit<File<()>, Error> + '_ {
    dir.read_callback_file(c"stats", Ok::<(), Error>(()), &write_stats)
}
