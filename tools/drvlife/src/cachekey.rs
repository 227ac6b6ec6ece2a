//! Cache keys of the kernel build.
//!
//! A kernel build is reused exactly when its inputs are the same: kernel
//! version, the config fragment's options, the patch series (names, order and
//! contents) and the toolchain versions. Comments and blank lines of the
//! fragment, option order, and files in `rust/` that are not patches do not
//! count, so editing a comment or the series' README rebuilds nothing.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Inputs of one kernel build.
#[derive(Clone, Debug, Default)]
pub struct BuildInputs {
    /// `make kernelversion` of the source plus where it came from.
    pub kernel: String,
    /// The config fragment's text.
    pub fragment: String,
    /// The patch series: (file name, contents), in application order.
    pub patches: Vec<(String, Vec<u8>)>,
    /// Toolchain version lines (rustc, clang, bindgen).
    pub toolchain: Vec<String>,
}

/// The option lines of a config fragment, sorted: what Kconfig sees.
pub fn fragment_options(fragment: &str) -> Vec<String> {
    let mut opts: Vec<String> = fragment
        .lines()
        .map(str::trim)
        .filter(|l| {
            l.starts_with("CONFIG_") || (l.starts_with("# CONFIG_") && l.ends_with(" is not set"))
        })
        .map(str::to_string)
        .collect();
    opts.sort();
    opts.dedup();
    opts
}

/// The series in `dir`: every `*.patch`, in name order.
pub fn read_series(dir: &Path) -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "patch"))
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(e),
    };
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            Ok((name, std::fs::read(&p)?))
        })
        .collect()
}

fn hex16(digest: &[u8]) -> String {
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

fn feed(h: &mut Sha256, tag: &str, data: &[u8]) {
    // Length-prefixed fields: no two different inputs hash the same stream.
    h.update(tag.as_bytes());
    h.update((data.len() as u64).to_le_bytes());
    h.update(data);
}

/// Key of the patched source tree: kernel source + series.
pub fn patch_key(inputs: &BuildInputs) -> String {
    let mut h = Sha256::new();
    feed(&mut h, "kernel", inputs.kernel.as_bytes());
    for (name, body) in &inputs.patches {
        feed(&mut h, "patch-name", name.as_bytes());
        feed(&mut h, "patch", body);
    }
    hex16(&h.finalize())
}

/// Key of the whole build: patched source + config + toolchain.
pub fn build_key(inputs: &BuildInputs) -> String {
    let mut h = Sha256::new();
    feed(&mut h, "source", patch_key(inputs).as_bytes());
    for opt in fragment_options(&inputs.fragment) {
        feed(&mut h, "option", opt.as_bytes());
    }
    for tool in &inputs.toolchain {
        feed(&mut h, "tool", tool.trim().as_bytes());
    }
    hex16(&h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> BuildInputs {
        BuildInputs {
            kernel: "7.3.4 /cache/src/linux-source-7.3".into(),
            fragment: "# base\nCONFIG_RUST=y\nCONFIG_KASAN=y\n".into(),
            patches: vec![
                ("0001-a.patch".into(), b"diff a".to_vec()),
                ("0002-b.patch".into(), b"diff b".to_vec()),
            ],
            toolchain: vec![
                "rustc 1.96.0".into(),
                "clang 19.1.7".into(),
                "bindgen 0.73.2".into(),
            ],
        }
    }

    #[test]
    fn same_inputs_same_key() {
        assert_eq!(build_key(&base()), build_key(&base()));
        assert_eq!(build_key(&base()).len(), 16);
    }

    #[test]
    fn comments_blank_lines_and_order_do_not_count() {
        let mut other = base();
        other.fragment = "CONFIG_KASAN=y\n\n# a new comment\nCONFIG_RUST=y\n".into();
        assert_eq!(build_key(&base()), build_key(&other));
    }

    #[test]
    fn every_real_input_changes_the_key() {
        let k = build_key(&base());
        let mut v = base();
        v.kernel = "7.3.5 /cache/src/linux-source-7.3".into();
        assert_ne!(build_key(&v), k, "kernel version");
        let mut v = base();
        v.fragment.push_str("CONFIG_KCSAN=y\n");
        assert_ne!(build_key(&v), k, "config option");
        let mut v = base();
        v.fragment.push_str("# CONFIG_KASAN_INLINE is not set\n");
        assert_ne!(build_key(&v), k, "explicitly unset option");
        let mut v = base();
        v.patches[1].1 = b"diff b2".to_vec();
        assert_ne!(build_key(&v), k, "patch contents");
        let mut v = base();
        v.patches.swap(0, 1);
        assert_ne!(build_key(&v), k, "patch order");
        let mut v = base();
        v.patches.pop();
        assert_ne!(build_key(&v), k, "patch removed");
        let mut v = base();
        v.toolchain[0] = "rustc 1.97.0".into();
        assert_ne!(build_key(&v), k, "toolchain");
    }

    #[test]
    fn config_changes_keep_the_patched_source() {
        let mut v = base();
        v.fragment.push_str("CONFIG_KCSAN=y\n");
        v.toolchain[1] = "clang 20".into();
        assert_eq!(patch_key(&v), patch_key(&base()));
    }

    #[test]
    fn field_boundaries_matter() {
        let mut a = base();
        a.patches = vec![("ab".into(), b"c".to_vec())];
        let mut b = base();
        b.patches = vec![("a".into(), b"bc".to_vec())];
        assert_ne!(patch_key(&a), patch_key(&b));
    }

    #[test]
    fn series_reads_only_patches_in_order() {
        let dir = std::env::temp_dir().join(format!("drvlife-series-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("0002-b.patch"), "b").unwrap();
        std::fs::write(dir.join("0001-a.patch"), "a").unwrap();
        std::fs::write(dir.join("README.md"), "not a patch").unwrap();
        let series = read_series(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        let names: Vec<_> = series.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["0001-a.patch", "0002-b.patch"]);
        assert!(read_series(Path::new("/nonexistent/series"))
            .unwrap()
            .is_empty());
    }
}
