//! `aicoder trust` / `aicoder untrust`: whether this folder's own plugins
//! (`.aicoder/plugins`) may load. Trust is remembered per folder and plugin
//! file hash in `trust.json`; a changed file must be trusted again.

use crate::config::Paths;
use crate::plugins::discovery::{discover, NameFilter, PluginSource};
use crate::plugins::trust::{ProjectPlugin, TrustStore};
use anyhow::{Context, Result};
use std::process::ExitCode;

/// Options of `aicoder trust`.
#[derive(Debug, clap::Args)]
pub struct TrustArgs {
    /// List what is trusted, in every folder, instead of trusting this one.
    #[arg(long)]
    list: bool,
}

/// `aicoder trust [--list]`.
pub fn trust(args: TrustArgs) -> Result<ExitCode> {
    let folder = std::env::current_dir().context("cannot read the current directory")?;
    let paths = Paths::for_project(&folder);
    let mut store = TrustStore::load(&TrustStore::file(&paths))?;
    if args.list {
        if store.entries().is_empty() {
            println!("no folder is trusted");
        }
        for e in store.entries() {
            println!(
                "{}  {}  {}  (trusted {})",
                e.folder,
                e.file,
                e.hash.get(..12).unwrap_or(&e.hash),
                e.trusted_at
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    let (candidates, skipped) = discover(&paths, &NameFilter::from_env());
    let plugins = candidates
        .iter()
        .filter(|c| c.source == PluginSource::Project)
        .map(|c| ProjectPlugin::read(&c.path))
        .collect::<Result<Vec<_>, _>>()?;
    for s in skipped.iter().filter(|s| s.refused) {
        eprintln!("aicoder: plugin {} {}", s.path.display(), s.reason);
    }
    if plugins.is_empty() {
        println!(
            "no plugins to trust in {}",
            paths.project_plugins().display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    store.trust(&folder, &plugins)?;
    println!("trusted in {}:", folder.display());
    for p in &plugins {
        println!("  {}", p.describe());
    }
    println!("they load from now on; nothing is granted to them yet");
    Ok(ExitCode::SUCCESS)
}

/// `aicoder untrust`: forget this folder's trusted plugins.
pub fn untrust() -> Result<ExitCode> {
    let folder = std::env::current_dir().context("cannot read the current directory")?;
    let paths = Paths::for_project(&folder);
    let mut store = TrustStore::load(&TrustStore::file(&paths))?;
    let removed = store.untrust(&folder)?;
    println!(
        "{}: {removed} trusted plugin file(s) forgotten; its plugins no longer load",
        folder.display()
    );
    Ok(ExitCode::SUCCESS)
}
