// SPDX-License-Identifier: GPL-2.0

//! Test fixture: a platform device with many `Devres` objects, all revoked
//! by one unbind.
//!
//! The module registers a platform device and its driver (both named
//! `lifecycle_devres_batch`); each binding creates `objects` `Devres`
//! objects (default 1000), each holding a heap payload. Readers
//! (`/dev/drvlife-batch`, see `file.rs`) hold the objects past the unbind
//! and check every payload in `try_access_with()`; counters in
//! `/sys/kernel/debug/drvlife-batch/stats` show each payload created and
//! dropped once. With patch 0020 of the series the unbind revokes all of
//! them, waits for one RCU grace period and then drops them.
//!
//! The same files build the test-only variants of the other designs, each
//! in its own crate root: `lifecycle_devres_batch_pergp` (one grace period
//! per object, the design before patch 0020), `lifecycle_devres_batch_rwsem`
//! (a per-object rwsem) and `lifecycle_devres_batch_early` (the payload
//! dropped before the grace period: the negative control).

use kernel::{
    devres::Devres,
    prelude::*, //
};

#[macro_use]
mod params;
mod driver;
mod file;
mod fixture;
mod payload;
mod slot;

use fixture::BatchModule;

/// The design of this crate's objects.
pub(crate) type Design = Devres<payload::Tracked>;

batch_module!(
    BatchModule,
    "lifecycle_devres_batch",
    "Test fixture: many Devres objects revoked by one unbind"
);
