// SPDX-License-Identifier: GPL-2.0

//! The churn, for the torture engine: each `read()` of
//! `/dev/drvlife-link-churn` runs `rounds` rounds, each registering a
//! consumer platform device (patch 0012), adding a managed device link
//! from it to the supplier (patch 0010) and, once `live` consumers of this
//! read exist, unregistering the oldest. The removal of an unprobed
//! consumer while the supplier is bound queues a `queue_sync_state()` call
//! for it (patches 0007 and 0008), as each bind of the supplier does,
//! while the engine binds and unbinds the supplier. A `read()` returns one line
//! with its counts; a failed registration or link fails it.

use core::{
    ptr,
    sync::atomic::{
        AtomicU32,
        Ordering, //
    },
};
use kernel::{
    device::{
        link,
        Device, //
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
    platform,
    prelude::*,
    str::CString,
    sync::aref::ARef,
};

use crate::{
    fixture,
    stats, //
};

/// The most rounds one `read()` runs.
const MAX_ROUNDS: u32 = 100_000;
/// The most consumers one `read()` keeps at once.
const MAX_LIVE: u32 = 64;

/// Ids of the consumers: never reused, so a consumer's name (and its
/// link's) is never taken by one whose release is still pending
/// (`DEBUG_KOBJECT_RELEASE`).
static NEXT_CONSUMER: AtomicU32 = AtomicU32::new(0);

/// The misc device and the supplier its files link consumers to.
#[pin_data]
pub(crate) struct Churn {
    /// Dropped first: no file opens once the supplier reference goes.
    #[pin]
    misc: MiscDeviceRegistration<ChurnFile>,
    supplier: ARef<Device>,
}

impl Churn {
    /// Registers the misc device for consumers of `supplier`.
    pub(crate) fn new(supplier: &Device) -> impl PinInit<Self, Error> + '_ {
        try_pin_init!(Churn {
            misc <- MiscDeviceRegistration::register(MiscDeviceOptions {
                name: c"drvlife-link-churn",
            }),
            supplier: supplier.into(),
        })
    }
}

/// An open file of `/dev/drvlife-link-churn`.
pub(crate) struct ChurnFile {
    supplier: ARef<Device>,
}

/// Registers a consumer and links it to `supplier`.
fn new_consumer(supplier: &Device) -> Result<platform::Registration> {
    let id = NEXT_CONSUMER.fetch_add(1, Ordering::Relaxed);
    let info = platform::DeviceInfo::new(fixture::CONSUMER_NAME).id(id)?;
    let consumer = platform::Registration::new(&info)?;
    stats::add(&stats::REGISTERED, 1);
    // On failure the consumer is dropped, and unregistered, here.
    link::add_managed(consumer.device().as_ref(), supplier, link::Flags::NONE)?;
    stats::add(&stats::LINKED, 1);
    Ok(consumer)
}

/// Unregisters `consumer`, which deletes its link.
fn remove_consumer(consumer: platform::Registration) {
    drop(consumer);
    stats::add(&stats::REMOVED, 1);
}

/// Runs `rounds` rounds, keeping up to `live` consumers in `consumers`;
/// the caller removes those left.
fn churn(
    supplier: &Device,
    rounds: u32,
    live: usize,
    consumers: &mut KVec<platform::Registration>,
) -> Result {
    for _ in 0..rounds {
        if consumers.len() == live {
            remove_consumer(consumers.remove(0)?);
        }
        consumers.push(new_consumer(supplier)?, GFP_KERNEL)?;
    }
    Ok(())
}

#[vtable]
impl MiscDevice for ChurnFile {
    type Ptr = KBox<Self>;

    fn open(_file: &File, misc: &MiscDeviceRegistration<Self>) -> Result<KBox<Self>> {
        // SAFETY: Every `MiscDeviceRegistration<ChurnFile>` is the `misc` field of a `Churn` (it
        // is created nowhere else). `misc_open()` holds the misc device lock, which
        // `misc_deregister()` also takes, and `misc` is dropped first: while we run, the
        // registration is alive and so is `supplier`.
        let churn = unsafe { &*kernel::container_of!(ptr::from_ref(misc), Churn, misc) };
        Ok(KBox::new(
            Self {
                supplier: churn.supplier.clone(),
            },
            GFP_KERNEL,
        )?)
    }

    fn read_iter(kiocb: Kiocb<'_, Self::Ptr>, iov: &mut IovIterDest<'_>) -> Result<usize> {
        let me = kiocb.file();
        let rounds = crate::module_parameters::rounds
            .value()
            .clamp(1, MAX_ROUNDS);
        let live = crate::module_parameters::live.value().clamp(1, MAX_LIVE) as usize;
        let mut consumers = KVec::with_capacity(live, GFP_KERNEL)?;
        let churned = churn(&me.supplier, rounds, live, &mut consumers);
        for consumer in consumers.drain_all() {
            remove_consumer(consumer);
        }
        churned?;
        // Every read returns its own line, whatever the file position: a
        // read is a batch of rounds, not a window into a file.
        let line = CString::try_from_fmt(fmt!("rounds={rounds} live={live}\n"))?;
        iov.simple_read_from_buffer(&mut 0, line.to_bytes())
    }
}
