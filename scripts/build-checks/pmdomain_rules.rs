// SPDX-License-Identifier: GPL-2.0

//! Build check, not a module we ship: what `kernel::pmdomain` (patch 0016)
//! must refuse at build time. `scripts/build-checks.sh` builds it once per
//! rule; each `--cfg` below adds exactly one violation to a driver that
//! builds as is (no `--cfg` at all):
//!
//! - `ops_bound_device`: power operations that borrow the binding (a
//!   `&'bound Device<Bound>`, with which `Devres::access()` reaches the
//!   device's resources without a check). genpd may call a domain's
//!   operations after the provider's driver unbound: a domain genpd cannot
//!   remove (a consumer is still attached to it) stays registered with its
//!   operations. So the operations must be `'static`.
//!
//! The build without a violation keeps a counted reference to the device
//! and reaches the resource with `Devres::try_access()`, which fails once
//! the binding is gone.

use kernel::{
    device::{
        self,
        Core, //
    },
    devres::Devres,
    platform,
    pmdomain::{
        self,
        OnecellProvider, //
    },
    prelude::*,
    sync::Arc, //
};

#[cfg(not(ops_bound_device))]
use kernel::sync::aref::ARef;

#[cfg(ops_bound_device)]
use kernel::device::Bound;

/// Power operations that keep what they need for as long as genpd may call
/// them.
#[cfg(not(ops_bound_device))]
struct CheckOps {
    dev: ARef<device::Device>,
    counter: Arc<Devres<KBox<u32>>>,
}

#[cfg(not(ops_bound_device))]
impl pmdomain::Operations for CheckOps {
    fn power_on(&self, index: usize) -> Result {
        let counter = self.counter.try_access().ok_or(ENODEV)?;
        dev_info!(self.dev, "domain {index} on ({})\n", **counter);
        Ok(())
    }

    fn power_off(&self, _index: usize) -> Result {
        Ok(())
    }
}

/// The violation: power operations that borrow the binding.
#[cfg(ops_bound_device)]
struct CheckOps<'bound> {
    dev: &'bound device::Device<Bound>,
    counter: Arc<Devres<KBox<u32>>>,
}

#[cfg(ops_bound_device)]
impl<'bound> pmdomain::Operations for CheckOps<'bound> {
    fn power_on(&self, index: usize) -> Result {
        let counter = self.counter.access(self.dev)?;
        dev_info!(self.dev, "domain {index} on ({})\n", **counter);
        Ok(())
    }

    fn power_off(&self, _index: usize) -> Result {
        Ok(())
    }
}

struct CheckDriver;

/// The driver's data: the provider of its device's node.
#[cfg(not(ops_bound_device))]
struct CheckData {
    _provider: OnecellProvider<CheckOps>,
}

/// The driver's data: the provider of its device's node.
#[cfg(ops_bound_device)]
struct CheckData<'bound> {
    _provider: OnecellProvider<CheckOps<'bound>>,
}

#[vtable]
impl platform::Driver for CheckDriver {
    type IdInfo = ();
    #[cfg(not(ops_bound_device))]
    type Data<'bound> = CheckData;
    #[cfg(ops_bound_device)]
    type Data<'bound> = CheckData<'bound>;

    fn probe<'bound>(
        pdev: &'bound platform::Device<Core<'_>>,
        _info: Option<&'bound Self::IdInfo>,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        let bound: &'bound device::Device<device::Bound> = pdev.as_ref();
        let counter = Arc::new(
            Devres::new(bound, KBox::new(0u32, GFP_KERNEL)?)?,
            GFP_KERNEL,
        )?;
        #[cfg(not(ops_bound_device))]
        let dev: ARef<device::Device> = {
            let plain: &device::Device = bound;
            plain.into()
        };
        #[cfg(ops_bound_device)]
        let dev = bound;
        let ops = Arc::new(CheckOps { dev, counter }, GFP_KERNEL)?;
        let provider = OnecellProvider::new(pdev.as_ref(), "drvlife-check", 1, ops, false)?;
        Ok(CheckData {
            _provider: provider,
        })
    }
}

kernel::module_platform_driver! {
    type: CheckDriver,
    name: "drvlife_build_check_pmdomain",
    authors: ["Rust driver lifecycle lab"],
    description: "Build check only",
    license: "GPL",
}
