//! Which tests a run runs: the one place that turns suite names into the
//! ordered list of tests with their timeouts. The guest runs exactly this
//! list (it is written into the boot's overlay, see `overlay`), so host and
//! guest cannot disagree about it.

use std::path::{Path, PathBuf};

/// kselftest's default per-test timeout.
pub const DEFAULT_TEST_TIMEOUT_S: u64 = 45;

/// One selected test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Test {
    /// Suite directory name.
    pub suite: String,
    /// Script file name.
    pub name: String,
    /// Seconds the runner gives it.
    pub timeout: u64,
    /// Directory of selftests it comes from.
    pub root: PathBuf,
}

impl Test {
    /// `suite: name`, as in KTAP and in the console markers.
    pub fn id(&self) -> String {
        format!("{}: {}", self.suite, self.name)
    }

    /// `suite/name`, as the guest runner takes it.
    pub fn path(&self) -> String {
        format!("{}/{}", self.suite, self.name)
    }
}

/// A suite's per-test timeout from its `settings` file (`timeout=N`).
fn suite_timeout(dir: &Path) -> Result<u64, String> {
    let settings = dir.join("settings");
    let text = std::fs::read_to_string(&settings).map_err(|e| {
        format!(
            "{}: {e} (every suite needs a settings file with timeout=SECONDS)",
            settings.display()
        )
    })?;
    match text.lines().find_map(|l| l.trim().strip_prefix("timeout=")) {
        None => Ok(DEFAULT_TEST_TIMEOUT_S),
        Some(v) => v
            .parse()
            .map_err(|_| format!("{}: bad timeout={v}", settings.display())),
    }
}

/// Product suites of a selftests directory: every suite except the
/// harness's negative controls (`controls*`), the benchmarks (`bench*`)
/// and the soak (each run by its own make target).
fn product_suites(root: &Path) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = std::fs::read_dir(root)
        .map_err(|e| format!("{}: {e}", root.display()))?
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            !n.starts_with("controls")
                && !n.starts_with("bench")
                && n != "soak"
                && !n.starts_with('.')
        })
        .collect();
    out.sort();
    Ok(out)
}

/// Finds the selftests directory holding `suite`; a suite name must be
/// unique across directories.
fn find_root<'a>(roots: &'a [PathBuf], suite: &str) -> Result<&'a PathBuf, String> {
    let found: Vec<&PathBuf> = roots.iter().filter(|r| r.join(suite).is_dir()).collect();
    match found.as_slice() {
        [one] => Ok(one),
        [] => Err(format!(
            "no suite {suite} in {}",
            roots
                .iter()
                .map(|r| r.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )),
        _ => Err(format!(
            "suite {suite} exists in more than one selftests directory"
        )),
    }
}

/// The tests to run, in order: each suite's `*.sh` in name order, or single
/// `SUITE/TEST.sh`. No suite given: every product suite of every directory.
pub fn select(roots: &[PathBuf], suites: &[String]) -> Result<Vec<Test>, String> {
    let mut names = suites.to_vec();
    if names.is_empty() {
        for r in roots {
            names.extend(product_suites(r)?);
        }
    }
    let mut out = Vec::new();
    for s in &names {
        let (suite, single) = match s.split_once('/') {
            Some((suite, test)) => (suite, Some(test)),
            None => (s.as_str(), None),
        };
        let root = find_root(roots, suite)?;
        let dir = root.join(suite);
        let timeout = suite_timeout(&dir)?;
        let mut tests: Vec<String> = match single {
            Some(t) if dir.join(t).is_file() && t.ends_with(".sh") => vec![t.to_string()],
            Some(t) => return Err(format!("no test {t} in {}", dir.display())),
            None => std::fs::read_dir(&dir)
                .map_err(|e| format!("{}: {e}", dir.display()))?
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".sh"))
                .collect(),
        };
        tests.sort();
        out.extend(tests.into_iter().map(|name| Test {
            suite: suite.to_string(),
            name,
            timeout,
            root: root.clone(),
        }));
    }
    if out.is_empty() {
        return Err("no tests selected".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("drvlife-sel-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        d
    }

    #[test]
    fn selects_suites_and_single_tests_with_timeouts() {
        let dir = tmp("a");
        std::fs::create_dir_all(dir.join("s")).unwrap();
        std::fs::create_dir_all(dir.join("controls")).unwrap();
        std::fs::create_dir_all(dir.join("soak")).unwrap();
        std::fs::create_dir_all(dir.join("bench-detect")).unwrap();
        std::fs::write(dir.join("bench-detect/d.sh"), "").unwrap();
        std::fs::write(dir.join("soak/settings"), "timeout=9\n").unwrap();
        std::fs::write(dir.join("soak/long.sh"), "").unwrap();
        std::fs::write(dir.join("s/b.sh"), "").unwrap();
        std::fs::write(dir.join("s/a.sh"), "").unwrap();
        std::fs::write(dir.join("s/settings"), "timeout=7\n").unwrap();
        let roots = vec![dir.clone()];
        let all = select(&roots, &["s".into()]).unwrap();
        let ids: Vec<_> = all.iter().map(|t| (t.id(), t.timeout)).collect();
        assert_eq!(ids, vec![("s: a.sh".into(), 7), ("s: b.sh".into(), 7)]);
        let one = select(&roots, &["s/b.sh".into()]).unwrap();
        assert_eq!(one[0].path(), "s/b.sh");
        assert!(select(&roots, &["nope".into()]).is_err());
        assert!(select(&roots, &["s/nope.sh".into()]).is_err());
        // Default: product suites only.
        assert_eq!(select(&roots, &[]).unwrap().len(), 2);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_suite_without_settings_is_refused() {
        let dir = tmp("b");
        std::fs::create_dir_all(dir.join("mine")).unwrap();
        std::fs::write(dir.join("mine/t.sh"), "").unwrap();
        let e = select(std::slice::from_ref(&dir), &["mine".into()]).unwrap_err();
        assert!(e.contains("settings"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn suites_from_two_roots_and_duplicates() {
        let (a, b) = (tmp("c1"), tmp("c2"));
        for (root, suite) in [(&a, "x"), (&b, "y"), (&b, "x")] {
            std::fs::create_dir_all(root.join(suite)).unwrap();
            std::fs::write(root.join(suite).join("settings"), "timeout=1\n").unwrap();
            std::fs::write(root.join(suite).join("t.sh"), "").unwrap();
        }
        let roots = vec![a.clone(), b.clone()];
        assert!(select(&roots, &["y".into()]).is_ok());
        assert!(select(&roots, &["x".into()])
            .unwrap_err()
            .contains("more than one"));
        std::fs::remove_dir_all(&a).unwrap();
        std::fs::remove_dir_all(&b).unwrap();
    }
}
