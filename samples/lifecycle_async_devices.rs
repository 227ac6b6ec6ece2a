// SPDX-License-Identifier: GPL-2.0

//! Test-only: the platform devices of the asynchronous probe sample.
//!
//! Loading the module registers `devices` platform devices named
//! `lifecycle_async_probe` (ids 0 to `devices` - 1), which the sample
//! driver of that name binds asynchronously. Writing `remove` to
//! `/sys/kernel/debug/drvlife_async_devices/control` unregisters them and
//! `add` registers them again (the last added is removed first), so that a
//! test can remove devices while their probes are scheduled or running,
//! without unloading a module
//! (`seeds/async_probe.sh`); `settle` returns once every probe scheduled
//! so far has run (`wait_for_device_probe()`, which userspace has no other
//! way to call). `add` while they exist fails with `EEXIST`, `remove`
//! while they do not with `ENOENT`, anything else with `EINVAL`. Unloading
//! the module removes them.

use kernel::{
    bindings,
    debugfs::{
        Dir,
        File, //
    },
    new_mutex,
    platform,
    prelude::*,
    sync::Mutex,
    uaccess::UserSliceReader,
    InPlaceModule, //
};

module! {
    type: AsyncDevices,
    name: "lifecycle_async_devices",
    authors: ["Rust driver lifecycle lab"],
    description: "Test-only: the platform devices of the asynchronous probe sample",
    license: "GPL",
    params: {
        devices: u32 {
            default: 4,
            description: "Platform devices to register (1..=64)",
        },
    },
}

/// The name the sample driver matches.
const NAME: &CStr = c"lifecycle_async_probe";
/// Most devices the module registers.
const MAX_DEVICES: u32 = 64;
/// Longest command `control` takes.
const MAX_COMMAND: usize = 16;

/// The registered devices; empty after `remove`.
type Devices = Mutex<KVec<platform::Registration>>;

/// Registers the `devices` platform devices.
fn register_all() -> Result<KVec<platform::Registration>> {
    let count = module_parameters::devices.value();
    let mut devices = KVec::with_capacity(count as usize, GFP_KERNEL)?;
    for id in 0..count {
        let info = platform::DeviceInfo::new(NAME).id(id)?;
        devices.push(platform::Registration::new(&info)?, GFP_KERNEL)?;
    }
    Ok(devices)
}

/// `add`, `remove` or `settle`, written to `control`.
fn control(devices: &Devices, reader: &mut UserSliceReader) -> Result {
    let mut buf = [0u8; MAX_COMMAND];
    let len = reader.len();
    if len > MAX_COMMAND {
        return Err(EINVAL);
    }
    reader.read_slice(&mut buf[..len])?;
    if buf[..len].trim_ascii() == b"settle" {
        // SAFETY: Callable from any task that may sleep; it waits for the deferred and the
        // asynchronous probes scheduled so far.
        unsafe { bindings::wait_for_device_probe() };
        return Ok(());
    }
    let mut registered = devices.lock();
    match buf[..len].trim_ascii() {
        b"add" if !registered.is_empty() => Err(EEXIST),
        b"add" => {
            *registered = register_all()?;
            Ok(())
        }
        b"remove" if registered.is_empty() => Err(ENOENT),
        b"remove" => {
            // Unregistered here, under the lock, so that `remove` returns once they are gone; the
            // last added first, whose probe is the likeliest not to have started.
            while let Some(device) = registered.pop() {
                drop(device);
            }
            Ok(())
        }
        _ => Err(EINVAL),
    }
}

/// The devices and the debugfs file that adds and removes them; the file,
/// and with it the devices, go first when the module is unloaded.
#[pin_data]
struct AsyncDevices {
    #[pin]
    _control: File<Devices>,
    _dir: Dir,
}

impl InPlaceModule for AsyncDevices {
    fn init(_module: &'static ThisModule) -> impl PinInit<Self, Error> {
        pin_init::pin_init_scope(move || {
            let count = module_parameters::devices.value();
            if !(1..=MAX_DEVICES).contains(&count) {
                pr_err!("devices must be 1..={MAX_DEVICES}\n");
                return Err(EINVAL);
            }
            let devices = register_all()?;
            let dir = Dir::new(c"drvlife_async_devices");

            Ok(try_pin_init!(Self {
                _control <- dir.write_callback_file(
                    c"control",
                    new_mutex!(devices),
                    &control
                ),
                _dir: dir,
            }))
        })
    }
}
