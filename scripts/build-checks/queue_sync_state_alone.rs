// SPDX-License-Identifier: GPL-2.0

//! Build check, not a module we ship: a platform driver with
//! `queue_sync_state` must also implement `sync_state`. Built twice by
//! `scripts/build-checks.sh`: as is it must fail to build with the
//! abstraction's message; with `--cfg with_sync_state` it must build.

use kernel::{
    device::{
        link::Consumers,
        Bound,
        Core, //
    },
    platform,
    prelude::*,
};

struct CheckDriver;

#[vtable]
impl platform::Driver for CheckDriver {
    type IdInfo = ();
    type Data<'bound> = ();

    fn probe<'bound>(
        _pdev: &'bound platform::Device<Core<'_>>,
        _info: Option<&'bound Self::IdInfo>,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        Ok(())
    }

    #[cfg(with_sync_state)]
    fn sync_state<'bound>(_pdev: &'bound platform::Device<Core<'_>>, _this: Pin<&()>) {}

    fn queue_sync_state<'bound>(
        _pdev: &'bound platform::Device<Bound>,
        _this: Pin<&()>,
        _consumers: &Consumers<'_>,
    ) {
    }
}

kernel::module_platform_driver! {
    type: CheckDriver,
    name: "drvlife_build_check",
    authors: ["Rust driver lifecycle lab"],
    description: "Build check only",
    license: "GPL",
}
