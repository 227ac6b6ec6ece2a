// SPDX-License-Identifier: GPL-2.0

//! Deliberately broken, for the harness's negative controls only:
//! `lifecycle_devres_edu` with an interrupt handler that does not
//! acknowledge.
//!
//! The module is built from the sample's own files (`devres_edu/`, included
//! with `#[path]`), except `irq.rs`, which it replaces with the handler
//! below. Every `write()` then waits in vain for the device to report its
//! interrupt acknowledged and fails with `ETIMEDOUT`, and the interrupt
//! check of `devres/irq_unbind.sh` must come out `not ok`
//! (`controls/devres_irq_unacked.sh`). The vector is an edge-triggered MSI
//! that is not shared, so the unacknowledged interrupt cannot storm.
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
#[path = "devres_edu/msi.rs"]
mod msi;
#[path = "devres_edu/read_outcome.rs"]
mod read_outcome;
#[path = "devres_edu/regs.rs"]
#[expect(
    dead_code,
    reason = "the acknowledge register is what this handler leaves alone"
)]
mod regs;
#[path = "devres_edu/shared.rs"]
mod shared;
#[path = "devres_edu/stats.rs"]
mod stats;
#[path = "devres_edu/timer.rs"]
mod timer;

/// The broken piece, in place of `devres_edu/irq.rs`.
mod irq {
    use kernel::{
        device::{
            Bound,
            Device, //
        },
        io::Io,
        irq::{
            self,
            IrqReturn, //
        },
        sync::Arc,
    };

    use crate::{
        regs::EDU_IRQ_STATUS,
        shared::Shared,
        stats::{
            count,
            IRQ, //
        },
    };

    /// An interrupt handler that claims edu's interrupt without
    /// acknowledging it: the bug under test.
    pub(crate) struct EduIrq<'bound> {
        dev: &'bound Device<Bound>,
        shared: Arc<Shared>,
    }

    impl<'bound> EduIrq<'bound> {
        /// A handler for the device `dev` and its state `shared`.
        pub(crate) fn new(dev: &'bound Device<Bound>, shared: Arc<Shared>) -> Self {
            Self { dev, shared }
        }
    }

    impl irq::Handler for EduIrq<'_> {
        fn handle(&self) -> IrqReturn {
            count(&IRQ.handler_calls);
            let Ok(bar) = self.shared.bar.access(self.dev) else {
                count(&IRQ.handler_access_failed);
                return IrqReturn::None;
            };
            if bar.read32(EDU_IRQ_STATUS) == 0 {
                return IrqReturn::None;
            }
            // The deliberate bug: no write to the acknowledge register.
            count(&IRQ.handled);
            IrqReturn::Handled
        }
    }
}

/// The module's name; also the name of its drivers.
pub(crate) const MODULE_NAME: &CStr = <LocalModule as kernel::ModuleMetadata>::NAME;

edu_module!(
    IrqNoAckModule,
    "lifecycle_edu_irq_no_ack",
    "Negative control: lifecycle_devres_edu whose interrupt handler does not ack"
);

#[pin_data]
struct IrqNoAckModule {
    #[pin]
    _driver: Registration<pci::Adapter<driver::EduDriver>>,
    #[pin]
    _child_driver: Registration<auxiliary::Adapter<child::ChildDriver>>,
    #[pin]
    _stats: File<()>,
    _stats_dir: Dir,
}

impl InPlaceModule for IrqNoAckModule {
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
