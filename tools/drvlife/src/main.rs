//! `drvlife`: host side of the Rust driver lifecycle lab.
//!
//! `drvlife run` boots the guest kernel in QEMU with the selftest suites,
//! parses the runner's KTAP, scans the console for kernel splats, prints a
//! per-test summary and writes `results.json` and `junit.xml`. Any failed
//! test, splat (also outside tests), missing test, timeout or crash fails the
//! run (exit 1).
//!
//! `drvlife cache-key` computes the kernel build's cache keys.

mod cachekey;
mod expect;
mod ktap;
mod output;
mod qemu;
mod qmp;
mod report;
mod splat;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

const USAGE: &str = "\
usage:
  drvlife run --kernel BZIMAGE --initrd INITRAMFS --selftests DIR --suite S [--suite S]...
              --out DIR [--machine FILE] [--append ARGS] [--timeout SECS]
              [--accel auto|kvm|tcg] [--probe-timeout SECS] [--probe-cache FILE]
              [--expect FILE] [--expect-problem KIND] [--quiet]
  drvlife cache-key --kernel STR --fragment FILE --series DIR [--tool STR]...

A suite is a directory of DIR; SUITE/TEST.sh names one test.
Exit status: 0 pass (or expectations met), 1 failure, 2 usage or set-up error.";

/// Seconds allowed for boot and for the final kmemleak scan on top of the
/// tests' own timeouts when no --timeout is given (TCG with KASAN is slow).
const BOOT_ALLOWANCE_S: u64 = 240;
const FINAL_SCAN_ALLOWANCE_S: u64 = 60;
/// kselftest's default per-test timeout.
const DEFAULT_TEST_TIMEOUT_S: u64 = 45;

struct Args {
    rest: Vec<String>,
}

impl Args {
    fn take(&mut self, name: &str) -> Result<Option<String>, String> {
        match self.rest.iter().position(|a| a == name) {
            None => Ok(None),
            Some(i) if i + 1 < self.rest.len() => {
                let v = self.rest.remove(i + 1);
                self.rest.remove(i);
                Ok(Some(v))
            }
            Some(_) => Err(format!("{name} needs a value")),
        }
    }
    fn take_all(&mut self, name: &str) -> Result<Vec<String>, String> {
        let mut out = Vec::new();
        while let Some(v) = self.take(name)? {
            out.push(v);
        }
        Ok(out)
    }
    fn flag(&mut self, name: &str) -> bool {
        match self.rest.iter().position(|a| a == name) {
            Some(i) => {
                self.rest.remove(i);
                true
            }
            None => false,
        }
    }
    fn need(&mut self, name: &str) -> Result<String, String> {
        self.take(name)?
            .ok_or_else(|| format!("{name} is required"))
    }
    fn done(self) -> Result<(), String> {
        match self.rest.first() {
            Some(a) => Err(format!("unknown argument: {a}")),
            None => Ok(()),
        }
    }
}

/// A suite's per-test timeout from its `settings` file.
fn suite_timeout(dir: &Path) -> u64 {
    std::fs::read_to_string(dir.join("settings"))
        .ok()
        .and_then(|s| {
            s.lines().find_map(|l| {
                l.trim()
                    .strip_prefix("timeout=")
                    .and_then(|v| v.parse().ok())
            })
        })
        .unwrap_or(DEFAULT_TEST_TIMEOUT_S)
}

/// Tests the guest will run, in its order, with their timeouts.
fn expected_tests(selftests: &Path, suites: &[String]) -> Result<Vec<(String, u64)>, String> {
    let mut out = Vec::new();
    for s in suites {
        let path = selftests.join(s);
        if path.is_dir() {
            let mut names: Vec<String> = std::fs::read_dir(&path)
                .map_err(|e| format!("{}: {e}", path.display()))?
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".sh"))
                .collect();
            names.sort();
            let t = suite_timeout(&path);
            out.extend(names.into_iter().map(|n| (format!("{s}: {n}"), t)));
        } else if let (true, Some((suite, test))) = (path.is_file(), s.split_once('/')) {
            out.push((
                format!("{suite}: {test}"),
                suite_timeout(&selftests.join(suite)),
            ));
        } else {
            return Err(format!("no suite or test {s} in {}", selftests.display()));
        }
    }
    if out.is_empty() {
        return Err("no tests selected".into());
    }
    Ok(out)
}

/// QEMU arguments from a machine file: whitespace-separated, `#` comments,
/// `@IMAGE_DIR@` standing for the directory of the initramfs (where the image
/// build puts files such as the compiled ACPI table).
fn machine_args(text: &str, image_dir: &Path) -> Vec<String> {
    let image_dir = image_dir.display().to_string();
    text.lines()
        .map(|l| l.split('#').next().unwrap_or(""))
        .flat_map(str::split_whitespace)
        .map(|a| a.replace("@IMAGE_DIR@", &image_dir))
        .collect()
}

fn cmd_run(mut a: Args) -> Result<ExitCode, String> {
    let kernel = PathBuf::from(a.need("--kernel")?);
    let initrd = PathBuf::from(a.need("--initrd")?);
    let selftests = PathBuf::from(a.need("--selftests")?);
    let suites = a.take_all("--suite")?;
    let out_dir = PathBuf::from(a.need("--out")?);
    let machine = a.take("--machine")?;
    let append = a.take("--append")?.unwrap_or_default();
    let timeout = a.take("--timeout")?;
    let accel = match a.take("--accel")?.as_deref() {
        None | Some("auto") => qemu::AccelChoice::Auto,
        Some("kvm") => qemu::AccelChoice::Kvm,
        Some("tcg") => qemu::AccelChoice::Tcg,
        Some(x) => return Err(format!("--accel {x}: want auto, kvm or tcg")),
    };
    let probe_timeout = a
        .take("--probe-timeout")?
        .map_or(Ok(10), |v| v.parse().map_err(|_| "bad --probe-timeout"))?;
    let probe_cache = a.take("--probe-cache")?.map(PathBuf::from);
    let expect_file = a.take("--expect")?;
    let expect_problem = a.take("--expect-problem")?;
    let quiet = a.flag("--quiet");
    a.done()?;
    if suites.is_empty() {
        return Err("--suite is required".into());
    }
    for p in [&kernel, &initrd] {
        if !p.is_file() {
            return Err(format!("{} does not exist", p.display()));
        }
    }
    let expectations = match &expect_file {
        Some(f) => Some(expect::parse(
            &std::fs::read_to_string(f).map_err(|e| format!("{f}: {e}"))?,
        )?),
        None => None,
    };

    let mut tests = expected_tests(&selftests, &suites)?;
    // The guest runner honours drvlife.timeout=N for every test; so must we.
    if let Some(t) = append.split_whitespace().find_map(|a| {
        a.strip_prefix("drvlife.timeout=")
            .and_then(|v| v.parse().ok())
    }) {
        for test in &mut tests {
            test.1 = t;
        }
    }
    let timeout = match timeout {
        Some(t) => t.parse().map_err(|_| "bad --timeout")?,
        None => {
            BOOT_ALLOWANCE_S
                + FINAL_SCAN_ALLOWANCE_S
                + tests.iter().map(|(_, t)| t + 5).sum::<u64>()
        }
    };
    // kasan_multi_shot: KASAN reports every bug, not just the first of the
    // boot; otherwise one bug would hide every later one in the same run.
    let cmdline = format!(
        "console=ttyS0 panic=-1 kasan_multi_shot drvlife.suites={} {append}",
        suites.join(",")
    );
    let machine_args = match machine.as_deref() {
        Some(m) => machine_args(
            &std::fs::read_to_string(m).map_err(|e| format!("{m}: {e}"))?,
            initrd.parent().unwrap_or(Path::new(".")),
        ),
        None => Vec::new(),
    };
    let cfg = qemu::Config {
        qemu: PathBuf::from("qemu-system-x86_64"),
        kernel,
        initrd,
        append: cmdline.trim().to_string(),
        machine_args,
        out_dir: out_dir.clone(),
        timeout: Duration::from_secs(timeout),
        accel,
        probe_timeout: Duration::from_secs(probe_timeout),
        probe_cache,
    };
    eprintln!(
        "drvlife: booting {} test(s) from {} (timeout {timeout} s), logs in {}",
        tests.len(),
        suites.join(", "),
        out_dir.display()
    );
    let outcome = qemu::run(&cfg)?;
    let console = std::fs::read(&outcome.console).unwrap_or_default();
    let ktap_text = std::fs::read(&outcome.ktap).unwrap_or_default();
    let console = String::from_utf8_lossy(&console);
    let ktap_text = String::from_utf8_lossy(&ktap_text);
    if !quiet {
        print!("{}", ktap_text.replace('\r', ""));
    }

    let ids: Vec<String> = tests.into_iter().map(|(id, _)| id).collect();
    let ktap_run = ktap::parse(&ktap_text);
    let verdict = report::judge(&ids, &ktap_run, splat::scan(&console), &outcome.end);
    let info = output::RunInfo {
        accel: outcome.accel.clone(),
        first_ktap_s: outcome.first_ktap.map(|d| d.as_secs_f64()),
        duration_s: outcome.duration.as_secs_f64(),
        console: outcome.console.display().to_string(),
        ktap: outcome.ktap.display().to_string(),
    };
    let write = |name: &str, body: String| {
        let p = out_dir.join(name);
        std::fs::write(&p, body).map_err(|e| format!("{}: {e}", p.display()))
    };
    write("results.json", output::to_json(&verdict, &info))?;
    write("junit.xml", output::to_junit(&verdict, &info))?;
    print!("{}", output::summary(&verdict, &info));
    println!("   results: {}", out_dir.join("results.json").display());

    if expectations.is_none() && expect_problem.is_none() {
        return Ok(if verdict.passed() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        });
    }
    // A negative control: the run must fail as a whole, each test for the
    // reason its expectation names, and with the named run-level problem.
    let mut lines = expectations.map_or_else(Vec::new, |e| expect::check(&e, &verdict));
    if let Some(kind) = expect_problem {
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
    Ok(if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn cmd_cache_key(mut a: Args) -> Result<ExitCode, String> {
    let kernel = a.need("--kernel")?;
    let fragment = a.need("--fragment")?;
    let series = a.need("--series")?;
    let toolchain = a.take_all("--tool")?;
    a.done()?;
    let inputs = cachekey::BuildInputs {
        kernel,
        fragment: std::fs::read_to_string(&fragment).map_err(|e| format!("{fragment}: {e}"))?,
        patches: cachekey::read_series(Path::new(&series)).map_err(|e| format!("{series}: {e}"))?,
        toolchain,
    };
    println!(
        "{} {}",
        cachekey::patch_key(&inputs),
        cachekey::build_key(&inputs)
    );
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    let mut argv: Vec<String> = std::env::args().skip(1).collect();
    if argv.is_empty() || argv[0] == "--help" || argv[0] == "-h" {
        println!("{USAGE}");
        return if argv.is_empty() {
            ExitCode::from(2)
        } else {
            ExitCode::SUCCESS
        };
    }
    let cmd = argv.remove(0);
    let args = Args { rest: argv };
    let result = match cmd.as_str() {
        "run" => cmd_run(args),
        "cache-key" => cmd_cache_key(args),
        other => Err(format!("unknown command {other}\n{USAGE}")),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("drvlife: error: {e}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selects_suites_and_single_tests_with_timeouts() {
        let dir = std::env::temp_dir().join(format!("drvlife-sel-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("s")).unwrap();
        std::fs::write(dir.join("s/b.sh"), "").unwrap();
        std::fs::write(dir.join("s/a.sh"), "").unwrap();
        std::fs::write(dir.join("s/settings"), "timeout=7\n").unwrap();
        let all = expected_tests(&dir, &["s".into()]).unwrap();
        assert_eq!(all, vec![("s: a.sh".into(), 7), ("s: b.sh".into(), 7)]);
        let one = expected_tests(&dir, &["s/b.sh".into()]).unwrap();
        assert_eq!(one, vec![("s: b.sh".into(), 7)]);
        assert!(expected_tests(&dir, &["nope".into()]).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn machine_file_comments_and_image_dir() {
        let args = machine_args(
            "-m 1024 # memory\n\n-acpitable file=@IMAGE_DIR@/t.aml\n",
            Path::new("/img"),
        );
        assert_eq!(args, ["-m", "1024", "-acpitable", "file=/img/t.aml"]);
    }

    #[test]
    fn args_parse_and_reject_leftovers() {
        let mut a = Args {
            rest: vec![
                "--suite".into(),
                "x".into(),
                "--suite".into(),
                "y".into(),
                "--bogus".into(),
            ],
        };
        assert_eq!(a.take_all("--suite").unwrap(), vec!["x", "y"]);
        assert!(a.done().is_err());
        let mut a = Args {
            rest: vec!["--out".into()],
        };
        assert!(a.take("--out").is_err());
    }
}
