// SPDX-License-Identifier: GPL-2.0

//! Test-only: a `queue_sync_state()` callback that registers and drops a
//! child platform device, which the driver core allows since it calls the
//! callback under the supplier's device lock rather than the global device
//! links lock. Loading the module creates the supplier and a consumer that
//! never binds, then registers the supplier's driver: the supplier binds
//! and its callback runs. Every later bind of the supplier (sysfs `bind`)
//! runs it again. Counters: `/sys/kernel/debug/drvlife_qss_child/stats`.
//!
//! Its negative control, `lifecycle_qss_inline`, makes the same call the
//! way the first design of the callback did, under the links lock.

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

#[path = "lifecycle_qss_child_common.rs"]
mod common;

module! {
    type: QssChildModule,
    name: "lifecycle_qss_child",
    authors: ["Rust driver lifecycle lab"],
    description: "Test-only: queue_sync_state() registering and dropping a child device",
    license: "GPL",
}

#[pin_data]
struct QssChildModule {
    /// Unregistered first: the supplier unbinds before its devices go.
    #[pin]
    _driver: driver::Registration<platform::Adapter<common::SupplierDriver>>,
    _fixture: common::Fixture,
    #[pin]
    _stats: File<()>,
    _dir: Dir,
}

impl InPlaceModule for QssChildModule {
    fn init(module: &'static ThisModule) -> impl PinInit<Self, Error> {
        pin_init::pin_init_scope(move || {
            let fixture = common::Fixture::new()?;
            let dir = Dir::new(c"drvlife_qss_child");

            Ok(try_pin_init!(Self {
                _stats <- common::stats_file(&dir),
                _dir: dir,
                _fixture: fixture,
                _driver <- driver::Registration::new(common::SUPPLIER_NAME, module),
            }))
        })
    }
}
