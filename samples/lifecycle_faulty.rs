// SPDX-License-Identifier: GPL-2.0

//! Deliberately broken module, used only by the harness's negative controls.
//!
//! Loading it with `fault=...` commits one real bug that the kernel's
//! detectors must report, so the harness has to turn an otherwise passing
//! test into a failure:
//!
//! - `fault=1`: use-after-free of a heap object (KASAN report),
//! - `fault=2`: `WARN_ON` (a "WARNING:" splat),
//! - `fault=3`: a Rust panic (an Oops, or a kernel panic with `oops=panic`),
//! - `fault=4`: a memory leak (kmemleak report after a scan),
//! - `fault=5`: never returns from init, asleep uninterruptibly (D state):
//!   no signal ends it, so the test's runner cannot kill its `insmod`,
//! - `fault=6`: asleep in init until a signal arrives (S state): the
//!   runner's kill at the test's timeout ends it, and init fails (EINTR).
//! - `fault=7`: a bare `dump_stack()`, called from Rust, after a line that
//!   says why (a stack dump outside any report),
//! - `fault=8`: registers a second faux device under the name of a first:
//!   the driver core refuses it after sysfs's "cannot create duplicate
//!   filename" stack dump (the C path of the same kind of complaint).
//!
//! It must never be loaded outside the controls.

use kernel::{
    faux,
    new_condvar,
    new_mutex,
    prelude::*,
    sync::{
        CondVar,
        Mutex, //
    },
    time::{
        delay::fsleep,
        Delta, //
    }, //
};
use pin_init::stack_pin_init;

module! {
    type: LifecycleFaulty,
    name: "lifecycle_faulty",
    authors: ["Rust driver lifecycle lab"],
    description: "Negative controls: commits the bug it is told to",
    license: "GPL",
    params: {
        fault: u32 {
            default: 0,
            description: "Bug to commit at load: 0 none, 1 UAF, 2 WARN, 3 panic, 4 leak, \
                5 block in D state, 6 block until a signal, 7 dump_stack(), \
                8 duplicate sysfs name",
        },
    },
}

struct LifecycleFaulty;

/// Reads a heap object after freeing it.
fn use_after_free() {
    let boxed = match KBox::new([0x5au8; 64], GFP_KERNEL) {
        Ok(boxed) => boxed,
        Err(_) => return,
    };
    let raw = KBox::into_raw(boxed);
    // SAFETY: `raw` came from `KBox::into_raw` just above and is converted back
    // exactly once.
    drop(unsafe { KBox::from_raw(raw) });
    // SAFETY: none: this read of freed memory is the bug KASAN must report.
    let stale = unsafe { core::ptr::read_volatile(raw.cast::<u8>().add(8)) };
    pr_info!("read {stale:#x} from freed memory\n");
}

/// Allocates buffers and forgets every reference to them. Several, so that a
/// stale copy of one pointer left in a register cannot hide them all. They
/// are 16 KiB, above the largest slab size: small slab objects are poor leak
/// bait, since the slab allocator's per-CPU caches keep stale pointers to
/// handed-out objects, and kmemleak counts those as references (vmalloc
/// buffers are referenced by their own bookkeeping).
#[inline(never)]
fn leak() {
    for _ in 0..4 {
        if let Ok(buffer) = KVec::<u8>::with_capacity(4 * 4096, GFP_KERNEL) {
            core::mem::forget(buffer);
        }
    }
}

/// Overwrites the stack below the caller, where `leak()`'s frame was:
/// kmemleak scans task stacks, and a stale pointer there would hide a leak.
#[inline(never)]
fn scrub_stack() {
    let mut junk = [0usize; 256];
    for slot in junk.iter_mut() {
        // SAFETY: `slot` is a valid, exclusive reference into a local array.
        unsafe { core::ptr::write_volatile(slot, 0) };
    }
    core::hint::black_box(&junk);
}

/// Sleeps forever, uninterruptibly: what a driver stuck on hardware that
/// never answers looks like.
fn block_uninterruptible() -> ! {
    loop {
        fsleep(Delta::from_secs(1));
    }
}

/// Waits on a condition nobody signals, interruptibly: only a signal ends it.
fn block_interruptible() -> Result {
    stack_pin_init!(let lock: Mutex<()> = new_mutex!(()));
    stack_pin_init!(let wake: CondVar = new_condvar!());
    let mut guard = lock.lock();
    while !wake.wait_interruptible(&mut guard) {}
    Err(EINTR)
}

/// Dumps the stack with nothing else wrong: what a driver's debugging
/// left-over, or a subsystem's complaint without a `WARN`, looks like.
fn bare_stack_dump() {
    pr_info!("dumping the stack on purpose\n");
    // SAFETY: `dump_stack()` only prints; it may be called from any context.
    unsafe { kernel::bindings::dump_stack() };
}

/// Registers two faux devices of one name; the second is refused with
/// `EEXIST`, after sysfs dumped the stack. Both are gone when it returns.
fn duplicate_sysfs_name() {
    const NAME: &CStr = c"drvlife-faulty-twin";
    let Ok(_first) = faux::Registration::new(NAME, None) else {
        return;
    };
    if let Err(e) = faux::Registration::new(NAME, None) {
        pr_info!("second device of the same name refused: {e:?}\n");
    }
}

impl kernel::Module for LifecycleFaulty {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let fault = module_parameters::fault.value();
        pr_info!("committing fault {fault}\n");
        match fault {
            0 => {}
            1 => use_after_free(),
            2 => {
                kernel::warn_on!(fault == 2);
            }
            3 => panic!("lifecycle_faulty: deliberate panic"),
            4 => {
                leak();
                scrub_stack();
            }
            5 => block_uninterruptible(),
            6 => block_interruptible()?,
            7 => bare_stack_dump(),
            8 => duplicate_sysfs_name(),
            _ => return Err(EINVAL),
        }
        Ok(Self)
    }
}
