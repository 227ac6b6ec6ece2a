// SPDX-License-Identifier: GPL-2.0

//! Build check, not a module we ship: what the Rust abstractions of
//! `queue_sync_state` refuse at build time. `scripts/build-checks.sh` builds
//! it once per rule; each `--cfg` below adds exactly one violation to a
//! driver that builds as is (`--cfg with_sync_state` and nothing else):
//!
//! - without `with_sync_state`: `queue_sync_state` without `sync_state`;
//! - `send_consumers`: the consumers' view sent to another thread;
//! - `share_consumers`: the consumers' view shared between threads;
//! - `combined_link_flags`: device link flags the driver core refuses
//!   together.

use kernel::{
    device::{
        link::{
            self,
            Consumers, //
        },
        Core, //
    },
    platform,
    prelude::*,
};

struct CheckDriver;

/// Requires `T: Send`.
#[cfg(send_consumers)]
fn must_be_send<T: Send>(_: &T) {}

/// Requires `T: Sync`.
#[cfg(share_consumers)]
fn must_be_sync<T: Sync>(_: &T) {}

#[vtable]
impl platform::Driver for CheckDriver {
    type IdInfo = ();
    type Data<'bound> = ();

    fn probe<'bound>(
        pdev: &'bound platform::Device<Core<'_>>,
        _info: Option<&'bound Self::IdInfo>,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        #[cfg(combined_link_flags)]
        let flags = link::Flags::AUTOPROBE_CONSUMER | link::Flags::AUTOREMOVE_SUPPLIER;
        #[cfg(not(combined_link_flags))]
        let flags = link::Flags::AUTOPROBE_CONSUMER;
        let _ = (pdev, flags);
        Ok(())
    }

    #[cfg(with_sync_state)]
    fn sync_state<'bound>(_pdev: &'bound platform::Device<Core<'_>>, _this: Pin<&()>) {}

    fn queue_sync_state<'bound>(
        _pdev: &'bound platform::Device<Core<'_>>,
        _this: Pin<&()>,
        consumers: &Consumers<'_>,
    ) {
        #[cfg(send_consumers)]
        must_be_send(consumers);
        #[cfg(share_consumers)]
        must_be_sync(consumers);
        let _ = consumers;
    }
}

kernel::module_platform_driver! {
    type: CheckDriver,
    name: "drvlife_build_check",
    authors: ["Rust driver lifecycle lab"],
    description: "Build check only",
    license: "GPL",
}
