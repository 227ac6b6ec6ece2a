// SPDX-License-Identifier: GPL-2.0

//! One MSI vector of a PCI device with a handler registered on it.
//!
//! The handler's registration borrows the vector allocation, and both must
//! live in the driver data: 7.3 has no PCI user of `irq::Registration` to
//! follow, so the two sit in one pinned box, the one self-reference of the
//! sample.

use core::ptr;
use kernel::{
    device::Core,
    irq,
    pci,
    prelude::*, //
};

/// An MSI vector and the handler `H` registered on it.
///
/// `handler` is declared first, so it is dropped (freed, which waits for a
/// running handler) before `vectors`, whose vector it uses.
#[pin_data]
pub(crate) struct MsiInterrupt<'bound, H: irq::Handler + 'bound> {
    #[pin]
    handler: irq::Registration<'bound, H>,
    vectors: pci::IrqVectorRegistration<'bound>,
}

impl<'bound, H: irq::Handler + 'bound> MsiInterrupt<'bound, H> {
    /// Takes one MSI vector of `pdev` and registers `handler` on it as
    /// `name`.
    ///
    /// # Safety
    ///
    /// The returned box must be dropped before `'bound` ends, never
    /// forgotten: the handler may use what `'bound` guarantees (e.g. a
    /// `&'bound Device<Bound>`) until it is freed.
    pub(crate) unsafe fn request(
        pdev: &'bound pci::Device<Core<'_>>,
        name: &'static CStr,
        handler: H,
    ) -> Result<Pin<KBox<Self>>> {
        let msi = pci::IrqTypes::default().with(pci::IrqType::Msi);
        let vectors = pdev.alloc_irq_vectors(1, 1, msi)?;
        KBox::pin_init(
            try_pin_init!(&this in Self {
                vectors,
                handler <- {
                    // SAFETY: `vectors` is initialised above and `this` points to the pinned box,
                    // which stays in place until it is dropped, before `'bound` ends. `handler`
                    // is dropped before `vectors` (declaration order), so the borrow outlives
                    // its use.
                    let vectors = unsafe { &*ptr::addr_of!((*this.as_ptr()).vectors) };
                    // SAFETY: The registration lives in the box, which the caller drops in
                    // time and never forgets.
                    unsafe {
                        irq::Registration::new(
                            vectors.index(0)?.into(),
                            irq::Flags::TRIGGER_NONE,
                            name,
                            Ok::<_, Error>(handler),
                        )
                    }
                },
            }),
            GFP_KERNEL,
        )
    }
}
