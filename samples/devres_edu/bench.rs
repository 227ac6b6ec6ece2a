// SPDX-License-Identifier: GPL-2.0

//! `make bench`: what the accessors cost (`bench_iters`) and what unbinding
//! costs per `Devres` alive (`extra_devres`).

use core::{
    hint::black_box,
    ptr, //
};
use kernel::{
    device::{
        Bound,
        Device, //
    },
    devres::Devres,
    prelude::*,
    time::{
        Instant,
        Monotonic, //
    },
};

use crate::shared::Shared;

/// Most `extra_devres` objects per binding.
const MAX_EXTRA_DEVRES: u32 = 1000;

/// `count` (at most 1000) `Devres` objects of `dev`, to be shared like the
/// BAR: unbinding revokes each of them.
pub(crate) fn extra_devres(dev: &Device<Bound>, count: u32) -> Result<KVec<Devres<u64>>> {
    let count = count.min(MAX_EXTRA_DEVRES);
    let mut extra = KVec::with_capacity(count as usize, GFP_KERNEL)?;
    for i in 0..count {
        extra.push(Devres::new(dev, u64::from(i))?, GFP_KERNEL)?;
    }
    Ok(extra)
}

/// Picoseconds per call of `f`, called `iters` times.
fn ps_per_call(iters: u32, mut f: impl FnMut()) -> i64 {
    let start = Instant::<Monotonic>::now();
    for _ in 0..iters {
        f();
    }
    start.elapsed().as_nanos() * 1000 / i64::from(iters.max(1))
}

/// The cost of each accessor, against a plain reference read (the floor),
/// logged as one line of `key=value` fields. Only the accessor is timed, no
/// MMIO: an MMIO read under emulation costs far more than any accessor and
/// would hide the difference.
pub(crate) fn bench_accessors(dev: &Device<Bound>, shared: &Shared, iters: u32) {
    let plain = ps_per_call(iters, || {
        black_box(&black_box(shared).bar);
    });
    let access = ps_per_call(iters, || {
        let _ = black_box(black_box(&shared.bar).access(black_box(dev)));
    });
    let try_access = ps_per_call(iters, || {
        black_box(black_box(&shared.bar).try_access().is_some());
    });
    let try_access_with = ps_per_call(iters, || {
        black_box(black_box(&shared.bar).try_access_with(|bar| ptr::from_ref(bar).addr()));
    });
    dev_info!(
        dev,
        "bench: iters={iters} plain_ps={plain} access_ps={access} try_access_ps={try_access} try_access_with_ps={try_access_with}\n"
    );
}
