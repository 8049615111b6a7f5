//! `aicoder plugin ...`: list, inspect, grant, revoke, and call plugins.

use crate::app::{parse_capability, App};
use crate::caps::audit::AuditLog;
use crate::caps::grants::{GrantStore, Scope};
use crate::caps::Services;
use crate::config::{Config, Paths};
use crate::plugins::discovery::PluginSource;
use crate::plugins::PluginHost;
use crate::state::AppState;
use crate::ui::tables::{join_or_none, print_plugins, print_report};
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
    /// Create a plugin project in ./NAME (one tool, one command, a test, a README)
    /// whose component imports exactly the interfaces of --caps.
    New {
        name: String,
        /// The plugin's language and toolchain: cargo, componentize-js or componentize-py.
        #[arg(long, value_enum, default_value = "rust")]
        lang: super::scaffold::Lang,
        /// Capabilities the plugin may ever use (comma-separated); their
        /// interfaces are all it imports, so this is its ceiling.
        #[arg(long, default_value = super::scaffold::DEFAULT_CAPS)]
        caps: String,
    },
    /// Grant a capability (or several, comma-separated) to a plugin, whole
    /// or within a scope (`fs.write:src/**`, `shell.exec:cargo test*`,
    /// `net.fetch:api.github.com`).
    Grant {
        plugin: String,
        /// CAP[,CAP...] or CAP:SCOPE.
        capability: String,
        /// `always` (persisted for this plugin version) or `deny` (refuse
        /// until revoked); any other value is a grant scope, as after
        /// `CAP:`. Give it twice for both (`--scope 'src/**' --scope deny`).
        #[arg(long, default_value = "always")]
        scope: Vec<String>,
    },
    /// Remove grants and denials of a capability from a plugin (all versions).
    Revoke { plugin: String, capability: String },
    /// Let a plugin tool run without the approval prompt, for this plugin
    /// version (a manifest's auto-approval is only a request until then).
    ApproveTool {
        plugin: String,
        tool: String,
        /// Withdraw the approval instead (every version).
        #[arg(long)]
        revoke: bool,
    },
    /// Withdraw `approve-tool` (same as `approve-tool --revoke`).
    UnapproveTool { plugin: String, tool: String },
    /// Run a plugin tool with JSON arguments, using the current grants; prints
    /// the result's summary (what the user sees in a session). It runs outside
    /// a session: writes only a session keeps (conversation, tools, prompt,
    /// hooks) are refused.
    Call {
        plugin: String,
        tool: String,
        /// Arguments as a JSON object.
        #[arg(default_value = "{}")]
        args: String,
        /// Print the detail (what the model would get) instead of the summary.
        #[arg(long)]
        detail: bool,
    },
    /// Run a plugin command with the rest of the line as its arguments,
    /// outside a session (as `call`: session-only writes are refused).
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
            let info = inspect(&file)?;
            let paths = Paths::for_project(&std::env::current_dir()?);
            let (grants, _) = GrantStore::load_or_read_only(&paths.grants_file());
            print_report(&info, &grants);
            Ok(ExitCode::SUCCESS)
        }
        PluginCommand::Install { file, user } => install(&file, user),
        PluginCommand::Precompile => super::precompile::run(),
        PluginCommand::New { name, lang, caps } => {
            let made = super::scaffold::new_plugin(&name, lang, &caps)?;
            println!(
                "created {}\nceiling: {}\nnext:\n{}",
                made.dir.display(),
                made.ceiling.join(", "),
                super::scaffold::next_steps(&name, lang, made.sdk.as_deref())
            );
            Ok(ExitCode::SUCCESS)
        }
        PluginCommand::List => {
            let app = App::open(session_grants, None)?;
            print_plugins(&app.host);
            Ok(ExitCode::SUCCESS)
        }
        PluginCommand::Grant {
            plugin,
            capability,
            scope: scope_args,
        } => {
            let (scope, capability) = grant_args(&capability, &scope_args)?;
            if matches!(scope, Scope::Once | Scope::Session) {
                bail!(
                    "`{}` grants last only inside a running session; start it with --grant {plugin}:{capability} \
                     or answer the approval prompt. Use --scope always to persist a grant",
                    scope.name()
                );
            }
            let app = App::open(session_grants, None)?;
            app.grant_spec(&format!("{plugin}:{capability}"), scope)?;
            let hash = app
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
        PluginCommand::ApproveTool {
            plugin,
            tool,
            revoke: false,
        } => approve_tool(&plugin, &tool, session_grants),
        PluginCommand::ApproveTool {
            plugin,
            tool,
            revoke: true,
        }
        | PluginCommand::UnapproveTool { plugin, tool } => {
            let paths = Paths::for_project(&std::env::current_dir()?);
            let mut grants = GrantStore::load(&paths.grants_file())?;
            let removed = grants.unapprove_tool(&plugin, &tool)?;
            println!("{plugin}: {tool} asks for approval again ({removed} approval(s) withdrawn)");
            Ok(ExitCode::SUCCESS)
        }
        PluginCommand::Call {
            plugin,
            tool,
            args,
            detail,
        } => {
            let mut app = App::open(session_grants, None)?;
            // No session: what it would keep only there is refused, not lost.
            app.host
                .services()
                .set_one_shot(crate::caps::OneShot::plugin_call(&tool));
            let _asking = ask_at_the_terminal();
            let result = app.host.call_tool(&plugin, &tool, &args)?;
            if !result.printed.is_empty() {
                eprint!("{}", result.printed);
            }
            println!(
                "{}",
                if detail {
                    &result.detail
                } else {
                    &result.summary
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        PluginCommand::Command {
            plugin,
            command,
            args,
        } => {
            let mut app = App::open(session_grants, None)?;
            app.host
                .services()
                .set_one_shot(crate::caps::OneShot::plugin_command(&command));
            let _asking = ask_at_the_terminal();
            println!(
                "{}",
                app.host.run_command(&plugin, &command, &args.join(" "))?
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A plugin's question (ui.ask) during a one-shot call is put at the
/// terminal through the session's question loop; refused when piped.
fn ask_at_the_terminal() -> crate::term::ask::Installed {
    crate::term::ask::install(crate::session::Input::stdin(None).asker())
}

/// `aicoder plugin approve-tool PLUGIN TOOL`: persist the user's approval of
/// one tool of the loaded version of the plugin.
fn approve_tool(plugin: &str, tool: &str, session_grants: &[String]) -> Result<ExitCode> {
    let app = App::open(session_grants, None)?;
    let info = app.host.plugin(plugin).with_context(|| {
        format!("no plugin named `{plugin}` is loaded (`aicoder plugin list` shows what is)")
    })?;
    let Some(spec) = info.manifest.tools.iter().find(|t| t.name == tool) else {
        let tools: Vec<&str> = info
            .manifest
            .tools
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        bail!(
            "plugin `{plugin}` has no tool `{tool}`; its tools: {}",
            join_or_none(tools.into_iter())
        );
    };
    let requested = spec.auto_approved;
    let id = info.id.clone();
    app.host.services().grants().approve_tool(&id, tool)?;
    println!(
        "{plugin} ({}, {}): {tool} runs without asking from now on{}; a new version of the plugin asks again",
        id.short_hash(),
        id.source.name(),
        if requested {
            " (as its manifest requests)"
        } else {
            ""
        }
    );
    Ok(ExitCode::SUCCESS)
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
    print_report(&info, &GrantStore::in_memory());
    let project_root = std::env::current_dir()?;
    let paths = Paths::for_project(&project_root);
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
    if !user {
        // You chose this file for this folder: it is trusted here (this
        // version only), unlike plugins that came with a cloned repository.
        let plugin = crate::plugins::trust::ProjectPlugin::read(&dest)?;
        let mut trust = crate::plugins::trust::TrustStore::load(
            &crate::plugins::trust::TrustStore::file(&paths),
        )?;
        trust.trust(&project_root, &[plugin])?;
        println!(
            "trusted in {} (`aicoder untrust` undoes it)",
            project_root.display()
        );
    }
    let ceiling: Vec<_> = info
        .ceiling()
        .iter()
        .filter(|c| !c.always_granted())
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

/// `plugin grant`'s `--scope` values: the lasting (`always`, `deny`, ...)
/// and a grant scope, which joins the capability as `CAP:SCOPE`.
fn grant_args(capability: &str, scope_args: &[String]) -> Result<(Scope, String)> {
    let mut lasting = Scope::Always;
    let mut within: Option<&str> = None;
    for arg in scope_args {
        match <Scope as clap::ValueEnum>::from_str(arg, true) {
            Ok(s) => lasting = s,
            Err(_) if within.is_none() => within = Some(arg),
            Err(_) => bail!(
                "--scope: give one grant scope (got `{}` and `{arg}`)",
                within.unwrap_or_default()
            ),
        }
    }
    let capability = match within {
        Some(_) if capability.contains(':') => {
            bail!("the scope is given twice: in `{capability}` and with --scope")
        }
        Some(w) => format!("{capability}:{w}"),
        None => capability.to_string(),
    };
    Ok((lasting, capability))
}
