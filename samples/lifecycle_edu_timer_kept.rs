// SPDX-License-Identifier: GPL-2.0

//! Deliberately broken, for the harness's negative controls only:
//! `lifecycle_devres_edu` whose auxiliary children leave a timer running
//! after they are unbound.
//!
//! The module is built from the sample's own files (`devres_edu/`, included
//! with `#[path]`), and registers, in place of the sample's child driver, a
//! wrapper that binds the children the same way and then starts one more
//! timer per child, which it does not stop at the child's unbind but only
//! at rmmod. After a parent unbind those ticks find the parent's BAR
//! revoked, and the child timer check of `devres/aux_children.sh` must come
//! out `not ok` (`controls/devres_child_timer_kept.sh`).
//!
//! It must never be loaded outside the controls. Its name is shorter than
//! the sample's plus a suffix because its children are named
//! `<module>.child`, which the auxiliary bus limits to 31 characters.

use kernel::{
    auxiliary,
    debugfs::{
        Dir,
        File, //
    },
    device::Core,
    driver::Registration,
    pci,
    prelude::*,
    time::hrtimer::ArcHrTimerHandle,
    InPlaceModule, //
};

#[macro_use]
#[path = "devres_edu/params.rs"]
mod params;
#[path = "devres_edu/bench.rs"]
mod bench;
#[path = "devres_edu/child.rs"]
mod child;
#[path = "devres_edu/driver.rs"]
mod driver;
#[path = "devres_edu/file.rs"]
mod file;
#[path = "devres_edu/irq.rs"]
mod irq;
#[path = "devres_edu/msi.rs"]
mod msi;
#[path = "devres_edu/read_outcome.rs"]
mod read_outcome;
#[path = "devres_edu/regs.rs"]
mod regs;
#[path = "devres_edu/shared.rs"]
mod shared;
#[path = "devres_edu/stats.rs"]
mod stats;
#[path = "devres_edu/timer.rs"]
mod timer;

/// The module's name; also the name of its drivers.
pub(crate) const MODULE_NAME: &CStr = <LocalModule as kernel::ModuleMetadata>::NAME;

edu_module!(
    ChildTimerKeptModule,
    "lifecycle_edu_timer_kept",
    "Negative control: lifecycle_devres_edu whose children's timers outlive them"
);

kernel::sync::global_lock! {
    // SAFETY: Initialised in `ChildTimerKeptModule::init`, before the driver that uses it
    // registers.
    unsafe(uninit) static KEPT_TIMERS: Mutex<KVec<ArcHrTimerHandle<timer::Poller>>> = KVec::new();
}

/// The sample's child driver, plus the bug: a timer per child that only
/// rmmod stops.
struct KeptTimerChildDriver;

impl auxiliary::Driver for KeptTimerChildDriver {
    type IdInfo = <child::ChildDriver as auxiliary::Driver>::IdInfo;
    type Data<'bound> = <child::ChildDriver as auxiliary::Driver>::Data<'bound>;

    const ID_TABLE: auxiliary::IdTable<Self::IdInfo> =
        <child::ChildDriver as auxiliary::Driver>::ID_TABLE;

    fn probe<'bound>(
        adev: &'bound auxiliary::Device<Core<'_>>,
        info: &'bound Self::IdInfo,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        child::ChildDriver::probe(adev, info).pin_chain(|state| {
            let kept = timer::start_poller(
                &state.shared,
                module_parameters::child_timer_period_us.value(),
                &stats::CHILD_TIMERS,
            )?;
            // The deliberate bug: the handle is not in the child's data, so
            // the child's unbind does not stop the timer.
            if let Some(handle) = kept {
                KEPT_TIMERS.lock().push(handle, GFP_KERNEL)?;
            }
            Ok(())
        })
    }

    fn unbind<'bound>(adev: &'bound auxiliary::Device<Core<'_>>, this: Pin<&Self::Data<'bound>>) {
        child::ChildDriver::unbind(adev, this);
    }
}

#[pin_data(PinnedDrop)]
struct ChildTimerKeptModule {
    #[pin]
    _driver: Registration<pci::Adapter<driver::EduDriver>>,
    #[pin]
    _child_driver: Registration<auxiliary::Adapter<KeptTimerChildDriver>>,
    #[pin]
    _stats: File<()>,
    _stats_dir: Dir,
}

#[pinned_drop]
impl PinnedDrop for ChildTimerKeptModule {
    fn drop(self: Pin<&mut Self>) {
        // Before the drivers are unregistered, which only unbinds: no child
        // adds a timer after this.
        KEPT_TIMERS.lock().clear();
    }
}

impl InPlaceModule for ChildTimerKeptModule {
    fn init(module: &'static ThisModule) -> impl PinInit<Self, Error> {
        // SAFETY: Called once, before the driver that uses the lock is registered.
        unsafe { KEPT_TIMERS.init() };
        let stats_dir = Dir::new(c"drvlife-edu");
        try_pin_init!(Self {
            _stats <- stats::stats_file(&stats_dir),
            _stats_dir: stats_dir,
            _driver <- Registration::new(MODULE_NAME, module),
            _child_driver <- Registration::new(MODULE_NAME, module),
        })
    }
}
