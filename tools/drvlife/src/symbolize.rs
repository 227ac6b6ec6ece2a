//! Stack frames to file:line, as the kernel's `decode_stacktrace.sh` does,
//! with `llvm-symbolizer`: each `symbol+0xoff/0xlen [module]` frame of an
//! excerpt is looked up in vmlinux or in the module's .ko (both need debug
//! info: `CONFIG_DEBUG_INFO`), by symbol and offset, so no load address is
//! needed. The location is appended to the frame's line.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// One frame of a stack dump.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    /// Symbol as printed (mangled for Rust).
    pub symbol: String,
    /// Offset into it.
    pub offset: u64,
    /// Module, if not vmlinux.
    pub module: Option<String>,
    /// The faulting instruction itself (`RIP:`), not a return address.
    pub exact: bool,
}

/// Parses a frame line such as `? foo+0x1a/0x40 [mod]` or
/// `RIP: 0010:foo+0x1a/0x40`.
pub fn parse_frame(line: &str) -> Option<Frame> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let (i, word) = words
        .iter()
        .enumerate()
        .find(|(_, w)| w.contains("+0x") && w.contains("/0x"))?;
    // `RIP: 0010:foo+0x..`: drop the segment selector.
    let word = word.rsplit(':').next().unwrap_or(word);
    let (symbol, rest) = word.rsplit_once("+0x")?;
    let (offset, _) = rest.split_once("/0x")?;
    let offset = u64::from_str_radix(offset, 16).ok()?;
    if symbol.is_empty() {
        return None;
    }
    let module = words
        .get(i + 1)
        .and_then(|w| w.strip_prefix('[')?.strip_suffix(']'))
        .map(str::to_string);
    Some(Frame {
        symbol: symbol.to_string(),
        offset,
        module,
        exact: line.contains("RIP: "),
    })
}

/// One object's distinct queries, in order, and for each the excerpt lines
/// (excerpt, line) its answer goes to.
type Lookups = (Vec<String>, HashMap<String, Vec<(usize, usize)>>);

/// Finds the objects and the symbolizer.
pub struct Symbolizer {
    tool: Option<PathBuf>,
    vmlinux: Option<PathBuf>,
    modules: HashMap<String, PathBuf>,
    /// Path prefixes cut from file names (kernel source tree, current dir).
    prefixes: Vec<String>,
}

fn find_kos(dir: &Path, depth: usize, out: &mut HashMap<String, PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.filter_map(Result::ok) {
        let p = e.path();
        if p.is_dir() && depth > 0 {
            find_kos(&p, depth - 1, out);
        } else if let Some(name) = p.file_name().and_then(|n| n.to_str()) {
            if let Some(stem) = name.strip_suffix(".ko") {
                out.entry(stem.replace('-', "_")).or_insert(p);
            }
        }
    }
}

fn which(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|n| {
        std::env::split_paths(&path)
            .map(|d| d.join(n))
            .find(|p| p.is_file())
    })
}

impl Symbolizer {
    /// `module_dirs` are searched (a few levels deep) for `.ko` files.
    pub fn new(vmlinux: Option<&Path>, module_dirs: &[PathBuf]) -> Self {
        let mut modules = HashMap::new();
        for d in module_dirs {
            find_kos(d, 4, &mut modules);
        }
        let mut prefixes = Vec::new();
        if let Some(src) = vmlinux
            .and_then(|v| v.parent())
            .and_then(|o| std::fs::canonicalize(o.join("source")).ok())
        {
            prefixes.push(format!("{}/", src.display()));
        }
        if let Ok(cwd) = std::env::current_dir() {
            prefixes.push(format!("{}/", cwd.display()));
        }
        Self {
            tool: which(&["llvm-symbolizer-19", "llvm-symbolizer"]),
            vmlinux: vmlinux.map(Path::to_path_buf),
            modules,
            prefixes,
        }
    }

    fn object(&self, f: &Frame) -> Option<&PathBuf> {
        match &f.module {
            Some(m) => self.modules.get(m),
            None => self.vmlinux.as_ref(),
        }
    }

    fn short(&self, file: &str) -> String {
        self.prefixes
            .iter()
            .find_map(|p| file.strip_prefix(p.as_str()))
            .unwrap_or(file)
            .to_string()
    }

    /// Looks up `queries` (`symbol+0xoff`) in `object`; one location text
    /// per query (`None` when unknown).
    fn lookup(&self, object: &Path, queries: &[String]) -> Vec<Option<String>> {
        let Some(tool) = &self.tool else {
            return vec![None; queries.len()];
        };
        let child = Command::new(tool)
            .arg(format!("--obj={}", object.display()))
            .args(["--inlines", "--functions=short", "--demangle"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn();
        let Ok(mut child) = child else {
            return vec![None; queries.len()];
        };
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(queries.join("\n").as_bytes());
            let _ = stdin.write_all(b"\n");
        }
        let Ok(out) = child.wait_with_output() else {
            return vec![None; queries.len()];
        };
        let text = String::from_utf8_lossy(&out.stdout);
        // One block per query, blank-line separated: function, file:line:col
        // pairs, innermost inline frame first.
        let mut answers: Vec<Option<String>> = text
            .split("\n\n")
            .map(|block| {
                let lines: Vec<&str> = block.lines().collect();
                let pairs: Vec<(&str, &str)> = lines
                    .chunks(2)
                    .filter_map(|c| Some((c[0], *c.get(1)?)))
                    .filter(|(_, loc)| !loc.starts_with("??"))
                    .collect();
                let loc = |l: &str| {
                    // Drop the column.
                    let l = match l.rsplit_once(':') {
                        Some((a, col))
                            if col.chars().all(|c| c.is_ascii_digit()) && a.contains(':') =>
                        {
                            a
                        }
                        _ => l,
                    };
                    self.short(l)
                };
                let (inner, first) = pairs.first()?;
                let mut text = loc(first);
                if pairs.len() > 1 {
                    let (outer, at) = pairs[pairs.len() - 1];
                    text.push_str(&format!(" in {inner}, inlined into {outer} at {}", loc(at)));
                }
                Some(text)
            })
            .collect();
        answers.resize(queries.len(), None);
        answers
    }

    /// Appends ` (file:line)` to every frame line of these excerpts it can
    /// decode; returns how many it decoded. One symbolizer per object for
    /// all of them, each distinct frame looked up once: a run with hundreds
    /// of KASAN reports of one bug decodes in one pass instead of starting
    /// the symbolizer (and loading vmlinux's debug info) for each report.
    pub fn annotate_all<'a>(&self, groups: impl IntoIterator<Item = &'a mut Vec<String>>) -> usize {
        let mut groups: Vec<&mut Vec<String>> = groups.into_iter().collect();
        // Per object: the distinct queries, and where each answer goes.
        let mut by_object: HashMap<PathBuf, Lookups> = HashMap::new();
        for (g, lines) in groups.iter().enumerate() {
            for (i, line) in lines.iter().enumerate() {
                let Some(f) = parse_frame(line) else {
                    continue;
                };
                let Some(obj) = self.object(&f) else {
                    continue;
                };
                // A return address points after its call: look up the call
                // itself.
                let off = if f.exact {
                    f.offset
                } else {
                    f.offset.saturating_sub(1)
                };
                let query = format!("{}+{off:#x}", f.symbol);
                let (queries, targets) = by_object.entry(obj.clone()).or_default();
                let at = targets.entry(query.clone()).or_insert_with(|| {
                    queries.push(query);
                    Vec::new()
                });
                at.push((g, i));
            }
        }
        let mut decoded = 0;
        for (object, (queries, targets)) in by_object {
            for (query, answer) in queries.iter().zip(self.lookup(&object, &queries)) {
                let Some(a) = answer else {
                    continue;
                };
                for &(g, i) in &targets[query] {
                    groups[g][i].push_str(&format!(" ({a})"));
                    decoded += 1;
                }
            }
        }
        decoded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_frames() {
        assert_eq!(
            parse_frame(" ? probe_one+0x1a/0x40 [lifecycle_faulty]"),
            Some(Frame {
                symbol: "probe_one".into(),
                offset: 0x1a,
                module: Some("lifecycle_faulty".into()),
                exact: false
            })
        );
        let rip = parse_frame("RIP: 0010:_RNvCs1_4core9panicking+0x5/0x10").unwrap();
        assert_eq!(rip.symbol, "_RNvCs1_4core9panicking");
        assert!(rip.exact && rip.module.is_none());
        assert_eq!(parse_frame("Call Trace:"), None);
        assert_eq!(parse_frame("kasan: x+0xzz/0x10"), None);
    }
}
