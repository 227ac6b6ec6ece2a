// SPDX-License-Identifier: GPL-2.0

//! Deliberately broken, for the harness's negative controls only:
//! `lifecycle_devres_edu` keeping a raw pointer to its BAR past unbind.
//!
//! The module is built from the sample's own files (`devres_edu/`, included
//! with `#[path]`), and registers, in place of the sample's PCI driver, a
//! wrapper that binds the device the same way and then keeps a raw pointer
//! to the BAR, outside its `Devres`. Reading
//! `/sys/kernel/debug/lifecycle_edu_raw_bar/bar` reads the BAR object
//! through that pointer: after an unbind it is revoked and freed, the bug
//! `Devres` exists to prevent, and KASAN must report it
//! (`controls/devres_raw_bar.sh`). Only the object is read, not the device
//! through the address in it: that mapping is gone too, and the page fault
//! would leave the reader holding the debugfs file, so that rmmod would
//! wait for it forever.
//!
//! It must never be loaded outside the controls. Its name is shorter than
//! the sample's plus a suffix because its children are named
//! `<module>.child`, which the auxiliary bus limits to 31 characters.

use core::{
    fmt::{
        self,
        Formatter, //
    },
    ptr,
    sync::atomic::{
        AtomicPtr,
        Ordering, //
    },
};
use kernel::{
    auxiliary,
    debugfs::{
        Dir,
        File, //
    },
    device::Core,
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
#[path = "devres_edu/read_outcome.rs"]
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
    RawBarModule,
    "lifecycle_edu_raw_bar",
    "Negative control: lifecycle_devres_edu keeping a raw BAR pointer past unbind"
);

/// The BAR of the last binding, escaped from its `Devres`: the bug under
/// test.
static RAW_BAR: AtomicPtr<pci::Bar<'static, { regs::EDU_REGS }>> = AtomicPtr::new(ptr::null_mut());

/// The sample's PCI driver, plus the bug: it keeps a raw pointer to the BAR.
struct RawBarDriver;

impl pci::Driver for RawBarDriver {
    type IdInfo = <driver::EduDriver as pci::Driver>::IdInfo;
    type Data<'bound> = <driver::EduDriver as pci::Driver>::Data<'bound>;

    const ID_TABLE: pci::IdTable<Self::IdInfo> = <driver::EduDriver as pci::Driver>::ID_TABLE;

    fn probe<'bound>(
        pdev: &'bound pci::Device<Core<'_>>,
        info: Option<&'bound Self::IdInfo>,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        driver::EduDriver::probe(pdev, info).pin_chain(move |data| {
            let bar = data.shared.bar.access(pdev.as_ref())?;
            // The deliberate bug: a pointer that outlives the `Devres`
            // revocation.
            RAW_BAR.store(ptr::from_ref(bar).cast_mut().cast(), Ordering::Relaxed);
            dev_warn!(pdev, "keeping a raw BAR pointer (test only)\n");
            Ok(())
        })
    }

    fn unbind<'bound>(pdev: &'bound pci::Device<Core<'_>>, this: Pin<&Self::Data<'bound>>) {
        driver::EduDriver::unbind(pdev, this);
    }
}

/// `bar`: the first word of the BAR object (its mapping), read through the
/// raw pointer.
fn read_bar(_: &(), f: &mut Formatter<'_>) -> fmt::Result {
    let raw = RAW_BAR.load(Ordering::Relaxed);
    if raw.is_null() {
        return writeln!(f, "bar=none");
    }
    // SAFETY: None, deliberately: after an unbind `raw` points to a BAR that was revoked and
    // freed. This read is the use-after-free KASAN must report.
    let word = unsafe { ptr::read_volatile(raw.cast::<usize>()) };
    pr_info!("read {word:#x} through the raw BAR pointer\n");
    writeln!(f, "bar={word:#x}")
}

#[pin_data]
struct RawBarModule {
    #[pin]
    _driver: Registration<pci::Adapter<RawBarDriver>>,
    #[pin]
    _child_driver: Registration<auxiliary::Adapter<child::ChildDriver>>,
    #[pin]
    _stats: File<()>,
    _stats_dir: Dir,
    #[pin]
    _bar: File<()>,
    _dir: Dir,
}

impl InPlaceModule for RawBarModule {
    fn init(module: &'static ThisModule) -> impl PinInit<Self, Error> {
        let stats_dir = Dir::new(c"drvlife-edu");
        let dir = Dir::new(MODULE_NAME);
        try_pin_init!(Self {
            _stats <- stats::stats_file(&stats_dir),
            _stats_dir: stats_dir,
            _bar <- dir.read_callback_file(c"bar", Ok::<(), Error>(()), &read_bar),
            _dir: dir,
            _driver <- Registration::new(MODULE_NAME, module),
            _child_driver <- Registration::new(MODULE_NAME, module),
        })
    }
}
