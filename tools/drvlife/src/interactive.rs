//! `drvlife shell` and `drvlife exec`: the guest as a place to work in, as
//! with virtme-ng. Same kernel, image, modules and machine as the tests.

use crate::boot;
use crate::cli::{ExecArgs, GuestArgs};
use crate::known;
use crate::overlay::Mode;
use crate::qemu::{self, Terminal};
use crate::report::GuestEnd;
use crate::splat;
use std::process::ExitCode;
use std::time::Duration;

/// Exit status when the guest crashed (kernel panic) or ended unreported.
pub const CRASHED: u8 = 255;
/// Exit status when the command outlived its timeout (as timeout(1)).
pub const TIMED_OUT: u8 = 124;

/// Turns how the guest ended into our exit status, and says what the kernel
/// complained about meanwhile (known upstream failures in one line each).
fn finish(g: &GuestArgs, outcome: &qemu::Outcome) -> Result<ExitCode, String> {
    let console =
        String::from_utf8_lossy(&std::fs::read(&outcome.console).unwrap_or_default()).into_owned();
    let (known, splats) = known::partition(
        &known::load(g.known_failures.as_deref())?,
        splat::scan(&console),
    );
    for (reason, n, _) in known::by_reason(&known) {
        eprintln!("drvlife: known failure x{n} at boot, not ours: {reason}");
    }
    for s in &splats {
        let kinds: Vec<_> = s.kinds.iter().map(|k| k.name()).collect();
        eprintln!(
            "drvlife: kernel complaint ({}): {} (console line {})",
            kinds.join("+"),
            s.headline,
            s.line
        );
    }
    eprintln!("drvlife: console log: {}", outcome.console.display());
    let status = match &outcome.end {
        GuestEnd::TimedOut(s) => {
            eprintln!("drvlife: the guest outlived the timeout ({s} s) and was killed");
            TIMED_OUT
        }
        _ if splats
            .iter()
            .any(|s| s.kinds.iter().any(|k| k.name() == "panic")) =>
        {
            eprintln!("drvlife: the guest crashed");
            CRASHED
        }
        GuestEnd::Reported(_) | GuestEnd::NoReport(_) | GuestEnd::Stalled { .. } => {
            match boot::logged_status(&console) {
                Some(s) => s,
                None => {
                    eprintln!("drvlife: the guest ended without reporting a status");
                    CRASHED
                }
            }
        }
    };
    Ok(ExitCode::from(status))
}

/// `drvlife shell`. With standard input not a terminal (a pipe, a file),
/// the input is the shell's script: it is put in the boot's overlay and run
/// to its end, as `sh < script` would, because bytes sent to the serial
/// port before the guest's shell has opened it are lost.
pub fn shell(g: &GuestArgs) -> Result<ExitCode, String> {
    use std::io::{IsTerminal, Read};
    if !std::io::stdin().is_terminal() {
        let mut script = String::new();
        std::io::stdin()
            .read_to_string(&mut script)
            .map_err(|e| format!("reading the shell's input: {e}"))?;
        eprintln!("drvlife: standard input is not a terminal: running it as the shell's script");
        let cfg = boot::config(
            g,
            &Mode::Exec(&script),
            Terminal::FileAndStdout,
            Duration::from_secs(86_400),
        )?;
        return finish(g, &qemu::run(&cfg)?);
    }
    let cfg = boot::config(
        g,
        &Mode::Shell,
        Terminal::Interactive,
        Duration::from_secs(86_400),
    )?;
    eprintln!(
        "drvlife: booting a shell (kernel log: {}; leave with exit or Ctrl-D)",
        g.out.join("console.log").display()
    );
    let outcome = qemu::run(&cfg)?;
    finish(g, &outcome)
}

/// `drvlife exec`.
pub fn exec(a: &ExecArgs) -> Result<ExitCode, String> {
    let command = a.command.join(" ");
    let cfg = boot::config(
        &a.guest,
        &Mode::Exec(&command),
        Terminal::FileAndStdout,
        Duration::from_secs(a.timeout),
    )?;
    let outcome = qemu::run(&cfg)?;
    finish(&a.guest, &outcome)
}
