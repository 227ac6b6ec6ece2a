// SPDX-License-Identifier: GPL-2.0

//! A power controller with several independent power domains, released one
//! by one through `queue_sync_state()`.
//!
//! The controller binds to the platform device `drvlife-pwrctl`, which has
//! `drvlife,num-domains` domains. Its consumers are platform devices with a
//! managed device link to it and a `drvlife,power-domain` property naming
//! their domain (the board fixture `lifecycle_pd_board` creates them). All
//! domains start on, as a bootloader would leave them. The driver core calls
//! `queue_sync_state()` whenever a consumer binds or goes away, and the
//! controller releases every domain whose consumers are all bound, while the
//! other domains stay on. `sync_state()` finally releases what is left.
//!
//! - [`driver`]: the platform driver and its data;
//! - [`book`]: the per-domain bookkeeping and its KUnit tests,
//!   `/sys/kernel/debug/drvlife_pwrctl/domains`;
//! - [`stats`]: module-wide counters,
//!   `/sys/kernel/debug/drvlife_pwrctl-stats/stats`.
//!
//! The domains are modelled by the driver rather than backed by generic PM
//! domains: genpd cannot be built on x86 in 7.3 (`PM_GENERIC_DOMAINS` is not
//! selectable) and its own "stay on until sync_state" logic is OF-only, so
//! attaching the consumers to genpd would add no observable behaviour here.
//!
//! The negative control `samples/lifecycle_pd_controller_unprotected.rs`
//! builds these files into a test-only module with a bug added.

use kernel::{
    debugfs::{
        Dir,
        File, //
    },
    driver::Registration,
    platform,
    prelude::*,
    InPlaceModule, //
};

mod book;
mod driver;
mod stats;

module! {
    type: PdControllerModule,
    name: "lifecycle_pd_controller",
    authors: ["Rust driver lifecycle lab"],
    description: "Multi-domain power controller released through queue_sync_state()",
    license: "GPL",
}

#[pin_data]
struct PdControllerModule {
    #[pin]
    _driver: Registration<platform::Adapter<driver::PwrCtlDriver>>,
    #[pin]
    _stats: File<()>,
    _stats_dir: Dir,
}

impl InPlaceModule for PdControllerModule {
    fn init(module: &'static ThisModule) -> impl PinInit<Self, Error> {
        let stats_dir = Dir::new(c"drvlife_pwrctl-stats");
        try_pin_init!(Self {
            _stats <- stats::stats_file(&stats_dir),
            _stats_dir: stats_dir,
            _driver <- Registration::new(driver::CONTROLLER_NAME, module),
        })
    }
}
