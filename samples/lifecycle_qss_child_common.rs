// SPDX-License-Identifier: GPL-2.0

//! Shared by `lifecycle_qss_child` and its negative control
//! `lifecycle_qss_inline` (included with `#[path]`, not a module itself).
//!
//! A supplier whose `queue_sync_state()` registers a child platform device
//! (not one of its consumers) and drops it again, as a provider that
//! creates and removes sub-devices when a resource becomes free would.
//! Registering and removing a device takes the device links lock, so the
//! callback may only do it where the driver core does not hold that lock.
//!
//! The fixture: the supplier `drvlife-qss-supplier` and a consumer,
//! `drvlife-qss-orphan.0`, linked to it, which no driver binds, so the
//! supplier never syncs and every bind of it calls `queue_sync_state()`.

use core::sync::atomic::{
    AtomicU32,
    AtomicU64,
    Ordering, //
};
use kernel::{
    debugfs::{
        Dir,
        File, //
    },
    device::{
        self,
        link::{
            self,
            Consumers, //
        },
        Core, //
    },
    platform,
    prelude::*,
};

/// Name of the supplier device and of its driver: they match by name.
pub(crate) const SUPPLIER_NAME: &CStr = c"drvlife-qss-supplier";
const ORPHAN_NAME: &CStr = c"drvlife-qss-orphan";
const CHILD_NAME: &CStr = c"drvlife-qss-child";

/// `queue_sync_state()` calls.
static QUEUE_CALLS: AtomicU64 = AtomicU64::new(0);
/// Children registered and dropped again by those calls.
static CHILDREN: AtomicU64 = AtomicU64::new(0);
/// Calls that could not register their child.
static CHILD_ERRORS: AtomicU64 = AtomicU64::new(0);
/// Ids of the children: never reused, so a child's name is never taken by
/// one whose release is still pending (`DEBUG_KOBJECT_RELEASE`).
static NEXT_CHILD: AtomicU32 = AtomicU32::new(0);

/// Registers a child of `parent` and unregisters it again.
fn churn_child(parent: &device::Device) -> Result {
    let id = NEXT_CHILD.fetch_add(1, Ordering::Relaxed);
    let info = platform::DeviceInfo::new(CHILD_NAME).id(id)?.parent(parent);
    let child = platform::Registration::new(&info)?;
    drop(child);
    CHILDREN.fetch_add(1, Ordering::Relaxed);
    Ok(())
}

/// The supplier's driver.
pub(crate) struct SupplierDriver;

#[vtable]
impl platform::Driver for SupplierDriver {
    type IdInfo = ();
    type Data<'bound> = ();

    fn probe<'bound>(
        _pdev: &'bound platform::Device<Core<'_>>,
        _info: Option<&'bound Self::IdInfo>,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        Ok(())
    }

    fn sync_state<'bound>(pdev: &'bound platform::Device<Core<'_>>, _this: Pin<&()>) {
        dev_info!(pdev.as_ref(), "sync_state\n");
    }

    fn queue_sync_state<'bound>(
        pdev: &'bound platform::Device<Core<'_>>,
        _this: Pin<&()>,
        _consumers: &Consumers<'_>,
    ) {
        QUEUE_CALLS.fetch_add(1, Ordering::Relaxed);
        if let Err(e) = churn_child(pdev.as_ref()) {
            CHILD_ERRORS.fetch_add(1, Ordering::Relaxed);
            dev_err!(pdev.as_ref(), "child registration failed: {e:?}\n");
        }
    }
}

/// The supplier and its consumer; the consumer is dropped first.
pub(crate) struct Fixture {
    #[allow(dead_code, reason = "only the negative control reads it")]
    pub(crate) orphan: platform::Registration,
    #[allow(dead_code, reason = "only the negative control reads it")]
    pub(crate) supplier: platform::Registration,
}

impl Fixture {
    /// Creates both devices and links them, before the supplier's driver
    /// is registered, as firmware would describe them.
    pub(crate) fn new() -> Result<Self> {
        let supplier = platform::Registration::new(&platform::DeviceInfo::new(SUPPLIER_NAME))?;
        let orphan = new_orphan(0)?;
        link::add_managed(
            orphan.device().as_ref(),
            supplier.device().as_ref(),
            link::Flags::NONE,
        )?;
        Ok(Self { orphan, supplier })
    }
}

/// A device no driver binds, `drvlife-qss-orphan.<id>`, to be linked to the
/// supplier as a consumer.
pub(crate) fn new_orphan(id: u32) -> Result<platform::Registration> {
    platform::Registration::new(&platform::DeviceInfo::new(ORPHAN_NAME).id(id)?)
}

fn write_stats(_: &(), f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
    let get = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
    writeln!(f, "queue_sync_state_calls={}", get(&QUEUE_CALLS))?;
    writeln!(f, "children={}", get(&CHILDREN))?;
    writeln!(f, "child_errors={}", get(&CHILD_ERRORS))
}

/// `/sys/kernel/debug/<name>/stats`: the counters above, one `key=value`
/// per line.
pub(crate) fn stats_file(dir: &Dir) -> impl PinInit<File<()>, Error> + '_ {
    dir.read_callback_file(c"stats", Ok::<(), Error>(()), &write_stats)
}
