// SPDX-License-Identifier: GPL-2.0

//! The files of the misc device `/dev/drvlife-edu`.
//!
//! A file can stay open after the device is unbound, so everything it does
//! goes through `try_access_with()`: once the BAR is revoked each operation
//! fails with `ENODEV` and is counted as refused.
//!
//! - `read()` performs `ops_per_read` checks of the identification
//!   register, sleeping `read_delay_us` between them *outside* the RCU
//!   section, so that a test can unbind the device in the middle of a long
//!   read. It returns one line, `ok N`, after N successful checks.
//! - `write()` raises an interrupt and waits until the handler has
//!   acknowledged it.
//! - With `timer_period_us`, each open file runs a periodic timer that
//!   checks the device, until the file is closed.
//!
//! An open file holds a reference to the module that provides its file
//! operations, so unloading the module while a file is open is refused.

use core::ptr;
use kernel::{
    fs::{
        File,
        Kiocb, //
    },
    io::Io,
    iov::{
        IovIterDest,
        IovIterSource, //
    },
    miscdevice::{
        MiscDevice,
        MiscDeviceRegistration, //
    },
    prelude::*,
    str::CString,
    sync::Arc,
    time::{
        delay::fsleep,
        hrtimer::ArcHrTimerHandle,
        Delta, //
    },
};

use crate::{
    driver::EduData,
    module_parameters,
    read_outcome::read_outcome,
    regs::{
        EDU_IRQ_RAISE,
        EDU_IRQ_STATUS, //
    },
    shared::Shared,
    stats::{
        count,
        FILE_TIMERS,
        IRQ,
        READ_OPS, //
    },
    timer::{
        start_poller,
        Poller, //
    },
};

/// Most checks one `read()` performs.
const MAX_OPS_PER_READ: u32 = 100_000;
/// The status bit a file's `write()` raises.
const EDU_IRQ_FILE_BIT: u32 = 1;
/// How long a `write()` waits for the handler's acknowledgment: polls of
/// the status register, 100 us apart.
const IRQ_ACK_POLLS: u32 = 10_000;

/// An open file of `/dev/drvlife-edu`.
pub(crate) struct EduFile {
    shared: Arc<Shared>,
    /// Cancels the file's timer when the file is released.
    _poller: Option<ArcHrTimerHandle<Poller>>,
}

#[vtable]
impl MiscDevice for EduFile {
    type Ptr = KBox<Self>;

    fn open(_file: &File, misc: &MiscDeviceRegistration<Self>) -> Result<KBox<Self>> {
        // SAFETY: Every `MiscDeviceRegistration<EduFile>` is the `misc` field of an `EduData`
        // (it is created nowhere else). `misc_open()` holds the misc device lock, which
        // `misc_deregister()` also takes, and `misc` is the first field dropped: while we run,
        // the registration is alive and so are the other fields of its `EduData`.
        let data = unsafe { &*kernel::container_of!(ptr::from_ref(misc), EduData<'_>, misc) };
        Ok(KBox::new(
            Self {
                shared: data.shared.clone(),
                _poller: start_poller(
                    &data.shared,
                    module_parameters::timer_period_us.value(),
                    &FILE_TIMERS,
                )?,
            },
            GFP_KERNEL,
        )?)
    }

    fn read_iter(kiocb: Kiocb<'_, Self::Ptr>, iov: &mut IovIterDest<'_>) -> Result<usize> {
        let me = kiocb.file();
        let ops = module_parameters::ops_per_read
            .value()
            .clamp(1, MAX_OPS_PER_READ);
        let delay = module_parameters::read_delay_us.value();
        for _ in 0..ops {
            let outcome = me.shared.try_check_id();
            READ_OPS.record(outcome);
            read_outcome(outcome)?;
            if delay > 0 {
                // Outside any RCU section: `try_access_with()` has returned.
                fsleep(Delta::from_micros(i64::from(delay)));
            }
        }
        // Every read returns its own line, whatever the file position: a
        // read is a batch of operations, not a window into a file.
        let line = CString::try_from_fmt(fmt!("ok {ops}\n"))?;
        iov.simple_read_from_buffer(&mut 0, line.to_bytes())
    }

    /// Raises one interrupt and waits until the device reports it
    /// acknowledged (by the handler). The whole write is consumed.
    fn write_iter(kiocb: Kiocb<'_, Self::Ptr>, iov: &mut IovIterSource<'_>) -> Result<usize> {
        let me = kiocb.file();
        let len = iov.len();
        if !module_parameters::irq.value() {
            return Err(EOPNOTSUPP);
        }
        count(&IRQ.attempted);
        let raised = me
            .shared
            .bar
            .try_access_with(|bar| bar.write32(EDU_IRQ_FILE_BIT, EDU_IRQ_RAISE));
        if raised.is_none() {
            count(&IRQ.refused);
            return Err(ENODEV);
        }
        count(&IRQ.raised);
        for _ in 0..IRQ_ACK_POLLS {
            match me
                .shared
                .bar
                .try_access_with(|bar| bar.read32(EDU_IRQ_STATUS) & EDU_IRQ_FILE_BIT)
            {
                Some(0) => {
                    count(&IRQ.acked);
                    iov.advance(len);
                    return Ok(len);
                }
                Some(_) => fsleep(Delta::from_micros(100)),
                None => {
                    count(&IRQ.revoked_waiting);
                    return Err(ENODEV);
                }
            }
        }
        count(&IRQ.timed_out);
        Err(ETIMEDOUT)
    }
}
