// SPDX-License-Identifier: GPL-2.0

//! A PCI card carrying a power controller and its consumers, described in
//! a device tree overlay, as `drivers/misc/lan966x_pci.c` does in C.
//!
//! `board.dtso`: the controller with three domains and a consumer each of
//! domains 0 and 1; domain 2 has none. The driver is [`board`], shared
//! with the other cards (`lifecycle_genpd_board_*`).

mod board;

/// The overlay, compiled from `board.dtso` by Kbuild.
static BOARD_DTBO: &[u8] = include_bytes!("board.dtbo");

kernel::module_pci_driver! {
    type: board::Board,
    name: "lifecycle_genpd_board",
    authors: ["Rust driver lifecycle lab"],
    description: "PCI card with a power controller described in a device tree overlay",
    license: "GPL",
}
