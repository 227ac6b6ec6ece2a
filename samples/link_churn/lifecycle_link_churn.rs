// SPDX-License-Identifier: GPL-2.0

//! Test-only: the device-link, platform-registration and sync-state APIs of
//! the series in a tight kernel loop, for the torture engine (target
//! `link-churn`). Loading the module creates a supplier and the anchor, a
//! consumer that never binds, and registers the supplier's driver. Each
//! `read()` of `/dev/drvlife-link-churn` registers, links and removes
//! consumers while the engine binds and unbinds the supplier, whose
//! `queue_sync_state()` (at its binds and the removals of consumers while
//! it is bound) walks its consumers.
//! Counters: `/sys/kernel/debug/drvlife_link_churn/stats`.
//!
//! - [`fixture`]: the supplier and the anchor;
//! - [`supplier`]: the supplier's driver and what its walks check;
//! - [`churn`]: the misc device and its rounds;
//! - [`stats`]: the counters;
//! - [`module`]: the module type and its declaration, shared with the control.
//!
//! Its control, `lifecycle_link_churn_unanchored`, has no anchor: the
//! supplier may sync, and the walks do not see the anchor.

use kernel::prelude::*;

mod churn;
mod fixture;
#[macro_use]
mod module;
mod stats;
mod supplier;

use module::LinkChurn;

/// Whether the anchor holds the supplier's `sync_state()` back.
const ANCHORED: bool = true;

link_churn_module!(
    "lifecycle_link_churn",
    "Test-only: consumer devices and device links churned in the kernel"
);
