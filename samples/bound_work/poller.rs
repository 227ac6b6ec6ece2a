// SPDX-License-Identifier: GPL-2.0

//! What the work item does: it reads a device resource through
//! `Devres::access()`, counts, and pauses; its crate root queues it again.

use core::sync::atomic::{
    AtomicU64,
    Ordering, //
};
use kernel::{
    debugfs::{
        Dir,
        File, //
    },
    device::{
        Bound,
        Device, //
    },
    devres::Devres,
    prelude::*,
    time::{
        delay::fsleep,
        Delta, //
    },
};

/// What a live reading holds.
const MAGIC: u64 = 0x626f_756e_645f_776b;
/// Pause between two runs of the work.
const PERIOD_US: i64 = 500;

/// The device resource the work reads: a heap value, freed when the device
/// is unbound, so that a read after that is a use-after-free KASAN reports.
pub(crate) struct Reading {
    magic: u64,
}

/// Runs of the work, reads that found no valid value, and the runs counted
/// when the last binding's work was stopped.
static RUNS: AtomicU64 = AtomicU64::new(0);
static ACCESS_FAILED: AtomicU64 = AtomicU64::new(0);
static BAD: AtomicU64 = AtomicU64::new(0);
static RUNS_AT_STOP: AtomicU64 = AtomicU64::new(0);
static BINDINGS: AtomicU64 = AtomicU64::new(0);

/// The work's data: the resource it reads.
pub(crate) struct Poller {
    reading: Devres<KBox<Reading>>,
}

impl Poller {
    /// A poller of a new resource of `dev`'s binding.
    pub(crate) fn new(dev: &Device<Bound>) -> Result<Self> {
        let reading = KBox::new(Reading { magic: MAGIC }, GFP_KERNEL)?;
        BINDINGS.fetch_add(1, Ordering::Relaxed);
        Ok(Self {
            reading: Devres::new(dev, reading)?,
        })
    }
}

impl Poller {
    /// One run of the work: reads the resource through `access()`, which
    /// `dev` allows, counts it and pauses.
    pub(crate) fn poll_once(&self, dev: &Device<Bound>) {
        match self.reading.access(dev) {
            Ok(reading) => {
                // SAFETY: `reading.magic` is a valid `u64` while `dev` is bound; a volatile
                // read, so that every run reaches the memory.
                let magic = unsafe { core::ptr::read_volatile(&reading.magic) };
                if magic != MAGIC {
                    BAD.fetch_add(1, Ordering::Relaxed);
                }
            }
            Err(_) => {
                ACCESS_FAILED.fetch_add(1, Ordering::Relaxed);
            }
        }
        RUNS.fetch_add(1, Ordering::Relaxed);
        fsleep(Delta::from_micros(PERIOD_US));
    }
}

/// Runs since the last binding's work item was stopped, if one was.
#[allow(dead_code, reason = "only the control's build asks")]
pub(crate) fn runs_since_stop() -> Option<u64> {
    match RUNS_AT_STOP.load(Ordering::Relaxed) {
        0 => None,
        at => Some(RUNS.load(Ordering::Relaxed).saturating_sub(at)),
    }
}

/// Dropped right after the binding's work item: records how many runs
/// there were when it stopped.
pub(crate) struct StopMark;

impl Drop for StopMark {
    fn drop(&mut self) {
        RUNS_AT_STOP.store(RUNS.load(Ordering::Relaxed), Ordering::Relaxed);
    }
}

fn write_stats(_: &(), f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
    let get = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
    writeln!(f, "bindings={}", get(&BINDINGS))?;
    writeln!(f, "runs={}", get(&RUNS))?;
    writeln!(f, "runs_at_stop={}", get(&RUNS_AT_STOP))?;
    writeln!(f, "access_failed={}", get(&ACCESS_FAILED))?;
    writeln!(f, "bad={}", get(&BAD))
}

/// Creates the counters' file, `stats`, in `dir`.
pub(crate) fn stats_file(dir: &Dir) -> impl PinInit<File<()>, Error> + '_ {
    dir.read_callback_file(c"stats", Ok::<(), Error>(()), &write_stats)
}
