// SPDX-License-Identifier: GPL-2.0

//! The PCI driver: binds edu, maps BAR0 as a `Devres` and sets up what the
//! binding owns.
//!
//! Probe and unbind prove the device is bound by their `&Device<Bound>`
//! argument, so they use `access()`: no RCU, no atomics.

use kernel::{
    device::{
        Bound,
        Core,
        Device, //
    },
    io::Io,
    miscdevice::{
        MiscDeviceOptions,
        MiscDeviceRegistration, //
    },
    pci,
    prelude::*,
    sync::Arc,
};

use crate::{
    bench,
    child::{
        self,
        ChildRegistration, //
    },
    file::EduFile,
    irq::EduIrq,
    module_parameters,
    msi::MsiInterrupt,
    regs::{
        EDU_DEVICE,
        EDU_ID,
        EDU_ID_MAGIC,
        EDU_LIVENESS,
        EDU_REGS,
        EDU_VENDOR, //
    },
    shared::Shared,
    MODULE_NAME, //
};

/// Driver data: the misc device files are opened on, the interrupt, the
/// shared state and the auxiliary children.
///
/// Fields are dropped in declaration order. `misc` comes first, so an
/// `open()` that reaches `EduFile::open` finds the other fields alive (the
/// bind/unbind stress caught the opposite order as a use-after-free in
/// `open()`). The interrupt is freed before the BAR is revoked, which
/// happens after the driver data is dropped.
#[pin_data]
pub(crate) struct EduData<'bound> {
    #[pin]
    pub(crate) misc: MiscDeviceRegistration<EduFile>,
    /// `None` with `irq=0`.
    interrupt: Option<Pin<KBox<MsiInterrupt<'bound, EduIrq<'bound>>>>>,
    pub(crate) shared: Arc<Shared>,
    children: KVec<ChildRegistration<'bound>>,
}

/// The driver of edu devices.
pub(crate) struct EduDriver;

// The kernel crate has no `Vendor` for QEMU's 0x1234, so the table matches
// edu's class (0x00ff00, shared with pci-testdev) and probe checks the IDs.
kernel::pci_device_table!(
    PCI_TABLE,
    <EduDriver as pci::Driver>::IdInfo,
    [(pci::DeviceId::from_class(0x00_ff00, 0xff_ff00), ())]
);

/// Maps BAR0 as a `Devres` and checks the device through `access()`.
fn setup(pdev: &pci::Device<Core<'_>>) -> Result<Arc<Shared>> {
    if pdev.vendor_id().as_raw() != EDU_VENDOR || pdev.device_id() != EDU_DEVICE {
        return Err(ENODEV);
    }
    pdev.enable_device_mem()?;
    // edu's MSI is a memory write by the device: without bus mastering the
    // interrupt is never delivered.
    pdev.set_master();
    let bar = pdev
        .iomap_region_sized::<EDU_REGS>(0, MODULE_NAME)?
        .into_devres()?;
    let dev: &Device<Bound> = pdev.as_ref();
    // Probe runs with the device bound: `access()` needs no RCU.
    let id = bar.access(dev)?.read32(EDU_ID);
    if id & 0xff != EDU_ID_MAGIC {
        dev_err!(dev, "not an edu device (id {id:#x})\n");
        return Err(ENODEV);
    }
    dev_info!(dev, "probe: edu id {id:#x}\n");
    let extra = bench::extra_devres(dev, module_parameters::extra_devres.value())?;
    let shared = Shared::new(bar, extra)?;
    let iters = module_parameters::bench_iters.value();
    if iters > 0 {
        bench::bench_accessors(dev, &shared, iters);
    }
    Ok(shared)
}

/// Takes one MSI vector and registers the handler on it, unless `irq=0`.
fn request_interrupt<'bound>(
    pdev: &'bound pci::Device<Core<'_>>,
    shared: &Arc<Shared>,
) -> Result<Option<Pin<KBox<MsiInterrupt<'bound, EduIrq<'bound>>>>>> {
    if !module_parameters::irq.value() {
        return Ok(None);
    }
    let handler = EduIrq::new(pdev.as_ref(), shared.clone());
    // SAFETY: The box goes into the driver data, which is dropped at unbind, within `'bound`,
    // and never forgotten.
    let interrupt = unsafe { MsiInterrupt::request(pdev, c"drvlife-edu", handler)? };
    Ok(Some(interrupt))
}

impl pci::Driver for EduDriver {
    type IdInfo = ();
    type Data<'bound> = EduData<'bound>;

    const ID_TABLE: pci::IdTable<Self::IdInfo> = &PCI_TABLE;

    fn probe<'bound>(
        pdev: &'bound pci::Device<Core<'_>>,
        _info: Option<&'bound Self::IdInfo>,
    ) -> impl PinInit<EduData<'bound>, Error> + 'bound {
        let shared = setup(pdev);
        try_pin_init!(EduData {
            children: child::register_children(pdev, shared.as_ref().map_err(|e| *e)?)?,
            interrupt: request_interrupt(pdev, shared.as_ref().map_err(|e| *e)?)?,
            shared: shared?,
            misc <- MiscDeviceRegistration::register(MiscDeviceOptions {
                name: c"drvlife-edu",
            }),
        })
    }

    fn unbind<'bound>(pdev: &'bound pci::Device<Core<'_>>, this: Pin<&EduData<'bound>>) {
        let dev: &Device<Bound> = pdev.as_ref();
        // Still bound here: `access()` with the proof, then a liveness check.
        match this.shared.bar.access(dev) {
            Ok(bar) => {
                bar.write32(0x5a5a_0000, EDU_LIVENESS);
                let alive = bar.read32(EDU_LIVENESS) == !0x5a5a_0000;
                dev_info!(dev, "unbind: access() ok, device alive: {alive}\n");
            }
            Err(e) => dev_err!(dev, "unbind: access() failed: {e:?}\n"),
        }
    }
}
