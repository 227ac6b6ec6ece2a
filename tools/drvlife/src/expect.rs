//! Negative controls: checks that the harness reached the verdicts a control
//! suite's `expected` file demands (a control that was meant to fail must
//! fail, for the named reason; a clean one must pass).

use crate::output::reason_tags;
use crate::report::RunVerdict;

/// One line of an `expected` file: `TEST pass` or `TEST fail TAG`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expectation {
    /// Test file name.
    pub test: String,
    /// Whether the test must pass.
    pub pass: bool,
    /// For a failure: the reason that must be named (`KASAN`, `WARNING`,
    /// `not-ok`, `timeout`, ...).
    pub tag: Option<String>,
}

/// Parses an `expected` file. Errors name the bad line.
pub fn parse(text: &str) -> Result<Vec<Expectation>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let words: Vec<_> = line.split_whitespace().collect();
        let e = match words.as_slice() {
            [test, "pass"] => Expectation {
                test: test.to_string(),
                pass: true,
                tag: None,
            },
            [test, "fail", tag] => Expectation {
                test: test.to_string(),
                pass: false,
                tag: Some(tag.to_string()),
            },
            _ => {
                return Err(format!(
                    "line {}: want 'TEST pass' or 'TEST fail TAG': {line}",
                    i + 1
                ))
            }
        };
        out.push(e);
    }
    if out.is_empty() {
        return Err("no expectations".into());
    }
    Ok(out)
}

/// The tags in first-seen order, repeated ones counted: "KASAN x3, Oops".
fn summarize(tags: &[String]) -> String {
    let mut counted: Vec<(&str, usize)> = Vec::new();
    for tag in tags {
        match counted.iter_mut().find(|(t, _)| *t == tag.as_str()) {
            Some((_, n)) => *n += 1,
            None => counted.push((tag, 1)),
        }
    }
    counted
        .iter()
        .map(|(t, n)| {
            if *n > 1 {
                format!("{t} x{n}")
            } else {
                t.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Checks the verdict against the expectations. Returns one line per test
/// (`Ok` when as expected).
pub fn check(expectations: &[Expectation], v: &RunVerdict) -> Vec<Result<String, String>> {
    let mut lines = Vec::new();
    for e in expectations {
        let Some(t) = v
            .tests
            .iter()
            .find(|t| t.id.rsplit(": ").next() == Some(e.test.as_str()))
        else {
            lines.push(Err(format!("control {}: not in the run", e.test)));
            continue;
        };
        let tags: Vec<String> = t
            .reasons
            .iter()
            .flat_map(|r| reason_tags(r, &v.splats))
            .collect();
        let summary = summarize(&tags);
        let line = match (&e.tag, t.ok()) {
            (None, true) => Ok(format!("control {}: passed as expected", e.test)),
            (None, false) => Err(format!(
                "control {}: should pass, failed: {summary}",
                e.test
            )),
            (Some(tag), false) if tags.iter().any(|t| t.eq_ignore_ascii_case(tag)) => Ok(format!(
                "control {}: failed as expected ({summary})",
                e.test
            )),
            (Some(tag), false) => Err(format!(
                "control {}: failed, but not for {tag}: {summary}",
                e.test
            )),
            (Some(tag), true) => Err(format!(
                "control {}: should fail with {tag}, but passed",
                e.test
            )),
        };
        lines.push(line);
    }
    for t in &v.tests {
        let name = t.id.rsplit(": ").next().unwrap_or(&t.id);
        if !expectations.iter().any(|e| e.test == name) {
            lines.push(Err(format!("control {name}: ran but has no expectation")));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_counts_repeated_tags() {
        let tags: Vec<String> = ["KASAN", "Oops", "KASAN", "KASAN"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(summarize(&tags), "KASAN x3, Oops");
        assert_eq!(summarize(&[]), "");
    }
    use crate::report::{judge, GuestEnd};
    use crate::{ktap, splat};

    const EXPECTED: &str = "# comment\ngood.sh pass\nuaf.sh fail KASAN\nbad.sh fail not-ok\n";

    fn verdict(uaf_splat: bool) -> RunVerdict {
        let ids: Vec<String> = ["c: good.sh", "c: uaf.sh", "c: bad.sh"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let text = "TAP version 13\n1..3\n# selftests: c: good.sh\nok 1 selftests: c: good.sh\n\
            # selftests: c: uaf.sh\nok 2 selftests: c: uaf.sh\n# selftests: c: bad.sh\nnot ok 3 selftests: c: bad.sh\n";
        let console = if uaf_splat {
            "[1.0] drvlife: test 2 start: c: uaf.sh\n[1.1] BUG: KASAN: slab-use-after-free in f\n"
        } else {
            ""
        };
        judge(
            &ids,
            &ktap::parse(text),
            splat::scan(console),
            &GuestEnd::Reported(1),
            &std::collections::HashMap::new(),
        )
    }

    #[test]
    fn parses_and_rejects_bad_lines() {
        let e = parse(EXPECTED).unwrap();
        assert_eq!(e.len(), 3);
        assert_eq!(e[1].tag.as_deref(), Some("KASAN"));
        assert!(parse("x.sh maybe\n").unwrap_err().contains("line 1"));
        assert!(parse("# nothing\n").is_err());
    }

    #[test]
    fn controls_behaving_pass() {
        let lines = check(&parse(EXPECTED).unwrap(), &verdict(true));
        assert!(lines.iter().all(Result::is_ok), "{lines:?}");
    }

    #[test]
    fn a_missed_splat_is_caught() {
        let lines = check(&parse(EXPECTED).unwrap(), &verdict(false));
        let errors: Vec<_> = lines.iter().filter_map(|l| l.as_ref().err()).collect();
        assert_eq!(errors.len(), 1, "{lines:?}");
        assert!(errors[0].contains("uaf.sh"));
    }

    #[test]
    fn wrong_reason_and_unlisted_tests_are_caught() {
        let lines = check(
            &parse("good.sh pass\nuaf.sh fail WARNING\n").unwrap(),
            &verdict(true),
        );
        let errors: Vec<_> = lines.iter().filter_map(|l| l.as_ref().err()).collect();
        assert_eq!(errors.len(), 2, "{lines:?}");
        assert!(errors[0].contains("not for WARNING"));
        assert!(errors[1].contains("bad.sh"));
    }
}
