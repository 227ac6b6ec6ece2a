// SPDX-License-Identifier: GPL-2.0

//! A consumer of one of the power domains of `lifecycle_genpd_controller`.
//!
//! Its device tree node (compatible `drvlife,genpd-consumer`) names the
//! domain with `power-domains`; the driver itself does nothing with it:
//! genpd attaches the device to the domain before probe and detaches it
//! after remove, and keeps the domain on while the device is bound.

use kernel::{
    device::Core,
    of,
    platform,
    prelude::*, //
};

kernel::of_device_table!(
    OF_TABLE,
    <Consumer as platform::Driver>::IdInfo,
    [(of::DeviceId::new(c"drvlife,genpd-consumer"), ())]
);

/// The consumer's driver.
struct Consumer;

#[vtable]
impl platform::Driver for Consumer {
    type IdInfo = ();
    type Data<'bound> = ();
    const OF_ID_TABLE: Option<of::IdTable<Self::IdInfo>> = Some(&OF_TABLE);

    fn probe<'bound>(
        pdev: &'bound platform::Device<Core<'_>>,
        _info: Option<&'bound Self::IdInfo>,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        dev_info!(pdev.as_ref(), "bound, its power domain attached\n");
        Ok(())
    }

    fn unbind<'bound>(pdev: &'bound platform::Device<Core<'_>>, _this: Pin<&Self::Data<'bound>>) {
        dev_info!(pdev.as_ref(), "unbound\n");
    }
}

kernel::module_platform_driver! {
    type: Consumer,
    name: "lifecycle_genpd_consumer",
    authors: ["Rust driver lifecycle lab"],
    description: "Consumer of a genpd power domain",
    license: "GPL",
}
