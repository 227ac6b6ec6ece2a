// SPDX-License-Identifier: GPL-2.0

//! (Indirect) nesting of `Devres` (seed 001: "an internal reference count in
//! Devres<T> to avoid a deadlock condition in case of (indirect) nesting"):
//! a `Devres` owning the last reference to another `Devres` of the same
//! device, both dropped while `devres_release_all()` runs at unbind.
//!
//! Each binding creates an outer `Devres<Outer>` and an inner
//! `Devres<Payload>`, puts the only reference to the inner one in the
//! outer one's data, and hands the only reference to the outer one to a
//! devres allocation of the device (`devres::register()`), so that nothing
//! but the device's devres list owns them. Two drivers differ in the order
//! in which the three are registered, hence released (last first):
//!
//! - `drvlife-nest-a`: inner, outer, holder. The holder is released first:
//!   dropping it drops the outer `Devres` and, inside its data, the inner
//!   one, whose own devres release is still pending on the same list (the
//!   case that deadlocked before the fix);
//! - `drvlife-nest-b`: outer, holder, inner. The inner `Devres` is revoked
//!   by devres first; the holder's release then drops the outer one, whose
//!   data drops the already revoked inner one.
//!
//! The module registers one platform device per driver. Counters in
//! `/sys/kernel/debug/drvlife_devres_nest/stats`, one `key=value` per line:
//! `probes`, `outer_dropped`, `payload_dropped`; once every binding is
//! gone all three are equal.

use core::sync::atomic::{
    AtomicU64,
    Ordering, //
};
use kernel::{
    debugfs::{
        Dir,
        File, //
    },
    device::{
        Bound,
        Core,
        Device, //
    },
    devres::{
        self,
        Devres, //
    },
    driver,
    platform,
    prelude::*,
    sync::{
        Arc,
        SetOnce, //
    },
    InPlaceModule, //
};

module! {
    type: DevresNestModule,
    name: "lifecycle_devres_nest",
    authors: ["Rust driver lifecycle lab"],
    description: "A Devres owning the last reference to another, released at unbind",
    license: "GPL",
}

/// Names of the devices and of their drivers (they match by name), by
/// registration order.
const NAMES: [&CStr; 2] = [c"drvlife-nest-a", c"drvlife-nest-b"];

/// Bindings made.
static PROBES: AtomicU64 = AtomicU64::new(0);
/// `Outer` values dropped.
static OUTER_DROPPED: AtomicU64 = AtomicU64::new(0);
/// `Payload` values dropped.
static PAYLOAD_DROPPED: AtomicU64 = AtomicU64::new(0);

/// The inner `Devres`'s data.
struct Payload;

impl Drop for Payload {
    fn drop(&mut self) {
        PAYLOAD_DROPPED.fetch_add(1, Ordering::Relaxed);
    }
}

/// The outer `Devres`'s data: the only reference to the inner `Devres`.
struct Outer {
    inner: SetOnce<Arc<Devres<Payload>>>,
}

impl Drop for Outer {
    fn drop(&mut self) {
        OUTER_DROPPED.fetch_add(1, Ordering::Relaxed);
    }
}

/// The devres allocation owning the only reference to the outer `Devres`.
struct Holder {
    _outer: Arc<Devres<Outer>>,
}

/// The driver of `NAMES[ID]`; `ID` chooses the registration order.
struct NestDriver<const ID: usize>;

impl<const ID: usize> NestDriver<ID> {
    /// The inner `Devres`.
    fn inner(dev: &Device<Bound>) -> Result<Arc<Devres<Payload>>> {
        Ok(Arc::new(Devres::new(dev, Payload)?, GFP_KERNEL)?)
    }
}

#[vtable]
impl<const ID: usize> platform::Driver for NestDriver<ID> {
    type IdInfo = ();
    type Data<'bound> = ();

    fn probe<'bound>(
        pdev: &'bound platform::Device<Core<'_>>,
        _info: Option<&'bound Self::IdInfo>,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        let dev = pdev.as_ref();
        let inner = if ID == 0 {
            Some(Self::inner(dev)?)
        } else {
            None
        };
        let outer = Arc::new(
            Devres::new(
                dev,
                Outer {
                    inner: SetOnce::new(),
                },
            )?,
            GFP_KERNEL,
        )?;
        devres::register(
            dev,
            Holder {
                _outer: outer.clone(),
            },
            GFP_KERNEL,
        )?;
        let inner = match inner {
            Some(inner) => inner,
            None => Self::inner(dev)?,
        };
        outer.access(dev)?.inner.populate(inner);
        PROBES.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

fn write_stats(_: &(), f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
    let get = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
    writeln!(f, "probes={}", get(&PROBES))?;
    writeln!(f, "outer_dropped={}", get(&OUTER_DROPPED))?;
    writeln!(f, "payload_dropped={}", get(&PAYLOAD_DROPPED))
}

#[pin_data]
struct DevresNestModule {
    /// Unregistered first: the devices unbind before they go.
    #[pin]
    _driver_a: driver::Registration<platform::Adapter<NestDriver<0>>>,
    #[pin]
    _driver_b: driver::Registration<platform::Adapter<NestDriver<1>>>,
    _devices: [platform::Registration; 2],
    #[pin]
    _stats: File<()>,
    _dir: Dir,
}

impl InPlaceModule for DevresNestModule {
    fn init(module: &'static ThisModule) -> impl PinInit<Self, Error> {
        pin_init::pin_init_scope(move || {
            let dir = Dir::new(c"drvlife_devres_nest");
            let devices = [
                platform::Registration::new(&platform::DeviceInfo::new(NAMES[0]))?,
                platform::Registration::new(&platform::DeviceInfo::new(NAMES[1]))?,
            ];

            Ok(try_pin_init!(Self {
                _stats <- dir.read_callback_file(c"stats", Ok::<(), Error>(()), &write_stats),
                _dir: dir,
                _devices: devices,
                _driver_a <- driver::Registration::new(NAMES[0], module),
                _driver_b <- driver::Registration::new(NAMES[1], module),
            }))
        })
    }
}
