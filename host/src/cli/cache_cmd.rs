//! `aicoder cache clean`: empty the compiled-plugin cache. It is pruned by
//! itself after each compile (see `plugins::cache_prune`); this removes all of
//! it, and the next start compiles each plugin again.

use crate::config::Paths;
use crate::plugins::cache_prune;
use anyhow::{Context, Result};
use std::process::ExitCode;

/// `aicoder cache` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum CacheCommand {
    /// Remove every compiled plugin, plugin record and file index entry.
    Clean,
}

pub fn run(cmd: CacheCommand) -> Result<ExitCode> {
    match cmd {
        CacheCommand::Clean => {
            let paths = Paths::for_project(&std::env::current_dir()?);
            let report = cache_prune::clean(&paths.cache_dir)
                .with_context(|| format!("cannot clean {}", paths.cache_dir.display()))?;
            println!(
                "removed {} compiled plugin(s), {:.1} MB, from {}",
                report.artifacts,
                report.bytes as f64 / 1e6,
                paths.cache_dir.display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
