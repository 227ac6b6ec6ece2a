// SPDX-License-Identifier: GPL-2.0

//! Two PCI drivers for the same device (QEMU's `pci-testdev`, 1b36:0005):
//! `drvlife_ovr_alpha` and `drvlife_ovr_beta`. Both match it by ID, so
//! `driver_override` decides which one binds.
//!
//! Each probe reads its device's override through
//! [`Device::driver_override`](kernel::device::Device::driver_override) and
//! logs it; if the override no longer names the driver by then (it can be
//! rewritten at any time: sysfs writes take only its spinlock), that is logged too.

use kernel::{
    device::Core,
    driver,
    pci,
    prelude::*,
    InPlaceModule, //
};

#[path = "lifecycle_override_common.rs"]
mod common;

/// Driver names, indexed by the driver type's `ID`.
const NAMES: [&CStr; 2] = [c"drvlife_ovr_alpha", c"drvlife_ovr_beta"];

/// One of the two competing drivers; `ID` selects its name.
struct SteerableDriver<const ID: usize>;

kernel::pci_device_table!(
    PCI_TABLE,
    <SteerableDriver<0> as pci::Driver>::IdInfo,
    [(pci::DeviceId::from_id(pci::Vendor::REDHAT, 0x5), ())]
);

impl<const ID: usize> pci::Driver for SteerableDriver<ID> {
    type IdInfo = ();
    type Data<'bound> = Self;

    const ID_TABLE: pci::IdTable<Self::IdInfo> = &PCI_TABLE;

    fn probe<'bound>(
        pdev: &'bound pci::Device<Core<'_>>,
        _info: Option<&'bound Self::IdInfo>,
    ) -> impl PinInit<Self, Error> + 'bound {
        common::report_probe(pdev.as_ref(), NAMES[ID])?;
        Ok(Self)
    }

    fn unbind(pdev: &pci::Device<Core<'_>>, _this: Pin<&Self>) {
        dev_info!(pdev, "{}: unbind\n", NAMES[ID].to_str().unwrap_or("?"));
    }
}

#[pin_data]
struct OverridePciModule {
    #[pin]
    _alpha: driver::Registration<pci::Adapter<SteerableDriver<0>>>,
    #[pin]
    _beta: driver::Registration<pci::Adapter<SteerableDriver<1>>>,
}

impl InPlaceModule for OverridePciModule {
    fn init(module: &'static kernel::ThisModule) -> impl PinInit<Self, Error> {
        try_pin_init!(Self {
            _alpha <- driver::Registration::new(NAMES[0], module),
            _beta <- driver::Registration::new(NAMES[1], module),
        })
    }
}

module! {
    type: OverridePciModule,
    name: "lifecycle_override_pci",
    authors: ["Rust driver lifecycle lab"],
    description: "Two PCI drivers for one device, steered by driver_override",
    license: "GPL",
}
