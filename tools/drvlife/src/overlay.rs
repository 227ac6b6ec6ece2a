//! The per-boot overlay: a small uncompressed cpio (newc) archive appended
//! to the base initramfs. Linux unpacks concatenated archives in order, so
//! its files are added to (or replace) the image's without rebuilding it:
//! what to run (`/drvlife/mode`, `/drvlife/tests`, `/drvlife/exec`), the
//! user's own selftest suites and modules.

use crate::selection::Test;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// An archive being built.
#[derive(Default)]
pub struct Cpio {
    data: Vec<u8>,
    dirs: BTreeSet<String>,
    ino: u32,
}

fn pad4(v: &mut Vec<u8>) {
    while !v.len().is_multiple_of(4) {
        v.push(0);
    }
}

impl Cpio {
    fn entry(&mut self, name: &str, mode: u32, body: &[u8]) {
        self.ino += 1;
        let fields = [
            self.ino,
            mode,
            0,
            0,
            1,
            0,
            body.len() as u32,
            0,
            0,
            0,
            0,
            name.len() as u32 + 1,
            0,
        ];
        self.data.extend_from_slice(b"070701");
        for f in fields {
            self.data.extend_from_slice(format!("{f:08x}").as_bytes());
        }
        self.data.extend_from_slice(name.as_bytes());
        self.data.push(0);
        pad4(&mut self.data);
        self.data.extend_from_slice(body);
        pad4(&mut self.data);
    }

    /// Adds every missing parent directory of `path` (relative, `a/b/c`).
    fn parents(&mut self, path: &str) {
        let mut at = String::new();
        for part in path
            .split('/')
            .collect::<Vec<_>>()
            .iter()
            .rev()
            .skip(1)
            .rev()
        {
            if !at.is_empty() {
                at.push('/');
            }
            at.push_str(part);
            if self.dirs.insert(at.clone()) {
                self.entry(&at.clone(), 0o040_755, &[]);
            }
        }
    }

    /// Adds a file at `path` (relative to the root) with `mode` bits.
    pub fn file(&mut self, path: &str, perm: u32, body: &[u8]) {
        self.parents(path);
        self.entry(path, 0o100_000 | perm, body);
    }

    /// Adds a host directory's regular files under `path`, recursively.
    pub fn tree(&mut self, path: &str, host: &Path) -> Result<(), String> {
        let mut entries: Vec<_> = std::fs::read_dir(host)
            .map_err(|e| format!("{}: {e}", host.display()))?
            .filter_map(Result::ok)
            .collect();
        entries.sort_by_key(std::fs::DirEntry::file_name);
        for e in entries {
            let name = format!("{path}/{}", e.file_name().to_string_lossy());
            let p = e.path();
            if p.is_dir() {
                self.tree(&name, &p)?;
            } else if p.is_file() {
                let body = std::fs::read(&p).map_err(|e| format!("{}: {e}", p.display()))?;
                self.file(&name, 0o755, &body);
            }
        }
        Ok(())
    }

    /// The archive, with its trailer.
    pub fn finish(mut self) -> Vec<u8> {
        self.entry("TRAILER!!!", 0, &[]);
        self.data
    }
}

/// What this boot does.
pub enum Mode<'a> {
    /// Run these tests.
    Run(&'a [Test]),
    /// An interactive shell.
    Shell,
    /// One command.
    Exec(&'a str),
}

/// Writes `out_dir/initrd.img`: the base image, then the overlay. Selftest
/// directories after the first and extra modules go into the overlay.
pub fn compose(
    base: &Path,
    out_dir: &Path,
    mode: &Mode<'_>,
    selftests: &[PathBuf],
    modules: &[PathBuf],
) -> Result<PathBuf, String> {
    let mut cpio = Cpio::default();
    match mode {
        Mode::Run(tests) => {
            cpio.file("drvlife/mode", 0o644, b"run\n");
            let list: String = tests
                .iter()
                .map(|t| format!("{} {}\n", t.path(), t.timeout))
                .collect();
            cpio.file("drvlife/tests", 0o644, list.as_bytes());
        }
        Mode::Shell => cpio.file("drvlife/mode", 0o644, b"shell\n"),
        Mode::Exec(cmd) => {
            cpio.file("drvlife/mode", 0o644, b"exec\n");
            cpio.file("drvlife/exec", 0o755, format!("{cmd}\n").as_bytes());
        }
    }
    for root in selftests.iter().skip(1) {
        for e in std::fs::read_dir(root)
            .map_err(|e| format!("{}: {e}", root.display()))?
            .filter_map(Result::ok)
            .filter(|e| e.path().is_dir())
        {
            let suite = e.file_name().to_string_lossy().into_owned();
            if selftests[0].join(&suite).exists() {
                return Err(format!(
                    "suite {suite} of {} has the name of one of ours",
                    root.display()
                ));
            }
            cpio.tree(&format!("selftests/{suite}"), &e.path())?;
        }
    }
    for m in modules {
        let name = m
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".ko"))
            .ok_or_else(|| format!("{}: not a .ko file", m.display()))?;
        let body = std::fs::read(m).map_err(|e| format!("{}: {e}", m.display()))?;
        cpio.file(&format!("modules/{name}"), 0o644, &body);
    }
    let mut image = std::fs::read(base).map_err(|e| format!("{}: {e}", base.display()))?;
    pad4(&mut image);
    image.extend_from_slice(&cpio.finish());
    let path = out_dir.join("initrd.img");
    std::fs::write(&path, image).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newc_entries_are_aligned_and_parents_come_first() {
        let mut c = Cpio::default();
        c.file("a/b/c", 0o644, b"xyz");
        let data = c.finish();
        let text = String::from_utf8_lossy(&data);
        let a = text.find("a\0").unwrap();
        let ab = text.find("a/b\0").unwrap();
        let abc = text.find("a/b/c\0").unwrap();
        assert!(a < ab && ab < abc);
        assert!(text.contains("TRAILER!!!"));
        assert_eq!(data.len() % 4, 0);
        // Every header starts on a 4-byte boundary with the newc magic.
        let mut at = 0;
        let mut n = 0;
        while at < data.len() {
            assert_eq!(&data[at..at + 6], b"070701", "entry {n}");
            let field = |i: usize| {
                let s = std::str::from_utf8(&data[at + 6 + i * 8..at + 14 + i * 8]).unwrap();
                usize::from_str_radix(s, 16).unwrap()
            };
            let (size, namesize) = (field(6), field(11));
            let mut next = at + 110 + namesize;
            next += (4 - next % 4) % 4;
            next += size;
            next += (4 - next % 4) % 4;
            at = next;
            n += 1;
        }
        assert_eq!(n, 4);
    }

    #[test]
    fn refuses_a_module_that_is_not_a_ko() {
        let dir = std::env::temp_dir().join(format!("drvlife-ov-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("base"), b"x").unwrap();
        let e = compose(
            &dir.join("base"),
            &dir,
            &Mode::Shell,
            std::slice::from_ref(&dir),
            &[dir.join("base")],
        )
        .unwrap_err();
        assert!(e.contains("not a .ko"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
