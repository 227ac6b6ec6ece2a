// SPDX-License-Identifier: GPL-2.0

//! What a file's `read()` makes of one operation's outcome: it goes on
//! after a good check, and stops at the first bad one, with `EIO` for a
//! wrong identification and `ENODEV` once the BAR is revoked (the device
//! unbound or unplugged), so that a read in flight ends at the next
//! operation after the device is gone.

use kernel::prelude::*;

/// `Ok` to go on after `outcome` (what `try_check_id()` returned), or the
/// error the read ends with.
pub(crate) fn read_outcome(outcome: Option<bool>) -> Result {
    match outcome {
        Some(true) => Ok(()),
        Some(false) => Err(EIO),
        None => Err(ENODEV),
    }
}
