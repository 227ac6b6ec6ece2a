// SPDX-License-Identifier: GPL-2.0

//! A PCI card for the benchmark: a power controller of 32 domains and 32
//! consumers (`board_k32.dtso`, written by `gen_bench_board.sh`).
//!
//! Consumer i is in domains i and i + 1 (mod 32): genpd attaches no device
//! with more than one domain, so a domain is unused and powers off the
//! moment it is released, and the benchmark sees the release in the
//! controller's log. The driver is [`board`], shared with the other cards.

mod board;

/// The overlay, compiled from `board_k32.dtso` by Kbuild.
static BOARD_DTBO: &[u8] = include_bytes!("board_k32.dtbo");

kernel::module_pci_driver! {
    type: board::Board,
    name: "lifecycle_genpd_board_k32",
    authors: ["Rust driver lifecycle lab"],
    description: "PCI card with a 32-domain power controller (benchmark)",
    license: "GPL",
}
