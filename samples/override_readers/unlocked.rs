// SPDX-License-Identifier: GPL-2.0

//! Test-only broken accessor: the override's bytes read with no lock, as a
//! `driver_override()` that forgot its spinlock would. A writer frees the
//! old string when it sets a new one, so under the engine's writers this
//! reads freed memory, which KASAN must report.

use core::ptr;
use kernel::{
    bindings,
    device::Device,
    prelude::*, //
};

/// Longest override the writers of the target write.
const MAX_LEN: usize = 64;

/// The override's bytes (at most [`MAX_LEN`]), or `None` if none is set.
pub(crate) fn read(dev: &Device) -> Result<Option<KVec<u8>>> {
    // Allocated first, so that the unlocked window below is only the copy.
    let mut bytes = KVec::with_capacity(MAX_LEN, GFP_KERNEL)?;
    // `Device` is a transparent wrapper of `struct device`, so the pointer
    // cast is layout-correct. What follows is the bug this module exists for.
    let raw = ptr::from_ref(dev).cast::<bindings::device>();
    // SAFETY: none: reading `driver_override.name` without its spinlock is
    // the deliberate bug; the string may be freed at any moment.
    let name = unsafe { ptr::read_volatile(&raw const (*raw).driver_override.name) };
    if name.is_null() {
        return Ok(None);
    }
    for i in 0..MAX_LEN {
        // SAFETY: none: `name` may have been freed meanwhile (KASAN's job).
        let byte = unsafe { ptr::read_volatile(name.add(i)) } as u8;
        if byte == 0 {
            break;
        }
        bytes.push(byte, GFP_KERNEL)?;
    }
    Ok(Some(bytes))
}
