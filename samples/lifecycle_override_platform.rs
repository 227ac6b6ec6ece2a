// SPDX-License-Identifier: GPL-2.0

//! Two platform drivers for the same ACPI device (`_HID "LNUXD0D0"`, from
//! the SSDT in `qemu/ssdt.asl`): `drvlife_plat_alpha` and
//! `drvlife_plat_beta`. Both match it through their ACPI tables, so
//! `driver_override` decides which one binds.

use kernel::{
    acpi,
    device::Core,
    driver,
    of,
    platform,
    prelude::*,
    InPlaceModule, //
};

#[path = "lifecycle_override_common.rs"]
mod common;

/// Driver names, indexed by the driver type's `ID`.
const NAMES: [&CStr; 2] = [c"drvlife_plat_alpha", c"drvlife_plat_beta"];

/// One of the two competing drivers; `ID` selects its name.
struct SteerableDriver<const ID: usize>;

kernel::acpi_device_table!(
    ACPI_TABLE,
    <SteerableDriver<0> as platform::Driver>::IdInfo,
    [(acpi::DeviceId::new(c"LNUXD0D0"), ())]
);

#[vtable]
impl<const ID: usize> platform::Driver for SteerableDriver<ID> {
    type IdInfo = ();
    type Data<'bound> = Self;

    const OF_ID_TABLE: Option<of::IdTable<Self::IdInfo>> = None;
    const ACPI_ID_TABLE: Option<acpi::IdTable<Self::IdInfo>> = Some(&ACPI_TABLE);

    fn probe<'bound>(
        pdev: &'bound platform::Device<Core<'_>>,
        _info: Option<&'bound Self::IdInfo>,
    ) -> impl PinInit<Self, Error> + 'bound {
        common::report_probe(pdev.as_ref(), NAMES[ID])?;
        Ok(Self)
    }

    fn unbind(pdev: &platform::Device<Core<'_>>, _this: Pin<&Self>) {
        dev_info!(pdev, "{}: unbind\n", NAMES[ID].to_str().unwrap_or("?"));
    }
}

#[pin_data]
struct OverridePlatformModule {
    #[pin]
    _alpha: driver::Registration<platform::Adapter<SteerableDriver<0>>>,
    #[pin]
    _beta: driver::Registration<platform::Adapter<SteerableDriver<1>>>,
}

impl InPlaceModule for OverridePlatformModule {
    fn init(module: &'static kernel::ThisModule) -> impl PinInit<Self, Error> {
        try_pin_init!(Self {
            _alpha <- driver::Registration::new(NAMES[0], module),
            _beta <- driver::Registration::new(NAMES[1], module),
        })
    }
}

module! {
    type: OverridePlatformModule,
    name: "lifecycle_override_platform",
    authors: ["Rust driver lifecycle lab"],
    description: "Two platform drivers for one device, steered by driver_override",
    license: "GPL",
}
