// SPDX-License-Identifier: GPL-2.0

//! Deliberately broken, for the harness's negative controls only: the
//! resource of `lifecycle_srcu_common.rs` with the SRCU read-lock index
//! kept in the file's shared state, as the reverted `revocable` kept it in
//! `struct revocable` (seed 002: threads sharing one "potentially overwrite
//! the SRCU index of another thread which can cause the SRCU
//! synchronisation ... to never complete").
//!
//! Two threads reading one file across a grace period's index flip store
//! different indexes in the same place; both unlock with the last one
//! stored, so one index's readers never drain and a revocation
//! (`synchronize_srcu()`) waits for good: the hung-task detector must
//! report it (`controls-deadlock/cross_thread_srcu_idx.sh`). It uses the C SRCU
//! calls directly, since 7.3's `Srcu` keeps the index in its guard and
//! cannot express the bug.
//!
//! It must never be loaded outside the controls: the revocation never
//! returns and the module can never be unloaded.

use kernel::{
    prelude::*,
    InPlaceModule, //
};

#[path = "lifecycle_srcu_common.rs"]
mod common;

module! {
    type: SrcuSharedIdxModule,
    name: "lifecycle_srcu_shared_idx",
    authors: ["Rust driver lifecycle lab"],
    description: "Negative control: SRCU index in per-file shared state",
    license: "GPL",
    params: {
        read_delay_us: u32 {
            default: 2000,
            description: "How long a read stays in its SRCU read-side section",
        },
    },
}

/// The read-side section of a read, with the bug.
mod section {
    use core::{
        ptr,
        sync::atomic::{
            AtomicI32,
            Ordering, //
        },
    };
    use kernel::{
        bindings,
        time::{
            delay::fsleep,
            Delta, //
        },
    };

    use crate::common::Provider;

    /// One read, with the index stored in `shared_idx`, which every thread
    /// reading the same file shares, and read back from there at unlock.
    pub(crate) fn read_section(provider: &Provider, shared_idx: &AtomicI32, delay: Delta) -> bool {
        // `Srcu` is `#[repr(transparent)]` over its `srcu_struct`.
        let srcu = ptr::from_ref(&provider.srcu)
            .cast::<bindings::srcu_struct>()
            .cast_mut();
        // SAFETY: `srcu` is the initialised `srcu_struct` of `provider`, alive while it is.
        let idx = unsafe { bindings::srcu_read_lock(srcu) };
        shared_idx.store(idx, Ordering::Relaxed);
        let present = provider.present.load(Ordering::Acquire);
        fsleep(delay);
        // SAFETY: Not sound, deliberately: the index may be another thread's, which leaves
        // this thread's index unbalanced, the bug this control commits. The call itself is on
        // a valid `srcu_struct` with an index it returned.
        unsafe { bindings::srcu_read_unlock(srcu, shared_idx.load(Ordering::Relaxed)) };
        present
    }
}

#[pin_data]
struct SrcuSharedIdxModule {
    #[pin]
    inner: common::SrcuModule,
}

impl InPlaceModule for SrcuSharedIdxModule {
    fn init(_module: &'static ThisModule) -> impl PinInit<Self, Error> {
        try_pin_init!(Self {
            inner <- common::SrcuModule::new(),
        })
    }
}
