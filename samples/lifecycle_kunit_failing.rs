// SPDX-License-Identifier: GPL-2.0

//! Test-only: a KUnit suite with a case that fails, used only by the
//! harness's negative controls. It must never be loaded outside them.
//!
//! The suite `drvlife_kunit_control` runs when the module is loaded:
//! `passes` passes and `deliberately_fails` fails an assertion, so KUnit
//! prints `not ok` for that case (and for the suite) on the console. The
//! host must fail the test that loaded it, unless that test declared the
//! failure in advance (`kunit_expect_failure` in lib-kunit.sh). The failing
//! case allocates nothing, so its aborted run leaks nothing: the control
//! fails for KUnit alone.

use kernel::prelude::*;

module! {
    type: KunitFailing,
    name: "lifecycle_kunit_failing",
    authors: ["Rust driver lifecycle lab"],
    description: "Negative control: a KUnit suite with a failing case",
    license: "GPL",
}

struct KunitFailing;

impl kernel::Module for KunitFailing {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(Self)
    }
}

#[kunit_tests(drvlife_kunit_control)]
mod tests {
    /// The answer the failing case gets; opaque to the compiler, so that
    /// the assertion is checked when the case runs.
    fn answer() -> u32 {
        core::hint::black_box(41)
    }

    #[test]
    fn passes() {
        assert_eq!(answer() + 1, 42);
    }

    #[test]
    fn deliberately_fails() {
        assert_eq!(answer(), 42);
    }
}
