// SPDX-License-Identifier: GPL-2.0

//! Test-only negative control for the genpd suite: genpd's per-domain
//! release, `of_genpd_queue_sync_state()`, called the way the abandoned
//! design of the callback called it (upstream v2, reviewed in seed 000):
//! with the global device links lock held, not the provider's device lock.
//!
//! The driver core no longer makes that call, so this module recreates the
//! context, as `lifecycle_qss_inline` does (with the same
//! `lifecycle_link_class_interface.rs`): a class interface on the device
//! links' own class is called from `device_link_add()` while it holds the
//! links lock, and from there the module calls
//! `of_genpd_queue_sync_state()` for the new link's supplier. genpd then
//! takes `gpd_list_lock` under the links lock, while removing a provider
//! takes the links lock (`device_del()` of each domain's device) under
//! `gpd_list_lock`: lockdep must report the circular dependency when the
//! controller is unbound. Loaded only by `controls/device_links_lock_genpd.sh`.

use core::ffi::c_int;
use kernel::{
    bindings,
    device::Device,
    faux,
    prelude::*, //
};

#[path = "lifecycle_link_class_interface.rs"]
mod link_class;

use link_class::LinkClassInterface;

module! {
    type: GenpdLinksLock,
    name: "lifecycle_genpd_links_lock",
    authors: ["Rust driver lifecycle lab"],
    description: "Test-only: genpd's queue_sync_state() called under the device links lock (control)",
    license: "GPL",
}

/// `DL_FLAG_STATELESS`, `BIT(0)` in `include/linux/device.h` (bindgen does
/// not expand `BIT()`).
const DL_FLAG_STATELESS: u32 = 1 << 0;

/// Called for every new device of the device links' class, i.e. from
/// `device_link_add()` with the device links lock held.
extern "C" fn link_added(link_dev: *mut bindings::device) -> c_int {
    // SAFETY: Devices of the device links' class are the `link_dev` of a
    // `struct device_link`, which the driver core keeps while it adds them.
    let link = unsafe { kernel::container_of!(link_dev, bindings::device_link, link_dev) };
    // SAFETY: `link` is valid (above); its supplier is a registered device
    // while the link exists.
    let supplier = unsafe { (*link).supplier };
    // SAFETY: `supplier` is a valid device (above).
    if unsafe { (*supplier).of_node.is_null() } {
        return 0;
    }
    pr_info!("calling of_genpd_queue_sync_state() under the device links lock\n");
    // SAFETY: `supplier` is a valid device. Calling genpd's callback here,
    // without the supplier's device lock and with the links lock held, is
    // the abandoned design under test.
    unsafe { bindings::of_genpd_queue_sync_state(supplier) };
    0
}

/// The `struct device` of a faux device, for the raw calls of this control
/// (`Device::as_raw()` is private to the kernel crate).
fn raw_device(dev: &Device) -> *mut bindings::device {
    // `device::Device` wraps a `struct device` transparently.
    core::ptr::from_ref(dev)
        .cast::<bindings::device>()
        .cast_mut()
}

/// The device links' class, which is not exported: the class of a link made
/// for the purpose between two faux devices, deleted at once.
fn device_links_class() -> Result<*const bindings::class> {
    let consumer = faux::Registration::new(c"drvlife-genpd-ll-consumer", None)?;
    let supplier = faux::Registration::new(c"drvlife-genpd-ll-supplier", None)?;
    let (consumer_dev, supplier_dev): (&Device, &Device) =
        (consumer.as_ref().as_ref(), supplier.as_ref().as_ref());
    // SAFETY: Both devices are registered until the end of this function.
    let link = unsafe {
        bindings::device_link_add(
            raw_device(consumer_dev),
            raw_device(supplier_dev),
            DL_FLAG_STATELESS,
        )
    };
    if link.is_null() {
        return Err(EINVAL);
    }
    // SAFETY: `link` is a valid stateless link, ours to delete.
    let class = unsafe { (*link).link_dev.class };
    // SAFETY: As above; nothing uses `link` after this.
    unsafe { bindings::device_link_del(link) };
    Ok(class)
}

struct GenpdLinksLock {
    _interface: Pin<KBox<LinkClassInterface>>,
}

impl kernel::Module for GenpdLinksLock {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let class = device_links_class()?;
        let interface =
            KBox::pin_init(LinkClassInterface::register(class, link_added), GFP_KERNEL)?;
        pr_info!("class interface on the device links registered\n");
        Ok(Self {
            _interface: interface,
        })
    }
}
