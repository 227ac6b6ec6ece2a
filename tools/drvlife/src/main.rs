//! `drvlife`: host side of the Rust driver lifecycle lab.
//!
//! `run` boots the guest kernel in QEMU with the selftest suites and judges
//! them; `shell` and `exec` boot the same guest to work in; `list` prints
//! the tests a run selects; `cache-key` computes the kernel build's keys.

mod boot;
mod cachekey;
mod cli;
mod expect;
mod interactive;
mod known;
mod ktap;
mod output;
mod overlay;
mod qemu;
mod qmp;
mod report;
mod run;
mod selection;
mod splat;
mod stall;
mod symbolize;

use clap::Parser;
use cli::{CacheKeyArgs, Cli, Command, ListArgs};
use std::process::ExitCode;

fn list(a: &ListArgs) -> Result<ExitCode, String> {
    for t in selection::select(&a.selftests, &a.suites)? {
        println!("{} {}", t.path(), t.timeout);
    }
    Ok(ExitCode::SUCCESS)
}

fn cache_key(a: &CacheKeyArgs) -> Result<ExitCode, String> {
    let fragment = std::fs::read_to_string(&a.fragment)
        .map_err(|e| format!("{}: {e}", a.fragment.display()))?;
    let inputs = cachekey::BuildInputs {
        kernel: a.kernel.clone(),
        fragment,
        patches: cachekey::read_series(&a.series)
            .map_err(|e| format!("{}: {e}", a.series.display()))?,
        toolchain: a.tools.clone(),
    };
    println!(
        "{} {}",
        cachekey::patch_key(&inputs),
        cachekey::build_key(&inputs)
    );
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Run(a) => run::run(a),
        Command::Shell(g) => interactive::shell(g),
        Command::Exec(a) => interactive::exec(a),
        Command::List(a) => list(a),
        Command::CacheKey(a) => cache_key(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("drvlife: error: {e}");
            ExitCode::from(2)
        }
    }
}
