//! Target files: which devices, drivers, device nodes and modules a run
//! tortures, and with which actors. TOML, parsed strictly (an unknown key
//! is an error), then checked for consistency before anything touches the
//! system; `resolve.rs` then checks the names against sysfs.
//!
//! ```toml
//! [[device]]
//! id = "testdev"              # how actors name it
//! pci = "1b36:0005"           # or path = "/sys/bus/pci/devices/0000:00:03.0"
//! drivers = ["alpha", "beta"] # drivers that may bind it
//! default = "alpha"           # the driver it binds with no override
//!
//! [[module]]
//! name = "lifecycle_override_pci"
//! path = "/modules/lifecycle_override_pci.ko"
//! load = true                 # loaded before the run
//! unload = true               # must unload after it (an invariant)
//!
//! [[actor]]
//! kind = "override-write"     # bind, override-write, override-read,
//! device = "testdev"          # devnode, module, pci-rescan
//! threads = 2
//! values = ["alpha", "beta", "\n", { fill = "x", len = 4095, errno = "EINVAL" }]
//! ```

use crate::errno;
use serde::Deserialize;
use std::fmt;

/// A target file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// A name for the report (default: the file's name).
    pub name: Option<String>,
    /// The devices the actors work on.
    #[serde(default)]
    pub device: Vec<DeviceSpec>,
    /// Modules to load before, load and unload during, or unload after.
    #[serde(default)]
    pub module: Vec<ModuleSpec>,
    /// Device nodes the `devnode` actors use.
    #[serde(default)]
    pub devnode: Vec<DevnodeSpec>,
    /// The workloads.
    #[serde(default)]
    pub actor: Vec<ActorSpec>,
}

/// A device: by sysfs path (its last component may hold one `*`, any
/// text) or PCI id.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceSpec {
    /// The name actors and device nodes use for it.
    pub id: String,
    /// Its directory under `/sys`.
    pub path: Option<String>,
    /// Or its PCI `vendor:device` (hex), which must name exactly one device.
    pub pci: Option<String>,
    /// The drivers of its bus that may bind it.
    #[serde(default)]
    pub drivers: Vec<String>,
    /// The driver that binds it when no override is set.
    pub default: Option<String>,
    /// Not one device but every device of a bus whose name matches the
    /// `*` of `path` (`/sys/bus/BUS/devices/PATTERN`), looked up again at
    /// each operation: devices that come and go during the run (a
    /// fixture's consumers). Only bind actors work on such a set, each
    /// operation on one of its devices present then, at random.
    #[serde(default)]
    pub many: bool,
}

/// A kernel module.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModuleSpec {
    /// Its name (as in `/sys/module`).
    pub name: String,
    /// Its `.ko` file (needed to load it).
    pub path: Option<String>,
    /// Parameters given to `finit_module`.
    #[serde(default)]
    pub params: String,
    /// Load it before the run (if not loaded).
    #[serde(default)]
    pub load: bool,
    /// After the run it must unload (an invariant), and is unloaded.
    #[serde(default)]
    pub unload: bool,
    /// Milliseconds to wait before that unload: for a module whose code
    /// the kernel may still call after its devices are gone (a device
    /// `release()` in the module, which DEBUG_KOBJECT_RELEASE delays by up
    /// to 4 s; unloading under it is the module's bug, see virtio-rng).
    #[serde(default)]
    pub unload_wait_ms: u64,
}

/// A device node and what its users do with it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DevnodeSpec {
    /// The name actors use for it.
    pub id: String,
    /// Its path under `/dev`.
    pub path: String,
    /// The device whose driver provides it (invariant: no node without a
    /// bound driver). None for a node that does not come and go with a
    /// binding (a test module's misc device).
    pub device: Option<String>,
    /// Bytes each user reads (0: no read).
    #[serde(default)]
    pub read: usize,
    /// Bytes each user writes (none: no write).
    pub write: Option<String>,
    /// `ioctl` commands issued with a zero argument.
    #[serde(default)]
    pub ioctl: Vec<u64>,
    /// Keep the file open from one use to the next, reopening it only
    /// after a read, write or ioctl on it failed: the file then outlives
    /// unbinds, as an application's would (default: open and close each
    /// use).
    #[serde(default)]
    pub hold: bool,
    /// For a node that a subsystem's core keeps while no device provides
    /// it (`/dev/hwrng`): the errno its read fails with then. Without it,
    /// the node must be gone while its device is unbound.
    pub unbound_errno: Option<String>,
}

/// What an actor does.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// `unbind`, `bind` (to a driver of the device) and `drivers_probe`.
    Bind,
    /// Writes values to the device's `driver_override`.
    OverrideWrite,
    /// Reads `driver_override`; every value read must be one written.
    OverrideRead,
    /// Opens a device node, reads, writes, issues ioctls, closes.
    Devnode,
    /// Loads (`finit_module`) and unloads (`delete_module`) a module.
    Module,
    /// PCI `remove` of the device and bus `rescan`.
    PciRescan,
    /// Hot-unplug and re-plug of the device by QEMU (QMP `device_del`,
    /// `device_add`), asked of the host harness over its KTAP port.
    QmpReplug,
    /// One `write()` of a value to a file under `/sys` (sysfs, debugfs):
    /// a fixture's controls, a subsystem's knobs.
    Write,
}

impl Kind {
    /// The name target files use.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Bind => "bind",
            Kind::OverrideWrite => "override-write",
            Kind::OverrideRead => "override-read",
            Kind::Devnode => "devnode",
            Kind::Module => "module",
            Kind::PciRescan => "pci-rescan",
            Kind::QmpReplug => "qmp-replug",
            Kind::Write => "write",
        }
    }

    /// The errnos allowed when the target names none. The bind actor's
    /// races make bind of a bound device `EBUSY` and bind or unbind the
    /// override refuses, or of a device no longer bound, `ENODEV`.
    pub fn default_allowed(self) -> &'static [&'static str] {
        match self {
            Kind::Bind => &["EBUSY", "ENODEV"],
            Kind::OverrideWrite | Kind::OverrideRead => &[],
            Kind::Devnode => &["ENOENT", "ENODEV", "ENXIO"],
            Kind::Module => &["EEXIST", "ENOENT", "EBUSY", "EAGAIN"],
            Kind::PciRescan => &["ENOENT", "ENODEV"],
            Kind::QmpReplug | Kind::Write => &[],
        }
    }
}

/// A value an override writer writes: text, or `len` copies of `fill`,
/// refused with `errno` when given.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum ValueSpec {
    /// The bytes of the string, written in one `write()`.
    Text(String),
    /// `len` copies of the string `fill`.
    Filled(Filled),
}

/// A value of `len` copies of `fill`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Filled {
    /// What is repeated.
    pub fill: String,
    /// How many times.
    pub len: usize,
    /// The errno the write must fail with (none: it must succeed).
    pub errno: Option<String>,
}

/// An actor as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorSpec {
    /// What it does.
    pub kind: Kind,
    /// Its name in the report and in `--threads NAME=N` (default: the kind
    /// and its index among actors of that kind, e.g. `bind0`).
    pub name: Option<String>,
    /// The device it works on (bind, override-*, pci-rescan).
    pub device: Option<String>,
    /// The module it loads and unloads (module).
    pub module: Option<String>,
    /// The device node it uses (devnode).
    pub devnode: Option<String>,
    /// Threads running it.
    #[serde(default = "one")]
    pub threads: usize,
    /// Errno names besides success that are not failures (default: the
    /// kind's, see [`Kind::default_allowed`]).
    pub allowed: Option<Vec<String>>,
    /// Values written (override-write, write).
    #[serde(default)]
    pub values: Vec<ValueSpec>,
    /// write: the file written, under `/sys`.
    pub path: Option<String>,
    /// write: instead of `values`, the text the `*` matched in the name of
    /// one device of this `many` device set present at that moment (the
    /// id a fixture's `remove` file takes).
    pub values_from: Option<String>,
    /// Pause after each operation, in microseconds (default 0).
    #[serde(default)]
    pub pause_us: u64,
    /// bind only: `"cycle"` alternates unbind and bind to the default (or
    /// first) driver instead of drawing operations at random, a tight
    /// bind/unbind loop (the benchmark's ceiling).
    pub mode: Option<String>,
    /// Fault injection around each operation: the Nth slab allocation of
    /// the thread fails, N drawn from 1 to this (`/proc/thread-self/
    /// fail-nth`, CONFIG_FAILSLAB). The errnos it causes (`ENOMEM`, ...)
    /// must be in `allowed`.
    pub fail_nth: Option<u32>,
    /// qmp-replug: the `device_del` arguments (`id=edu0`).
    pub unplug: Option<String>,
    /// qmp-replug: the `device_add` arguments (`driver=edu id=edu0
    /// bus=drvlife_rp1`).
    pub plug: Option<String>,
}

fn one() -> usize {
    1
}

/// Why a target file is refused.
#[derive(Debug, PartialEq, Eq)]
pub struct Refused(pub String);

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn refuse<T>(msg: impl Into<String>) -> Result<T, Refused> {
    Err(Refused(msg.into()))
}

/// Parses a target file's text and checks it is consistent: names are
/// unique and refer to what the file declares, paths are where they must
/// be, errno names are known, each actor has what its kind needs.
pub fn parse(text: &str) -> Result<Target, Refused> {
    let target: Target = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(0, |s| {
            text[..s.start.min(text.len())].matches('\n').count() + 1
        });
        let msg: Vec<&str> = e
            .message()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        Refused(format!("malformed (line {line}): {}", msg.join("; ")))
    })?;
    check(&target)?;
    Ok(target)
}

fn unique<'a>(what: &str, names: impl Iterator<Item = &'a str>) -> Result<(), Refused> {
    let mut seen = Vec::new();
    for n in names {
        if n.is_empty() {
            return refuse(format!("{what}: an empty name"));
        }
        if seen.contains(&n) {
            return refuse(format!("{what} '{n}' declared twice"));
        }
        seen.push(n);
    }
    Ok(())
}

/// A path under `root` with no `.` or `..` component.
fn plain_path_under(path: &str, root: &str) -> bool {
    path.strip_prefix(root).is_some_and(|rest| {
        rest.starts_with('/') && !rest.split('/').any(|c| c == ".." || c == ".")
    })
}

/// A PCI id `vvvv:dddd` as two numbers.
pub fn parse_pci_id(id: &str) -> Option<(u16, u16)> {
    let (v, d) = id.split_once(':')?;
    if v.len() != 4 || d.len() != 4 {
        return None;
    }
    Some((
        u16::from_str_radix(v, 16).ok()?,
        u16::from_str_radix(d, 16).ok()?,
    ))
}

fn check_errno(actor: &str, name: &str) -> Result<(), Refused> {
    if errno::parse(name).is_none() {
        return refuse(format!("actor {actor}: unknown errno name '{name}'"));
    }
    Ok(())
}

fn check(t: &Target) -> Result<(), Refused> {
    unique("device", t.device.iter().map(|d| d.id.as_str()))?;
    unique("module", t.module.iter().map(|m| m.name.as_str()))?;
    unique("devnode", t.devnode.iter().map(|n| n.id.as_str()))?;
    if t.actor.is_empty() {
        return refuse("no [[actor]]: nothing to run");
    }
    for d in &t.device {
        match (&d.path, &d.pci) {
            (Some(p), None) => {
                if !plain_path_under(p, "/sys") {
                    return refuse(format!(
                        "device {}: path '{p}' is outside sysfs (must be an absolute path under /sys, without . or ..)",
                        d.id
                    ));
                }
                let (dir, last) = p.rsplit_once('/').unwrap_or(("", p));
                if dir.contains('*') || last.matches('*').count() > 1 {
                    return refuse(format!(
                        "device {}: path '{p}': only its last component may hold a '*', and only one",
                        d.id
                    ));
                }
            }
            (None, Some(id)) => {
                if parse_pci_id(id).is_none() {
                    return refuse(format!(
                        "device {}: pci '{id}' is not a PCI id (vvvv:dddd, hex)",
                        d.id
                    ));
                }
            }
            _ => return refuse(format!("device {}: give exactly one of path and pci", d.id)),
        }
        if d.many
            && !d.path.as_deref().is_some_and(|p| {
                p.rsplit_once('/').is_some_and(|(dir, last)| {
                    last.contains('*')
                        && dir.strip_prefix("/sys/bus/").is_some_and(|bus| {
                            bus.strip_suffix("/devices")
                                .is_some_and(|b| !b.is_empty() && !b.contains('/'))
                        })
                })
            })
        {
            return refuse(format!(
                "device {}: many = true needs path = \"/sys/bus/BUS/devices/PATTERN\" with a '*' in PATTERN",
                d.id
            ));
        }
        unique(
            &format!("device {}: driver", d.id),
            d.drivers.iter().map(String::as_str),
        )?;
        if let Some(def) = &d.default {
            if !d.drivers.contains(def) {
                return refuse(format!(
                    "device {}: default driver '{def}' is not among its drivers",
                    d.id
                ));
            }
        }
    }
    for m in &t.module {
        if m.load && m.path.is_none() {
            return refuse(format!("module {}: load = true needs its path", m.name));
        }
        if m.unload_wait_ms > 0 && !m.unload {
            return refuse(format!(
                "module {}: unload_wait_ms is the wait before its unload: set unload = true",
                m.name
            ));
        }
        if m.unload_wait_ms > 60_000 {
            return refuse(format!(
                "module {}: unload_wait_ms {} is over a minute",
                m.name, m.unload_wait_ms
            ));
        }
    }
    for n in &t.devnode {
        if !plain_path_under(&n.path, "/dev") {
            return refuse(format!(
                "devnode {}: path '{}' is not under /dev",
                n.id, n.path
            ));
        }
        if let Some(dev) = &n.device {
            match t.device.iter().find(|d| &d.id == dev) {
                None => return refuse(format!("devnode {}: unknown device '{dev}'", n.id)),
                Some(d) if d.many => {
                    return refuse(format!(
                    "devnode {}: device '{dev}' is a set (many = true), a node needs one device",
                    n.id
                ))
                }
                Some(_) => {}
            }
        }
        if let Some(e) = &n.unbound_errno {
            if n.device.is_none() {
                return refuse(format!(
                    "devnode {}: unbound_errno says how the node behaves while its device is unbound: set device",
                    n.id
                ));
            }
            if crate::errno::parse(e).is_none() {
                return refuse(format!("devnode {}: unknown errno '{e}'", n.id));
            }
            if n.read == 0 {
                return refuse(format!(
                    "devnode {}: unbound_errno is checked by a read: set read",
                    n.id
                ));
            }
        }
    }
    let names = actor_names(t);
    unique("actor", names.iter().map(String::as_str))?;
    for (a, name) in t.actor.iter().zip(&names) {
        check_actor(t, a, name)?;
    }
    Ok(())
}

fn check_actor(t: &Target, a: &ActorSpec, name: &str) -> Result<(), Refused> {
    if a.threads == 0 {
        return refuse(format!("actor {name}: threads must be at least 1"));
    }
    let needs_device = matches!(
        a.kind,
        Kind::Bind | Kind::OverrideWrite | Kind::OverrideRead | Kind::PciRescan | Kind::QmpReplug
    );
    let device = match (&a.device, needs_device) {
        (Some(id), true) => Some(
            t.device
                .iter()
                .find(|d| &d.id == id)
                .ok_or_else(|| Refused(format!("actor {name}: unknown device '{id}'")))?,
        ),
        (None, true) => return refuse(format!("actor {name}: {} needs a device", a.kind.name())),
        (Some(_), false) => {
            return refuse(format!("actor {name}: {} takes no device", a.kind.name()))
        }
        (None, false) => None,
    };
    match (a.kind, &a.module) {
        (Kind::Module, Some(m)) => {
            let spec = t
                .module
                .iter()
                .find(|s| &s.name == m)
                .ok_or_else(|| Refused(format!("actor {name}: unknown module '{m}'")))?;
            if spec.path.is_none() {
                return refuse(format!(
                    "actor {name}: module {m} has no path to load it from"
                ));
            }
        }
        (Kind::Module, None) => return refuse(format!("actor {name}: module needs a module")),
        (_, Some(_)) => return refuse(format!("actor {name}: only module actors take a module")),
        _ => {}
    }
    match (a.kind, &a.devnode) {
        (Kind::Devnode, Some(n)) if t.devnode.iter().any(|s| &s.id == n) => {}
        (Kind::Devnode, Some(n)) => return refuse(format!("actor {name}: unknown devnode '{n}'")),
        (Kind::Devnode, None) => return refuse(format!("actor {name}: devnode needs a devnode")),
        (_, Some(_)) => return refuse(format!("actor {name}: only devnode actors take a devnode")),
        _ => {}
    }
    if let Some(allowed) = &a.allowed {
        for e in allowed {
            check_errno(name, e)?;
        }
    }
    if a.fail_nth == Some(0) {
        return refuse(format!("actor {name}: fail_nth must be at least 1"));
    }
    match (a.kind, &a.unplug, &a.plug) {
        (Kind::QmpReplug, Some(u), Some(p)) => {
            for args in [u, p] {
                if args.trim().is_empty() || args.contains('\n') {
                    return refuse(format!(
                        "actor {name}: unplug and plug are one line of key=value arguments"
                    ));
                }
            }
        }
        (Kind::QmpReplug, ..) => {
            return refuse(format!("actor {name}: qmp-replug needs unplug and plug"))
        }
        (_, None, None) => {}
        _ => {
            return refuse(format!(
                "actor {name}: only qmp-replug takes unplug and plug"
            ))
        }
    }
    check_write(t, a, name)?;
    match a.kind {
        Kind::OverrideWrite | Kind::Write => {
            if a.values.is_empty() && a.values_from.is_none() {
                return refuse(format!("actor {name}: {} needs values", a.kind.name()));
            }
            for v in &a.values {
                if *v == ValueSpec::Text(String::new()) {
                    return refuse(format!(
                        "actor {name}: an empty value writes nothing (sysfs ignores empty writes); \"\\n\" clears the override"
                    ));
                }
                if let ValueSpec::Filled(Filled { fill, len, errno }) = v {
                    if fill.is_empty() || *len == 0 {
                        return refuse(format!(
                            "actor {name}: a filled value needs fill and len > 0"
                        ));
                    }
                    if let Some(e) = errno {
                        check_errno(name, e)?;
                    }
                }
            }
        }
        _ if !a.values.is_empty() => {
            return refuse(format!(
                "actor {name}: only override-write and write take values"
            ))
        }
        _ => {}
    }
    if device.is_some_and(|d| d.many) && a.kind != Kind::Bind {
        return refuse(format!(
            "actor {name}: device {} is a set (many = true): only bind actors work on one",
            a.device.as_deref().unwrap_or("?")
        ));
    }
    let device = device.map(|d| d.id.as_str());
    if a.kind == Kind::OverrideRead
        && !t
            .actor
            .iter()
            .any(|w| w.kind == Kind::OverrideWrite && w.device.as_deref() == device)
    {
        return refuse(format!(
            "actor {name}: no override-write actor on device {} (nothing to check the reads against)",
            device.unwrap_or("?")
        ));
    }
    match (a.kind, a.mode.as_deref()) {
        (_, None) | (Kind::Bind, Some("cycle")) => {}
        (Kind::Bind, Some(m)) => {
            return refuse(format!("actor {name}: unknown mode '{m}' (cycle)"))
        }
        _ => return refuse(format!("actor {name}: only bind actors take a mode")),
    }
    if a.kind == Kind::Bind {
        let d = t.device.iter().find(|d| Some(d.id.as_str()) == device);
        if d.is_some_and(|d| d.drivers.is_empty()) {
            return refuse(format!(
                "actor {name}: device {} names no drivers to bind",
                device.unwrap_or("?")
            ));
        }
    }
    Ok(())
}

/// A write actor's file and values; no other kind takes them.
fn check_write(t: &Target, a: &ActorSpec, name: &str) -> Result<(), Refused> {
    if a.kind != Kind::Write {
        if a.path.is_some() || a.values_from.is_some() {
            return refuse(format!(
                "actor {name}: only write actors take path and values_from"
            ));
        }
        return Ok(());
    }
    match &a.path {
        None => return refuse(format!("actor {name}: write needs a path")),
        Some(p) if !plain_path_under(p, "/sys") => {
            return refuse(format!(
                "actor {name}: path '{p}' is outside sysfs and debugfs (must be an absolute path under /sys, without . or ..)"
            ))
        }
        Some(_) => {}
    }
    if let Some(set) = &a.values_from {
        if !a.values.is_empty() {
            return refuse(format!(
                "actor {name}: give values or values_from, not both"
            ));
        }
        if !t.device.iter().any(|d| &d.id == set && d.many) {
            return refuse(format!(
                "actor {name}: values_from '{set}' is not a device set (many = true)"
            ));
        }
    }
    Ok(())
}

/// Every actor's name: its own, or its kind and index among its kind.
pub fn actor_names(t: &Target) -> Vec<String> {
    let mut counts = std::collections::HashMap::new();
    t.actor
        .iter()
        .map(|a| {
            let n = counts.entry(a.kind).or_insert(0usize);
            *n += 1;
            a.name
                .clone()
                .unwrap_or_else(|| format!("{}{}", a.kind.name(), *n - 1))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
name = "t"
[[device]]
id = "d"
pci = "1b36:0005"
drivers = ["alpha", "beta"]
default = "alpha"
[[module]]
name = "m"
path = "/modules/m.ko"
load = true
unload = true
[[actor]]
kind = "override-write"
values = ["alpha", "\n", { fill = "x", len = 4095, errno = "EINVAL" }]
device = "d"
threads = 2
[[actor]]
kind = "override-read"
device = "d"
[[actor]]
kind = "bind"
device = "d"
[[actor]]
kind = "module"
module = "m"
"#;

    fn refused(text: &str) -> String {
        parse(text).expect_err("must be refused").0
    }

    fn with(extra: &str) -> String {
        format!("{GOOD}{extra}")
    }

    /// Every target the lab ships passes the checks that need no sysfs:
    /// a refused one would only show in the guest, as the engine's status 2.
    #[test]
    fn shipped_targets_are_accepted() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("targets");
        let mut seen = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                let text = std::fs::read_to_string(&path).unwrap();
                if let Err(e) = parse(&text) {
                    panic!("{}: {e}", path.display());
                }
                seen += 1;
            }
        }
        assert!(seen > 10, "only {seen} targets in {}", dir.display());
    }

    #[test]
    fn good_file_parses() {
        let t = parse(GOOD).unwrap();
        assert_eq!(t.device[0].drivers, ["alpha", "beta"]);
        assert_eq!(t.actor[0].threads, 2);
        assert_eq!(t.actor[1].threads, 1);
        assert_eq!(
            t.actor[0].values[2],
            ValueSpec::Filled(Filled {
                fill: "x".into(),
                len: 4095,
                errno: Some("EINVAL".into())
            })
        );
        assert_eq!(
            actor_names(&t),
            ["override-write0", "override-read0", "bind0", "module0"]
        );
    }

    #[test]
    fn malformed_files() {
        let e = refused("[[device]\nid=");
        assert!(e.starts_with("malformed (line 1): "), "{e}");
        assert!(!e.contains('\n'), "{e}");
        let e = refused("[[actor]]\nkind = \"bind\"\nthreads = \"two\"\n");
        assert!(e.starts_with("malformed (line 3): "), "{e}");
        assert!(refused("bogus = 1\n[[actor]]\nkind = \"bind\"").contains("unknown field"));
        assert!(refused("[[actor]]\nkind = \"explode\"").starts_with("malformed"));
        assert!(refused("[[actor]]\nkind = \"bind\"\nthreads = -1").starts_with("malformed"));
        assert!(refused(&with(
            "[[device]]\nid = \"e\"\npci = \"1b36:0005\"\ncolour = 1\n"
        ))
        .contains("colour"));
    }

    #[test]
    fn unbound_errno_must_name_an_errno_and_have_a_read() {
        let node = |extra: &str| {
            with(&format!(
                "[[devnode]]\nid = \"n\"\npath = \"/dev/hwrng\"\ndevice = \"d\"\n{extra}"
            ))
        };
        assert!(refused(&node("read = 16\nunbound_errno = \"EWHAT\"\n"))
            .contains("unknown errno 'EWHAT'"));
        assert!(refused(&node("unbound_errno = \"ENODEV\"\n")).contains("set read"));
        let t = parse(&node("read = 16\nunbound_errno = \"ENODEV\"\n")).unwrap();
        assert_eq!(t.devnode[0].unbound_errno.as_deref(), Some("ENODEV"));
    }

    #[test]
    fn devnode_without_device() {
        let node = |extra: &str| {
            with(&format!(
                "[[devnode]]\nid = \"n\"\npath = \"/dev/drvlife-x\"\nread = 16\n{extra}"
            ))
        };
        assert_eq!(parse(&node("")).unwrap().devnode[0].device, None);
        assert!(!parse(&node("")).unwrap().devnode[0].hold);
        assert!(parse(&node("hold = true\n")).unwrap().devnode[0].hold);
        assert!(refused(&node("unbound_errno = \"ENODEV\"\n")).contains("set device"));
    }

    #[test]
    fn qmp_replug_needs_both_argument_lines_and_only_it_takes_them() {
        let actor = |extra: &str| {
            with(&format!(
                "[[actor]]\nname = \"hot\"\nkind = \"qmp-replug\"\ndevice = \"d\"\n{extra}"
            ))
        };
        assert!(refused(&actor("unplug = \"id=edu0\"\n")).contains("needs unplug and plug"));
        assert!(refused(&actor(
            "unplug = \"id=edu0\"\nplug = \"driver=edu\\nid=edu0\"\n"
        ))
        .contains("one line"));
        let t = parse(&actor(
            "unplug = \"id=edu0\"\nplug = \"driver=edu id=edu0 bus=drvlife_rp1\"\n",
        ))
        .unwrap();
        assert_eq!(t.actor.last().unwrap().kind, Kind::QmpReplug);
        assert!(refused(&with(
            "[[actor]]\nkind = \"bind\"\ndevice = \"d\"\nplug = \"driver=edu\"\n"
        ))
        .contains("only qmp-replug"));
    }

    #[test]
    fn fail_nth_must_be_positive() {
        let actor = |n: u32| {
            with(&format!(
                "[[actor]]\nkind = \"bind\"\ndevice = \"d\"\nfail_nth = {n}\nallowed = [\"ENOMEM\"]\n"
            ))
        };
        assert!(refused(&actor(0)).contains("fail_nth must be at least 1"));
        assert_eq!(
            parse(&actor(20)).unwrap().actor.last().unwrap().fail_nth,
            Some(20)
        );
    }

    #[test]
    fn nothing_to_run() {
        assert!(refused("[[device]]\nid = \"d\"\npci = \"1b36:0005\"").contains("no [[actor]]"));
    }

    #[test]
    fn paths_outside_sysfs() {
        for p in [
            "/etc/passwd",
            "sys/bus",
            "/sys/../etc",
            "/sysfoo/x",
            "/sys/./bus",
        ] {
            let text = format!("[[device]]\nid = \"x\"\npath = \"{p}\"\n[[actor]]\nkind = \"bind\"\ndevice = \"x\"\n");
            assert!(refused(&text).contains("outside sysfs"), "{p}");
        }
        for p in ["/sys/bus/*/devices/x", "/sys/bus/platform/devices/*:a*"] {
            let text = format!(
                "[[device]]\nid = \"d\"\npath = \"{p}\"\n[[actor]]\nkind = \"bind\"\ndevice = \"d\"\n"
            );
            assert!(refused(&text).contains("only its last component"), "{p}");
        }
        assert!(plain_path_under(
            "/sys/bus/pci/devices/0000:00:03.0",
            "/sys"
        ));
        assert!(refused(&with(
            "[[devnode]]\nid = \"n\"\npath = \"/tmp/x\"\ndevice = \"d\"\n"
        ))
        .contains("not under /dev"));
    }

    #[test]
    fn device_identity() {
        let both = "[[device]]\nid = \"x\"\npath = \"/sys/a\"\npci = \"1b36:0005\"\n[[actor]]\nkind = \"bind\"\ndevice = \"x\"\n";
        assert!(refused(both).contains("exactly one of path and pci"));
        for id in ["1b36", "1b36:5", "zzzz:0005", "1b36:00051"] {
            let text = format!("[[device]]\nid = \"x\"\npci = \"{id}\"\n[[actor]]\nkind = \"bind\"\ndevice = \"x\"\n");
            assert!(refused(&text).contains("not a PCI id"), "{id}");
        }
        assert_eq!(parse_pci_id("1b36:0005"), Some((0x1b36, 5)));
    }

    #[test]
    fn unknown_names() {
        assert!(
            refused(&with("[[actor]]\nkind = \"bind\"\ndevice = \"nope\"\n"))
                .contains("unknown device 'nope'")
        );
        assert!(
            refused(&with("[[actor]]\nkind = \"module\"\nmodule = \"nope\"\n"))
                .contains("unknown module 'nope'")
        );
        assert!(
            refused(&with("[[actor]]\nkind = \"devnode\"\ndevnode = \"nope\"\n"))
                .contains("unknown devnode 'nope'")
        );
        assert!(refused(&with(
            "[[actor]]\nkind = \"bind\"\ndevice = \"d\"\nallowed = [\"ENOPE\"]\n"
        ))
        .contains("unknown errno name 'ENOPE'"));
        assert!(refused(&with(
            "[[devnode]]\nid = \"n\"\npath = \"/dev/x\"\ndevice = \"nope\"\n"
        ))
        .contains("unknown device 'nope'"));
    }

    #[test]
    fn duplicates_and_defaults() {
        assert!(
            refused(&with("[[device]]\nid = \"d\"\npci = \"1b36:0005\"\n"))
                .contains("device 'd' declared twice")
        );
        assert!(refused(&with(
            "[[actor]]\nkind = \"bind\"\nname = \"bind0\"\ndevice = \"d\"\n"
        ))
        .contains("actor 'bind0' declared twice"));
        let text = GOOD.replace("default = \"alpha\"", "default = \"gamma\"");
        assert!(refused(&text).contains("default driver 'gamma'"));
    }

    #[test]
    fn actors_need_what_their_kind_needs() {
        assert!(refused(&with("[[actor]]\nkind = \"bind\"\n")).contains("bind needs a device"));
        assert!(refused(&with(
            "[[actor]]\nkind = \"module\"\nmodule = \"m\"\ndevice = \"d\"\n"
        ))
        .contains("takes no device"));
        assert!(refused(&with(
            "[[actor]]\nkind = \"override-write\"\ndevice = \"d\"\nname = \"w\"\n"
        ))
        .contains("needs values"));
        assert!(refused(&with(
            "[[actor]]\nkind = \"bind\"\ndevice = \"d\"\nname = \"b\"\nvalues = [\"a\"]\n"
        ))
        .contains("only override-write and write take values"));
        assert!(refused(&with(
            "[[actor]]\nkind = \"bind\"\ndevice = \"d\"\nname = \"b\"\nthreads = 0\n"
        ))
        .contains("at least 1"));
        let no_writer = "[[device]]\nid = \"d\"\npci = \"1b36:0005\"\n[[actor]]\nkind = \"override-read\"\ndevice = \"d\"\n";
        assert!(refused(no_writer).contains("no override-write actor"));
        let no_path = GOOD.replace("path = \"/modules/m.ko\"\nload = true", "");
        assert!(refused(&no_path).contains("no path"));
        let no_drivers = "[[device]]\nid = \"d\"\npci = \"1b36:0005\"\n[[actor]]\nkind = \"bind\"\ndevice = \"d\"\n";
        assert!(refused(no_drivers).contains("names no drivers"));
    }

    #[test]
    fn empty_value_is_refused() {
        let text = with(
            "[[actor]]\nkind = \"override-write\"\ndevice = \"d\"\nname = \"w\"\nvalues = [\"\"]\n",
        );
        assert!(refused(&text).contains("empty value writes nothing"));
    }

    #[test]
    fn bind_modes() {
        assert!(parse(&with(
            "[[actor]]\nkind = \"bind\"\nname = \"c\"\ndevice = \"d\"\nmode = \"cycle\"\n"
        ))
        .is_ok());
        assert!(refused(&with(
            "[[actor]]\nkind = \"bind\"\nname = \"c\"\ndevice = \"d\"\nmode = \"spin\"\n"
        ))
        .contains("unknown mode 'spin'"));
        assert!(refused(&with(
            "[[actor]]\nkind = \"module\"\nname = \"c\"\nmodule = \"m\"\nmode = \"cycle\"\n"
        ))
        .contains("only bind actors take a mode"));
    }

    #[test]
    fn bad_filled_values() {
        let text = with("[[actor]]\nkind = \"override-write\"\ndevice = \"d\"\nname = \"w\"\nvalues = [{ fill = \"\", len = 3 }]\n");
        assert!(refused(&text).contains("fill and len"));
        let text = with("[[actor]]\nkind = \"override-write\"\ndevice = \"d\"\nname = \"w\"\nvalues = [{ fill = \"x\", len = 3, errno = \"EWHAT\" }]\n");
        assert!(refused(&text).contains("unknown errno name 'EWHAT'"));
    }

    #[test]
    fn device_sets_and_write_actors() {
        let set = r#"
[[device]]
id = "consumers"
path = "/sys/bus/platform/devices/drvlife-pd-consumer.*"
many = true
drivers = ["c"]
[[actor]]
kind = "bind"
device = "consumers"
[[actor]]
name = "add"
kind = "write"
path = "/sys/kernel/debug/board/add"
values = ["0", "1"]
[[actor]]
name = "remove"
kind = "write"
path = "/sys/kernel/debug/board/remove"
values_from = "consumers"
"#;
        let t = parse(set).unwrap();
        assert!(t.device[0].many);
        assert_eq!(t.actor[2].values_from.as_deref(), Some("consumers"));
        // A set must be a bus's devices with a pattern.
        for bad in [
            "/sys/devices/platform/x.*",
            "/sys/bus/platform/devices/x",
            "/sys/bus/platform/drivers/x*",
        ] {
            let text = set.replacen("/sys/bus/platform/devices/drvlife-pd-consumer.*", bad, 1);
            assert!(refused(&text).contains("many = true needs path"), "{bad}");
        }
        // Only bind actors work on a set; a node needs one device.
        let text = format!("{set}[[actor]]\nkind = \"pci-rescan\"\ndevice = \"consumers\"\n");
        assert!(refused(&text).contains("only bind actors work on one"));
        let text =
            format!("{set}[[devnode]]\nid = \"n\"\npath = \"/dev/x\"\ndevice = \"consumers\"\n");
        assert!(refused(&text).contains("a node needs one device"));
        // A write needs a file under /sys and values or a set, not both.
        let w = |extra: &str| format!("{set}[[actor]]\nname = \"w\"\nkind = \"write\"\n{extra}");
        assert!(refused(&w("values = [\"1\"]\n")).contains("write needs a path"));
        assert!(refused(&w("path = \"/proc/x\"\nvalues = [\"1\"]\n")).contains("outside sysfs"));
        assert!(refused(&w("path = \"/sys/x\"\n")).contains("write needs values"));
        assert!(refused(&w(
            "path = \"/sys/x\"\nvalues = [\"1\"]\nvalues_from = \"consumers\"\n"
        ))
        .contains("not both"));
        assert!(refused(&w("path = \"/sys/x\"\nvalues_from = \"nope\"\n"))
            .contains("is not a device set"));
        assert!(refused(&with(
            "[[actor]]\nkind = \"bind\"\ndevice = \"d\"\nname = \"b\"\npath = \"/sys/x\"\n"
        ))
        .contains("only write actors take path"));
    }

    #[test]
    fn an_unload_wait_needs_an_unload_and_a_bound() {
        let m = |extra: &str| {
            format!(
                "[[module]]\nname = \"m\"\npath = \"/m.ko\"\n{extra}\n[[actor]]\nkind = \"module\"\nmodule = \"m\"\n"
            )
        };
        assert_eq!(
            parse(&m("unload = true\nunload_wait_ms = 4500"))
                .unwrap()
                .module[0]
                .unload_wait_ms,
            4500
        );
        assert!(refused(&m("unload_wait_ms = 10")).contains("set unload = true"));
        assert!(refused(&m("unload = true\nunload_wait_ms = 60001")).contains("over a minute"));
    }
}
