// SPDX-License-Identifier: GPL-2.0

//! Test-only: the genpd power controller of `pd_genpd/` with a
//! `sync_state()` of its own and no `queue_sync_state()`, as a genpd
//! provider was before this series: no domain is released until every
//! consumer of every domain has probed. The negative control of the genpd
//! suite's per-domain release (`genpd/per_domain.sh`).

use kernel::{
    device::Core,
    driver::Registration,
    of,
    platform,
    prelude::*,
    InPlaceModule, //
};

#[path = "pd_genpd/data.rs"]
mod data;
#[path = "pd_genpd/domains.rs"]
mod domains;

use data::{
    ControllerData,
    DRIVER_NAME, //
};

kernel::of_device_table!(
    OF_TABLE,
    <Controller as platform::Driver>::IdInfo,
    [(of::DeviceId::new(c"drvlife,genpd-controller"), ())]
);

struct Controller;

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

    fn sync_state<'bound>(
        _pdev: &'bound platform::Device<Core<'_>>,
        this: Pin<&Self::Data<'bound>>,
    ) {
        this.provider.release_all();
    }
}

module! {
    type: NosyncModule,
    name: "lifecycle_genpd_controller_nosync",
    authors: ["Rust driver lifecycle lab"],
    description: "Test-only: genpd controller without per-domain release",
    license: "GPL",
}

#[pin_data]
struct NosyncModule {
    #[pin]
    _driver: Registration<platform::Adapter<Controller>>,
}

impl InPlaceModule for NosyncModule {
    fn init(module: &'static ThisModule) -> impl PinInit<Self, Error> {
        try_pin_init!(Self {
            _driver <- Registration::new(DRIVER_NAME, module),
        })
    }
}
