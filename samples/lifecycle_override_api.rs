// SPDX-License-Identifier: GPL-2.0

//! KUnit tests of the driver_override API on `Device` (our patch
//! "rust: device: add driver_override accessors"), on a faux device. The
//! suite `drvlife_driver_override` runs when the module is loaded.
//!
//! The rules tested are those of the C `__device_set_driver_override()`,
//! which the API calls: names end at the first newline, an empty name clears,
//! and a name of `PAGE_SIZE - 1` bytes or more is rejected with `EINVAL`,
//! leaving the previous override in place.

use kernel::prelude::*;

module! {
    type: OverrideApiTests,
    name: "lifecycle_override_api",
    authors: ["Rust driver lifecycle lab"],
    description: "KUnit tests of the Rust driver_override API",
    license: "GPL",
}

struct OverrideApiTests;

impl kernel::Module for OverrideApiTests {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(Self)
    }
}

#[kunit_tests(drvlife_driver_override)]
mod tests {
    use kernel::{
        device::Device,
        faux,
        page::PAGE_SIZE,
        prelude::*,
        str::CString, //
    };

    /// Runs `test` on a fresh faux device.
    fn on_device(test: impl FnOnce(&Device) -> Result) -> Result {
        let reg = faux::Registration::new(c"drvlife-override-kunit", None)?;
        let dev: &Device = reg.as_ref().as_ref();
        test(dev)
    }

    /// The override, copied through the API, as bytes.
    fn read(dev: &Device) -> Result<Option<KVec<u8>>> {
        Ok(match dev.driver_override()? {
            Some(name) => {
                let mut bytes = KVec::new();
                bytes.extend_from_slice(name.to_bytes(), GFP_KERNEL)?;
                Some(bytes)
            }
            None => None,
        })
    }

    /// A string of `len` times `b'x'`.
    fn long_name(len: usize) -> Result<CString> {
        let mut bytes = KVec::with_capacity(len + 1, GFP_KERNEL)?;
        for _ in 0..len {
            bytes.push(b'x', GFP_KERNEL)?;
        }
        bytes.push(0, GFP_KERNEL)?;
        Ok(CString::try_from(
            CStr::from_bytes_with_nul(&bytes).map_err(|_| EINVAL)?,
        )?)
    }

    #[test]
    fn none_set_initially() -> Result {
        on_device(|dev| {
            assert!(!dev.has_driver_override());
            assert!(read(dev)?.is_none());
            assert_eq!(dev.driver_override_matches(c"anything"), None);
            // Clearing what is not set is fine.
            dev.clear_driver_override()?;
            assert!(!dev.has_driver_override());
            Ok(())
        })
    }

    #[test]
    fn set_read_and_match() -> Result {
        on_device(|dev| {
            dev.set_driver_override(c"alpha")?;
            assert!(dev.has_driver_override());
            assert_eq!(read(dev)?.as_deref(), Some(&b"alpha"[..]));
            assert_eq!(dev.driver_override_matches(c"alpha"), Some(true));
            assert_eq!(dev.driver_override_matches(c"alph"), Some(false));
            assert_eq!(dev.driver_override_matches(c"alphabet"), Some(false));
            dev.set_driver_override(c"beta")?;
            assert_eq!(read(dev)?.as_deref(), Some(&b"beta"[..]));
            Ok(())
        })
    }

    #[test]
    fn newline_ends_the_name() -> Result {
        on_device(|dev| {
            dev.set_driver_override(c"beta\n")?;
            assert_eq!(read(dev)?.as_deref(), Some(&b"beta"[..]));
            dev.set_driver_override(c"be\nta")?;
            assert_eq!(read(dev)?.as_deref(), Some(&b"be"[..]));
            Ok(())
        })
    }

    #[test]
    fn empty_or_newline_clears() -> Result {
        on_device(|dev| {
            dev.set_driver_override(c"alpha")?;
            dev.set_driver_override(c"")?;
            assert!(!dev.has_driver_override());
            dev.set_driver_override(c"alpha")?;
            dev.set_driver_override(c"\n")?;
            assert!(read(dev)?.is_none());
            dev.set_driver_override(c"alpha")?;
            dev.clear_driver_override()?;
            assert_eq!(dev.driver_override_matches(c"alpha"), None);
            Ok(())
        })
    }

    #[test]
    fn length_limit() -> Result {
        on_device(|dev| {
            // The longest accepted name: PAGE_SIZE - 2 bytes, read back whole.
            let longest = long_name(PAGE_SIZE - 2)?;
            dev.set_driver_override(&longest)?;
            assert_eq!(read(dev)?.map(|n| n.len()), Some(PAGE_SIZE - 2));

            dev.set_driver_override(c"kept")?;
            for len in [PAGE_SIZE - 1, PAGE_SIZE, 2 * PAGE_SIZE] {
                let name = long_name(len)?;
                assert_eq!(dev.set_driver_override(&name), Err(EINVAL));
                // A rejected name leaves the old override in place.
                assert_eq!(read(dev)?.as_deref(), Some(&b"kept"[..]));
            }
            Ok(())
        })
    }

    #[test]
    fn lengths_around_the_stack_copy() -> Result {
        on_device(|dev| {
            // `driver_override()` copies a value shorter than 64 bytes into the stack and a
            // longer one into a buffer of its size: both sides of the boundary, read back whole.
            for len in [1, 62, 63, 64, 65, 127, 1000] {
                let name = long_name(len)?;
                dev.set_driver_override(&name)?;
                assert_eq!(read(dev)?.as_deref(), Some(name.to_bytes()));
            }
            Ok(())
        })
    }
}
