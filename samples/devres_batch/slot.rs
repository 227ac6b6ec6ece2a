// SPDX-License-Identifier: GPL-2.0

//! The accessor API every design of a device-managed revocable object
//! offers to the fixture, and its implementation by [`Devres`] itself.
//!
//! The other designs (test-only: one grace period per object, as before
//! patch 0020; a per-object rwsem; a drop before the grace period) are in
//! their crate roots.

use kernel::{
    device::{
        Bound,
        Device, //
    },
    devres::Devres,
    prelude::*,
};

use crate::payload::Tracked;

/// A [`Tracked`] object revoked when its device is unbound.
pub(crate) trait Slot: Send + Sync + Sized + 'static {
    /// What the benchmark calls the design.
    const DESIGN: &'static str;

    /// Registers `value` with `dev`: it is revoked and dropped when `dev` is
    /// unbound, before the unbind returns.
    fn new(dev: &Device<Bound>, value: Tracked) -> Result<Self>;

    /// Runs `f` on the object if it is not revoked yet; `f` must not sleep.
    fn try_access_with<R, F: FnOnce(&Tracked) -> R>(&self, f: F) -> Option<R>;

    /// The object, without synchronisation: `dev` proves it is not revoked.
    fn access<'a>(&'a self, dev: &'a Device<Bound>) -> Result<&'a Tracked>;
}

impl Slot for Devres<Tracked> {
    const DESIGN: &'static str = "devres";

    fn new(dev: &Device<Bound>, value: Tracked) -> Result<Self> {
        Devres::new_batched(dev, value)
    }

    fn try_access_with<R, F: FnOnce(&Tracked) -> R>(&self, f: F) -> Option<R> {
        Devres::try_access_with(self, f)
    }

    fn access<'a>(&'a self, dev: &'a Device<Bound>) -> Result<&'a Tracked> {
        Devres::access(self, dev)
    }
}
