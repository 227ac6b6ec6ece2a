// SPDX-License-Identifier: GPL-2.0

//! A power controller with several independent power domains, released one
//! by one through `queue_sync_state()`.
//!
//! The controller binds to the platform device `drvlife-pwrctl`, which has
//! `drvlife,num-domains` domains. Its consumers are platform devices with a
//! managed device link to it and a `drvlife,power-domain` property naming
//! their domain (the board fixture `lifecycle_pd_board` creates them). All
//! domains start on, as a bootloader would leave them. The driver core calls
//! `queue_sync_state()` whenever a consumer binds or goes away, and the
//! controller releases every domain whose consumers are all bound, while the
//! other domains stay on. `sync_state()` finally releases what is left.
//!
//! Per-domain state: `/sys/kernel/debug/drvlife_pwrctl/domains`; module-wide
//! counters: `/sys/kernel/debug/drvlife_pwrctl-stats/stats`.
//!
//! The domains are modelled by the driver rather than backed by generic PM
//! domains: genpd cannot be built on x86 in 7.3 (`PM_GENERIC_DOMAINS` is not
//! selectable) and its own "stay on until sync_state" logic is OF-only, so
//! attaching the consumers to genpd would add no observable behaviour here.

use core::{
    ptr,
    sync::atomic::{
        AtomicPtr,
        AtomicU32,
        AtomicU64,
        Ordering, //
    },
};
use kernel::{
    bindings,
    debugfs::{
        Dir,
        File, //
    },
    device::{
        self,
        link::Consumers,
        Core, //
    },
    driver,
    error::to_result,
    new_mutex,
    platform,
    prelude::*,
    sync::Mutex,
    time::{
        delay::fsleep,
        Delta, //
    },
    types::Opaque,
    InPlaceModule, //
};

module! {
    type: PdControllerModule,
    name: "lifecycle_pd_controller",
    authors: ["Rust driver lifecycle lab"],
    description: "Multi-domain power controller released through queue_sync_state()",
    license: "GPL",
    params: {
        test_unprotected: bool {
            default: false,
            description: "Negative control only: also run the partial sync from a bus notifier, \
                          without the driver core's protection",
        },
    },
}

/// Name of the controller's driver (and of its debugfs directory). The board
/// names the device `drvlife-pwrctl` and steers it here with
/// `driver_override` once its consumers are linked.
const CONTROLLER_NAME: &CStr = c"drvlife_pwrctl";
/// Number of domains of the controller (property of the controller device).
const PROP_NUM_DOMAINS: &CStr = c"drvlife,num-domains";
/// Domain a consumer belongs to (property of each consumer device).
const PROP_POWER_DOMAIN: &CStr = c"drvlife,power-domain";
/// Upper bound on the number of domains, to keep the state small.
const MAX_DOMAINS: u32 = 32;

/// Set in the driver data while it is alive, overwritten when it is dropped.
const ALIVE: u32 = 0x600d_d00d;
const POISON: u32 = 0xdead_d00d;

/// `queue_sync_state()` calls made by the driver core, over all devices.
static QUEUE_CALLS: AtomicU64 = AtomicU64::new(0);
/// `sync_state()` calls made by the driver core, over all devices.
static SYNC_STATE_CALLS: AtomicU64 = AtomicU64::new(0);
/// Partial syncs that found the driver data unbound or dropped: must stay 0.
static CALLS_AFTER_REMOVE: AtomicU64 = AtomicU64::new(0);
/// Partial syncs that found the domains already fully synced: must stay 0.
static CALLS_AFTER_SYNC: AtomicU64 = AtomicU64::new(0);
/// Controllers probed and unbound.
static PROBES: AtomicU64 = AtomicU64::new(0);
static UNBINDS: AtomicU64 = AtomicU64::new(0);

/// Test-only (`test_unprotected`): the bound controller's data, published
/// for the bus notifier, i.e. the bug under test.
static UNPROTECTED_DATA: AtomicPtr<PwrCtl> = AtomicPtr::new(ptr::null_mut());

/// Who released a domain.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Release {
    /// `queue_sync_state()`: all consumers of the domain were bound.
    Partial,
    /// `sync_state()`: all consumers of the controller were bound, or
    /// userspace forced the sync.
    Full,
}

/// State of one power domain.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Domain {
    /// `None` while the domain is still on.
    released: Option<Release>,
    /// Position in the order the domains were released (1-based).
    order: u32,
    /// Consumers seen in the last evaluation, and how many were unbound.
    consumers: u32,
    pending: u32,
}

/// The per-domain bookkeeping, independent of the driver core so that
/// KUnit can drive it.
struct Book {
    domains: KVec<Domain>,
    released: u32,
    /// Consumers without a valid `drvlife,power-domain`, last evaluation.
    stray: u32,
    synced: bool,
}

impl Book {
    fn new(count: u32) -> Result<Self> {
        if count == 0 || count > MAX_DOMAINS {
            return Err(EINVAL);
        }
        let mut domains = KVec::with_capacity(count as usize, GFP_KERNEL)?;
        for _ in 0..count {
            domains.push(
                Domain {
                    released: None,
                    order: 0,
                    consumers: 0,
                    pending: 0,
                },
                GFP_KERNEL,
            )?;
        }
        Ok(Self {
            domains,
            released: 0,
            stray: 0,
            synced: false,
        })
    }

    fn release(&mut self, index: usize, how: Release) -> bool {
        let domain = &mut self.domains[index];
        if domain.released.is_some() {
            return false;
        }
        self.released += 1;
        domain.released = Some(how);
        domain.order = self.released;
        true
    }

    /// Recounts every domain's consumers from `consumers` (domain of each
    /// consumer, if valid, and whether it is bound), then releases the
    /// domains that are still on and have no unbound consumer. Returns a
    /// bit mask of the domains released by this call.
    fn evaluate(&mut self, consumers: impl IntoIterator<Item = (Option<u32>, bool)>) -> u64 {
        for domain in self.domains.iter_mut() {
            domain.consumers = 0;
            domain.pending = 0;
        }
        self.stray = 0;

        for (index, bound) in consumers {
            match index.and_then(|i| self.domains.get_mut(i as usize)) {
                Some(domain) => {
                    domain.consumers += 1;
                    domain.pending += u32::from(!bound);
                }
                None => self.stray += 1,
            }
        }

        let mut newly = 0u64;
        for index in 0..self.domains.len() {
            if self.domains[index].pending == 0 && self.release(index, Release::Partial) {
                newly |= 1 << index;
            }
        }
        newly
    }

    /// Releases every domain still on; the controller is synced.
    fn sync_all(&mut self) -> u64 {
        let mut newly = 0u64;
        for index in 0..self.domains.len() {
            if self.release(index, Release::Full) {
                newly |= 1 << index;
            }
        }
        self.synced = true;
        newly
    }
}

impl core::fmt::Display for Book {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        writeln!(f, "domains {}", self.domains.len())?;
        writeln!(f, "synced {}", u32::from(self.synced))?;
        writeln!(f, "stray {}", self.stray)?;
        for (index, domain) in self.domains.iter().enumerate() {
            let state = match domain.released {
                None => "on",
                Some(Release::Partial) => "released-by-queue_sync_state",
                Some(Release::Full) => "released-by-sync_state",
            };
            writeln!(
                f,
                "domain {index} {state} order {} consumers {} pending {}",
                domain.order, domain.consumers, domain.pending
            )?;
        }
        Ok(())
    }
}

/// Driver data of a bound controller.
#[pin_data(PinnedDrop)]
struct PwrCtl {
    /// [`ALIVE`] until dropped; a callback after remove would see it change
    /// (or KASAN would see the freed memory).
    magic: AtomicU32,
    /// Set by `unbind()`; a partial sync that sees it ran after remove.
    removed: AtomicU32,
    #[pin]
    book: File<Mutex<Book>>,
    _dir: Dir,
}

impl PwrCtl {
    /// Whether the driver data is still in use: not unbound, not dropped.
    /// Counts and reports a partial sync that finds it otherwise.
    fn check_alive(&self) -> bool {
        if self.magic.load(Ordering::Relaxed) == ALIVE && self.removed.load(Ordering::Relaxed) == 0
        {
            return true;
        }
        CALLS_AFTER_REMOVE.fetch_add(1, Ordering::Relaxed);
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
        if book.synced {
            CALLS_AFTER_SYNC.fetch_add(1, Ordering::Relaxed);
            return;
        }
        let newly = book.evaluate(seen.iter().copied());
        for index in 0..book.domains.len() {
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

struct PwrCtlDriver;

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
            let count = dev
                .fwnode()
                .ok_or(ENODEV)?
                .property_read::<u32>(PROP_NUM_DOMAINS)
                .required_by(dev)?;
            let book = Book::new(count).inspect_err(|_| {
                dev_err!(dev, "{count} domains, 1..={MAX_DOMAINS} supported\n");
            })?;
            let dir = Dir::new(CONTROLLER_NAME);
            PROBES.fetch_add(1, Ordering::Relaxed);
            dev_info!(dev, "probed with {count} domains, all on\n");

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
        UNPROTECTED_DATA.store(ptr::null_mut(), Ordering::Relaxed);
        UNBINDS.fetch_add(1, Ordering::Relaxed);
        dev_info!(pdev.as_ref(), "unbound\n");
    }

    fn sync_state<'bound>(
        pdev: &'bound platform::Device<Core<'_>>,
        this: Pin<&Self::Data<'bound>>,
    ) {
        SYNC_STATE_CALLS.fetch_add(1, Ordering::Relaxed);
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
        QUEUE_CALLS.fetch_add(1, Ordering::Relaxed);
        if module_parameters::test_unprotected.value() {
            UNPROTECTED_DATA.store(ptr::from_ref(this.get_ref()).cast_mut(), Ordering::Relaxed);
        }
        this.partial_sync(pdev.as_ref(), consumers);
    }
}

/// Test-only (`test_unprotected`): what a queue_sync_state() called on
/// device events without the driver core's check would do. It uses the
/// controller's data from a platform bus notifier, with nothing keeping the
/// controller bound; a small delay widens the window the stress test hits.
extern "C" fn unprotected_notifier(
    _nb: *mut bindings::notifier_block,
    _action: usize,
    _data: *mut c_void,
) -> c_int {
    let data = UNPROTECTED_DATA.load(Ordering::Relaxed);
    if data.is_null() {
        return 0;
    }
    fsleep(Delta::from_millis(20));
    // SAFETY: None, deliberately: this is the use-after-remove under test.
    let data = unsafe { &*data };
    data.partial_sync_unprotected();
    0
}

impl PwrCtl {
    /// The unprotected path: what it touches is what a partial sync touches.
    fn partial_sync_unprotected(&self) {
        if self.check_alive() {
            drop(self.book.lock());
        }
    }
}

/// A platform bus notifier block, registered for the module's lifetime.
#[pin_data(PinnedDrop)]
struct BusNotifier {
    #[pin]
    nb: Opaque<bindings::notifier_block>,
}

impl BusNotifier {
    fn register() -> impl PinInit<Self, Error> {
        try_pin_init!(Self {
            nb <- Opaque::try_ffi_init(|nb: *mut bindings::notifier_block| {
                // SAFETY: `nb` is valid for writes; all-zero is a valid notifier block.
                unsafe {
                    nb.write(core::mem::zeroed());
                    (*nb).notifier_call = Some(unprotected_notifier);
                }
                // SAFETY: `nb` is pinned and unregistered in `drop` before it goes away.
                to_result(unsafe {
                    bindings::bus_register_notifier(&raw const bindings::platform_bus_type, nb)
                })
            }),
        })
    }
}

// SAFETY: After registration the notifier block is only used by the notifier chain, under the
// chain's lock; the module only unregisters it.
unsafe impl Send for BusNotifier {}

// SAFETY: See `Send`: `&BusNotifier` gives no access to the block.
unsafe impl Sync for BusNotifier {}

#[pinned_drop]
impl PinnedDrop for BusNotifier {
    fn drop(self: Pin<&mut Self>) {
        // SAFETY: `nb` was registered in `register()`.
        unsafe {
            bindings::bus_unregister_notifier(&raw const bindings::platform_bus_type, self.nb.get())
        };
    }
}

#[pin_data]
struct PdControllerModule {
    _stats_dir: Dir,
    #[pin]
    _stats: File<()>,
    #[pin]
    _driver: driver::Registration<platform::Adapter<PwrCtlDriver>>,
    _notifier: Option<Pin<KBox<BusNotifier>>>,
}

fn write_stats(_: &(), f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
    let get = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
    writeln!(f, "probes {}", get(&PROBES))?;
    writeln!(f, "unbinds {}", get(&UNBINDS))?;
    writeln!(f, "queue_sync_state_calls {}", get(&QUEUE_CALLS))?;
    writeln!(f, "sync_state_calls {}", get(&SYNC_STATE_CALLS))?;
    writeln!(f, "calls_after_remove {}", get(&CALLS_AFTER_REMOVE))?;
    writeln!(f, "calls_after_sync {}", get(&CALLS_AFTER_SYNC))
}

impl InPlaceModule for PdControllerModule {
    fn init(module: &'static ThisModule) -> impl PinInit<Self, Error> {
        pin_init::pin_init_scope(move || {
            let notifier = if module_parameters::test_unprotected.value() {
                Some(KBox::pin_init(BusNotifier::register(), GFP_KERNEL)?)
            } else {
                None
            };
            let stats_dir = Dir::new(c"drvlife_pwrctl-stats");

            Ok(try_pin_init!(Self {
                _stats <- stats_dir.read_callback_file(c"stats", (), &write_stats),
                _stats_dir: stats_dir,
                _driver <- driver::Registration::new(CONTROLLER_NAME, module),
                _notifier: notifier,
            }))
        })
    }
}

#[kunit_tests(drvlife_pd_bookkeeping)]
mod tests {
    use super::{
        Book,
        Release, //
    };
    use kernel::prelude::*;

    #[test]
    fn rejects_bad_domain_counts() {
        assert!(Book::new(0).is_err());
        assert!(Book::new(super::MAX_DOMAINS + 1).is_err());
        assert!(Book::new(super::MAX_DOMAINS).is_ok());
    }

    #[test]
    fn all_domains_start_on() -> Result {
        let book = Book::new(3)?;
        assert!(book.domains.iter().all(|d| d.released.is_none()));
        assert!(!book.synced);
        Ok(())
    }

    #[test]
    fn domain_without_consumers_is_released_first() -> Result {
        let mut book = Book::new(3)?;
        // Domains 0 and 1 have one unbound consumer each, domain 2 none.
        assert_eq!(book.evaluate([(Some(0), false), (Some(1), false)]), 0b100);
        assert_eq!(book.domains[2].released, Some(Release::Partial));
        assert_eq!(book.domains[2].order, 1);
        assert_eq!(book.domains[0].released, None);
        Ok(())
    }

    #[test]
    fn domain_waits_for_every_consumer() -> Result {
        let mut book = Book::new(2)?;
        let one_bound = [(Some(0), true), (Some(0), false), (Some(1), false)];
        assert_eq!(book.evaluate(one_bound), 0);
        assert_eq!(book.domains[0].pending, 1);
        assert_eq!(book.domains[0].consumers, 2);
        let both_bound = [(Some(0), true), (Some(0), true), (Some(1), false)];
        assert_eq!(book.evaluate(both_bound), 0b01);
        assert_eq!(book.domains[1].released, None);
        Ok(())
    }

    #[test]
    fn release_order_follows_completion() -> Result {
        let mut book = Book::new(3)?;
        book.evaluate([(Some(0), false), (Some(1), false), (Some(2), false)]);
        book.evaluate([(Some(0), false), (Some(1), false), (Some(2), true)]);
        book.evaluate([(Some(0), true), (Some(1), false), (Some(2), true)]);
        book.evaluate([(Some(0), true), (Some(1), true), (Some(2), true)]);
        let order: [u32; 3] = [
            book.domains[0].order,
            book.domains[1].order,
            book.domains[2].order,
        ];
        assert_eq!(order, [2, 3, 1]);
        Ok(())
    }

    #[test]
    fn released_domain_stays_released() -> Result {
        let mut book = Book::new(1)?;
        assert_eq!(book.evaluate([(Some(0), true)]), 1);
        // A late, unbound consumer does not turn the domain back on.
        assert_eq!(book.evaluate([(Some(0), true), (Some(0), false)]), 0);
        assert_eq!(book.domains[0].released, Some(Release::Partial));
        assert_eq!(book.domains[0].order, 1);
        Ok(())
    }

    #[test]
    fn late_consumer_holds_its_domain() -> Result {
        let mut book = Book::new(2)?;
        assert_eq!(book.evaluate([(Some(0), true), (Some(1), false)]), 0b01);
        // A consumer of domain 1 appears before domain 1 synced.
        assert_eq!(
            book.evaluate([(Some(0), true), (Some(1), true), (Some(1), false)]),
            0
        );
        assert_eq!(
            book.evaluate([(Some(0), true), (Some(1), true), (Some(1), true)]),
            0b10
        );
        Ok(())
    }

    #[test]
    fn stray_consumers_are_counted_not_assigned() -> Result {
        let mut book = Book::new(2)?;
        assert_eq!(
            book.evaluate([(None, false), (Some(7), false), (Some(0), false)]),
            0b10
        );
        assert_eq!(book.stray, 2);
        assert_eq!(book.domains[0].pending, 1);
        Ok(())
    }

    #[test]
    fn sync_all_releases_the_rest() -> Result {
        let mut book = Book::new(3)?;
        book.evaluate([(Some(0), true), (Some(1), false), (Some(2), false)]);
        assert_eq!(book.sync_all(), 0b110);
        assert!(book.synced);
        assert_eq!(book.domains[0].released, Some(Release::Partial));
        assert_eq!(book.domains[1].released, Some(Release::Full));
        assert_eq!(book.domains[2].order, 3);
        // A second sync releases nothing.
        assert_eq!(book.sync_all(), 0);
        Ok(())
    }
}
