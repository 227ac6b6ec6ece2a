// SPDX-License-Identifier: GPL-2.0

//! The controller's platform driver: all domains on at probe, released by
//! `queue_sync_state()` domain by domain and by `sync_state()` for good.

use core::sync::atomic::{
    AtomicU32,
    Ordering, //
};
use kernel::{
    debugfs::{
        Dir,
        File, //
    },
    device::{
        self,
        link::Consumers,
        Core, //
    },
    new_mutex, platform,
    prelude::*,
    sync::Mutex,
};

use crate::{
    book::{
        Book,
        MAX_DOMAINS, //
    },
    stats::{
        count,
        CALLS_AFTER_REMOVE,
        CALLS_AFTER_SYNC,
        PROBES,
        QUEUE_CALLS,
        SYNC_STATE_CALLS,
        UNBINDS, //
    },
};

/// Name of the controller's driver (and of its debugfs directory). The board
/// names the device `drvlife-pwrctl` and steers it here with
/// `driver_override` once its consumers are linked.
pub(crate) const CONTROLLER_NAME: &CStr = c"drvlife_pwrctl";
/// Number of domains of the controller (property of the controller device).
const PROP_NUM_DOMAINS: &CStr = c"drvlife,num-domains";
/// Domain a consumer belongs to (property of each consumer device).
const PROP_POWER_DOMAIN: &CStr = c"drvlife,power-domain";

/// Set in the driver data while it is alive, overwritten with [`POISON`]
/// when it is dropped.
const ALIVE: u32 = 0x600d_d00d;
const POISON: u32 = 0xdead_d00d;

/// Driver data of a bound controller.
#[pin_data(PinnedDrop)]
pub(crate) struct PwrCtl {
    /// [`ALIVE`] until dropped; a callback after remove would see it change
    /// (or KASAN would see the freed memory).
    magic: AtomicU32,
    /// Set by `unbind()`; a partial sync that sees it ran after remove.
    removed: AtomicU32,
    /// The domains, shown in `/sys/kernel/debug/drvlife_pwrctl/domains`.
    #[pin]
    pub(crate) book: File<Mutex<Book>>,
    _dir: Dir,
}

impl PwrCtl {
    /// Whether the driver data is still in use: not unbound, not dropped.
    /// Counts and reports a partial sync that finds it otherwise.
    pub(crate) fn check_alive(&self) -> bool {
        if self.magic.load(Ordering::Relaxed) == ALIVE && self.removed.load(Ordering::Relaxed) == 0
        {
            return true;
        }
        count(&CALLS_AFTER_REMOVE);
        pr_err!("partial sync after remove\n");
        false
    }

    /// The partial sync, from `queue_sync_state()`: releases every domain
    /// whose consumers are all bound.
    fn partial_sync(&self, dev: &device::Device, consumers: &Consumers<'_>) {
        if !self.check_alive() {
            return;
        }

        let mut seen = KVec::<(Option<u32>, bool)>::new();
        let mut failed = false;
        consumers.for_each(|consumer, bound| {
            let domain = consumer
                .fwnode()
                .and_then(|node| node.property_read::<u32>(PROP_POWER_DOMAIN).optional());
            failed |= seen.push((domain, bound), GFP_KERNEL).is_err();
        });
        if failed {
            // Keep every domain on rather than decide on a partial view.
            dev_err!(dev, "out of memory, domains left as they are\n");
            return;
        }

        let mut book = self.book.lock();
        if book.is_synced() {
            count(&CALLS_AFTER_SYNC);
            return;
        }
        let newly = book.evaluate(seen.iter().copied());
        for index in 0..book.domain_count() {
            if newly & (1 << index) != 0 {
                dev_info!(dev, "domain {index} released by queue_sync_state\n");
            }
        }
    }
}

#[pinned_drop]
impl PinnedDrop for PwrCtl {
    fn drop(self: Pin<&mut Self>) {
        self.magic.store(POISON, Ordering::Relaxed);
    }
}

/// The controller's driver.
pub(crate) struct PwrCtlDriver;

#[vtable]
impl platform::Driver for PwrCtlDriver {
    type IdInfo = ();
    type Data<'bound> = PwrCtl;

    fn probe<'bound>(
        pdev: &'bound platform::Device<Core<'_>>,
        _info: Option<&'bound Self::IdInfo>,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        pin_init::pin_init_scope(move || {
            let dev = pdev.as_ref();
            let domains = dev
                .fwnode()
                .ok_or(ENODEV)?
                .property_read::<u32>(PROP_NUM_DOMAINS)
                .required_by(dev)?;
            let book = Book::new(domains).inspect_err(|_| {
                dev_err!(dev, "{domains} domains, 1..={MAX_DOMAINS} supported\n");
            })?;
            let dir = Dir::new(CONTROLLER_NAME);
            count(&PROBES);
            dev_info!(dev, "probed with {domains} domains, all on\n");

            Ok(try_pin_init!(PwrCtl {
                magic: AtomicU32::new(ALIVE),
                removed: AtomicU32::new(0),
                book <- dir.read_callback_file(
                    c"domains",
                    new_mutex!(book),
                    &|book: &Mutex<Book>, f| write!(f, "{}", *book.lock()),
                ),
                _dir: dir,
            }))
        })
    }

    fn unbind<'bound>(pdev: &'bound platform::Device<Core<'_>>, this: Pin<&Self::Data<'bound>>) {
        this.removed.store(1, Ordering::Relaxed);
        count(&UNBINDS);
        dev_info!(pdev.as_ref(), "unbound\n");
    }

    fn sync_state<'bound>(
        pdev: &'bound platform::Device<Core<'_>>,
        this: Pin<&Self::Data<'bound>>,
    ) {
        count(&SYNC_STATE_CALLS);
        let newly = this.book.lock().sync_all();
        dev_info!(
            pdev.as_ref(),
            "sync_state: synced, released by it: {newly:#x}\n"
        );
    }

    fn queue_sync_state<'bound>(
        pdev: &'bound platform::Device<Core<'_>>,
        this: Pin<&Self::Data<'bound>>,
        consumers: &Consumers<'_>,
    ) {
        count(&QUEUE_CALLS);
        this.partial_sync(pdev.as_ref(), consumers);
    }
}
