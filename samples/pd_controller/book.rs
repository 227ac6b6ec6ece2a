// SPDX-License-Identifier: GPL-2.0

//! The per-domain bookkeeping of the controller, independent of the driver
//! core so that KUnit can drive it.

use core::fmt::{
    self,
    Formatter, //
};
use kernel::prelude::*;

/// Upper bound on the number of domains, to keep the state small.
pub(crate) const MAX_DOMAINS: u32 = 32;

/// Who released a domain.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Release {
    /// `queue_sync_state()`: all consumers of the domain were bound.
    Partial,
    /// `sync_state()`: all consumers of the controller were bound, or
    /// userspace forced the sync.
    Full,
}

/// State of one power domain.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Domain {
    /// `None` while the domain is still on.
    released: Option<Release>,
    /// Position in the order the domains were released (1-based).
    order: u32,
    /// Consumers seen in the last evaluation, and how many were unbound.
    consumers: u32,
    pending: u32,
}

/// The state of every domain of one controller.
pub(crate) struct Book {
    domains: KVec<Domain>,
    released: u32,
    /// Consumers without a valid `drvlife,power-domain`, last evaluation.
    stray: u32,
    synced: bool,
}

impl Book {
    /// `count` domains (1..=[`MAX_DOMAINS`]), all on.
    pub(crate) fn new(count: u32) -> Result<Self> {
        if count == 0 || count > MAX_DOMAINS {
            return Err(EINVAL);
        }
        let mut domains = KVec::with_capacity(count as usize, GFP_KERNEL)?;
        for _ in 0..count {
            domains.push(
                Domain {
                    released: None,
                    order: 0,
                    consumers: 0,
                    pending: 0,
                },
                GFP_KERNEL,
            )?;
        }
        Ok(Self {
            domains,
            released: 0,
            stray: 0,
            synced: false,
        })
    }

    /// Number of domains.
    pub(crate) fn domain_count(&self) -> usize {
        self.domains.len()
    }

    /// Whether `sync_all()` ran: every domain is released for good.
    pub(crate) fn is_synced(&self) -> bool {
        self.synced
    }

    fn release(&mut self, index: usize, how: Release) -> bool {
        let domain = &mut self.domains[index];
        if domain.released.is_some() {
            return false;
        }
        self.released += 1;
        domain.released = Some(how);
        domain.order = self.released;
        true
    }

    /// Recounts every domain's consumers from `consumers` (domain of each
    /// consumer, if valid, and whether it is bound), then releases the
    /// domains that are still on and have no unbound consumer. Returns a
    /// bit mask of the domains released by this call.
    pub(crate) fn evaluate(
        &mut self,
        consumers: impl IntoIterator<Item = (Option<u32>, bool)>,
    ) -> u64 {
        for domain in self.domains.iter_mut() {
            domain.consumers = 0;
            domain.pending = 0;
        }
        self.stray = 0;

        for (index, bound) in consumers {
            match index.and_then(|i| self.domains.get_mut(i as usize)) {
                Some(domain) => {
                    domain.consumers += 1;
                    domain.pending += u32::from(!bound);
                }
                None => self.stray += 1,
            }
        }

        let mut newly = 0u64;
        for index in 0..self.domains.len() {
            if self.domains[index].pending == 0 && self.release(index, Release::Partial) {
                newly |= 1 << index;
            }
        }
        newly
    }

    /// Releases every domain still on; the controller is synced.
    pub(crate) fn sync_all(&mut self) -> u64 {
        let mut newly = 0u64;
        for index in 0..self.domains.len() {
            if self.release(index, Release::Full) {
                newly |= 1 << index;
            }
        }
        self.synced = true;
        newly
    }
}

/// The `domains` file: `key=value` fields, the controller's on one line
/// each, then one line per domain.
impl fmt::Display for Book {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        writeln!(f, "domains={}", self.domains.len())?;
        writeln!(f, "synced={}", u32::from(self.synced))?;
        writeln!(f, "stray={}", self.stray)?;
        for (index, domain) in self.domains.iter().enumerate() {
            let state = match domain.released {
                None => "on",
                Some(Release::Partial) => "released-by-queue_sync_state",
                Some(Release::Full) => "released-by-sync_state",
            };
            writeln!(
                f,
                "domain={index} state={state} order={} consumers={} pending={}",
                domain.order, domain.consumers, domain.pending
            )?;
        }
        Ok(())
    }
}

#[kunit_tests(drvlife_pd_bookkeeping)]
mod tests {
    use super::{
        Book,
        Release, //
    };
    use kernel::prelude::*;

    #[test]
    fn rejects_bad_domain_counts() {
        assert!(Book::new(0).is_err());
        assert!(Book::new(super::MAX_DOMAINS + 1).is_err());
        assert!(Book::new(super::MAX_DOMAINS).is_ok());
    }

    #[test]
    fn all_domains_start_on() -> Result {
        let book = Book::new(3)?;
        assert!(book.domains.iter().all(|d| d.released.is_none()));
        assert!(!book.synced);
        Ok(())
    }

    #[test]
    fn domain_without_consumers_is_released_first() -> Result {
        let mut book = Book::new(3)?;
        // Domains 0 and 1 have one unbound consumer each, domain 2 none.
        assert_eq!(book.evaluate([(Some(0), false), (Some(1), false)]), 0b100);
        assert_eq!(book.domains[2].released, Some(Release::Partial));
        assert_eq!(book.domains[2].order, 1);
        assert_eq!(book.domains[0].released, None);
        Ok(())
    }

    #[test]
    fn domain_waits_for_every_consumer() -> Result {
        let mut book = Book::new(2)?;
        let one_bound = [(Some(0), true), (Some(0), false), (Some(1), false)];
        assert_eq!(book.evaluate(one_bound), 0);
        assert_eq!(book.domains[0].pending, 1);
        assert_eq!(book.domains[0].consumers, 2);
        let both_bound = [(Some(0), true), (Some(0), true), (Some(1), false)];
        assert_eq!(book.evaluate(both_bound), 0b01);
        assert_eq!(book.domains[1].released, None);
        Ok(())
    }

    #[test]
    fn release_order_follows_completion() -> Result {
        let mut book = Book::new(3)?;
        book.evaluate([(Some(0), false), (Some(1), false), (Some(2), false)]);
        book.evaluate([(Some(0), false), (Some(1), false), (Some(2), true)]);
        book.evaluate([(Some(0), true), (Some(1), false), (Some(2), true)]);
        book.evaluate([(Some(0), true), (Some(1), true), (Some(2), true)]);
        let order: [u32; 3] = [
            book.domains[0].order,
            book.domains[1].order,
            book.domains[2].order,
        ];
        assert_eq!(order, [2, 3, 1]);
        Ok(())
    }

    #[test]
    fn released_domain_stays_released() -> Result {
        let mut book = Book::new(1)?;
        assert_eq!(book.evaluate([(Some(0), true)]), 1);
        // A late, unbound consumer does not turn the domain back on.
        assert_eq!(book.evaluate([(Some(0), true), (Some(0), false)]), 0);
        assert_eq!(book.domains[0].released, Some(Release::Partial));
        assert_eq!(book.domains[0].order, 1);
        Ok(())
    }

    #[test]
    fn late_consumer_holds_its_domain() -> Result {
        let mut book = Book::new(2)?;
        assert_eq!(book.evaluate([(Some(0), true), (Some(1), false)]), 0b01);
        // A consumer of domain 1 appears before domain 1 synced.
        assert_eq!(
            book.evaluate([(Some(0), true), (Some(1), true), (Some(1), false)]),
            0
        );
        assert_eq!(
            book.evaluate([(Some(0), true), (Some(1), true), (Some(1), true)]),
            0b10
        );
        Ok(())
    }

    #[test]
    fn stray_consumers_are_counted_not_assigned() -> Result {
        let mut book = Book::new(2)?;
        assert_eq!(
            book.evaluate([(None, false), (Some(7), false), (Some(0), false)]),
            0b10
        );
        assert_eq!(book.stray, 2);
        assert_eq!(book.domains[0].pending, 1);
        Ok(())
    }

    #[test]
    fn sync_all_releases_the_rest() -> Result {
        let mut book = Book::new(3)?;
        book.evaluate([(Some(0), true), (Some(1), false), (Some(2), false)]);
        assert_eq!(book.sync_all(), 0b110);
        assert!(book.synced);
        assert_eq!(book.domains[0].released, Some(Release::Partial));
        assert_eq!(book.domains[1].released, Some(Release::Full));
        assert_eq!(book.domains[2].order, 3);
        // A second sync releases nothing.
        assert_eq!(book.sync_all(), 0);
        Ok(())
    }
}
