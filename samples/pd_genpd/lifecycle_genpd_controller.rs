// SPDX-License-Identifier: GPL-2.0

//! A power controller with several power domains, provided to genpd.
//!
//! The controller is a platform device described in a device tree (here
//! the overlay of `lifecycle_genpd_board`): compatible
//! `drvlife,genpd-controller`, `#power-domain-cells = <1>` and
//! `drvlife,domain-count`. Its consumers name a domain with
//! `power-domains = <&controller N>`; fw_devlink links them to the
//! controller from that property, and genpd attaches each to its domain
//! when it probes. All domains start on, as boot firmware would leave
//! them, and genpd keeps each on until no consumer still waiting to probe
//! uses it.
//!
//! - [`controller`]: the platform driver;
//! - [`data`]: a bound controller's data (genpd provider, debugfs file);
//! - [`domains`]: the domains' power state,
//!   `/sys/kernel/debug/drvlife_genpd_controller/domains`.

use kernel::{
    driver::Registration,
    platform,
    prelude::*,
    InPlaceModule, //
};

mod controller;
mod data;
mod domains;

module! {
    type: GenpdControllerModule,
    name: "lifecycle_genpd_controller",
    authors: ["Rust driver lifecycle lab"],
    description: "Multi-domain power controller, a genpd onecell provider",
    license: "GPL",
}

#[pin_data]
struct GenpdControllerModule {
    #[pin]
    _driver: Registration<platform::Adapter<controller::Controller>>,
}

impl InPlaceModule for GenpdControllerModule {
    fn init(module: &'static ThisModule) -> impl PinInit<Self, Error> {
        try_pin_init!(Self {
            _driver <- Registration::new(data::DRIVER_NAME, module),
        })
    }
}
