// SPDX-License-Identifier: GPL-2.0

//! A platform driver probed asynchronously, with a slow probe.
//!
//! The driver asks the driver core for asynchronous probing
//! ([`driver::ProbeType::PreferAsynchronous`], patch 0021 of the series):
//! loading the module registers the driver and returns at once, while each
//! matching device (platform devices named `lifecycle_async_probe`, any id)
//! is probed from the async workqueue. The probe sleeps `probe_ms` milliseconds, as a driver waiting
//! for firmware or for its hardware would.
//!
//! What the driver core guarantees, and the lab checks
//! (`seeds/async_probe.sh`, seed 003): a probe in flight holds the device
//! lock, so an unbind waits for it; unregistering the driver waits for every
//! asynchronous probe scheduled so far; so no probe runs, and no device is
//! left bound, once the unbind, the device's removal or the module's
//! unloading has returned.

use kernel::{
    device::Core,
    driver,
    platform,
    prelude::*,
    sync::aref::ARef,
    time::{
        delay::fsleep,
        Delta, //
    }, //
};

/// The longest probe `probe_ms` may ask for.
const MAX_PROBE_MS: u32 = 10_000;

/// The driver data: it only says when the device is unbound.
struct AsyncData {
    pdev: ARef<platform::Device>,
}

impl Drop for AsyncData {
    fn drop(&mut self) {
        dev_info!(self.pdev.as_ref(), "async: unbound\n");
    }
}

/// A platform driver with a slow probe, probed asynchronously.
struct AsyncDriver;

#[vtable]
impl platform::Driver for AsyncDriver {
    type IdInfo = ();
    type Data<'bound> = AsyncData;

    const PROBE_TYPE: driver::ProbeType = driver::ProbeType::PreferAsynchronous;

    fn probe<'bound>(
        pdev: &'bound platform::Device<Core<'_>>,
        _info: Option<&'bound Self::IdInfo>,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        let ms = module_parameters::probe_ms.value().min(MAX_PROBE_MS);
        dev_info!(pdev.as_ref(), "async: probing ({ms} ms)\n");
        fsleep(Delta::from_millis(ms.into()));
        dev_info!(pdev.as_ref(), "async: bound\n");
        Ok(AsyncData { pdev: pdev.into() })
    }
}

kernel::module_platform_driver! {
    type: AsyncDriver,
    name: "lifecycle_async_probe",
    authors: ["Rust driver lifecycle lab"],
    description: "Sample: a platform driver probed asynchronously, with a slow probe",
    license: "GPL",
    params: {
        probe_ms: u32 {
            default: 200,
            description: "How long each probe sleeps, in milliseconds (at most 10000)",
        },
    },
}
