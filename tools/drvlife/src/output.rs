//! Human summary, JSON results and JUnit XML of a run.

use crate::report::{Reason, RunVerdict, TestVerdict};
use crate::splat::Splat;
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

/// Escapes a string for JSON.
pub fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Escapes a string for XML text and attributes.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Not allowed in XML 1.0 at all.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => out.push('?'),
            c => out.push(c),
        }
    }
    out
}

fn opt_f64(v: Option<f64>) -> String {
    v.map_or("null".to_string(), |v| format!("{v:.3}"))
}

/// One line describing why a test failed.
pub fn reason_text(reason: &Reason, splats: &[Splat]) -> String {
    match reason {
        Reason::NotOk(subs) if subs.is_empty() => "not ok".to_string(),
        Reason::NotOk(subs) => format!("not ok: {}", subs.join("; ")),
        Reason::Timeout(d) => format!("timeout: {d}"),
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
        Reason::Timeout(_) => vec!["timeout".into()],
        Reason::Unfinished => vec!["unfinished".into()],
        Reason::Missing => vec!["missing".into()],
        Reason::Splat(i) => splats[*i]
            .kinds
            .iter()
            .map(|k| k.name().to_string())
            .collect(),
    }
}

fn splat_json(s: &Splat) -> String {
    let kinds: Vec<_> = s.kinds.iter().map(|k| json_str(k.name())).collect();
    let excerpt: Vec<_> = s.excerpt.iter().map(|l| json_str(l)).collect();
    format!(
        "{{\"kinds\":[{}],\"time\":{},\"line\":{},\"phase\":{},\"headline\":{},\"excerpt\":[{}]}}",
        kinds.join(","),
        opt_f64(s.time),
        s.line,
        json_str(&s.phase.to_string()),
        json_str(&s.headline),
        excerpt.join(",")
    )
}

fn test_json(t: &TestVerdict, splats: &[Splat]) -> String {
    let verdict = match (t.ok(), t.skipped) {
        (true, false) => "pass",
        (true, true) => "skip",
        (false, _) => "fail",
    };
    let reasons: Vec<_> = t
        .reasons
        .iter()
        .map(|r| json_str(&reason_text(r, splats)))
        .collect();
    format!(
        "{{\"id\":{},\"verdict\":\"{verdict}\",\"subtests_passed\":{},\"subtests\":{},\"reasons\":[{}]}}",
        json_str(&t.id),
        t.subtests.0,
        t.subtests.1,
        reasons.join(",")
    )
}

/// The results as JSON.
pub fn to_json(v: &RunVerdict, info: &RunInfo) -> String {
    let (p, f, s) = v.counts();
    let tests: Vec<_> = v.tests.iter().map(|t| test_json(t, &v.splats)).collect();
    let problems: Vec<_> = v
        .problems
        .iter()
        .map(|p| {
            format!(
                "{{\"kind\":{},\"text\":{}}}",
                json_str(p.kind()),
                json_str(&p.to_string())
            )
        })
        .collect();
    let splats: Vec<_> = v.splats.iter().map(splat_json).collect();
    format!(
        "{{\"passed\":{},\"counts\":{{\"pass\":{p},\"fail\":{f},\"skip\":{s}}},\"accel\":{},\
         \"first_ktap_s\":{},\"duration_s\":{:.3},\"console_log\":{},\"ktap_log\":{},\
         \"tests\":[{}],\"problems\":[{}],\"splats\":[{}]}}\n",
        v.passed(),
        json_str(&info.accel),
        opt_f64(info.first_ktap_s),
        info.duration_s,
        json_str(&info.console),
        json_str(&info.ktap),
        tests.join(","),
        problems.join(","),
        splats.join(",")
    )
}

/// The results as JUnit XML; run-level problems become a test case of their own.
pub fn to_junit(v: &RunVerdict, info: &RunInfo) -> String {
    let (_, f, s) = v.counts();
    let failures = f + usize::from(!v.problems.is_empty());
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuite name=\"drvlife\" tests=\"{}\" failures=\"{failures}\" skipped=\"{s}\" time=\"{:.3}\">",
        v.tests.len() + 1,
        info.duration_s
    );
    for t in &v.tests {
        let (suite, name) = t.id.split_once(": ").unwrap_or(("", &t.id));
        let _ = write!(
            out,
            "  <testcase classname=\"{}\" name=\"{}\">",
            xml_escape(suite),
            xml_escape(name)
        );
        if !t.ok() {
            let texts: Vec<_> = t
                .reasons
                .iter()
                .map(|r| reason_text(r, &v.splats))
                .collect();
            let mut body = String::new();
            for r in &t.reasons {
                if let Reason::Splat(i) = r {
                    body.push_str(&v.splats[*i].excerpt.join("\n"));
                    body.push('\n');
                }
            }
            let _ = write!(
                out,
                "<failure message=\"{}\">{}</failure>",
                xml_escape(&texts.join(" | ")),
                xml_escape(&body)
            );
        } else if t.skipped {
            out.push_str("<skipped/>");
        }
        out.push_str("</testcase>\n");
    }
    out.push_str("  <testcase classname=\"run\" name=\"guest\">");
    if !v.problems.is_empty() {
        let texts: Vec<_> = v.problems.iter().map(ToString::to_string).collect();
        let _ = write!(
            out,
            "<failure message=\"{}\"/>",
            xml_escape(&texts.join(" | "))
        );
    }
    out.push_str("</testcase>\n</testsuite>\n");
    out
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
        for r in &t.reasons {
            let _ = writeln!(out, "      {}", reason_text(r, &v.splats));
            if let Reason::Splat(i) = r {
                excerpt(&mut out, &v.splats[*i]);
            }
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
    let _ = writeln!(out, "   console log: {}", info.console);
    let (p, f, s) = v.counts();
    let f = f + usize::from(!v.problems.is_empty() && f == 0);
    let _ = writeln!(out, "drvlife: {p} passed, {f} failed, {s} skipped");
    out
}

fn excerpt(out: &mut String, s: &Splat) {
    let at = s.time.map_or(String::new(), |t| format!(" at {t:.3} s"));
    let _ = writeln!(out, "        --- console line {}{at} ---", s.line);
    for l in s.excerpt.iter().take(25) {
        let _ = writeln!(out, "        | {l}");
    }
    if s.excerpt.len() > 25 {
        let _ = writeln!(out, "        | ... ({} more lines)", s.excerpt.len() - 25);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_escaping() {
        assert_eq!(json_str("a\"b\\c\nd\u{1}"), "\"a\\\"b\\\\c\\nd\\u0001\"");
    }

    #[test]
    fn xml_escaping() {
        assert_eq!(
            xml_escape("<a href='x'>&\u{0}"),
            "&lt;a href=&apos;x&apos;&gt;&amp;?"
        );
    }
}
