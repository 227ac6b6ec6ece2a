// SPDX-License-Identifier: GPL-2.0

//! The power controller's platform driver: registers the domains with
//! genpd as the onecell provider of its device tree node.
//!
//! The driver has no `sync_state()` of its own, so genpd gives it genpd's:
//! every domain stays on until no consumer that has yet to probe uses it,
//! released one by one (`queue_sync_state()`), all at `sync_state()`.

use kernel::{
    device::Core,
    of,
    platform,
    prelude::*, //
};

use crate::data::ControllerData;

kernel::of_device_table!(
    OF_TABLE,
    <Controller as platform::Driver>::IdInfo,
    [(of::DeviceId::new(c"drvlife,genpd-controller"), ())]
);

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
        ControllerData::new(pdev)
    }
}
