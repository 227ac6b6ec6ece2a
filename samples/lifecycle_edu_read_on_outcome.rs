// SPDX-License-Identifier: GPL-2.0

//! Deliberately broken, for `lifecycle_edu_read_on` only (included with
//! `#[path]` in place of `devres_edu/read_outcome.rs`): a read goes on
//! after an operation refused because the BAR is revoked, as if the device
//! could come back, and so never ends with `ENODEV`.

use kernel::prelude::*;

/// `Ok` to go on after `outcome`, also when it was refused (`None`): the
/// bug under test.
pub(crate) fn read_outcome(outcome: Option<bool>) -> Result {
    match outcome {
        Some(false) => Err(EIO),
        Some(true) | None => Ok(()),
    }
}
