//! From the command line's guest options to a QEMU configuration: kernel
//! command line, machine file, the per-boot overlay.

use crate::cli::{Accel, GuestArgs};
use crate::overlay::{self, Mode};
use crate::qemu;
use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

/// QEMU arguments from a machine file: whitespace-separated, `#` comments,
/// `@IMAGE_DIR@` standing for the directory of the initramfs (where the image
/// build puts files such as the compiled ACPI table).
pub fn machine_args(text: &str, image_dir: &Path) -> Vec<String> {
    let image_dir = image_dir.display().to_string();
    text.lines()
        .map(|l| l.split('#').next().unwrap_or(""))
        .flat_map(str::split_whitespace)
        .map(|a| a.replace("@IMAGE_DIR@", &image_dir))
        .collect()
}

/// A QEMU configuration for one boot of `mode`.
pub fn config(
    g: &GuestArgs,
    mode: &Mode<'_>,
    terminal: qemu::Terminal,
    timeout: Duration,
) -> Result<qemu::Config, String> {
    for p in [&g.kernel, &g.initrd] {
        if !p.is_file() {
            return Err(format!("{} does not exist", p.display()));
        }
    }
    std::fs::create_dir_all(&g.out).map_err(|e| format!("{}: {e}", g.out.display()))?;
    let initrd = overlay::compose(&g.initrd, &g.out, mode, &g.selftests, &g.modules)?;
    // kasan_multi_shot: KASAN reports every bug, not just the first of the
    // boot; otherwise one bug would hide every later one in the same run.
    // log_buf_len: the kernel crate's doctests alone print about 400 KB at
    // boot, more than the default 128 KB ring buffer, from which the guest
    // saves the boot log its tests read.
    let boot_kunit = match g.boot_kunit.as_deref() {
        None | Some("*") => String::new(),
        Some(glob) if glob.is_empty() || glob.contains(char::is_whitespace) => {
            return Err(format!(
                "--boot-kunit '{glob}': want a KUnit suite glob without spaces"
            ))
        }
        Some(glob) => format!("kunit.filter_glob={glob} "),
    };
    let append = format!(
        "console=ttyS0 panic=-1 kasan_multi_shot log_buf_len=2M {boot_kunit}{}",
        g.append
    );
    let machine_args = match &g.machine {
        Some(m) => machine_args(
            &std::fs::read_to_string(m).map_err(|e| format!("{}: {e}", m.display()))?,
            g.initrd.parent().unwrap_or(Path::new(".")),
        ),
        None => Vec::new(),
    };
    Ok(qemu::Config {
        qemu: "qemu-system-x86_64".into(),
        kernel: g.kernel.clone(),
        initrd,
        append: append.trim().to_string(),
        machine_args,
        out_dir: g.out.clone(),
        timeout,
        accel: match g.accel {
            Accel::Auto => qemu::AccelChoice::Auto,
            Accel::Kvm => qemu::AccelChoice::Kvm,
            Accel::Tcg => qemu::AccelChoice::Tcg,
        },
        probe_timeout: Duration::from_secs(g.probe_timeout),
        probe_cache: g.probe_cache.clone(),
        terminal,
        stall_grace: None,
        test_timeouts: HashMap::new(),
    })
}

/// The exit status the guest's init logged for a shell or command
/// (`drvlife: init: command exit status N`), if it did.
pub fn logged_status(console: &str) -> Option<u8> {
    console.lines().rev().find_map(|l| {
        l.split_once("drvlife: init: command exit status ")
            .and_then(|(_, n)| n.trim().parse().ok())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn machine_file_comments_and_image_dir() {
        let args = machine_args(
            "-m 1024 # memory\n\n-acpitable file=@IMAGE_DIR@/t.aml\n",
            Path::new("/img"),
        );
        assert_eq!(args, ["-m", "1024", "-acpitable", "file=/img/t.aml"]);
    }

    #[test]
    fn finds_the_logged_status() {
        assert_eq!(
            logged_status("[ 1.0] x\n[ 2.0] drvlife: init: command exit status 130\n"),
            Some(130)
        );
        assert_eq!(logged_status("nothing"), None);
    }
}
