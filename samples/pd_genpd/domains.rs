// SPDX-License-Identifier: GPL-2.0

//! The controller's power domains as the hardware would see them: genpd
//! calls [`Domains`] to switch a domain on and off, and the state is shown
//! in `/sys/kernel/debug/<driver>/domains`.

use core::{
    fmt,
    sync::atomic::{
        AtomicBool,
        AtomicU32,
        Ordering, //
    },
};
use kernel::{
    pmdomain,
    prelude::*, //
};

/// The most domains a controller may have (`drvlife,domain-count`).
pub(crate) const MAX_DOMAINS: usize = 32;

/// Power state of each domain, and how often genpd switched them.
pub(crate) struct Domains {
    count: usize,
    on: [AtomicBool; MAX_DOMAINS],
    power_on_calls: AtomicU32,
    power_off_calls: AtomicU32,
}

impl Domains {
    /// `count` domains, all on: the state boot firmware leaves them in.
    pub(crate) fn new(count: usize) -> Result<Self> {
        if count == 0 || count > MAX_DOMAINS {
            return Err(EINVAL);
        }
        Ok(Self {
            count,
            on: [const { AtomicBool::new(true) }; MAX_DOMAINS],
            power_on_calls: AtomicU32::new(0),
            power_off_calls: AtomicU32::new(0),
        })
    }

    /// The number of domains.
    pub(crate) fn count(&self) -> usize {
        self.count
    }

    fn switch(&self, index: usize, on: bool) -> Result {
        let domain = self.on[..self.count].get(index).ok_or(EINVAL)?;
        domain.store(on, Ordering::Relaxed);
        let calls = if on {
            &self.power_on_calls
        } else {
            &self.power_off_calls
        };
        calls.fetch_add(1, Ordering::Relaxed);
        pr_info!("domain {index} {}\n", if on { "on" } else { "off" });
        Ok(())
    }
}

impl pmdomain::Operations for Domains {
    fn power_on(&self, index: usize) -> Result {
        self.switch(index, true)
    }

    fn power_off(&self, index: usize) -> Result {
        self.switch(index, false)
    }
}

/// `domain<N>=on|off` for each domain, then the call counters.
impl fmt::Display for Domains {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, on) in self.on[..self.count].iter().enumerate() {
            let state = if on.load(Ordering::Relaxed) {
                "on"
            } else {
                "off"
            };
            write!(f, "domain{index}={state} ")?;
        }
        writeln!(
            f,
            "power_on_calls={} power_off_calls={}",
            self.power_on_calls.load(Ordering::Relaxed),
            self.power_off_calls.load(Ordering::Relaxed)
        )
    }
}
