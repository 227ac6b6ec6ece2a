// SPDX-License-Identifier: GPL-2.0

//! Deliberately broken, for the harness's negative controls only: the
//! deadlock of (indirect) `Devres` nesting that 7.3's `Devres` avoids with
//! its internal reference count (seed 001), committed by hand.
//!
//! Before the fix, dropping a `Devres` whose devres release had already
//! been taken off the device's list by `devres_release_all()` waited for
//! that release to finish revoking; when the drop itself ran inside an
//! earlier release of the same list, on the same thread, the release it
//! waited for never came. This module does exactly that with two devres
//! allocations of its device (`devres::register()`): the first signals a
//! completion when it is released, the second waits for it when it is
//! released. Devres releases last first, so unbinding `drvlife-nest-wait`
//! blocks for good in the second one's drop: the hung-task detector must
//! report the unbinding task (`controls-deadlock/devres_nest_wait.sh`).
//!
//! It must never be loaded outside the controls: the unbind never returns
//! and the module can never be unloaded.

use kernel::{
    device::Core,
    devres,
    driver,
    platform,
    prelude::*,
    sync::{
        Arc,
        Completion, //
    },
    InPlaceModule, //
};

module! {
    type: DevresNestWaitModule,
    name: "lifecycle_devres_nest_wait",
    authors: ["Rust driver lifecycle lab"],
    description: "Negative control: a devres release waiting for a later one on the same list",
    license: "GPL",
}

/// Name of the device and of its driver: they match by name.
const NAME: &CStr = c"drvlife-nest-wait";

/// Released last: signals the release the other one waits for.
struct Signaller {
    done: Arc<Completion>,
}

impl Drop for Signaller {
    fn drop(&mut self) {
        self.done.complete_all();
    }
}

/// Released first: waits for the `Signaller`'s release, which comes after
/// it on the same thread (the bug under test).
struct Waiter {
    done: Arc<Completion>,
}

impl Drop for Waiter {
    fn drop(&mut self) {
        pr_info!("waiting for a devres release later on the same list\n");
        self.done.wait_for_completion();
    }
}

/// The driver whose unbind deadlocks.
struct NestWaitDriver;

#[vtable]
impl platform::Driver for NestWaitDriver {
    type IdInfo = ();
    type Data<'bound> = ();

    fn probe<'bound>(
        pdev: &'bound platform::Device<Core<'_>>,
        _info: Option<&'bound Self::IdInfo>,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        let dev = pdev.as_ref();
        let done = Arc::pin_init(Completion::new(), GFP_KERNEL)?;
        devres::register(dev, Signaller { done: done.clone() }, GFP_KERNEL)?;
        devres::register(dev, Waiter { done }, GFP_KERNEL)?;
        Ok(())
    }
}

#[pin_data]
struct DevresNestWaitModule {
    #[pin]
    _driver: driver::Registration<platform::Adapter<NestWaitDriver>>,
    _device: platform::Registration,
}

impl InPlaceModule for DevresNestWaitModule {
    fn init(module: &'static ThisModule) -> impl PinInit<Self, Error> {
        pin_init::pin_init_scope(move || {
            let device = platform::Registration::new(&platform::DeviceInfo::new(NAME))?;

            Ok(try_pin_init!(Self {
                _device: device,
                _driver <- driver::Registration::new(NAME, module),
            }))
        })
    }
}
