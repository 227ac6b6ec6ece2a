// SPDX-License-Identifier: GPL-2.0

//! The auxiliary children of a binding and their driver.
//!
//! A bound edu device registers `children` auxiliary devices (default 2),
//! each with a reference to the shared state; the auxiliary driver of this
//! module binds them. A bound auxiliary device proves its parent is bound
//! (`auxiliary::Device<Bound>::parent()`), so the children use `access()`
//! with the *parent's* device; `access()` with the child's own device is
//! refused with `EINVAL` (checked and logged at probe). On parent unbind the
//! children are unbound first, while the BAR is still mapped.
//!
//! With `child_timer_period_us` each bound child runs a periodic timer on
//! the parent's BAR ([`crate::timer`]), stopped when the child is unbound:
//! none of its ticks may ever find the BAR revoked.

use kernel::{
    auxiliary,
    device::{
        Bound,
        Core,
        Device, //
    },
    io::Io,
    pci,
    prelude::*,
    sync::Arc,
    time::hrtimer::ArcHrTimerHandle,
    types::CovariantForLt,
};

use crate::{
    module_parameters,
    regs::EDU_ID,
    shared::Shared,
    stats::CHILD_TIMERS,
    timer::{
        start_poller,
        Poller, //
    },
    MODULE_NAME, //
};

/// Name of the children; the auxiliary bus matches them as
/// `<module>.child`.
const CHILD_NAME: &CStr = c"child";
/// Most children per edu device.
const MAX_CHILDREN: u32 = 8;

/// What a child gets from its parent.
pub(crate) struct ChildData {
    shared: Arc<Shared>,
}

/// One registered auxiliary child.
pub(crate) type ChildRegistration<'bound> =
    auxiliary::Registration<'bound, CovariantForLt!(ChildData)>;

/// Registers the auxiliary children of `pdev`, each with a reference to the
/// shared state.
pub(crate) fn register_children<'bound>(
    pdev: &'bound pci::Device<Core<'_>>,
    shared: &Arc<Shared>,
) -> Result<KVec<ChildRegistration<'bound>>> {
    let count = module_parameters::children.value().min(MAX_CHILDREN);
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

/// Driver of the auxiliary children: uses the parent's BAR.
pub(crate) struct ChildDriver;

kernel::auxiliary_device_table!(
    AUX_TABLE,
    <ChildDriver as auxiliary::Driver>::IdInfo,
    [(auxiliary::DeviceId::new(MODULE_NAME, CHILD_NAME), ())]
);

/// A bound child: its parent's shared state and its timer, stopped when
/// the child is unbound.
pub(crate) struct ChildState {
    pub(crate) shared: Arc<Shared>,
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
        let poller = start_poller(
            &shared,
            module_parameters::child_timer_period_us.value(),
            &CHILD_TIMERS,
        )?;
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
