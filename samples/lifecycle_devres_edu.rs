// SPDX-License-Identifier: GPL-2.0

//! `Devres` `access()` versus `try_access()` on QEMU's `edu` device
//! (1234:11e8).
//!
//! BAR0 becomes a [`pci::DevresBar`] in an [`Arc`] shared by the driver and
//! by every open file of the misc device `/dev/drvlife-edu`:
//!
//! - Probe and unbind prove the device is bound by their `&Device<Bound>`
//!   argument, so they use `access()`: no RCU, no atomics.
//! - A file can stay open after the device is unbound, so its `read()` uses
//!   `try_access_with()`; once the BAR is revoked each operation fails with
//!   `ENODEV` and is counted as refused.
//!
//! Each `read()` performs `ops_per_read` operations (read the identification
//! register, check its magic), sleeping `read_delay_us` between them
//! *outside* the RCU section, so that a test can unbind the device in the
//! middle of a long read. A read returns one line, `ok N`, after N
//! successful operations; it fails with `ENODEV` as soon as one finds the BAR
//! revoked (`EIO` if the register reads wrong, which would be a bug).
//!
//! Counters of all operations (attempted = succeeded + refused + failed) live
//! as long as the module and are read from `/dev/drvlife-edu-stats`.
//!
//! The driver also registers `children` auxiliary devices (default 2); the
//! auxiliary driver of this module binds them and reaches the parent's BAR
//! through the registration data. A bound auxiliary device proves its parent
//! is bound (`auxiliary::Device<Bound>::parent()`), so the children use
//! `access()` with the *parent's* device; `access()` with the child's own
//! device is refused with `EINVAL` (checked and logged at probe). On parent
//! unbind the children are unbound first, while the BAR is still mapped.
//! With `child_timer_period_us` each bound child runs a periodic timer on the
//! parent's BAR (`try_access_with()`, interrupt context), stopped when the
//! child is unbound: none of its ticks may ever find the BAR revoked.
//!
//! edu raises an interrupt on request. The driver takes one MSI vector (edge
//! triggered and not shared, so a handler that does not acknowledge cannot
//! storm: see `test_irq_no_ack`) and its handler acknowledges the
//! interrupt through `access()`: the handler's registration lives in the
//! driver data, so it is freed (`free_irq()` waits for a running handler)
//! before the BAR is revoked, and the handler can hold the `&Device<Bound>`
//! proof for the binding's lifetime. A `write()` on an open file raises an
//! interrupt through `try_access_with()` (the file can outlive the binding)
//! and waits until the device reports it acknowledged; after unbind it fails
//! with `ENODEV`. Their counters are the third line of the stats file.
//!
//! `test_keep_child_timer=1` (negative control only) keeps each child's
//! timer running past the child's unbind, until rmmod: its ticks then find
//! the parent's BAR revoked, which the tests must notice.
//!
//! `test_keep_raw_bar=1` (negative control only) makes the driver keep a raw
//! pointer to its BAR past unbind and use it on the next read of the stats
//! file: the bug `Devres` exists to prevent, which KASAN must report.
//!
//! Unloading the module while a file is open is refused (`delete_module()`
//! says `EAGAIN`/`EBUSY`): an open file holds a reference to the module that
//! provides its file operations.

use core::{
    ptr,
    sync::atomic::{
        AtomicPtr,
        AtomicU64,
        Ordering, //
    },
};
use kernel::{
    auxiliary,
    device::{
        Bound,
        Core,
        Device, //
    },
    devres::Devres,
    driver,
    fs::{
        File,
        Kiocb, //
    },
    io::Io,
    iov::{
        IovIterDest,
        IovIterSource, //
    },
    irq::{
        self,
        IrqReturn, //
    },
    miscdevice::{
        MiscDevice,
        MiscDeviceOptions,
        MiscDeviceRegistration, //
    },
    pci,
    prelude::*,
    str::CString,
    sync::{
        Arc,
        ArcBorrow, //
    },
    time::hrtimer::{
        ArcHrTimerHandle,
        HrTimer,
        HrTimerCallback,
        HrTimerCallbackContext,
        HrTimerPointer,
        HrTimerRestart,
        RelativeMode, //
    },
    time::{
        delay::fsleep,
        Delta, //
    },
    time::{
        Instant,
        Monotonic, //
    },
    types::CovariantForLt,
    InPlaceModule, //
};

const MODULE_NAME: &CStr = <LocalModule as kernel::ModuleMetadata>::NAME;
const CHILD_NAME: &CStr = c"child";

module! {
    type: DevresEduModule,
    name: "lifecycle_devres_edu",
    authors: ["Rust driver lifecycle lab"],
    description: "Devres access() vs try_access() on QEMU's edu device",
    license: "GPL",
    params: {
        ops_per_read: u32 {
            default: 1,
            description: "Liveness checks per read() (1..=100000)",
        },
        read_delay_us: u32 {
            default: 0,
            description: "Sleep between checks of one read(), outside RCU (us)",
        },
        children: u32 {
            default: 2,
            description: "Auxiliary devices to register per edu device (0..=8)",
        },
        bench_iters: u32 {
            default: 0,
            description: "Benchmark the accessors at probe with this many calls each (0: off)",
        },
        extra_devres: u32 {
            default: 0,
            description: "Benchmark only: extra Devres objects per binding, shared like the BAR \
                          (0..=1000)",
        },
        timer_period_us: u32 {
            default: 0,
            description: "Each open file runs a periodic timer checking the device (us, 0: none, \
                          at least 500)",
        },
        child_timer_period_us: u32 {
            default: 0,
            description: "Each bound auxiliary child runs a periodic timer checking the parent's \
                          BAR (us, 0: none, at least 500)",
        },
        test_keep_raw_bar: bool {
            default: false,
            description: "Negative control only: keep a raw BAR pointer past unbind",
        },
        irq: bool {
            default: true,
            description: "Register the interrupt handler (0: none, for the fault-injection test)",
        },
        test_keep_child_timer: bool {
            default: false,
            description: "Negative control only: a child's timer survives its unbind (until rmmod)",
        },
        test_irq_no_ack: bool {
            default: false,
            description: "Negative control only: the interrupt handler does not acknowledge",
        },
    },
}

/// edu registers we use; the BAR is 1 MiB, we map what we touch.
const EDU_REGS: usize = 0x100;
const EDU_ID: usize = 0x00;
const EDU_LIVENESS: usize = 0x04;
/// Interrupt status (read), raise (write: OR into the status, interrupt) and
/// acknowledge (write: clear these status bits).
const EDU_IRQ_STATUS: usize = 0x24;
const EDU_IRQ_RAISE: usize = 0x60;
const EDU_IRQ_ACK: usize = 0x64;
/// The status bit a file's `write()` raises.
const EDU_IRQ_FILE_BIT: u32 = 1;
/// How long a `write()` waits for the handler's acknowledgement: polls of
/// the status register, 100 us apart.
const IRQ_ACK_POLLS: u32 = 10_000;
/// Upper 16 bits of the identification register: the device's major and
/// minor version plus its magic 0xed.
const EDU_ID_MAGIC: u32 = 0xed;

/// Operation counters of the whole module; they outlive every binding.
static ATTEMPTED: AtomicU64 = AtomicU64::new(0);
static SUCCEEDED: AtomicU64 = AtomicU64::new(0);
static REFUSED: AtomicU64 = AtomicU64::new(0);
static FAILED: AtomicU64 = AtomicU64::new(0);

/// Counters of a kind of periodic timer: ticks = succeeded + refused +
/// failed.
struct TimerCounters {
    ticks: AtomicU64,
    succeeded: AtomicU64,
    refused: AtomicU64,
    failed: AtomicU64,
}

impl TimerCounters {
    const fn new() -> Self {
        Self {
            ticks: AtomicU64::new(0),
            succeeded: AtomicU64::new(0),
            refused: AtomicU64::new(0),
            failed: AtomicU64::new(0),
        }
    }
}

/// The files' timers (`timer_period_us`), kept apart from the read counters
/// because timers tick while tests read those.
static FILE_TIMERS: TimerCounters = TimerCounters::new();
/// The auxiliary children's timers (`child_timer_period_us`). A child's
/// timer stops when the child is unbound, before its parent's BAR is
/// revoked: none of its ticks may ever be refused.
static CHILD_TIMERS: TimerCounters = TimerCounters::new();

/// Counters of the interrupt path. `write()`: attempted = raised + refused
/// (BAR already revoked); raised = acked (the device reported the status
/// clear) + revoked while waiting + timed out. Handler: calls, handled (a
/// status bit was set and acknowledged) and `access()` failures (there must
/// be none: the handler cannot outlive the binding).
static IRQ_ATTEMPTED: AtomicU64 = AtomicU64::new(0);
static IRQ_RAISED: AtomicU64 = AtomicU64::new(0);
static IRQ_REFUSED: AtomicU64 = AtomicU64::new(0);
static IRQ_ACKED: AtomicU64 = AtomicU64::new(0);
static IRQ_REVOKED_WAITING: AtomicU64 = AtomicU64::new(0);
static IRQ_TIMED_OUT: AtomicU64 = AtomicU64::new(0);
static IRQ_CALLS: AtomicU64 = AtomicU64::new(0);
static IRQ_HANDLED: AtomicU64 = AtomicU64::new(0);
static IRQ_ACCESS_FAILED: AtomicU64 = AtomicU64::new(0);

kernel::sync::global_lock! {
    // SAFETY: Initialised in `DevresEduModule::init`, before the drivers that use it register.
    unsafe(uninit) static KEPT_CHILD_TIMERS: Mutex<KVec<ArcHrTimerHandle<Poller>>> = KVec::new();
}

/// Test-only (`test_keep_raw_bar`): a raw pointer to the BAR that escapes
/// the `Devres`, i.e. the bug under test.
static RAW_BAR: AtomicPtr<pci::Bar<'static, EDU_REGS>> = AtomicPtr::new(ptr::null_mut());

/// State shared by the bound driver and every open file.
struct Shared {
    /// BAR0, revoked when the device is unbound.
    bar: pci::DevresBar<EDU_REGS>,
    /// `extra_devres` objects, revoked with the BAR: they measure what
    /// unbinding costs per `Devres` alive (`make bench`).
    _extra: KVec<Devres<u64>>,
}

/// One operation through `try_access_with()`: read the (read-only)
/// identification register and check its magic. `None` once revoked.
/// Read-only, so that readers sharing the device cannot disturb each other.
fn try_check_id(shared: &Shared) -> Option<bool> {
    shared
        .bar
        .try_access_with(|bar| bar.read32(EDU_ID) & 0xff == EDU_ID_MAGIC)
}

/// What a child auxiliary device gets from its parent.
struct ChildData {
    shared: Arc<Shared>,
}

/// One registered auxiliary child.
type ChildRegistration<'bound> = auxiliary::Registration<'bound, CovariantForLt!(ChildData)>;

/// The interrupt handler: acknowledges edu's interrupt through `access()`.
struct EduIrq<'bound> {
    /// The proof that the device is bound. The handler's registration cannot
    /// outlive `'bound`, so neither can the handler.
    dev: &'bound Device<Bound>,
    shared: Arc<Shared>,
}

impl irq::Handler for EduIrq<'_> {
    fn handle(&self) -> IrqReturn {
        IRQ_CALLS.fetch_add(1, Ordering::Relaxed);
        let Ok(bar) = self.shared.bar.access(self.dev) else {
            IRQ_ACCESS_FAILED.fetch_add(1, Ordering::Relaxed);
            return IrqReturn::None;
        };
        let status = bar.read32(EDU_IRQ_STATUS);
        if status == 0 {
            // Already acknowledged by an earlier call.
            return IrqReturn::None;
        }
        if !module_parameters::test_irq_no_ack.value() {
            bar.write32(status, EDU_IRQ_ACK);
        }
        IRQ_HANDLED.fetch_add(1, Ordering::Relaxed);
        IrqReturn::Handled
    }
}

/// edu's interrupt: its MSI vector and the handler registered on it.
///
/// `handler` is declared first, so it is dropped (freed) before `vectors`,
/// whose vector it uses.
#[pin_data]
struct EduInterrupt<'bound> {
    #[pin]
    handler: irq::Registration<'bound, EduIrq<'bound>>,
    vectors: pci::IrqVectorRegistration<'bound>,
}

/// Takes one MSI vector and registers the handler on it.
fn request_interrupt<'bound>(
    pdev: &'bound pci::Device<Core<'_>>,
    shared: &Arc<Shared>,
) -> Result<Pin<KBox<EduInterrupt<'bound>>>> {
    let vectors = pdev.alloc_irq_vectors(1, 1, pci::IrqTypes::default().with(pci::IrqType::Msi))?;
    let handler = EduIrq {
        dev: pdev.as_ref(),
        shared: shared.clone(),
    };
    KBox::pin_init(
        try_pin_init!(&this in EduInterrupt {
            vectors,
            handler <- {
                // SAFETY: `vectors` is initialised above and `this` points to the pinned box,
                // which stays in place until it is dropped, before `'bound` ends. `handler` is
                // dropped before `vectors` (declaration order), so the borrow outlives its use.
                let vectors = unsafe { &*ptr::addr_of!((*this.as_ptr()).vectors) };
                // SAFETY: The registration lives in the driver data, which is dropped at unbind
                // and never forgotten.
                unsafe {
                    irq::Registration::new(
                        vectors.index(0)?.into(),
                        irq::Flags::TRIGGER_NONE,
                        c"drvlife-edu",
                        Ok::<_, Error>(handler),
                    )
                }
            },
        }),
        GFP_KERNEL,
    )
}

/// Driver data: the misc device files are opened on, the interrupt, the
/// shared state and the auxiliary children.
///
/// Fields are dropped in declaration order. `misc` comes first, so an
/// `open()` that reaches `EduFile::open` finds the other fields alive (the
/// bind/unbind stress caught the opposite order as a use-after-free in
/// `open()`). The interrupt is freed before the BAR is revoked, which
/// happens after the driver data is dropped.
#[pin_data]
struct EduData<'bound> {
    #[pin]
    misc: MiscDeviceRegistration<EduFile>,
    /// `None` with `irq=0`.
    interrupt: Option<Pin<KBox<EduInterrupt<'bound>>>>,
    shared: Arc<Shared>,
    children: KVec<ChildRegistration<'bound>>,
}

struct EduDriver;

/// Maps BAR0 as a `Devres` and checks the device through `access()`.
fn setup(pdev: &pci::Device<Core<'_>>) -> Result<Arc<Shared>> {
    if pdev.vendor_id().as_raw() != EDU_VENDOR || pdev.device_id() != EDU_DEVICE {
        return Err(ENODEV);
    }
    pdev.enable_device_mem()?;
    // edu's MSI is a memory write by the device: without bus mastering the
    // interrupt is never delivered.
    pdev.set_master();
    let bar = pdev
        .iomap_region_sized::<EDU_REGS>(0, c"lifecycle_devres_edu")?
        .into_devres()?;
    let dev: &Device<Bound> = pdev.as_ref();
    // Probe runs with the device bound: `access()` needs no RCU.
    let id = bar.access(dev)?.read32(EDU_ID);
    if id & 0xff != EDU_ID_MAGIC {
        dev_err!(dev, "not an edu device (id {id:#x})\n");
        return Err(ENODEV);
    }
    dev_info!(dev, "probe: edu id {id:#x}\n");
    if module_parameters::test_keep_raw_bar.value() {
        // The deliberate bug: a pointer that outlives the `Devres` revocation.
        let raw = ptr::from_ref(bar.access(dev)?).cast_mut();
        RAW_BAR.store(raw.cast(), Ordering::Relaxed);
        dev_warn!(
            dev,
            "test_keep_raw_bar: keeping a raw BAR pointer (test only)\n"
        );
    }
    let count = module_parameters::extra_devres.value().min(1000);
    let mut extra = KVec::with_capacity(count as usize, GFP_KERNEL)?;
    for i in 0..count {
        extra.push(Devres::new(dev, u64::from(i))?, GFP_KERNEL)?;
    }
    let shared = Arc::new(Shared { bar, _extra: extra }, GFP_KERNEL)?;
    let iters = module_parameters::bench_iters.value();
    if iters > 0 {
        bench(dev, &shared, iters);
    }
    Ok(shared)
}

/// Picoseconds per call of `f`, called `iters` times.
fn ps_per_call(iters: u32, mut f: impl FnMut()) -> i64 {
    let start = Instant::<Monotonic>::now();
    for _ in 0..iters {
        f();
    }
    start.elapsed().as_nanos() * 1000 / i64::from(iters.max(1))
}

/// `make bench`: the cost of each accessor, against a plain reference read
/// (the floor). Only the accessor is timed, no MMIO: an MMIO read under
/// emulation costs far more than any accessor and would hide the difference.
fn bench(dev: &Device<Bound>, shared: &Shared, iters: u32) {
    use core::hint::black_box;
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

/// Registers the auxiliary children, each with a reference to the shared state.
fn register_children<'bound>(
    pdev: &'bound pci::Device<Core<'_>>,
    shared: &Arc<Shared>,
) -> Result<KVec<ChildRegistration<'bound>>> {
    let count = module_parameters::children.value().min(8);
    let mut children = KVec::with_capacity(count as usize, GFP_KERNEL)?;
    for id in 0..count {
        children.push(
            auxiliary::Registration::new(
                pdev.as_ref(),
                CHILD_NAME,
                id,
                MODULE_NAME,
                ChildData {
                    shared: shared.clone(),
                },
            )?,
            GFP_KERNEL,
        )?;
    }
    Ok(children)
}

/// QEMU's vendor ID (not in the kernel's vendor list) and edu's device ID.
const EDU_VENDOR: u16 = 0x1234;
const EDU_DEVICE: u16 = 0x11e8;

// The kernel crate has no `Vendor` for QEMU's 0x1234, so the table matches
// edu's class (0x00ff00, shared with pci-testdev) and probe checks the IDs.
kernel::pci_device_table!(
    PCI_TABLE,
    <EduDriver as pci::Driver>::IdInfo,
    [(pci::DeviceId::from_class(0x00_ff00, 0xff_ff00), ())]
);

impl pci::Driver for EduDriver {
    type IdInfo = ();
    type Data<'bound> = EduData<'bound>;

    const ID_TABLE: pci::IdTable<Self::IdInfo> = &PCI_TABLE;

    fn probe<'bound>(
        pdev: &'bound pci::Device<Core<'_>>,
        _info: Option<&'bound Self::IdInfo>,
    ) -> impl PinInit<EduData<'bound>, Error> + 'bound {
        let shared = setup(pdev);
        try_pin_init!(EduData {
            children: register_children(pdev, shared.as_ref().map_err(|e| *e)?)?,
            interrupt: if module_parameters::irq.value() {
                Some(request_interrupt(pdev, shared.as_ref().map_err(|e| *e)?)?)
            } else {
                None
            },
            shared: shared?,
            misc <- MiscDeviceRegistration::register(MiscDeviceOptions {
                name: c"drvlife-edu",
            }),
        })
    }

    fn unbind<'bound>(pdev: &'bound pci::Device<Core<'_>>, this: Pin<&EduData<'bound>>) {
        let dev: &Device<Bound> = pdev.as_ref();
        // Still bound here: `access()` with the proof, then a liveness check.
        match this.shared.bar.access(dev) {
            Ok(bar) => {
                bar.write32(0x5a5a_0000, EDU_LIVENESS);
                let alive = bar.read32(EDU_LIVENESS) == !0x5a5a_0000;
                dev_info!(dev, "unbind: access() ok, device alive: {alive}\n");
            }
            Err(e) => dev_err!(dev, "unbind: access() failed: {e:?}\n"),
        }
    }
}

/// A periodic timer checking the device through `try_access_with()` in
/// interrupt context, until its handle is dropped (which cancels it and
/// waits for a running callback).
///
/// An open file's timer (`timer_period_us`) is deliberately not stopped at
/// unbind: it outlives the binding, finds the BAR revoked and counts a
/// refusal on every tick after it; closing the file stops it. A child's
/// timer (`child_timer_period_us`) is stopped when the child is unbound,
/// which happens before the parent's BAR is revoked.
#[pin_data]
struct Poller {
    #[pin]
    timer: HrTimer<Poller>,
    shared: Arc<Shared>,
    period: Delta,
    counters: &'static TimerCounters,
}

kernel::impl_has_hr_timer! {
    impl HasHrTimer<Self> for Poller {
        mode: RelativeMode<Monotonic>,
        field: self.timer
    }
}

impl HrTimerCallback for Poller {
    type Pointer<'a> = Arc<Self>;

    fn run(this: ArcBorrow<'_, Self>, mut ctx: HrTimerCallbackContext<'_, Self>) -> HrTimerRestart {
        let counters = this.counters;
        counters.ticks.fetch_add(1, Ordering::Relaxed);
        let counter = match try_check_id(&this.shared) {
            Some(true) => &counters.succeeded,
            Some(false) => &counters.failed,
            None => &counters.refused,
        };
        counter.fetch_add(1, Ordering::Relaxed);
        ctx.forward_now(this.period);
        HrTimerRestart::Restart
    }
}

/// Starts a timer with a period of `period_us` (at least 500 us), counted
/// in `counters`; none if `period_us` is 0.
fn start_poller(
    shared: &Arc<Shared>,
    period_us: u32,
    counters: &'static TimerCounters,
) -> Result<Option<ArcHrTimerHandle<Poller>>> {
    if period_us == 0 {
        return Ok(None);
    }
    let period = Delta::from_micros(i64::from(period_us.max(500)));
    let poller = Arc::pin_init(
        pin_init!(Poller {
            timer <- HrTimer::new(),
            shared: shared.clone(),
            period,
            counters,
        }),
        GFP_KERNEL,
    )?;
    Ok(Some(poller.start(period)))
}

/// An open file of `/dev/drvlife-edu`.
struct EduFile {
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
        let ops = module_parameters::ops_per_read.value().clamp(1, 100_000);
        let delay = module_parameters::read_delay_us.value();
        for _ in 0..ops {
            ATTEMPTED.fetch_add(1, Ordering::Relaxed);
            match try_check_id(&me.shared) {
                Some(true) => SUCCEEDED.fetch_add(1, Ordering::Relaxed),
                Some(false) => {
                    FAILED.fetch_add(1, Ordering::Relaxed);
                    return Err(EIO);
                }
                None => {
                    REFUSED.fetch_add(1, Ordering::Relaxed);
                    return Err(ENODEV);
                }
            };
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
        IRQ_ATTEMPTED.fetch_add(1, Ordering::Relaxed);
        let raised = me
            .shared
            .bar
            .try_access_with(|bar| bar.write32(EDU_IRQ_FILE_BIT, EDU_IRQ_RAISE));
        if raised.is_none() {
            IRQ_REFUSED.fetch_add(1, Ordering::Relaxed);
            return Err(ENODEV);
        }
        IRQ_RAISED.fetch_add(1, Ordering::Relaxed);
        for _ in 0..IRQ_ACK_POLLS {
            match me
                .shared
                .bar
                .try_access_with(|bar| bar.read32(EDU_IRQ_STATUS) & EDU_IRQ_FILE_BIT)
            {
                Some(0) => {
                    IRQ_ACKED.fetch_add(1, Ordering::Relaxed);
                    iov.advance(len);
                    return Ok(len);
                }
                Some(_) => fsleep(Delta::from_micros(100)),
                None => {
                    IRQ_REVOKED_WAITING.fetch_add(1, Ordering::Relaxed);
                    return Err(ENODEV);
                }
            }
        }
        IRQ_TIMED_OUT.fetch_add(1, Ordering::Relaxed);
        Err(ETIMEDOUT)
    }
}

/// `/dev/drvlife-edu-stats`: the module's operation counters.
struct StatsFile;

#[vtable]
impl MiscDevice for StatsFile {
    type Ptr = KBox<Self>;

    fn open(_file: &File, _misc: &MiscDeviceRegistration<Self>) -> Result<KBox<Self>> {
        Ok(KBox::new(Self, GFP_KERNEL)?)
    }

    fn read_iter(mut kiocb: Kiocb<'_, Self::Ptr>, iov: &mut IovIterDest<'_>) -> Result<usize> {
        let raw = RAW_BAR.load(Ordering::Relaxed);
        if !raw.is_null() {
            // SAFETY: none: `raw` escaped the `Devres` and may point to a BAR that was revoked and
            // freed at unbind. Only `test_keep_raw_bar` (a negative control) gets here.
            let id = unsafe { (*raw).read32(EDU_ID) };
            pr_info!("test_keep_raw_bar: read {id:#x} through the raw pointer\n");
        }
        let text = CString::try_from_fmt(fmt!(
            "attempted {} succeeded {} refused {} failed {}\n\
             timer_ticks {} succeeded {} refused {} failed {}\n\
             irq_attempted {} raised {} refused {} acked {} revoked_waiting {} timed_out {} \
             calls {} handled {} access_failed {}\n\
             child_timer_ticks {} succeeded {} refused {} failed {}\n",
            ATTEMPTED.load(Ordering::Relaxed),
            SUCCEEDED.load(Ordering::Relaxed),
            REFUSED.load(Ordering::Relaxed),
            FAILED.load(Ordering::Relaxed),
            FILE_TIMERS.ticks.load(Ordering::Relaxed),
            FILE_TIMERS.succeeded.load(Ordering::Relaxed),
            FILE_TIMERS.refused.load(Ordering::Relaxed),
            FILE_TIMERS.failed.load(Ordering::Relaxed),
            IRQ_ATTEMPTED.load(Ordering::Relaxed),
            IRQ_RAISED.load(Ordering::Relaxed),
            IRQ_REFUSED.load(Ordering::Relaxed),
            IRQ_ACKED.load(Ordering::Relaxed),
            IRQ_REVOKED_WAITING.load(Ordering::Relaxed),
            IRQ_TIMED_OUT.load(Ordering::Relaxed),
            IRQ_CALLS.load(Ordering::Relaxed),
            IRQ_HANDLED.load(Ordering::Relaxed),
            IRQ_ACCESS_FAILED.load(Ordering::Relaxed),
            CHILD_TIMERS.ticks.load(Ordering::Relaxed),
            CHILD_TIMERS.succeeded.load(Ordering::Relaxed),
            CHILD_TIMERS.refused.load(Ordering::Relaxed),
            CHILD_TIMERS.failed.load(Ordering::Relaxed)
        ))?;
        iov.simple_read_from_buffer(kiocb.ki_pos_mut(), text.to_bytes())
    }
}

/// Driver of the auxiliary children: uses the parent's BAR.
struct ChildDriver;

kernel::auxiliary_device_table!(
    AUX_TABLE,
    <ChildDriver as auxiliary::Driver>::IdInfo,
    [(auxiliary::DeviceId::new(MODULE_NAME, CHILD_NAME), ())]
);

/// A bound child: its parent's shared state and its timer, stopped when
/// the child is unbound.
struct ChildState {
    shared: Arc<Shared>,
    _poller: Option<ArcHrTimerHandle<Poller>>,
}

impl auxiliary::Driver for ChildDriver {
    type IdInfo = ();
    type Data<'bound> = ChildState;

    const ID_TABLE: auxiliary::IdTable<Self::IdInfo> = &AUX_TABLE;

    fn probe<'bound>(
        adev: &'bound auxiliary::Device<Core<'_>>,
        _info: &'bound Self::IdInfo,
    ) -> impl PinInit<ChildState, Error> + 'bound {
        let data = adev.registration_data::<CovariantForLt!(ChildData)>()?;
        let shared = data.shared.clone();
        let own: &Device<Bound> = adev.as_ref();
        // `access()` checks that the proof is for the device the `Devres` belongs to.
        match shared.bar.access(own) {
            Err(e) if e == EINVAL => {
                dev_info!(
                    own,
                    "child {}: access() with its own device: EINVAL\n",
                    adev.id()
                );
            }
            Err(e) => return Err(e),
            Ok(_) => {
                dev_err!(
                    own,
                    "child {}: access() accepted a foreign device\n",
                    adev.id()
                );
                return Err(EINVAL);
            }
        }
        // A bound child proves its parent is bound: `access()` with the parent.
        let id = shared.bar.access(adev.parent())?.read32(EDU_ID);
        dev_info!(
            own,
            "child {}: access() via parent ok (id {id:#x})\n",
            adev.id()
        );
        let mut poller = start_poller(
            &shared,
            module_parameters::child_timer_period_us.value(),
            &CHILD_TIMERS,
        )?;
        if module_parameters::test_keep_child_timer.value() {
            // The deliberate bug: the timer is not stopped when the child is
            // unbound, only at rmmod, so it outlives the parent's BAR.
            if let Some(handle) = poller.take() {
                KEPT_CHILD_TIMERS.lock().push(handle, GFP_KERNEL)?;
            }
        }
        Ok(ChildState {
            shared,
            _poller: poller,
        })
    }

    fn unbind<'bound>(adev: &'bound auxiliary::Device<Core<'_>>, this: Pin<&ChildState>) {
        // Children are unbound before their parent's resources are released.
        let mapped = this.shared.bar.access(adev.parent()).is_ok();
        dev_info!(
            adev,
            "child {}: unbind, parent BAR still mapped: {mapped}\n",
            adev.id()
        );
    }
}

#[pin_data(PinnedDrop)]
struct DevresEduModule {
    #[pin]
    _stats: MiscDeviceRegistration<StatsFile>,
    #[pin]
    _driver: driver::Registration<pci::Adapter<EduDriver>>,
    #[pin]
    _child_driver: driver::Registration<auxiliary::Adapter<ChildDriver>>,
}

#[pinned_drop]
impl PinnedDrop for DevresEduModule {
    fn drop(self: Pin<&mut Self>) {
        // Stops the timers `test_keep_child_timer` kept past their child's unbind.
        KEPT_CHILD_TIMERS.lock().clear();
    }
}

impl InPlaceModule for DevresEduModule {
    fn init(module: &'static ThisModule) -> impl PinInit<Self, Error> {
        // SAFETY: Called once, before the drivers that use the lock are registered.
        unsafe { KEPT_CHILD_TIMERS.init() };
        try_pin_init!(Self {
            _stats <- MiscDeviceRegistration::register(MiscDeviceOptions {
                name: c"drvlife-edu-stats",
            }),
            _driver <- driver::Registration::new(MODULE_NAME, module),
            _child_driver <- driver::Registration::new(MODULE_NAME, module),
        })
    }
}
