// SPDX-License-Identifier: GPL-2.0

//! A bound controller's data: its domains registered with genpd, and the
//! debugfs file that shows them. Shared with the test-only variant.

use kernel::{
    debugfs::{
        Dir,
        File, //
    },
    device::Core,
    platform,
    pmdomain::OnecellProvider,
    prelude::*,
    sync::Arc,
};

use crate::domains::{
    Domains,
    MAX_DOMAINS, //
};

/// The driver's name, also its debugfs directory.
pub(crate) const DRIVER_NAME: &CStr = c"drvlife_genpd_controller";
/// Number of domains, a property of the controller's node.
const PROP_DOMAIN_COUNT: &CStr = c"drvlife,domain-count";

/// A bound controller.
#[pin_data]
pub(crate) struct ControllerData {
    /// Dropped first: genpd stops calling into the domains before the
    /// debugfs file that shows them goes.
    pub(crate) provider: OnecellProvider<Domains>,
    #[pin]
    _domains: File<Arc<Domains>>,
    _dir: Dir,
}

impl ControllerData {
    /// Registers the controller's domains (K from its node), all on.
    pub(crate) fn new<'bound, 'core>(
        pdev: &'bound platform::Device<Core<'core>>,
    ) -> impl PinInit<Self, Error> + use<'bound, 'core> {
        pin_init::pin_init_scope(move || {
            let dev = pdev.as_ref();
            let count = dev
                .fwnode()
                .ok_or(ENODEV)?
                .property_read::<u32>(PROP_DOMAIN_COUNT)
                .required_by(dev)?;
            let domains = Domains::new(count as usize).inspect_err(|_| {
                dev_err!(dev, "{count} domains, 1..={MAX_DOMAINS} supported\n");
            })?;
            let domains = Arc::new(domains, GFP_KERNEL)?;
            let provider = OnecellProvider::new(
                dev,
                "drvlife-genpd",
                domains.count(),
                domains.clone(),
                false,
            )?;
            dev_info!(dev, "{count} power domains, all on\n");
            let dir = Dir::new(DRIVER_NAME);

            Ok(try_pin_init!(ControllerData {
                provider,
                _domains <- dir.read_callback_file(
                    c"domains",
                    domains,
                    &|domains: &Arc<Domains>, f| write!(f, "{}", **domains),
                ),
                _dir: dir,
            }))
        })
    }
}
