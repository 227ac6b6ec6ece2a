// SPDX-License-Identifier: GPL-2.0

//! Deliberately broken, for the harness's negative controls only: a PCI
//! driver for `pci-testdev` whose probe reads its device's `driver_override`
//! *without* the override's spinlock, the way driver cores before 7.x read
//! it in `match()`. While a writer keeps replacing the override (which frees
//! the old string), the reader ends up reading freed memory and KASAN must
//! report it. The control test proves the race stress can catch this bug;
//! the real drivers use the locked API and must stay clean under the same
//! stress.
//!
//! It must never be loaded outside the controls.

use core::ptr;
use kernel::{
    bindings,
    device::{
        Core,
        Device, //
    },
    driver,
    pci,
    prelude::*,
    time::{
        delay::fsleep,
        Delta, //
    },
    InPlaceModule, //
};

module! {
    type: RacyReaderModule,
    name: "lifecycle_override_racy",
    authors: ["Rust driver lifecycle lab"],
    description: "Negative control: unlocked driver_override reader",
    license: "GPL",
    params: {
        iterations: u32 {
            default: 100,
            description: "Unlocked reads done in probe",
        },
        window_us: u32 {
            default: 50000,
            description: "Pause between loading the pointer and reading through it (us)",
        },
    },
}

#[pin_data]
struct RacyReaderModule {
    #[pin]
    _driver: driver::Registration<pci::Adapter<RacyDriver>>,
}

struct RacyDriver;

kernel::pci_device_table!(
    PCI_TABLE,
    <RacyDriver as pci::Driver>::IdInfo,
    [(pci::DeviceId::from_id(pci::Vendor::REDHAT, 0x5), ())]
);

/// Reads the override's bytes with no lock, pausing between loading the
/// pointer and reading through it: the pause is long enough (50 ms by
/// default) that the writer of the control test frees the string in it
/// nearly every time, so the bug shows on every run, not by luck.
fn unlocked_read(dev: &Device, window: Delta) -> u32 {
    // `Device` is a transparent wrapper of `struct device`, so the pointer
    // cast is layout-correct. What follows is the bug this module exists for.
    let raw = ptr::from_ref(dev).cast::<bindings::device>();
    // SAFETY: none: reading `driver_override.name` without its spinlock is
    // the deliberate bug; the string may be freed at any moment.
    let name = unsafe { ptr::read_volatile(&raw const (*raw).driver_override.name) };
    if name.is_null() {
        return 0;
    }
    fsleep(window);
    let mut sum = 0u32;
    for i in 0..16 {
        // SAFETY: none: `name` may have been freed meanwhile (KASAN's job).
        let byte = unsafe { ptr::read_volatile(name.add(i)) } as u8;
        if byte == 0 {
            break;
        }
        sum = sum.wrapping_add(u32::from(byte));
    }
    sum
}

impl pci::Driver for RacyDriver {
    type IdInfo = ();
    type Data<'bound> = Self;

    const ID_TABLE: pci::IdTable<Self::IdInfo> = &PCI_TABLE;

    fn probe<'bound>(
        pdev: &'bound pci::Device<Core<'_>>,
        _info: Option<&'bound Self::IdInfo>,
    ) -> impl PinInit<Self, Error> + 'bound {
        let dev: &Device = pdev.as_ref();
        let window = Delta::from_micros(i64::from(module_parameters::window_us.value()));
        let mut checksum = 0u32;
        for _ in 0..module_parameters::iterations.value() {
            checksum = checksum.wrapping_add(unlocked_read(dev, window));
        }
        dev_info!(dev, "racy reader done (checksum {checksum:#x})\n");
        Ok(Self)
    }
}

impl InPlaceModule for RacyReaderModule {
    fn init(module: &'static ThisModule) -> impl PinInit<Self, Error> {
        try_pin_init!(Self {
            _driver <- driver::Registration::new(c"drvlife_ovr_racy", module),
        })
    }
}
