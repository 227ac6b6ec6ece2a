// SPDX-License-Identifier: GPL-2.0

//! Shared by `lifecycle_srcu_file` and its negative control
//! `lifecycle_srcu_shared_idx` (included with `#[path]`, not a module
//! itself): a resource guarded by SRCU, as the reverted `revocable` did
//! (seed 002), read through the files of a misc device and revoked from
//! debugfs.
//!
//! - `/dev/drvlife-srcu`: every `read()` enters an SRCU read-side section
//!   (the crate's `section::read_section()`, the one piece the two modules
//!   differ in), sleeps `read_delay_us` in it and returns `present` or
//!   `revoked`. A file carries per-file state, created at `open()`, that
//!   every thread reading the file shares.
//! - `/sys/kernel/debug/drvlife_srcu/revoke`: a write marks the resource
//!   gone, waits for the readers (`synchronize_srcu()`), counts a
//!   revocation and marks it present again. `stats`: `reads`,
//!   `revocations`, one `key=value` per line.

use core::{
    ptr,
    sync::atomic::{
        AtomicBool,
        AtomicI32,
        AtomicU64,
        Ordering, //
    },
};
use kernel::{
    debugfs::{
        Dir,
        File as DebugFile, //
    },
    fs::{
        File,
        Kiocb, //
    },
    iov::IovIterDest,
    miscdevice::{
        MiscDevice,
        MiscDeviceOptions,
        MiscDeviceRegistration, //
    },
    new_srcu,
    prelude::*,
    sync::{
        Arc,
        Srcu, //
    },
    time::Delta,
    uaccess::UserSliceReader,
};

use crate::{
    module_parameters,
    section::read_section, //
};

/// Reads done.
static READS: AtomicU64 = AtomicU64::new(0);
/// Revocations completed.
static REVOCATIONS: AtomicU64 = AtomicU64::new(0);

/// The resource and the SRCU that guards it.
#[pin_data]
pub(crate) struct Provider {
    #[pin]
    pub(crate) srcu: Srcu,
    pub(crate) present: AtomicBool,
}

impl Provider {
    /// Marks the resource gone, waits for every reader that may still see
    /// it, and marks it present again.
    fn revoke(&self) {
        self.present.store(false, Ordering::Release);
        self.srcu.synchronize();
        REVOCATIONS.fetch_add(1, Ordering::Relaxed);
        self.present.store(true, Ordering::Release);
    }
}

/// An open file of `/dev/drvlife-srcu`.
pub(crate) struct SrcuFile {
    provider: Arc<Provider>,
    /// Per-file state shared by every thread reading this file: where
    /// `lifecycle_srcu_shared_idx` keeps the SRCU index, as the reverted
    /// `struct revocable` did.
    shared_idx: AtomicI32,
}

#[vtable]
impl MiscDevice for SrcuFile {
    type Ptr = KBox<Self>;

    fn open(_file: &File, misc: &MiscDeviceRegistration<Self>) -> Result<KBox<Self>> {
        // SAFETY: Every `MiscDeviceRegistration<SrcuFile>` is the `misc` field of a `SrcuModule`
        // (it is created nowhere else), and the module outlives its open files (each holds a
        // reference to the module).
        let module = unsafe { &*kernel::container_of!(ptr::from_ref(misc), SrcuModule, misc) };
        Ok(KBox::new(
            Self {
                provider: module.provider.clone(),
                shared_idx: AtomicI32::new(0),
            },
            GFP_KERNEL,
        )?)
    }

    fn read_iter(kiocb: Kiocb<'_, Self::Ptr>, iov: &mut IovIterDest<'_>) -> Result<usize> {
        let me = kiocb.file();
        let delay = Delta::from_micros(module_parameters::read_delay_us.value().into());
        let present = read_section(&me.provider, &me.shared_idx, delay);
        READS.fetch_add(1, Ordering::Relaxed);
        let line: &[u8] = if present { b"present\n" } else { b"revoked\n" };
        iov.simple_read_from_buffer(&mut 0, line)
    }
}

/// A write to `revoke`: one revocation.
fn revoke(provider: &Arc<Provider>, _reader: &mut UserSliceReader) -> Result {
    provider.revoke();
    Ok(())
}

fn write_stats(_: &(), f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
    let get = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
    writeln!(f, "reads={}", get(&READS))?;
    writeln!(f, "revocations={}", get(&REVOCATIONS))
}

/// The module: the misc device, the resource, the debugfs files.
#[pin_data]
pub(crate) struct SrcuModule {
    /// Deregistered first: no file is opened on a module going away.
    #[pin]
    misc: MiscDeviceRegistration<SrcuFile>,
    provider: Arc<Provider>,
    #[pin]
    _revoke: DebugFile<Arc<Provider>>,
    #[pin]
    _stats: DebugFile<()>,
    _dir: Dir,
}

impl SrcuModule {
    /// Creates the resource, the debugfs files and the misc device.
    pub(crate) fn new() -> impl PinInit<Self, Error> {
        pin_init::pin_init_scope(move || {
            let provider = Arc::pin_init(
                try_pin_init!(Provider {
                    srcu <- new_srcu!("drvlife_srcu"),
                    present: AtomicBool::new(true),
                }),
                GFP_KERNEL,
            )?;
            let dir = Dir::new(c"drvlife_srcu");

            Ok(try_pin_init!(Self {
                _stats <- dir.read_callback_file(c"stats", Ok::<(), Error>(()), &write_stats),
                _revoke <- dir.write_callback_file(c"revoke", Ok::<_, Error>(provider.clone()), &revoke),
                _dir: dir,
                provider,
                misc <- MiscDeviceRegistration::register(MiscDeviceOptions {
                    name: c"drvlife-srcu",
                }),
            }))
        })
    }
}
