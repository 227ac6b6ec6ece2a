//! The system calls the actors make, each returning the errno on failure:
//! one `write()` to a sysfs file, reads and writes at offset 0 of an open
//! attribute, and the module syscalls (no fork, no shell).

use std::ffi::CStr;
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::FileExt;
use std::path::Path;

/// The errno of an I/O error (EIO if it has none).
pub fn errno_of(e: &std::io::Error) -> i32 {
    e.raw_os_error().unwrap_or(libc::EIO)
}

/// Opens `path` for writing and writes `bytes` in one `write()`.
pub fn write_once(path: &Path, bytes: &[u8]) -> Result<(), i32> {
    let mut f = OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(|e| errno_of(&e))?;
    f.write(bytes).map(|_| ()).map_err(|e| errno_of(&e))
}

/// Opens `path` for reading and writing (attributes kept open by a thread).
pub fn open_rw(path: &Path) -> Result<File, i32> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .map_err(|e| errno_of(&e))
}

/// One `pwrite()` of `bytes` at offset 0.
pub fn pwrite0(f: &File, bytes: &[u8]) -> Result<(), i32> {
    f.write_at(bytes, 0).map(|_| ()).map_err(|e| errno_of(&e))
}

/// One `pread()` at offset 0 into `buf`; the bytes read.
pub fn pread0(f: &File, buf: &mut [u8]) -> Result<usize, i32> {
    f.read_at(buf, 0).map_err(|e| errno_of(&e))
}

/// Reads a whole small file.
pub fn read_text(path: &Path) -> Result<String, i32> {
    let mut s = String::new();
    File::open(path)
        .and_then(|mut f| f.read_to_string(&mut s))
        .map_err(|e| errno_of(&e))?;
    Ok(s)
}

/// `finit_module(2)` of the file at `path` with `params`.
pub fn finit_module(path: &Path, params: &CStr) -> Result<(), i32> {
    let f = File::open(path).map_err(|e| errno_of(&e))?;
    // SAFETY: the fd is open for the call's duration and `params` is a
    // NUL-terminated string that outlives it; flags 0.
    let rc = unsafe { libc::syscall(libc::SYS_finit_module, f.as_raw_fd(), params.as_ptr(), 0) };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error()
            .raw_os_error()
            .unwrap_or(libc::EIO))
    }
}

/// `delete_module(2)` of `name`, not waiting for its users (`O_NONBLOCK`).
pub fn delete_module(name: &CStr) -> Result<(), i32> {
    // SAFETY: `name` is a NUL-terminated string that outlives the call.
    let rc = unsafe { libc::syscall(libc::SYS_delete_module, name.as_ptr(), libc::O_NONBLOCK) };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error()
            .raw_os_error()
            .unwrap_or(libc::EIO))
    }
}

/// `ioctl(fd, cmd, 0)`.
pub fn ioctl0(f: &File, cmd: u64) -> Result<(), i32> {
    // SAFETY: the fd is open; a zero argument is what the target asked for
    // (commands that take a pointer get NULL and must fail with EFAULT).
    let rc = unsafe { libc::ioctl(f.as_raw_fd(), cmd as _, 0usize) };
    if rc >= 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error()
            .raw_os_error()
            .unwrap_or(libc::EIO))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errnos_come_back() {
        assert_eq!(
            write_once(Path::new("/nonexistent/x"), b"1"),
            Err(libc::ENOENT)
        );
        assert_eq!(read_text(Path::new("/nonexistent/x")), Err(libc::ENOENT));
        let dir = std::env::temp_dir();
        assert_eq!(
            finit_module(&dir.join("drvtorture-none.ko"), c""),
            Err(libc::ENOENT)
        );
    }

    #[test]
    fn pread_and_pwrite_at_zero() {
        let p = std::env::temp_dir().join(format!("drvtorture-test-{}", std::process::id()));
        std::fs::write(&p, b"").unwrap();
        let f = open_rw(&p).unwrap();
        pwrite0(&f, b"alpha").unwrap();
        pwrite0(&f, b"be").unwrap();
        let mut buf = [0u8; 16];
        let n = pread0(&f, &mut buf).unwrap();
        assert_eq!(&buf[..n], b"bepha");
        std::fs::remove_file(&p).unwrap();
    }
}
