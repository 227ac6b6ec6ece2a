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
//! `Devres`. So that this does not depend on a reader happening to be in
//! its read section at that moment, the first revoker waits until one is,
//! with half of its reads to go.
//! It must never be loaded outside the controls.

use core::sync::atomic::{
    AtomicBool,
    Ordering, //
};
use kernel::{
    device::{
        Bound,
        Device, //
    },
    devres,
    prelude::*,
    revocable::Revocable,
    sync::Arc,
    time::{
        delay::fsleep,
        Delta,
        Instant,
        Monotonic, //
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

/// How long the first revoker waits for a reader inside its object.
const OVERLAP_WAIT: Delta = Delta::from_millis(2000);

/// Set once a revoker has waited: one forced overlap is enough for KASAN.
static WAITED: AtomicBool = AtomicBool::new(false);

/// Waits, once per module load and at most [`OVERLAP_WAIT`], until a reader
/// is inside a check of `data` with half of its reads to go: then the drop
/// below frees the payload under it for certain, instead of only when a
/// reader happens to be there.
fn wait_for_a_reader(data: &Revocable<Tracked>) {
    if WAITED.swap(true, Ordering::Relaxed) {
        return;
    }
    let start = Instant::<Monotonic>::now();
    while start.elapsed() < OVERLAP_WAIT {
        if data.try_access_with(Tracked::being_checked) != Some(false) {
            return;
        }
        fsleep(Delta::from_micros(20));
    }
}

impl Drop for EarlyRevoker {
    fn drop(&mut self) {
        wait_for_a_reader(&self.0);
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
