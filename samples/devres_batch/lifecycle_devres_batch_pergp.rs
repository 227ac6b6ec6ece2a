// SPDX-License-Identifier: GPL-2.0

//! Test-only (`make bench`): the batch fixture with one RCU grace period
//! per object, the design of `Devres` before patch 0020.
//!
//! Each object is a `Revocable` shared with a devres action that revokes it
//! with `Revocable::revoke()`, which waits for its own `synchronize_rcu()`:
//! what `Devres`'s release callback did for each object. The benchmark
//! compares its unbind latency with `lifecycle_devres_batch`'s.

use kernel::{
    device::{
        Bound,
        Device, //
    },
    devres,
    prelude::*,
    revocable::Revocable,
    sync::{
        aref::ARef,
        Arc, //
    },
};

#[macro_use]
mod params;
mod driver;
mod file;
mod fixture;
mod payload;
mod slot;

use fixture::BatchModule;
use payload::Tracked;

/// The design of this crate's objects.
pub(crate) type Design = PerGp;

batch_module!(
    BatchModule,
    "lifecycle_devres_batch_pergp",
    "Test only: the batch fixture with one RCU grace period per object"
);

/// An object revoked, at unbind, with a grace period of its own.
pub(crate) struct PerGp {
    dev: ARef<Device>,
    data: Arc<Revocable<Tracked>>,
}

/// The devres action of one [`PerGp`]: revokes it when the device is
/// unbound.
struct Revoker(Arc<Revocable<Tracked>>);

impl Drop for Revoker {
    fn drop(&mut self) {
        self.0.revoke();
    }
}

impl slot::Slot for PerGp {
    const DESIGN: &'static str = "pergp";

    fn new(dev: &Device<Bound>, value: Tracked) -> Result<Self> {
        let data = Arc::pin_init(Revocable::new(value), GFP_KERNEL)?;
        devres::register(dev, Revoker(data.clone()), GFP_KERNEL)?;
        Ok(Self {
            dev: dev.into(),
            data,
        })
    }

    fn try_access_with<R, F: FnOnce(&Tracked) -> R>(&self, f: F) -> Option<R> {
        self.data.try_access_with(f)
    }

    fn access<'a>(&'a self, dev: &'a Device<Bound>) -> Result<&'a Tracked> {
        if !core::ptr::eq(&*self.dev, &**dev) {
            return Err(EINVAL);
        }
        // SAFETY: `dev` is bound, so its devres actions, among them this object's `Revoker`,
        // have not run and cannot run while `dev` is borrowed.
        Ok(unsafe { self.data.access() })
    }
}
