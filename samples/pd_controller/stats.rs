// SPDX-License-Identifier: GPL-2.0

//! Module-wide counters of the controller and the debugfs file that shows
//! them, `/sys/kernel/debug/drvlife_pwrctl-stats/stats`: one `key=value`
//! per line.

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

/// `queue_sync_state()` calls made by the driver core, over all devices.
pub(crate) static QUEUE_CALLS: AtomicU64 = AtomicU64::new(0);
/// `sync_state()` calls made by the driver core, over all devices.
pub(crate) static SYNC_STATE_CALLS: AtomicU64 = AtomicU64::new(0);
/// Partial syncs that found the driver data unbound or dropped: must stay 0.
pub(crate) static CALLS_AFTER_REMOVE: AtomicU64 = AtomicU64::new(0);
/// Partial syncs that found the domains already fully synced: must stay 0.
pub(crate) static CALLS_AFTER_SYNC: AtomicU64 = AtomicU64::new(0);
/// Controllers probed.
pub(crate) static PROBES: AtomicU64 = AtomicU64::new(0);
/// Controllers unbound.
pub(crate) static UNBINDS: AtomicU64 = AtomicU64::new(0);

/// Adds one to `counter`.
pub(crate) fn count(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

fn write_stats(_: &(), f: &mut Formatter<'_>) -> fmt::Result {
    let get = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
    writeln!(f, "probes={}", get(&PROBES))?;
    writeln!(f, "unbinds={}", get(&UNBINDS))?;
    writeln!(f, "queue_sync_state_calls={}", get(&QUEUE_CALLS))?;
    writeln!(f, "sync_state_calls={}", get(&SYNC_STATE_CALLS))?;
    writeln!(f, "calls_after_remove={}", get(&CALLS_AFTER_REMOVE))?;
    writeln!(f, "calls_after_sync={}", get(&CALLS_AFTER_SYNC))
}

/// Creates the `stats` file in `dir`.
pub(crate) fn stats_file(dir: &Dir) -> impl PinInit<File<()>, Error> + '_ {
    dir.read_callback_file(c"stats", Ok::<(), Error>(()), &write_stats)
}
