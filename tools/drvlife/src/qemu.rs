//! Boots the guest in QEMU and watches it.
//!
//! The kernel console goes to `console.log` (first serial port), the
//! runner's KTAP to `ktap.log` (second serial port); the guest reports its
//! status through `isa-debug-exit`, which makes QEMU exit with
//! `(status << 1) | 1`. A guest that outlives the timeout is killed.
//!
//! KVM is used only when it really works: `/dev/kvm` can exist while a guest
//! under it hangs silently after the firmware, so under KVM the kernel must
//! print its banner within the probe time, else QEMU is killed and the run
//! starts over with TCG. A failed probe is remembered in a cache file (keyed by the CPU
//! flags and the QEMU binary) so later runs go straight to TCG.

use crate::report::GuestEnd;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Which accelerator to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccelChoice {
    /// KVM when the functional probe succeeds, else TCG.
    Auto,
    /// KVM or fail.
    Kvm,
    /// TCG only.
    Tcg,
}

/// How to boot.
#[derive(Clone, Debug)]
pub struct Config {
    /// `qemu-system-x86_64`.
    pub qemu: PathBuf,
    /// bzImage.
    pub kernel: PathBuf,
    /// initramfs.
    pub initrd: PathBuf,
    /// Kernel command line.
    pub append: String,
    /// Extra QEMU arguments (devices, memory, CPUs).
    pub machine_args: Vec<String>,
    /// Where logs go.
    pub out_dir: PathBuf,
    /// Kill the guest after this long.
    pub timeout: Duration,
    /// Accelerator choice.
    pub accel: AccelChoice,
    /// KVM must produce console output within this time.
    pub probe_timeout: Duration,
    /// Where a failed KVM probe is remembered.
    pub probe_cache: Option<PathBuf>,
    /// Where the guest's second serial port (runner KTAP, shell, command
    /// output) goes.
    pub terminal: Terminal,
    /// Seconds past a test's timeout before a stalled guest is stopped
    /// (`None`: no stall watch).
    pub stall_grace: Option<Duration>,
    /// Per-test timeouts (`suite: name` -> seconds) for the stall watch.
    pub test_timeouts: std::collections::HashMap<String, u64>,
}

/// Where the guest's second serial port goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Terminal {
    /// To `ktap.log` only.
    File,
    /// To `ktap.log`, and copied to standard output as it grows.
    FileAndStdout,
    /// To this terminal, both ways (an interactive shell).
    Interactive,
}

/// What happened.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// How the guest ended.
    pub end: GuestEnd,
    /// Accelerator used, and why.
    pub accel: String,
    /// From QEMU start to the first KTAP byte.
    pub first_ktap: Option<Duration>,
    /// From QEMU start to its end.
    pub duration: Duration,
    /// Console log.
    pub console: PathBuf,
    /// KTAP log.
    pub ktap: PathBuf,
}

fn file_len(p: &Path) -> u64 {
    fs::metadata(p).map(|m| m.len()).unwrap_or(0)
}

/// The kernel itself (not just the firmware) printed on the console.
fn kernel_spoke(console: &Path) -> bool {
    fs::read(console).is_ok_and(|c| c.windows(14).any(|w| w == b"Linux version "))
}

/// QEMU said KVM cannot run this guest.
fn kvm_failed(out_dir: &Path) -> bool {
    fs::read_to_string(out_dir.join("qemu.log")).is_ok_and(|l| l.contains("KVM internal error"))
}

/// Key of this machine for the probe cache: CPU flags + QEMU binary.
fn probe_key(qemu: &Path) -> String {
    let flags = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("flags"))
                .map(str::to_string)
        })
        .unwrap_or_default();
    let qemu_meta = fs::metadata(qemu)
        .ok()
        .and_then(|m| m.modified().ok())
        .map(|t| format!("{t:?}"))
        .unwrap_or_default();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in flags.bytes().chain(qemu_meta.bytes()) {
        h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
    }
    format!("{h:016x}")
}

fn kvm_usable() -> Result<(), String> {
    fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/kvm")
        .map(|_| ())
        .map_err(|e| format!("/dev/kvm: {e}"))
}

enum Attempt {
    Finished(Outcome),
    ProbeFailed,
}

/// QEMU's QMP socket: in the temporary directory, not the output directory,
/// because a Unix socket path is limited to 107 bytes and clones can live
/// deep in the file system.
fn qmp_socket() -> PathBuf {
    std::env::temp_dir().join(format!("drvlife-qmp-{}.sock", std::process::id()))
}

/// Quotes one argument for a POSIX shell when it needs it.
fn shell_quote(a: &str) -> String {
    if !a.is_empty()
        && a.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_=.,/:@+%".contains(c))
    {
        a.to_string()
    } else {
        format!("'{}'", a.replace('\'', "'\\''"))
    }
}

/// The QEMU command as one shell line.
pub fn command_line(cmd: &Command) -> String {
    std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|a| shell_quote(&a.to_string_lossy()))
        .collect::<Vec<_>>()
        .join(" ")
}

fn spawn(cfg: &Config, kvm: bool, console: &Path, ktap: &Path) -> std::io::Result<Child> {
    let _ = fs::remove_file(console);
    let _ = fs::remove_file(ktap);
    let log = fs::File::create(cfg.out_dir.join("qemu.log"))?;
    let mut cmd = Command::new(&cfg.qemu);
    cmd.args([
        "-machine",
        "q35",
        "-nographic",
        "-no-reboot",
        "-display",
        "none",
        "-monitor",
        "none",
    ]);
    if kvm {
        cmd.args(["-accel", "kvm", "-cpu", "host"]);
    } else {
        // No 5-level paging: while the boot CPU is identified, its feature
        // bits are cleared for a moment, so `pgtable_l5_enabled()` reads
        // false and KASAN, in an interrupt that lands then, computes its
        // shadow for 4-level paging and reports every access to the direct
        // map as wild, over and over: the guest never boots (7.3, seen on
        // 1 boot in 3 under TCG's `max`, which has LA57).
        cmd.args(["-accel", "tcg,thread=multi", "-cpu", "max,la57=off"]);
    }
    cmd.arg("-kernel")
        .arg(&cfg.kernel)
        .arg("-initrd")
        .arg(&cfg.initrd);
    cmd.arg("-append").arg(&cfg.append);
    cmd.arg("-serial")
        .arg(format!("file:{}", console.display()));
    if cfg.terminal == Terminal::Interactive {
        // signal=off: Ctrl-C reaches the guest's shell, not QEMU.
        cmd.args(["-chardev", "stdio,id=drvlife_term,signal=off"]);
        cmd.args(["-serial", "chardev:drvlife_term"]);
    } else {
        cmd.arg("-serial").arg(format!("file:{}", ktap.display()));
    }
    cmd.args(["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]);
    // Hot-plug requests of the guest tests (see `qmp`).
    let socket = qmp_socket();
    let _ = fs::remove_file(&socket);
    cmd.arg("-qmp")
        .arg(format!("unix:{},server=on,wait=off", socket.display()));
    cmd.args(&cfg.machine_args);
    // Printed and saved so that a boot can be rerun by hand.
    let line = command_line(&cmd);
    fs::write(cfg.out_dir.join("qemu-cmdline.sh"), format!("{line}\n"))?;
    eprintln!("drvlife: {line}");
    if cfg.terminal == Terminal::Interactive {
        cmd.stdin(Stdio::inherit()).stdout(Stdio::inherit());
    } else {
        cmd.stdin(Stdio::null()).stdout(log.try_clone()?);
    }
    cmd.stderr(log);
    cmd.spawn()
}

/// One boot; the QMP socket is removed when it ends.
fn attempt(cfg: &Config, kvm: bool, accel_note: &str) -> Result<Attempt, String> {
    let result = boot(cfg, kvm, accel_note);
    let _ = fs::remove_file(qmp_socket());
    result
}

fn boot(cfg: &Config, kvm: bool, accel_note: &str) -> Result<Attempt, String> {
    let console = cfg.out_dir.join("console.log");
    let ktap = cfg.out_dir.join("ktap.log");
    let start = Instant::now();
    let mut child = spawn(cfg, kvm, &console, &ktap)
        .map_err(|e| format!("cannot start {}: {e}", cfg.qemu.display()))?;
    let mut first_ktap = None;
    let mut console_seen = false;
    let mut qmp = crate::qmp::Forwarder::new(qmp_socket(), cfg.out_dir.join("qmp.log"));
    let mut watch = cfg
        .stall_grace
        .map(|g| crate::stall::Watch::new(cfg.test_timeouts.clone(), g));
    let mut streamed = 0;
    let mut last_watch = Instant::now();
    loop {
        qmp.poll(&ktap);
        if cfg.terminal == Terminal::FileAndStdout {
            streamed = stream_to_stdout(&ktap, streamed);
        }
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            if first_ktap.is_none() && file_len(&ktap) > 0 {
                first_ktap = Some(start.elapsed());
            }
            if cfg.terminal == Terminal::FileAndStdout {
                stream_to_stdout(&ktap, streamed);
            }
            let code = status.code().unwrap_or(-1);
            let end = if code & 1 == 1 && code > 0 {
                GuestEnd::Reported(((code >> 1) & 0xff) as u8)
            } else {
                GuestEnd::NoReport(code)
            };
            if !kvm || console_seen || kernel_spoke(&console) {
                return Ok(Attempt::Finished(Outcome {
                    end,
                    accel: accel_note.to_string(),
                    first_ktap,
                    duration: start.elapsed(),
                    console,
                    ktap,
                }));
            }
            // QEMU under KVM exited before the guest printed anything.
            return Ok(Attempt::ProbeFailed);
        }
        let elapsed = start.elapsed();
        if kvm && !console_seen {
            console_seen = kernel_spoke(&console);
        }
        if first_ktap.is_none() && file_len(&ktap) > 0 {
            first_ktap = Some(elapsed);
        }
        if kvm && !console_seen && (elapsed > cfg.probe_timeout || kvm_failed(&cfg.out_dir)) {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(Attempt::ProbeFailed);
        }
        if let Some(w) = watch
            .as_mut()
            .filter(|_| last_watch.elapsed() > Duration::from_secs(1))
        {
            last_watch = Instant::now();
            if let Some(test) = w.poll_file(&console) {
                eprintln!("drvlife: {test} is stalled; asking the kernel for its tasks (SysRq)");
                let dump = crate::stall::dump(&mut qmp, &console);
                let _ = child.kill();
                let _ = child.wait();
                return Ok(Attempt::Finished(Outcome {
                    end: GuestEnd::Stalled { test, dump },
                    accel: accel_note.to_string(),
                    first_ktap,
                    duration: start.elapsed(),
                    console,
                    ktap,
                }));
            }
        }
        if elapsed > cfg.timeout {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(Attempt::Finished(Outcome {
                end: GuestEnd::TimedOut(cfg.timeout.as_secs()),
                accel: accel_note.to_string(),
                first_ktap,
                duration: start.elapsed(),
                console,
                ktap,
            }));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Copies what `file` gained since byte `from` to standard output; returns
/// the new length.
fn stream_to_stdout(file: &Path, from: usize) -> usize {
    use std::io::{Read, Seek, SeekFrom};
    let Ok(mut f) = fs::File::open(file) else {
        return from;
    };
    let mut new = Vec::new();
    if f.seek(SeekFrom::Start(from as u64)).is_err() || f.read_to_end(&mut new).is_err() {
        return from;
    }
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(&new);
    let _ = out.flush();
    from + new.len()
}

/// Boots the guest once and waits for it to end.
pub fn run(cfg: &Config) -> Result<Outcome, String> {
    fs::create_dir_all(&cfg.out_dir).map_err(|e| format!("{}: {e}", cfg.out_dir.display()))?;
    let key = probe_key(&cfg.qemu);
    let cached_failure = cfg
        .probe_cache
        .as_ref()
        .and_then(|p| fs::read_to_string(p).ok())
        .is_some_and(|c| c.trim() == format!("{key} kvm-broken"));

    let tcg_reason = match cfg.accel {
        AccelChoice::Tcg => Some("tcg (requested)".to_string()),
        AccelChoice::Kvm => {
            kvm_usable()?;
            None
        }
        AccelChoice::Auto => match kvm_usable() {
            Err(e) => Some(format!("tcg ({e})")),
            Ok(()) if cached_failure => {
                Some("tcg (kvm failed its boot probe earlier on this machine)".to_string())
            }
            Ok(()) => None,
        },
    };
    if let Some(reason) = tcg_reason {
        return match attempt(cfg, false, &reason)? {
            Attempt::Finished(o) => Ok(o),
            Attempt::ProbeFailed => unreachable!("TCG is never probed"),
        };
    }
    match attempt(cfg, true, "kvm (boot probe passed)")? {
        Attempt::Finished(o) => Ok(o),
        Attempt::ProbeFailed if cfg.accel == AccelChoice::Kvm => Err(format!(
            "kvm requested, but the kernel printed nothing within {} s",
            cfg.probe_timeout.as_secs()
        )),
        Attempt::ProbeFailed => {
            if let Some(p) = &cfg.probe_cache {
                let _ = fs::write(p, format!("{key} kvm-broken\n"));
            }
            let note = format!(
                "tcg (kvm boot probe: no kernel banner within {} s)",
                cfg.probe_timeout.as_secs()
            );
            eprintln!("drvlife: {note}; restarting under TCG");
            match attempt(cfg, false, &note)? {
                Attempt::Finished(o) => Ok(o),
                Attempt::ProbeFailed => unreachable!("TCG is never probed"),
            }
        }
    }
}
