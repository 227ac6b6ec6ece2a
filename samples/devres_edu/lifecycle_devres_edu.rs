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

mod bench;
mod child;
mod driver;
mod file;
mod irq;
mod msi;
mod regs;
mod shared;
mod stats;
mod timer;

/// The module's name; also the name of its drivers and of its children's
/// auxiliary device prefix.
pub(crate) const MODULE_NAME: &CStr = <LocalModule as kernel::ModuleMetadata>::NAME;

module! {
    type: DevresEduModule,
    name: "lifecycle_devres_edu",
    authors: ["Rust driver lifecycle lab"],
    description: "Devres access() vs try_access() on QEMU's edu device",
    license: "GPL",
    params: {
        ops_per_read: u32 {
            default: 1,
            description: "Liveness checks per read() (1..=100000)",
        },
        read_delay_us: u32 {
            default: 0,
            description: "Sleep between checks of one read(), outside RCU (us)",
        },
        children: u32 {
            default: 2,
            description: "Auxiliary devices to register per edu device (0..=8)",
        },
        bench_iters: u32 {
            default: 0,
            description: "Benchmark the accessors at probe with this many calls each (0: off)",
        },
        extra_devres: u32 {
            default: 0,
            description: "Benchmark only: extra Devres objects per binding, shared like the BAR \
                          (0..=1000)",
        },
        timer_period_us: u32 {
            default: 0,
            description: "Each open file runs a periodic timer checking the device (us, 0: none, \
                          at least 500)",
        },
        child_timer_period_us: u32 {
            default: 0,
            description: "Each bound auxiliary child runs a periodic timer checking the parent's \
                          BAR (us, 0: none, at least 500)",
        },
        irq: bool {
            default: true,
            description: "Register the interrupt handler (0: none, for the fault-injection test)",
        },
    },
}

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
