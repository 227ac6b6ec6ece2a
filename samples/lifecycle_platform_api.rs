// SPDX-License-Identifier: GPL-2.0

//! KUnit tests of the ids of `platform::DeviceInfo` (our patch "rust:
//! platform: allow registering platform devices"): none, one chosen, or one
//! the bus chooses. The suite `drvlife_platform_registration` runs when the
//! module is loaded.

use kernel::prelude::*;

module! {
    type: PlatformApiTests,
    name: "lifecycle_platform_api",
    authors: ["Rust driver lifecycle lab"],
    description: "KUnit tests of the Rust platform device registration ids",
    license: "GPL",
}

struct PlatformApiTests;

impl kernel::Module for PlatformApiTests {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(Self)
    }
}

#[kunit_tests(drvlife_platform_registration)]
mod tests {
    use kernel::{
        platform,
        prelude::*, //
    };

    /// No driver matches it: the devices stay unbound.
    const NAME: &CStr = c"drvlife-platform-kunit";

    /// The registered device's name, as bytes.
    fn name_of(reg: &platform::Registration) -> Result<KVec<u8>> {
        let dev: &kernel::device::Device = reg.device().as_ref();
        let mut bytes = KVec::new();
        bytes.extend_from_slice(dev.name().to_bytes(), GFP_KERNEL)?;
        Ok(bytes)
    }

    #[test]
    fn no_id_is_the_bare_name() -> Result {
        let reg = platform::Registration::new(&platform::DeviceInfo::new(NAME))?;
        assert_eq!(name_of(&reg)?.as_slice(), NAME.to_bytes());
        Ok(())
    }

    #[test]
    fn chosen_id() -> Result {
        let reg = platform::Registration::new(&platform::DeviceInfo::new(NAME).id(7)?)?;
        assert_eq!(name_of(&reg)?.as_slice(), &b"drvlife-platform-kunit.7"[..]);
        // The bus stores an int: a larger id is refused before anything is registered.
        assert!(platform::DeviceInfo::new(NAME).id(u32::MAX).is_err());
        Ok(())
    }

    #[test]
    fn auto_ids_are_distinct() -> Result {
        let info = platform::DeviceInfo::new(NAME).auto_id();
        let first = platform::Registration::new(&info)?;
        let second = platform::Registration::new(&info)?;
        let (a, b) = (name_of(&first)?, name_of(&second)?);
        for name in [&a, &b] {
            assert!(name.starts_with(b"drvlife-platform-kunit."));
            assert!(name.ends_with(b".auto"));
        }
        assert!(a != b);
        // Both can be registered beside a device of the bare name.
        let _bare = platform::Registration::new(&platform::DeviceInfo::new(NAME))?;
        Ok(())
    }
}
