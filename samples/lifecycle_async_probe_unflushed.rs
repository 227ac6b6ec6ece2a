// SPDX-License-Identifier: GPL-2.0

//! Test-only, negative control of `seeds/async_probe.sh`: a driver that
//! defers its probing to a work item of its own and does not flush it when
//! the module is unloaded (seed 003's hazard done by hand, outside the
//! driver core's asynchronous probing).
//!
//! Loading the module registers the driver `lifecycle_async_probe` (the
//! devices of `lifecycle_async_devices` match it) with synchronous probing,
//! and queues a delayed work item that rescans the platform bus after
//! `rescan_delay_ms`, "probing later". Nothing cancels it: 7.3's Rust
//! workqueue can neither cancel nor flush a work item, so unloading the
//! module before the delay ends leaves the work item queued, and it runs
//! from freed module memory. The harness must report the oops.

use kernel::{
    bindings,
    device::Core,
    platform,
    prelude::*,
    sync::Arc,
    time::msecs_to_jiffies,
    workqueue::{
        self,
        impl_has_delayed_work,
        new_delayed_work,
        DelayedWork,
        WorkItem, //
    },
};

/// A driver that binds every device it is offered.
struct UnflushedDriver;

#[vtable]
impl platform::Driver for UnflushedDriver {
    type IdInfo = ();
    type Data<'bound> = ();

    fn probe<'bound>(
        pdev: &'bound platform::Device<Core<'_>>,
        _info: Option<&'bound Self::IdInfo>,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        dev_info!(pdev.as_ref(), "unflushed: bound\n");
        Ok(())
    }
}

/// The work item that probes later: a rescan of the platform bus.
#[pin_data]
struct LateProbe {
    #[pin]
    work: DelayedWork<LateProbe>,
}

impl_has_delayed_work! {
    impl HasDelayedWork<Self> for LateProbe { self.work }
}

impl WorkItem for LateProbe {
    type Pointer = Arc<LateProbe>;

    fn run(_this: Arc<LateProbe>) {
        pr_info!("unflushed: rescanning the platform bus\n");
        // SAFETY: `platform_bus_type` is registered at boot and never unregistered.
        let ret = unsafe { bindings::bus_rescan_devices(&raw const bindings::platform_bus_type) };
        pr_info!("unflushed: rescan returned {ret}\n");
    }
}

/// The module: the driver, and the work item it leaves queued.
#[pin_data]
struct UnflushedModule {
    #[pin]
    _driver: kernel::driver::Registration<platform::Adapter<UnflushedDriver>>,
}

impl kernel::InPlaceModule for UnflushedModule {
    fn init(module: &'static ThisModule) -> impl PinInit<Self, Error> {
        pin_init::pin_init_scope(move || {
            let late = Arc::pin_init(
                pin_init!(LateProbe {
                    work <- new_delayed_work!("LateProbe::work"),
                }),
                GFP_KERNEL,
            )?;
            let delay = msecs_to_jiffies(module_parameters::rescan_delay_ms.value());
            // The bug under test: the work item is queued and never cancelled or flushed.
            let _ = workqueue::system_long().enqueue_delayed(late, delay);

            Ok(try_pin_init!(Self {
                _driver <- kernel::driver::Registration::new(c"lifecycle_async_probe", module),
            }))
        })
    }
}

module! {
    type: UnflushedModule,
    name: "lifecycle_async_probe_unflushed",
    authors: ["Rust driver lifecycle lab"],
    description: "Test-only: a probe deferred to a work item not flushed at module exit",
    license: "GPL",
    params: {
        rescan_delay_ms: u32 {
            default: 20000,
            description: "When the work item rescans the bus, after loading",
        },
    },
}
