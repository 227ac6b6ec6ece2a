// SPDX-License-Identifier: GPL-2.0

//! Deliberately broken, for the harness's negative controls only:
//! `lifecycle_pd_controller` with a partial sync that runs without the
//! driver core's protection.
//!
//! The module is built from the controller's own files (`pd_controller/`,
//! included with `#[path]`), and registers, in place of its driver, a
//! wrapper that binds the controller the same way and also publishes the
//! driver data for a platform bus notifier. The notifier then touches the
//! controller's data on every platform bus event, as a `queue_sync_state()`
//! called on device events without the driver core's "supplier bound,
//! device lock held" checks would, with nothing keeping the controller
//! bound. Under the supplier unbind/bind stress it uses freed driver data
//! and KASAN must report it (`controls/pd_unprotected.sh`).
//!
//! It must never be loaded outside the controls.

use core::{
    ptr,
    sync::atomic::{
        AtomicPtr,
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
        link::Consumers,
        Core, //
    },
    driver::Registration,
    error::to_result,
    platform,
    prelude::*,
    time::{
        delay::fsleep,
        Delta, //
    },
    types::Opaque,
    InPlaceModule, //
};

#[path = "pd_controller/book.rs"]
mod book;
#[path = "pd_controller/driver.rs"]
mod driver;
#[path = "pd_controller/stats.rs"]
mod stats;

module! {
    type: UnprotectedModule,
    name: "lifecycle_pd_controller_unprotected",
    authors: ["Rust driver lifecycle lab"],
    description: "Negative control: lifecycle_pd_controller with an unprotected partial sync",
    license: "GPL",
}

/// The bound controller's data, published for the bus notifier: the bug
/// under test.
static PUBLISHED: AtomicPtr<driver::PwrCtl> = AtomicPtr::new(ptr::null_mut());

/// The controller's driver, plus the bug: it publishes its data.
struct UnprotectedDriver;

#[vtable]
impl platform::Driver for UnprotectedDriver {
    type IdInfo = ();
    type Data<'bound> = driver::PwrCtl;

    fn probe<'bound>(
        pdev: &'bound platform::Device<Core<'_>>,
        info: Option<&'bound Self::IdInfo>,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        driver::PwrCtlDriver::probe(pdev, info)
    }

    fn unbind<'bound>(pdev: &'bound platform::Device<Core<'_>>, this: Pin<&Self::Data<'bound>>) {
        PUBLISHED.store(ptr::null_mut(), Ordering::Relaxed);
        driver::PwrCtlDriver::unbind(pdev, this);
    }

    fn sync_state<'bound>(
        pdev: &'bound platform::Device<Core<'_>>,
        this: Pin<&Self::Data<'bound>>,
    ) {
        driver::PwrCtlDriver::sync_state(pdev, this);
    }

    fn queue_sync_state<'bound>(
        pdev: &'bound platform::Device<Core<'_>>,
        this: Pin<&Self::Data<'bound>>,
        consumers: &Consumers<'_>,
    ) {
        // The deliberate bug: the pointer outlives this call, and clearing
        // it at unbind does not stop a notifier that already loaded it.
        PUBLISHED.store(ptr::from_ref(this.get_ref()).cast_mut(), Ordering::Relaxed);
        driver::PwrCtlDriver::queue_sync_state(pdev, this, consumers);
    }
}

/// What a partial sync touches, done from any platform bus event; a small
/// delay widens the window the stress test hits.
extern "C" fn unprotected_notifier(
    _nb: *mut bindings::notifier_block,
    _action: usize,
    _data: *mut c_void,
) -> c_int {
    let data = PUBLISHED.load(Ordering::Relaxed);
    if data.is_null() {
        return 0;
    }
    fsleep(Delta::from_millis(20));
    // SAFETY: None, deliberately: nothing keeps the controller bound, so `data` may have been
    // freed meanwhile. This is the use-after-remove under test.
    let data = unsafe { &*data };
    if data.check_alive() {
        drop(data.book.lock());
    }
    0
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
struct UnprotectedModule {
    #[pin]
    _driver: Registration<platform::Adapter<UnprotectedDriver>>,
    #[pin]
    _notifier: BusNotifier,
    #[pin]
    _stats: File<()>,
    _stats_dir: Dir,
}

impl InPlaceModule for UnprotectedModule {
    fn init(module: &'static ThisModule) -> impl PinInit<Self, Error> {
        let stats_dir = Dir::new(c"drvlife_pwrctl-stats");
        try_pin_init!(Self {
            _notifier <- BusNotifier::register(),
            _stats <- stats::stats_file(&stats_dir),
            _stats_dir: stats_dir,
            _driver <- Registration::new(driver::CONTROLLER_NAME, module),
        })
    }
}
