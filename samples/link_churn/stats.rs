// SPDX-License-Identifier: GPL-2.0

//! Module-wide counters of the churn and of the supplier's callbacks, and
//! the debugfs file that shows them,
//! `/sys/kernel/debug/<module>/stats`: one `key=value` per line.

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

/// Consumer devices registered by the churn.
pub(crate) static REGISTERED: AtomicU64 = AtomicU64::new(0);
/// Managed links added from those consumers to the supplier.
pub(crate) static LINKED: AtomicU64 = AtomicU64::new(0);
/// Consumer devices unregistered by the churn.
pub(crate) static REMOVED: AtomicU64 = AtomicU64::new(0);
/// `queue_sync_state()` calls made by the driver core.
pub(crate) static QUEUE_CALLS: AtomicU64 = AtomicU64::new(0);
/// Consumers visited by those calls' walks.
pub(crate) static VISITED: AtomicU64 = AtomicU64::new(0);
/// Walks that did not visit the anchor, which is linked before the supplier
/// binds and unlinked after its driver is gone: must stay 0.
pub(crate) static MISSED_ANCHOR: AtomicU64 = AtomicU64::new(0);
/// Consumers visited that are not ours: must stay 0.
pub(crate) static FOREIGN: AtomicU64 = AtomicU64::new(0);
/// Consumers visited as bound, though no driver can bind them: must stay 0.
pub(crate) static BOUND: AtomicU64 = AtomicU64::new(0);
/// `sync_state()` calls: must stay 0 while the anchor, which never probes,
/// is linked.
pub(crate) static SYNC_STATE_CALLS: AtomicU64 = AtomicU64::new(0);

/// Adds `n` to `counter`.
pub(crate) fn add(counter: &AtomicU64, n: u64) {
    counter.fetch_add(n, Ordering::Relaxed);
}

fn write_stats(_: &(), f: &mut Formatter<'_>) -> fmt::Result {
    let get = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
    writeln!(f, "registered={}", get(&REGISTERED))?;
    writeln!(f, "linked={}", get(&LINKED))?;
    writeln!(f, "removed={}", get(&REMOVED))?;
    writeln!(f, "queue_sync_state_calls={}", get(&QUEUE_CALLS))?;
    writeln!(f, "visited={}", get(&VISITED))?;
    writeln!(f, "missed_anchor={}", get(&MISSED_ANCHOR))?;
    writeln!(f, "foreign={}", get(&FOREIGN))?;
    writeln!(f, "bound={}", get(&BOUND))?;
    writeln!(f, "sync_state_calls={}", get(&SYNC_STATE_CALLS))
}

/// Creates the `stats` file in `dir`.
pub(crate) fn stats_file(dir: &Dir) -> impl PinInit<File<()>, Error> + '_ {
    dir.read_callback_file(c"stats", Ok::<(), Error>(()), &write_stats)
}
