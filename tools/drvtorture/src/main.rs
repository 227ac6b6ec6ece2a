//! drvtorture: runs a target file's actors (bind/unbind, driver_override
//! writers and readers, device-node users, module load/unload, PCI remove
//! and rescan) in parallel threads against real devices, then checks the
//! invariants, and prints KTAP. Exit status: 0 all passed, 1 a failure,
//! 2 bad input (refused before anything ran).

mod actor;
mod errno;
mod fault;
mod invariant;
mod qmp;
mod report;
mod resolve;
mod rng;
mod splat;
mod stats;
mod sys;
mod target;

use std::process::ExitCode;
use std::time::Duration;

/// Command-line options.
#[derive(Debug, PartialEq, Eq)]
struct Options {
    target: String,
    seconds: Option<u64>,
    ops: Option<u64>,
    seed: Option<u64>,
    threads: Vec<(String, usize)>,
    fail_nth: Option<u32>,
    stop_on_splat: bool,
    check: bool,
}

const USAGE: &str = "usage: drvtorture --target FILE [--seconds S] [--ops N] [--seed N] [--threads ACTOR=N]... [--fail-nth N] [--stop-on-splat] [--check]
  --seconds S        run for S seconds (default 10 unless --ops is given)
  --ops N            stop after N operations in all (shared by every thread)
  --seed N           the seed of every random choice (printed; replays them)
  --threads ACTOR=N  run actor ACTOR with N threads (default: the target's)
  --fail-nth N       fault injection on every actor the target runs without:
                     each operation's Nth slab allocation fails (N from 1 to
                     N); an operation whose fault was injected may fail
                     with any errno
  --stop-on-splat    stop at the first detector report in the kernel log
                     (KASAN, lockdep, WARN, BUG ...), say when it came, fail
  --check            check the target against the system and exit";

fn number<T: std::str::FromStr>(opt: &str, v: Option<String>) -> Result<T, String> {
    let v = v.ok_or_else(|| format!("{opt} needs a value"))?;
    v.parse()
        .map_err(|_| format!("{opt}: '{v}' is not a number"))
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Options, String> {
    let mut o = Options {
        target: String::new(),
        seconds: None,
        ops: None,
        seed: None,
        threads: Vec::new(),
        fail_nth: None,
        stop_on_splat: false,
        check: false,
    };
    let mut args = args.into_iter();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--target" => o.target = args.next().ok_or("--target needs a file")?,
            "--seconds" => o.seconds = Some(number("--seconds", args.next())?),
            "--ops" => o.ops = Some(number("--ops", args.next())?),
            "--seed" => o.seed = Some(number("--seed", args.next())?),
            "--threads" => {
                let v = args.next().ok_or("--threads needs ACTOR=N")?;
                let (name, n) = v
                    .split_once('=')
                    .ok_or_else(|| format!("--threads: '{v}' is not ACTOR=N"))?;
                let n: usize = n
                    .parse()
                    .map_err(|_| format!("--threads: '{n}' is not a number"))?;
                if n == 0 {
                    return Err(format!("--threads {name}: at least 1"));
                }
                o.threads.push((name.to_string(), n));
            }
            "--fail-nth" => o.fail_nth = Some(number("--fail-nth", args.next())?),
            "--stop-on-splat" => o.stop_on_splat = true,
            "--check" => o.check = true,
            "-h" | "--help" => return Err(String::new()),
            _ => return Err(format!("unknown argument '{a}'")),
        }
    }
    if o.target.is_empty() {
        return Err("no --target given".into());
    }
    Ok(o)
}

fn refused(msg: &str) -> ExitCode {
    eprintln!("drvtorture: refused: {msg}");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let o = match parse_args(std::env::args().skip(1)) {
        Ok(o) => o,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("drvtorture: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let text = match std::fs::read_to_string(&o.target) {
        Ok(t) => t,
        Err(e) => return refused(&format!("{}: {e}", o.target)),
    };
    let file_name = std::path::Path::new(&o.target)
        .file_stem()
        .map_or_else(|| o.target.clone(), |s| s.to_string_lossy().into_owned());
    let t = match target::parse(&text) {
        Ok(t) => t,
        Err(e) => return refused(&format!("{}: {e}", o.target)),
    };
    let names = target::actor_names(&t);
    for (name, _) in &o.threads {
        if !names.contains(name) {
            return refused(&format!(
                "--threads: no actor '{name}' (actors: {})",
                names.join(", ")
            ));
        }
    }
    let modules = match resolve::modules(&t) {
        Ok(m) => m,
        Err(e) => return refused(&format!("{}: {e}", o.target)),
    };
    // The drivers are checked once the modules that register them are in.
    let mut loaded_here = Vec::new();
    for m in modules.iter().filter(|m| m.load && !m.loaded()) {
        let path = m.path.as_deref().expect("checked: load needs a path");
        if let Err(e) = sys::finit_module(path, &m.params) {
            return refused(&format!(
                "{}: loading module {}: {}",
                o.target,
                m.name,
                errno::name(e)
            ));
        }
        loaded_here.push(m.cname.clone());
    }
    let plan = match resolve::plan(&t, &file_name, modules).and_then(|mut p| {
        if let Some(n) = o.fail_nth {
            resolve::arm_faults(&mut p, n)?;
        }
        Ok(p)
    }) {
        Ok(p) => p,
        Err(e) => {
            for m in &loaded_here {
                let _ = sys::delete_module(m);
            }
            return refused(&format!("{}: {e}", o.target));
        }
    };
    if o.check {
        println!(
            "# drvtorture: target {} ok: {} devices, {} actors",
            plan.name,
            plan.devices.len(),
            plan.actors.len()
        );
        return ExitCode::SUCCESS;
    }
    let threads: Vec<usize> = plan
        .actors
        .iter()
        .map(|a| {
            o.threads
                .iter()
                .rev()
                .find(|(n, _)| *n == a.name)
                .map_or(a.threads, |(_, n)| *n)
        })
        .collect();
    let seed = o.seed.unwrap_or_else(rng::fresh_seed);
    let seconds = o
        .seconds
        .unwrap_or(if o.ops.is_some() { u64::MAX / 4 } else { 10 });
    eprintln!("drvtorture: seed {seed}");
    let limits = actor::Limits::new(Duration::from_secs(seconds), o.ops.unwrap_or(u64::MAX));
    let (stats, splat) = std::thread::scope(|s| {
        let watcher = o.stop_on_splat.then(|| s.spawn(|| splat::watch(&limits)));
        let stats = actor::run(&plan, &threads, seed, &limits);
        // Ends the watcher too, if the run ended at its deadline.
        limits.stop();
        let splat = watcher.map(|w| w.join().expect("the kernel log watcher panicked"));
        (stats, splat)
    });
    let elapsed = limits.start.elapsed();
    let verdicts = invariant::check(&plan);
    let run = report::Run {
        plan: &plan,
        threads: &threads,
        seed,
        elapsed,
        splat,
    };
    if report::print(&run, &stats, &verdicts) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Result<Options, String> {
        parse_args(s.split_whitespace().map(String::from))
    }

    #[test]
    fn options() {
        let o = args("--target t.toml --seconds 5 --seed 42 --threads w=3 --threads r=1").unwrap();
        assert_eq!(o.target, "t.toml");
        assert_eq!(o.seconds, Some(5));
        assert_eq!(o.seed, Some(42));
        assert_eq!(o.threads, [("w".to_string(), 3), ("r".to_string(), 1)]);
        assert!(!o.check);
        assert!(args("--target t --check").unwrap().check);
        assert!(args("--target t --stop-on-splat").unwrap().stop_on_splat);
        assert_eq!(args("--target t --fail-nth 20").unwrap().fail_nth, Some(20));
        assert!(args("--target t --fail-nth x")
            .unwrap_err()
            .contains("not a number"));
    }

    #[test]
    fn bad_options() {
        assert_eq!(args("--seconds 5").unwrap_err(), "no --target given");
        assert!(args("--target t --seconds five")
            .unwrap_err()
            .contains("not a number"));
        assert!(args("--target t --threads w")
            .unwrap_err()
            .contains("not ACTOR=N"));
        assert!(args("--target t --threads w=0")
            .unwrap_err()
            .contains("at least 1"));
        assert!(args("--target t --bogus")
            .unwrap_err()
            .contains("unknown argument"));
        assert!(args("--target").unwrap_err().contains("needs a file"));
    }
}
