// SPDX-License-Identifier: GPL-2.0

//! A PCI card with a power controller and a second provider whose domain
//! has its parent domain on the controller (`board_nested.dtso`), for
//! `genpd/nested_provider.sh`. The driver is [`board`], shared with the
//! other cards.

mod board;

/// The overlay, compiled from `board_nested.dtso` by Kbuild.
static BOARD_DTBO: &[u8] = include_bytes!("board_nested.dtbo");

kernel::module_pci_driver! {
    type: board::Board,
    name: "lifecycle_genpd_board_nested",
    authors: ["Rust driver lifecycle lab"],
    description: "PCI card with a power domain whose parent is on another provider",
    license: "GPL",
}
