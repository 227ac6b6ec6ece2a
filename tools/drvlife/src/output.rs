//! Human summary, JSON results and JUnit XML of a run.

use crate::report::{Reason, RunVerdict, TestVerdict};
use crate::splat::Splat;
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use serde::Serialize;
use std::fmt::Write as _;

/// Facts about the run that are not verdicts.
#[derive(Clone, Debug, Default)]
pub struct RunInfo {
    /// Accelerator used and why.
    pub accel: String,
    /// Seconds from QEMU start to the first KTAP byte.
    pub first_ktap_s: Option<f64>,
    /// Seconds from QEMU start to its end.
    pub duration_s: f64,
    /// Console log path.
    pub console: String,
    /// KTAP log path.
    pub ktap: String,
}

/// One line describing why a test failed.
pub fn reason_text(reason: &Reason, splats: &[Splat]) -> String {
    match reason {
        Reason::NotOk(subs) if subs.is_empty() => "not ok".to_string(),
        Reason::NotOk(subs) => format!("not ok: {}", subs.join("; ")),
        Reason::Timeout(d, _) => format!("timeout: {d}"),
        Reason::Stalled(_) => "stalled: the guest stopped making progress in it".to_string(),
        Reason::Unfinished => "unfinished: running when the guest stopped".to_string(),
        Reason::Missing => "missing: never ran".to_string(),
        Reason::Splat(i) => {
            let s = &splats[*i];
            let kinds: Vec<_> = s.kinds.iter().map(|k| k.name()).collect();
            format!("{} splat: {}", kinds.join("+"), s.headline)
        }
    }
}

/// Names of a reason for matching `expected` entries: `not-ok`, `timeout`,
/// `unfinished`, `missing`, or the splat's detector names.
pub fn reason_tags(reason: &Reason, splats: &[Splat]) -> Vec<String> {
    match reason {
        Reason::NotOk(_) => vec!["not-ok".into()],
        Reason::Timeout(..) => vec!["timeout".into()],
        Reason::Stalled(_) => vec!["stalled".into()],
        Reason::Unfinished => vec!["unfinished".into()],
        Reason::Missing => vec!["missing".into()],
        Reason::Splat(i) => splats[*i]
            .kinds
            .iter()
            .map(|k| k.name().to_string())
            .collect(),
    }
}

/// Console lines that explain a reason: a splat's excerpt, the stacks the
/// runner printed at a timeout, the host's SysRq dump of a stalled guest.
fn reason_lines<'a>(reason: &'a Reason, splats: &'a [Splat]) -> &'a [String] {
    match reason {
        Reason::Splat(i) => &splats[*i].excerpt,
        Reason::Timeout(_, lines) | Reason::Stalled(lines) => lines,
        _ => &[],
    }
}

#[derive(Serialize)]
struct JsonCounts {
    pass: usize,
    fail: usize,
    skip: usize,
}

#[derive(Serialize)]
struct JsonTest<'a> {
    id: &'a str,
    verdict: &'static str,
    subtests_passed: usize,
    subtests: usize,
    reasons: Vec<String>,
    /// Console lines explaining the reasons, in order.
    excerpt: Vec<&'a str>,
}

#[derive(Serialize)]
struct JsonProblem {
    kind: &'static str,
    text: String,
}

#[derive(Serialize)]
struct JsonSplat<'a> {
    kinds: Vec<&'static str>,
    time: Option<f64>,
    line: usize,
    phase: String,
    headline: &'a str,
    excerpt: &'a [String],
}

#[derive(Serialize)]
struct JsonRun<'a> {
    passed: bool,
    counts: JsonCounts,
    accel: &'a str,
    first_ktap_s: Option<f64>,
    duration_s: f64,
    console_log: &'a str,
    ktap_log: &'a str,
    tests: Vec<JsonTest<'a>>,
    problems: Vec<JsonProblem>,
    splats: Vec<JsonSplat<'a>>,
    known_failures: Vec<JsonKnown<'a>>,
}

#[derive(Serialize)]
struct JsonKnown<'a> {
    reason: &'a str,
    splat: JsonSplat<'a>,
}

fn json_splat(s: &Splat) -> JsonSplat<'_> {
    JsonSplat {
        kinds: s.kinds.iter().map(|k| k.name()).collect(),
        time: s.time,
        line: s.line,
        phase: s.phase.to_string(),
        headline: &s.headline,
        excerpt: &s.excerpt,
    }
}

fn verdict_name(t: &TestVerdict) -> &'static str {
    match (t.ok(), t.skipped) {
        (true, false) => "pass",
        (true, true) => "skip",
        (false, _) => "fail",
    }
}

/// The results as JSON.
pub fn to_json(v: &RunVerdict, info: &RunInfo) -> String {
    let (pass, fail, skip) = v.counts();
    let run = JsonRun {
        passed: v.passed(),
        counts: JsonCounts { pass, fail, skip },
        accel: &info.accel,
        first_ktap_s: info.first_ktap_s,
        duration_s: info.duration_s,
        console_log: &info.console,
        ktap_log: &info.ktap,
        tests: v
            .tests
            .iter()
            .map(|t| JsonTest {
                id: &t.id,
                verdict: verdict_name(t),
                subtests_passed: t.subtests.0,
                subtests: t.subtests.1,
                reasons: t
                    .reasons
                    .iter()
                    .map(|r| reason_text(r, &v.splats))
                    .collect(),
                excerpt: t
                    .reasons
                    .iter()
                    .flat_map(|r| reason_lines(r, &v.splats))
                    .map(String::as_str)
                    .collect(),
            })
            .collect(),
        problems: v
            .problems
            .iter()
            .map(|p| JsonProblem {
                kind: p.kind(),
                text: p.to_string(),
            })
            .collect(),
        splats: v.splats.iter().map(json_splat).collect(),
        known_failures: v
            .known
            .iter()
            .map(|k| JsonKnown {
                reason: &k.reason,
                splat: json_splat(&k.splat),
            })
            .collect(),
    };
    let mut text = serde_json::to_string(&run).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    text.push('\n');
    text
}

/// The results as JUnit XML; run-level problems become a test case of their own.
pub fn to_junit(v: &RunVerdict, info: &RunInfo) -> Result<String, String> {
    let mut suite = TestSuite::new("drvlife");
    suite.set_time(std::time::Duration::from_secs_f64(info.duration_s));
    for t in &v.tests {
        let (class, name) = t.id.split_once(": ").unwrap_or(("", &t.id));
        let status = if !t.ok() {
            let texts: Vec<_> = t
                .reasons
                .iter()
                .map(|r| reason_text(r, &v.splats))
                .collect();
            let body: Vec<&str> = t
                .reasons
                .iter()
                .flat_map(|r| reason_lines(r, &v.splats))
                .map(String::as_str)
                .collect();
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            s.set_message(texts.join(" | "));
            s.set_description(body.join("\n"));
            s
        } else if t.skipped {
            TestCaseStatus::skipped()
        } else {
            TestCaseStatus::success()
        };
        let mut case = TestCase::new(name, status);
        case.set_classname(class);
        suite.add_test_case(case);
    }
    let status = if v.problems.is_empty() {
        TestCaseStatus::success()
    } else {
        let texts: Vec<_> = v.problems.iter().map(ToString::to_string).collect();
        let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
        s.set_message(texts.join(" | "));
        s
    };
    let mut case = TestCase::new("guest", status);
    case.set_classname("run");
    suite.add_test_case(case);
    let mut report = Report::new("drvlife");
    report.add_test_suite(suite);
    report.to_string().map_err(|e| format!("JUnit XML: {e}"))
}

/// The human summary printed at the end of a run.
pub fn summary(v: &RunVerdict, info: &RunInfo) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "== drvlife results ({})", info.accel);
    if let Some(t) = info.first_ktap_s {
        let _ = writeln!(
            out,
            "   boot to first KTAP line: {t:.1} s, whole run: {:.1} s",
            info.duration_s
        );
    }
    for t in &v.tests {
        let tag = match (t.ok(), t.skipped) {
            (true, false) => "PASS",
            (true, true) => "SKIP",
            (false, _) => "FAIL",
        };
        let subs = if t.subtests.1 > 0 {
            format!(" ({}/{} subtests)", t.subtests.0, t.subtests.1)
        } else {
            String::new()
        };
        let _ = writeln!(out, "{tag}  {}{subs}", t.id);
        // A bug hit in a loop reports every access (KASAN, kmemleak): the
        // first splat of each detector and headline is shown in full, the
        // others counted on one line (results.json has them all).
        let mut repeats: Vec<(String, usize)> = Vec::new();
        for r in &t.reasons {
            let text = reason_text(r, &v.splats);
            if let Reason::Splat(_) = r {
                if let Some(seen) = repeats.iter_mut().find(|(t, _)| *t == text) {
                    seen.1 += 1;
                    continue;
                }
                repeats.push((text.clone(), 0));
            }
            let _ = writeln!(out, "      {text}");
            match r {
                Reason::Splat(i) => excerpt(&mut out, &v.splats[*i]),
                Reason::Timeout(_, lines) | Reason::Stalled(lines) if !lines.is_empty() => {
                    lines_excerpt(&mut out, "console", lines);
                }
                _ => {}
            }
        }
        for (text, n) in repeats.iter().filter(|(_, n)| *n > 0) {
            let _ = writeln!(out, "      ... and {n} more: {text}");
        }
    }
    for p in &v.problems {
        let _ = writeln!(out, "RUN   {p}");
        if let crate::report::Problem::Splat(i) = p {
            let s = &v.splats[*i];
            let _ = writeln!(out, "      during {}: {}", s.phase, s.headline);
            excerpt(&mut out, s);
        }
    }
    // One line per known failure, however often it printed (KASAN reports
    // every access of one bug); results.json has every splat.
    for (reason, n, first) in crate::known::by_reason(&v.known) {
        let kinds: Vec<_> = first.kinds.iter().map(|k| k.name()).collect();
        let _ = writeln!(
            out,
            "KNOWN {} splat x{n} during {}, first: {}",
            kinds.join("+"),
            first.phase,
            first.headline
        );
        let _ = writeln!(out, "      known failure, not a pass: {reason}");
    }
    let _ = writeln!(out, "   console log: {}", info.console);
    let (p, f, s) = v.counts();
    let f = f + usize::from(!v.problems.is_empty() && f == 0);
    let known = if v.known.is_empty() {
        String::new()
    } else {
        format!(", {} known failures", v.known.len())
    };
    let _ = writeln!(out, "drvlife: {p} passed, {f} failed, {s} skipped{known}");
    out
}

fn excerpt(out: &mut String, s: &Splat) {
    let at = s.time.map_or(String::new(), |t| format!(" at {t:.3} s"));
    lines_excerpt(out, &format!("console line {}{at}", s.line), &s.excerpt);
}

/// Longest excerpt in the summary (results.json has all of it).
const SUMMARY_LINES: usize = 40;

fn lines_excerpt(out: &mut String, title: &str, lines: &[String]) {
    let _ = writeln!(out, "        --- {title} ---");
    for l in lines.iter().take(SUMMARY_LINES) {
        let _ = writeln!(out, "        | {l}");
    }
    if lines.len() > SUMMARY_LINES {
        let _ = writeln!(
            out,
            "        | ... ({} more lines)",
            lines.len() - SUMMARY_LINES
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::RunVerdict;

    fn verdict() -> RunVerdict {
        RunVerdict {
            tests: vec![TestVerdict {
                id: "s: <a>.sh".into(),
                skipped: false,
                reasons: vec![Reason::Stalled(vec!["task:insmod state:D \"x\"".into()])],
                subtests: (0, 0),
            }],
            problems: vec![],
            splats: vec![],
            known: vec![],
        }
    }

    #[test]
    fn json_is_valid_and_carries_the_excerpt() {
        let text = to_json(&verdict(), &RunInfo::default());
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["tests"][0]["verdict"], "fail");
        assert_eq!(v["tests"][0]["excerpt"][0], "task:insmod state:D \"x\"");
        assert_eq!(v["counts"]["fail"], 1);
    }

    #[test]
    fn known_failures_are_counted_apart_and_grouped() {
        let console = "[0.5] BUG: KASAN: slab-use-after-free in f\n\
            [0.6] ==================================================================\n\
            [0.7] BUG: KASAN: slab-use-after-free in g\n\
            [0.8] ==================================================================\n";
        let mut v = verdict();
        v.known = crate::splat::scan(console)
            .into_iter()
            .map(|splat| crate::known::KnownSplat {
                splat,
                reason: "upstream".into(),
            })
            .collect();
        let text = summary(&v, &RunInfo::default());
        assert_eq!(text.matches("KNOWN KASAN splat x2").count(), 1, "{text}");
        assert!(
            text.contains("1 failed, 0 skipped, 2 known failures"),
            "{text}"
        );
        let json: serde_json::Value =
            serde_json::from_str(&to_json(&v, &RunInfo::default())).unwrap();
        assert_eq!(json["known_failures"].as_array().unwrap().len(), 2);
        assert_eq!(json["counts"]["fail"], 1);
    }

    #[test]
    fn repeated_splats_of_a_test_are_shown_once_and_counted() {
        let console = "[0.5] BUG: KASAN: slab-use-after-free in f\n\
            [0.6] ==================================================================\n\
            [0.7] BUG: KASAN: slab-use-after-free in f\n\
            [0.8] ==================================================================\n\
            [0.9] BUG: KASAN: slab-use-after-free in f\n\
            [1.0] ==================================================================\n\
            [1.1] WARNING: CPU: 0 PID: 1 at x.c:1 g+0x0/0x1\n";
        let mut v = verdict();
        v.splats = crate::splat::scan(console);
        v.tests[0].reasons = (0..v.splats.len()).map(Reason::Splat).collect();
        let text = summary(&v, &RunInfo::default());
        assert_eq!(text.matches("--- console line").count(), 2, "{text}");
        assert!(
            text.contains("... and 2 more: KASAN splat: BUG: KASAN: slab-use-after-free in f"),
            "{text}"
        );
    }

    #[test]
    fn junit_escapes_and_names_the_failure() {
        let xml = to_junit(&verdict(), &RunInfo::default()).unwrap();
        assert!(xml.contains("name=\"&lt;a&gt;.sh\""), "{xml}");
        assert!(xml.contains("classname=\"s\""), "{xml}");
        assert!(xml.contains("stalled"), "{xml}");
    }
}
