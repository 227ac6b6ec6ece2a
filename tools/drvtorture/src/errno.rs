//! Errno names: the target files and the report name errnos, never numbers.

/// The errnos a sysfs store, a module syscall or a device node can return,
/// by name. Enough for the actors; an unknown number prints as `E<n>`.
const NAMES: &[(i32, &str)] = &[
    (libc::EPERM, "EPERM"),
    (libc::ENOENT, "ENOENT"),
    (libc::EINTR, "EINTR"),
    (libc::EIO, "EIO"),
    (libc::ENXIO, "ENXIO"),
    (libc::E2BIG, "E2BIG"),
    (libc::ENOEXEC, "ENOEXEC"),
    (libc::EBADF, "EBADF"),
    (libc::EAGAIN, "EAGAIN"),
    (libc::ENOMEM, "ENOMEM"),
    (libc::EACCES, "EACCES"),
    (libc::EFAULT, "EFAULT"),
    (libc::EBUSY, "EBUSY"),
    (libc::EEXIST, "EEXIST"),
    (libc::ENODEV, "ENODEV"),
    (libc::ENOTDIR, "ENOTDIR"),
    (libc::EISDIR, "EISDIR"),
    (libc::EINVAL, "EINVAL"),
    (libc::ENOSPC, "ENOSPC"),
    (libc::ENOTTY, "ENOTTY"),
    (libc::ESPIPE, "ESPIPE"),
    (libc::EROFS, "EROFS"),
    (libc::ERANGE, "ERANGE"),
    (libc::EDEADLK, "EDEADLK"),
    (libc::ENOSYS, "ENOSYS"),
    (libc::ENOTEMPTY, "ENOTEMPTY"),
    (libc::ENODATA, "ENODATA"),
    (libc::ETIMEDOUT, "ETIMEDOUT"),
    (libc::EOPNOTSUPP, "EOPNOTSUPP"),
    (libc::EKEYREJECTED, "EKEYREJECTED"),
];

/// The name of errno `n` (`E<n>` if not in the table).
pub fn name(n: i32) -> String {
    NAMES
        .iter()
        .find(|(v, _)| *v == n)
        .map_or_else(|| format!("E{n}"), |(_, s)| (*s).to_string())
}

/// The number of errno `name`, or `None` for a name not in the table.
pub fn parse(name: &str) -> Option<i32> {
    NAMES.iter().find(|(_, s)| *s == name).map(|(v, _)| *v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for (n, s) in NAMES {
            assert_eq!(parse(s), Some(*n));
            assert_eq!(name(*n), *s);
        }
    }

    #[test]
    fn unknown_names_and_numbers() {
        assert_eq!(parse("ENOTANERRNO"), None);
        assert_eq!(parse("einval"), None);
        assert_eq!(name(9999), "E9999");
    }
}
