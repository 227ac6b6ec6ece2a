//! A parsed target checked against the running system: every device found
//! in sysfs, every driver registered on the device's bus, every module file
//! present. What the actors and invariants work on.

use crate::errno;
use crate::target::{parse_pci_id, Kind, Refused, Target, ValueSpec};
use std::ffi::CString;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A device found in sysfs, or a set of devices (`many`).
#[derive(Clone, Debug)]
pub struct Device {
    /// The target's name for it.
    pub id: String,
    /// Its name on its bus (e.g. `0000:00:03.0`).
    pub name: String,
    /// Its bus directory (e.g. `/sys/bus/pci`).
    pub bus_dir: PathBuf,
    /// Whether it is a PCI device (remove and rescan apply).
    pub pci: bool,
    /// Drivers that may bind it.
    pub drivers: Vec<String>,
    /// The driver it binds with no override.
    pub default: Option<String>,
    /// For a set (`many`): the pattern its devices' names match (one
    /// `*`); `name` is then the pattern too, until [`Device::instance`].
    pub pattern: Option<String>,
}

impl Device {
    /// The names of the set's devices present now (sorted); for one
    /// device, its name.
    pub fn instances(&self) -> Vec<String> {
        let Some(pattern) = &self.pattern else {
            return vec![self.name.clone()];
        };
        let mut names: Vec<String> = fs::read_dir(self.bus_dir.join("devices"))
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| star_match(pattern, n).is_some())
            .collect();
        names.sort();
        names
    }

    /// One device of the set, by name.
    pub fn instance(&self, name: &str) -> Device {
        Device {
            name: name.to_string(),
            pattern: None,
            ..self.clone()
        }
    }

    /// Its directory through the bus (stable across a PCI remove and rescan).
    pub fn dir(&self) -> PathBuf {
        self.bus_dir.join("devices").join(&self.name)
    }

    /// A driver's directory on its bus.
    pub fn driver_dir(&self, driver: &str) -> PathBuf {
        self.bus_dir.join("drivers").join(driver)
    }

    /// The driver bound now, if any.
    pub fn bound(&self) -> Option<String> {
        let link = fs::read_link(self.dir().join("driver")).ok()?;
        Some(link.file_name()?.to_string_lossy().into_owned())
    }
}

/// A module the target names.
#[derive(Debug)]
pub struct Module {
    /// Its name.
    pub name: String,
    /// Its name as `delete_module` takes it.
    pub cname: CString,
    /// Its `.ko` file.
    pub path: Option<PathBuf>,
    /// Parameters for `finit_module`.
    pub params: CString,
    /// Loaded before the run.
    pub load: bool,
    /// Must unload after it.
    pub unload: bool,
    /// Wait before that unload.
    pub unload_wait: Duration,
}

impl Module {
    /// Whether it is loaded now.
    pub fn loaded(&self) -> bool {
        Path::new("/sys/module").join(&self.name).exists()
    }
}

/// A device node.
#[derive(Debug)]
pub struct Devnode {
    /// The target's name for it.
    pub id: String,
    /// Its path.
    pub path: PathBuf,
    /// Index of its device, if it comes and goes with the device's binding.
    pub device: Option<usize>,
    /// Bytes read per use.
    pub read: usize,
    /// Bytes written per use.
    pub write: Option<Vec<u8>>,
    /// ioctl commands per use.
    pub ioctl: Vec<u64>,
    /// Keep the file open between uses, until one fails.
    pub hold: bool,
    /// The errno of a read while its device is unbound, for a node that
    /// stays then; `None`: the node goes with the driver.
    pub unbound_errno: Option<i32>,
}

/// A value an override writer writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Value {
    /// The bytes of one `write()`.
    pub bytes: Vec<u8>,
    /// The errno the write must fail with; `None`: it must succeed.
    pub errno: Option<i32>,
}

impl Value {
    /// What `driver_override` shows after this write (without the
    /// newline): the bytes up to the first NUL, then up to the first
    /// newline, `(null)` when nothing is left. `None` for a refused write.
    pub fn shows(&self) -> Option<String> {
        if self.errno.is_some() {
            return None;
        }
        Some(shows(&self.bytes))
    }

    /// A short form for the report.
    pub fn label(&self) -> String {
        let text = String::from_utf8_lossy(&self.bytes);
        if text.len() > 24 {
            format!(
                "{}... ({} bytes)",
                text.escape_debug().to_string().get(..16).unwrap_or(""),
                self.bytes.len()
            )
        } else {
            format!("'{}'", text.escape_debug())
        }
    }
}

/// What `driver_override` shows after a successful write of `bytes`.
pub fn shows(bytes: &[u8]) -> String {
    let s = bytes.split(|b| *b == 0).next().unwrap_or(&[]);
    let s = s.split(|b| *b == b'\n').next().unwrap_or(&[]);
    if s.is_empty() {
        "(null)".into()
    } else {
        String::from_utf8_lossy(s).into_owned()
    }
}

/// An actor ready to run.
#[derive(Debug)]
pub struct Actor {
    /// Its name.
    pub name: String,
    /// What it does.
    pub kind: Kind,
    /// Threads running it.
    pub threads: usize,
    /// Errnos that are not failures.
    pub allowed: Vec<i32>,
    /// Index of its device.
    pub device: Option<usize>,
    /// Index of its module.
    pub module: Option<usize>,
    /// Index of its device node.
    pub devnode: Option<usize>,
    /// Values it writes (override-write).
    pub values: Vec<Value>,
    /// Pause after each operation.
    pub pause: Duration,
    /// bind: alternate unbind and bind instead of random operations.
    pub cycle: bool,
    /// qmp-replug: the `device_del` and `device_add` arguments.
    pub replug: Option<(String, String)>,
    /// Fault injection: the Nth slab allocation of an operation fails, N
    /// drawn from 1 to this.
    pub fail_nth: Option<u32>,
    /// write: the file.
    pub path: Option<PathBuf>,
    /// write: the device set whose names give the values.
    pub values_from: Option<usize>,
    /// Armed by `--fail-nth` rather than by the target: an operation whose
    /// fault was injected may fail with any errno (the target's `allowed`
    /// was written for a run without faults).
    pub excuse_faults: bool,
}

/// A target ready to run.
#[derive(Debug)]
pub struct Plan {
    /// Its name.
    pub name: String,
    /// Its devices.
    pub devices: Vec<Device>,
    /// Its modules.
    pub modules: Vec<Module>,
    /// Its device nodes.
    pub devnodes: Vec<Devnode>,
    /// Its actors.
    pub actors: Vec<Actor>,
}

/// Refuses, naming `what` asked for it, a kernel that cannot inject faults
/// per thread into slab allocations.
fn fault_injection_available(what: &str) -> Result<(), Refused> {
    if Path::new(crate::fault::FAIL_NTH).exists() && Path::new(crate::fault::FAILSLAB).is_dir() {
        return Ok(());
    }
    Err(Refused(format!(
        "{what}: the kernel has no {} or no {} (CONFIG_FAULT_INJECTION, CONFIG_FAILSLAB, \
         CONFIG_FAULT_INJECTION_DEBUG_FS, debugfs mounted)",
        crate::fault::FAIL_NTH,
        crate::fault::FAILSLAB
    )))
}

/// Arms fault injection (`--fail-nth max`) on every actor of `plan` that
/// the target runs without: each of their operations runs with its Nth
/// slab allocation failing, N from 1 to `max`, and an operation whose
/// fault was injected is excused whatever errno it fails with (what it
/// must not do is crash, leak or leave the device inconsistent: the
/// detectors and the invariants judge that). Actors with their own
/// `fail_nth` keep it and their `allowed`.
pub fn arm_faults(plan: &mut Plan, max: u32) -> Result<(), Refused> {
    if max == 0 {
        return Err(Refused("--fail-nth: must be at least 1".into()));
    }
    fault_injection_available("--fail-nth")?;
    for a in plan.actors.iter_mut().filter(|a| a.fail_nth.is_none()) {
        a.fail_nth = Some(max);
        a.excuse_faults = true;
    }
    Ok(())
}

fn cstring(what: &str, s: &str) -> Result<CString, Refused> {
    CString::new(s).map_err(|_| Refused(format!("{what}: contains a NUL byte")))
}

/// The modules of `t`, with their files checked: a module to load must have
/// a readable `.ko`, one not loaded by the engine must be loaded already.
pub fn modules(t: &Target) -> Result<Vec<Module>, Refused> {
    let needs_file = |name: &str| {
        t.actor
            .iter()
            .any(|a| a.kind == Kind::Module && a.module.as_deref() == Some(name))
    };
    t.module
        .iter()
        .map(|m| {
            let path = m.path.as_ref().map(PathBuf::from);
            if let Some(p) = &path {
                if !p.is_file() {
                    return Err(Refused(format!(
                        "unknown module {}: no file {}",
                        m.name,
                        p.display()
                    )));
                }
            } else if !m.load
                && !needs_file(&m.name)
                && !Path::new("/sys/module").join(&m.name).exists()
            {
                return Err(Refused(format!(
                    "unknown module {}: not loaded and no path given to load it",
                    m.name
                )));
            }
            Ok(Module {
                name: m.name.clone(),
                cname: cstring(&format!("module {}", m.name), &m.name)?,
                path,
                params: cstring(&format!("module {} params", m.name), &m.params)?,
                load: m.load,
                unload: m.unload,
                unload_wait: Duration::from_millis(m.unload_wait_ms),
            })
        })
        .collect()
}

/// What the `*` of `pattern` (one `*` standing for any text, or none)
/// matched in `name`, if `name` matches.
pub fn star_match<'n>(pattern: &str, name: &'n str) -> Option<&'n str> {
    let Some((prefix, suffix)) = pattern.split_once('*') else {
        return (pattern == name).then_some("");
    };
    if name.len() < prefix.len() + suffix.len() {
        return None;
    }
    name.strip_prefix(prefix)?.strip_suffix(suffix)
}

/// The one entry of `dir` whose name matches `pattern`, a path's last
/// component with one `*` standing for any text (`LNUXBEEF:*`,
/// `*:power-controller`).
fn glob_one(dir: &Path, pattern: &str, id: &str) -> Result<PathBuf, Refused> {
    let mut hits: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| Refused(format!("unknown device {id}: {}: {e}", dir.display())))?
        .filter_map(Result::ok)
        .filter(|e| star_match(pattern, &e.file_name().to_string_lossy()).is_some())
        .map(|e| e.path())
        .collect();
    hits.sort();
    match hits.len() {
        1 => Ok(hits.remove(0)),
        0 => Err(Refused(format!(
            "unknown device {id}: nothing matches {}/{pattern}",
            dir.display()
        ))),
        n => Err(Refused(format!(
            "device {id}: {n} devices match {}/{pattern}; name one",
            dir.display()
        ))),
    }
}

/// Every driver `d` names is registered on the bus at `bus_dir`.
fn known_drivers(d: &crate::target::DeviceSpec, bus_dir: &Path) -> Result<(), Refused> {
    match d
        .drivers
        .iter()
        .find(|drv| !bus_dir.join("drivers").join(drv).is_dir())
    {
        None => Ok(()),
        Some(drv) => Err(Refused(format!(
            "device {}: unknown driver '{drv}' (not in {}/drivers; is its module loaded?)",
            d.id,
            bus_dir.display()
        ))),
    }
}

/// A device set (`many`): its bus and drivers checked; it may be empty now.
fn device_set(d: &crate::target::DeviceSpec) -> Result<Device, Refused> {
    let path = Path::new(d.path.as_deref().expect("checked: a set has a path"));
    let pattern = path
        .file_name()
        .map_or(String::new(), |b| b.to_string_lossy().into_owned());
    let bus_dir = path
        .parent()
        .and_then(Path::parent)
        .expect("checked: /sys/bus/BUS/devices/PATTERN")
        .to_path_buf();
    if !bus_dir.join("drivers").is_dir() || !bus_dir.join("devices").is_dir() {
        return Err(Refused(format!(
            "device {}: {} is not a bus with devices and drivers",
            d.id,
            bus_dir.display()
        )));
    }
    known_drivers(d, &bus_dir)?;
    let bus = bus_dir
        .file_name()
        .map_or(String::new(), |b| b.to_string_lossy().into_owned());
    Ok(Device {
        id: d.id.clone(),
        name: pattern.clone(),
        pci: bus == "pci",
        bus_dir,
        drivers: d.drivers.clone(),
        default: d.default.clone(),
        pattern: Some(pattern),
    })
}

/// A write actor's file: it must exist now, and lie under /sys once its
/// links are followed.
fn write_path(actor: &str, p: &str) -> Result<PathBuf, Refused> {
    let real = fs::canonicalize(p).map_err(|e| Refused(format!("actor {actor}: path {p}: {e}")))?;
    if !real.starts_with("/sys/") || !real.is_file() {
        return Err(Refused(format!(
            "actor {actor}: path {p} is not a file under /sys ({})",
            real.display()
        )));
    }
    Ok(PathBuf::from(p))
}

fn read_hex(path: &Path) -> Option<u16> {
    let s = fs::read_to_string(path).ok()?;
    u16::from_str_radix(s.trim().trim_start_matches("0x"), 16).ok()
}

fn find_pci(id: &str, vendor: u16, device: u16) -> Result<PathBuf, Refused> {
    let dir = Path::new("/sys/bus/pci/devices");
    let mut hits: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| Refused(format!("unknown device {id}: /sys/bus/pci/devices: {e}")))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            read_hex(&p.join("vendor")) == Some(vendor)
                && read_hex(&p.join("device")) == Some(device)
        })
        .collect();
    hits.sort();
    match hits.len() {
        1 => Ok(hits.remove(0)),
        0 => Err(Refused(format!(
            "unknown device {id}: no PCI device {vendor:04x}:{device:04x}"
        ))),
        n => Err(Refused(format!(
            "device {id}: {n} PCI devices are {vendor:04x}:{device:04x}; give its path"
        ))),
    }
}

/// The devices, device nodes and actors of `t`, checked against sysfs (after
/// the modules that provide the drivers are loaded).
pub fn plan(t: &Target, file_name: &str, modules: Vec<Module>) -> Result<Plan, Refused> {
    let mut devices = Vec::new();
    for d in &t.device {
        if d.many {
            devices.push(device_set(d)?);
            continue;
        }
        let found = match (&d.path, &d.pci) {
            (Some(p), _) => {
                let path = Path::new(p);
                let base = path
                    .file_name()
                    .map_or(String::new(), |b| b.to_string_lossy().into_owned());
                if base.contains('*') {
                    let dir = path.parent().unwrap_or(Path::new("/sys"));
                    glob_one(dir, &base, &d.id)?
                } else {
                    PathBuf::from(p)
                }
            }
            (None, Some(id)) => {
                let (v, dv) = parse_pci_id(id)
                    .ok_or_else(|| Refused(format!("device {}: bad pci id", d.id)))?;
                find_pci(&d.id, v, dv)?
            }
            (None, None) => return Err(Refused(format!("device {}: no path or pci", d.id))),
        };
        let real = fs::canonicalize(&found)
            .map_err(|e| Refused(format!("unknown device {}: {}: {e}", d.id, found.display())))?;
        if !real.starts_with("/sys/devices/") {
            return Err(Refused(format!(
                "device {}: {} is outside sysfs's devices ({})",
                d.id,
                found.display(),
                real.display()
            )));
        }
        let subsystem = fs::canonicalize(real.join("subsystem")).map_err(|_| {
            Refused(format!(
                "device {}: {} is not a device (no subsystem link)",
                d.id,
                real.display()
            ))
        })?;
        let bus = subsystem
            .file_name()
            .map_or(String::new(), |b| b.to_string_lossy().into_owned());
        let bus_dir = Path::new("/sys/bus").join(&bus);
        if !bus_dir.join("drivers").is_dir() {
            return Err(Refused(format!(
                "device {}: {} is a {bus} device, not on a bus with drivers",
                d.id,
                real.display()
            )));
        }
        let name = real
            .file_name()
            .map_or(String::new(), |b| b.to_string_lossy().into_owned());
        known_drivers(d, &bus_dir)?;
        devices.push(Device {
            id: d.id.clone(),
            name,
            pci: bus == "pci",
            bus_dir,
            drivers: d.drivers.clone(),
            default: d.default.clone(),
            pattern: None,
        });
    }
    let dev_index = |id: &str| devices.iter().position(|d| d.id == id);
    let mut devnodes = Vec::new();
    for n in &t.devnode {
        devnodes.push(Devnode {
            id: n.id.clone(),
            path: PathBuf::from(&n.path),
            device: match &n.device {
                Some(d) => Some(
                    dev_index(d)
                        .ok_or_else(|| Refused(format!("devnode {}: unknown device", n.id)))?,
                ),
                None => None,
            },
            read: n.read,
            write: n.write.as_ref().map(|w| w.as_bytes().to_vec()),
            ioctl: n.ioctl.clone(),
            hold: n.hold,
            unbound_errno: n.unbound_errno.as_deref().and_then(errno::parse),
        });
    }
    let names = crate::target::actor_names(t);
    let mut actors = Vec::new();
    for (a, name) in t.actor.iter().zip(names) {
        let allowed: Vec<i32> = match &a.allowed {
            Some(list) => list.iter().filter_map(|e| errno::parse(e)).collect(),
            None => a
                .kind
                .default_allowed()
                .iter()
                .filter_map(|e| errno::parse(e))
                .collect(),
        };
        let device = a.device.as_deref().and_then(dev_index);
        let mut allowed = allowed;
        // A set's device can go between its pick and the operation.
        let on_set =
            device.is_some_and(|i| devices[i].pattern.is_some()) || a.values_from.is_some();
        if on_set && !allowed.contains(&libc::ENOENT) {
            allowed.push(libc::ENOENT);
        }
        let path = match (a.kind, &a.path) {
            (Kind::Write, Some(p)) => Some(write_path(&name, p)?),
            _ => None,
        };
        if a.kind == Kind::PciRescan && device.is_some_and(|i| !devices[i].pci) {
            return Err(Refused(format!(
                "actor {name}: pci-rescan on a device that is not PCI"
            )));
        }
        if matches!(a.kind, Kind::OverrideWrite | Kind::OverrideRead) {
            if let Some(i) = device {
                let f = devices[i].dir().join("driver_override");
                if !f.exists() {
                    return Err(Refused(format!(
                        "actor {name}: device {} has no driver_override ({})",
                        devices[i].id,
                        f.display()
                    )));
                }
            }
        }
        let values = a
            .values
            .iter()
            .map(|v| match v {
                ValueSpec::Text(s) => Value {
                    bytes: s.as_bytes().to_vec(),
                    errno: None,
                },
                ValueSpec::Filled(crate::target::Filled {
                    fill,
                    len,
                    errno: e,
                }) => Value {
                    bytes: fill.as_bytes().iter().copied().cycle().take(*len).collect(),
                    errno: e.as_deref().and_then(errno::parse),
                },
            })
            .collect();
        actors.push(Actor {
            name,
            kind: a.kind,
            threads: a.threads,
            allowed,
            device,
            module: a
                .module
                .as_deref()
                .and_then(|m| modules.iter().position(|x| x.name == m)),
            devnode: a
                .devnode
                .as_deref()
                .and_then(|n| devnodes.iter().position(|x| x.id == n)),
            values,
            pause: Duration::from_micros(a.pause_us),
            cycle: a.mode.as_deref() == Some("cycle"),
            replug: a.unplug.clone().zip(a.plug.clone()),
            fail_nth: a.fail_nth,
            excuse_faults: false,
            path,
            values_from: a.values_from.as_deref().and_then(dev_index),
        });
    }
    if actors.iter().any(|a| a.fail_nth.is_some()) {
        fault_injection_available("fail_nth")?;
    }
    Ok(Plan {
        name: t.name.clone().unwrap_or_else(|| file_name.to_string()),
        devices,
        modules,
        devnodes,
        actors,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_driver_override_shows() {
        assert_eq!(shows(b"alpha"), "alpha");
        assert_eq!(shows(b"alpha\n"), "alpha");
        assert_eq!(shows(b"alpha\nbeta"), "alpha");
        assert_eq!(shows(b"al\0pha"), "al");
        assert_eq!(shows(b"\n"), "(null)");
        assert_eq!(shows(b"\0"), "(null)");
        let refused = Value {
            bytes: vec![b'x'; 4095],
            errno: Some(libc::EINVAL),
        };
        assert_eq!(refused.shows(), None);
        assert_eq!(refused.label(), "xxxxxxxxxxxxxxxx... (4095 bytes)");
    }

    // These resolve against the real sysfs of the machine the tests run on.
    fn target(text: &str) -> Target {
        crate::target::parse(text).unwrap()
    }

    #[test]
    fn unknown_pci_device_is_refused() {
        let t = target("[[device]]\nid = \"d\"\npci = \"ffff:fffe\"\ndrivers = [\"x\"]\n[[actor]]\nkind = \"bind\"\ndevice = \"d\"\n");
        let e = plan(&t, "f", Vec::new()).unwrap_err();
        assert!(e.0.contains("no PCI device ffff:fffe"), "{e}");
    }

    #[test]
    fn missing_path_is_refused() {
        let t = target("[[device]]\nid = \"d\"\npath = \"/sys/devices/drvtorture-none\"\ndrivers = [\"x\"]\n[[actor]]\nkind = \"bind\"\ndevice = \"d\"\n");
        assert!(plan(&t, "f", Vec::new())
            .unwrap_err()
            .0
            .contains("unknown device d"));
        let t = target("[[device]]\nid = \"d\"\npath = \"/sys/devices/drvtorture-none*\"\ndrivers = [\"x\"]\n[[actor]]\nkind = \"bind\"\ndevice = \"d\"\n");
        assert!(plan(&t, "f", Vec::new())
            .unwrap_err()
            .0
            .contains("nothing matches"));
    }

    #[test]
    fn glob_matches_a_star_anywhere_in_the_last_component() {
        let dir = std::env::temp_dir().join(format!("drvtorture-glob-{}", std::process::id()));
        for n in [
            "pci@0,0:dev@3,0:consumer-a",
            "pci@0,0:dev@3,0:consumer-ab",
            "LNUXBEEF:00",
        ] {
            fs::create_dir_all(dir.join(n)).unwrap();
        }
        let found =
            |pattern: &str| glob_one(&dir, pattern, "d").map(|p| p.file_name().unwrap().to_owned());
        assert_eq!(found("*:consumer-a").unwrap(), "pci@0,0:dev@3,0:consumer-a");
        assert_eq!(found("LNUXBEEF:*").unwrap(), "LNUXBEEF:00");
        assert!(found("*consumer-a*").is_err());
        assert!(found("pci@*").unwrap_err().0.contains("2 devices match"));
        assert!(found("*:consumer-z")
            .unwrap_err()
            .0
            .contains("nothing matches"));
        // The prefix and the suffix must not overlap.
        assert!(found("LNUXBEEF:*:00").is_err());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn sysfs_dir_that_is_no_device_is_refused() {
        // /sys/kernel is in sysfs but not under /sys/devices.
        let t = target("[[device]]\nid = \"d\"\npath = \"/sys/kernel\"\ndrivers = [\"x\"]\n[[actor]]\nkind = \"bind\"\ndevice = \"d\"\n");
        assert!(plan(&t, "f", Vec::new())
            .unwrap_err()
            .0
            .contains("outside sysfs's devices"));
    }

    #[test]
    fn missing_module_file_is_refused() {
        let t = target("[[module]]\nname = \"m\"\npath = \"/nonexistent/m.ko\"\nload = true\n[[actor]]\nkind = \"module\"\nmodule = \"m\"\n");
        assert!(modules(&t)
            .unwrap_err()
            .0
            .contains("unknown module m: no file"));
        let t = target("[[module]]\nname = \"drvtorture_none\"\n[[device]]\nid = \"d\"\npci = \"1b36:0005\"\ndrivers = [\"x\"]\n[[actor]]\nkind = \"bind\"\ndevice = \"d\"\n");
        assert!(modules(&t)
            .unwrap_err()
            .0
            .contains("not loaded and no path"));
    }

    #[test]
    fn star_patterns() {
        assert_eq!(
            star_match("drvlife-pd-consumer.*", "drvlife-pd-consumer.12"),
            Some("12")
        );
        assert_eq!(
            star_match("*:power-controller", "abc:power-controller"),
            Some("abc")
        );
        assert_eq!(star_match("a*a", "a"), None);
        assert_eq!(star_match("plain", "plain"), Some(""));
        assert_eq!(star_match("plain", "plainer"), None);
    }

    #[test]
    fn a_write_path_must_be_a_file_under_sys() {
        assert!(write_path("w", "/sys/kernel/drvtorture-none")
            .unwrap_err()
            .0
            .contains("drvtorture-none"));
        assert!(write_path("w", "/sys/kernel")
            .unwrap_err()
            .0
            .contains("not a file under /sys"));
    }
}
