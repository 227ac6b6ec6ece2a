// SPDX-License-Identifier: GPL-2.0

//! Deliberately broken, for the negative control
//! `controls/devres_batch_early.sh` only: the batch fixture with each
//! payload dropped right after its revocation, without the RCU grace
//! period that must separate them.
//!
//! Each object is a `Revocable` shared with a devres action that revokes it
//! with `Revocable::revoke_deferred()` and then drops it at once with
//! `Revocable::drop_revoked()`. A reader already inside `try_access_with()`
//! keeps reading the payload, which is freed: KASAN must report the
//! use-after-free that `devres/batch_unbind.sh` proves impossible with
//! `Devres`. It must never be loaded outside the controls.

use kernel::{
    device::{
        Bound,
        Device, //
    },
    devres,
    prelude::*,
    revocable::Revocable,
    sync::Arc, //
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
pub(crate) type Design = Early;

batch_module!(
    BatchModule,
    "lifecycle_devres_batch_early",
    "Negative control: payloads dropped before the RCU grace period"
);

/// An object dropped at unbind without waiting for its readers: the bug.
pub(crate) struct Early(Arc<Revocable<Tracked>>);

/// The devres action of one [`Early`].
struct EarlyRevoker(Arc<Revocable<Tracked>>);

impl Drop for EarlyRevoker {
    fn drop(&mut self) {
        // SAFETY: None, deliberately: `drop_revoked()` requires a grace period after
        // `revoke_deferred()`, and there is none. Readers still in `try_access_with()` read freed
        // memory; this is the use-after-free KASAN must report.
        unsafe {
            if self.0.revoke_deferred() {
                self.0.drop_revoked();
            }
        }
    }
}

impl slot::Slot for Early {
    const DESIGN: &'static str = "early";

    fn new(dev: &Device<Bound>, value: Tracked) -> Result<Self> {
        let data = Arc::pin_init(Revocable::new(value), GFP_KERNEL)?;
        devres::register(dev, EarlyRevoker(data.clone()), GFP_KERNEL)?;
        Ok(Self(data))
    }

    fn try_access_with<R, F: FnOnce(&Tracked) -> R>(&self, f: F) -> Option<R> {
        self.0.try_access_with(f)
    }

    fn access<'a>(&'a self, _dev: &'a Device<Bound>) -> Result<&'a Tracked> {
        // The control never benchmarks `access()`.
        Err(EOPNOTSUPP)
    }
}
