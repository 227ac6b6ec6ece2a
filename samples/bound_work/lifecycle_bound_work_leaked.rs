// SPDX-License-Identifier: GPL-2.0

//! Test-only, negative control of `seeds/bound_work.sh`: the sample's work
//! item leaked, so that nothing stops it at unbind.
//!
//! The probe puts the [`BoundWork`] in a box of its own and forgets the
//! box, breaking the safety requirement of `BoundWork::new()`: the unbind
//! no longer stops the work, which goes on reading the resource through
//! `access()` after the resource is freed (KASAN), and counts runs after
//! the unbind. It stops queueing itself 20 runs (0.4 s) after the unbind,
//! so that the control ends.

use core::sync::atomic::{
    AtomicBool,
    Ordering, //
};
use kernel::{
    device::{
        Bound,
        Core,
        Device, //
    },
    platform,
    prelude::*,
    sync::static_lock_class,
    time::{
        delay::fsleep,
        Delta, //
    },
    workqueue::{
        BoundWork,
        BoundWorkItem, //
    },
};

#[macro_use]
mod module;
mod poller;

use poller::{
    Poller,
    StopMark, //
};

/// Runs after the unbind before the leaked work stops queueing itself.
const RUNS_PAST_UNBIND: u64 = 20;
/// Pause between two runs after the unbind: the runs span 0.4 s, well past
/// the end of the unbind (its grace period included), which frees the
/// resource after the work item was to be stopped.
const PAUSE_PAST_UNBIND: Delta = Delta::from_millis(20);

/// The work: one poll, then queued again, until 20 runs past an unbind.
struct Polling(Poller);

/// Set once a leaked work stopped: every leaked work stops then, the next
/// binding's and those of later unbinds too, before the module can go.
static DONE: AtomicBool = AtomicBool::new(false);

impl BoundWorkItem for Polling {
    fn run(work: &BoundWork<'_, Self>, dev: &Device<Bound>) {
        work.data().0.poll_once(dev);
        if DONE.load(Ordering::Relaxed) {
            return;
        }
        match poller::runs_since_stop() {
            None => {
                work.enqueue();
            }
            Some(runs) if runs < RUNS_PAST_UNBIND => {
                fsleep(PAUSE_PAST_UNBIND);
                work.enqueue();
            }
            Some(_) => DONE.store(true, Ordering::Relaxed),
        }
    }
}

/// The platform driver.
struct WorkDriver;

#[vtable]
impl platform::Driver for WorkDriver {
    type IdInfo = ();
    type Data<'bound> = StopMark;

    fn probe<'bound>(
        pdev: &'bound platform::Device<Core<'_>>,
        _info: Option<&'bound Self::IdInfo>,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        let dev: &'bound Device<Bound> = pdev.as_ref();
        let polling = Polling(Poller::new(dev)?);
        let work = KBox::pin_init(
            // SAFETY: None: the box is leaked below, which is the bug under test.
            unsafe { BoundWork::new(dev, polling, c"lifecycle_bound_work", static_lock_class!()) },
            GFP_KERNEL,
        )?;
        work.enqueue();
        core::mem::forget(work);
        Ok(StopMark)
    }
}

bound_work_module!(
    "lifecycle_bound_work_leaked",
    "Test-only: the bound work item leaked past the unbind"
);
