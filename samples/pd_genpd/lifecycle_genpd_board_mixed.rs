// SPDX-License-Identifier: GPL-2.0

//! A PCI card with a power controller of six domains and six consumers,
//! described in a device tree overlay (`board_mixed.dtso`).
//!
//! Each consumer is in two domains and the domains have zero to four
//! consumers, so the order in which the consumers probe decides when each
//! domain is released. The driver is [`board`], shared with the other
//! cards.

mod board;

/// The overlay, compiled from `board_mixed.dtso` by Kbuild.
static BOARD_DTBO: &[u8] = include_bytes!("board_mixed.dtbo");

kernel::module_pci_driver! {
    type: board::Board,
    name: "lifecycle_genpd_board_mixed",
    authors: ["Rust driver lifecycle lab"],
    description: "PCI card with a six-domain power controller and six consumers",
    license: "GPL",
}
