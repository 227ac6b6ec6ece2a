// SPDX-License-Identifier: GPL-2.0

//! The module of both crate roots: a platform device named after the
//! module, its driver (the crate root's `WorkDriver`) and the counters.

/// Declares the module `$name`, whose driver is the crate root's
/// `WorkDriver`.
macro_rules! bound_work_module {
    ($name:tt, $description:tt) => {
        /// The module's name; also the name of its device and driver.
        const MODULE_NAME: &CStr = <LocalModule as kernel::ModuleMetadata>::NAME;

        /// Unregistered in field order: the driver (unbinding the device),
        /// the device, then the counters.
        #[pin_data]
        struct BoundWorkModule {
            #[pin]
            _driver: kernel::driver::Registration<kernel::platform::Adapter<WorkDriver>>,
            _device: kernel::platform::Registration,
            #[pin]
            _stats: kernel::debugfs::File<()>,
            _dir: kernel::debugfs::Dir,
        }

        impl kernel::InPlaceModule for BoundWorkModule {
            fn init(module: &'static ThisModule) -> impl PinInit<Self, Error> {
                let dir = kernel::debugfs::Dir::new(c"drvlife_bound_work");
                try_pin_init!(Self {
                    _stats <- poller::stats_file(&dir),
                    _dir: dir,
                    _device: kernel::platform::Registration::new(
                        &kernel::platform::DeviceInfo::new(MODULE_NAME)
                    )?,
                    _driver <- kernel::driver::Registration::new(MODULE_NAME, module),
                })
            }
        }

        module! {
            type: BoundWorkModule,
            name: $name,
            authors: ["Rust driver lifecycle lab"],
            description: $description,
            license: "GPL",
        }
    };
}
