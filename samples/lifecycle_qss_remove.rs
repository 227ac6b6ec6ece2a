// SPDX-License-Identifier: GPL-2.0

//! Test-only: a consumer that never probed removed while the supplier's
//! device lock, or a lock its `queue_sync_state()` takes, is held. Both
//! deadlocked when the driver core re-evaluated the supplier synchronously
//! at the end of `device_del()` (our patch 0008 before issue 24); it now
//! does so from a work item, so both complete and the supplier is still
//! re-evaluated, later.
//!
//! The callback runs with the supplier's device lock held. Removing a
//! consumer that never probed queues the supplier for another call:
//!
//! - `drvlife-qss-self`: the callback removes one of its own unprobed
//!   consumers, with the device lock held. With a synchronous
//!   re-evaluation, its thread waited for the device lock it holds.
//! - `drvlife-qss-abba`: the callback takes a driver lock that another
//!   thread holds around the removal of one of the supplier's unprobed
//!   consumers. With a synchronous re-evaluation, each thread waited for
//!   the lock the other holds.
//!
//! Loading the module creates each supplier with three consumers that no
//! driver binds (a keeper, so the supplier never syncs, a trigger and a
//! victim), then registers the two drivers: both suppliers bind and their
//! callbacks run, unarmed. Writing to a file in
//! `/sys/kernel/debug/drvlife_qss_remove/` arms a callback and removes
//! the supplier's trigger, whose re-evaluation calls it. Counters: `stats`
//! in the same directory (per supplier: calls, armed callbacks that started
//! their action, and those whose action returned).

use core::{
    marker::PhantomData,
    sync::atomic::{
        AtomicBool,
        AtomicU64,
        Ordering, //
    },
};
use kernel::{
    debugfs::{
        Dir,
        File, //
    },
    device::{
        link::{
            self,
            Consumers, //
        },
        Core, //
    },
    driver,
    platform,
    prelude::*,
    sync::{
        GlobalLock,
        GlobalLockBackend, //
    },
    time::{
        delay::fsleep,
        Delta, //
    },
    uaccess::UserSliceReader,
    InPlaceModule, //
};

module! {
    type: QssForbiddenModule,
    name: "lifecycle_qss_remove",
    authors: ["Rust driver lifecycle lab"],
    description: "Test-only: unprobed consumers removed under the supplier's locks",
    license: "GPL",
}

const SELF_NAME: &CStr = c"drvlife-qss-self";
const ABBA_NAME: &CStr = c"drvlife-qss-abba";
const CONSUMER_NAME: &CStr = c"drvlife-qss-fb-consumer";

kernel::sync::global_lock! {
    // SAFETY: Initialised in the module initialiser before first use.
    unsafe(uninit) static SELF_VICTIM: Mutex<Option<platform::Registration>> = None;
}
kernel::sync::global_lock! {
    // SAFETY: Initialised in the module initialiser before first use.
    unsafe(uninit) static SELF_TRIGGER: Mutex<Option<platform::Registration>> = None;
}
kernel::sync::global_lock! {
    // SAFETY: Initialised in the module initialiser before first use.
    unsafe(uninit) static ABBA_VICTIM: Mutex<Option<platform::Registration>> = None;
}
kernel::sync::global_lock! {
    // SAFETY: Initialised in the module initialiser before first use.
    unsafe(uninit) static ABBA_TRIGGER: Mutex<Option<platform::Registration>> = None;
}
kernel::sync::global_lock! {
    // SAFETY: Initialised in the module initialiser before first use.
    //
    // The driver lock of the second rule: held by one thread around the
    // removal of a consumer, taken by the callback.
    unsafe(uninit) static DRIVER_LOCK: Mutex<()> = ();
}

/// A callback's state for one action: armed by a trigger, counted.
struct RuleState {
    /// The next callback of the supplier does the action.
    armed: AtomicBool,
    /// `queue_sync_state()` calls.
    calls: AtomicU64,
    /// Armed callbacks that started the action.
    started: AtomicU64,
    /// Armed callbacks whose action returned.
    returned: AtomicU64,
}

impl RuleState {
    const fn new() -> Self {
        Self {
            armed: AtomicBool::new(false),
            calls: AtomicU64::new(0),
            started: AtomicU64::new(0),
            returned: AtomicU64::new(0),
        }
    }
}

static SELF_RULE: RuleState = RuleState::new();
static ABBA_RULE: RuleState = RuleState::new();
/// The armed `drvlife-qss-abba` callback runs and holds the device lock.
static ABBA_IN_CALLBACK: AtomicBool = AtomicBool::new(false);
/// The `abba_remover` writer holds the driver lock.
static REMOVER_HOLDS_LOCK: AtomicBool = AtomicBool::new(false);

/// Drops the consumer held in `slot`, if any, outside the slot's lock:
/// `device_del()` then queues the supplier for a re-evaluation.
fn remove_consumer<B>(slot: &'static GlobalLock<B>) -> bool
where
    B: GlobalLockBackend<Item = Option<platform::Registration>>,
{
    let consumer = slot.lock().take();
    let removed = consumer.is_some();
    drop(consumer);
    removed
}

/// One action, done by an armed callback of [`RuleDriver`].
trait Rule: 'static {
    /// The action's state.
    const STATE: &'static RuleState;
    /// Logged before the action.
    const WHAT: &'static CStr;
    /// Does the action.
    fn act();
}

/// The callback removes one of its own consumers.
struct RemoveOwnConsumer;

impl Rule for RemoveOwnConsumer {
    const STATE: &'static RuleState = &SELF_RULE;
    const WHAT: &'static CStr = c"removing an own consumer under the device lock";
    fn act() {
        remove_consumer(&SELF_VICTIM);
    }
}

/// The callback takes a lock that another thread holds around a
/// consumer's removal.
struct TakeRemoversLock;

impl Rule for TakeRemoversLock {
    const STATE: &'static RuleState = &ABBA_RULE;
    const WHAT: &'static CStr = c"taking the driver lock under the device lock";
    fn act() {
        ABBA_IN_CALLBACK.store(true, Ordering::Relaxed);
        let _guard = DRIVER_LOCK.lock();
    }
}

/// A supplier whose armed `queue_sync_state()` does action `R`.
struct RuleDriver<R: Rule>(PhantomData<R>);

#[vtable]
impl<R: Rule> platform::Driver for RuleDriver<R> {
    type IdInfo = ();
    type Data<'bound> = ();

    fn probe<'bound>(
        _pdev: &'bound platform::Device<Core<'_>>,
        _info: Option<&'bound Self::IdInfo>,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        Ok(())
    }

    fn sync_state<'bound>(pdev: &'bound platform::Device<Core<'_>>, _this: Pin<&()>) {
        dev_info!(pdev.as_ref(), "sync_state\n");
    }

    fn queue_sync_state<'bound>(
        pdev: &'bound platform::Device<Core<'_>>,
        _this: Pin<&()>,
        _consumers: &Consumers<'_>,
    ) {
        R::STATE.calls.fetch_add(1, Ordering::Relaxed);
        if !R::STATE.armed.swap(false, Ordering::Relaxed) {
            return;
        }
        R::STATE.started.fetch_add(1, Ordering::Relaxed);
        dev_info!(pdev.as_ref(), "{}\n", R::WHAT);
        R::act();
        R::STATE.returned.fetch_add(1, Ordering::Relaxed);
        dev_info!(pdev.as_ref(), "{}: done\n", R::WHAT);
    }
}

/// Arms `rule` and removes the supplier's trigger consumer held in `slot`:
/// its re-evaluation calls the armed callback. `EALREADY` once the trigger
/// is gone.
fn arm_and_trigger<B>(rule: &RuleState, slot: &'static GlobalLock<B>) -> Result
where
    B: GlobalLockBackend<Item = Option<platform::Registration>>,
{
    rule.armed.store(true, Ordering::Relaxed);
    if remove_consumer(slot) {
        Ok(())
    } else {
        Err(EALREADY)
    }
}

/// `self`: the armed `drvlife-qss-self` callback removes its own consumer.
fn write_self(_: &(), _reader: &mut UserSliceReader) -> Result {
    arm_and_trigger(&SELF_RULE, &SELF_TRIGGER)
}

/// `abba_callback`: the armed `drvlife-qss-abba` callback takes the driver
/// lock.
fn write_abba_callback(_: &(), _reader: &mut UserSliceReader) -> Result {
    arm_and_trigger(&ABBA_RULE, &ABBA_TRIGGER)
}

/// `abba_remover`: hold the driver lock, wait (10 s at most) until the
/// armed callback holds the supplier's device lock, then remove one of the
/// supplier's consumers; a synchronous re-evaluation would wait for that
/// lock.
fn write_abba_remover(_: &(), _reader: &mut UserSliceReader) -> Result {
    let _guard = DRIVER_LOCK.lock();
    REMOVER_HOLDS_LOCK.store(true, Ordering::Relaxed);
    let mut waited_ms = 0;
    while !ABBA_IN_CALLBACK.load(Ordering::Relaxed) {
        if waited_ms >= 10_000 {
            REMOVER_HOLDS_LOCK.store(false, Ordering::Relaxed);
            return Err(ETIMEDOUT);
        }
        fsleep(Delta::from_millis(10));
        waited_ms += 10;
    }
    remove_consumer(&ABBA_VICTIM);
    REMOVER_HOLDS_LOCK.store(false, Ordering::Relaxed);
    Ok(())
}

fn write_stats(_: &(), f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
    writeln!(
        f,
        "abba_remover_holds_lock={}",
        u8::from(REMOVER_HOLDS_LOCK.load(Ordering::Relaxed))
    )?;
    for (name, rule) in [("self", &SELF_RULE), ("abba", &ABBA_RULE)] {
        writeln!(f, "{name}_calls={}", rule.calls.load(Ordering::Relaxed))?;
        writeln!(f, "{name}_started={}", rule.started.load(Ordering::Relaxed))?;
        writeln!(
            f,
            "{name}_returned={}",
            rule.returned.load(Ordering::Relaxed)
        )?;
    }
    Ok(())
}

/// A supplier and the consumer that keeps it from syncing.
struct Supplier {
    _keeper: platform::Registration,
    _device: platform::Registration,
}

/// Creates supplier `name` and its three unprobed consumers (ids
/// `base`..`base + 2`): the keeper stays, the trigger and the victim go to
/// their slots.
fn new_supplier<T, V>(
    name: &CStr,
    base: u32,
    trigger: &'static GlobalLock<T>,
    victim: &'static GlobalLock<V>,
) -> Result<Supplier>
where
    T: GlobalLockBackend<Item = Option<platform::Registration>>,
    V: GlobalLockBackend<Item = Option<platform::Registration>>,
{
    let device = platform::Registration::new(&platform::DeviceInfo::new(name))?;
    let consumer = |id| -> Result<platform::Registration> {
        let reg = platform::Registration::new(&platform::DeviceInfo::new(CONSUMER_NAME).id(id)?)?;
        link::add_managed(
            reg.device().as_ref(),
            device.device().as_ref(),
            link::Flags::NONE,
        )?;
        Ok(reg)
    };
    let keeper = consumer(base)?;
    *trigger.lock() = Some(consumer(base + 1)?);
    *victim.lock() = Some(consumer(base + 2)?);
    Ok(Supplier {
        _keeper: keeper,
        _device: device,
    })
}

#[pin_data(PinnedDrop)]
struct QssForbiddenModule {
    /// Unregistered first: the suppliers unbind before their devices go.
    #[pin]
    _self_driver: driver::Registration<platform::Adapter<RuleDriver<RemoveOwnConsumer>>>,
    #[pin]
    _abba_driver: driver::Registration<platform::Adapter<RuleDriver<TakeRemoversLock>>>,
    _suppliers: [Supplier; 2],
    #[pin]
    _self_file: File<()>,
    #[pin]
    _abba_callback_file: File<()>,
    #[pin]
    _abba_remover_file: File<()>,
    #[pin]
    _stats: File<()>,
    _dir: Dir,
}

#[pinned_drop]
impl PinnedDrop for QssForbiddenModule {
    /// The consumers in the slots are not the module's fields: remove them
    /// here (unarmed, their suppliers' callbacks do nothing), before the
    /// drivers and the suppliers go. A re-evaluation still queued then
    /// finds the supplier unbound and calls nothing.
    fn drop(self: Pin<&mut Self>) {
        remove_consumer(&SELF_TRIGGER);
        remove_consumer(&SELF_VICTIM);
        remove_consumer(&ABBA_TRIGGER);
        remove_consumer(&ABBA_VICTIM);
    }
}

impl InPlaceModule for QssForbiddenModule {
    fn init(module: &'static ThisModule) -> impl PinInit<Self, Error> {
        // SAFETY: Called once, before anything uses the locks.
        unsafe {
            SELF_VICTIM.init();
            SELF_TRIGGER.init();
            ABBA_VICTIM.init();
            ABBA_TRIGGER.init();
            DRIVER_LOCK.init();
        }
        pin_init::pin_init_scope(move || {
            let suppliers = [
                new_supplier(SELF_NAME, 0, &SELF_TRIGGER, &SELF_VICTIM)?,
                new_supplier(ABBA_NAME, 10, &ABBA_TRIGGER, &ABBA_VICTIM)?,
            ];
            let dir = Dir::new(c"drvlife_qss_remove");

            Ok(try_pin_init!(Self {
                _stats <- dir.read_callback_file(c"stats", Ok::<(), Error>(()), &write_stats),
                _self_file <- dir.write_callback_file(c"self", Ok::<(), Error>(()), &write_self),
                _abba_callback_file <- dir.write_callback_file(
                    c"abba_callback",
                    Ok::<(), Error>(()),
                    &write_abba_callback,
                ),
                _abba_remover_file <- dir.write_callback_file(
                    c"abba_remover",
                    Ok::<(), Error>(()),
                    &write_abba_remover,
                ),
                _dir: dir,
                _suppliers: suppliers,
                _self_driver <- driver::Registration::new(SELF_NAME, module),
                _abba_driver <- driver::Registration::new(ABBA_NAME, module),
            }))
        })
    }
}
