// SPDX-License-Identifier: GPL-2.0

//! edu's interrupt handler: acknowledges the interrupt through `access()`.
//!
//! The handler is registered in the driver data ([`crate::msi`]), so it is
//! freed (`free_irq()` waits for a running handler) before the BAR is
//! revoked, and may hold the `&Device<Bound>` proof for the binding's
//! lifetime. The vector is an edge-triggered MSI that is not shared.

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
    regs::{
        EDU_IRQ_ACK,
        EDU_IRQ_STATUS, //
    },
    shared::Shared,
    stats::{
        count,
        IRQ, //
    },
};

/// The interrupt handler of a binding.
pub(crate) struct EduIrq<'bound> {
    /// The proof that the device is bound. The handler's registration cannot
    /// outlive `'bound`, so neither can the handler.
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
        let status = bar.read32(EDU_IRQ_STATUS);
        if status == 0 {
            // Already acknowledged by an earlier call.
            return IrqReturn::None;
        }
        bar.write32(status, EDU_IRQ_ACK);
        count(&IRQ.handled);
        IrqReturn::Handled
    }
}
