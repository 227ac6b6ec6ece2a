// SPDX-License-Identifier: GPL-2.0

//! The files of the misc device `/dev/drvlife-batch`: the readers.
//!
//! A file opened while the device is bound holds its objects, so they
//! outlive the unbind. Each `read()` either sweeps every object once with
//! `try_access_with()`, checking the payload in a short RCU section that
//! does not sleep, and returns `ok=N refused=M bad=B` (`ENODEV` once every
//! object is revoked, so that `cat` ends); or, with `bench_iters`, times
//! that many calls of `try_access_with()` on the first object and returns
//! `try_access_with_ps=P`.

use core::hint::black_box;
use kernel::{
    fs::{
        File,
        Kiocb, //
    },
    iov::IovIterDest,
    miscdevice::{
        MiscDevice,
        MiscDeviceRegistration, //
    },
    prelude::*,
    str::CString,
    sync::Arc,
    time::{
        Instant,
        Monotonic, //
    },
};

use crate::{
    driver::{
        current,
        Shared, //
    },
    module_parameters,
    payload::{
        count,
        Tracked,
        COUNTERS, //
    },
    slot::Slot,
    Design, //
};

/// An open file of `/dev/drvlife-batch`.
pub(crate) struct BatchFile {
    shared: Arc<Shared>,
}

fn sweep(shared: &Shared) -> Result<CString> {
    let (mut ok, mut refused, mut bad) = (0u32, 0u32, 0u32);
    for object in shared.objects.iter() {
        match Slot::try_access_with(object, Tracked::check) {
            Some(true) => {
                ok += 1;
                count(&COUNTERS.read_ok);
            }
            Some(false) => {
                bad += 1;
                count(&COUNTERS.read_bad);
            }
            None => {
                refused += 1;
                count(&COUNTERS.read_refused);
            }
        }
    }
    if ok == 0 && bad == 0 {
        return Err(ENODEV);
    }
    CString::try_from_fmt(fmt!("ok={ok} refused={refused} bad={bad}\n"))
}

/// One `try_access_with()` reading the index: the accessor's hot path, kept
/// out of line so that `make bench` can count its instructions in the
/// disassembly (`scripts/bench.sh`).
#[inline(never)]
pub(crate) fn try_index(object: &Design) -> Option<u32> {
    Slot::try_access_with(object, Tracked::index)
}

fn bench(shared: &Shared, iters: u32) -> Result<CString> {
    let first = shared.objects.first().ok_or(ENODEV)?;
    let start = Instant::<Monotonic>::now();
    for _ in 0..iters {
        black_box(try_index(black_box(first)));
    }
    let ps = start.elapsed().as_nanos() * 1000 / i64::from(iters);
    CString::try_from_fmt(fmt!("try_access_with_ps={ps}\n"))
}

#[vtable]
impl MiscDevice for BatchFile {
    type Ptr = KBox<Self>;

    fn open(_file: &File, _misc: &MiscDeviceRegistration<Self>) -> Result<KBox<Self>> {
        let shared = current().ok_or(ENODEV)?;
        Ok(KBox::new(Self { shared }, GFP_KERNEL)?)
    }

    fn read_iter(kiocb: Kiocb<'_, Self::Ptr>, iov: &mut IovIterDest<'_>) -> Result<usize> {
        let me = kiocb.file();
        let iters = module_parameters::bench_iters.value();
        let line = if iters > 0 {
            bench(&me.shared, iters)?
        } else {
            sweep(&me.shared)?
        };
        // Every read returns its own line, whatever the file position.
        iov.simple_read_from_buffer(&mut 0, line.to_bytes())
    }
}
