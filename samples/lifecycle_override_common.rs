// SPDX-License-Identifier: GPL-2.0

//! Probe-time report shared by the driver_override samples (included with
//! `#[path]`; out-of-tree modules cannot export Rust items to each other).

use kernel::{device::Device, prelude::*};

/// Logs which driver bound `dev` and the override that was in force, read
/// through the safe API. Returns an error if the override cannot be read.
pub(crate) fn report_probe(dev: &Device, driver: &CStr) -> Result {
    let driver_name = driver.to_str().unwrap_or("?");
    match dev.driver_override()? {
        Some(name) => dev_info!(
            dev,
            "{driver_name}: probe (driver_override: {})\n",
            name.to_str().unwrap_or("?")
        ),
        None => dev_info!(dev, "{driver_name}: probe (driver_override: none)\n"),
    }
    // The bus must not bind a driver the override does not name. The override
    // may change concurrently (sysfs writes take only its spinlock), so a
    // mismatch is possible without a bug; log it rather than warn.
    if dev.driver_override_matches(driver) == Some(false) {
        dev_info!(dev, "{driver_name}: override changed during probe\n");
    }
    Ok(())
}
