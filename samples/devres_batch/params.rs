// SPDX-License-Identifier: GPL-2.0

//! The module declaration of the batch fixture, with its parameters.
//!
//! Every crate root that includes the fixture's files (one per design of
//! the revocable objects) declares the same parameters: this macro keeps
//! them in one place.

/// Declares the module `$name` of type `$type` with the fixture's
/// parameters.
macro_rules! batch_module {
    ($type:ident, $name:tt, $description:tt) => {
        module! {
            type: $type,
            name: $name,
            authors: ["Rust driver lifecycle lab"],
            description: $description,
            license: "GPL",
            params: {
                objects: u32 {
                    default: 1000,
                    description: "Revocable objects per binding (1..=4096)",
                },
                spin_reads: u32 {
                    default: 64,
                    description: "Payload reads per check, in one RCU section (1..=100000)",
                },
                bench_iters: u32 {
                    default: 0,
                    description: "Accessor calls per read() and in the probe (0: sweep mode)",
                },
            },
        }
    };
}
