// SPDX-License-Identifier: GPL-2.0

//! `Devres` `access()` versus `try_access()` on QEMU's `edu` device
//! (1234:11e8).
//!
//! BAR0 becomes a [`pci::DevresBar`] in an `Arc` shared by the driver, every
//! open file of the misc device `/dev/drvlife-edu` and the driver's
//! auxiliary children. Code that can prove the device is bound uses
//! `access()`; code that can outlive the binding uses `try_access_with()`
//! and counts what it was refused.
//!
//! - [`driver`]: the PCI driver (probe, unbind, the driver data);
//! - [`file`]: the files of `/dev/drvlife-edu` (reads, interrupt-raising
//!   writes, their timers);
//! - [`irq`] and [`msi`]: the interrupt handler and its MSI vector;
//! - [`child`]: the auxiliary children and their driver;
//! - [`timer`]: the periodic timer of files and children;
//! - [`stats`]: the counters, `/sys/kernel/debug/drvlife-edu/stats`;
//! - [`shared`], [`regs`], [`bench`]: the shared state, edu's registers,
//!   `make bench`.
//!
//! The negative controls build these files into test-only modules with one
//! piece broken (`samples/lifecycle_edu_*.rs`).

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
mod params;
mod bench;
mod child;
mod driver;
mod file;
mod irq;
mod msi;
mod read_outcome;
mod regs;
mod shared;
mod stats;
mod timer;

/// The module's name; also the name of its drivers and of its children's
/// auxiliary device prefix.
pub(crate) const MODULE_NAME: &CStr = <LocalModule as kernel::ModuleMetadata>::NAME;

edu_module!(
    DevresEduModule,
    "lifecycle_devres_edu",
    "Devres access() vs try_access() on QEMU's edu device"
);

#[pin_data]
struct DevresEduModule {
    #[pin]
    _driver: Registration<pci::Adapter<driver::EduDriver>>,
    #[pin]
    _child_driver: Registration<auxiliary::Adapter<child::ChildDriver>>,
    #[pin]
    _stats: File<()>,
    _stats_dir: Dir,
}

impl InPlaceModule for DevresEduModule {
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
