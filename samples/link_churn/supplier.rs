// SPDX-License-Identifier: GPL-2.0

//! The supplier's driver: its `queue_sync_state()` walks the consumers with
//! the series' [`Consumers`] view while the churn adds and removes them,
//! and counts what each walk saw; `sync_state()` only counts its calls.

use kernel::{
    device::{
        self,
        link::Consumers,
        Core, //
    },
    platform,
    prelude::*,
};

use crate::{
    fixture,
    stats, //
};

/// The supplier's driver, bound by name to the supplier device.
pub(crate) struct SupplierDriver;

/// What one walk saw.
#[derive(Default)]
struct Walk {
    visited: u64,
    anchor: bool,
    foreign: u64,
    bound: u64,
}

impl Walk {
    fn visit(&mut self, consumer: &device::Device, bound: bool) {
        self.visited += 1;
        let name = consumer.name().to_bytes();
        if name == fixture::ANCHOR_DEVICE.to_bytes() {
            self.anchor = true;
        } else if !name.starts_with(fixture::CONSUMER_NAME.to_bytes()) {
            self.foreign += 1;
        }
        // No driver matches the consumers' names: none can be bound.
        if bound {
            self.bound += 1;
        }
    }
}

#[vtable]
impl platform::Driver for SupplierDriver {
    type IdInfo = ();
    type Data<'bound> = ();

    fn probe<'bound>(
        _pdev: &'bound platform::Device<Core<'_>>,
        _info: Option<&'bound Self::IdInfo>,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        Ok(())
    }

    fn sync_state<'bound>(pdev: &'bound platform::Device<Core<'_>>, _this: Pin<&()>) {
        stats::add(&stats::SYNC_STATE_CALLS, 1);
        dev_info!(pdev.as_ref(), "sync_state\n");
    }

    fn queue_sync_state<'bound>(
        pdev: &'bound platform::Device<Core<'_>>,
        _this: Pin<&()>,
        consumers: &Consumers<'_>,
    ) {
        let mut walk = Walk::default();
        consumers.for_each(|consumer, bound| walk.visit(consumer, bound));
        stats::add(&stats::QUEUE_CALLS, 1);
        stats::add(&stats::VISITED, walk.visited);
        stats::add(&stats::FOREIGN, walk.foreign);
        stats::add(&stats::BOUND, walk.bound);
        if crate::ANCHORED && !walk.anchor {
            stats::add(&stats::MISSED_ANCHOR, 1);
            dev_err!(
                pdev.as_ref(),
                "a walk of {} consumers missed the anchor\n",
                walk.visited
            );
        }
    }
}
