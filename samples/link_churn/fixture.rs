// SPDX-License-Identifier: GPL-2.0

//! The fixture: the supplier device and, in the anchored build, the anchor,
//! a consumer linked to the supplier before its driver is registered and
//! never bound (no driver matches its name), so the supplier never syncs
//! and its binds and consumer removals keep calling `queue_sync_state()`.

use kernel::{
    device::link,
    platform,
    prelude::*, //
};

/// Name of the supplier device and of its driver: they match by name.
pub(crate) const SUPPLIER_NAME: &CStr = c"drvlife-churn-supplier";
/// Name of the churned consumers, `drvlife-churn-consumer.<id>`; no driver
/// has it.
pub(crate) const CONSUMER_NAME: &CStr = c"drvlife-churn-consumer";
/// Name of the anchor device, which no driver has either.
pub(crate) const ANCHOR_DEVICE: &CStr = c"drvlife-churn-anchor";

/// The supplier and the anchor; the anchor is dropped first.
pub(crate) struct Fixture {
    _anchor: Option<platform::Registration>,
    supplier: platform::Registration,
}

impl Fixture {
    /// Creates the supplier and, if `anchored`, the anchor linked to it.
    pub(crate) fn new(anchored: bool) -> Result<Self> {
        let supplier = platform::Registration::new(&platform::DeviceInfo::new(SUPPLIER_NAME))?;
        let anchor = if anchored {
            let anchor = platform::Registration::new(&platform::DeviceInfo::new(ANCHOR_DEVICE))?;
            link::add_managed(
                anchor.device().as_ref(),
                supplier.device().as_ref(),
                link::Flags::NONE,
            )?;
            Some(anchor)
        } else {
            None
        };
        Ok(Self {
            _anchor: anchor,
            supplier,
        })
    }

    /// The supplier device.
    pub(crate) fn supplier(&self) -> &platform::Device {
        self.supplier.device()
    }
}
