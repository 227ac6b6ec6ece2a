//! `drvlife run`: boot the guest with the selected tests, judge KTAP and
//! the console, print the summary, write `results.json` and `junit.xml`.
//! Any failed test, splat (also outside tests), missing test, stall,
//! timeout or crash fails the run.

use crate::boot;
use crate::cli::RunArgs;
use crate::overlay::Mode;
use crate::qemu::{self, Terminal};
use crate::report::{self, RunVerdict};
use crate::selection;
use crate::symbolize::Symbolizer;
use crate::{expect, known, ktap, output, splat};
use std::collections::HashMap;
use std::io::Write as _;
use std::process::ExitCode;
use std::time::Duration;

/// Seconds allowed for boot, and for the runner's kmemleak scan after each
/// test, on top of the tests' own timeouts when no --timeout is given (TCG
/// with KASAN is slow).
const BOOT_ALLOWANCE_S: u64 = 240;
const LEAK_SCAN_ALLOWANCE_S: u64 = 30;

/// The stacks the guest runner printed for each test it killed at its
/// timeout: console lines `drvlife: stack: ...` while that test ran.
fn runner_stacks(console: &str) -> HashMap<String, Vec<String>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    let mut running: Option<String> = None;
    for line in console.lines() {
        let (_, msg) = splat::split_timestamp(line.trim_end_matches('\r'));
        match splat::parse_marker(msg) {
            Some(splat::Phase::Test(_, id)) => running = Some(id),
            Some(_) => running = None,
            None => {
                if let (Some(id), Some(rest)) = (&running, msg.strip_prefix("drvlife: stack: ")) {
                    out.entry(id.clone()).or_default().push(rest.to_string());
                }
            }
        }
    }
    out
}

/// Appends `name passed=N failed=M skipped=K` to the counts file.
fn write_counts(path: &std::path::Path, v: &RunVerdict) -> Result<(), String> {
    let (p, f, s) = v.counts();
    let f = f + usize::from(!v.problems.is_empty() && f == 0);
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut file| {
            writeln!(
                file,
                "drvlife passed={p} failed={f} skipped={s} known={}",
                v.known.len()
            )
        })
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// Checks a negative control's expectations; prints them.
fn check_expectations(a: &RunArgs, verdict: &RunVerdict) -> Result<ExitCode, String> {
    let expectations = match &a.expect {
        Some(f) => Some(expect::parse(
            &std::fs::read_to_string(f).map_err(|e| format!("{}: {e}", f.display()))?,
        )?),
        None => None,
    };
    let mut lines = expectations.map_or_else(Vec::new, |e| expect::check(&e, verdict));
    if let Some(kind) = &a.expect_problem {
        lines.push(if verdict.problems.iter().any(|p| p.kind() == kind) {
            Ok(format!("run failed with problem '{kind}' as expected"))
        } else {
            Err(format!("run did not fail with problem '{kind}'"))
        });
    }
    if verdict.passed() {
        lines.push(Err("the control run passed as a whole".to_string()));
    }
    let bad = lines.iter().filter(|l| l.is_err()).count();
    for l in &lines {
        match l {
            Ok(m) => println!("ok    {m}"),
            Err(m) => println!("WRONG {m}"),
        }
    }
    println!("controls: {} passed, {bad} failed", lines.len() - bad);
    if let Some(path) = &a.counts {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .and_then(|mut f| writeln!(f, "controls passed={} failed={bad}", lines.len() - bad))
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `drvlife run`.
pub fn run(a: &RunArgs) -> Result<ExitCode, String> {
    let g = &a.guest;
    let mut tests = selection::select(&g.selftests, &a.suites)?;
    // The guest runner honours drvlife.timeout=N for every test; so must we.
    if let Some(t) = g.append.split_whitespace().find_map(|a| {
        a.strip_prefix("drvlife.timeout=")
            .and_then(|v| v.parse().ok())
    }) {
        for test in &mut tests {
            test.timeout = t;
        }
    }
    let timeout = a.timeout.unwrap_or_else(|| {
        BOOT_ALLOWANCE_S
            + tests
                .iter()
                .map(|t| t.timeout + 5 + LEAK_SCAN_ALLOWANCE_S)
                .sum::<u64>()
    });
    let terminal = if a.quiet {
        Terminal::File
    } else {
        Terminal::FileAndStdout
    };
    let mut cfg = boot::config(
        g,
        &Mode::Run(&tests),
        terminal,
        Duration::from_secs(timeout),
    )?;
    cfg.stall_grace = Some(Duration::from_secs(a.stall_grace));
    cfg.test_timeouts = tests.iter().map(|t| (t.id(), t.timeout)).collect();
    let suites: Vec<String> = tests
        .iter()
        .map(|t| t.suite.clone())
        .fold(Vec::new(), |mut v, s| {
            if !v.contains(&s) {
                v.push(s);
            }
            v
        });
    eprintln!(
        "drvlife: booting {} test(s) from {} (timeout {timeout} s), logs in {}",
        tests.len(),
        suites.join(", "),
        g.out.display()
    );
    let outcome = qemu::run(&cfg)?;
    let console = std::fs::read(&outcome.console).unwrap_or_default();
    let ktap_text = std::fs::read(&outcome.ktap).unwrap_or_default();
    let console = String::from_utf8_lossy(&console);
    let ktap_text = String::from_utf8_lossy(&ktap_text);

    let ids: Vec<String> = tests.iter().map(selection::Test::id).collect();
    let known_list = known::load(g.known_failures.as_deref())?;
    let mut splats = splat::scan(&console);
    let symbolizer = Symbolizer::new(g.vmlinux.as_deref(), &g.module_dirs);
    let mut stacks = runner_stacks(&console);
    let mut end = outcome.end.clone();
    let dump = match &mut end {
        report::GuestEnd::Stalled { dump, .. } => Some(dump),
        _ => None,
    };
    symbolizer.annotate_all(
        splats
            .iter_mut()
            .map(|s| &mut s.excerpt)
            .chain(stacks.values_mut())
            .chain(dump),
    );
    let (known, splats) = known::partition(&known_list, splats);
    let mut verdict = report::judge(&ids, &ktap::parse(&ktap_text), splats, &end, &stacks);
    verdict.known = known;
    let info = output::RunInfo {
        accel: outcome.accel.clone(),
        first_ktap_s: outcome.first_ktap.map(|d| d.as_secs_f64()),
        duration_s: outcome.duration.as_secs_f64(),
        console: outcome.console.display().to_string(),
        ktap: outcome.ktap.display().to_string(),
    };
    let write = |name: &str, body: String| {
        let p = g.out.join(name);
        std::fs::write(&p, body).map_err(|e| format!("{}: {e}", p.display()))
    };
    write("results.json", output::to_json(&verdict, &info))?;
    write("junit.xml", output::to_junit(&verdict, &info)?)?;
    print!("{}", output::summary(&verdict, &info));
    println!("   results: {}", g.out.join("results.json").display());
    if a.expect.is_none() && a.expect_problem.is_none() {
        if let Some(c) = &a.counts {
            write_counts(c, &verdict)?;
        }
        return Ok(if verdict.passed() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        });
    }
    // A negative control: the run must fail as a whole, each test for the
    // reason its expectation names, and with the named run-level problem.
    check_expectations(a, &verdict)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stacks_belong_to_the_test_that_printed_them() {
        let console = "[1.0] drvlife: stack: before\n\
            [2.0] drvlife: test 1 start: s: a.sh\n\
            [3.0] drvlife: stack: pid 7 (insmod) state S\n\
            [3.1] drvlife: stack: [<0>] msleep+0x1/0x2\n\
            [4.0] drvlife: test 1 end: s: a.sh: rc=137\n";
        let s = runner_stacks(console);
        assert_eq!(s.len(), 1);
        assert_eq!(s["s: a.sh"][1], "[<0>] msleep+0x1/0x2");
    }
}
