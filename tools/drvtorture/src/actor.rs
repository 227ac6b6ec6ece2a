//! The actors' loops: each thread draws its operations from its own seeded
//! generator, does them until the run's shared deadline or operation budget
//! is spent, and counts every result.

use crate::fault::{FailslabSetting, FaultInjection};
use crate::qmp;
use crate::resolve::{star_match, Actor, Device, Plan};
use crate::rng::Rng;
use crate::stats::{Failure, Stats};
use crate::sys;
use crate::target::Kind;
use std::collections::HashSet;
use std::fs::File;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// When the run ends: at the deadline, when the budget of operations is
/// spent, or when stopped, whichever comes first. Shared by every thread.
pub struct Limits {
    /// The run's start.
    pub start: Instant,
    deadline: Instant,
    budget: AtomicU64,
    stopped: AtomicBool,
}

impl Limits {
    /// A run of at most `duration` and at most `ops` operations in all.
    pub fn new(duration: Duration, ops: u64) -> Self {
        let start = Instant::now();
        Limits {
            start,
            deadline: start + duration,
            budget: AtomicU64::new(ops),
            stopped: AtomicBool::new(false),
        }
    }

    /// Ends the run early (every thread stops after its operation).
    pub fn stop(&self) {
        self.stopped.store(true, Ordering::Relaxed);
    }

    /// Whether the run is over (stopped, budget spent or deadline passed).
    pub fn over(&self) -> bool {
        self.stopped.load(Ordering::Relaxed) || Instant::now() >= self.deadline
    }

    /// Takes one operation from the budget; false when the run is over.
    pub fn next(&self) -> bool {
        if self.over() {
            return false;
        }
        let taken = self
            .budget
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |b| b.checked_sub(1));
        if taken.is_err() {
            self.stop();
        }
        taken.is_ok()
    }
}

/// One thread of one actor.
struct Worker<'a> {
    plan: &'a Plan,
    actor: &'a Actor,
    limits: &'a Limits,
    rng: Rng,
    stats: Stats,
    /// A devnode actor's file kept open between operations (`hold`).
    held: Option<std::fs::File>,
    /// The errno failures of the operation under way, held back until its
    /// fault injection says whether they are excused (`excuse_faults`).
    held_back: Option<Vec<Failure>>,
}

impl<'a> Worker<'a> {
    /// Counts `result` of `op`; a failure unless it succeeded or its errno
    /// is allowed (`expected`: the one errno it must fail with, if any).
    fn judge(
        &mut self,
        op: &'static str,
        detail: impl FnOnce() -> String,
        result: Result<(), i32>,
        expected: Option<i32>,
    ) {
        let code = result.err().unwrap_or(0);
        self.stats.count(op, code);
        let why = match (expected, code) {
            (Some(e), 0) => format!("accepted, must fail with {}", crate::errno::name(e)),
            (Some(e), c) if c == e => return,
            (None, 0) => return,
            (_, c) if self.actor.allowed.contains(&c) => return,
            _ => "errno not allowed".to_string(),
        };
        let at = self.limits.start.elapsed();
        let failure = Failure {
            at,
            op: format!("{op} {}", detail()),
            errno: code,
            why,
        };
        // A failed operation is excusable, an accepted one that had to
        // fail is not: a fault does not make bad input acceptable.
        match &mut self.held_back {
            Some(held) if code != 0 => held.push(failure),
            _ => self.stats.fail(failure),
        }
    }

    fn fail_value(&mut self, op: &'static str, why: String) {
        let at = self.limits.start.elapsed();
        self.stats.fail(Failure {
            at,
            op: op.to_string(),
            errno: 0,
            why,
        });
    }

    fn run(mut self, accepted: &HashSet<String>) -> Stats {
        let mut attr: Option<File> = None;
        let mut buf = vec![0u8; 8192];
        let faults = self.actor.fail_nth.and_then(FaultInjection::open);
        while self.limits.next() {
            if let Some(f) = &faults {
                f.arm(1 + self.rng.below(f.max as usize) as u32);
                if self.actor.excuse_faults {
                    self.held_back = Some(Vec::new());
                }
            }
            match self.actor.kind {
                Kind::Bind => self.bind_op(),
                Kind::OverrideWrite => self.write_op(&mut attr),
                Kind::OverrideRead => self.read_op(&mut attr, &mut buf, accepted),
                Kind::Devnode => self.devnode_op(&mut buf),
                Kind::Module => self.module_op(),
                Kind::PciRescan => self.rescan_op(),
                Kind::QmpReplug => self.replug_op(),
                Kind::Write => self.write_file_op(),
            }
            if let Some(f) = &faults {
                let injected = f.disarm();
                if injected {
                    self.stats.faults.0 += 1;
                } else {
                    self.stats.faults.1 += 1;
                }
                if let Some(held) = self.held_back.take() {
                    self.stats.settle(held, injected);
                }
            }
            if !self.actor.pause.is_zero() {
                std::thread::sleep(self.actor.pause);
            }
        }
        self.stats
    }

    fn device(&self) -> &'a crate::resolve::Device {
        &self.plan.devices[self.actor.device.unwrap_or(0)]
    }

    /// Unbind from the bound driver, bind to one of the device's drivers,
    /// or `drivers_probe`, drawn at random; on a set, on one of its
    /// devices present now, drawn at random.
    fn bind_op(&mut self) {
        let set = self.device();
        let picked;
        let dev = if set.pattern.is_some() {
            let Some(name) = self.pick(set) else {
                return;
            };
            picked = set.instance(&name);
            &picked
        } else {
            set
        };
        if self.actor.cycle {
            return self.cycle_op(dev);
        }
        let name = dev.name.clone();
        match self.rng.below(3) {
            0 => {
                let Some(drv) = dev.bound() else {
                    let r = sys::write_once(&dev.bus_dir.join("drivers_probe"), name.as_bytes());
                    return self.judge("probe", || name.clone(), r, None);
                };
                let r = sys::write_once(&dev.driver_dir(&drv).join("unbind"), name.as_bytes());
                self.judge("unbind", || format!("{name} from {drv}"), r, None);
            }
            1 => {
                let drv = dev.drivers[self.rng.below(dev.drivers.len())].clone();
                let r = sys::write_once(&dev.driver_dir(&drv).join("bind"), name.as_bytes());
                self.judge("bind", || format!("{name} to {drv}"), r, None);
            }
            _ => {
                let r = sys::write_once(&dev.bus_dir.join("drivers_probe"), name.as_bytes());
                self.judge("probe", || name.clone(), r, None);
            }
        }
    }

    /// One device of `set` present now, drawn at random; with none, the
    /// operation is a `pick` that fails with ENOENT.
    fn pick(&mut self, set: &Device) -> Option<String> {
        let mut names = set.instances();
        if names.is_empty() {
            self.judge(
                "pick",
                || "(no device of the set present)".into(),
                Err(libc::ENOENT),
                None,
            );
            return None;
        }
        let i = self.rng.below(names.len());
        Some(names.swap_remove(i))
    }

    /// Unbinds the device if bound, else binds it to its default (or first)
    /// driver.
    fn cycle_op(&mut self, dev: &Device) {
        let name = dev.name.as_bytes();
        if let Some(drv) = dev.bound() {
            let r = sys::write_once(&dev.driver_dir(&drv).join("unbind"), name);
            self.judge("unbind", || drv.clone(), r, None);
        } else {
            let drv = dev.default.as_ref().unwrap_or(&dev.drivers[0]);
            let r = sys::write_once(&dev.driver_dir(drv).join("bind"), name);
            self.judge("bind", || drv.clone(), r, None);
        }
    }

    /// One `write()` to the actor's file: one of its values, or the id of
    /// a device of its `values_from` set present now.
    fn write_file_op(&mut self) {
        let actor = self.actor;
        let path = actor
            .path
            .as_deref()
            .expect("checked: write actors have a path");
        if let Some(set) = actor.values_from {
            let set = &self.plan.devices[set];
            let Some(name) = self.pick(set) else {
                return;
            };
            let pattern = set.pattern.as_deref().unwrap_or("*");
            let value = star_match(pattern, &name).unwrap_or(&name).to_string();
            let r = sys::write_once(path, value.as_bytes());
            return self.judge("write", || format!("'{value}'"), r, None);
        }
        let v = &actor.values[self.rng.below(actor.values.len())];
        let r = sys::write_once(path, &v.bytes);
        self.judge("write", || v.label(), r, v.errno);
    }

    /// Opens the device's `driver_override` if not open (again after the
    /// device went away); counts a failed open as the operation's result.
    fn attr(&mut self, attr: &mut Option<File>, op: &'static str) -> bool {
        if attr.is_none() {
            match sys::open_rw(&self.device().dir().join("driver_override")) {
                Ok(f) => *attr = Some(f),
                Err(e) => {
                    self.judge(op, || "(open)".into(), Err(e), None);
                    return false;
                }
            }
        }
        true
    }

    fn write_op(&mut self, attr: &mut Option<File>) {
        if !self.attr(attr, "write") {
            return;
        }
        let actor = self.actor;
        let v = &actor.values[self.rng.below(actor.values.len())];
        let r = sys::pwrite0(attr.as_ref().expect("opened"), &v.bytes);
        if matches!(r, Err(libc::ENODEV | libc::ENOENT)) {
            *attr = None;
        }
        self.judge("write", || v.label(), r, v.errno);
    }

    fn read_op(&mut self, attr: &mut Option<File>, buf: &mut [u8], accepted: &HashSet<String>) {
        if !self.attr(attr, "read") {
            return;
        }
        match sys::pread0(attr.as_ref().expect("opened"), buf) {
            Ok(n) => {
                self.stats.count("read", 0);
                let text = &buf[..n];
                let text = text.strip_suffix(b"\n").unwrap_or(text);
                let text = String::from_utf8_lossy(text);
                if !accepted.contains(text.as_ref()) {
                    let shown: String = text.chars().take(40).collect();
                    self.fail_value(
                        "read",
                        format!("value never written: '{}'", shown.escape_debug()),
                    );
                }
            }
            Err(e) => {
                if matches!(e, libc::ENODEV | libc::ENOENT) {
                    *attr = None;
                }
                self.judge("read", String::new, Err(e), None);
            }
        }
    }

    /// Opens the node (or, with `hold`, uses the file kept open since an
    /// earlier operation), reads, writes, issues the ioctls and closes it;
    /// with `hold` the file stays open until an operation on it fails.
    fn devnode_op(&mut self, buf: &mut [u8]) {
        let plan = self.plan;
        let node = &plan.devnodes[self.actor.devnode.unwrap_or(0)];
        let f = match self.held.take() {
            Some(f) => f,
            None => {
                let file = std::fs::OpenOptions::new()
                    .read(true)
                    .write(node.write.is_some())
                    .open(&node.path)
                    .map_err(|e| sys::errno_of(&e));
                match file {
                    Ok(f) => {
                        self.judge("open", String::new, Ok(()), None);
                        f
                    }
                    Err(e) => return self.judge("open", String::new, Err(e), None),
                }
            }
        };
        let mut failed = false;
        if node.read > 0 {
            let n = node.read.min(buf.len());
            let r = std::io::Read::read(&mut &f, &mut buf[..n])
                .map(|_| ())
                .map_err(|e| sys::errno_of(&e));
            failed |= r.is_err();
            self.judge("read", String::new, r, None);
        }
        if let Some(w) = &node.write {
            let r = std::io::Write::write(&mut &f, w)
                .map(|_| ())
                .map_err(|e| sys::errno_of(&e));
            failed |= r.is_err();
            self.judge("write", String::new, r, None);
        }
        for cmd in &node.ioctl {
            let r = sys::ioctl0(&f, *cmd);
            failed |= r.is_err();
            self.judge("ioctl", || format!("{cmd:#x}"), r, None);
        }
        if node.hold && !failed {
            self.held = Some(f);
            return;
        }
        drop(f);
        self.stats.count("close", 0);
    }

    fn module_op(&mut self) {
        let plan = self.plan;
        let m = &plan.modules[self.actor.module.unwrap_or(0)];
        if self.rng.below(2) == 0 {
            let path = m
                .path
                .as_deref()
                .expect("checked: module actors have a path");
            let r = sys::finit_module(path, &m.params);
            self.judge("load", || m.name.clone(), r, None);
        } else {
            let r = sys::delete_module(&m.cname);
            self.judge("unload", || m.name.clone(), r, None);
        }
    }

    /// QMP `device_del` of the device, until it is gone from sysfs, then
    /// `device_add`, until it is back.
    fn replug_op(&mut self) {
        let Some((unplug_args, plug_args)) = self.actor.replug.clone() else {
            return;
        };
        let dir = self.device().dir();
        let r = qmp::request("device_del", &unplug_args)
            .and_then(|()| qmp::wait_presence(&dir, false, qmp::REPLUG_WAIT));
        self.judge("unplug", String::new, r, None);
        let r = qmp::plug(&dir, &plug_args);
        self.judge("plug", String::new, r, None);
    }

    fn rescan_op(&mut self) {
        let dev = self.device();
        if self.rng.below(2) == 0 {
            let r = sys::write_once(&dev.dir().join("remove"), b"1");
            self.judge("remove", String::new, r, None);
        } else {
            let r = sys::write_once(&dev.bus_dir.join("rescan"), b"1");
            self.judge("rescan", String::new, r, None);
        }
    }
}

/// The values a reader of device `device`'s override may see: what the
/// writers on it write (when accepted), what it showed before the run, and
/// `(null)` (no override, e.g. after a PCI remove and rescan).
pub fn accepted_values(plan: &Plan, device: usize, initial: Option<String>) -> HashSet<String> {
    let mut set: HashSet<String> = plan
        .actors
        .iter()
        .filter(|a| a.kind == Kind::OverrideWrite && a.device == Some(device))
        .flat_map(|a| a.values.iter().filter_map(|v| v.shows()))
        .collect();
    set.insert("(null)".into());
    set.extend(initial);
    set
}

/// Runs every actor's threads until `limits` end the run; each actor's
/// counts, in the plan's order. `threads[i]` is actor i's thread count.
pub fn run(plan: &Plan, threads: &[usize], seed: u64, limits: &Limits) -> Vec<Stats> {
    let accepted: Vec<HashSet<String>> = plan
        .actors
        .iter()
        .map(|a| match (a.kind, a.device) {
            (Kind::OverrideRead, Some(d)) => {
                let initial = sys::read_text(&plan.devices[d].dir().join("driver_override"))
                    .ok()
                    .map(|s| s.trim_end_matches('\n').to_string());
                accepted_values(plan, d, initial)
            }
            _ => HashSet::new(),
        })
        .collect();
    let _failslab = plan
        .actors
        .iter()
        .any(|a| a.fail_nth.is_some())
        .then(FailslabSetting::apply);
    std::thread::scope(|s| {
        let handles: Vec<Vec<_>> = plan
            .actors
            .iter()
            .enumerate()
            .map(|(i, actor)| {
                let accepted = &accepted[i];
                (0..threads[i])
                    .map(|t| {
                        let w = Worker {
                            plan,
                            actor,
                            limits,
                            rng: Rng::for_thread(seed, i, t),
                            stats: Stats::default(),
                            held: None,
                            held_back: None,
                        };
                        s.spawn(move || w.run(accepted))
                    })
                    .collect()
            })
            .collect();
        handles
            .into_iter()
            .map(|hs| {
                let mut total = Stats::default();
                for h in hs {
                    total.merge(h.join().expect("an actor thread panicked"));
                }
                total
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_is_shared_and_exact() {
        let limits = Limits::new(Duration::from_secs(60), 1000);
        let taken = AtomicU64::new(0);
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    while limits.next() {
                        taken.fetch_add(1, Ordering::Relaxed);
                    }
                });
            }
        });
        assert_eq!(taken.load(Ordering::Relaxed), 1000);
        assert!(!limits.next());
    }

    #[test]
    fn deadline_ends_the_run() {
        // The start before the deadline is set: a thread descheduled
        // between the two would see the run end early otherwise.
        let start = Instant::now();
        let limits = Limits::new(Duration::from_millis(50), u64::MAX);
        while limits.next() {}
        assert!(start.elapsed() >= Duration::from_millis(50));
        assert!(start.elapsed() < Duration::from_secs(5));
    }
}
