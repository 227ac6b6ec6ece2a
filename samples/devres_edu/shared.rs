// SPDX-License-Identifier: GPL-2.0

//! The state a binding shares with its open files and auxiliary children,
//! all of which may outlive it.

use kernel::{
    devres::Devres,
    io::Io,
    pci,
    prelude::*,
    sync::Arc, //
};

use crate::regs::{
    EDU_ID,
    EDU_ID_MAGIC,
    EDU_REGS, //
};

/// BAR0 of a bound edu device, in an `Arc` held by the driver data, every
/// open file and every auxiliary child.
pub(crate) struct Shared {
    /// BAR0, revoked when the device is unbound.
    pub(crate) bar: pci::DevresBar<EDU_REGS>,
    /// `extra_devres` objects, revoked with the BAR: they measure what
    /// unbinding costs per `Devres` alive (`make bench`).
    _extra: KVec<Devres<u64>>,
}

impl Shared {
    /// Shares `bar` and the benchmark's `extra` objects.
    pub(crate) fn new(
        bar: pci::DevresBar<EDU_REGS>,
        extra: KVec<Devres<u64>>,
    ) -> Result<Arc<Self>> {
        Ok(Arc::new(Self { bar, _extra: extra }, GFP_KERNEL)?)
    }

    /// One liveness check through `try_access_with()`: reads the
    /// identification register and checks its magic; `None` once the BAR is
    /// revoked. The register is read-only, so that checks of concurrent
    /// users cannot disturb each other.
    pub(crate) fn try_check_id(&self) -> Option<bool> {
        self.bar
            .try_access_with(|bar| bar.read32(EDU_ID) & 0xff == EDU_ID_MAGIC)
    }
}
