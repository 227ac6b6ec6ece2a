//! Checks after the run, with every actor stopped: the binding follows the
//! override, no device node outlives its driver's binding, and the modules
//! that must unload do.

use crate::resolve::{shows, Device, Plan};
use crate::sys;
use crate::target::Kind;
use std::path::Path;
use std::time::{Duration, Instant};

/// One checked invariant.
pub struct Verdict {
    /// What was checked.
    pub what: String,
    /// Whether it held.
    pub ok: bool,
    /// What was seen, when it did not.
    pub detail: String,
}

fn verdict(what: String, ok: bool, detail: String) -> Verdict {
    Verdict { what, ok, detail }
}

fn unbind(dev: &Device) -> Result<(), i32> {
    match dev.bound() {
        Some(drv) => sys::write_once(&dev.driver_dir(&drv).join("unbind"), dev.name.as_bytes()),
        None => Ok(()),
    }
}

fn reprobe(dev: &Device) -> Result<(), i32> {
    unbind(dev)?;
    sys::write_once(&dev.bus_dir.join("drivers_probe"), dev.name.as_bytes())
}

/// The driver the device must bind after a probe when its override shows
/// `over`: the one named, none if it names no driver of the device, the
/// default with none set (`None` when any may).
fn expected(dev: &Device, over: &str) -> Option<String> {
    if over == "(null)" {
        dev.default.clone().or(Some("*".into()))
    } else if dev.drivers.iter().any(|d| d == over) {
        Some(over.to_string())
    } else {
        Some("none".into())
    }
}

fn bound_name(dev: &Device) -> String {
    dev.bound().unwrap_or_else(|| "none".into())
}

fn matches(want: &Option<String>, got: &str) -> bool {
    match want.as_deref() {
        Some("*") => got != "none",
        Some(w) => w == got,
        None => true,
    }
}

/// Device `dev` binds as its override says: as left by the run, then set to
/// each of its drivers in turn, then cleared.
fn override_follows(dev: &Device, out: &mut Vec<Verdict>) {
    let attr = dev.dir().join("driver_override");
    let last = sys::read_text(&attr).map(|s| s.trim_end_matches('\n').to_string());
    let Ok(last) = last else {
        out.push(verdict(
            format!("{}: driver_override readable", dev.id),
            false,
            format!("{last:?}"),
        ));
        return;
    };
    let r = reprobe(dev);
    let want = expected(dev, &last);
    let got = bound_name(dev);
    out.push(verdict(
        format!(
            "{}: binding follows the last override written ({last})",
            dev.id
        ),
        r.is_ok() && matches(&want, &got),
        format!(
            "bound: {got}, want {}, reprobe {:?}",
            want.unwrap_or_default(),
            r
        ),
    ));
    let mut steps = Vec::new();
    let mut ok = true;
    for drv in dev.drivers.iter().map(String::as_str).chain(["\n"]) {
        let w = sys::write_once(&attr, drv.as_bytes());
        let r = reprobe(dev);
        let over = shows(drv.as_bytes());
        let want = expected(dev, &over);
        let got = bound_name(dev);
        let step_ok = w.is_ok() && r.is_ok() && matches(&want, &got);
        ok &= step_ok;
        steps.push(format!(
            "{over} -> {got}{}",
            if step_ok { "" } else { " (wrong)" }
        ));
    }
    out.push(verdict(
        format!(
            "{}: steered by the override to each driver, then cleared",
            dev.id
        ),
        ok,
        steps.join(", "),
    ));
}

/// No device node of an unbound device: unbind, the node must be gone
/// (or, for a node its subsystem's core keeps, its read must fail with
/// the target's errno), then probe again.
fn node_needs_driver(plan: &Plan, out: &mut Vec<Verdict>) {
    for node in &plan.devnodes {
        let Some(dev) = node.device.map(|d| &plan.devices[d]) else {
            continue;
        };
        let before = dev.bound();
        let r = unbind(dev);
        let before = before.unwrap_or_else(|| "nothing".into());
        let (title, ok, detail) = match node.unbound_errno {
            None => {
                let exists = node.path.exists();
                (
                    format!("{}: no device node without a bound driver", node.id),
                    !exists,
                    format!(
                        "{} {} after unbinding {before} ({r:?})",
                        node.path.display(),
                        if exists { "exists" } else { "gone" },
                    ),
                )
            }
            Some(want) => {
                let got = read_node(node);
                (
                    format!(
                        "{}: without a bound driver its read fails with {}",
                        node.id,
                        crate::errno::name(want)
                    ),
                    got == Err(want),
                    format!(
                        "read of {} after unbinding {before} ({r:?}): {}",
                        node.path.display(),
                        got.map_or_else(crate::errno::name, |n| format!("{n} bytes"))
                    ),
                )
            }
        };
        let _ = sys::write_once(&dev.bus_dir.join("drivers_probe"), dev.name.as_bytes());
        out.push(verdict(title, r.is_ok() && ok, detail));
    }
}

/// One open and read of a device node: the bytes read, or the errno.
fn read_node(node: &crate::resolve::Devnode) -> Result<usize, i32> {
    let f = std::fs::File::open(&node.path).map_err(|e| sys::errno_of(&e))?;
    let mut buf = vec![0u8; node.read];
    std::io::Read::read(&mut &f, &mut buf).map_err(|e| sys::errno_of(&e))
}

/// Each module marked `unload` unloads (retrying for a few seconds while
/// it is busy) and is gone from /sys/module.
fn modules_unload(plan: &Plan, out: &mut Vec<Verdict>) {
    // Last loaded, first unloaded: a module may use the ones before it.
    for m in plan.modules.iter().rev().filter(|m| m.unload) {
        std::thread::sleep(m.unload_wait);
        let until = Instant::now() + Duration::from_secs(5);
        let r = loop {
            match sys::delete_module(&m.cname) {
                Err(libc::EAGAIN | libc::EBUSY) if Instant::now() < until => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                r => break r,
            }
        };
        let gone = !Path::new("/sys/module").join(&m.name).exists();
        out.push(verdict(
            format!("module {} unloads", m.name),
            r.is_ok() && gone,
            format!(
                "delete_module: {}, /sys/module/{}: {}",
                r.err().map_or("ok".into(), crate::errno::name),
                m.name,
                if gone { "gone" } else { "still there" }
            ),
        ));
    }
}

/// Puts back what the actors may have taken away (a removed PCI device, an
/// unplugged one, an unloaded module), so that the invariants look at a
/// whole system.
pub fn restore(plan: &Plan) {
    if plan.actors.iter().any(|a| a.kind == Kind::PciRescan) {
        let _ = sys::write_once(Path::new("/sys/bus/pci/rescan"), b"1");
    }
    for a in plan.actors.iter().filter(|a| a.kind == Kind::QmpReplug) {
        let (Some(d), Some((_, plug))) = (a.device, &a.replug) else {
            continue;
        };
        let dir = plan.devices[d].dir();
        if !dir.exists() {
            let _ = crate::qmp::plug(&dir, plug);
        }
    }
    for m in &plan.modules {
        let wanted = m.load
            || plan.actors.iter().any(|a| {
                a.kind == Kind::Module && a.module.is_some_and(|i| plan.modules[i].name == m.name)
            });
        if wanted && !m.loaded() {
            if let Some(p) = &m.path {
                let _ = sys::finit_module(p, &m.params);
            }
        }
    }
}

/// Every invariant of the plan, in order.
pub fn check(plan: &Plan) -> Vec<Verdict> {
    restore(plan);
    let mut out = Vec::new();
    for (i, dev) in plan.devices.iter().enumerate() {
        let written = plan
            .actors
            .iter()
            .any(|a| a.kind == Kind::OverrideWrite && a.device == Some(i));
        if written {
            override_follows(dev, &mut out);
        }
    }
    node_needs_driver(plan, &mut out);
    modules_unload(plan, &mut out);
    out
}
