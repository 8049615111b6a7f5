//! `aicoder plugin precompile` (hidden; `make build` runs it): compile the
//! shipped plugins into the user's cache and record their manifests, so the
//! first session on a fresh machine starts in milliseconds instead of
//! compiling python_runtime for seconds.

use crate::caps::audit::AuditLog;
use crate::caps::grants::GrantStore;
use crate::caps::Services;
use crate::config::{Config, Paths};
use crate::plugins::discovery::{discover, NameFilter, PluginSource};
use crate::plugins::PluginHost;
use crate::state::AppState;
use anyhow::{Context, Result};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

/// A plugin host with no grants that caches into the user's cache; its
/// audit log is a throw-away file (nothing here runs with a capability).
fn bare_host(scratch: &Path) -> Result<(PluginHost, Paths)> {
    let root = std::env::current_dir().context("cannot read the current directory")?;
    let paths = Paths::for_project(&root);
    let config = Config::from_lookup(|_| None)?;
    let limits = config.sandbox;
    let services = Services::new(
        AppState::new(root, config),
        GrantStore::in_memory(),
        AuditLog::new(scratch.join("audit.jsonl")),
        limits,
    );
    let host = PluginHost::new(services, paths.cache_dir.clone())
        .map_err(|e| anyhow::anyhow!("cannot start the plugin engine: {e}"))?;
    Ok((host, paths))
}

/// Compile every shipped plugin into the cache (a no-op for those already
/// there).
pub fn run() -> Result<ExitCode> {
    let scratch = tempfile::tempdir().context("cannot make a temporary folder")?;
    let (mut host, paths) = bare_host(scratch.path())?;
    // Only the shipped plugins: no project or user folder is looked at.
    let shipped_only = Paths {
        project_dir: scratch.path().join("project"),
        user_config_dir: scratch.path().join("user"),
        ..paths.clone()
    };
    let (candidates, _) = discover(&shipped_only, &NameFilter::default());
    let mut code = ExitCode::SUCCESS;
    for c in candidates
        .iter()
        .filter(|c| c.source == PluginSource::Shipped)
    {
        let started = Instant::now();
        let loaded = host.load(&c.path, PluginSource::Shipped).cloned();
        let compiled = loaded.and_then(|info| {
            host.ensure_compiled(&info.manifest.name)?;
            Ok(info)
        });
        match compiled {
            Ok(info) => {
                // Beside the file too, so a fresh cache needs no compile
                // to know the plugin; an installed, read-only copy is fine
                // without.
                let _ = crate::plugins::write_shipped_record(&info);
                println!(
                    "precompiled {} into {} ({} ms)",
                    info.manifest.name,
                    paths.cache_dir.display(),
                    started.elapsed().as_millis()
                )
            }
            Err(e) => {
                eprintln!("aicoder: {e}");
                code = ExitCode::FAILURE;
            }
        }
    }
    Ok(code)
}

/// Record `file` (just installed) in the cache, so the next session neither
/// compiles nor hashes it. Failure only costs that session the time.
pub fn remember(file: &Path, source: PluginSource) {
    let Ok(scratch) = tempfile::tempdir() else {
        return;
    };
    if let Ok((mut host, _)) = bare_host(scratch.path()) {
        if let Ok(name) = host.load(file, source).map(|i| i.manifest.name.clone()) {
            let _ = host.ensure_compiled(&name);
        }
    }
}
