// SPDX-License-Identifier: GPL-2.0

//! Minimal module of the lifecycle lab: proves the out-of-tree build, loading
//! with parameters, parameter validation and unloading.
//!
//! The guest tests read the messages it prints at load and unload time;
//! the values in them are `key=value` fields.

use kernel::prelude::*;

module! {
    type: LifecycleBasic,
    name: "lifecycle_basic",
    authors: ["Rust driver lifecycle lab"],
    description: "Out-of-tree build and module parameter check",
    license: "GPL",
    params: {
        instances: u32 {
            default: 1,
            description: "Number of instances to set up (1..=64)",
        },
        verbose: bool {
            default: false,
            description: "Log every instance",
        },
    },
}

/// Largest accepted value of the `instances` parameter.
const MAX_INSTANCES: u32 = 64;

/// Module state: one number per instance, so that loading really allocates
/// and unloading really frees (kmemleak would see a leak).
struct LifecycleBasic {
    ids: KVec<u32>,
}

impl kernel::Module for LifecycleBasic {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let instances = module_parameters::instances.value();
        let verbose = module_parameters::verbose.value();

        if instances == 0 || instances > MAX_INSTANCES {
            pr_err!("instances={instances} out of range 1..={MAX_INSTANCES}\n");
            return Err(EINVAL);
        }

        let mut ids = KVec::with_capacity(instances as usize, GFP_KERNEL)?;
        for id in 0..instances {
            ids.push(id, GFP_KERNEL)?;
            if verbose {
                pr_info!("instance {id} ready\n");
            }
        }

        pr_info!("loaded: instances={instances} verbose={verbose}\n");
        Ok(Self { ids })
    }
}

impl Drop for LifecycleBasic {
    fn drop(&mut self) {
        pr_info!("unloaded: instances={}\n", self.ids.len());
    }
}
