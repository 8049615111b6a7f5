//! `aicoder plugin ...`: list, inspect, grant, revoke, and call plugins.

use crate::caps::audit::AuditLog;
use crate::caps::grants::{GrantStore, Scope};
use crate::caps::Services;
use crate::config::{Config, Paths};
use crate::plugins::discovery::PluginSource;
use crate::plugins::PluginHost;
use crate::session::{parse_capability, Session};
use crate::state::AppState;
use anyhow::{bail, Context, Result};
use std::path::PathBuf;
use std::process::ExitCode;

/// `aicoder plugin` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum PluginCommand {
    /// List loaded plugins: version, source, hash, capability ceiling, grants.
    List,
    /// Show what a component file is and asks for, running only its manifest.
    Inspect { file: PathBuf },
    /// Show what a component asks for, then copy it into the project's (or
    /// with --user, your) plugin folder.
    Install {
        file: PathBuf,
        /// Install for all your projects (~/.config/aicoder/plugins).
        #[arg(long)]
        user: bool,
    },
    /// Create a Rust plugin crate in ./NAME (one tool, one command, a test).
    New { name: String },
    /// Grant a capability (or several, comma-separated) to a plugin.
    Grant {
        plugin: String,
        capability: String,
        /// always: persisted for this plugin version; deny: refuse until revoked.
        /// once and session exist only inside a running session (--grant, approval prompt).
        #[arg(long, value_enum, default_value = "always")]
        scope: Scope,
    },
    /// Remove grants and denials of a capability from a plugin (all versions).
    Revoke { plugin: String, capability: String },
    /// Run a plugin tool with JSON arguments, using the current grants.
    Call {
        plugin: String,
        tool: String,
        /// Arguments as a JSON object.
        #[arg(default_value = "{}")]
        args: String,
    },
    /// Run a plugin command with the rest of the line as its arguments.
    Command {
        plugin: String,
        command: String,
        args: Vec<String>,
    },
    /// Compile the shipped plugins into the cache (`make build` runs this).
    #[command(hide = true)]
    Precompile,
}

pub fn run(cmd: PluginCommand, session_grants: &[String]) -> Result<ExitCode> {
    match cmd {
        PluginCommand::Inspect { file } => {
            print_report(&inspect(&file)?);
            Ok(ExitCode::SUCCESS)
        }
        PluginCommand::Install { file, user } => install(&file, user),
        PluginCommand::Precompile => super::precompile::run(),
        PluginCommand::New { name } => {
            let dir = super::scaffold::new_plugin(&name)?;
            println!("created {}\nnext:\n  cd {name}\n  cargo build --release --target wasm32-wasip2\n  aicoder plugin install target/wasm32-wasip2/release/{name}.wasm", dir.display());
            Ok(ExitCode::SUCCESS)
        }
        PluginCommand::List => {
            let session = Session::open(session_grants)?;
            print_plugins(&session.host);
            Ok(ExitCode::SUCCESS)
        }
        PluginCommand::Grant {
            plugin,
            capability,
            scope,
        } => {
            if matches!(scope, Scope::Once | Scope::Session) {
                bail!(
                    "`{}` grants last only inside a running session; start it with --grant {plugin}:{capability} \
                     or answer the approval prompt. Use --scope always to persist a grant",
                    scope.name()
                );
            }
            let session = Session::open(session_grants)?;
            session.grant_spec(&format!("{plugin}:{capability}"), scope)?;
            let hash = session
                .host
                .plugin(&plugin)
                .map(|p| p.id.short_hash().to_string())
                .unwrap_or_default();
            println!(
                "{plugin} ({hash}): {capability} {}",
                if scope == Scope::Deny {
                    "denied"
                } else {
                    "granted (always)"
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        PluginCommand::Revoke { plugin, capability } => {
            let paths = Paths::for_project(&std::env::current_dir()?);
            let mut grants = GrantStore::load(&paths.grants_file())?;
            let mut removed = 0;
            for cap in capability
                .split(',')
                .map(str::trim)
                .filter(|c| !c.is_empty())
            {
                removed += grants.revoke(&plugin, parse_capability(cap)?)?;
            }
            println!("{plugin}: removed {removed} grant(s) of {capability}");
            Ok(ExitCode::SUCCESS)
        }
        PluginCommand::Call { plugin, tool, args } => {
            let mut session = Session::open(session_grants)?;
            let result = session.host.call_tool(&plugin, &tool, &args)?;
            if !result.printed.is_empty() {
                eprint!("{}", result.printed);
            }
            println!("{}", result.detail);
            Ok(ExitCode::SUCCESS)
        }
        PluginCommand::Command {
            plugin,
            command,
            args,
        } => {
            let mut session = Session::open(session_grants)?;
            println!(
                "{}",
                session
                    .host
                    .run_command(&plugin, &command, &args.join(" "))?
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Load a component on its own, with no grants, and report on it.
fn inspect(file: &std::path::Path) -> Result<crate::plugins::PluginInfo> {
    let root = std::env::current_dir().context("cannot read the current directory")?;
    let config = Config::from_env()?;
    let paths = Paths::for_project(&root);
    let limits = config.sandbox;
    // No grants at all: the manifest call can reach nothing.
    let services = Services::new(
        AppState::new(root, config),
        GrantStore::in_memory(),
        AuditLog::new(paths.audit_log()),
        limits,
    );
    let mut host =
        PluginHost::new(services, paths.cache_dir).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(host.load(file, PluginSource::File)?.clone())
}

/// Copy a component into a plugin folder after showing what it asks for.
fn install(file: &std::path::Path, user: bool) -> Result<ExitCode> {
    let info = inspect(file)?;
    print_report(&info);
    let paths = Paths::for_project(&std::env::current_dir()?);
    let folder = if user {
        paths.user_plugins()
    } else {
        paths.project_plugins()
    };
    let dest = folder.join(format!("{}.wasm", info.manifest.name));
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    crate::util::atomic_write(&dest, &bytes)
        .with_context(|| format!("cannot write {}", dest.display()))?;
    let source = if user {
        PluginSource::User
    } else {
        PluginSource::Project
    };
    super::precompile::remember(&dest, source);
    println!(
        "installed {} {} to {}",
        info.manifest.name,
        info.manifest.version,
        dest.display()
    );
    let ceiling: Vec<_> = info
        .contract
        .ceiling
        .iter()
        .filter(|c| **c != crate::caps::Capability::Log)
        .map(|c| c.name())
        .collect();
    if !ceiling.is_empty() {
        println!(
            "it can ask for: {}. Nothing is granted yet: answer the approval prompt, or run \
             `aicoder plugin grant {} CAPABILITY`",
            ceiling.join(", "),
            info.manifest.name
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn print_report(info: &crate::plugins::PluginInfo) {
    let m = &info.manifest;
    println!("file:        {}", info.path.display());
    println!("hash:        {}", info.id.hash);
    println!(
        "contract:    {}@{}",
        crate::plugins::contract::PACKAGE,
        info.contract.version
    );
    println!("plugin:      {} {} — {}", m.name, m.version, m.description);
    println!(
        "imports:     {}",
        join_or_none(info.contract.interfaces.iter().map(String::as_str))
    );
    println!(
        "ceiling:     {}",
        join_or_none(info.contract.ceiling.iter().map(|c| c.name()))
    );
    println!("tools:");
    for t in &m.tools {
        let auto = if t.auto_approved {
            " [auto-approved]"
        } else {
            ""
        };
        println!("  {}{auto}: {}", t.name, t.description);
    }
    println!("commands:");
    for c in &m.commands {
        println!("  /{}: {}", c.name, c.description);
    }
    println!(
        "hooks:       {}",
        join_or_none(m.hooks.iter().map(String::as_str))
    );
}

fn join_or_none<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let v: Vec<&str> = items.collect();
    if v.is_empty() {
        "(none)".to_string()
    } else {
        v.join(", ")
    }
}

/// The plugin table of `plugin list` and `/plugins`.
pub fn print_plugins(host: &PluginHost) {
    let grants = host.services().grants();
    println!(
        "{:<16} {:<9} {:<8} {:<13} {:<40} GRANTS",
        "NAME", "VERSION", "SOURCE", "HASH", "CEILING"
    );
    for p in host.plugins() {
        let granted: Vec<String> = grants
            .list()
            .into_iter()
            .filter(|g| g.plugin == p.manifest.name && g.hash == p.id.hash)
            .map(|g| format!("{}({})", g.capability, g.scope.name()))
            .collect();
        println!(
            "{:<16} {:<9} {:<8} {:<13} {:<40} {}",
            p.manifest.name,
            p.manifest.version,
            p.source.name(),
            p.id.short_hash(),
            join_or_none(p.contract.ceiling.iter().map(|c| c.name())),
            join_or_none(granted.iter().map(String::as_str)),
        );
        for t in &p.manifest.tools {
            println!("    tool {}: {}", t.name, t.description);
        }
        for c in &p.manifest.commands {
            println!("    command /{}: {}", c.name, c.description);
        }
    }
}

/// The grant table of `/grants`.
pub fn print_grants(grants: &GrantStore) {
    let all = grants.list();
    if all.is_empty() {
        println!("no grants");
    }
    for g in all {
        println!(
            "{:<16} {:<16} {:<8} {}",
            g.plugin,
            g.capability,
            g.scope.name(),
            g.hash.get(..12).unwrap_or(&g.hash)
        );
    }
}
