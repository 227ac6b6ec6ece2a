// SPDX-License-Identifier: GPL-2.0

//! Test-only: a resource guarded by SRCU and read through the files of a
//! misc device (`lifecycle_srcu_common.rs`), with the SRCU index where 7.3's
//! `Srcu::read_lock()` keeps it: in the guard, on each reader's stack.
//! Threads sharing one open file each have their own index, so every
//! revocation completes (seeds/srcu_shared_file.sh).
//!
//! Its negative control, `lifecycle_srcu_shared_idx`, keeps the index in
//! the file's shared state instead, as the reverted `revocable` did.

use kernel::{
    prelude::*,
    InPlaceModule, //
};

#[path = "lifecycle_srcu_common.rs"]
mod common;

module! {
    type: SrcuFileModule,
    name: "lifecycle_srcu_file",
    authors: ["Rust driver lifecycle lab"],
    description: "Test-only: SRCU readers sharing a file, index in the guard",
    license: "GPL",
    params: {
        read_delay_us: u32 {
            default: 2000,
            description: "How long a read stays in its SRCU read-side section",
        },
    },
}

/// The read-side section of a read.
mod section {
    use core::sync::atomic::{
        AtomicI32,
        Ordering, //
    };
    use kernel::time::{
        delay::fsleep,
        Delta, //
    };

    use crate::common::Provider;

    /// One read: whether the resource is present, seen in an SRCU
    /// read-side section that lasts `delay`. The index stays in the guard;
    /// the file's shared state is not used.
    pub(crate) fn read_section(provider: &Provider, _shared_idx: &AtomicI32, delay: Delta) -> bool {
        let guard = provider.srcu.read_lock();
        let present = provider.present.load(Ordering::Acquire);
        fsleep(delay);
        drop(guard);
        present
    }
}

#[pin_data]
struct SrcuFileModule {
    #[pin]
    inner: common::SrcuModule,
}

impl InPlaceModule for SrcuFileModule {
    fn init(_module: &'static ThisModule) -> impl PinInit<Self, Error> {
        try_pin_init!(Self {
            inner <- common::SrcuModule::new(),
        })
    }
}
