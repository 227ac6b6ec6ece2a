// SPDX-License-Identifier: GPL-2.0

//! The power controller's platform driver: registers the domains with
//! genpd as the onecell provider of its device tree node.
//!
//! The driver has no `sync_state()` of its own, so genpd gives it genpd's:
//! every domain stays on until no consumer that has yet to probe uses it,
//! released one by one (`queue_sync_state()`), all at `sync_state()`.

use kernel::{
    debugfs::{
        Dir,
        File, //
    },
    device::Core,
    of, platform,
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

kernel::of_device_table!(
    OF_TABLE,
    <Controller as platform::Driver>::IdInfo,
    [(of::DeviceId::new(c"drvlife,genpd-controller"), ())]
);

/// A bound controller.
#[pin_data]
pub(crate) struct ControllerData {
    /// Dropped first: genpd stops calling into the domains before the
    /// debugfs file that shows them goes.
    _provider: OnecellProvider<Domains>,
    #[pin]
    _domains: File<Arc<Domains>>,
    _dir: Dir,
}

/// The controller's driver.
pub(crate) struct Controller;

#[vtable]
impl platform::Driver for Controller {
    type IdInfo = ();
    type Data<'bound> = ControllerData;
    const OF_ID_TABLE: Option<of::IdTable<Self::IdInfo>> = Some(&OF_TABLE);

    fn probe<'bound>(
        pdev: &'bound platform::Device<Core<'_>>,
        _info: Option<&'bound Self::IdInfo>,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
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
                _provider: provider,
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
