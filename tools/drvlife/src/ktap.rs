//! Parser for the KTAP the guest runner prints (kselftest runner style).
//!
//! Top level: `TAP version 13`, a plan `1..N`, and for each test a
//! `# selftests: SUITE: NAME` header, the test's own output indented with
//! `# `, then `ok N ...` / `not ok N ...` with an optional `# SKIP` or
//! `# TIMEOUT` directive. The test's own output is itself KTAP, one level
//! down; its result lines become subtests.

/// Result of a test or subtest as KTAP states it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// `ok` without directive.
    Pass,
    /// `not ok`.
    Fail,
    /// `ok ... # SKIP`.
    Skip,
}

/// One result line, `ok N desc # DIRECTIVE`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResultLine {
    /// The test number.
    pub number: u32,
    /// Description, without the directive.
    pub description: String,
    /// Pass, fail or skip.
    pub status: Status,
    /// The directive after `#`, if any (`SKIP`, `TIMEOUT 45 seconds`, ...).
    pub directive: Option<String>,
}

/// One top-level test of the run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestCase {
    /// Suite (directory) of the test.
    pub suite: String,
    /// File name of the test.
    pub name: String,
    /// The final result line; `None` when the test never finished.
    pub result: Option<ResultLine>,
    /// Results of the test's own subtests.
    pub subtests: Vec<ResultLine>,
    /// The test's output, without the `# ` indentation.
    pub output: Vec<String>,
}

impl TestCase {
    /// `suite: name`, as used in reports.
    pub fn id(&self) -> String {
        format!("{}: {}", self.suite, self.name)
    }

    /// True when the runner killed the test at its timeout.
    pub fn timed_out(&self) -> bool {
        self.result
            .as_ref()
            .and_then(|r| r.directive.as_deref())
            .is_some_and(|d| d.starts_with("TIMEOUT"))
    }
}

/// Everything the KTAP stream said.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KtapRun {
    /// A `TAP version` / `KTAP version` line was seen.
    pub version_seen: bool,
    /// The plan, `1..N`.
    pub plan: Option<u32>,
    /// Tests in the order they ran, including one left unfinished.
    pub tests: Vec<TestCase>,
    /// The message of a `Bail out!` line.
    pub bail_out: Option<String>,
    /// The final `# Totals:` line.
    pub totals: Option<String>,
}

/// Parses `ok N desc # DIRECTIVE` / `not ok N desc`.
pub fn parse_result_line(line: &str) -> Option<ResultLine> {
    let (failed, rest) = if let Some(rest) = line.strip_prefix("not ok ") {
        (true, rest)
    } else if let Some(rest) = line.strip_prefix("ok ") {
        (false, rest)
    } else {
        return None;
    };
    let (num, desc) = match rest.split_once(' ') {
        Some((num, desc)) => (num, desc),
        None => (rest, ""),
    };
    let number = num.parse().ok()?;
    let (description, directive) = match desc.split_once(" # ") {
        Some((d, dir)) => (d.trim().to_string(), Some(dir.trim().to_string())),
        None => match desc.strip_prefix("# ") {
            Some(dir) => (String::new(), Some(dir.trim().to_string())),
            None => (desc.trim().to_string(), None),
        },
    };
    let skip = directive
        .as_deref()
        .is_some_and(|d| d.to_ascii_uppercase().starts_with("SKIP"));
    let status = match (failed, skip) {
        (true, _) => Status::Fail,
        (false, true) => Status::Skip,
        (false, false) => Status::Pass,
    };
    Some(ResultLine {
        number,
        description,
        status,
        directive,
    })
}

/// Splits `selftests: SUITE: NAME` into suite and name.
fn parse_selftest_id(desc: &str) -> Option<(String, String)> {
    let rest = desc.strip_prefix("selftests: ")?;
    let (suite, name) = rest.split_once(": ")?;
    Some((suite.trim().to_string(), name.trim().to_string()))
}

/// Parses the runner's whole KTAP output. Never fails: anything it does not
/// understand is ignored, and what is missing shows in the result.
pub fn parse(text: &str) -> KtapRun {
    let mut run = KtapRun::default();
    let mut current: Option<TestCase> = None;

    for raw in text.lines() {
        let line = raw.trim_end_matches('\r');
        if line.starts_with("TAP version") || line.starts_with("KTAP version") {
            run.version_seen = true;
        } else if let Some(n) = line.strip_prefix("1..") {
            if let Ok(n) = n.trim().parse() {
                run.plan = Some(n);
            }
        } else if let Some(msg) = line.strip_prefix("Bail out!") {
            run.bail_out = Some(msg.trim().to_string());
        } else if let Some(id) = line.strip_prefix("# selftests: ") {
            if let Some(unfinished) = current.take() {
                run.tests.push(unfinished);
            }
            let (suite, name) = parse_selftest_id(&format!("selftests: {id}"))
                .unwrap_or_else(|| (String::new(), id.trim().to_string()));
            current = Some(TestCase {
                suite,
                name,
                result: None,
                subtests: Vec::new(),
                output: Vec::new(),
            });
        } else if line.starts_with("# Totals:") && current.is_none() {
            run.totals = Some(line[2..].to_string());
        } else if let Some(inner) = line.strip_prefix("# ").or(line.strip_prefix("#")) {
            if let Some(test) = current.as_mut() {
                if let Some(sub) = parse_result_line(inner) {
                    test.subtests.push(sub);
                }
                test.output.push(inner.to_string());
            }
        } else if let Some(result) = parse_result_line(line) {
            let mut test = current.take().unwrap_or_else(|| {
                let (suite, name) = parse_selftest_id(&result.description)
                    .unwrap_or_else(|| (String::new(), result.description.clone()));
                TestCase {
                    suite,
                    name,
                    result: None,
                    subtests: Vec::new(),
                    output: Vec::new(),
                }
            });
            test.result = Some(result);
            run.tests.push(test);
        }
    }
    if let Some(unfinished) = current.take() {
        run.tests.push(unfinished);
    }
    run
}

/// A KUnit case (or suite) that KUnit reported `not ok` on the console.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KunitFailure {
    /// Suite, then case, then parameter: the names of the subtests down to
    /// the one that failed.
    pub path: Vec<String>,
    /// What KUnit printed for it: its diagnostics (failed expectations and
    /// assertions), then the `not ok` line, without indentation.
    pub lines: Vec<String>,
}

/// Longest diagnostics kept for one failed case.
const KUNIT_MAX_LINES: usize = 24;

/// Follows the KTAP that KUnit prints to the kernel log, one message at a
/// time, and names every case that failed.
///
/// KUnit nests by indentation, four spaces a level: a suite's
/// `# Subtest: NAME` and its cases' result lines are at level 1, the
/// suite's own result at level 0, a parameterised case's parameters at
/// level 2. Only the innermost failure is named: the `not ok` of a suite
/// (or of a parameterised case) whose failed cases were already named is
/// their summary. A suite that fails with no failed case (its init failed)
/// is named by itself.
#[derive(Debug, Default)]
pub struct KunitFollower {
    /// Names of the subtests open at levels 1, 2, ...
    open: Vec<String>,
    /// Per level: a failure at this level was named since its subtest began.
    failed: Vec<bool>,
    /// Messages since the last result line of the open suite.
    since_result: Vec<String>,
}

impl KunitFollower {
    /// Takes one kernel log message (timestamp removed, indentation kept);
    /// returns the case it reports as failed, if it does.
    pub fn feed(&mut self, msg: &str) -> Option<KunitFailure> {
        let body = msg.trim_start_matches(' ');
        let level = (msg.len() - body.len()) / 4;
        if let Some(name) = body.strip_prefix("# Subtest: ") {
            if level == 0 {
                return None;
            }
            self.open.truncate(level - 1);
            self.open.resize(level - 1, String::new());
            self.open.push(name.trim().to_string());
            self.failed.resize(level + 1, false);
            self.failed[level] = false;
            self.since_result.clear();
            return None;
        }
        if self.open.is_empty() {
            return None;
        }
        let Some(result) = parse_result_line(body) else {
            if self.since_result.len() < KUNIT_MAX_LINES {
                self.since_result.push(body.to_string());
            }
            return None;
        };
        let mut lines = std::mem::take(&mut self.since_result);
        let already_named = self.failed.get(level + 1).copied().unwrap_or(false);
        self.failed.truncate(level + 1);
        self.failed.resize(level + 1, false);
        let mut path: Vec<String> = self.open.iter().take(level).cloned().collect();
        path.push(result.description.clone());
        self.open.truncate(level);
        if result.status != Status::Fail {
            return None;
        }
        self.failed[level] = true;
        if already_named {
            return None;
        }
        lines.push(body.to_string());
        Some(KunitFailure { path, lines })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "TAP version 13\r
1..3\r
# timeout set to 60\r
# selftests: foundation: a.sh\r
# TAP version 13\r
# 1..2\r
# ok 1 first\r
# not ok 2 second\r
# # Totals: pass:1 fail:1 xfail:0 xpass:0 skip:0 error:0\r
not ok 1 selftests: foundation: a.sh # exit=1\r
# selftests: foundation: b.sh\r
ok 2 selftests: foundation: b.sh # SKIP\r
# selftests: controls: c.sh\r
# some output\r
not ok 3 selftests: controls: c.sh # TIMEOUT 20 seconds\r
# Totals: pass:0 fail:2 xfail:0 xpass:0 skip:1 error:0\r
";

    #[test]
    fn parses_plan_results_and_subtests() {
        let run = parse(SAMPLE);
        assert!(run.version_seen);
        assert_eq!(run.plan, Some(3));
        assert_eq!(run.tests.len(), 3);
        let a = &run.tests[0];
        assert_eq!(a.id(), "foundation: a.sh");
        assert_eq!(a.result.as_ref().unwrap().status, Status::Fail);
        assert_eq!(a.subtests.len(), 2);
        assert_eq!(a.subtests[1].status, Status::Fail);
        assert_eq!(a.subtests[1].description, "second");
        assert_eq!(run.tests[1].result.as_ref().unwrap().status, Status::Skip);
        assert!(run.tests[2].timed_out());
        assert!(!run.tests[0].timed_out());
        assert_eq!(
            run.totals.as_deref(),
            Some("Totals: pass:0 fail:2 xfail:0 xpass:0 skip:1 error:0")
        );
    }

    #[test]
    fn nested_totals_do_not_count_as_top_level() {
        let run = parse("TAP version 13\n1..1\n# selftests: s: t.sh\n# # Totals: pass:1\n");
        assert_eq!(run.totals, None);
    }

    #[test]
    fn unfinished_test_is_kept_without_result() {
        let run = parse("TAP version 13\n1..2\n# selftests: s: t.sh\n# TAP version 13\n# 1..1\n");
        assert_eq!(run.tests.len(), 1);
        assert_eq!(run.tests[0].result, None);
        assert_eq!(run.tests[0].name, "t.sh");
    }

    #[test]
    fn bail_out_is_reported() {
        let run = parse("TAP version 13\nBail out! unknown suite or test: nope\n");
        assert_eq!(run.bail_out.as_deref(), Some("unknown suite or test: nope"));
        assert!(run.tests.is_empty());
    }

    #[test]
    fn result_line_forms() {
        let r = parse_result_line("ok 4 # SKIP no device").unwrap();
        assert_eq!((r.number, r.status), (4, Status::Skip));
        assert_eq!(r.directive.as_deref(), Some("SKIP no device"));
        let r = parse_result_line("not ok 12 thing # TODO later").unwrap();
        assert_eq!(r.status, Status::Fail);
        assert_eq!(r.description, "thing");
        assert!(parse_result_line("okay 1 x").is_none());
        assert!(parse_result_line("ok x y").is_none());
    }

    #[test]
    fn garbage_is_ignored() {
        let run = parse("\u{0}\u{1}junk\nTAP version 13\n1..0\n");
        assert_eq!(run.plan, Some(0));
        assert!(run.tests.is_empty());
    }
    /// KUnit's console output for a suite with a passing case, a failing
    /// one, and a parameterised case with a failing parameter.
    const KUNIT: &[&str] = &[
        "KTAP version 1",
        "1..1",
        "    KTAP version 1",
        "    # Subtest: demo",
        "    # module: lifecycle_demo",
        "    1..3",
        "    ok 1 passes",
        "    # fails: ASSERTION FAILED at samples/demo.rs:30",
        "    Expected answer == 42, but",
        "        answer == 41",
        "    not ok 2 fails",
        "        KTAP version 1",
        "        # Subtest: param",
        "        ok 1 one",
        "        not ok 2 two",
        "    not ok 3 param",
        "# demo: pass:1 fail:2 skip:0 total:3",
        "# Totals: pass:1 fail:2 skip:0 total:3",
        "not ok 1 demo",
    ];

    #[test]
    fn kunit_follower_names_each_failed_case_once() {
        let mut f = KunitFollower::default();
        let failures: Vec<KunitFailure> = KUNIT.iter().filter_map(|m| f.feed(m)).collect();
        let names: Vec<String> = failures.iter().map(|x| x.path.join(".")).collect();
        assert_eq!(names, vec!["demo.fails", "demo.param.two"]);
        assert_eq!(
            failures[0].lines,
            vec![
                "# fails: ASSERTION FAILED at samples/demo.rs:30",
                "Expected answer == 42, but",
                "answer == 41",
                "not ok 2 fails",
            ]
        );
    }

    #[test]
    fn kunit_suite_failing_without_a_failed_case_is_named() {
        let mut f = KunitFollower::default();
        let lines = [
            "    KTAP version 1",
            "    # Subtest: broken_init",
            "    1..2",
            "    # broken_init: initialization failed",
            "not ok 4 broken_init",
        ];
        let names: Vec<String> = lines
            .iter()
            .filter_map(|m| f.feed(m))
            .map(|x| x.path.join("."))
            .collect();
        assert_eq!(names, vec!["broken_init"]);
    }

    #[test]
    fn kunit_passing_suites_and_other_messages_name_nothing() {
        let mut f = KunitFollower::default();
        for m in [
            "not ok 1 outside any KUnit suite",
            "    KTAP version 1",
            "    # Subtest: fine",
            "    1..1",
            "    ok 1 works # SKIP not here",
            "ok 1 fine",
            "    not ok 2 after the suite ended",
        ] {
            assert_eq!(f.feed(m), None, "{m}");
        }
    }
}
