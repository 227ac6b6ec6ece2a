// SPDX-License-Identifier: GPL-2.0

//! Test-only (`make bench`): the batch fixture with a per-object rwsem in
//! place of RCU, the alternative argued for in the discussion patch 0020
//! follows.
//!
//! `try_access_with()` takes the object's rwsem for reading and checks a
//! flag; revoking takes it for writing, clears the flag and drops the
//! payload: no grace period, one uncontended write lock per object at
//! unbind, but an atomic read-modify-write on a shared cache line per
//! access. The benchmark compares both costs with `lifecycle_devres_batch`.

use core::{
    cell::UnsafeCell,
    mem::MaybeUninit,
    ptr, //
};
use kernel::{
    bindings,
    device::{
        Bound,
        Device, //
    },
    devres,
    prelude::*,
    sync::{
        aref::ARef,
        Arc, //
    },
    types::Opaque,
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
pub(crate) type Design = RwSlot;

batch_module!(
    BatchModule,
    "lifecycle_devres_batch_rwsem",
    "Test only: the batch fixture with a per-object rwsem instead of RCU"
);

/// A payload behind its own rwsem.
///
/// # Invariants
///
/// `available` and `data` are read with `sem` held for reading and written
/// with it held for writing (or with `&mut self`); `data` is initialised
/// while `available` is `true`.
#[pin_data(PinnedDrop)]
struct RwInner {
    #[pin]
    sem: Opaque<bindings::rw_semaphore>,
    available: UnsafeCell<bool>,
    data: UnsafeCell<MaybeUninit<Tracked>>,
}

// SAFETY: `Tracked` is `Send`, and every access to the cells follows the rwsem (invariant).
unsafe impl Send for RwInner {}
// SAFETY: Shared access only reads the cells under the read lock and writes them under the write
// lock (invariant), and `Tracked` is `Sync`.
unsafe impl Sync for RwInner {}

impl RwInner {
    fn new(value: Tracked) -> impl PinInit<Self> {
        pin_init!(Self {
            sem <- Opaque::ffi_init(|sem: *mut bindings::rw_semaphore| {
                // SAFETY: `sem` is valid for writes of an uninitialised `rw_semaphore`; the name
                // and the class key are static.
                unsafe {
                    bindings::__init_rwsem(
                        sem,
                        c"batch_rwsem".as_char_ptr(),
                        kernel::static_lock_class!().as_ptr(),
                    )
                }
            }),
            // INVARIANT: `data` is initialised and `available` is `true`.
            available: UnsafeCell::new(true),
            data: UnsafeCell::new(MaybeUninit::new(value)),
        })
    }

    fn try_access_with<R, F: FnOnce(&Tracked) -> R>(&self, f: F) -> Option<R> {
        // SAFETY: `sem` was initialised by `__init_rwsem()` in `new()`.
        unsafe { bindings::down_read(self.sem.get()) };
        // SAFETY: The read lock is held (invariant).
        let available = unsafe { *self.available.get() };
        let result = available.then(|| {
            // SAFETY: `data` is initialised while `available` is `true`, and stays so while the
            // read lock is held (invariant).
            f(unsafe { (*self.data.get()).assume_init_ref() })
        });
        // SAFETY: Taken above.
        unsafe { bindings::up_read(self.sem.get()) };
        result
    }

    /// # Safety
    ///
    /// The caller must ensure that `revoke()` cannot run until the returned reference is gone.
    unsafe fn access(&self) -> &Tracked {
        // SAFETY: By the safety requirements `data` stays initialised while the reference lives.
        unsafe { (*self.data.get()).assume_init_ref() }
    }

    fn revoke(&self) {
        // SAFETY: `sem` was initialised by `__init_rwsem()` in `new()`.
        unsafe { bindings::down_write(self.sem.get()) };
        // SAFETY: The write lock is held: no reader is in `try_access_with()` (invariant).
        unsafe {
            if *self.available.get() {
                // INVARIANT: `available` is cleared before `data` is dropped.
                *self.available.get() = false;
                ptr::drop_in_place((*self.data.get()).as_mut_ptr());
            }
        }
        // SAFETY: Taken above.
        unsafe { bindings::up_write(self.sem.get()) };
    }
}

#[pinned_drop]
impl PinnedDrop for RwInner {
    fn drop(self: Pin<&mut Self>) {
        // SAFETY: Only the cells are touched, none is moved out of.
        let this = unsafe { self.get_unchecked_mut() };
        if *this.available.get_mut() {
            // SAFETY: `data` is initialised while `available` is `true` (invariant), and nobody
            // else can reach it anymore.
            unsafe { this.data.get_mut().assume_init_drop() };
        }
    }
}

/// An object revoked at unbind under its rwsem.
pub(crate) struct RwSlot {
    dev: ARef<Device>,
    inner: Arc<RwInner>,
}

/// The devres action of one [`RwSlot`].
struct RwRevoker(Arc<RwInner>);

impl Drop for RwRevoker {
    fn drop(&mut self) {
        self.0.revoke();
    }
}

impl slot::Slot for RwSlot {
    const DESIGN: &'static str = "rwsem";

    fn new(dev: &Device<Bound>, value: Tracked) -> Result<Self> {
        let inner = Arc::pin_init(RwInner::new(value), GFP_KERNEL)?;
        devres::register(dev, RwRevoker(inner.clone()), GFP_KERNEL)?;
        Ok(Self {
            dev: dev.into(),
            inner,
        })
    }

    fn try_access_with<R, F: FnOnce(&Tracked) -> R>(&self, f: F) -> Option<R> {
        self.inner.try_access_with(f)
    }

    fn access<'a>(&'a self, dev: &'a Device<Bound>) -> Result<&'a Tracked> {
        if !core::ptr::eq(&*self.dev, &**dev) {
            return Err(EINVAL);
        }
        // SAFETY: `dev` is bound, so its devres actions, among them this object's `RwRevoker`,
        // have not run and cannot run while `dev` is borrowed.
        Ok(unsafe { self.inner.access() })
    }
}
