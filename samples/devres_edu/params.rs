// SPDX-License-Identifier: GPL-2.0

//! The module declaration of the edu sample, with its parameters.
//!
//! The sample's files read these parameters (`module_parameters::...`), so
//! every crate root that includes the files (the sample, and the test-only
//! variants of the negative controls) declares the same ones: this macro
//! keeps them in one place.

/// Declares the module `$name` of type `$type` with the edu sample's
/// parameters.
macro_rules! edu_module {
    ($type:ident, $name:tt, $description:tt) => {
        module! {
            type: $type,
            name: $name,
            authors: ["Rust driver lifecycle lab"],
            description: $description,
            license: "GPL",
            params: {
                ops_per_read: u32 {
                    default: 1,
                    description: "Liveness checks per read() (1..=100000)",
                },
                read_delay_us: u32 {
                    default: 0,
                    description: "Sleep between checks of one read(), outside RCU (us)",
                },
                children: u32 {
                    default: 2,
                    description: "Auxiliary devices to register per edu device (0..=8)",
                },
                bench_iters: u32 {
                    default: 0,
                    description: "Calls per accessor in the probe-time benchmark (0: off)",
                },
                extra_devres: u32 {
                    default: 0,
                    description: "Benchmark: extra Devres objects per binding (0..=1000)",
                },
                timer_period_us: u32 {
                    default: 0,
                    description: "Period of each open file's timer (us, 0: none, >= 500)",
                },
                child_timer_period_us: u32 {
                    default: 0,
                    description: "Period of each bound child's timer (us, 0: none, >= 500)",
                },
                irq: bool {
                    default: true,
                    description: "Register the interrupt handler (0: none)",
                },
            },
        }
    };
}
