// SPDX-License-Identifier: GPL-2.0

//! The object each revocable slot holds, and the counters that prove every
//! one is dropped exactly once.
//!
//! A [`Tracked`] owns a heap allocation: once it is dropped, any reader
//! still dereferencing it reads freed memory, which KASAN reports. Its
//! `Drop` also poisons the allocation first, so a reader that is not caught
//! by KASAN still sees a wrong magic value and counts it, and it adds the
//! time the free took to `drop_ns`: the benchmark tells an unbind's own
//! cost from its payloads' frees, which every design pays.

use core::{
    fmt::{
        self,
        Formatter, //
    },
    hint::black_box,
    mem::ManuallyDrop,
    ptr,
    sync::atomic::{
        AtomicU32,
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
    time::{
        delay::udelay,
        Delta,
        Instant,
        Monotonic, //
    },
};

/// The value of a live payload.
const MAGIC: u64 = 0x6261_7463_685f_6f6b;
/// What a dropped payload holds until its memory is reused.
const POISON: u64 = 0xdead_dead_dead_dead;
/// Most volatile reads of the payload in one check (`spin_reads`).
const MAX_SPIN_READS: u32 = 100_000;
/// How often a check says how many reads it has left.
const LEFT_EVERY: u32 = 64;

/// Objects created, dropped, and reader outcomes, over the module's life.
pub(crate) struct Counters {
    pub(crate) created: AtomicU64,
    pub(crate) dropped: AtomicU64,
    pub(crate) read_ok: AtomicU64,
    pub(crate) read_refused: AtomicU64,
    pub(crate) read_bad: AtomicU64,
    /// Nanoseconds spent freeing payloads.
    pub(crate) drop_ns: AtomicU64,
}

/// The fixture's counters, shown in `/sys/kernel/debug/drvlife-batch/stats`.
pub(crate) static COUNTERS: Counters = Counters {
    created: AtomicU64::new(0),
    dropped: AtomicU64::new(0),
    read_ok: AtomicU64::new(0),
    read_refused: AtomicU64::new(0),
    read_bad: AtomicU64::new(0),
    drop_ns: AtomicU64::new(0),
};

/// Adds one to `counter`.
pub(crate) fn count(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

struct Payload {
    magic: u64,
    index: u32,
    /// Reads left in the [`Tracked::check`] under way (0: none), kept
    /// every [`LEFT_EVERY`] reads.
    reads_left: AtomicU32,
}

/// One revocable object's content: a heap payload, counted when created
/// and when dropped.
// INVARIANT: `self.0` is dropped in `Drop::drop()` only, so that it can be timed.
pub(crate) struct Tracked(ManuallyDrop<KBox<Payload>>);

impl Tracked {
    /// A live payload for object `index`.
    pub(crate) fn new(index: u32) -> Result<Self> {
        let payload = KBox::new(
            Payload {
                magic: MAGIC,
                index,
                reads_left: AtomicU32::new(0),
            },
            GFP_KERNEL,
        )?;
        count(&COUNTERS.created);
        Ok(Self(ManuallyDrop::new(payload)))
    }

    /// The object's index, read once (the accessor benchmarks' payload).
    pub(crate) fn index(&self) -> u32 {
        self.0.index
    }

    /// Reads the payload `spin_reads` times without sleeping (a read
    /// section long enough for an unbind to overlap it); `false` if a read
    /// found it dropped.
    pub(crate) fn check(&self) -> bool {
        let magic = ptr::from_ref(&self.0.magic);
        let spins = crate::module_parameters::spin_reads
            .value()
            .clamp(1, MAX_SPIN_READS);
        let mut ok = true;
        for i in 0..spins {
            if i % LEFT_EVERY == 0 {
                self.0.reads_left.store(spins - i, Ordering::Relaxed);
            }
            // SAFETY: `magic` points into the payload, alive while the caller's access to `self`
            // lasts; a volatile read so that every read reaches memory.
            if black_box(unsafe { ptr::read_volatile(magic) }) != MAGIC {
                // A drop poisons the payload just before it frees it: one more read once the
                // free is surely done lets KASAN see what a broken design does, one report and
                // not thousands.
                udelay(Delta::from_micros(100));
                // SAFETY: as above.
                black_box(unsafe { ptr::read_volatile(magic) });
                ok = false;
                break;
            }
        }
        self.0.reads_left.store(0, Ordering::Relaxed);
        ok
    }

    /// Whether a reader is inside [`Tracked::check`] of this payload with
    /// at least half of its reads to go (the negative control waits for
    /// one before it drops the payload, so that reads follow the free).
    #[allow(
        dead_code,
        reason = "only the negative control's build waits for a reader"
    )]
    pub(crate) fn being_checked(&self) -> bool {
        let spins = crate::module_parameters::spin_reads
            .value()
            .clamp(1, MAX_SPIN_READS);
        self.0.reads_left.load(Ordering::Relaxed) > spins / 2
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        // The clock is read before the poison, so that nothing comes between the poison and the
        // free: a reader that sees the poison finds the memory freed right after (the negative
        // control's KASAN report).
        let start = Instant::<Monotonic>::now();
        // SAFETY: `self.0` is a live allocation we own; the write is volatile so that it is not
        // elided before the free.
        unsafe { ptr::write_volatile(&raw mut self.0.magic, POISON) };
        // SAFETY: By the type invariant, `self.0` is dropped here only; `self` is not used after.
        unsafe { ManuallyDrop::drop(&mut self.0) };
        let ns = u64::try_from(start.elapsed().as_nanos()).unwrap_or(0);
        COUNTERS.drop_ns.fetch_add(ns, Ordering::Relaxed);
        count(&COUNTERS.dropped);
    }
}

fn value(counter: &AtomicU64) -> u64 {
    counter.load(Ordering::Relaxed)
}

fn write_stats(_: &(), f: &mut Formatter<'_>) -> fmt::Result {
    writeln!(f, "created={}", value(&COUNTERS.created))?;
    writeln!(f, "dropped={}", value(&COUNTERS.dropped))?;
    writeln!(f, "read_ok={}", value(&COUNTERS.read_ok))?;
    writeln!(f, "read_refused={}", value(&COUNTERS.read_refused))?;
    writeln!(f, "read_bad={}", value(&COUNTERS.read_bad))?;
    writeln!(f, "drop_ns={}", value(&COUNTERS.drop_ns))
}

/// Creates the `stats` file in `dir`.
pub(crate) fn stats_file(dir: &Dir) -> impl PinInit<File<()>, Error> + '_ {
    dir.read_callback_file(c"stats", Ok::<(), Error>(()), &write_stats)
}
