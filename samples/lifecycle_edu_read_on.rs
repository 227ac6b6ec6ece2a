// SPDX-License-Identifier: GPL-2.0

//! Deliberately broken, for the harness's negative controls only:
//! `lifecycle_devres_edu` whose reads go on after the device is gone.
//!
//! The module is built from the sample's own files (`devres_edu/`, included
//! with `#[path]`), with one file swapped: what a read makes of an
//! operation refused because the BAR is revoked
//! (`lifecycle_edu_read_on_outcome.rs`). It keeps going, as a driver that
//! retries a failed transfer until the device answers again would, so a
//! read in flight when the device is unplugged sleeps through all its
//! operations and returns a line instead of `ENODEV`: the checks of
//! `seeds/unplug_long_read.sh` must come out `not ok`
//! (`controls/unplug_read_on.sh`).
//!
//! It must never be loaded outside the controls. Its name is shorter than
//! the sample's plus a suffix because its children are named
//! `<module>.child`, which the auxiliary bus limits to 31 characters.

use kernel::{
    auxiliary,
    debugfs::{
        Dir,
        File, //
    },
    driver::Registration,
    pci,
    prelude::*,
    InPlaceModule, //
};

#[macro_use]
#[path = "devres_edu/params.rs"]
mod params;
#[path = "devres_edu/bench.rs"]
mod bench;
#[path = "devres_edu/child.rs"]
mod child;
#[path = "devres_edu/driver.rs"]
mod driver;
#[path = "devres_edu/file.rs"]
mod file;
#[path = "devres_edu/irq.rs"]
mod irq;
#[path = "devres_edu/msi.rs"]
mod msi;
#[path = "lifecycle_edu_read_on_outcome.rs"]
mod read_outcome;
#[path = "devres_edu/regs.rs"]
mod regs;
#[path = "devres_edu/shared.rs"]
mod shared;
#[path = "devres_edu/stats.rs"]
mod stats;
#[path = "devres_edu/timer.rs"]
mod timer;

/// The module's name; also the name of its drivers.
pub(crate) const MODULE_NAME: &CStr = <LocalModule as kernel::ModuleMetadata>::NAME;

edu_module!(
    ReadOnModule,
    "lifecycle_edu_read_on",
    "Negative control: lifecycle_devres_edu reading on after the device is gone"
);

#[pin_data]
struct ReadOnModule {
    #[pin]
    _driver: Registration<pci::Adapter<driver::EduDriver>>,
    #[pin]
    _child_driver: Registration<auxiliary::Adapter<child::ChildDriver>>,
    #[pin]
    _stats: File<()>,
    _stats_dir: Dir,
}

impl InPlaceModule for ReadOnModule {
    fn init(module: &'static ThisModule) -> impl PinInit<Self, Error> {
        let stats_dir = Dir::new(c"drvlife-edu");
        try_pin_init!(Self {
            _stats <- stats::stats_file(&stats_dir),
            _stats_dir: stats_dir,
            _driver <- Registration::new(MODULE_NAME, module),
            _child_driver <- Registration::new(MODULE_NAME, module),
        })
    }
}
