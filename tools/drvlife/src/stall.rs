//! A stalled guest, diagnosed instead of waited out.
//!
//! The host follows the runner's markers on the console (`drvlife: test N
//! start: ...` / `end: ...`). A test still running `grace` seconds after its
//! own timeout means the runner itself is stuck (a task it cannot kill, a
//! hung kernel): the host then asks the kernel what it is doing, with SysRq
//! through the emulated keyboard (QMP `send-key`: blocked tasks, every CPU's
//! backtrace, every task), keeps that as the stalled test's excerpt and
//! stops the guest. Tests that finished before keep their verdicts.

use crate::qmp::Forwarder;
use crate::splat::{parse_marker, split_timestamp, Phase};
use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

/// SysRq keys sent, in order: blocked (D state) tasks, a backtrace of every
/// active CPU, then every task.
pub const SYSRQ_KEYS: [char; 3] = ['w', 'l', 't'];
/// Longest dump kept for the excerpt.
const DUMP_LINES: usize = 200;

/// Follows the console for test start and end markers.
pub struct Watch {
    timeouts: HashMap<String, u64>,
    grace: Duration,
    scanned: usize,
    running: Option<(String, Instant)>,
}

impl Watch {
    /// Watches for tests `id -> timeout`.
    pub fn new(timeouts: HashMap<String, u64>, grace: Duration) -> Self {
        Self {
            timeouts,
            grace,
            scanned: 0,
            running: None,
        }
    }

    /// Feeds the whole console text so far; returns the stalled test, if
    /// one has outlived its timeout plus the grace.
    #[cfg(test)]
    pub fn poll(&mut self, console: &[u8]) -> Option<String> {
        self.feed(console.get(self.scanned..).unwrap_or_default());
        self.stalled()
    }

    /// As `poll`, reading only the part of the console file not seen yet.
    pub fn poll_file(&mut self, console: &Path) -> Option<String> {
        use std::io::{Read, Seek, SeekFrom};
        let mut new = Vec::new();
        if let Ok(mut f) = std::fs::File::open(console) {
            if f.seek(SeekFrom::Start(self.scanned as u64)).is_ok() {
                let _ = f.read_to_end(&mut new);
            }
        }
        self.feed(&new);
        self.stalled()
    }

    /// Takes the whole lines of `new` (console bytes after `scanned`).
    fn feed(&mut self, new: &[u8]) {
        let Some(end) = new.iter().rposition(|&b| b == b'\n') else {
            return;
        };
        self.scanned += end + 1;
        for line in String::from_utf8_lossy(&new[..=end]).lines() {
            let (_, msg) = split_timestamp(line.trim_end_matches('\r'));
            match parse_marker(msg) {
                Some(Phase::Test(_, id)) => self.running = Some((id, Instant::now())),
                Some(Phase::After(..) | Phase::LeakScan(..)) => self.running = None,
                _ => {}
            }
        }
    }

    fn stalled(&self) -> Option<String> {
        let (id, since) = self.running.as_ref()?;
        let limit = Duration::from_secs(*self.timeouts.get(id).unwrap_or(&0)) + self.grace;
        (since.elapsed() > limit).then(|| id.clone())
    }
}

fn console_len(console: &Path) -> usize {
    std::fs::metadata(console).map_or(0, |m| m.len() as usize)
}

/// Waits until the console has been quiet for a second (at most `max`).
fn wait_quiet(console: &Path, max: Duration) {
    let start = Instant::now();
    let mut last = console_len(console);
    let mut quiet_since = Instant::now();
    while start.elapsed() < max {
        std::thread::sleep(Duration::from_millis(200));
        let now = console_len(console);
        if now != last {
            last = now;
            quiet_since = Instant::now();
        } else if quiet_since.elapsed() > Duration::from_secs(1) {
            return;
        }
    }
}

/// The QMP message pressing Alt+SysRq+`key`.
pub fn sysrq_message(key: char) -> String {
    let keys: Vec<serde_json::Value> = ["alt", "sysrq", &key.to_string()]
        .iter()
        .map(|k| serde_json::json!({ "type": "qcode", "data": k }))
        .collect();
    serde_json::json!({ "execute": "send-key", "arguments": { "keys": keys } }).to_string()
}

/// Asks the stalled guest for its blocked tasks, CPUs and tasks; returns
/// the console lines printed meanwhile (timestamps kept), trimmed.
pub fn dump(qmp: &mut Forwarder, console: &Path) -> Vec<String> {
    let from = console_len(console);
    for key in SYSRQ_KEYS {
        if let Err(e) = qmp.execute(&sysrq_message(key)) {
            return vec![format!("(SysRq {key} could not be sent: {e})")];
        }
        wait_quiet(console, Duration::from_secs(20));
    }
    let text = std::fs::read(console).unwrap_or_default();
    let text = String::from_utf8_lossy(text.get(from..).unwrap_or_default()).into_owned();
    let mut lines: Vec<String> = text.lines().map(|l| l.trim_end().to_string()).collect();
    if lines.len() > DUMP_LINES {
        let more = lines.len() - DUMP_LINES;
        lines.truncate(DUMP_LINES);
        lines.push(format!("... ({more} more lines in the console log)"));
    }
    if lines.is_empty() {
        lines.push("(the kernel printed nothing for SysRq: it is not responding)".into());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_test_past_its_timeout_and_grace_is_stalled() {
        let mut w = Watch::new(
            HashMap::from([("s: a.sh".to_string(), 0)]),
            Duration::from_millis(50),
        );
        assert_eq!(w.poll(b"[ 1.0] drvlife: test 1 start: s: a.sh\n"), None);
        std::thread::sleep(Duration::from_millis(80));
        assert_eq!(
            w.poll(b"[ 1.0] drvlife: test 1 start: s: a.sh\n"),
            Some("s: a.sh".into())
        );
        // Once it ended, nothing is stalled.
        let c =
            b"[ 1.0] drvlife: test 1 start: s: a.sh\n[ 2.0] drvlife: test 1 end: s: a.sh: rc=0\n";
        assert_eq!(w.poll(c), None);
    }

    #[test]
    fn sysrq_is_alt_sysrq_key() {
        let m = sysrq_message('w');
        assert!(m.contains(r#""execute":"send-key""#), "{m}");
        assert!(m.contains(r#"{"data":"sysrq","type":"qcode"}"#), "{m}");
        assert!(m.contains(r#"{"data":"w","type":"qcode"}"#), "{m}");
    }
}
