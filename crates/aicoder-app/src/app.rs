//! The app without a conversation: the project's paths, the shared services
//! (app state, grants, audit log, limits) and the plugin host with the
//! plugins of this folder loaded. One-shot commands (`aicoder plugin call`,
//! `plugin command`, `plugin grant`, `audit undo`, `py`) open an [`App`] and
//! nothing more: no model client, no async runtime, no line editor. The
//! terminal session (`crate::session`) builds on one.

use crate::caps::grants::{GrantStore, Scope};
use crate::caps::{Capability, Services};
use crate::config::{Config, Paths};
use crate::plugins::discovery::{discover, Candidate, NameFilter, PluginSource};
use crate::plugins::trust::{ProjectPlugin, TrustStore};
use crate::plugins::PluginHost;
use crate::state::AppState;
use crate::state::SessionEvent;
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};

/// A question put to the user (at a terminal), answered with one line;
/// `None` at end of input.
pub type Ask<'a> = &'a mut dyn FnMut(&str) -> Option<String>;

/// The files of the plugins as last loaded: (path, size, mtime, ctime).
pub type PluginFiles = Vec<(PathBuf, u64, i64, i64)>;

/// The app of one project folder: paths, services and loaded plugins.
pub struct App {
    pub paths: Paths,
    pub host: PluginHost,
    /// The plugin files as last loaded (for PLUGINS_WATCH and reload).
    pub plugin_files: PluginFiles,
}

/// The root moves named with `--allow-root` in this run (canonical).
static ALLOWED_ROOTS: std::sync::OnceLock<Vec<PathBuf>> = std::sync::OnceLock::new();

/// Remember this run's `--allow-root` folders (canonicalised; `/proc`, `/sys`
/// and `/dev` refused) for every app this process opens.
pub fn set_allowed_roots(roots: &[PathBuf]) -> Result<()> {
    let mut canonical = Vec::new();
    for root in roots {
        let path = root
            .canonicalize()
            .with_context(|| format!("--allow-root {}", root.display()))?;
        if !path.is_dir() {
            bail!("--allow-root {}: not a folder", root.display());
        }
        crate::workspace::check_root_allowed(&path)
            .map_err(|e| anyhow::anyhow!("--allow-root {}: {e}", root.display()))?;
        canonical.push(path);
    }
    let _ = ALLOWED_ROOTS.set(canonical);
    Ok(())
}

impl App {
    /// Open the app for the current directory: load config, grants and
    /// plugins, then apply `session_grants` (`PLUGIN:CAP[,CAP...]`, session
    /// scope). Problems that should not stop aicoder (a refused plugin, an
    /// unreadable grants file) are printed and skipped. The folder's own
    /// plugins load only if already trusted; with `ask` (a terminal) the user
    /// is asked about the others, otherwise their count is printed with how
    /// to trust them.
    pub fn open(session_grants: &[String], ask: Option<Ask<'_>>) -> Result<Self> {
        let root = std::env::current_dir().context("cannot read the current directory")?;
        let config = Config::from_env()?;
        Self::open_in(root, config, session_grants, ask)
    }

    /// [`App::open`] for a command that uses only the plugin files named
    /// `stems` (`aicoder py`: python_runtime; offline undo: none): other
    /// plugins load only if their manifest is known without compiling them,
    /// so a fresh cache compiles nothing the command does not call.
    pub fn open_only(session_grants: &[String], stems: &[&str]) -> Result<Self> {
        let root = std::env::current_dir().context("cannot read the current directory")?;
        let config = Config::from_env()?;
        let stems = stems.iter().map(|s| s.to_string()).collect();
        Self::open_with(root, config, session_grants, None, Some(stems))
    }

    /// [`App::open`] for the folder `root` with `config`.
    pub fn open_in(
        root: PathBuf,
        config: Config,
        session_grants: &[String],
        ask: Option<Ask<'_>>,
    ) -> Result<Self> {
        Self::open_with(root, config, session_grants, ask, None)
    }

    fn open_with(
        root: PathBuf,
        config: Config,
        session_grants: &[String],
        ask: Option<Ask<'_>>,
        compile_only: Option<Vec<String>>,
    ) -> Result<Self> {
        // The process sandbox's deny list is read where every command's
        // policy is made (caps/process_sandbox.rs): the user's setting is
        // handed over here, before any process can start.
        let deny =
            crate::caps::process_sandbox::set_deny_read(config.shell_sandbox_deny_read.as_deref());
        for notice in deny {
            eprintln!("aicoder: {notice}");
        }
        let debug = config.debug;
        let paths = Paths::for_project(&root);
        let (grants, grant_error) = GrantStore::load_or_read_only(&paths.grants_file());
        if let Some(err) = grant_error {
            eprintln!("aicoder: {err}");
        }
        let limits = config.sandbox;
        let mut state = AppState::new(root.clone(), config);
        state.allowed_roots = ALLOWED_ROOTS.get().cloned().unwrap_or_default();
        let audit = crate::caps::audit::AuditLog::new(paths.audit_log());
        let services = Services::new(state, grants, audit, limits);
        let mut host = PluginHost::new(services, paths.cache_dir.clone())
            .map_err(|e| anyhow::anyhow!("cannot start the plugin engine: {e}"))?;
        let (candidates, skipped) = discover(&paths, &NameFilter::from_env());
        for s in &skipped {
            if s.refused {
                eprintln!("aicoder: plugin {} {}", s.path.display(), s.reason);
            } else if debug {
                eprintln!("[aicoder] skipped {}: {}", s.path.display(), s.reason);
            }
        }
        let plugin_files = crate::plugins::discovery::fingerprint(&candidates);
        let trust_file = TrustStore::file(&paths);
        let (candidates, trusted) = trusted_candidates(&trust_file, &root, candidates, ask);
        host.set_compile_only(compile_only);
        for err in host.load_all(&candidates) {
            eprintln!("aicoder: {err}");
        }
        host.set_compile_only(None);
        unload_untrusted(&mut host, &trusted);
        // Shipped plugins that touch only their own data and the session
        // work on first use (plugins/defaults.rs).
        let offered = crate::plugins::defaults::offered_file(&paths.user_config_dir);
        if let Err(e) = crate::plugins::defaults::apply(&host, &offered) {
            eprintln!("aicoder: {e}");
        }
        if debug {
            for p in host.plugins() {
                let how = match p.cache {
                    crate::plugins::cache::CacheEvent::Deferred => {
                        "from cache, loaded on first use".to_string()
                    }
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
        let app = App {
            paths,
            host,
            plugin_files,
        };
        for spec in session_grants {
            app.grant_spec(spec, Scope::Session)?;
        }
        Ok(app)
    }

    /// The folder aicoder started in (whose `.aicoder` this app uses).
    pub fn project_root(&self) -> PathBuf {
        self.paths
            .project_dir
            .parent()
            .map(PathBuf::from)
            .unwrap_or_default()
    }

    /// The shared app state.
    pub fn state(&self) -> std::sync::MutexGuard<'_, AppState> {
        self.host.services().state()
    }

    /// Apply `PLUGIN:CAP[,CAP...][:SCOPE]` at `scope` to a loaded plugin.
    pub fn grant_spec(&self, spec: &str, scope: Scope) -> Result<()> {
        let Some((plugin, caps)) = spec.split_once(':') else {
            bail!("--grant takes PLUGIN:CAP[,CAP...][:SCOPE], e.g. --grant example:workspace.read or --grant example:fs.write:src/** (got {spec:?})");
        };
        // A grant scope such as `src/**` limits each capability to it.
        let (caps, within) = match caps.split_once(':') {
            Some((caps, within)) => (caps, Some(within)),
            None => (caps, None),
        };
        let info = self
            .host
            .plugin(plugin)
            .with_context(|| format!("--grant {spec}: no plugin named `{plugin}` is loaded"))?;
        let id = info.id.clone();
        let caps = caps
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(parse_capability)
            .collect::<Result<Vec<_>>>()?;
        // A denial is always allowed; a grant only within the ceiling.
        if scope != Scope::Deny {
            for cap in &caps {
                if let Some(refusal) = above_ceiling(info, *cap) {
                    bail!("{refusal}");
                }
            }
        }
        for cap in caps {
            let within = within
                .map(|w| crate::caps::scope::ScopePattern::parse(cap, w))
                .transpose()
                .with_context(|| format!("--grant {spec}"))?;
            self.host
                .services()
                .grants()
                .grant_within(&id, cap, scope, within)?;
        }
        Ok(())
    }

    /// Whether any plugin file was added, removed or rewritten since the last
    /// load: a directory scan and a `stat` per file, no reading or hashing.
    pub fn plugins_changed_on_disk(&self) -> bool {
        let (candidates, _) = discover(&self.paths, &NameFilter::from_env());
        crate::plugins::discovery::fingerprint(&candidates) != self.plugin_files
    }

    /// Revert audited writes in the live state (see `caps::undo`).
    pub fn undo(&self, steps: &[crate::caps::undo::UndoStep]) -> Vec<String> {
        let services = self.host.services().clone();
        let mut state = services.state();
        crate::caps::undo::apply_all(steps, &mut state, &services.audit)
    }

    /// Emit an event with an empty payload, reporting plugin failures.
    pub fn emit_simple(&mut self, event: SessionEvent) {
        let (_, errors) = self.host.emit(event, "{}");
        for e in errors {
            eprintln!("aicoder: {e}");
        }
    }
}

/// The project plugins trusted for this run: (file path, content hash).
pub type TrustedFiles = Vec<(PathBuf, String)>;

/// The candidates to load: every user and shipped plugin, and the project
/// plugins trusted in `folder` (by file name and hash), which are also
/// returned with their hashes. With `ask` (a terminal), the untrusted ones
/// are listed and the user asked once whether to trust them; otherwise one
/// line says how many were left out and how to load them.
pub fn trusted_candidates(
    trust_file: &Path,
    folder: &Path,
    candidates: Vec<Candidate>,
    ask: Option<Ask<'_>>,
) -> (Vec<Candidate>, TrustedFiles) {
    let mut trusted: TrustedFiles = Vec::new();
    if !candidates.iter().any(|c| c.source == PluginSource::Project) {
        return (candidates, trusted);
    }
    let mut store = match TrustStore::load(trust_file) {
        Ok(store) => Some(store),
        Err(err) => {
            eprintln!("aicoder: {err}");
            None
        }
    };
    let mut untrusted: Vec<ProjectPlugin> = Vec::new();
    let mut keep = Vec::new();
    for c in candidates {
        if c.source != PluginSource::Project {
            keep.push(c);
            continue;
        }
        match ProjectPlugin::read(&c.path) {
            Ok(p)
                if store
                    .as_ref()
                    .is_some_and(|s| s.is_trusted(folder, &p.file, &p.hash)) =>
            {
                trusted.push((p.path, p.hash));
                keep.push(c);
            }
            Ok(p) => untrusted.push(p),
            Err(err) => eprintln!("aicoder: {err}"),
        }
    }
    if untrusted.is_empty() {
        return (keep, trusted);
    }
    let n = untrusted.len();
    let trust_now = match (ask, store.as_mut()) {
        (Some(ask), Some(store)) => {
            println!(
                "This folder has {n} plugin(s) of its own in .aicoder/plugins, not loaded until you trust them:"
            );
            for p in &untrusted {
                println!("  {}", p.describe());
            }
            let answer =
                ask("Trust and load them (remembered for this folder and these files)? [y/N]: ")
                    .unwrap_or_default();
            let yes = matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes");
            if yes {
                if let Err(err) = store.trust(folder, &untrusted) {
                    eprintln!("aicoder: {err}; they are trusted for this session only");
                }
            }
            yes
        }
        _ => false,
    };
    if trust_now {
        for p in untrusted {
            keep.push(Candidate {
                path: p.path.clone(),
                source: PluginSource::Project,
            });
            trusted.push((p.path, p.hash));
        }
    } else {
        eprintln!(
            "aicoder: {n} project plugin(s) not loaded: this folder is not trusted; run `aicoder trust` to load them"
        );
    }
    (keep, trusted)
}

/// Unload a project plugin whose loaded content is not the one trusted (the
/// file changed between the trust check and the load).
pub fn unload_untrusted(host: &mut PluginHost, trusted: &TrustedFiles) {
    let stray: Vec<(String, PathBuf)> = host
        .plugins()
        .filter(|p| p.source == PluginSource::Project)
        .filter(|p| {
            !trusted
                .iter()
                .any(|(path, hash)| *path == p.path && *hash == p.id.hash)
        })
        .map(|p| (p.manifest.name.clone(), p.path.clone()))
        .collect();
    for (name, path) in stray {
        host.unload(&name);
        eprintln!(
            "aicoder: project plugin {} changed while loading and this version is not trusted; run `aicoder trust`",
            path.display()
        );
    }
}

/// Why `capability` cannot be granted to `plugin`, if it is above the
/// plugin's ceiling (the capabilities of the interfaces it imports): such a
/// grant could never be used, and accepting it would only hide a plugin
/// asking for more than it declared.
pub fn above_ceiling(
    plugin: &crate::plugins::PluginInfo,
    capability: Capability,
) -> Option<String> {
    let ceiling = plugin.ceiling();
    if ceiling.contains(&capability) {
        return None;
    }
    let ceiling: Vec<&str> = ceiling
        .iter()
        .filter(|c| !c.always_granted())
        .map(|c| c.name())
        .collect();
    Some(format!(
        "{capability} is above the ceiling of plugin `{}`: it imports no `{}` interface, so its ceiling \
         (what its imports and hook subscriptions allow) is {}; the grant was refused",
        plugin.manifest.name,
        capability.interface(),
        if ceiling.is_empty() {
            "log only".to_string()
        } else {
            ceiling.join(", ")
        }
    ))
}

/// Parse a capability name, listing the valid ones on error.
pub fn parse_capability(name: &str) -> Result<Capability> {
    Capability::parse(name).with_context(|| {
        let all: Vec<_> = Capability::ALL.iter().map(|c| c.name()).collect();
        format!(
            "unknown capability `{name}`; capabilities are: {}",
            all.join(", ")
        )
    })
}
