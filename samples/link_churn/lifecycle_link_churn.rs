// SPDX-License-Identifier: GPL-2.0

//! Test-only: the device-link, platform-registration and sync-state APIs of
//! the series in a tight kernel loop, for the torture engine (target
//! `link-churn`). Loading the module creates a supplier and the anchor, a
//! consumer that never binds, and registers the supplier's driver. Each
//! `read()` of `/dev/drvlife-link-churn` registers, links and removes
//! consumers while the engine binds and unbinds the supplier, whose
//! `queue_sync_state()` walks its consumers every time they change.
//! Counters: `/sys/kernel/debug/drvlife_link_churn/stats`.
//!
//! - [`fixture`]: the supplier and the anchor;
//! - [`supplier`]: the supplier's driver and what its walks check;
//! - [`churn`]: the misc device and its rounds;
//! - [`stats`]: the counters.
//!
//! Its control, `lifecycle_link_churn_unanchored`, has no anchor: the
//! supplier may sync, and the walks do not see the anchor.

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
const ANCHORED: bool = true;

module! {
    type: LinkChurn,
    name: "lifecycle_link_churn",
    authors: ["Rust driver lifecycle lab"],
    description: "Test-only: consumer devices and device links churned in the kernel",
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
