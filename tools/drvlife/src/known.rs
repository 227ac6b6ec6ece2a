//! Known failures: splats that an upstream bug prints outside our tests
//! (at boot, or caused at boot and printed later), listed in a reviewed
//! file with the reason for each.
//!
//! A splat that matches an entry is taken out of the run's verdict and
//! reported on its own as a known failure: it neither fails the run nor
//! counts as a pass, and the summary, `results.json` and the counts file
//! show it every time it happens. A splat that matches no entry fails the
//! run as before.
//!
//! File format, one entry per line (`#` starts a comment line):
//!
//! ```text
//! PHASE DETECTOR TEXT REASON...
//! boot  debugobjects rust_doctest_kernel_time_hrtimer_rs upstream bug: ...
//! ```
//!
//! `PHASE` is `boot` (before the first test) or `any` (also later: for a
//! bug set off at boot whose report comes seconds later, in whichever test
//! runs then; its `TEXT` must then name the upstream code that set it
//! off, so that no test of ours can be taken for it); `DETECTOR` a splat kind as
//! `expected` files name them (`WARNING`, `debugobjects`, ...); `TEXT` a
//! string without spaces that must appear in the splat's report; `REASON`
//! the rest of the line, shown with every occurrence.

use crate::splat::{Phase, Splat};

/// One entry of the known-failures file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnownFailure {
    /// Known in any phase, not only at boot.
    pub anywhere: bool,
    /// A detector that must have spoken in the splat.
    pub detector: String,
    /// Text the splat's report must contain.
    pub text: String,
    /// Why it is known, and where it is explained.
    pub reason: String,
}

impl KnownFailure {
    /// True when `splat` is this known failure.
    pub fn matches(&self, splat: &Splat) -> bool {
        (self.anywhere || matches!(splat.phase, Phase::Boot))
            && splat
                .kinds
                .iter()
                .any(|k| k.name().eq_ignore_ascii_case(&self.detector))
            && (splat.headline.contains(&self.text)
                || splat.excerpt.iter().any(|l| l.contains(&self.text)))
    }
}

/// A splat that matched an entry.
#[derive(Clone, Debug)]
pub struct KnownSplat {
    /// The splat, as found.
    pub splat: Splat,
    /// The entry's reason.
    pub reason: String,
}

/// The three words of an entry and the rest of its line (the reason).
fn split_entry(line: &str) -> Option<(&str, &str, &str, &str)> {
    let mut rest = line;
    let mut word = || {
        let w = rest.trim_start();
        let end = w.find(char::is_whitespace)?;
        rest = &w[end..];
        Some(&w[..end])
    };
    let (phase, detector, text) = (word()?, word()?, word()?);
    let reason = rest.trim();
    (!reason.is_empty()).then_some((phase, detector, text, reason))
}

/// Parses a known-failures file. Errors name the bad line.
pub fn parse(text: &str) -> Result<Vec<KnownFailure>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((phase, detector, needle, reason)) = split_entry(line) else {
            return Err(format!(
                "line {}: want 'PHASE DETECTOR TEXT REASON': {line}",
                i + 1
            ));
        };
        let anywhere = match phase {
            "boot" => false,
            "any" => true,
            _ => {
                return Err(format!(
                    "line {}: phase '{phase}': want 'boot' or 'any' (a test's own known failure belongs in the test)",
                    i + 1
                ))
            }
        };
        if !crate::splat::Kind::ALL
            .iter()
            .any(|k| k.name().eq_ignore_ascii_case(detector))
        {
            return Err(format!("line {}: unknown detector '{detector}'", i + 1));
        }
        out.push(KnownFailure {
            anywhere,
            detector: detector.to_string(),
            text: needle.to_string(),
            reason: reason.to_string(),
        });
    }
    Ok(out)
}

/// Reads the known-failures file, if one is given.
pub fn load(path: Option<&std::path::Path>) -> Result<Vec<KnownFailure>, String> {
    let Some(f) = path else {
        return Ok(Vec::new());
    };
    let text = std::fs::read_to_string(f).map_err(|e| format!("{}: {e}", f.display()))?;
    parse(&text).map_err(|e| format!("{}: {e}", f.display()))
}

/// The known failures seen, one per reason, in first-seen order: the
/// reason, how often it printed (KASAN reports every access of one bug) and
/// its first splat.
pub fn by_reason(seen: &[KnownSplat]) -> Vec<(&str, usize, &Splat)> {
    let mut out: Vec<(&str, usize, &Splat)> = Vec::new();
    for k in seen {
        match out.iter_mut().find(|(r, _, _)| *r == k.reason) {
            Some((_, n, _)) => *n += 1,
            None => out.push((&k.reason, 1, &k.splat)),
        }
    }
    out
}

/// Splits `splats` into the known failures and the rest, keeping order.
pub fn partition(known: &[KnownFailure], splats: Vec<Splat>) -> (Vec<KnownSplat>, Vec<Splat>) {
    let mut seen = Vec::new();
    let mut rest = Vec::new();
    for splat in splats {
        match known.iter().find(|k| k.matches(&splat)) {
            Some(k) => seen.push(KnownSplat {
                splat,
                reason: k.reason.clone(),
            }),
            None => rest.push(splat),
        }
    }
    (seen, rest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::splat;

    const FILE: &str = "# comment\n\
        boot   debugobjects  doctest_hrtimer    upstream: timers on the stack\n";

    fn boot_splat(text: &str) -> Splat {
        let console = format!(
            "[0.5] ODEBUG: object 0000 is on stack 0000, but NOT annotated.\n\
             [0.6] WARNING: CPU: 0 PID: 1 at lib/debugobjects.c:1 f+0x0/0x1\n\
             [0.7]  {text}+0x10/0x20\n\
             [0.8] ---[ end trace 0000000000000000 ]---\n\
             [1.0] drvlife: test 1 start: s: a.sh\n"
        );
        let mut splats = splat::scan(&console);
        assert_eq!(splats.len(), 1, "{splats:#?}");
        splats.remove(0)
    }

    #[test]
    fn parses_entries_and_refuses_bad_lines() {
        let k = parse(FILE).unwrap();
        assert_eq!(k.len(), 1);
        assert_eq!(k[0].detector, "debugobjects");
        assert_eq!(k[0].reason, "upstream: timers on the stack");
        assert!(parse("boot debugobjects x\n")
            .unwrap_err()
            .contains("line 1"));
        assert!(parse("test debugobjects x why\n")
            .unwrap_err()
            .contains("want 'boot' or 'any'"));
        assert!(parse("boot nosuch x why\n")
            .unwrap_err()
            .contains("unknown detector"));
    }

    #[test]
    fn only_a_matching_boot_splat_is_known() {
        let k = parse(FILE).unwrap();
        let (seen, rest) = partition(
            &k,
            vec![boot_splat("doctest_hrtimer"), boot_splat("other_code")],
        );
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].reason, "upstream: timers on the stack");
        assert_eq!(rest.len(), 1);
        assert!(rest[0].excerpt.iter().any(|l| l.contains("other_code")));
    }

    #[test]
    fn an_entry_covers_a_kmemleak_object_cut_by_other_lines() {
        // Issue 24: the second half of a cut object no longer named the
        // entry's frame, and failed the run.
        let console = include_str!("../testdata/kmemleak_interleaved.log");
        let entry = parse("any kmemleak build_changeset_next_level overlay nodes\n").unwrap();
        let (seen, rest) = partition(&entry, splat::scan(console));
        assert_eq!(seen.len(), 3);
        assert!(rest.is_empty(), "{rest:#?}");
    }

    #[test]
    fn a_boot_entry_does_not_cover_a_test_an_any_entry_does() {
        let in_test = || {
            let mut s = boot_splat("doctest_hrtimer");
            s.phase = Phase::Test(1, "s: a.sh".into());
            s
        };
        let (seen, rest) = partition(&parse(FILE).unwrap(), vec![in_test()]);
        assert!(seen.is_empty());
        assert_eq!(rest.len(), 1);
        let any = parse("any debugobjects doctest_hrtimer set off at boot\n").unwrap();
        let (seen, rest) = partition(&any, vec![in_test()]);
        assert_eq!(seen.len(), 1);
        assert!(rest.is_empty());
    }
}
