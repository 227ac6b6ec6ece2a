// SPDX-License-Identifier: GPL-2.0

//! Test-only: kernel-side readers of pci-testdev's driver_override through
//! the Rust accessors of patch 0001, which the torture engine drives
//! (target `override-kernel-readers`) while its writers replace the
//! override. A `read()` of `/dev/drvlife-override-readers` runs `rounds`
//! rounds of `driver_override()`, `has_driver_override()` and
//! `driver_override_matches()` on the device.
//!
//! - [`readers`]: the misc device and the rounds, shared with the broken
//!   build `lifecycle_override_readers_unlocked`;
//! - [`accessor`]: how the override is read, here the Rust API.

use kernel::prelude::*;

#[path = "locked.rs"]
mod accessor;
mod readers;

module! {
    type: OverrideReaders,
    name: "lifecycle_override_readers",
    authors: ["Rust driver lifecycle lab"],
    description: "Test-only: kernel-side driver_override readers for the torture engine",
    license: "GPL",
    params: {
        rounds: u32 {
            default: 1000,
            description: "Rounds of the accessors per read() (1..=1000000)",
        },
    },
}

#[pin_data]
struct OverrideReaders {
    #[pin]
    _readers: readers::Readers,
}

impl kernel::InPlaceModule for OverrideReaders {
    fn init(_module: &'static ThisModule) -> impl PinInit<Self, Error> {
        try_pin_init!(Self {
            _readers <- readers::Readers::new(),
        })
    }
}
