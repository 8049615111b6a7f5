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
    // The folder's MCP servers (.mcp.json) and its config file's choice of
    // model server are trusted with it, each by its hash.
    let (servers, _) = crate::mcp::config::load_all(&paths, &folder);
    let servers: Vec<_> = servers
        .iter()
        .filter(|e| e.origin == crate::mcp::config::Origin::Project)
        .collect();
    let mut records = plugins.clone();
    records.extend(servers.iter().map(|e| crate::mcp::trust_record(e)));
    if let Some(hash) = crate::config::project_config_hash(&paths) {
        records.push(ProjectPlugin {
            path: paths.project_config_file(),
            file: crate::config::PROJECT_CONFIG_TRUST_NAME.to_string(),
            hash,
            ceiling: Default::default(),
        });
    }
    let autoexec = crate::session::autoexec::trust_record(&paths);
    records.extend(autoexec.clone());
    if records.is_empty() {
        println!(
            "nothing to trust: no plugins in {}, no .mcp.json servers, no .aicoder/config.toml, no .aicoder/autoexec",
            paths.project_plugins().display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    store.trust(&folder, &records)?;
    println!("trusted in {}:", folder.display());
    for p in &plugins {
        println!("  {}", p.describe());
    }
    for e in &servers {
        println!(
            "  MCP server {}: {} ({})",
            e.name,
            crate::term::sanitize::visible(&e.entry.target()),
            e.short_hash()
        );
    }
    if records.len() > plugins.len() + servers.len() + usize::from(autoexec.is_some()) {
        println!("  .aicoder/config.toml (it may choose the model server and model)");
    }
    if autoexec.is_some() {
        println!("  .aicoder/autoexec (its lines are typed at the start of each session)");
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
