// SPDX-License-Identifier: GPL-2.0

//! What the driver knows about QEMU's `edu` device: its IDs and the
//! registers it touches.

/// QEMU's vendor ID (not in the kernel's vendor list).
pub(crate) const EDU_VENDOR: u16 = 0x1234;
/// edu's device ID.
pub(crate) const EDU_DEVICE: u16 = 0x11e8;

/// The part of BAR0 we map: the BAR is 1 MiB, the registers we touch are
/// in its first 256 bytes.
pub(crate) const EDU_REGS: usize = 0x100;

/// Identification register (read-only): major and minor version in the
/// upper bytes, [`EDU_ID_MAGIC`] in the lowest.
pub(crate) const EDU_ID: usize = 0x00;
/// The lowest byte of [`EDU_ID`] on every edu device.
pub(crate) const EDU_ID_MAGIC: u32 = 0xed;

/// Liveness register: reads back the bitwise inverse of what was written.
pub(crate) const EDU_LIVENESS: usize = 0x04;

/// Interrupt status (read): the bits raised and not yet acknowledged.
pub(crate) const EDU_IRQ_STATUS: usize = 0x24;
/// Interrupt raise (write): ORs the value into the status and interrupts.
pub(crate) const EDU_IRQ_RAISE: usize = 0x60;
/// Interrupt acknowledge (write): clears these status bits.
pub(crate) const EDU_IRQ_ACK: usize = 0x64;
