// SPDX-License-Identifier: GPL-2.0

//! The module of every crate root of the fixture: the platform device, its
//! driver, the readers' misc device and the counters' debugfs file.

use kernel::{
    debugfs::{
        Dir,
        File, //
    },
    driver::Registration,
    miscdevice::{
        MiscDeviceOptions,
        MiscDeviceRegistration, //
    },
    platform,
    prelude::*,
    InPlaceModule, //
};

use crate::{
    driver,
    file,
    payload, //
};

/// The module's name; also the name of its device and driver.
const MODULE_NAME: &CStr = <crate::LocalModule as kernel::ModuleMetadata>::NAME;

/// Everything the module registers, unregistered in field order: the driver
/// first (unbinding the device), the device, then the files.
#[pin_data]
pub(crate) struct BatchModule {
    #[pin]
    _driver: Registration<platform::Adapter<driver::BatchDriver>>,
    _device: platform::Registration,
    #[pin]
    _misc: MiscDeviceRegistration<file::BatchFile>,
    #[pin]
    _stats: File<()>,
    _dir: Dir,
}

impl InPlaceModule for BatchModule {
    fn init(module: &'static ThisModule) -> impl PinInit<Self, Error> {
        // SAFETY: Called once, before the driver is registered below.
        unsafe { driver::init_current() };
        let dir = Dir::new(c"drvlife-batch");
        try_pin_init!(Self {
            _stats <- payload::stats_file(&dir),
            _dir: dir,
            _misc <- MiscDeviceRegistration::register(MiscDeviceOptions {
                name: c"drvlife-batch",
            }),
            _device: platform::Registration::new(&platform::DeviceInfo::new(MODULE_NAME))?,
            _driver <- Registration::new(MODULE_NAME, module),
        })
    }
}
