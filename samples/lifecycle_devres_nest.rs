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
//! - `drvlife-nest-c`: keeper, inner, outer. The two `Devres` objects are
//!   adjacent on the list and the outer one's data owns the last reference
//!   to the inner one; the keeper (a plain devres allocation registered
//!   first, released last) owns the outer handle. The outer release drops
//!   the inner `Devres` while the inner one's own release is still to come
//!   on the same thread.
//! - `drvlife-nest-d`: keeper, inner, outer, as `c`, but the keeper also
//!   owns a reference to the inner `Devres`, and the outer data's drop
//!   calls `try_access()` on the inner one: devres releases last-first, so
//!   the inner resource, registered first, must still be reachable then
//!   (what a release that quiesces hardware through another resource
//!   relies on). Counted in `inner_seen` and `inner_gone`.
//! - `drvlife-nest-e`, `drvlife-nest-f`: `c` and `d` with both objects
//!   made by `Devres::new_batched()`, so that the driver core revokes them
//!   together (patch 0020). For `f` the inner data is then already revoked
//!   when the outer release looks at it: that is the documented price of
//!   batching, counted in `inner_gone`.
//!
//! The module registers one platform device per driver. Counters in
//! `/sys/kernel/debug/drvlife_devres_nest/stats`, one `key=value` per line:
//! `probes`, `outer_dropped`, `payload_dropped`, `inner_seen`,
//! `inner_gone`; once every binding is gone the first three are equal.

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
const NAMES: [&CStr; 6] = [
    c"drvlife-nest-a",
    c"drvlife-nest-b",
    c"drvlife-nest-c",
    c"drvlife-nest-d",
    c"drvlife-nest-e",
    c"drvlife-nest-f",
];

/// Bindings made.
static PROBES: AtomicU64 = AtomicU64::new(0);
/// `Outer` values dropped.
static OUTER_DROPPED: AtomicU64 = AtomicU64::new(0);
/// `Payload` values dropped.
static PAYLOAD_DROPPED: AtomicU64 = AtomicU64::new(0);
/// Outer drops (`drvlife-nest-d`, `-f`) that reached the inner data.
static INNER_SEEN: AtomicU64 = AtomicU64::new(0);
/// Outer drops (`drvlife-nest-d`, `-f`) that found the inner data revoked.
static INNER_GONE: AtomicU64 = AtomicU64::new(0);

/// The inner `Devres`'s data.
struct Payload;

impl Drop for Payload {
    fn drop(&mut self) {
        PAYLOAD_DROPPED.fetch_add(1, Ordering::Relaxed);
    }
}

/// The outer `Devres`'s data: a reference to the inner `Devres` (the only
/// one but for `drvlife-nest-d`).
struct Outer {
    inner: SetOnce<Arc<Devres<Payload>>>,
    /// Whether the drop looks at the inner data first (`drvlife-nest-d`).
    look_at_inner: bool,
}

impl Drop for Outer {
    fn drop(&mut self) {
        if self.look_at_inner {
            let seen = self
                .inner
                .as_ref()
                .is_some_and(|inner| inner.try_access().is_some());
            let counter = if seen { &INNER_SEEN } else { &INNER_GONE };
            counter.fetch_add(1, Ordering::Relaxed);
        }
        OUTER_DROPPED.fetch_add(1, Ordering::Relaxed);
    }
}

/// The devres allocation owning the only reference to the outer `Devres`.
struct Holder {
    _outer: Arc<Devres<Outer>>,
}

/// A devres allocation registered before both `Devres` objects (so
/// released after them), owning the outer handle and, for
/// `drvlife-nest-d`, a reference to the inner one.
struct Keeper {
    outer: SetOnce<Arc<Devres<Outer>>>,
    inner: SetOnce<Arc<Devres<Payload>>>,
}

/// The driver of `NAMES[ID]`; `ID` chooses the registration order.
struct NestDriver<const ID: usize>;

impl<const ID: usize> NestDriver<ID> {
    /// `drvlife-nest-e` and `-f` batch their `Devres` objects.
    const BATCHED: bool = ID >= 4;
    /// `drvlife-nest-d` and `-f` look at the inner data from the outer drop.
    const LOOKS: bool = ID == 3 || ID == 5;

    /// A `Devres` of `data`, batched or not.
    fn devres<T: Send + 'static>(dev: &Device<Bound>, data: T) -> Result<Arc<Devres<T>>> {
        let devres = if Self::BATCHED {
            Devres::new_batched(dev, data)?
        } else {
            Devres::new(dev, data)?
        };
        Ok(Arc::new(devres, GFP_KERNEL)?)
    }

    /// The inner `Devres`.
    fn inner(dev: &Device<Bound>) -> Result<Arc<Devres<Payload>>> {
        Self::devres(dev, Payload)
    }

    /// The outer `Devres`, with an empty slot for the inner one.
    fn outer(dev: &Device<Bound>, look_at_inner: bool) -> Result<Arc<Devres<Outer>>> {
        let outer = Outer {
            inner: SetOnce::new(),
            look_at_inner,
        };
        Self::devres(dev, outer)
    }

    /// `drvlife-nest-c` to `-f`: keeper, inner, outer, the two
    /// `Devres` objects adjacent on the device's list.
    fn probe_adjacent(dev: &Device<Bound>) -> Result {
        let keeper = Arc::new(
            Keeper {
                outer: SetOnce::new(),
                inner: SetOnce::new(),
            },
            GFP_KERNEL,
        )?;
        devres::register(dev, keeper.clone(), GFP_KERNEL)?;
        let inner = Self::inner(dev)?;
        let outer = Self::outer(dev, Self::LOOKS)?;
        if Self::LOOKS {
            keeper.inner.populate(inner.clone());
        }
        outer.access(dev)?.inner.populate(inner);
        keeper.outer.populate(outer);
        Ok(())
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
        if ID >= 2 {
            Self::probe_adjacent(dev)?;
            PROBES.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        let inner = if ID == 0 {
            Some(Self::inner(dev)?)
        } else {
            None
        };
        let outer = Self::outer(dev, false)?;
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
    writeln!(f, "payload_dropped={}", get(&PAYLOAD_DROPPED))?;
    writeln!(f, "inner_seen={}", get(&INNER_SEEN))?;
    writeln!(f, "inner_gone={}", get(&INNER_GONE))
}

#[pin_data]
struct DevresNestModule {
    /// Unregistered first: the devices unbind before they go.
    #[pin]
    _driver_a: driver::Registration<platform::Adapter<NestDriver<0>>>,
    #[pin]
    _driver_b: driver::Registration<platform::Adapter<NestDriver<1>>>,
    #[pin]
    _driver_c: driver::Registration<platform::Adapter<NestDriver<2>>>,
    #[pin]
    _driver_d: driver::Registration<platform::Adapter<NestDriver<3>>>,
    #[pin]
    _driver_e: driver::Registration<platform::Adapter<NestDriver<4>>>,
    #[pin]
    _driver_f: driver::Registration<platform::Adapter<NestDriver<5>>>,
    _devices: [platform::Registration; 6],
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
                platform::Registration::new(&platform::DeviceInfo::new(NAMES[2]))?,
                platform::Registration::new(&platform::DeviceInfo::new(NAMES[3]))?,
                platform::Registration::new(&platform::DeviceInfo::new(NAMES[4]))?,
                platform::Registration::new(&platform::DeviceInfo::new(NAMES[5]))?,
            ];

            Ok(try_pin_init!(Self {
                _stats <- dir.read_callback_file(c"stats", Ok::<(), Error>(()), &write_stats),
                _dir: dir,
                _devices: devices,
                _driver_a <- driver::Registration::new(NAMES[0], module),
                _driver_b <- driver::Registration::new(NAMES[1], module),
                _driver_c <- driver::Registration::new(NAMES[2], module),
                _driver_d <- driver::Registration::new(NAMES[3], module),
                _driver_e <- driver::Registration::new(NAMES[4], module),
                _driver_f <- driver::Registration::new(NAMES[5], module),
            }))
        })
    }
}
