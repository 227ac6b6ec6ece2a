// SPDX-License-Identifier: GPL-2.0

//! Test-only, shared by the controls that call a callback under the device
//! links lock (`lifecycle_qss_inline`, `lifecycle_genpd_links_lock`): a
//! class interface on the device links' own class, whose `add_dev` the
//! driver core calls from `device_link_add()` with the links lock held.

use core::ffi::c_int;
use kernel::{
    bindings,
    error::to_result,
    prelude::*,
    types::Opaque, //
};

/// A class interface on the device links' class, registered for the
/// module's lifetime.
#[pin_data(PinnedDrop)]
pub(crate) struct LinkClassInterface {
    #[pin]
    intf: Opaque<bindings::class_interface>,
}

impl LinkClassInterface {
    /// Registers `add_dev` for every new device of `class`, the device
    /// links' class.
    pub(crate) fn register(
        class: *const bindings::class,
        add_dev: extern "C" fn(*mut bindings::device) -> c_int,
    ) -> impl PinInit<Self, Error> {
        try_pin_init!(Self {
            intf <- Opaque::try_ffi_init(move |intf: *mut bindings::class_interface| {
                // SAFETY: `intf` is valid for writes; all-zero is a valid, empty interface.
                unsafe {
                    intf.write(core::mem::zeroed());
                    (*intf).class = class;
                    (*intf).add_dev = Some(add_dev);
                }
                // SAFETY: `intf` is pinned and unregistered in `drop` before it goes away;
                // `class` is the device links' class, which lives as long as the kernel.
                to_result(unsafe { bindings::class_interface_register(intf) })
            }),
        })
    }
}

// SAFETY: After registration the interface is only used by the driver core, under the class's
// lock; the module only unregisters it.
unsafe impl Send for LinkClassInterface {}

// SAFETY: See `Send`: `&LinkClassInterface` gives no access to the interface.
unsafe impl Sync for LinkClassInterface {}

#[pinned_drop]
impl PinnedDrop for LinkClassInterface {
    fn drop(self: Pin<&mut Self>) {
        // SAFETY: `intf` was registered in `register()`.
        unsafe { bindings::class_interface_unregister(self.intf.get()) };
    }
}
