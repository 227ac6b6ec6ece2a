// SPDX-License-Identifier: GPL-2.0

//! The override read through the Rust API, `Device::driver_override()`,
//! which copies it under its spinlock.

use kernel::{
    device::Device,
    prelude::*, //
};

/// The override's bytes, or `None` if none is set.
pub(crate) fn read(dev: &Device) -> Result<Option<KVec<u8>>> {
    Ok(match dev.driver_override()? {
        Some(name) => {
            let mut bytes = KVec::new();
            bytes.extend_from_slice(name.to_bytes(), GFP_KERNEL)?;
            Some(bytes)
        }
        None => None,
    })
}
