// SPDX-License-Identifier: GPL-2.0

//! The fixture's platform device and driver.
//!
//! The module registers one platform device named after itself, and a
//! driver of the same name, so the device binds as soon as both exist. A
//! binding creates `objects` slots of the crate's design, each holding a
//! [`Tracked`] payload, and shares them (an `Arc`) with every file opened
//! while it is bound: those files keep the slots alive past the unbind,
//! which then revokes and drops every payload.

use core::hint::black_box;
use kernel::{
    device::{
        Bound,
        Core,
        Device, //
    },
    platform,
    prelude::*,
    sync::Arc,
    time::{
        Instant,
        Monotonic, //
    },
};

use crate::{
    module_parameters,
    payload::Tracked,
    slot::Slot,
    Design, //
};

/// Most objects per binding.
const MAX_OBJECTS: u32 = 4096;

kernel::sync::global_lock! {
    // SAFETY: Initialized by `init_current()` in the module initializer, before the driver is
    // registered.
    unsafe(uninit) static CURRENT: Mutex<Option<Arc<Shared>>> = None;
}

/// Initializes the lock of the current binding's objects.
///
/// # Safety
///
/// Must be called once, before the driver is registered.
pub(crate) unsafe fn init_current() {
    // SAFETY: By the safety requirements, called once before any use.
    unsafe { CURRENT.init() };
}

/// The objects of the bound device, shared with its open files.
pub(crate) struct Shared {
    /// Revoked and dropped when the device is unbound.
    pub(crate) objects: KVec<Design>,
}

/// The objects of the device bound right now, if any.
pub(crate) fn current() -> Option<Arc<Shared>> {
    CURRENT.lock().clone()
}

/// The driver data: a reference to the objects, withdrawn from new opens
/// when the device is unbound.
pub(crate) struct BatchData {
    _shared: Arc<Shared>,
}

impl Drop for BatchData {
    fn drop(&mut self) {
        CURRENT.lock().take();
    }
}

/// The fixture's platform driver.
pub(crate) struct BatchDriver;

/// Nanoseconds per call of `f`, times 1000, over `iters` calls.
fn ps_per_call(iters: u32, mut f: impl FnMut()) -> i64 {
    let start = Instant::<Monotonic>::now();
    for _ in 0..iters {
        f();
    }
    start.elapsed().as_nanos() * 1000 / i64::from(iters.max(1))
}

/// One `access()` reading the index, out of line like
/// [`crate::file::try_index`], for the instruction count.
#[inline(never)]
pub(crate) fn access_index(object: &Design, dev: &Device<Bound>) -> Option<u32> {
    Slot::access(object, dev).map(Tracked::index).ok()
}

/// Logs what `access()` and `try_access_with()` of the first object cost,
/// from the probe, where the device is bound.
fn bench_accessors(dev: &Device<Bound>, shared: &Shared, iters: u32) {
    let Some(first) = shared.objects.first() else {
        return;
    };
    let access = ps_per_call(iters, || {
        black_box(access_index(black_box(first), dev));
    });
    let try_access_with = ps_per_call(iters, || {
        black_box(crate::file::try_index(black_box(first)));
    });
    dev_info!(
        dev,
        "bench-batch-access: design={} iters={iters} access_ps={access} try_access_with_ps={try_access_with}\n",
        Design::DESIGN
    );
}

fn create(dev: &Device<Bound>) -> Result<Arc<Shared>> {
    let count = module_parameters::objects.value();
    if !(1..=MAX_OBJECTS).contains(&count) {
        dev_err!(dev, "objects must be 1..={MAX_OBJECTS}\n");
        return Err(EINVAL);
    }
    let mut objects = KVec::with_capacity(count as usize, GFP_KERNEL)?;
    for i in 0..count {
        objects.push(<Design as Slot>::new(dev, Tracked::new(i)?)?, GFP_KERNEL)?;
    }
    let shared = Arc::new(Shared { objects }, GFP_KERNEL)?;
    let iters = module_parameters::bench_iters.value();
    if iters > 0 {
        bench_accessors(dev, &shared, iters);
    }
    Ok(shared)
}

#[vtable]
impl platform::Driver for BatchDriver {
    type IdInfo = ();
    type Data<'bound> = BatchData;

    fn probe<'bound>(
        pdev: &'bound platform::Device<Core<'_>>,
        _info: Option<&'bound Self::IdInfo>,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        let dev: &Device<Bound> = pdev.as_ref();
        let shared = create(dev)?;
        *CURRENT.lock() = Some(shared.clone());
        dev_info!(
            dev,
            "bound with {} {} objects\n",
            shared.objects.len(),
            Design::DESIGN
        );
        Ok(BatchData { _shared: shared })
    }
}
