//! Fault injection around an actor's operations: the thread's own
//! `/proc/thread-self/fail-nth`, and failslab's settings for the run.

use crate::sys;
use std::fs::File;
use std::path::{Path, PathBuf};

/// The calling thread's fault injection count (fault-injection.rst,
/// "Proc filesystem").
pub const FAIL_NTH: &str = "/proc/thread-self/fail-nth";

/// failslab's knobs in debugfs.
pub const FAILSLAB: &str = "/sys/kernel/debug/failslab";

/// A thread's fault injection: the file it arms, kept open (an open would
/// itself allocate, and spend the count), and the largest N it draws.
pub struct FaultInjection {
    file: File,
    /// The largest N drawn.
    pub max: u32,
}

impl FaultInjection {
    /// Opens the calling thread's count; `None` without fault injection.
    pub fn open(max: u32) -> Option<Self> {
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(FAIL_NTH)
            .ok()?;
        Some(Self { file, max })
    }

    /// Makes the Nth slab allocation of this thread from now on fail.
    pub fn arm(&self, nth: u32) {
        let _ = sys::pwrite0(&self.file, nth.to_string().as_bytes());
    }

    /// Disarms; whether the fault was injected (the count reached 0).
    pub fn disarm(&self) -> bool {
        let mut buf = [0u8; 16];
        let left = sys::pread0(&self.file, &mut buf).ok().and_then(|n| {
            std::str::from_utf8(&buf[..n])
                .ok()?
                .trim()
                .parse::<u32>()
                .ok()
        });
        let _ = sys::pwrite0(&self.file, b"0");
        left == Some(0)
    }
}

/// Sets failslab for a run with fault injection: sleeping (GFP_KERNEL)
/// allocations may fail too, and no stack dump per fault; puts the old
/// values back when dropped.
pub struct FailslabSetting {
    saved: Vec<(PathBuf, String)>,
}

impl FailslabSetting {
    /// Applies the run's settings.
    pub fn apply() -> Self {
        let mut saved = Vec::new();
        for (knob, value) in [("ignore-gfp-wait", "N"), ("verbose", "0")] {
            let path = Path::new(FAILSLAB).join(knob);
            if let Ok(old) = sys::read_text(&path) {
                if sys::write_once(&path, value.as_bytes()).is_ok() {
                    saved.push((path, old.trim().to_string()));
                }
            }
        }
        Self { saved }
    }
}

impl Drop for FailslabSetting {
    fn drop(&mut self) {
        for (path, old) in &self.saved {
            let _ = sys::write_once(path, old.as_bytes());
        }
    }
}
