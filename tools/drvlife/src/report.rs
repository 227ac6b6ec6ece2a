//! Turns what the guest said (KTAP), what the kernel said (splats) and how
//! the guest ended into one verdict per test and one for the run.
//!
//! The rule: a test passes only if KTAP says ok *and* no splat appeared while
//! it ran. The run passes only if every expected test passed or was skipped,
//! no splat appeared at all (also outside tests), and the guest finished and
//! reported a status that agrees.

use crate::known::KnownSplat;
use crate::ktap::{KtapRun, Status};
use crate::splat::Splat;
use std::collections::HashMap;
use std::fmt;

/// How the guest ended, as the host saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GuestEnd {
    /// The guest reported this status through isa-debug-exit.
    Reported(u8),
    /// QEMU exited without a report (kernel panic with -no-reboot, a
    /// poweroff, QEMU error): its exit code.
    NoReport(i32),
    /// The host killed QEMU after this many seconds.
    TimedOut(u64),
    /// A test outlived its timeout plus the grace: the host dumped the
    /// kernel's tasks (SysRq) and stopped the guest.
    Stalled {
        /// `suite: name` of the test that was running.
        test: String,
        /// Console lines printed for the SysRq requests.
        dump: Vec<String>,
    },
}

/// Why a test did not pass.
#[derive(Clone, Debug, PartialEq)]
pub enum Reason {
    /// KTAP said `not ok` (with the failed subtests' descriptions).
    NotOk(Vec<String>),
    /// The runner killed it at its timeout (the KTAP directive, and the
    /// stacks of the test's tasks the runner printed before killing them).
    Timeout(String, Vec<String>),
    /// The guest stalled in it (the host's SysRq dump).
    Stalled(Vec<String>),
    /// A splat appeared while it ran (index into the run's splats).
    Splat(usize),
    /// It was running when the guest died or the run timed out.
    Unfinished,
    /// It never ran.
    Missing,
}

/// Verdict for one test.
#[derive(Clone, Debug, PartialEq)]
pub struct TestVerdict {
    /// `suite: name`.
    pub id: String,
    /// Skipped by the test itself (and nothing went wrong).
    pub skipped: bool,
    /// Empty when the test passed.
    pub reasons: Vec<Reason>,
    /// Subtests passed / total.
    pub subtests: (usize, usize),
}

impl TestVerdict {
    /// True when the test passed or was skipped cleanly.
    pub fn ok(&self) -> bool {
        self.reasons.is_empty()
    }
}

/// A problem of the run as a whole.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// The host killed the guest.
    GuestTimeout(u64),
    /// The guest stalled in this test and was stopped.
    GuestStall(String),
    /// The guest died without reporting (panic, triple fault, ...).
    GuestCrash(i32),
    /// The guest reported a non-zero status.
    GuestFailed(u8),
    /// The guest reported success, yet tests failed (the runner lied).
    StatusMismatch(u8),
    /// No KTAP at all.
    NoKtap,
    /// `Bail out!`.
    BailOut(String),
    /// The plan did not match the tests expected or seen.
    PlanMismatch { planned: u32, expected: usize },
    /// A test ran that was not expected.
    Unexpected(String),
    /// A splat outside any test (index into the splats).
    Splat(usize),
}

impl Problem {
    /// Short machine-readable name, used by `--expect-problem`.
    pub fn kind(&self) -> &'static str {
        match self {
            Problem::GuestTimeout(_) => "guest-timeout",
            Problem::GuestStall(_) => "guest-stall",
            Problem::GuestCrash(_) => "guest-crash",
            Problem::GuestFailed(_) => "guest-failed",
            Problem::StatusMismatch(_) => "status-mismatch",
            Problem::NoKtap => "no-ktap",
            Problem::BailOut(_) => "bail-out",
            Problem::PlanMismatch { .. } => "plan-mismatch",
            Problem::Unexpected(_) => "unexpected-test",
            Problem::Splat(_) => "splat-outside-tests",
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::GuestTimeout(s) => {
                write!(f, "guest did not finish within {s} s and was killed")
            }
            Problem::GuestStall(t) => write!(
                f,
                "guest stalled in {t} (past its timeout and the grace): tasks dumped, guest stopped"
            ),
            Problem::GuestCrash(c) => write!(
                f,
                "guest ended without reporting a status (QEMU exit {c}): kernel panic or crash"
            ),
            Problem::GuestFailed(s) => write!(f, "guest runner reported failure (status {s})"),
            Problem::StatusMismatch(s) => {
                write!(f, "guest reported status {s} but tests failed")
            }
            Problem::NoKtap => f.write_str("no KTAP output from the guest"),
            Problem::BailOut(m) => write!(f, "guest bailed out: {m}"),
            Problem::PlanMismatch { planned, expected } => {
                write!(f, "guest planned {planned} tests, host expected {expected}")
            }
            Problem::Unexpected(id) => write!(f, "unexpected test ran: {id}"),
            Problem::Splat(i) => write!(f, "splat #{} outside any test", i + 1),
        }
    }
}

/// The whole run's verdict.
#[derive(Clone, Debug)]
pub struct RunVerdict {
    /// Per test, in the expected order (unexpected ones appended).
    pub tests: Vec<TestVerdict>,
    /// Run-level problems.
    pub problems: Vec<Problem>,
    /// All splats found, but the known failures.
    pub splats: Vec<Splat>,
    /// Splats of known upstream bugs (see `known`): reported, never judged.
    pub known: Vec<KnownSplat>,
}

impl RunVerdict {
    /// True when everything passed.
    pub fn passed(&self) -> bool {
        self.problems.is_empty() && self.tests.iter().all(TestVerdict::ok)
    }

    /// (passed, failed, skipped) test counts.
    pub fn counts(&self) -> (usize, usize, usize) {
        let passed = self.tests.iter().filter(|t| t.ok() && !t.skipped).count();
        let skipped = self.tests.iter().filter(|t| t.ok() && t.skipped).count();
        (passed, self.tests.len() - passed - skipped, skipped)
    }
}

/// Decides every verdict. `expected` lists the tests (`suite: name`) the
/// host expects to run, in order.
/// `stacks` holds, per test, the task stacks the runner printed when it
/// killed the test at its timeout.
pub fn judge(
    expected: &[String],
    ktap: &KtapRun,
    splats: Vec<Splat>,
    end: &GuestEnd,
    stacks: &HashMap<String, Vec<String>>,
) -> RunVerdict {
    let mut problems = Vec::new();
    let mut tests = Vec::new();

    match end {
        GuestEnd::TimedOut(s) => problems.push(Problem::GuestTimeout(*s)),
        GuestEnd::Stalled { test, .. } => problems.push(Problem::GuestStall(test.clone())),
        GuestEnd::NoReport(c) => problems.push(Problem::GuestCrash(*c)),
        GuestEnd::Reported(_) => {}
    }
    if !ktap.version_seen {
        problems.push(Problem::NoKtap);
    }
    if let Some(msg) = &ktap.bail_out {
        problems.push(Problem::BailOut(msg.clone()));
    }
    if let Some(planned) = ktap.plan {
        if planned as usize != expected.len() {
            problems.push(Problem::PlanMismatch {
                planned,
                expected: expected.len(),
            });
        }
    }

    let test_splats = |id: &str| -> Vec<usize> {
        splats
            .iter()
            .enumerate()
            .filter(|(_, s)| s.phase.blamed_test() == Some(id))
            .map(|(i, _)| i)
            .collect()
    };

    let mut ids: Vec<String> = expected.to_vec();
    for case in &ktap.tests {
        let id = case.id();
        if !ids.contains(&id) {
            problems.push(Problem::Unexpected(id.clone()));
            ids.push(id);
        }
    }

    for id in &ids {
        let mut reasons = Vec::new();
        let mut skipped = false;
        let mut subtests = (0, 0);
        match ktap.tests.iter().find(|c| &c.id() == id) {
            None => reasons.push(Reason::Missing),
            Some(case) => {
                subtests = (
                    case.subtests
                        .iter()
                        .filter(|s| s.status != Status::Fail)
                        .count(),
                    case.subtests.len(),
                );
                match &case.result {
                    None => match end {
                        GuestEnd::Stalled { test, dump } if test == id => {
                            reasons.push(Reason::Stalled(dump.clone()))
                        }
                        _ => reasons.push(Reason::Unfinished),
                    },
                    Some(r) if case.timed_out() => reasons.push(Reason::Timeout(
                        r.directive.clone().unwrap_or_default(),
                        stacks.get(id).cloned().unwrap_or_default(),
                    )),
                    Some(r) => match r.status {
                        Status::Pass => {}
                        Status::Skip => skipped = true,
                        Status::Fail => reasons.push(Reason::NotOk(
                            case.subtests
                                .iter()
                                .filter(|s| s.status == Status::Fail)
                                .map(|s| s.description.clone())
                                .collect(),
                        )),
                    },
                }
            }
        }
        reasons.extend(test_splats(id).into_iter().map(Reason::Splat));
        tests.push(TestVerdict {
            id: id.clone(),
            skipped,
            reasons,
            subtests,
        });
    }

    for (i, s) in splats.iter().enumerate() {
        if s.phase.blamed_test().is_none() {
            problems.push(Problem::Splat(i));
        }
    }

    if let GuestEnd::Reported(status) = end {
        let any_ktap_failure = ktap
            .tests
            .iter()
            .any(|c| c.result.as_ref().is_none_or(|r| r.status == Status::Fail));
        if *status != 0 {
            // The runner's own failure is already explained by failed tests;
            // report it separately only when nothing else explains it.
            if !any_ktap_failure {
                problems.push(Problem::GuestFailed(*status));
            }
        } else if any_ktap_failure {
            problems.push(Problem::StatusMismatch(*status));
        }
    }

    RunVerdict {
        tests,
        problems,
        splats,
        known: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ktap, splat};

    fn expected() -> Vec<String> {
        vec!["s: a.sh".to_string(), "s: b.sh".to_string()]
    }

    const KTAP_OK: &str = "TAP version 13\n1..2\n# selftests: s: a.sh\n# ok 1 x\nok 1 selftests: s: a.sh\n\
        # selftests: s: b.sh\nok 2 selftests: s: b.sh # SKIP\n# Totals: pass:1 fail:0 xfail:0 xpass:0 skip:1 error:0\n";

    #[test]
    fn clean_run_passes() {
        let v = judge(
            &expected(),
            &ktap::parse(KTAP_OK),
            vec![],
            &GuestEnd::Reported(0),
            &HashMap::new(),
        );
        assert!(v.passed(), "{v:#?}");
        assert_eq!(v.counts(), (1, 0, 1));
        assert_eq!(v.tests[0].subtests, (1, 1));
    }

    #[test]
    fn splat_fails_a_test_that_said_ok() {
        let console =
            "[1.0] drvlife: test 1 start: s: a.sh\n[1.1] BUG: KASAN: slab-use-after-free in f\n\
            [1.2] ==================================================================\n\
            [1.3] drvlife: test 1 end: s: a.sh: rc=0\n";
        let v = judge(
            &expected(),
            &ktap::parse(KTAP_OK),
            splat::scan(console),
            &GuestEnd::Reported(0),
            &HashMap::new(),
        );
        assert!(!v.passed());
        assert_eq!(v.tests[0].reasons, vec![Reason::Splat(0)]);
        assert!(v.tests[1].ok());
        assert!(v.problems.is_empty(), "{:?}", v.problems);
        assert_eq!(v.counts(), (0, 1, 1));
    }

    #[test]
    fn leak_found_after_a_test_is_blamed_on_it() {
        let console = "[1.0] drvlife: test 1 start: s: a.sh\n\
            [2.0] drvlife: test 1 end: s: a.sh: rc=0\n\
            [2.1] drvlife: test 1 kmemleak scan: s: a.sh\n\
            [9.0] kmemleak-report: unreferenced object 0xffff888003d2c000 (size 16384):\n\
            [9.5] drvlife: test 2 start: s: b.sh\n";
        let v = judge(
            &expected(),
            &ktap::parse(KTAP_OK),
            splat::scan(console),
            &GuestEnd::Reported(0),
            &HashMap::new(),
        );
        assert_eq!(v.tests[0].reasons, vec![Reason::Splat(0)]);
        assert!(v.tests[1].ok());
        assert!(v.problems.is_empty(), "{:?}", v.problems);
    }

    #[test]
    fn splat_outside_tests_fails_the_run() {
        let console = "[0.5] WARNING: CPU: 0 PID: 1 at x.c:1 f\n";
        let v = judge(
            &expected(),
            &ktap::parse(KTAP_OK),
            splat::scan(console),
            &GuestEnd::Reported(0),
            &HashMap::new(),
        );
        assert!(!v.passed());
        assert_eq!(v.problems, vec![Problem::Splat(0)]);
    }

    #[test]
    fn crash_leaves_missing_and_unfinished_tests() {
        let text = "TAP version 13\n1..2\n# selftests: s: a.sh\n# TAP version 13\n";
        let v = judge(
            &expected(),
            &ktap::parse(text),
            vec![],
            &GuestEnd::NoReport(0),
            &HashMap::new(),
        );
        assert!(!v.passed());
        assert_eq!(v.tests[0].reasons, vec![Reason::Unfinished]);
        assert_eq!(v.tests[1].reasons, vec![Reason::Missing]);
        assert_eq!(v.problems[0].kind(), "guest-crash");
    }

    #[test]
    fn timeout_and_not_ok_are_failures() {
        let text = "TAP version 13\n1..2\n# selftests: s: a.sh\n# not ok 1 sub\nnot ok 1 selftests: s: a.sh # exit=1\n\
            # selftests: s: b.sh\nnot ok 2 selftests: s: b.sh # TIMEOUT 20 seconds\n";
        let v = judge(
            &expected(),
            &ktap::parse(text),
            vec![],
            &GuestEnd::Reported(1),
            &HashMap::new(),
        );
        assert_eq!(v.tests[0].reasons, vec![Reason::NotOk(vec!["sub".into()])]);
        assert_eq!(
            v.tests[1].reasons,
            vec![Reason::Timeout("TIMEOUT 20 seconds".into(), vec![])]
        );
        assert!(v.problems.is_empty(), "{:?}", v.problems);
        assert_eq!(v.counts(), (0, 2, 0));
    }

    #[test]
    fn host_timeout_and_empty_output() {
        let v = judge(
            &expected(),
            &ktap::parse(""),
            vec![],
            &GuestEnd::TimedOut(60),
            &HashMap::new(),
        );
        let kinds: Vec<_> = v.problems.iter().map(Problem::kind).collect();
        assert_eq!(kinds, vec!["guest-timeout", "no-ktap"]);
        assert!(v.tests.iter().all(|t| t.reasons == vec![Reason::Missing]));
    }

    #[test]
    fn plan_mismatch_unexpected_test_and_lying_status() {
        let text = "TAP version 13\n1..1\n# selftests: s: zzz.sh\nnot ok 1 selftests: s: zzz.sh\n";
        let v = judge(
            &expected(),
            &ktap::parse(text),
            vec![],
            &GuestEnd::Reported(0),
            &HashMap::new(),
        );
        let kinds: Vec<_> = v.problems.iter().map(Problem::kind).collect();
        assert_eq!(
            kinds,
            vec!["plan-mismatch", "unexpected-test", "status-mismatch"]
        );
        assert_eq!(v.tests.len(), 3);
    }

    #[test]
    fn failed_status_without_failed_tests_is_reported() {
        let v = judge(
            &expected(),
            &ktap::parse(KTAP_OK),
            vec![],
            &GuestEnd::Reported(1),
            &HashMap::new(),
        );
        assert_eq!(v.problems, vec![Problem::GuestFailed(1)]);
    }
}
