// SPDX-License-Identifier: GPL-2.0

//! Test-only negative control: `lifecycle_override_readers` with a broken
//! accessor, the override read with no lock (`unlocked.rs`). Under the
//! torture engine's writers its reads hit freed strings, which KASAN must
//! report (`controls/override_kernel_readers_unlocked.sh`).
//!
//! - [`readers`]: the misc device and the rounds, as in
//!   `lifecycle_override_readers`;
//! - [`accessor`]: the broken read.

use kernel::prelude::*;

#[path = "unlocked.rs"]
mod accessor;
mod readers;

module! {
    type: OverrideReaders,
    name: "lifecycle_override_readers_unlocked",
    authors: ["Rust driver lifecycle lab"],
    description: "Test-only: driver_override readers with an unlocked accessor (control)",
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
