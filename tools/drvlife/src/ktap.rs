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
}
