// SPDX-License-Identifier: GPL-2.0

//! Test-only negative control: `lifecycle_link_churn` without the anchor,
//! the consumer that never binds. Once no unprobed consumer is left, at the
//! supplier's bind or between rounds, the driver core calls its
//! `sync_state()`, which the checks of `syncstate/link_churn.sh` forbid
//! while the anchor is linked: they must fail
//! (`controls/link_churn_unanchored.sh`). The modules are
//! `lifecycle_link_churn`'s files; the misc device and the debugfs
//! directory have the same names.

use kernel::prelude::*;

mod churn;
mod fixture;
#[macro_use]
mod module;
mod stats;
mod supplier;

use module::LinkChurn;

/// Whether the anchor holds the supplier's `sync_state()` back.
const ANCHORED: bool = false;

link_churn_module!(
    "lifecycle_link_churn_unanchored",
    "Test-only: the link churn without its anchor (control)"
);
