// SPDX-License-Identifier: GPL-2.0

//! Build check, not a module we ship: what 7.3's device contexts and
//! binding lifetimes refuse at build time, the misuse seed 002 says "fails
//! to compile". `scripts/build-checks.sh` builds it once per rule; each
//! `--cfg` below adds exactly one violation to a driver that builds as is
//! (no `--cfg` at all):
//!
//! - `access_plain_device`: `Devres::access()` with a plain `&Device`;
//! - `devres_unbound`: `Devres::new()` on a plain `&Device`;
//! - `bound_ref_static`: the binding's `&'bound Device<Bound>` kept in a
//!   `static`;
//! - `bound_ref_arc_static`: the same reference inside an `Arc` kept in a
//!   `static`;
//! - `irq_static`: an IRQ registration kept in a `static`;
//! - `qss_bound_context`: a `queue_sync_state()` taking a
//!   `Device<Bound>` instead of a `Device<Core>`.
//!
//! A driver's callbacks reach the module's data only through a `static`
//! (the module instance is one), so "kept in the module data" is the
//! `static` case. The builds without a violation keep the same reference,
//! `Arc` and registration in the driver's data, which the binding owns.

use kernel::{
    device::{
        self,
        Bound,
        Core, //
    },
    devres::Devres,
    irq,
    platform,
    prelude::*,
    sync::Arc, //
};

#[cfg(any(bound_ref_static, bound_ref_arc_static, irq_static))]
use kernel::sync::SetOnce;

/// Where a violation keeps what must not outlive the binding.
#[cfg(bound_ref_static)]
static KEPT: SetOnce<&'static device::Device<Bound>> = SetOnce::new();

/// Where `bound_ref_arc_static` keeps its `Arc`.
#[cfg(bound_ref_arc_static)]
static KEPT_ARC: SetOnce<Arc<&'static device::Device<Bound>>> = SetOnce::new();

/// Where `irq_static` keeps its registration.
#[cfg(irq_static)]
static KEPT_IRQ: SetOnce<Pin<KBox<irq::Registration<'static, CheckIrq>>>> = SetOnce::new();

/// The interrupt handler of the `irq_static` violation.
struct CheckIrq;

impl irq::Handler for CheckIrq {
    fn handle(&self) -> irq::IrqReturn {
        irq::IrqReturn::None
    }
}

struct CheckDriver;

/// The driver's data: what may hold the binding's borrows.
struct CheckData<'bound> {
    counter: Arc<Devres<KBox<u32>>>,
    dev: Arc<&'bound device::Device<Bound>>,
    irq: Option<Pin<KBox<irq::Registration<'bound, CheckIrq>>>>,
}

#[vtable]
impl platform::Driver for CheckDriver {
    type IdInfo = ();
    type Data<'bound> = CheckData<'bound>;

    fn probe<'bound>(
        pdev: &'bound platform::Device<Core<'_>>,
        _info: Option<&'bound Self::IdInfo>,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        let bound: &'bound device::Device<Bound> = pdev.as_ref();
        let plain: &device::Device = bound;
        let _ = plain;

        #[cfg(not(devres_unbound))]
        let counter = Arc::new(
            Devres::new(bound, KBox::new(0u32, GFP_KERNEL)?)?,
            GFP_KERNEL,
        )?;
        #[cfg(devres_unbound)]
        let counter = Arc::new(
            Devres::new(plain, KBox::new(0u32, GFP_KERNEL)?)?,
            GFP_KERNEL,
        )?;

        #[cfg(not(access_plain_device))]
        let value = **counter.access(bound)?;
        #[cfg(access_plain_device)]
        let value = **counter.access(plain)?;
        let _ = value;

        #[cfg(bound_ref_static)]
        KEPT.populate(bound);
        let dev = Arc::new(bound, GFP_KERNEL)?;
        #[cfg(bound_ref_arc_static)]
        KEPT_ARC.populate(dev.clone());

        // SAFETY: The registration is kept in a box that is dropped, never forgotten.
        let registration = unsafe {
            pdev.request_irq_by_index(irq::Flags::SHARED, 0, c"drvlife_check", Ok(CheckIrq))
        };
        let irq = KBox::pin_init(registration, GFP_KERNEL)?;
        #[cfg(irq_static)]
        KEPT_IRQ.populate(irq);
        #[cfg(irq_static)]
        let irq = None;
        #[cfg(not(irq_static))]
        let irq = Some(irq);

        Ok(CheckData { counter, dev, irq })
    }

    fn sync_state<'bound>(
        _pdev: &'bound platform::Device<Core<'_>>,
        this: Pin<&CheckData<'bound>>,
    ) {
        let _ = (&this.dev, &this.counter, &this.irq);
    }

    #[cfg(not(qss_bound_context))]
    fn queue_sync_state<'bound>(
        _pdev: &'bound platform::Device<Core<'_>>,
        _this: Pin<&CheckData<'bound>>,
        _consumers: &device::link::Consumers<'_>,
    ) {
    }

    #[cfg(qss_bound_context)]
    fn queue_sync_state<'bound>(
        _pdev: &'bound platform::Device<Bound>,
        _this: Pin<&CheckData<'bound>>,
        _consumers: &device::link::Consumers<'_>,
    ) {
    }
}

kernel::module_platform_driver! {
    type: CheckDriver,
    name: "drvlife_build_check_bound",
    authors: ["Rust driver lifecycle lab"],
    description: "Build check only",
    license: "GPL",
}
