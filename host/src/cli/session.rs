//! Opening a session (config, grants, audit log, plugins) and the line loop.

use crate::caps::audit::AuditLog;
use crate::caps::grants::{GrantStore, Scope};
use crate::caps::{Capability, Services};
use crate::config::{Config, Paths};
use crate::plugins::discovery::{discover, NameFilter};
use crate::plugins::PluginHost;
use crate::state::AppState;
use anyhow::{bail, Context, Result};
use std::io::BufRead;
use std::process::ExitCode;

/// Everything a running aicoder holds.
pub struct Session {
    pub paths: Paths,
    pub host: PluginHost,
}

impl Session {
    /// Open the session for the current directory: load config, grants and
    /// plugins. Problems that should not stop the session (a refused plugin,
    /// an unreadable grants file) are printed and skipped.
    pub fn open(session_grants: &[String]) -> Result<Self> {
        let root = std::env::current_dir().context("cannot read the current directory")?;
        let config = Config::from_env()?;
        let debug = config.debug;
        let paths = Paths::for_project(&root);
        let (grants, grant_error) = GrantStore::load_or_read_only(&paths.grants_file());
        if let Some(err) = grant_error {
            eprintln!("aicoder: {err}");
        }
        let limits = config.sandbox;
        let services = Services::new(
            AppState::new(root, config),
            grants,
            AuditLog::new(paths.audit_log()),
            limits,
        );
        let mut host = PluginHost::new(services, paths.cache_dir.clone())
            .map_err(|e| anyhow::anyhow!("cannot start the plugin engine: {e}"))?;
        let (candidates, skipped) = discover(&paths, &NameFilter::from_env());
        if debug {
            for s in &skipped {
                eprintln!("[aicoder] skipped {}: {}", s.path.display(), s.reason);
            }
        }
        for err in host.load_all(&candidates) {
            eprintln!("aicoder: {err}");
        }
        if debug {
            for p in host.plugins() {
                let how = match p.cache {
                    crate::plugins::cache::CacheEvent::Hit => "component from cache".to_string(),
                    crate::plugins::cache::CacheEvent::Compiled { millis } => {
                        format!("compiled in {millis} ms")
                    }
                };
                let manifest = if p.manifest_cached {
                    "manifest from cache"
                } else {
                    "manifest read"
                };
                eprintln!(
                    "[aicoder] plugin {} {}: {how}, {manifest}",
                    p.manifest.name,
                    p.id.short_hash()
                );
            }
        }
        let session = Session { paths, host };
        for spec in session_grants {
            session.grant_spec(spec, Scope::Session)?;
        }
        Ok(session)
    }

    /// Apply `PLUGIN:CAP[,CAP...]` at `scope` to a loaded plugin.
    pub fn grant_spec(&self, spec: &str, scope: Scope) -> Result<()> {
        let Some((plugin, caps)) = spec.split_once(':') else {
            bail!("--grant takes PLUGIN:CAP[,CAP...], e.g. --grant example:workspace.read (got {spec:?})");
        };
        let info = self
            .host
            .plugin(plugin)
            .with_context(|| format!("--grant {spec}: no plugin named `{plugin}` is loaded"))?;
        let id = info.id.clone();
        for cap in caps.split(',').map(str::trim).filter(|c| !c.is_empty()) {
            let cap = parse_capability(cap)?;
            self.host.services().grants().grant(&id, cap, scope)?;
        }
        Ok(())
    }
}

/// Parse a capability name, listing the valid ones on error.
pub(crate) fn parse_capability(name: &str) -> Result<Capability> {
    Capability::parse(name).with_context(|| {
        let all: Vec<_> = Capability::ALL.iter().map(|c| c.name()).collect();
        format!(
            "unknown capability `{name}`; capabilities are: {}",
            all.join(", ")
        )
    })
}

const HELP: &str = "Commands:
  /help            this help
  /plugins         loaded plugins, their tools, commands and grants
  /grants          grants of this session and the persisted ones
  /audit [N]       the last N audit-log entries (default 20)
  /quit            leave
Plugin commands are listed by /plugins.";

/// The line loop. Chatting with a model is not built yet: this loop runs
/// slash commands (built in and from plugins) against the live session.
pub fn run(session_grants: &[String]) -> Result<ExitCode> {
    let mut session = Session::open(session_grants)?;
    let stdin = std::io::stdin();
    let interactive = std::io::IsTerminal::is_terminal(&stdin);
    if interactive {
        println!(
            "aicoder {} — /help for commands, /quit to leave",
            env!("CARGO_PKG_VERSION")
        );
    }
    for line in stdin.lock().lines() {
        let line = line.context("cannot read standard input")?;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let Some(command) = line.strip_prefix('/') else {
            eprintln!(
                "aicoder: no model client yet: only slash commands work in this build (/help lists them)"
            );
            continue;
        };
        let (name, args) = command
            .split_once(char::is_whitespace)
            .unwrap_or((command, ""));
        match name {
            "quit" | "exit" => break,
            "help" => println!("{HELP}"),
            "plugins" => super::plugin_cmd::print_plugins(&session.host),
            "grants" => super::plugin_cmd::print_grants(&session.host.services().grants()),
            "audit" => {
                let limit = args.trim().parse().unwrap_or(20);
                super::audit_cmd::print_recent(&session.paths.audit_log(), limit, None)?;
            }
            other => match session.host.command_owner(other).map(str::to_string) {
                Some(plugin) => match session.host.run_command(&plugin, other, args) {
                    Ok(out) => println!("{out}"),
                    Err(err) => eprintln!("aicoder: {err}"),
                },
                None => eprintln!("aicoder: unknown command /{other}; /help lists the commands"),
            },
        }
    }
    Ok(ExitCode::SUCCESS)
}
