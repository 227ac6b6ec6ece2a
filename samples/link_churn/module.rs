// SPDX-License-Identifier: GPL-2.0

//! The module shared by the crate roots: its declaration with the churn's
//! parameters (`link_churn_module!`, read by `churn.rs` as
//! `module_parameters::...`) and its type, which builds the fixture, the
//! supplier's driver, the misc device and the debugfs file. A crate root
//! chooses the module's name and whether the anchor is linked
//! (`crate::ANCHORED`).

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

use crate::{
    churn,
    fixture,
    stats,
    supplier, //
};

/// Declares the module `$name` with the churn's parameters.
macro_rules! link_churn_module {
    ($name:tt, $description:tt) => {
        module! {
            type: LinkChurn,
            name: $name,
            authors: ["Rust driver lifecycle lab"],
            description: $description,
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
    };
}

/// The module. Dropped in field order: the misc device first, then the
/// supplier's driver (the supplier unbinds), then its devices.
#[pin_data]
pub(crate) struct LinkChurn {
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
            let fixture = fixture::Fixture::new(crate::ANCHORED)?;
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
