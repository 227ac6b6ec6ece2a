//! Finds kernel splats in the guest's console log and tells which test was
//! running when each appeared.
//!
//! The guest runner writes `drvlife: test N start: SUITE: NAME` and
//! `drvlife: test N end: ...` into the kernel log; since the markers and the
//! kernel's own messages share one ring buffer, their order on the console is
//! the order in which they happened.
//!
//! Besides the detectors' reports, two more kinds of complaint count: a
//! KUnit case that KUnit prints `not ok` on the console (a module's suites
//! at insmod, the built-in ones at boot), and a stack dump (`Call Trace:`)
//! that is not part of a report, such as sysfs's "cannot create duplicate
//! filename" or a bare `dump_stack()`: its reason is the line printed
//! before it. A short allow-list ([`INFORMATIONAL_DUMPS`]) names the dumps
//! that are informational by design.

use crate::ktap::KunitFollower;
use std::fmt;

/// What kind of bug detector (or crash) produced a splat.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// KASAN report.
    Kasan,
    /// Lockdep (and RCU lockdep) report.
    Lockdep,
    /// Sleeping in atomic context (DEBUG_ATOMIC_SLEEP).
    SleepInAtomic,
    /// Oops, page fault, general protection fault.
    Oops,
    /// `BUG:` / `kernel BUG at`.
    Bug,
    /// `WARNING:` (WARN_ON and friends).
    Warning,
    /// Hung task detector.
    HungTask,
    /// kmemleak report.
    Kmemleak,
    /// refcount_t saturation / underflow.
    Refcount,
    /// UBSAN report.
    Ubsan,
    /// A Rust panic.
    RustPanic,
    /// Kernel panic.
    Panic,
    /// RCU stall.
    RcuStall,
    /// Debug objects report.
    DebugObjects,
    /// List corruption.
    ListCorruption,
    /// A KUnit case that failed.
    Kunit,
    /// A stack dump outside any other report.
    StackDump,
}

impl Kind {
    /// Every kind, for checking names read from files.
    pub const ALL: [Kind; 17] = [
        Kind::Kasan,
        Kind::Lockdep,
        Kind::SleepInAtomic,
        Kind::Oops,
        Kind::Bug,
        Kind::Warning,
        Kind::HungTask,
        Kind::Kmemleak,
        Kind::Refcount,
        Kind::Ubsan,
        Kind::RustPanic,
        Kind::Panic,
        Kind::RcuStall,
        Kind::DebugObjects,
        Kind::ListCorruption,
        Kind::Kunit,
        Kind::StackDump,
    ];

    /// Name used in reports and in `expected` files.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Kasan => "KASAN",
            Kind::Lockdep => "lockdep",
            Kind::SleepInAtomic => "sleep-in-atomic",
            Kind::Oops => "Oops",
            Kind::Bug => "BUG",
            Kind::Warning => "WARNING",
            Kind::HungTask => "hung-task",
            Kind::Kmemleak => "kmemleak",
            Kind::Refcount => "refcount",
            Kind::Ubsan => "UBSAN",
            Kind::RustPanic => "rust-panic",
            Kind::Panic => "panic",
            Kind::RcuStall => "rcu-stall",
            Kind::DebugObjects => "debugobjects",
            Kind::ListCorruption => "list-corruption",
            Kind::Kunit => "KUnit",
            Kind::StackDump => "stack-dump",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Classifies one console message (timestamp already removed).
pub fn classify(msg: &str) -> Option<Kind> {
    // Our own markers never start a splat.
    if msg.starts_with("drvlife: ") {
        return None;
    }
    const LOCKDEP: &[&str] = &[
        "possible circular locking dependency",
        "possible recursive locking detected",
        "inconsistent lock state",
        "suspicious RCU usage",
        "bad unlock balance detected",
        "held lock freed",
        "lock held when returning to user space",
        "possible irq lock inversion dependency",
        "lock held at task exit time",
        "bad contention detected",
        "Nested lock was not taken",
        "looking up invalid subclass",
    ];
    let kind = if msg.contains("BUG: KASAN:") {
        Kind::Kasan
    } else if msg.starts_with("Kernel panic - not syncing") {
        Kind::Panic
    } else if msg.contains("panicked at ") && msg.contains("rust")
        || msg.starts_with("panicked at ")
    {
        Kind::RustPanic
    } else if (msg.starts_with("WARNING: ")
        || msg.starts_with("BUG: ")
        || msg.starts_with("INFO: "))
        && LOCKDEP.iter().any(|p| msg.contains(p))
    {
        Kind::Lockdep
    } else if msg.starts_with("BUG: sleeping function called from invalid context")
        || msg.starts_with("BUG: scheduling while atomic")
        || msg.starts_with("BUG: workqueue leaked")
    {
        Kind::SleepInAtomic
    } else if msg.starts_with("Oops: ")
        || msg.starts_with("BUG: unable to handle page fault")
        || msg.starts_with("BUG: kernel NULL pointer dereference")
        || msg.starts_with("general protection fault")
        || msg.starts_with("Oops - ")
    {
        Kind::Oops
    } else if msg.starts_with("INFO: task ") && msg.contains("blocked for more than") {
        Kind::HungTask
    } else if msg.starts_with("unreferenced object 0x")
        || msg.starts_with("kmemleak-report: ")
        || (msg.starts_with("kmemleak: ") && msg.contains("suspected memory leak"))
    {
        Kind::Kmemleak
    } else if msg.starts_with("refcount_t: ") {
        Kind::Refcount
    } else if msg.starts_with("UBSAN: ") {
        Kind::Ubsan
    } else if msg.contains("rcu: INFO: ") && msg.contains("stall")
        || msg.starts_with("INFO: rcu_") && msg.contains("stall")
    {
        Kind::RcuStall
    } else if msg.starts_with("ODEBUG: ") {
        Kind::DebugObjects
    } else if msg.starts_with("list_add corruption") || msg.starts_with("list_del corruption") {
        Kind::ListCorruption
    } else if msg.starts_with("kernel BUG at ") || msg.starts_with("BUG: ") {
        Kind::Bug
    } else if msg.starts_with("WARNING: ") {
        Kind::Warning
    } else {
        return None;
    };
    Some(kind)
}

/// Splits `[   12.345678] message` into time and message.
pub fn split_timestamp(line: &str) -> (Option<f64>, &str) {
    let line = line.trim_end_matches('\r');
    if let Some(rest) = line.strip_prefix('[') {
        if let Some((ts, msg)) = rest.split_once(']') {
            if let Ok(t) = ts.trim().parse::<f64>() {
                return (Some(t), msg.strip_prefix(' ').unwrap_or(msg));
            }
        }
    }
    (None, line)
}

/// Where in the run a console line was printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Before the first test started.
    Boot,
    /// While test number N (`suite: name`) ran.
    Test(u32, String),
    /// After test N ended, outside the kmemleak scan that follows it.
    After(u32, String),
    /// During a kmemleak scan of the runner after test N: a splat printed
    /// then is blamed on test N, except a kmemleak object with its
    /// allocation time, blamed on the test that allocated it.
    LeakScan(u32, String),
}

impl Phase {
    /// The test a splat printed in this phase is blamed on, if any.
    pub fn blamed_test(&self) -> Option<&str> {
        match self {
            Phase::Test(_, id) | Phase::LeakScan(_, id) => Some(id),
            Phase::Boot | Phase::After(..) => None,
        }
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Phase::Boot => f.write_str("boot, before any test"),
            Phase::Test(n, id) => write!(f, "test {n} ({id})"),
            Phase::After(n, id) => write!(f, "after test {n} ({id})"),
            Phase::LeakScan(n, id) => write!(f, "kmemleak scan after test {n} ({id})"),
        }
    }
}

/// One splat found in the console log.
#[derive(Clone, Debug, PartialEq)]
pub struct Splat {
    /// Detectors that spoke, first one first (a Rust panic is followed by an
    /// Oops, a refcount report by a WARNING, ...).
    pub kinds: Vec<Kind>,
    /// Kernel timestamp of the first line.
    pub time: Option<f64>,
    /// 1-based line number in the console log.
    pub line: usize,
    /// The first line, without timestamp.
    pub headline: String,
    /// The report, without timestamps.
    pub excerpt: Vec<String>,
    /// What was running.
    pub phase: Phase,
}

/// Longest excerpt kept per splat.
const MAX_EXCERPT: usize = 150;

fn is_end_of_report(msg: &str) -> bool {
    msg.starts_with("---[ end trace") || msg.starts_with("---[ end Kernel panic")
}

/// The phase a runner marker line starts (`drvlife: test N start: ...`).
pub fn parse_marker(msg: &str) -> Option<Phase> {
    let rest = msg.strip_prefix("drvlife: test ")?;
    let (num, rest) = rest.split_once(' ')?;
    let num: u32 = num.parse().ok()?;
    if let Some(id) = rest.strip_prefix("start: ") {
        return Some(Phase::Test(num, id.trim().to_string()));
    }
    if let Some(id) = rest.strip_prefix("kmemleak scan: ") {
        return Some(Phase::LeakScan(num, id.trim().to_string()));
    }
    let id = rest.strip_prefix("end: ")?;
    // "end: suite: name: rc=N"
    let id = id.rsplit_once(": rc=").map_or(id, |(id, _)| id);
    Some(Phase::After(num, id.trim().to_string()))
}

/// The kernel's jiffies when test N started, as the runner writes it
/// (`drvlife: test N jiffies: J`): the clock of kmemleak's allocation times.
pub fn parse_jiffies_marker(msg: &str) -> Option<(u32, u64)> {
    let rest = msg.strip_prefix("drvlife: test ")?;
    let (num, rest) = rest.split_once(' ')?;
    let jiffies = rest.strip_prefix("jiffies: ")?.trim().parse().ok()?;
    Some((num.parse().ok()?, jiffies))
}

/// The prefix of each line of kmemleak's report as the runner copies it
/// into the kernel log (`kmemleak_log_report` in `lib-kmemleak.sh`).
pub const KMEMLEAK_REPORT: &str = "kmemleak-report: ";

/// The first line of one object in a kmemleak report, with or without the
/// runner's `kmemleak-report: ` prefix.
fn is_kmemleak_object(msg: &str) -> bool {
    msg.strip_prefix(KMEMLEAK_REPORT)
        .unwrap_or(msg)
        .starts_with("unreferenced object 0x")
}

/// The allocation time in a kmemleak object's `comm "...", pid N, jiffies J`
/// line.
fn kmemleak_jiffies(msg: &str) -> Option<u64> {
    let body = msg.strip_prefix(KMEMLEAK_REPORT).unwrap_or(msg).trim();
    if !body.starts_with("comm ") {
        return None;
    }
    body.rsplit_once(", jiffies ")?.1.trim().parse().ok()
}

/// Which test allocated an object at `jiffies`: the last one that had
/// started by then (`starts` in start order), or the boot before them.
fn allocated_in(starts: &[(u64, Phase)], jiffies: u64) -> Phase {
    starts
        .iter()
        .rev()
        .find(|(start, _)| *start <= jiffies)
        .map_or(Phase::Boot, |(_, phase)| phase.clone())
}

/// What a test writes to the kernel log (`kunit_expect_failure` in
/// lib-kunit.sh), before loading the module, when a KUnit suite's failure
/// is what it expects: that suite's `not ok` cases do not fail it.
pub const EXPECT_KUNIT_FAILURE: &str = "drvlife: expect kunit failure: ";

/// Stack dumps that are informational by design, by the start of the line
/// printed before them, each with the reason it may stay. Anything else
/// that prints a `Call Trace:` outside a report is a complaint.
pub const INFORMATIONAL_DUMPS: &[(&str, &str)] = &[
    (
        "task:",
        "a task's stack shown on request (sched_show_task()): the host's SysRq w and t \
         when a test stalls; a stall is judged by itself",
    ),
    (
        "NMI backtrace for cpu ",
        "every CPU's stack shown on request: the host's SysRq l when a test stalls",
    ),
];

/// Lines a stack dump prints between its reason and its `Call Trace:`:
/// `dump_stack_print_info()` (CPU, taint, hardware, workqueue) and, for a
/// dump with registers, `show_regs()` (`RIP: ...`, `RAX: ...`, `Code: ...`).
fn is_dump_header(msg: &str) -> bool {
    const HEADERS: &[&str] = &[
        "CPU: ",
        "Tainted: ",
        "Hardware name: ",
        "Workqueue: ",
        "Stopper: ",
        "Sched_ext: ",
        // x86 __show_regs(), each line by its first register.
        "RIP: ",
        "Code: ",
        "RSP: ",
        "RAX: ",
        "RDX: ",
        "RBP: ",
        "R10: ",
        "R13: ",
        "FS: ",
        "CS: ",
        "CR2: ",
        "DR0: ",
        "DR3: ",
        "PKRU: ",
    ];
    HEADERS.iter().any(|h| msg.starts_with(h))
}

/// Longest run of messages kept to find a stack dump's reason.
const RECENT: usize = 32;

/// A stack dump's reason and headers: the last non-empty message before it
/// that is not one of its headers, then those headers. `recent` ends with
/// the message just before the `Call Trace:` line.
fn dump_preamble(recent: &[String]) -> (String, Vec<String>) {
    let headers = recent
        .iter()
        .rev()
        .take_while(|m| is_dump_header(m))
        .count();
    let start = recent.len() - headers;
    let reason = recent[..start]
        .iter()
        .rev()
        .map(|m| m.trim())
        .find(|m| !m.is_empty())
        .unwrap_or("(nothing printed before the dump)");
    (reason.to_string(), recent[start..].to_vec())
}

/// The splat of a KUnit case that failed.
fn kunit_splat(
    f: crate::ktap::KunitFailure,
    time: Option<f64>,
    line: usize,
    phase: &Phase,
) -> Splat {
    // The reason reads "KUnit splat: suite S, case C: not ok".
    let headline = match f.path.split_first() {
        Some((suite, [])) => format!("suite {suite}: not ok"),
        Some((suite, case)) => format!("suite {suite}, case {}: not ok", case.join(".")),
        None => "not ok".to_string(),
    };
    let mut excerpt = vec![format!("KUnit {headline}")];
    excerpt.extend(f.lines);
    Splat {
        kinds: vec![Kind::Kunit],
        time,
        line,
        headline,
        excerpt,
        phase: phase.clone(),
    }
}

/// Scans a whole console log.
pub fn scan(console: &str) -> Vec<Splat> {
    let mut splats: Vec<Splat> = Vec::new();
    let mut phase = Phase::Boot;
    // Index of the splat whose report is still being printed.
    let mut open: Option<usize> = None;
    // KASAN reports are framed by two rows of '='.
    let mut kasan_rules = 0;
    let mut kunit = KunitFollower::default();
    // Suites whose failures the running test declared it expects.
    let mut expected_kunit: Vec<String> = Vec::new();
    // The last messages of this phase, for the reason of a stack dump.
    let mut recent: Vec<String> = Vec::new();
    // Each test's start in jiffies, when the runner wrote it: a kmemleak
    // report is found by a later scan, the object is blamed on the test
    // that allocated it.
    let mut starts: Vec<(u64, Phase)> = Vec::new();
    // The object of the runner's copy of a kmemleak report still being
    // printed. The copy is one write to /dev/kmsg per line, from a shell
    // loop: whatever the kernel prints meanwhile (another report, the
    // overlay core's errors from a delayed release, ...) lands between its
    // lines, so the copy is followed by its prefix, not by adjacency.
    let mut copied_leak: Option<usize> = None;

    for (idx, raw) in console.lines().enumerate() {
        let (time, msg) = split_timestamp(raw);
        if msg.starts_with(KMEMLEAK_REPORT) {
            match copied_leak {
                Some(i) if !is_kmemleak_object(msg) => {
                    let splat = &mut splats[i];
                    if splat.excerpt.len() < MAX_EXCERPT {
                        splat.excerpt.push(msg.to_string());
                    }
                    if !starts.is_empty() {
                        if let Some(jiffies) = kmemleak_jiffies(msg) {
                            splat.phase = allocated_in(&starts, jiffies);
                        }
                    }
                }
                // An object's first line, or a line whose object began
                // before this log (or before the last runner marker).
                _ => {
                    splats.push(Splat {
                        kinds: vec![Kind::Kmemleak],
                        time,
                        line: idx + 1,
                        headline: msg.to_string(),
                        excerpt: vec![msg.to_string()],
                        phase: phase.clone(),
                    });
                    copied_leak = Some(splats.len() - 1);
                }
            }
            continue;
        }
        if let Some((num, jiffies)) = parse_jiffies_marker(msg) {
            if let Phase::Test(n, _) = &phase {
                if *n == num {
                    starts.push((jiffies, phase.clone()));
                }
            }
            continue;
        }
        if let Some(p) = parse_marker(msg) {
            phase = p;
            open = None;
            copied_leak = None;
            expected_kunit.clear();
            recent.clear();
            continue;
        }
        // kmemleak's count of new leaks, printed by whichever scan found
        // them: with allocation times to go by, the objects the runner
        // copies from the report are the splats, each blamed on its test.
        if !starts.is_empty()
            && msg.starts_with("kmemleak: ")
            && msg.contains("suspected memory leak")
        {
            open = None;
            continue;
        }
        if let Some(suite) = msg.strip_prefix(EXPECT_KUNIT_FAILURE) {
            if phase.blamed_test().is_some() {
                expected_kunit.push(suite.trim().to_string());
            }
            continue;
        }
        if let Some(failure) = kunit.feed(msg) {
            if !expected_kunit
                .iter()
                .any(|s| failure.path.first() == Some(s))
            {
                splats.push(kunit_splat(failure, time, idx + 1, &phase));
            }
        }
        let kind = classify(msg);
        if let Some(i) = open {
            let splat = &mut splats[i];
            let first = splat.kinds[0];
            let continues = match first {
                // One splat per object: each has its own allocation time.
                Kind::Kmemleak => {
                    (kind == Some(Kind::Kmemleak) || msg.starts_with(' '))
                        && !is_kmemleak_object(msg)
                }
                // A stack dump runs as long as its frames (indented) do.
                Kind::StackDump => kind.is_none() && msg.starts_with(' '),
                // A report cut at the excerpt limit still runs on (its own
                // stack dump included), but a new report starts a new splat.
                _ => kind.is_none() || splat.excerpt.len() < MAX_EXCERPT,
            };
            if continues {
                if let Some(k) = kind {
                    if !splat.kinds.contains(&k) {
                        splat.kinds.push(k);
                    }
                }
                if splat.excerpt.len() < MAX_EXCERPT {
                    splat.excerpt.push(msg.to_string());
                }
                if first == Kind::Kmemleak && !starts.is_empty() {
                    if let Some(jiffies) = kmemleak_jiffies(msg) {
                        splat.phase = allocated_in(&starts, jiffies);
                    }
                }
                if msg.starts_with("=====") && first == Kind::Kasan {
                    kasan_rules += 1;
                }
                let kasan_done = first == Kind::Kasan && kasan_rules >= 1;
                let dump_done = first == Kind::StackDump && msg.trim() == "</TASK>";
                if is_end_of_report(msg) || kasan_done || dump_done {
                    open = None;
                }
                continue;
            }
            open = None;
        }
        if let Some(kind) = kind {
            kasan_rules = 0;
            splats.push(Splat {
                kinds: vec![kind],
                time,
                line: idx + 1,
                headline: msg.to_string(),
                excerpt: vec![msg.to_string()],
                phase: phase.clone(),
            });
            open = Some(splats.len() - 1);
        } else if msg.trim_end() == "Call Trace:" {
            let (reason, headers) = dump_preamble(&recent);
            if !INFORMATIONAL_DUMPS
                .iter()
                .any(|(start, _)| reason.starts_with(start))
            {
                let mut excerpt = vec![reason.clone()];
                excerpt.extend(headers);
                excerpt.push(msg.to_string());
                splats.push(Splat {
                    kinds: vec![Kind::StackDump],
                    time,
                    line: idx + 1,
                    headline: reason,
                    excerpt,
                    phase: phase.clone(),
                });
                open = Some(splats.len() - 1);
            }
        }
        if recent.len() == RECENT {
            recent.remove(0);
        }
        recent.push(msg.to_string());
    }
    splats
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(lines: &[&str]) -> String {
        lines
            .iter()
            .enumerate()
            .map(|(i, l)| format!("[{:>5}.{:06}] {l}\n", 10 + i, 0))
            .collect()
    }

    #[test]
    fn classifies_each_detector() {
        let cases = [
            (
                "BUG: KASAN: slab-use-after-free in init_module+0x1/0x2",
                Kind::Kasan,
            ),
            (
                "WARNING: possible circular locking dependency detected",
                Kind::Lockdep,
            ),
            ("WARNING: suspicious RCU usage", Kind::Lockdep),
            (
                "BUG: sleeping function called from invalid context at x.c:1",
                Kind::SleepInAtomic,
            ),
            (
                "BUG: kernel NULL pointer dereference, address: 0000000000000008",
                Kind::Oops,
            ),
            ("Oops: invalid opcode: 0000 [#1] SMP KASAN", Kind::Oops),
            (
                "general protection fault, probably for non-canonical address",
                Kind::Oops,
            ),
            ("kernel BUG at rust/helpers/bug.c:7!", Kind::Bug),
            (
                "WARNING: CPU: 1 PID: 80 at samples/x.rs:3 init+0x1/0x2 [m]",
                Kind::Warning,
            ),
            (
                "INFO: task sh:77 blocked for more than 30 seconds.",
                Kind::HungTask,
            ),
            (
                "unreferenced object 0xffff888003d2c000 (size 128):",
                Kind::Kmemleak,
            ),
            (
                "kmemleak: 8 new suspected memory leaks (see /sys/kernel/debug/kmemleak)",
                Kind::Kmemleak,
            ),
            ("refcount_t: underflow; use-after-free.", Kind::Refcount),
            ("UBSAN: array-index-out-of-bounds in x.c:3:4", Kind::Ubsan),
            (
                "rust_kernel: panicked at samples/lifecycle_faulty.rs:70:18:",
                Kind::RustPanic,
            ),
            ("Kernel panic - not syncing: Fatal exception", Kind::Panic),
            (
                "rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:",
                Kind::RcuStall,
            ),
            (
                "ODEBUG: free active (active state 0) object: x",
                Kind::DebugObjects,
            ),
            (
                "list_del corruption, ffff888000000000->next is NULL",
                Kind::ListCorruption,
            ),
        ];
        for (msg, kind) in cases {
            assert_eq!(classify(msg), Some(kind), "{msg}");
        }
    }

    #[test]
    fn ordinary_messages_are_not_splats() {
        for msg in [
            "drvlife: test 7 start: controls: warn.sh",
            "lifecycle_basic: loaded: instances=1 verbose=false",
            "ACPI: PM: Power Button [PWRF]",
            "kmemleak: Kernel memory leak detector initialized (mem pool available: 15783)",
            "pci 0000:00:03.0: BAR 0 [mem 0xfebf1000-0xfebf1fff]",
            "Warning: unable to open an initial console.",
        ] {
            assert_eq!(classify(msg), None, "{msg}");
        }
    }

    #[test]
    fn splats_are_attributed_to_the_running_test() {
        let text = log(&[
            "WARNING: CPU: 0 PID: 1 at boot.c:1 early+0x0/0x1",
            "---[ end trace 0000000000000000 ]---",
            "drvlife: test 1 start: controls: good.sh",
            "ordinary message",
            "drvlife: test 1 end: controls: good.sh: rc=0",
            "drvlife: test 2 start: controls: kasan_uaf.sh",
            "==================================================================",
            "BUG: KASAN: slab-use-after-free in use_after_free+0x1/0x2",
            "Read of size 1 at addr ffff8880 by task insmod/80",
            "==================================================================",
            "lifecycle_faulty: read 0x5a from freed memory",
            "drvlife: test 2 end: controls: kasan_uaf.sh: rc=0",
            "refcount_t: underflow; use-after-free.",
            "WARNING: CPU: 0 PID: 9 at lib/refcount.c:28 refcount_warn_saturate",
            "---[ end trace 0000000000000000 ]---",
            "drvlife: test 2 kmemleak scan: controls: kasan_uaf.sh",
            "kmemleak-report: unreferenced object 0xffff888003d2c000 (size 128):",
            "kmemleak-report:   comm \"insmod\", pid 90",
        ]);
        let splats = scan(&text);
        assert_eq!(splats.len(), 4, "{splats:#?}");
        assert_eq!(splats[0].phase, Phase::Boot);
        assert_eq!(splats[0].kinds, vec![Kind::Warning]);
        assert_eq!(splats[1].kinds, vec![Kind::Kasan]);
        assert_eq!(
            splats[1].phase,
            Phase::Test(2, "controls: kasan_uaf.sh".into())
        );
        assert_eq!(splats[1].excerpt.len(), 3);
        assert_eq!(splats[1].line, 8);
        assert_eq!(splats[1].time, Some(17.0));
        assert_eq!(splats[2].kinds, vec![Kind::Refcount, Kind::Warning]);
        assert_eq!(
            splats[2].phase,
            Phase::After(2, "controls: kasan_uaf.sh".into())
        );
        assert_eq!(splats[3].kinds, vec![Kind::Kmemleak]);
        assert_eq!(
            splats[3].phase,
            Phase::LeakScan(2, "controls: kasan_uaf.sh".into())
        );
        assert_eq!(splats[3].excerpt.len(), 2);
    }

    #[test]
    fn rust_panic_and_its_oops_are_one_splat() {
        let text = log(&[
            "drvlife: test 5 start: controls: rust_panic.sh",
            "rust_kernel: panicked at samples/lifecycle_faulty.rs:70:18:",
            "lifecycle_faulty: deliberate panic",
            "------------[ cut here ]------------",
            "kernel BUG at rust/helpers/bug.c:7!",
            "Oops: invalid opcode: 0000 [#1] SMP KASAN",
            "CPU: 0 UID: 0 PID: 120 Comm: insmod",
            "---[ end trace 0000000000000000 ]---",
        ]);
        let splats = scan(&text);
        assert_eq!(splats.len(), 1);
        assert_eq!(
            splats[0].kinds,
            vec![Kind::RustPanic, Kind::Bug, Kind::Oops]
        );
    }

    #[test]
    fn kmemleak_report_ends_at_first_unrelated_line() {
        let text = log(&[
            "unreferenced object 0xffff888003d2c000 (size 128):",
            "  comm \"insmod\", pid 90, jiffies 4294",
            "some other message",
            "WARNING: CPU: 0 PID: 1 at x.c:1 f+0x0/0x1",
        ]);
        let splats = scan(&text);
        assert_eq!(splats.len(), 2);
        assert_eq!(splats[0].excerpt.len(), 2);
        assert_eq!(splats[1].kinds, vec![Kind::Warning]);
    }

    #[test]
    fn long_kmemleak_report_stays_one_splat() {
        let mut lines =
            vec!["kmemleak-report: unreferenced object 0xffff888003d2c000 (size 16384):"];
        lines.extend(std::iter::repeat_n(
            "kmemleak-report:     krealloc_node_align_noprof+0x165/0x2d0",
            MAX_EXCERPT + 40,
        ));
        let splats = scan(&log(&lines));
        assert_eq!(splats.len(), 1);
        assert_eq!(splats[0].excerpt.len(), MAX_EXCERPT);
    }

    #[test]
    fn kmemleak_objects_are_blamed_on_the_test_that_allocated_them() {
        let text = log(&[
            "drvlife: test 1 start: s: a.sh",
            "drvlife: test 1 jiffies: 4294900000",
            "drvlife: test 1 end: s: a.sh: rc=0",
            "drvlife: test 2 start: s: b.sh",
            "drvlife: test 2 jiffies: 4294910000",
            "drvlife: test 2 end: s: b.sh: rc=0",
            "drvlife: test 2 kmemleak scan: s: b.sh",
            "kmemleak: 3 new suspected memory leaks (see /sys/kernel/debug/kmemleak)",
            "kmemleak-report: unreferenced object 0xffff888003d2c000 (size 64):",
            "kmemleak-report:   comm \"insmod\", pid 90, jiffies 4294905000",
            "kmemleak-report:   backtrace (crc 0):",
            "kmemleak-report: unreferenced object 0xffff888003d2d000 (size 32):",
            "kmemleak-report:   comm \"swapper/0\", pid 1, jiffies 4294890000",
            "kmemleak-report: unreferenced object 0xffff888003d2e000 (size 32):",
            "kmemleak-report:   comm \"sh\", pid 99, jiffies 4294910000",
        ]);
        let splats = scan(&text);
        assert_eq!(splats.len(), 3, "{splats:#?}");
        assert_eq!(splats[0].phase, Phase::Test(1, "s: a.sh".into()));
        assert_eq!(splats[0].excerpt.len(), 3);
        assert_eq!(splats[1].phase, Phase::Boot);
        assert_eq!(splats[2].phase, Phase::Test(2, "s: b.sh".into()));
    }

    /// A console log with the runner's copy of a kmemleak report cut by
    /// lines the kernel printed meanwhile (how it was made: its header).
    const INTERLEAVED_LEAKS: &str = include_str!("../testdata/kmemleak_interleaved.log");

    #[test]
    fn kmemleak_report_survives_lines_printed_inside_it() {
        let splats = scan(INTERLEAVED_LEAKS);
        let objects = INTERLEAVED_LEAKS
            .lines()
            .filter(|l| is_kmemleak_object(split_timestamp(l).1))
            .count();
        assert_eq!(objects, 3);
        // One splat per object, each headed by its first line, each whole.
        assert_eq!(splats.len(), objects, "{splats:#?}");
        for s in &splats {
            assert_eq!(s.kinds, vec![Kind::Kmemleak]);
            assert!(is_kmemleak_object(&s.headline), "{}", s.headline);
            assert!(s.excerpt.iter().all(|l| l.starts_with(KMEMLEAK_REPORT)));
            assert!(s
                .excerpt
                .iter()
                .any(|l| l.contains("build_changeset_next_level")));
            assert!(s
                .excerpt
                .iter()
                .any(|l| l.contains(" driver_probe_device+")));
            // Allocated by the test (its card's probe), not at the scan.
            assert_eq!(s.phase, Phase::Test(1, "genpd: stress.sh".into()));
        }
        let copied = INTERLEAVED_LEAKS
            .lines()
            .filter(|l| split_timestamp(l).1.starts_with(KMEMLEAK_REPORT))
            .count();
        let kept: usize = splats.iter().map(|s| s.excerpt.len()).sum();
        assert_eq!(kept, copied);
    }

    #[test]
    fn copied_kmemleak_lines_and_a_kernel_report_between_them_stay_apart() {
        let text = log(&[
            "kmemleak-report: unreferenced object 0xffff888003d2c000 (size 64):",
            "------------[ cut here ]------------",
            "WARNING: CPU: 0 PID: 9 at drivers/of/dynamic.c:1 f+0x0/0x1",
            "kmemleak-report:   comm \"insmod\", pid 90, jiffies 4294905000",
            "Call Trace:",
            "kmemleak-report:   backtrace (crc 0):",
            " f+0x0/0x1",
            "---[ end trace 0000000000000000 ]---",
            "kmemleak-report:     __of_node_dup+0x4d/0x2b0",
        ]);
        let splats = scan(&text);
        assert_eq!(splats.len(), 2, "{splats:#?}");
        assert_eq!(splats[0].kinds, vec![Kind::Kmemleak]);
        assert_eq!(splats[0].excerpt.len(), 4);
        assert_eq!(splats[1].kinds, vec![Kind::Warning]);
        assert_eq!(splats[1].excerpt.len(), 4);
    }

    #[test]
    fn jiffies_marker_parses_and_other_markers_do_not() {
        assert_eq!(
            parse_jiffies_marker("drvlife: test 12 jiffies: 4294892296"),
            Some((12, 4_294_892_296))
        );
        assert_eq!(parse_jiffies_marker("drvlife: test 1 start: s: a.sh"), None);
        assert_eq!(parse_jiffies_marker("drvlife: test 1 jiffies: soon"), None);
        assert_eq!(parse_marker("drvlife: test 1 jiffies: 5"), None);
    }

    #[test]
    fn timestamps_are_optional() {
        assert_eq!(
            split_timestamp("[    1.500000] hello"),
            (Some(1.5), "hello")
        );
        assert_eq!(split_timestamp("no stamp"), (None, "no stamp"));
        assert_eq!(split_timestamp("[abc] x"), (None, "[abc] x"));
    }

    #[test]
    fn clean_log_has_no_splats() {
        let text = log(&[
            "Linux version 7.3.4",
            "Run /init as init process",
            "drvlife: all tests done",
        ]);
        assert!(scan(&text).is_empty());
    }
    /// The sysfs complaint our board module's reload printed, as the
    /// console shows it: a reason, the dump's headers, its frames.
    const DUPLICATE_DUMP: &[&str] = &[
        "sysfs: cannot create duplicate filename '/bus/platform/drivers/drvlife_pd_consumer'",
        "CPU: 1 UID: 0 PID: 345 Comm: insmod Not tainted 7.3.4 #1 PREEMPT(voluntary)",
        "Hardware name: QEMU Standard PC (Q35 + ICH9, 2009), BIOS 1.16.3 04/01/2014",
        "Call Trace:",
        " <TASK>",
        " dump_stack_lvl+0x7e/0xc0",
        " sysfs_warn_dup+0x6b/0x80",
        " </TASK>",
        "kobject: kobject_add_internal failed for drvlife_pd_consumer with -EEXIST",
    ];

    #[test]
    fn bare_stack_dump_is_a_splat_named_by_the_line_before_it() {
        let mut lines = vec!["drvlife: test 3 start: syncstate: edge_cases.sh"];
        lines.extend(DUPLICATE_DUMP);
        let splats = scan(&log(&lines));
        assert_eq!(splats.len(), 1, "{splats:#?}");
        let s = &splats[0];
        assert_eq!(s.kinds, vec![Kind::StackDump]);
        assert_eq!(s.headline, DUPLICATE_DUMP[0]);
        assert_eq!(s.phase, Phase::Test(3, "syncstate: edge_cases.sh".into()));
        assert_eq!(s.excerpt.len(), 8, "{:?}", s.excerpt);
        assert_eq!(s.excerpt[7], " </TASK>");
    }

    #[test]
    fn dump_stack_reason_skips_taint_and_register_lines() {
        let text = log(&[
            "lifecycle_faulty: dumping the stack on purpose",
            "CPU: 0 UID: 0 PID: 80 Comm: insmod Tainted: G O 7.3.4 #1",
            "Tainted: [O]=OOT_MODULE",
            "Hardware name: QEMU Standard PC (Q35 + ICH9, 2009)",
            "RIP: 0010:foo+0x1/0x2",
            "RAX: 0000000000000000 RBX: 0000000000000001",
            "Call Trace:",
            " dump_stack+0x10/0x20",
            "next message",
        ]);
        let splats = scan(&text);
        assert_eq!(splats.len(), 1);
        assert_eq!(
            splats[0].headline,
            "lifecycle_faulty: dumping the stack on purpose"
        );
        assert_eq!(splats[0].phase, Phase::Boot);
        let blank_before = scan(&log(&["why", "", "Call Trace:", " f+0x0/0x1"]));
        assert_eq!(blank_before[0].headline, "why");
        let nothing_before = scan(&log(&["Call Trace:", " f+0x0/0x1"]));
        assert_eq!(
            nothing_before[0].headline,
            "(nothing printed before the dump)"
        );
    }

    #[test]
    fn stack_dumps_of_reports_and_on_request_are_not_splats_of_their_own() {
        let mut lines = vec![
            "------------[ cut here ]------------",
            "WARNING: CPU: 0 PID: 1 at x.c:1 f+0x0/0x1",
            "Call Trace:",
            " f+0x0/0x1",
            "---[ end trace 0000000000000000 ]---",
            "sysrq: Show Blocked State",
            "task:insmod          state:D stack:0     pid:80    tgid:80    ppid:70",
            "Call Trace:",
            " <TASK>",
            " </TASK>",
            "NMI backtrace for cpu 1",
            "CPU: 1 UID: 0 PID: 0 Comm: swapper/1 Not tainted 7.3.4 #1",
            "Call Trace:",
            " <IRQ>",
            "WARNING: possible circular locking dependency detected",
        ];
        // A report longer than the excerpt, with its stack dump at the end.
        lines.extend(std::iter::repeat_n("-> #1 (&dev->mutex){+.+.}-{4:4}:", 80));
        lines.extend(["stack backtrace:", "Call Trace:", " lock_acquire+0x1/0x2"]);
        let splats = scan(&log(&lines));
        let kinds: Vec<_> = splats.iter().map(|s| s.kinds.clone()).collect();
        assert_eq!(kinds, vec![vec![Kind::Warning], vec![Kind::Lockdep]]);
    }

    #[test]
    fn informational_dumps_each_say_why() {
        for (start, why) in INFORMATIONAL_DUMPS {
            assert!(!start.is_empty() && why.len() > 20, "{start}: {why}");
        }
    }

    /// A module's KUnit suite at insmod with one failing case.
    const KUNIT_FAILING: &[&str] = &[
        "KTAP version 1",
        "1..1",
        "    KTAP version 1",
        "    # Subtest: drvlife_kunit_control",
        "    1..2",
        "    ok 1 passes",
        "    # deliberately_fails: ASSERTION FAILED at samples/x.rs:30",
        "    Expected answer == 42, but",
        "    not ok 2 deliberately_fails",
        "not ok 1 drvlife_kunit_control",
    ];

    #[test]
    fn failed_kunit_case_is_a_splat_of_the_running_test() {
        let mut lines = vec!["drvlife: test 2 start: controls: kunit_case_fails.sh"];
        lines.extend(KUNIT_FAILING);
        let splats = scan(&log(&lines));
        assert_eq!(splats.len(), 1, "{splats:#?}");
        let s = &splats[0];
        assert_eq!(s.kinds, vec![Kind::Kunit]);
        assert_eq!(
            s.headline,
            "suite drvlife_kunit_control, case deliberately_fails: not ok"
        );
        assert_eq!(
            s.excerpt[0],
            "KUnit suite drvlife_kunit_control, case deliberately_fails: not ok"
        );
        assert_eq!(s.line, 10);
        assert_eq!(
            s.phase,
            Phase::Test(2, "controls: kunit_case_fails.sh".into())
        );
        assert_eq!(s.excerpt.last().unwrap(), "not ok 2 deliberately_fails");
        // Built in: reported at boot, before any test.
        assert_eq!(scan(&log(KUNIT_FAILING))[0].phase, Phase::Boot);
    }

    #[test]
    fn a_declared_kunit_failure_does_not_fail_its_test_only() {
        let declared = "drvlife: expect kunit failure: drvlife_kunit_control";
        let mut lines = vec!["drvlife: test 1 start: c: declared.sh", declared];
        lines.extend(KUNIT_FAILING);
        lines.push("drvlife: test 1 end: c: declared.sh: rc=0");
        // The next test did not declare it; nor does a declaration after
        // the failure count.
        lines.push("drvlife: test 2 start: c: undeclared.sh");
        lines.extend(KUNIT_FAILING);
        lines.push(declared);
        let splats = scan(&log(&lines));
        assert_eq!(splats.len(), 1, "{splats:#?}");
        assert_eq!(splats[0].phase, Phase::Test(2, "c: undeclared.sh".into()));
    }
}
