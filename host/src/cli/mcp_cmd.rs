//! `aicoder mcp add|list|remove`: the MCP servers of `~/.config/aicoder/mcp.json`
//! (or with --project, this folder's `.mcp.json`), in the `mcpServers` format
//! other assistants read.

use crate::caps::grants::GrantStore;
use crate::config::Paths;
use crate::mcp::config::{self, Entry, Origin};
use crate::plugins::trust::TrustStore;
use crate::term::sanitize::visible;
use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;
use std::process::ExitCode;

/// `aicoder mcp` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum McpCommand {
    /// Add a server: `aicoder mcp add NAME -- COMMAND ARGS...` (stdio) or
    /// `aicoder mcp add NAME --url URL` (Streamable HTTP).
    Add {
        name: String,
        /// The server's Streamable HTTP endpoint.
        #[arg(long, conflicts_with = "command")]
        url: Option<String>,
        /// Environment for a stdio server, KEY=VALUE (repeatable; `${VAR}` allowed).
        #[arg(long = "env", value_name = "KEY=VALUE")]
        env: Vec<String>,
        /// An HTTP header, `Name: value` (repeatable; `${VAR}` allowed).
        #[arg(long = "header", value_name = "NAME: VALUE")]
        headers: Vec<String>,
        /// Write this folder's .mcp.json instead of your own mcp.json.
        #[arg(long)]
        project: bool,
        /// The command and its arguments, after `--`.
        #[arg(last = true, value_name = "COMMAND")]
        command: Vec<String>,
    },
    /// List the servers of your mcp.json and this folder's .mcp.json: how
    /// each starts, its entry hash, trust, and the tools approved to run
    /// without asking.
    List,
    /// Remove a server from your mcp.json (or with --project, .mcp.json).
    Remove {
        name: String,
        #[arg(long)]
        project: bool,
    },
    /// Offer this folder's plugins (user, shipped, and the project's own when
    /// trusted) as MCP tools over stdio, or Streamable HTTP with --http.
    /// Capabilities are granted only by you: through the client's question
    /// (elicitation) or `aicoder plugin grant`.
    Serve(super::serve_cmd::ServeArgs),
}

/// Run an `aicoder mcp` subcommand.
pub fn run(cmd: McpCommand, session_grants: &[String]) -> Result<ExitCode> {
    let root = std::env::current_dir().context("cannot read the current directory")?;
    let paths = Paths::for_project(&root);
    let file_for = |project: bool| {
        if project {
            config::project_file(&root)
        } else {
            config::user_file(&paths)
        }
    };
    match cmd {
        McpCommand::Serve(args) => super::serve_cmd::run(args, session_grants),
        McpCommand::Add {
            name,
            url,
            env,
            headers,
            project,
            command,
        } => {
            if !config::valid_server_name(&name) {
                bail!("{name:?} is not a server name: use letters, digits, _ and - (at most 32, no `__`)");
            }
            let mut entry = Entry::default();
            match (url, command.split_first()) {
                (Some(url), None) => {
                    if !(url.starts_with("http://") || url.starts_with("https://")) {
                        bail!("--url must start with http:// or https://");
                    }
                    entry.kind = Some("http".into());
                    entry.url = Some(url);
                    for h in headers {
                        let Some((k, v)) = h.split_once(':') else {
                            bail!("--header {h:?}: write it as `Name: value`");
                        };
                        entry.headers.insert(k.trim().into(), v.trim().into());
                    }
                }
                (None, Some((cmd, args))) => {
                    entry.command = Some(cmd.clone());
                    entry.args = args.to_vec();
                    entry.env = parse_env(&env)?;
                }
                (Some(_), Some(_)) => bail!("give either --url or a command after --, not both"),
                (None, None) => bail!(
                    "nothing to start: `aicoder mcp add {name} -- COMMAND ARGS...` or `aicoder mcp add {name} --url URL`"
                ),
            }
            let file = file_for(project);
            let replaced = config::write_entry(&file, &name, Some(&entry))?;
            println!(
                "{} MCP server {name} in {}: {}",
                if replaced { "replaced" } else { "added" },
                file.display(),
                visible(&entry.target())
            );
            println!("it starts with the next session; /mcp shows its state");
            Ok(ExitCode::SUCCESS)
        }
        McpCommand::Remove { name, project } => {
            let file = file_for(project);
            if config::write_entry(&file, &name, None)? {
                println!("removed MCP server {name} from {}", file.display());
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!(
                    "aicoder: no MCP server {name} in {}; `aicoder mcp list` shows them",
                    file.display()
                );
                Ok(ExitCode::FAILURE)
            }
        }
        McpCommand::List => {
            let (entries, notes) = config::load_all(&paths, &root);
            let trust = TrustStore::load(&TrustStore::file(&paths)).ok();
            let (grants, _) = GrantStore::load_or_read_only(&paths.grants_file());
            if entries.is_empty() {
                println!(
                    "no MCP servers in {} or {}",
                    config::user_file(&paths).display(),
                    config::project_file(&root).display()
                );
            }
            for e in &entries {
                let state = match e.origin {
                    Origin::User => "",
                    Origin::Project
                        if trust.as_ref().is_some_and(|t| {
                            t.is_trusted(&root, &crate::mcp::trust_name(e), &e.hash)
                        }) =>
                    {
                        "  trusted"
                    }
                    Origin::Project => {
                        "  not trusted (asked at the next session, or `aicoder trust`)"
                    }
                };
                println!(
                    "{}  [{}]  {}  {}{state}",
                    e.name,
                    e.origin.name(),
                    e.short_hash(),
                    visible(&e.entry.target())
                );
                let id = e.id();
                let approved: Vec<String> = grants
                    .list_tool_approvals()
                    .into_iter()
                    .filter(|a| a.plugin == id.name && a.hash == id.hash)
                    .map(|a| match &a.args {
                        Some(p) => format!(
                            "{} ({})",
                            visible(&a.tool),
                            crate::mcp::arg_scope::describe(p)
                        ),
                        None => visible(&a.tool).into_owned(),
                    })
                    .collect();
                if !approved.is_empty() {
                    println!("  runs without asking: {}", approved.join(", "));
                }
                // The server's own reach: hosts and paths granted or denied
                // to this entry (its sandbox), kept in grants.json.
                let reach: Vec<String> = grants
                    .list()
                    .into_iter()
                    .filter(|g| g.plugin == id.name && g.hash == id.hash)
                    .map(|g| format!("{} ({})", visible(&g.capability), g.scope.name()))
                    .collect();
                if !reach.is_empty() {
                    println!("  grants: {}", reach.join(", "));
                }
            }
            for note in notes {
                eprintln!("aicoder: {}", visible(&note));
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn parse_env(pairs: &[String]) -> Result<BTreeMap<String, String>> {
    let mut env = BTreeMap::new();
    for pair in pairs {
        let Some((k, v)) = pair.split_once('=') else {
            bail!("--env {pair:?}: write it as KEY=VALUE");
        };
        env.insert(k.to_string(), v.to_string());
    }
    Ok(env)
}
