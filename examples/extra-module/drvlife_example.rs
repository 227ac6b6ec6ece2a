// SPDX-License-Identifier: GPL-2.0

//! An example of bringing your own module to the lab: built against the
//! lab's kernel by `EXTRA_MODULES=DIR`, added to the guest's `/modules` and
//! loaded by the suites of `EXTRA_SELFTESTS=DIR`, with the same verdicts as
//! ours (any splat fails the test).

use kernel::prelude::*;

module! {
    type: DrvlifeExample,
    name: "drvlife_example",
    authors: ["Rust driver lifecycle lab"],
    description: "Example of a user's own module tested in the lab",
    license: "GPL",
    params: {
        greeting: u32 {
            default: 42,
            description: "Number printed at load",
        },
    },
}

struct DrvlifeExample;

impl kernel::Module for DrvlifeExample {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("loaded, greeting {}\n", module_parameters::greeting.value());
        Ok(Self)
    }
}

impl Drop for DrvlifeExample {
    fn drop(&mut self) {
        pr_info!("unloaded\n");
    }
}
