// SPDX-License-Identifier: GPL-2.0

//! A periodic timer that checks the device from interrupt context.

use kernel::{
    prelude::*,
    sync::{
        Arc,
        ArcBorrow, //
    },
    time::{
        hrtimer::{
            ArcHrTimerHandle,
            HrTimer,
            HrTimerCallback,
            HrTimerCallbackContext,
            HrTimerPointer,
            HrTimerRestart,
            RelativeMode, //
        },
        Delta,
        Monotonic, //
    },
};

use crate::{
    shared::Shared,
    stats::CheckCounters, //
};

/// Shortest period accepted, so that timers cannot swamp the emulated CPU.
const MIN_PERIOD_US: u32 = 500;

/// A periodic timer checking the device through `try_access_with()` in
/// interrupt context, until its handle is dropped (which cancels it and
/// waits for a running callback).
///
/// Whoever holds the handle decides how long the timer runs: an open file's
/// timer runs until the file is closed, past an unbind, and counts a
/// refusal on every tick after it; a child's timer stops when the child is
/// unbound, before the parent's BAR is revoked.
#[pin_data]
pub(crate) struct Poller {
    #[pin]
    timer: HrTimer<Poller>,
    shared: Arc<Shared>,
    period: Delta,
    counters: &'static CheckCounters,
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
        this.counters.record(this.shared.try_check_id());
        ctx.forward_now(this.period);
        HrTimerRestart::Restart
    }
}

/// Starts a timer with a period of `period_us` (at least 500 us), counted
/// in `counters`; none if `period_us` is 0.
pub(crate) fn start_poller(
    shared: &Arc<Shared>,
    period_us: u32,
    counters: &'static CheckCounters,
) -> Result<Option<ArcHrTimerHandle<Poller>>> {
    if period_us == 0 {
        return Ok(None);
    }
    let period = Delta::from_micros(i64::from(period_us.max(MIN_PERIOD_US)));
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
