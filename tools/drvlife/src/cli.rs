//! Command line of `drvlife` (clap: the options, their help and their errors
//! come from one declaration instead of a hand-written parser).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Host side of the Rust driver lifecycle lab.
#[derive(Debug, Parser)]
#[command(name = "drvlife", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Boot the guest, run selftests, judge KTAP and kernel splats.
    ///
    /// Exit status: 0 pass (or, with --expect/--expect-problem, the
    /// expectations met), 1 failure, 2 usage or set-up error.
    Run(RunArgs),
    /// Boot the guest and give an interactive shell on this terminal.
    ///
    /// Exit status: the shell's, 255 when the guest crashed.
    Shell(GuestArgs),
    /// Boot the guest, run one shell command there, exit with its status.
    ///
    /// The command's output goes to standard output; 255 means the guest
    /// crashed (kernel panic), 124 that the command outlived --timeout.
    Exec(ExecArgs),
    /// Print the tests a run of these suites would run, one per line, with
    /// their timeouts.
    List(ListArgs),
    /// Print the kernel build's cache keys (patched source, whole build).
    CacheKey(CacheKeyArgs),
}

/// Accelerator choice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Accel {
    /// KVM when its boot probe succeeds, else TCG.
    Auto,
    /// KVM or fail.
    Kvm,
    /// TCG only.
    Tcg,
}

/// Everything needed to boot the guest.
#[derive(Debug, Args)]
pub struct GuestArgs {
    /// The kernel (bzImage).
    #[arg(long)]
    pub kernel: PathBuf,
    /// The base initramfs (scripts/build-image.sh).
    #[arg(long)]
    pub initrd: PathBuf,
    /// A directory of selftest suites; repeat to add your own. The first is
    /// already in the image, later ones are added to this boot.
    #[arg(long = "selftests", required = true)]
    pub selftests: Vec<PathBuf>,
    /// An extra kernel module (.ko) for this boot, put in /modules.
    #[arg(long = "module")]
    pub modules: Vec<PathBuf>,
    /// Output directory: logs, QEMU command line, results.
    #[arg(long)]
    pub out: PathBuf,
    /// QEMU arguments of the test machine (qemu/machine.args).
    #[arg(long)]
    pub machine: Option<PathBuf>,
    /// Extra kernel command line.
    #[arg(long, default_value = "")]
    pub append: String,
    /// Accelerator.
    #[arg(long, value_enum, default_value_t = Accel::Auto)]
    pub accel: Accel,
    /// Seconds KVM has to print the kernel banner before TCG is used.
    #[arg(long, default_value_t = 10)]
    pub probe_timeout: u64,
    /// File remembering a failed KVM probe.
    #[arg(long)]
    pub probe_cache: Option<PathBuf>,
    /// vmlinux with debug info, to decode stack frames to file:line.
    #[arg(long)]
    pub vmlinux: Option<PathBuf>,
    /// A directory searched (recursively) for the .ko files of modules named
    /// in stack frames; repeatable.
    #[arg(long = "module-dir")]
    pub module_dirs: Vec<PathBuf>,
    /// Splats of known upstream bugs at boot, reported as known failures
    /// instead of failing the run (format: the `known` module's doc).
    #[arg(long)]
    pub known_failures: Option<PathBuf>,
    /// The built-in KUnit suites to run at boot, as KUnit's suite glob
    /// (`kunit.filter_glob`); default every one. The guest's init lets every
    /// module's suites run at insmod again.
    #[arg(long)]
    pub boot_kunit: Option<String>,
}

/// `drvlife run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// How to boot.
    #[command(flatten)]
    pub guest: GuestArgs,
    /// A suite (directory) or SUITE/TEST.sh; repeatable. Default: every
    /// product suite (not controls*, not bench).
    #[arg(long = "suite")]
    pub suites: Vec<String>,
    /// Kill the guest after this many seconds (default: boot allowance +
    /// every test's timeout).
    #[arg(long)]
    pub timeout: Option<u64>,
    /// Seconds past a test's own timeout before the host declares the guest
    /// stalled, dumps its tasks and CPUs (SysRq) and stops it.
    #[arg(long, default_value_t = 30)]
    pub stall_grace: u64,
    /// Negative control: expected failure reasons per test.
    #[arg(long)]
    pub expect: Option<PathBuf>,
    /// Negative control: the run must fail with this run-level problem.
    #[arg(long)]
    pub expect_problem: Option<String>,
    /// Do not echo the guest's KTAP.
    #[arg(long)]
    pub quiet: bool,
    /// Append this run's counts as a key=value line to FILE.
    #[arg(long)]
    pub counts: Option<PathBuf>,
}

/// `drvlife exec`.
#[derive(Debug, Args)]
pub struct ExecArgs {
    /// How to boot.
    #[command(flatten)]
    pub guest: GuestArgs,
    /// Give up after this many seconds (exit status 124).
    #[arg(long, default_value_t = 3600)]
    pub timeout: u64,
    /// The command, run by the guest's sh; quote it or put it after `--`.
    #[arg(required = true, trailing_var_arg = true, allow_hyphen_values = true)]
    pub command: Vec<String>,
}

/// `drvlife list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Directories of selftest suites.
    #[arg(long = "selftests", required = true)]
    pub selftests: Vec<PathBuf>,
    /// Suites or SUITE/TEST.sh (default: every product suite).
    #[arg(long = "suite")]
    pub suites: Vec<String>,
}

/// `drvlife cache-key`.
#[derive(Debug, Args)]
pub struct CacheKeyArgs {
    /// Kernel version and source path.
    #[arg(long)]
    pub kernel: String,
    /// Config fragment.
    #[arg(long)]
    pub fragment: PathBuf,
    /// Patch series directory.
    #[arg(long)]
    pub series: PathBuf,
    /// Toolchain version strings.
    #[arg(long = "tool")]
    pub tools: Vec<String>,
}
