// SPDX-License-Identifier: GPL-2.0

//! Test-only: a PM domain freed as soon as `pm_genpd_remove()` returns, as
//! a driver would free it without the `release()` callback of our series
//! (patch 0015). genpd's device inside the domain is released later (always
//! so under `CONFIG_DEBUG_KOBJECT_RELEASE`), from memory that is already
//! freed: the detectors must report it. The negative control of
//! `genpd/provider_unbind.sh`, where `kernel::pmdomain` frees its domains
//! from `release()` instead. Raw bindings on purpose: the safe abstraction
//! cannot make this mistake.

use kernel::{
    bindings,
    error::to_result,
    prelude::*,
    types::Opaque, //
};

module! {
    type: EarlyFree,
    name: "lifecycle_genpd_early_free",
    authors: ["Rust driver lifecycle lab"],
    description: "Test-only: frees a PM domain before its device is released",
    license: "GPL",
}

struct EarlyFree;

impl kernel::Module for EarlyFree {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let domain = KBox::new(Opaque::<bindings::generic_pm_domain>::zeroed(), GFP_KERNEL)?;
        let genpd = domain.get();
        // SAFETY: `genpd` is valid and zeroed; the name is a static string.
        unsafe { (*genpd).name = c"drvlife-early-free".as_char_ptr() };
        // SAFETY: `genpd` is valid and initialised only here.
        to_result(unsafe { bindings::pm_genpd_init(genpd, core::ptr::null_mut(), false) })?;
        // SAFETY: `genpd` is initialised, has no provider and no devices.
        to_result(unsafe { bindings::pm_genpd_remove(genpd) })?;
        pr_info!("domain removed and freed; its device is released later\n");
        // The bug: genpd's device in the domain still has a release pending.
        drop(domain);
        Ok(EarlyFree)
    }
}
