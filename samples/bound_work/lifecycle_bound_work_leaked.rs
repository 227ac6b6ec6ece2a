// SPDX-License-Identifier: GPL-2.0

//! Test-only, negative control of `seeds/bound_work.sh`: the sample's work
//! item leaked, so that nothing stops it at unbind.
//!
//! The probe puts the [`BoundWork`] in a box of its own and forgets the
//! box, breaking the safety requirement of `BoundWork::new()`: the unbind
//! no longer stops the work, which goes on reading the resource through
//! `access()` after the resource is freed (KASAN), and counts runs after
//! the unbind. It stops queueing itself 10 runs after the unbind, so that
//! the control ends.

use kernel::{
    device::{
        Bound,
        Core,
        Device, //
    },
    platform,
    prelude::*,
    sync::static_lock_class,
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
const RUNS_PAST_UNBIND: u64 = 10;

/// The work: one poll, then queued again, until 10 runs past an unbind.
struct Polling(Poller);

impl BoundWorkItem for Polling {
    fn run(work: &BoundWork<'_, Self>, dev: &Device<Bound>) {
        work.data().0.poll_once(dev);
        if poller::runs_since_stop().is_none_or(|runs| runs < RUNS_PAST_UNBIND) {
            work.enqueue();
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
