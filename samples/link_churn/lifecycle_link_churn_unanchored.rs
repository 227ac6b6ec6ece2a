// SPDX-License-Identifier: GPL-2.0

//! Test-only negative control: `lifecycle_link_churn` without the anchor,
//! the consumer that never binds. Once no unprobed consumer is left, at the
//! supplier's bind or between rounds, the driver core calls its
//! `sync_state()`, which the checks of `syncstate/link_churn.sh` forbid
//! while the anchor is linked: they must fail
//! (`controls/link_churn_unanchored.sh`). The modules are
//! `lifecycle_link_churn`'s files; the misc device and the debugfs
//! directory have the same names.

use kernel::{
    debugfs::{
        Dir,
        File, //
    },
    driver,
    platform,
    prelude::*,
    InPlaceModule, //
};

mod churn;
mod fixture;
mod stats;
mod supplier;

/// Whether the anchor holds the supplier's `sync_state()` back.
const ANCHORED: bool = false;

module! {
    type: LinkChurn,
    name: "lifecycle_link_churn_unanchored",
    authors: ["Rust driver lifecycle lab"],
    description: "Test-only: the link churn without its anchor (control)",
    license: "GPL",
    params: {
        rounds: u32 {
            default: 50,
            description: "Consumers registered and removed per read() (1..=100000)",
        },
        live: u32 {
            default: 4,
            description: "Consumers a read() keeps at once (1..=64)",
        },
    },
}

/// Dropped in field order: the misc device first, then the supplier's
/// driver (the supplier unbinds), then its devices.
#[pin_data]
struct LinkChurn {
    #[pin]
    _churn: churn::Churn,
    #[pin]
    _driver: driver::Registration<platform::Adapter<supplier::SupplierDriver>>,
    _fixture: fixture::Fixture,
    #[pin]
    _stats: File<()>,
    _dir: Dir,
}

impl InPlaceModule for LinkChurn {
    fn init(module: &'static ThisModule) -> impl PinInit<Self, Error> {
        pin_init::pin_init_scope(move || {
            let fixture = fixture::Fixture::new(ANCHORED)?;
            let dir = Dir::new(c"drvlife_link_churn");

            Ok(try_pin_init!(Self {
                _stats <- stats::stats_file(&dir),
                _dir: dir,
                _churn <- churn::Churn::new(fixture.supplier().as_ref()),
                _driver <- driver::Registration::new(fixture::SUPPLIER_NAME, module),
                _fixture: fixture,
            }))
        })
    }
}
