//! `--stop-on-splat`: a thread follows the kernel log (`/dev/kmsg`) from
//! the run's start and stops the run at the first report of a detector
//! (KASAN, lockdep, a WARN, a BUG, UBSAN, debugobjects, a hung task), so
//! a run that found its bug ends at once and says when it found it.

use crate::actor::Limits;
use std::fs::OpenOptions;
use std::io::{ErrorKind, Read, Seek, SeekFrom};
use std::os::unix::fs::OpenOptionsExt;
use std::time::Duration;

/// The kernel log's device (Documentation/ABI/testing/dev-kmsg).
const KMSG: &str = "/dev/kmsg";

/// How a detector's report begins (its first line's message).
const REPORT_STARTS: [&str; 8] = [
    "BUG: ",
    "WARNING: ",
    "UBSAN: ",
    "Oops: ",
    "kernel BUG at ",
    "ODEBUG: ",
    "INFO: task ",
    "INFO: rcu_preempt detected stalls",
];

/// The first report seen.
#[derive(Debug, PartialEq, Eq)]
pub struct Report {
    /// Time since the run's start.
    pub at: Duration,
    /// Its first line.
    pub line: String,
}

/// The message of one `/dev/kmsg` record ("PRIO,SEQ,USEC,FLAGS;MESSAGE"
/// then continuation lines), if it is a detector's report.
pub fn report_line(record: &str) -> Option<&str> {
    let (_, rest) = record.split_once(';')?;
    let message = rest.lines().next()?;
    REPORT_STARTS
        .iter()
        .any(|p| message.starts_with(p))
        .then_some(message)
}

/// Follows the kernel log from now until `limits` end the run; at the
/// first report, stops the run and returns it. `None` if no report came,
/// or if the log cannot be read (said on standard error).
pub fn watch(limits: &Limits) -> Option<Report> {
    let mut kmsg = match OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(KMSG)
        .and_then(|mut f| f.seek(SeekFrom::End(0)).map(|_| f))
    {
        Ok(f) => f,
        Err(e) => {
            eprintln!("drvtorture: --stop-on-splat: {KMSG}: {e}; the run is not watched");
            return None;
        }
    };
    // One read() returns one record; a record is at most about 8 KiB.
    let mut buf = vec![0u8; 16384];
    while !limits.over() {
        match kmsg.read(&mut buf) {
            Ok(n) => {
                let record = String::from_utf8_lossy(&buf[..n]);
                if let Some(line) = report_line(&record) {
                    let report = Report {
                        at: limits.start.elapsed(),
                        line: line.to_string(),
                    };
                    limits.stop();
                    return Some(report);
                }
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(10));
            }
            // EPIPE: records were overwritten before we read them; the
            // next read goes on with the oldest one left.
            Err(e) if e.raw_os_error() == Some(libc::EPIPE) => {}
            Err(e) => {
                eprintln!("drvtorture: --stop-on-splat: reading {KMSG}: {e}");
                return None;
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_are_recognised_by_their_first_line() {
        let kasan =
            "3,1234,5678901,-;BUG: KASAN: slab-use-after-free in probe+0x1c/0x40\n SUBSYSTEM=pci\n";
        assert_eq!(
            report_line(kasan),
            Some("BUG: KASAN: slab-use-after-free in probe+0x1c/0x40")
        );
        assert!(
            report_line("4,9,10,-;WARNING: possible circular locking dependency detected\n")
                .is_some()
        );
        assert!(
            report_line("6,9,10,-;INFO: task insmod:77 blocked for more than 30 seconds.\n")
                .is_some()
        );
        assert_eq!(report_line("6,10,11,-;drvlife: bench marker\n"), None);
        // A message quoting a report is not one.
        assert_eq!(report_line("6,10,11,-;test said BUG: nothing\n"), None);
        assert_eq!(report_line("no separator"), None);
    }
}
