// SPDX-License-Identifier: GPL-2.0

//! A platform driver whose work item belongs to its binding and so may use
//! `Devres::access()` (seed 002: work torn down at unbind).
//!
//! The module registers a platform device and its driver, both named
//! `lifecycle_bound_work`. Each binding creates a resource (a `Devres` of a
//! heap value) and a [`BoundWork`] (patch 0022) in the driver data, which
//! reads the resource with `access()`, the `&Device<Bound>` it is given
//! proving the device bound, and queues itself again every 0.5 ms. The
//! unbind drops the driver data, and with it the work item, which stops the
//! work (`disable_work_sync()`) before the resource is released.
//! Counters: `/sys/kernel/debug/drvlife_bound_work/stats`.
//!
//! Its control, `lifecycle_bound_work_leaked`, leaks the work item instead:
//! its work goes on after the unbind and reads the freed resource.

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

/// The work: one poll, then queued again (until it is stopped).
struct Polling(Poller);

impl BoundWorkItem for Polling {
    fn run(work: &BoundWork<'_, Self>, dev: &Device<Bound>) {
        work.data().0.poll_once(dev);
        work.enqueue();
    }
}

/// The driver data: the work item, then the mark of its stop, dropped in
/// that order at unbind.
#[pin_data]
struct WorkData<'bound> {
    #[pin]
    work: BoundWork<'bound, Polling>,
    _stopped: StopMark,
}

/// The platform driver.
struct WorkDriver;

#[vtable]
impl platform::Driver for WorkDriver {
    type IdInfo = ();
    type Data<'bound> = WorkData<'bound>;

    fn probe<'bound>(
        pdev: &'bound platform::Device<Core<'_>>,
        _info: Option<&'bound Self::IdInfo>,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        let dev: &'bound Device<Bound> = pdev.as_ref();
        pin_init::pin_init_scope(move || {
            let polling = Polling(Poller::new(dev)?);
            Ok(try_pin_init!(WorkData {
                // SAFETY: The work item is part of the driver data, which the driver core drops
                // when the device is unbound; it is never leaked.
                work <- unsafe {
                    BoundWork::new(dev, polling, c"lifecycle_bound_work", static_lock_class!())
                },
                _stopped: StopMark,
            })
            .pin_chain(|data| {
                data.work.enqueue();
                Ok(())
            }))
        })
    }
}

bound_work_module!(
    "lifecycle_bound_work",
    "Sample: a work item owned by the binding, using Devres::access()"
);
