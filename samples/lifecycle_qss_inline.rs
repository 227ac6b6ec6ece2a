// SPDX-License-Identifier: GPL-2.0

//! Test-only negative control for `lifecycle_qss_child`: the same
//! supplier, whose `queue_sync_state()` registers and drops a child device,
//! called the way the first design of the callback called it, inline while
//! the driver core holds the global device links lock.
//!
//! The driver core no longer makes that call, so this module recreates the
//! context: a class interface on the device links' own class is called from
//! `device_link_add()` while it holds the links lock, and from there the
//! module calls the supplier driver's `queue_sync_state()`. Dropping the
//! child then takes the links lock again: lockdep reports the recursive
//! locking and the worker that made the link hangs for good (the hung task
//! detector reports it too). The module must never be unloaded after that;
//! the control runs in a boot of its own.

use core::sync::atomic::{
    AtomicBool,
    AtomicPtr,
    Ordering, //
};
use kernel::{
    bindings,
    debugfs::{
        Dir,
        File, //
    },
    driver,
    platform,
    prelude::*,
    uaccess::UserSliceReader,
    workqueue,
    InPlaceModule, //
};

#[path = "lifecycle_qss_child_common.rs"]
mod common;
#[path = "lifecycle_link_class_interface.rs"]
mod link_class;

use link_class::LinkClassInterface;

module! {
    type: QssInlineModule,
    name: "lifecycle_qss_inline",
    authors: ["Rust driver lifecycle lab"],
    description: "Test-only: queue_sync_state() called under the device links lock (control)",
    license: "GPL",
}

/// The bound supplier whose callback the interface calls.
static SUPPLIER: AtomicPtr<bindings::device> = AtomicPtr::new(core::ptr::null_mut());
/// Set for exactly one link creation: the one made by the worker.
static ARMED: AtomicBool = AtomicBool::new(false);

/// Called for every new device of the device links' class, i.e. from
/// `device_link_add()` with the device links lock held.
extern "C" fn link_added(_link_dev: *mut bindings::device) -> c_int {
    if !ARMED.swap(false, Ordering::Relaxed) {
        return 0;
    }
    let sup = SUPPLIER.load(Ordering::Relaxed);
    // SAFETY: `sup` is the supplier of the fixture, registered and bound to
    // its driver until the module is unloaded, which it never is once armed.
    // Calling the driver's callback here, without its device lock, is the
    // first design's call under test.
    unsafe {
        let drv = (*sup).driver;
        if !drv.is_null() {
            if let Some(queue_sync_state) = (*drv).queue_sync_state {
                pr_info!("calling queue_sync_state() under the device links lock\n");
                queue_sync_state(sup);
            }
        }
    }
    0
}

/// The `struct device` of a platform device, for the raw calls of this
/// control (`Device::as_raw()` is private to the kernel crate).
fn raw_device(pdev: &platform::Device) -> *mut bindings::device {
    // `device::Device` wraps a `struct device` transparently.
    core::ptr::from_ref(pdev.as_ref())
        .cast::<bindings::device>()
        .cast_mut()
}

/// The second consumer, which the worker links to the supplier.
static SECOND: AtomicPtr<bindings::device> = AtomicPtr::new(core::ptr::null_mut());

/// Links the second consumer to the supplier, from a worker: the armed
/// interface then calls the callback under the links lock, and the worker
/// never returns, while the writer does.
fn write_trigger(_: &(), _reader: &mut UserSliceReader) -> Result {
    workqueue::system().try_spawn(GFP_KERNEL, || {
        ARMED.store(true, Ordering::Relaxed);
        // SAFETY: Both devices are registered while the module is loaded, which it stays
        // once triggered.
        let link = unsafe {
            bindings::device_link_add(
                SECOND.load(Ordering::Relaxed),
                SUPPLIER.load(Ordering::Relaxed),
                0,
            )
        };
        pr_err!(
            "device_link_add() returned (null: {}): the control did not deadlock\n",
            link.is_null()
        );
    })?;
    Ok(())
}

#[pin_data]
struct QssInlineModule {
    /// Unregistered first: the supplier unbinds before its devices go.
    #[pin]
    _driver: driver::Registration<platform::Adapter<common::SupplierDriver>>,
    _interface: Pin<KBox<LinkClassInterface>>,
    _second: platform::Registration,
    _fixture: common::Fixture,
    #[pin]
    _stats: File<()>,
    #[pin]
    _trigger: File<()>,
    _dir: Dir,
}

impl InPlaceModule for QssInlineModule {
    fn init(module: &'static ThisModule) -> impl PinInit<Self, Error> {
        pin_init::pin_init_scope(move || {
            let fixture = common::Fixture::new()?;
            let second = common::new_orphan(1)?;
            let supplier = raw_device(fixture.supplier.device());
            let orphan = raw_device(fixture.orphan.device());

            // A link's device tells the device links' class, which is not exported. The
            // fixture's link exists, so adding it again returns it.
            // SAFETY: Both devices are registered.
            let link = unsafe { bindings::device_link_add(orphan, supplier, 0) };
            if link.is_null() {
                return Err(EINVAL);
            }
            // SAFETY: `link` is a valid device link, kept by the driver core until either device
            // goes away.
            let class = unsafe { (*link).link_dev.class };
            let interface =
                KBox::pin_init(LinkClassInterface::register(class, link_added), GFP_KERNEL)?;
            SUPPLIER.store(supplier, Ordering::Relaxed);
            SECOND.store(raw_device(second.device()), Ordering::Relaxed);
            let dir = Dir::new(c"drvlife_qss_inline");

            Ok(try_pin_init!(Self {
                _stats <- common::stats_file(&dir),
                _trigger <- dir.write_callback_file(c"trigger", (), &write_trigger),
                _dir: dir,
                _interface: interface,
                _second: second,
                _fixture: fixture,
                _driver <- driver::Registration::new(common::SUPPLIER_NAME, module),
            }))
        })
    }
}
