// SPDX-License-Identifier: GPL-2.0

//! Kernel-side readers of a device's driver_override, for the torture
//! engine: each `read()` of `/dev/drvlife-override-readers` calls the Rust
//! accessors of patch 0001 in a tight loop on QEMU's pci-testdev, while
//! the engine's writers replace the override and its binder binds and
//! unbinds the device. Shared by the crate roots, which choose how the
//! override is read (`crate::accessor`).
//!
//! Each round reads the override (`accessor::read()`), asks
//! `has_driver_override()` and `driver_override_matches()`: a value read
//! that no writer writes fails the `read()` with `EBADMSG`, which the
//! engine reports. A `read()` returns one line with the round's counts.

use core::ptr;
use kernel::{
    bindings,
    device::Device,
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
    prelude::*,
    str::CString,
    sync::aref::ARef,
};

use crate::accessor;

/// QEMU's pci-testdev, the device of the override targets.
const VENDOR: u32 = 0x1b36;
const DEVICE: u32 = 0x0005;
/// What the writers of target `override-kernel-readers` leave in the
/// override (a write of "\n" clears it).
const WRITTEN: [&[u8]; 3] = [
    b"drvlife_ovr_alpha",
    b"drvlife_ovr_beta",
    b"drvlife_no_such_driver",
];
/// The most rounds one `read()` runs.
const MAX_ROUNDS: u32 = 1_000_000;

/// The readers: the device they read and their misc device.
#[pin_data]
pub(crate) struct Readers {
    /// Dropped first: no file opens once the device reference goes.
    #[pin]
    misc: MiscDeviceRegistration<ReaderFile>,
    dev: ARef<Device>,
}

impl Readers {
    /// Finds pci-testdev and registers the misc device.
    pub(crate) fn new() -> impl PinInit<Self, Error> {
        pin_init::pin_init_scope(move || {
            // SAFETY: `pci_get_device()` may be called from process context with any ids;
            // it returns a referenced device or null.
            let pdev = unsafe { bindings::pci_get_device(VENDOR, DEVICE, ptr::null_mut()) };
            if pdev.is_null() {
                pr_err!("no pci-testdev ({VENDOR:04x}:{DEVICE:04x})\n");
                return Err(ENODEV);
            }
            // SAFETY: `pdev` is a valid, referenced PCI device; `get_device()` takes a
            // reference of its own to the embedded `struct device`.
            let dev = unsafe { Device::get_device(&raw mut (*pdev).dev) };
            // SAFETY: The reference `pci_get_device()` took is ours to drop.
            unsafe { bindings::pci_dev_put(pdev) };
            Ok(try_pin_init!(Readers {
                misc <- MiscDeviceRegistration::register(MiscDeviceOptions {
                    name: c"drvlife-override-readers",
                }),
                dev,
            }))
        })
    }
}

/// An open file of `/dev/drvlife-override-readers`.
pub(crate) struct ReaderFile {
    dev: ARef<Device>,
}

/// What one `read()` saw.
#[derive(Default)]
struct Counts {
    set: u32,
    matches: u32,
    has: u32,
}

/// One round: the override read, checked, and the two other accessors.
fn round(dev: &Device, counts: &mut Counts) -> Result {
    if let Some(value) = accessor::read(dev)? {
        if !WRITTEN.contains(&value.as_slice()) {
            pr_err!("read an override no writer wrote ({} bytes)\n", value.len());
            return Err(EBADMSG);
        }
        counts.set += 1;
    }
    if dev.has_driver_override() {
        counts.has += 1;
    }
    if dev.driver_override_matches(c"drvlife_ovr_alpha") == Some(true) {
        counts.matches += 1;
    }
    Ok(())
}

#[vtable]
impl MiscDevice for ReaderFile {
    type Ptr = KBox<Self>;

    fn open(_file: &File, misc: &MiscDeviceRegistration<Self>) -> Result<KBox<Self>> {
        // SAFETY: Every `MiscDeviceRegistration<ReaderFile>` is the `misc` field of a
        // `Readers` (it is created nowhere else). `misc_open()` holds the misc device lock,
        // which `misc_deregister()` also takes, and `misc` is dropped first: while we run,
        // the registration is alive and so is `dev`.
        let readers = unsafe { &*kernel::container_of!(ptr::from_ref(misc), Readers, misc) };
        Ok(KBox::new(
            Self {
                dev: readers.dev.clone(),
            },
            GFP_KERNEL,
        )?)
    }

    fn read_iter(kiocb: Kiocb<'_, Self::Ptr>, iov: &mut IovIterDest<'_>) -> Result<usize> {
        let me = kiocb.file();
        let rounds = crate::module_parameters::rounds
            .value()
            .clamp(1, MAX_ROUNDS);
        let mut counts = Counts::default();
        for _ in 0..rounds {
            round(&me.dev, &mut counts)?;
        }
        // Every read returns its own line, whatever the file position: a
        // read is a batch of rounds, not a window into a file.
        let line = CString::try_from_fmt(fmt!(
            "rounds={rounds} set={} has={} matches_alpha={}\n",
            counts.set,
            counts.has,
            counts.matches
        ))?;
        iov.simple_read_from_buffer(&mut 0, line.to_bytes())
    }
}
