// SPDX-License-Identifier: GPL-2.0

//! Board fixture for the power controller of `lifecycle_pd_controller`.
//!
//! At load it creates what firmware would describe on a real board: the
//! controller device `drvlife-pwrctl` with `domains` power domains, and
//! `consumers` consumer devices per domain (`drvlife-pd-consumer.N`, each
//! with a `drvlife,power-domain` property and a managed device link to the
//! controller). Only then does it point the controller's `driver_override`
//! at the controller driver, `drvlife_pwrctl`, as fw_devlink has all links
//! in place before a supplier probes: the controller binds when that driver
//! registers, or when userspace asks (`drivers_probe`) if it is already
//! loaded. Unloading the board removes the devices; since a device's
//! `state_synced` flag is never cleared, each test round reloads it.
//!
//! It also provides the consumer drivers. Their names match no device name,
//! so a consumer only binds when a test points its `driver_override` at one
//! of them: tests choose the probe order.
//!
//! - `drvlife_pd_consumer`: binds (after `probe_delay_ms`).
//! - `drvlife_pd_consumer_fail`: its probe always fails with `EIO`.
//!
//! debugfs `/sys/kernel/debug/drvlife-pd-board/`:
//!
//! - `consumers` (read): one line per consumer,
//!   `consumer=<device name> domain=<domain>`.
//! - `add` (write a domain number): adds a consumer to that domain, as a
//!   late consumer would appear (e.g. behind a bus probed later).
//! - `remove` (write a consumer id N): removes `drvlife-pd-consumer.N`.
//! - `probing` (read): consumer probes in progress right now.

use core::sync::atomic::{
    AtomicU64,
    Ordering, //
};
use kernel::{
    debugfs::{
        Dir,
        File, //
    },
    device::{
        link,
        Core, //
    },
    driver,
    new_mutex,
    platform,
    prelude::*,
    sync::{
        Arc,
        Mutex, //
    },
    time::{
        delay::fsleep,
        Delta, //
    },
    uaccess::UserSliceReader,
    InPlaceModule, //
};

module! {
    type: PdBoardModule,
    name: "lifecycle_pd_board",
    authors: ["Rust driver lifecycle lab"],
    description: "Board fixture: a multi-domain power controller and its consumers",
    license: "GPL",
    params: {
        domains: u32 {
            default: 3,
            description: "Power domains of the controller (1..=32)",
        },
        consumers: u32 {
            default: 2,
            description: "Consumers per domain at load (0..=16)",
        },
        empty_domain: i32 {
            default: -1,
            description: "Domain that gets no consumer at load (-1: none)",
        },
        probe_delay_ms: u32 {
            default: 0,
            description: "Sleep in each consumer probe (ms, 0..=1000)",
        },
    },
}

const CONTROLLER_NAME: &CStr = c"drvlife-pwrctl";
/// The controller's driver. Its name differs from the device's, so the
/// controller cannot bind before its consumers are linked to it.
const CONTROLLER_DRIVER: &CStr = c"drvlife_pwrctl";
const CONSUMER_NAME: &CStr = c"drvlife-pd-consumer";
const PROP_NUM_DOMAINS: &CStr = c"drvlife,num-domains";
const PROP_POWER_DOMAIN: &CStr = c"drvlife,power-domain";
const MAX_CONSUMERS: usize = 256;

/// Consumer probes in progress, and finished ones.
static PROBING: AtomicU64 = AtomicU64::new(0);

/// One consumer device created by the board.
struct Consumer {
    id: u32,
    domain: u32,
    /// Unregistered when dropped.
    _device: platform::Registration,
}

/// The devices of the board. Consumers are dropped (unregistered) before
/// the controller.
struct Board {
    consumers: KVec<Consumer>,
    next_id: u32,
    controller: platform::Registration,
    domains: u32,
}

impl Board {
    fn new(domains: u32) -> Result<Self> {
        let info =
            platform::DeviceInfo::new(CONTROLLER_NAME).property_u32(PROP_NUM_DOMAINS, domains)?;
        Ok(Self {
            consumers: KVec::new(),
            next_id: 0,
            controller: platform::Registration::new(&info)?,
            domains,
        })
    }

    /// Creates a consumer of `domain` and links it to the controller.
    fn add_consumer(&mut self, domain: u32) -> Result<u32> {
        if domain >= self.domains {
            return Err(EINVAL);
        }
        if self.consumers.len() >= MAX_CONSUMERS {
            return Err(ENOSPC);
        }
        let id = self.next_id;
        let info = platform::DeviceInfo::new(CONSUMER_NAME)
            .id(id)?
            .property_u32(PROP_POWER_DOMAIN, domain)?;
        let device = platform::Registration::new(&info)?;
        // No consumer driver matches the device's name, so it cannot bind
        // before the link exists.
        link::add_managed(
            device.device().as_ref(),
            self.controller.device().as_ref(),
            link::Flags::NONE,
        )?;
        self.consumers.push(
            Consumer {
                id,
                domain,
                _device: device,
            },
            GFP_KERNEL,
        )?;
        self.next_id += 1;
        Ok(id)
    }

    fn remove_consumer(&mut self, id: u32) -> Result {
        let index = self
            .consumers
            .iter()
            .position(|c| c.id == id)
            .ok_or(ENOENT)?;
        drop(self.consumers.remove(index)?);
        Ok(())
    }
}

impl Drop for Board {
    fn drop(&mut self) {
        // Newest first, then the controller (declared after `consumers`).
        while self.consumers.pop().is_some() {}
    }
}

/// Parses a decimal number written by userspace (trailing newline allowed).
fn parse_u32(reader: &mut UserSliceReader) -> Result<u32> {
    let mut buf = [0u8; 16];
    let len = reader.len();
    if len == 0 || len > buf.len() {
        return Err(EINVAL);
    }
    reader.read_slice(&mut buf[..len])?;
    let text = core::str::from_utf8(&buf[..len]).map_err(|_| EINVAL)?;
    text.trim_end_matches('\n')
        .parse::<u32>()
        .map_err(|_| EINVAL)
}

fn write_consumers(
    board: &Arc<Mutex<Board>>,
    f: &mut core::fmt::Formatter<'_>,
) -> core::fmt::Result {
    for consumer in board.lock().consumers.iter() {
        writeln!(
            f,
            "consumer={}.{} domain={}",
            CONSUMER_NAME.to_str().unwrap_or("?"),
            consumer.id,
            consumer.domain
        )?;
    }
    Ok(())
}

fn write_add(board: &Arc<Mutex<Board>>, reader: &mut UserSliceReader) -> Result {
    let domain = parse_u32(reader)?;
    let id = board.lock().add_consumer(domain)?;
    pr_info!(
        "added {}.{id} to domain {domain}\n",
        CONSUMER_NAME.to_str().unwrap_or("?")
    );
    Ok(())
}

fn write_remove(board: &Arc<Mutex<Board>>, reader: &mut UserSliceReader) -> Result {
    let id = parse_u32(reader)?;
    board.lock().remove_consumer(id)
}

/// Consumer driver that binds.
struct ConsumerDriver;

#[vtable]
impl platform::Driver for ConsumerDriver {
    type IdInfo = ();
    type Data<'bound> = ();

    fn probe<'bound>(
        pdev: &'bound platform::Device<Core<'_>>,
        _info: Option<&'bound Self::IdInfo>,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        PROBING.fetch_add(1, Ordering::Relaxed);
        let delay = module_parameters::probe_delay_ms.value().min(1000);
        if delay > 0 {
            fsleep(Delta::from_millis(delay.into()));
        }
        PROBING.fetch_sub(1, Ordering::Relaxed);
        dev_dbg!(pdev.as_ref(), "consumer bound\n");
        Ok(())
    }
}

/// Consumer driver whose probe fails.
struct FailingConsumerDriver;

#[vtable]
impl platform::Driver for FailingConsumerDriver {
    type IdInfo = ();
    type Data<'bound> = ();

    fn probe<'bound>(
        pdev: &'bound platform::Device<Core<'_>>,
        _info: Option<&'bound Self::IdInfo>,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        dev_info!(pdev.as_ref(), "consumer probe fails on purpose\n");
        Err::<(), _>(EIO)
    }
}

fn write_probing(_: &(), f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
    writeln!(f, "{}", PROBING.load(Ordering::Relaxed))
}

#[pin_data]
struct PdBoardModule {
    #[pin]
    _consumer_driver: driver::Registration<platform::Adapter<ConsumerDriver>>,
    #[pin]
    _failing_driver: driver::Registration<platform::Adapter<FailingConsumerDriver>>,
    _dir: Dir,
    #[pin]
    _consumers: File<Arc<Mutex<Board>>>,
    #[pin]
    _add: File<Arc<Mutex<Board>>>,
    #[pin]
    _remove: File<Arc<Mutex<Board>>>,
    #[pin]
    _probing: File<()>,
}

impl InPlaceModule for PdBoardModule {
    fn init(module: &'static ThisModule) -> impl PinInit<Self, Error> {
        pin_init::pin_init_scope(move || {
            let domains = module_parameters::domains.value();
            let per_domain = module_parameters::consumers.value();
            if !(1..=32).contains(&domains) || per_domain > 16 {
                pr_err!("domains must be 1..=32 and consumers 0..=16\n");
                return Err(EINVAL);
            }
            let empty = module_parameters::empty_domain.value();

            let mut board = Board::new(domains)?;
            for domain in 0..domains {
                if i64::from(domain) == i64::from(empty) {
                    continue;
                }
                for _ in 0..per_domain {
                    board.add_consumer(domain)?;
                }
            }
            board
                .controller
                .device()
                .as_ref()
                .set_driver_override(CONTROLLER_DRIVER)?;
            pr_info!("{} domains, {} consumers\n", domains, board.consumers.len());
            let board = Arc::pin_init(new_mutex!(board), GFP_KERNEL)?;
            let dir = Dir::new(c"drvlife-pd-board");

            Ok(try_pin_init!(Self {
                _consumer_driver <- driver::Registration::new(c"drvlife_pd_consumer", module),
                _failing_driver <- driver::Registration::new(c"drvlife_pd_consumer_fail", module),
                _consumers <- dir.read_callback_file(c"consumers", board.clone(), &write_consumers),
                _add <- dir.write_callback_file(c"add", board.clone(), &write_add),
                _remove <- dir.write_callback_file(c"remove", board, &write_remove),
                _probing <- dir.read_callback_file(c"probing", (), &write_probing),
                _dir: dir,
            }))
        })
    }
}
