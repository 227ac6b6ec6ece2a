// SPDX-License-Identifier: GPL-2.0

//! The card's PCI driver, shared by the board modules: each crate root
//! names its overlay (`crate::BOARD_DTBO`) and registers [`Board`].
//!
//! It binds to QEMU's `pci-testdev` (1b36:0005), which the kernel gives a
//! device tree node of its own (`CONFIG_PCI_DYNAMIC_OF_NODES`) even on an
//! ACPI machine. Probe applies the overlay under that node and populates
//! its nodes as platform devices: a power controller
//! (`lifecycle_genpd_controller`) and consumers
//! (`lifecycle_genpd_consumer`) of its domains. fw_devlink links each
//! consumer to the controller from its `power-domains`. Unbinding the card
//! removes the devices, then the overlay.

use kernel::{
    device::Core,
    of::overlay::{
        Overlay,
        Population, //
    },
    pci,
    prelude::*, //
};

/// A bound card.
pub(crate) struct BoardData {
    /// Declared first, so dropped first: the devices go before the overlay
    /// that describes them.
    _devices: Population,
    _overlay: Overlay,
}

/// The card's driver.
pub(crate) struct Board;

kernel::pci_device_table!(
    PCI_TABLE,
    <Board as pci::Driver>::IdInfo,
    [(pci::DeviceId::from_id(pci::Vendor::REDHAT, 0x5), ())]
);

impl pci::Driver for Board {
    type IdInfo = ();
    type Data<'bound> = BoardData;

    const ID_TABLE: pci::IdTable<Self::IdInfo> = &PCI_TABLE;

    fn probe<'bound>(
        pdev: &'bound pci::Device<Core<'_>>,
        _info: Option<&'bound Self::IdInfo>,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        let dev = pdev.as_ref();
        let overlay = Overlay::apply(dev, crate::BOARD_DTBO).inspect_err(|e| {
            dev_err!(dev, "cannot apply the board overlay: {e:?}\n");
        })?;
        let devices = Population::new(dev)?;
        dev_info!(dev, "board overlay applied, devices populated\n");
        Ok(BoardData {
            _devices: devices,
            _overlay: overlay,
        })
    }
}
