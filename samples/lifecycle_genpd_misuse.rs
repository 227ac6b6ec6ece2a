// SPDX-License-Identifier: GPL-2.0

//! Test-only: uses of `kernel::pmdomain` (patch 0016) that its safe API
//! must keep sound, driven by `genpd/provider_misuse.sh` and
//! `genpd/provider_leak.sh`. A platform driver for the genpd card's
//! controller (`drvlife,genpd-controller`, instead of
//! `lifecycle_genpd_controller`), and for any device the test steers to it
//! with `driver_override`. `case` picks what its probe does:
//!
//! - 1: the controller registers two onecell providers for its node, the
//!   second with a domain of its own; genpd must refuse the second
//!   (`EEXIST`), and refusing it must leave the first registered;
//! - 2: the controller registers one provider; a device steered to the
//!   driver calls the provider's `release_unused()` with its own device,
//!   which must be refused (`EINVAL`): only the provider's may;
//! - 3: the controller's power operations reach a resource of the binding
//!   (a `Devres`); when genpd keeps a domain after the unbind (a consumer
//!   is still attached to it), it calls them after the unbind;
//! - 4, the control of case 3 (`controls-leak/`): the same operations
//!   reading the resource through a raw pointer kept from the binding, the
//!   mistake `Operations: 'static` keeps safe code from making.

use core::ptr;
use kernel::{
    device::{
        self,
        Core, //
    },
    devres::Devres,
    driver::Registration,
    of,
    platform,
    pmdomain::{
        self,
        OnecellProvider, //
    },
    prelude::*,
    sync::{
        aref::ARef,
        Arc, //
    },
    InPlaceModule, //
};

#[path = "pd_genpd/domains.rs"]
mod domains;

use domains::Domains;

/// The driver's name.
const DRIVER_NAME: &CStr = c"drvlife_genpd_misuse";
/// A property only the controller's node has.
const PROP_DOMAIN_COUNT: &CStr = c"drvlife,domain-count";
/// Domains of the controller (the pair card's node says 3).
const COUNT: usize = 3;

module! {
    type: MisuseModule,
    name: "lifecycle_genpd_misuse",
    authors: ["Rust driver lifecycle lab"],
    description: "Test-only: misuse of the Rust genpd provider API",
    license: "GPL",
    params: {
        case: u32 {
            default: 1,
            description: "1 two providers for a node, 2 release_unused() with another \
                device, 3 power operations using the binding's resource, 4 the same through \
                a raw pointer (control)",
        },
    },
}

kernel::sync::global_lock! {
    // SAFETY: Initialised in the module's init, before the driver is
    // registered.
    unsafe(uninit) static PROVIDER: Mutex<Option<Arc<OnecellProvider<Domains>>>> = None;
}

kernel::of_device_table!(
    OF_TABLE,
    <Misuse as platform::Driver>::IdInfo,
    [(of::DeviceId::new(c"drvlife,genpd-controller"), ())]
);

/// Power operations that use a resource of the controller's binding: they
/// own a reference to the device and to the resource, which they reach with
/// `try_access()` (they cannot borrow the binding: `Operations` is
/// `'static`).
struct ResourceOps {
    dev: ARef<device::Device>,
    resource: Arc<Devres<KBox<u32>>>,
}

impl ResourceOps {
    fn switch(&self, index: usize, state: &str) -> Result {
        let Some(resource) = self.resource.try_access() else {
            dev_info!(self.dev, "domain {index} {state}: resource gone\n");
            return Err(ENODEV);
        };
        dev_info!(
            self.dev,
            "domain {index} {state}: resource {}\n",
            **resource
        );
        Ok(())
    }
}

impl pmdomain::Operations for ResourceOps {
    fn power_on(&self, index: usize) -> Result {
        self.switch(index, "on")
    }

    fn power_off(&self, index: usize) -> Result {
        self.switch(index, "off")
    }
}

/// Case 4, the control: power operations that read the binding's resource
/// through a raw pointer taken while the device was bound.
struct RawOps {
    dev: ARef<device::Device>,
    resource: *const u32,
    _devres: Arc<Devres<KBox<u32>>>,
}

// SAFETY: Not sound, on purpose: the pointer is only valid while the
// controller is bound, and the operations may run after that (the bug the
// control commits). The pointed-to `u32` is only read.
unsafe impl Send for RawOps {}

// SAFETY: See `Send`.
unsafe impl Sync for RawOps {}

impl RawOps {
    fn switch(&self, index: usize, state: &str) -> Result {
        // SAFETY: None: after the unbind this reads freed memory, the bug
        // KASAN must report.
        let value = unsafe { *self.resource };
        dev_info!(self.dev, "domain {index} {state}: resource {value}\n");
        Ok(())
    }
}

impl pmdomain::Operations for RawOps {
    fn power_on(&self, index: usize) -> Result {
        self.switch(index, "on")
    }

    fn power_off(&self, index: usize) -> Result {
        self.switch(index, "off")
    }
}

/// What a binding of the driver keeps.
#[derive(Default)]
struct MisuseData {
    /// Case 1: the first provider of the node.
    _first: Option<OnecellProvider<Domains>>,
    /// Case 1: the second, if genpd accepted it.
    _second: Option<OnecellProvider<Domains>>,
    /// Case 2: the provider, also in [`PROVIDER`] while bound.
    shared: Option<Arc<OnecellProvider<Domains>>>,
    /// Case 3.
    _resource: Option<OnecellProvider<ResourceOps>>,
    /// Case 4.
    _raw: Option<OnecellProvider<RawOps>>,
}

/// A new provider of `dev`'s node whose domains are named `name.N`.
fn provider(
    dev: &device::Device<Core<'_>>,
    name: &str,
    count: usize,
) -> Result<OnecellProvider<Domains>> {
    let ops = Arc::new(Domains::new(count)?, GFP_KERNEL)?;
    OnecellProvider::new(dev, name, ops.count(), ops, false)
}

/// Case 1: two providers for the controller's node.
fn two_providers(dev: &device::Device<Core<'_>>) -> Result<MisuseData> {
    let first = provider(dev, "drvlife-genpd", COUNT)?;
    let second = match provider(dev, "drvlife-misuse", 1) {
        Ok(second) => {
            dev_info!(dev, "second provider of the node: registered\n");
            Some(second)
        }
        Err(e) => {
            dev_info!(
                dev,
                "second provider of the node: refused ({})\n",
                e.to_errno()
            );
            None
        }
    };
    Ok(MisuseData {
        _first: Some(first),
        _second: second,
        ..Default::default()
    })
}

/// Case 2: the controller's provider, shared with the other bindings.
fn shared_provider(dev: &device::Device<Core<'_>>) -> Result<MisuseData> {
    let shared = Arc::new(provider(dev, "drvlife-genpd", COUNT)?, GFP_KERNEL)?;
    *PROVIDER.lock() = Some(shared.clone());
    Ok(MisuseData {
        shared: Some(shared),
        ..Default::default()
    })
}

/// Case 2: the provider's `release_unused()` called with another device.
fn foreign_release(dev: &device::Device<Core<'_>>) {
    let Some(provider) = PROVIDER.lock().clone() else {
        dev_info!(dev, "no provider bound\n");
        return;
    };
    match provider.release_unused(dev) {
        Ok(()) => dev_info!(dev, "release_unused() with this device: accepted\n"),
        Err(e) => dev_info!(
            dev,
            "release_unused() with this device: refused ({})\n",
            e.to_errno()
        ),
    }
}

/// Case 3: a provider whose operations use a resource of the binding.
fn resource_provider(pdev: &platform::Device<Core<'_>>) -> Result<MisuseData> {
    let bound: &device::Device<device::Bound> = pdev.as_ref();
    let resource = Arc::new(
        Devres::new(bound, KBox::new(42u32, GFP_KERNEL)?)?,
        GFP_KERNEL,
    )?;
    let plain: &device::Device = bound;
    let ops = Arc::new(
        ResourceOps {
            dev: plain.into(),
            resource,
        },
        GFP_KERNEL,
    )?;
    let provider = OnecellProvider::new(pdev.as_ref(), "drvlife-genpd", COUNT, ops, false)?;
    Ok(MisuseData {
        _resource: Some(provider),
        ..Default::default()
    })
}

/// Case 4: a provider whose operations read the binding's resource through a
/// raw pointer.
fn raw_provider(pdev: &platform::Device<Core<'_>>) -> Result<MisuseData> {
    let bound: &device::Device<device::Bound> = pdev.as_ref();
    let devres = Arc::new(
        Devres::new(bound, KBox::new(42u32, GFP_KERNEL)?)?,
        GFP_KERNEL,
    )?;
    let resource = ptr::from_ref::<u32>(&**devres.access(bound)?);
    let plain: &device::Device = bound;
    let ops = Arc::new(
        RawOps {
            dev: plain.into(),
            resource,
            _devres: devres,
        },
        GFP_KERNEL,
    )?;
    let provider = OnecellProvider::new(pdev.as_ref(), "drvlife-genpd", COUNT, ops, false)?;
    Ok(MisuseData {
        _raw: Some(provider),
        ..Default::default()
    })
}

/// The driver.
struct Misuse;

#[vtable]
impl platform::Driver for Misuse {
    type IdInfo = ();
    type Data<'bound> = MisuseData;
    const OF_ID_TABLE: Option<of::IdTable<Self::IdInfo>> = Some(&OF_TABLE);

    fn probe<'bound>(
        pdev: &'bound platform::Device<Core<'_>>,
        _info: Option<&'bound Self::IdInfo>,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        let dev: &device::Device<Core<'_>> = pdev.as_ref();
        let controller = dev
            .fwnode()
            .is_some_and(|node| node.property_present(PROP_DOMAIN_COUNT));
        match (module_parameters::case.value(), controller) {
            (1, true) => two_providers(dev),
            (2, true) => shared_provider(dev),
            (2, false) => {
                foreign_release(dev);
                Ok(MisuseData::default())
            }
            (3, true) => resource_provider(pdev),
            (4, true) => raw_provider(pdev),
            _ => Err(EINVAL),
        }
    }

    fn unbind<'bound>(_pdev: &'bound platform::Device<Core<'_>>, this: Pin<&Self::Data<'bound>>) {
        if this.shared.is_some() {
            // The binding's reference is then the last: the provider goes
            // with the binding.
            *PROVIDER.lock() = None;
        }
    }
}

#[pin_data]
struct MisuseModule {
    #[pin]
    _driver: Registration<platform::Adapter<Misuse>>,
}

impl InPlaceModule for MisuseModule {
    fn init(module: &'static ThisModule) -> impl PinInit<Self, Error> {
        // SAFETY: Called once, before the driver is registered.
        unsafe { PROVIDER.init() };
        try_pin_init!(Self {
            _driver <- Registration::new(DRIVER_NAME, module),
        })
    }
}
