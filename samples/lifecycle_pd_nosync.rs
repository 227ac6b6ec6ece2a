// SPDX-License-Identifier: GPL-2.0

//! Test-only: registers a platform driver that has `queue_sync_state()` but
//! no `sync_state()`, to check that `driver_register()` warns about it.
//!
//! The Rust platform abstraction refuses such a driver at build time, so this
//! module fills the C `struct platform_driver` itself, as a C driver would.
//! Its driver matches no device.

use kernel::{
    bindings,
    error::to_result,
    prelude::*,
    types::Opaque, //
};

module! {
    type: NoSyncStateModule,
    name: "lifecycle_pd_nosync",
    authors: ["Rust driver lifecycle lab"],
    description: "Test only: a driver with queue_sync_state() and no sync_state()",
    license: "GPL",
}

/// Never called: the driver core only calls `queue_sync_state()` for a
/// driver that also has `sync_state()`.
extern "C" fn queue_sync_state(_dev: *mut bindings::device) {
    pr_err!("queue_sync_state() called for a driver without sync_state()\n");
}

#[pin_data(PinnedDrop)]
struct NoSyncStateModule {
    #[pin]
    driver: Opaque<bindings::platform_driver>,
}

impl kernel::InPlaceModule for NoSyncStateModule {
    fn init(module: &'static ThisModule) -> impl PinInit<Self, Error> {
        try_pin_init!(Self {
            driver <- Opaque::try_ffi_init(|drv: *mut bindings::platform_driver| {
                // SAFETY: `drv` is valid for writes; all-zero is a valid, empty platform driver.
                unsafe {
                    drv.write(core::mem::zeroed());
                    (*drv).driver.name = c"drvlife_pd_nosync".as_char_ptr();
                    (*drv).driver.queue_sync_state = Some(queue_sync_state);
                }
                // SAFETY: `drv` is pinned in the module and unregistered in `drop`.
                to_result(unsafe {
                    bindings::__platform_driver_register(
                        drv,
                        module.as_ptr(),
                        c"lifecycle_pd_nosync".as_char_ptr(),
                    )
                })
            }),
        })
    }
}

// SAFETY: After registration the driver structure belongs to the driver core, which
// synchronizes its own accesses; the module only unregisters it.
unsafe impl Send for NoSyncStateModule {}

// SAFETY: See `Send`: `&NoSyncStateModule` gives no access to the driver structure.
unsafe impl Sync for NoSyncStateModule {}

#[pinned_drop]
impl PinnedDrop for NoSyncStateModule {
    fn drop(self: Pin<&mut Self>) {
        // SAFETY: The driver was registered in `init`.
        unsafe { bindings::platform_driver_unregister(self.driver.get()) };
    }
}
