// SPDX-License-Identifier: GPL-2.0

//! A PCI card carrying a power controller and its consumers, described in
//! a device tree overlay, as `drivers/misc/lan966x_pci.c` does in C.
//!
//! It binds to QEMU's `pci-testdev` (1b36:0005), which the kernel gives a
//! device tree node of its own (`CONFIG_PCI_DYNAMIC_OF_NODES`) even on an
//! ACPI machine. Probe applies `board.dtso` under that node and populates
//! its nodes as platform devices: the controller
//! (`lifecycle_genpd_controller`) and two consumers
//! (`lifecycle_genpd_consumer`) of its domains 0 and 1; domain 2 has none.
//! fw_devlink links each consumer to the controller from its
//! `power-domains`. Unbinding the card removes the devices, then the
//! overlay.

use kernel::{
    device::Core,
    of::overlay::{
        Overlay,
        Population, //
    },
    pci,
    prelude::*, //
};

/// The overlay, compiled from `board.dtso` by Kbuild.
static BOARD_DTBO: &[u8] = include_bytes!("board.dtbo");

/// A bound card.
struct BoardData {
    /// Declared first, so dropped first: the devices go before the overlay
    /// that describes them.
    _devices: Population,
    _overlay: Overlay,
}

struct Board;

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
        let overlay = Overlay::apply(dev, BOARD_DTBO).inspect_err(|e| {
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

kernel::module_pci_driver! {
    type: Board,
    name: "lifecycle_genpd_board",
    authors: ["Rust driver lifecycle lab"],
    description: "PCI card with a power controller described in a device tree overlay",
    license: "GPL",
}
