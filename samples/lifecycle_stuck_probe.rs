// SPDX-License-Identifier: GPL-2.0

//! Test-only: a platform driver whose probe is stuck until it is released
//! from debugfs, for the driver registration that must not wait for it
//! (seed 001: `match()` under the device lock was reverted because a stuck
//! probe then stalls driver registration on the whole bus).
//!
//! Loading the module creates `/sys/kernel/debug/drvlife_stuck_probe/`,
//! registers the device `drvlife-stuck` and then its driver, whose probe
//! runs in `insmod` and sleeps (uninterruptibly, as a probe stuck on a lock
//! would) until `release` is written, or until `max_block_ms` passes, when
//! it fails with `ETIMEDOUT` (so that a test that forgets to release it
//! does not wedge the guest). `stats`: `probe_started`, `probe_released`,
//! `probe_timed_out`, one `key=value` per line.
//!
//! Its counterpart, the bus that takes the device lock in `match()` (the
//! reverted behaviour), is C: 7.3's Rust cannot define a bus type
//! (`lifecycle_lockmatch_bus.c`).

use core::sync::atomic::{
    AtomicBool,
    AtomicU64,
    Ordering, //
};
use kernel::{
    debugfs::{
        Dir,
        File, //
    },
    device::Core,
    driver,
    platform,
    prelude::*,
    time::{
        delay::fsleep,
        Delta, //
    },
    uaccess::UserSliceReader,
    InPlaceModule, //
};

module! {
    type: StuckProbeModule,
    name: "lifecycle_stuck_probe",
    authors: ["Rust driver lifecycle lab"],
    description: "Test-only: a probe stuck until released from debugfs",
    license: "GPL",
    params: {
        max_block_ms: u32 {
            default: 20000,
            description: "Longest the probe stays stuck before it fails with ETIMEDOUT",
        },
    },
}

/// Name of the device and of its driver: they match by name.
const NAME: &CStr = c"drvlife-stuck";
/// How often the stuck probe looks at `release`.
const POLL_MS: u32 = 10;

/// Set by a write to `release`.
static RELEASED: AtomicBool = AtomicBool::new(false);
/// Probes started.
static STARTED: AtomicU64 = AtomicU64::new(0);
/// Probes that ended because `release` was written.
static RELEASED_PROBES: AtomicU64 = AtomicU64::new(0);
/// Probes that gave up after `max_block_ms`.
static TIMED_OUT: AtomicU64 = AtomicU64::new(0);

/// The driver whose probe is stuck.
struct StuckDriver;

#[vtable]
impl platform::Driver for StuckDriver {
    type IdInfo = ();
    type Data<'bound> = ();

    fn probe<'bound>(
        pdev: &'bound platform::Device<Core<'_>>,
        _info: Option<&'bound Self::IdInfo>,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        STARTED.fetch_add(1, Ordering::Relaxed);
        dev_info!(pdev.as_ref(), "probe stuck until released\n");
        let mut waited = 0;
        while !RELEASED.load(Ordering::Acquire) {
            if waited >= module_parameters::max_block_ms.value() {
                TIMED_OUT.fetch_add(1, Ordering::Relaxed);
                dev_err!(pdev.as_ref(), "probe never released\n");
                return Err(ETIMEDOUT);
            }
            fsleep(Delta::from_millis(POLL_MS.into()));
            waited += POLL_MS;
        }
        RELEASED_PROBES.fetch_add(1, Ordering::Relaxed);
        dev_info!(pdev.as_ref(), "probe released\n");
        Ok(())
    }
}

/// Any write to `release` lets the stuck probe return.
fn release(_: &(), _reader: &mut UserSliceReader) -> Result {
    RELEASED.store(true, Ordering::Release);
    Ok(())
}

fn write_stats(_: &(), f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
    let get = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
    writeln!(f, "probe_started={}", get(&STARTED))?;
    writeln!(f, "probe_released={}", get(&RELEASED_PROBES))?;
    writeln!(f, "probe_timed_out={}", get(&TIMED_OUT))
}

#[pin_data]
struct StuckProbeModule {
    /// Unregistered first, then the device, then the files.
    #[pin]
    _driver: driver::Registration<platform::Adapter<StuckDriver>>,
    _device: platform::Registration,
    #[pin]
    _release: File<()>,
    #[pin]
    _stats: File<()>,
    _dir: Dir,
}

impl InPlaceModule for StuckProbeModule {
    fn init(module: &'static ThisModule) -> impl PinInit<Self, Error> {
        pin_init::pin_init_scope(move || {
            let dir = Dir::new(c"drvlife_stuck_probe");
            let device = platform::Registration::new(&platform::DeviceInfo::new(NAME))?;

            Ok(try_pin_init!(Self {
                _stats <- dir.read_callback_file(c"stats", Ok::<(), Error>(()), &write_stats),
                _release <- dir.write_callback_file(c"release", Ok::<(), Error>(()), &release),
                _dir: dir,
                _device: device,
                _driver <- driver::Registration::new(NAME, module),
            }))
        })
    }
}
