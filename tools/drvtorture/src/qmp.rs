//! QEMU hot-unplug and re-plug, asked of the host harness (drvlife), which
//! forwards `device_add` and `device_del` to QEMU's QMP socket.

use crate::sys;
use std::path::Path;
use std::time::{Duration, Instant};

/// Where the guest asks the host harness for a QMP command: its KTAP port,
/// which the harness reads line by line (`qmp_request` in lib-host.sh).
pub const QMP_PORT: &str = "/dev/ttyS1";

/// How long QEMU and the guest's hot-plug driver may take to remove or add
/// a device (pciehp waits 5 s after the attention button).
pub const REPLUG_WAIT: Duration = Duration::from_secs(30);

/// Asks the host for one QMP command, `device_add` or `device_del`.
pub fn request(command: &str, args: &str) -> Result<(), i32> {
    sys::write_once(
        Path::new(QMP_PORT),
        format!("# drvlife-qmp: {command} {args}\n").as_bytes(),
    )
}

/// Waits until `dir` exists (or is gone, `present` false); `ETIMEDOUT`
/// after `limit`.
pub fn wait_presence(dir: &Path, present: bool, limit: Duration) -> Result<(), i32> {
    let until = Instant::now() + limit;
    while dir.exists() != present {
        if Instant::now() >= until {
            return Err(libc::ETIMEDOUT);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(())
}

/// How often `plug` asks again: QEMU refuses a `device_add` ("Duplicate
/// device ID") until it has finished deleting the old device, which can be
/// after the guest saw it go, and the guest gets no answer to tell.
const REPLUG_RETRY: Duration = Duration::from_secs(2);

/// QMP `device_add` with `args`, asked again every [`REPLUG_RETRY`] until
/// `dir` exists; `ETIMEDOUT` after [`REPLUG_WAIT`].
pub fn plug(dir: &Path, args: &str) -> Result<(), i32> {
    let until = Instant::now() + REPLUG_WAIT;
    loop {
        request("device_add", args)?;
        let left = until.saturating_duration_since(Instant::now());
        match wait_presence(dir, true, left.min(REPLUG_RETRY)) {
            Err(libc::ETIMEDOUT) if Instant::now() < until => {}
            r => return r,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presence_is_waited_for_within_the_limit() {
        let dir = std::env::temp_dir();
        assert_eq!(wait_presence(&dir, true, Duration::ZERO), Ok(()));
        let gone = dir.join("drvtorture-no-such-device");
        let start = Instant::now();
        assert_eq!(
            wait_presence(&gone, true, Duration::from_millis(50)),
            Err(libc::ETIMEDOUT)
        );
        assert!(start.elapsed() >= Duration::from_millis(50));
        assert_eq!(wait_presence(&gone, false, Duration::ZERO), Ok(()));
    }
}
