//! MCP servers in the process sandbox: whether a stdio server is confined
//! (`MCP_SANDBOX`, else `SHELL_SANDBOX`, as for shell commands), and the
//! policy it runs under. A server is treated like a plugin: its identity is
//! its entry (`mcp:NAME` + entry hash), the hosts its proxy lets through are
//! decided by that identity's `net.fetch` grants (each decision an audit
//! line), and the paths the user granted it beyond the sandbox's defaults
//! (reading a hidden place, writing outside the workspace root) widen the
//! policy it is started with.

use crate::caps::grants::{PluginId, Scope};
use crate::caps::process_sandbox::{self, Mode};
use aicoder_sandbox::Policy;
use std::path::{Path, PathBuf};

/// The capability text of a path grant of a server's sandbox (kept in
/// grants.json beside the entry's other grants; never a plugin capability).
pub const READ: &str = "sandbox.read";
/// As [`READ`], for writes.
pub const WRITE: &str = "sandbox.write";

/// How MCP servers are confined: `MCP_SANDBOX` when set, else the shell's
/// `SHELL_SANDBOX` (one switch for every process aicoder starts).
pub fn mode() -> Mode {
    match std::env::var("MCP_SANDBOX").ok().as_deref().map(str::trim) {
        Some("0") | Some("off") | Some("false") => Mode::Off,
        Some("required") | Some("2") => Mode::Required,
        Some(_) => Mode::Auto,
        None => process_sandbox::mode(),
    }
}

/// Whether stdio servers start confined: `Ok(true)` confined, `Ok(false)`
/// unconfined (off, or unsupported: said once), `Err` refused (required
/// but unsupported).
pub fn decide() -> Result<bool, super::config::SandboxRequired> {
    let mode = mode();
    if mode == Mode::Off {
        return Ok(false);
    }
    match process_sandbox::support().missing() {
        None => Ok(true),
        Some(missing) if mode == Mode::Required => Err(super::config::SandboxRequired {
            missing: missing.to_string(),
        }),
        Some(missing) => {
            eprintln!(
                "aicoder: the process sandbox is not available here ({missing} missing); \
                 MCP servers run unconfined as plain processes (MCP_SANDBOX=required refuses them instead)"
            );
            Ok(false)
        }
    }
}

/// Paths a server may reach beyond the defaults, granted by the user.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reach {
    /// Hidden places it may read (removed from the hidden list).
    pub read: Vec<PathBuf>,
    /// Folders outside the root it may write beneath.
    pub write: Vec<PathBuf>,
}

impl Reach {
    /// The persisted path grants of `id` (`always`; `deny` answers are
    /// kept as [`Reach`] of their own by the caller).
    pub fn stored(grants: &crate::caps::grants::GrantStore, id: &PluginId) -> (Reach, Reach) {
        let (mut allowed, mut denied) = (Reach::default(), Reach::default());
        for view in grants.list() {
            if view.plugin != id.name || view.hash != id.hash {
                continue;
            }
            let Some((cap, path)) = view.capability.split_once(':') else {
                continue;
            };
            let into = if view.scope == Scope::Deny {
                &mut denied
            } else {
                &mut allowed
            };
            match cap {
                READ => into.read.push(PathBuf::from(path)),
                WRITE => into.write.push(PathBuf::from(path)),
                _ => {}
            }
        }
        (allowed, denied)
    }

    /// Add `other` (no duplicates).
    pub fn extend(&mut self, other: &Reach) {
        for p in &other.read {
            if !self.read.contains(p) {
                self.read.push(p.clone());
            }
        }
        for p in &other.write {
            if !self.write.contains(p) {
                self.write.push(p.clone());
            }
        }
    }
}

/// The policy of the server `id` (entry `target` for the audit lines):
/// the shell's policy for the workspace `root`, hosts decided by `id`'s
/// `net.fetch` grants, widened by `reach`.
pub fn policy(
    root: &Path,
    id: PluginId,
    services: std::sync::Arc<crate::caps::Services>,
    target: &str,
    reach: &Reach,
) -> Policy {
    let mut policy = process_sandbox::plugin_policy(root, id, services, target);
    widen(&mut policy, &Guarded::for_root(root), reach);
    policy
}

/// What a path a call named may be widened to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Offer {
    /// Ask to read this hidden place.
    Read(PathBuf),
    /// Ask to write this file, or beneath this folder.
    Write(PathBuf),
    /// Never asked; the one line that says why.
    Never(String),
}

/// The places a widening keeps its distance from: aicoder's own folders
/// (never opened to a server), the deny list, and `$HOME`.
#[derive(Debug, Clone, Default)]
pub struct Guarded {
    /// aicoder's own folders (`<root>/.aicoder`, its config and cache).
    pub own: Vec<PathBuf>,
    /// The secret places of the deny list.
    pub hidden: Vec<PathBuf>,
    /// `$HOME`.
    pub home: Option<PathBuf>,
}

impl Guarded {
    /// The guarded places of the workspace `root`, as the process sandbox
    /// builds its hidden list.
    pub fn for_root(root: &Path) -> Self {
        let mut own = crate::workspace::default_protected(root);
        own.push(root.join(".aicoder"));
        Guarded {
            own,
            hidden: process_sandbox::deny_read_list(),
            home: std::env::var_os("HOME")
                .filter(|h| !h.is_empty())
                .map(PathBuf::from),
        }
    }
}

/// What the user may be asked about `path`, named by a call of a server
/// confined by `policy` (`write_refused`: the call failed as a refused
/// write does). Paths are judged where they lead (symlinks followed, as
/// the kernel does); aicoder's own folders are never offered; a write is
/// offered for the file itself, or the one folder it would be created
/// in, never for `/`, `$HOME` or a folder holding a hidden place.
pub fn offer(
    policy: &Policy,
    guarded: &Guarded,
    path: &Path,
    write_refused: bool,
) -> Option<Offer> {
    let real = resolve(path);
    let own = forms(&guarded.own);
    if let Some(o) = own
        .iter()
        .find(|o| real.starts_with(o) || path.starts_with(o))
    {
        return Some(Offer::Never(format!(
            "{} is inside aicoder's own folder {}: an MCP server is never let into it (not asked)",
            path.display(),
            o.display()
        )));
    }
    if let Some(hidden) = policy.deny_read.iter().find(|h| {
        let c = canonical(h);
        real.starts_with(h) || real.starts_with(&c) || path.starts_with(h)
    }) {
        return Some(Offer::Read(hidden.clone()));
    }
    if !write_refused || writable(policy, &real) {
        return None;
    }
    let target = if real.exists() {
        real.clone()
    } else {
        match real.parent() {
            Some(dir) if dir.is_dir() => dir.to_path_buf(),
            _ => {
                return Some(Offer::Never(format!(
                    "a write at {} was refused; its folder does not exist, so no write is offered (create the folder first)",
                    real.display()
                )))
            }
        }
    };
    match refuse_write(&target, guarded) {
        Some(why) => Some(Offer::Never(format!(
            "a write at {} was refused; {} is not offered: {why}",
            real.display(),
            target.display()
        ))),
        None => Some(Offer::Write(target)),
    }
}

/// Why writes beneath `target` (a real path) are never granted, if so.
fn refuse_write(target: &Path, guarded: &Guarded) -> Option<String> {
    if target.parent().is_none() {
        return Some("the whole file system is never granted".into());
    }
    if let Some(home) = &guarded.home {
        if forms(std::slice::from_ref(home))
            .iter()
            .any(|h| h.starts_with(target))
        {
            return Some("the home folder (or a folder holding it) is never granted whole".into());
        }
    }
    let own = forms(&guarded.own);
    if let Some(o) = own.iter().find(|o| target.starts_with(o)) {
        return Some(format!("it is inside aicoder's own folder {}", o.display()));
    }
    let hidden = forms(&guarded.hidden);
    if let Some(h) = own.iter().chain(&hidden).find(|h| h.starts_with(target)) {
        return Some(format!("it holds the hidden place {}", h.display()));
    }
    None
}

/// `paths` as written and as they resolve.
fn forms(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        for f in [normalize(p), canonical(p)] {
            if !out.contains(&f) {
                out.push(f);
            }
        }
    }
    out
}

/// `path` canonicalized when it exists, else as written (normalized).
fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| normalize(path))
}

/// `path` as the kernel resolves it: its longest existing ancestor
/// canonicalized (symlinks followed), the rest appended.
pub fn resolve(path: &Path) -> PathBuf {
    for ancestor in path.ancestors() {
        if let Ok(real) = ancestor.canonicalize() {
            let rest = path.strip_prefix(ancestor).unwrap_or(Path::new(""));
            return normalize(&real.join(rest));
        }
    }
    normalize(path)
}

/// `policy` widened by `reach`, except what is never granted: aicoder's
/// own folders stay hidden, and writes of `/`, `$HOME`, aicoder's folders
/// or a folder holding a hidden place are dropped (a stored grant may
/// predate these rules, or be written by hand).
pub fn widen(policy: &mut Policy, guarded: &Guarded, reach: &Reach) {
    let own = forms(&guarded.own);
    policy.deny_read.retain(|hidden| {
        let c = canonical(hidden);
        let is_own = own
            .iter()
            .any(|o| hidden.starts_with(o) || c.starts_with(o));
        is_own
            || !reach
                .read
                .iter()
                .any(|granted| granted == hidden || canonical(granted) == c)
    });
    for granted in &reach.write {
        if refuse_write(&canonical(granted), guarded).is_none()
            && !policy.writable.contains(granted)
        {
            policy.writable.push(granted.clone());
        }
    }
}

/// The hidden place of `policy` that `path` lies beneath (or is), if any.
pub fn hidden_by<'a>(policy: &'a Policy, path: &Path) -> Option<&'a Path> {
    policy
        .deny_read
        .iter()
        .map(PathBuf::as_path)
        .find(|hidden| path.starts_with(hidden))
}

/// Whether `policy` lets a process write at `path`.
pub fn writable(policy: &Policy, path: &Path) -> bool {
    let root = policy.root.canonicalize().unwrap_or(policy.root.clone());
    let under = |dir: &Path| path.starts_with(dir);
    (under(&root) && hidden_by(policy, path).is_none())
        || policy
            .writable
            .iter()
            .any(|d| under(d) || under(&canonical(d)))
        || path == Path::new("/dev/null")
}

/// The absolute paths named by string arguments of a call (top-level
/// values and the items of top-level arrays): absolute, `~/`, or relative
/// to `cwd`. Strings with a `://` or a newline are not paths.
pub fn paths_in(
    arguments: &serde_json::Map<String, serde_json::Value>,
    cwd: &Path,
) -> Vec<PathBuf> {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let mut out: Vec<PathBuf> = Vec::new();
    let mut take = |s: &str| {
        if s.is_empty() || s.len() > 4096 || s.contains("://") || s.contains('\n') {
            return;
        }
        let path = if let Some(rest) = s.strip_prefix("~/") {
            match &home {
                Some(h) => h.join(rest),
                None => return,
            }
        } else if s.starts_with('/') {
            PathBuf::from(s)
        } else if s.contains('/') || s.contains('.') {
            cwd.join(s)
        } else {
            return;
        };
        let path = normalize(&path);
        if !out.contains(&path) {
            out.push(path);
        }
    };
    for value in arguments.values() {
        match value {
            serde_json::Value::String(s) => take(s),
            serde_json::Value::Array(items) => {
                items.iter().filter_map(|v| v.as_str()).for_each(&mut take)
            }
            _ => {}
        }
    }
    out
}

/// `path` without `.` and `..` (lexically; a symlink is judged by the
/// kernel when the server opens it).
fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_are_read_from_string_arguments() {
        let args =
            json!({"path": "/a/../b/c", "n": 3, "paths": ["x/y", "plain"], "url": "http://h/x"});
        let found = paths_in(args.as_object().expect("object"), Path::new("/w"));
        assert_eq!(found, vec![PathBuf::from("/b/c"), PathBuf::from("/w/x/y")]);
        let policy = Policy {
            root: "/w".into(),
            deny_read: vec!["/h/.ssh".into()],
            ..Policy::default()
        };
        assert_eq!(
            hidden_by(&policy, Path::new("/h/.ssh/id")),
            Some(Path::new("/h/.ssh"))
        );
        assert!(hidden_by(&policy, Path::new("/h/.sshx")).is_none());
        assert!(!writable(&policy, Path::new("/tmp/x")));
    }

    /// A root, a home with a secret place and a rc file, aicoder's own
    /// folder in the root, and a symlink in the root to the secret place.
    struct World {
        _dir: tempfile::TempDir,
        root: PathBuf,
        home: PathBuf,
        policy: Policy,
        guarded: Guarded,
    }

    fn world() -> World {
        let dir = tempfile::tempdir().expect("tempdir");
        let base = dir.path().canonicalize().expect("canonical");
        let root = base.join("work");
        let home = base.join("home");
        for d in [root.join(".aicoder"), home.join(".ssh"), home.join("docs")] {
            std::fs::create_dir_all(&d).expect("mkdir");
        }
        std::fs::write(home.join(".bashrc"), "").expect("write");
        std::fs::write(home.join(".ssh/id_ed25519"), "").expect("write");
        std::os::unix::fs::symlink(home.join(".ssh"), root.join("keys")).expect("symlink");
        std::os::unix::fs::symlink(&home, root.join("h")).expect("symlink");
        let guarded = Guarded {
            own: vec![root.join(".aicoder"), home.join(".config/aicoder")],
            hidden: vec![home.join(".ssh"), home.join(".netrc")],
            home: Some(home.clone()),
        };
        let mut deny_read = guarded.own.clone();
        deny_read.extend(guarded.hidden.iter().cloned());
        let policy = Policy {
            root: root.clone(),
            deny_read,
            ..Policy::default()
        };
        World {
            _dir: dir,
            root,
            home,
            policy,
            guarded,
        }
    }

    #[test]
    fn aicoder_own_folder_is_never_offered_nor_opened() {
        let w = world();
        let named = w.root.join(".aicoder/audit.jsonl");
        let offered = offer(&w.policy, &w.guarded, &named, true);
        assert!(
            matches!(offered, Some(Offer::Never(_))),
            "offered {offered:?} for {}",
            named.display()
        );
        // A stored grant (from an older aicoder, or written by hand) is
        // not applied either.
        let mut policy = w.policy.clone();
        let stored = Reach {
            read: vec![w.root.join(".aicoder"), w.home.join(".config/aicoder")],
            write: vec![w.root.join(".aicoder")],
        };
        widen(&mut policy, &w.guarded, &stored);
        assert!(policy.deny_read.contains(&w.root.join(".aicoder")));
        assert!(policy.deny_read.contains(&w.home.join(".config/aicoder")));
        assert!(!policy.writable.contains(&w.root.join(".aicoder")));
    }

    #[test]
    fn a_write_never_widens_to_home_or_slash() {
        let w = world();
        // An existing file: only the file itself.
        assert_eq!(
            offer(&w.policy, &w.guarded, &w.home.join(".bashrc"), true),
            Some(Offer::Write(w.home.join(".bashrc")))
        );
        // A new file in $HOME, or in a folder that does not exist: never
        // the whole home.
        for named in [w.home.join("new.txt"), w.home.join("new/x")] {
            let offered = offer(&w.policy, &w.guarded, &named, true);
            assert!(
                matches!(offered, Some(Offer::Never(_))),
                "offered {offered:?} for {}",
                named.display()
            );
        }
        // A new file in an existing folder: that folder only.
        assert_eq!(
            offer(&w.policy, &w.guarded, &w.home.join("docs/n.md"), true),
            Some(Offer::Write(w.home.join("docs")))
        );
        for named in [PathBuf::from("/"), PathBuf::from("/nonexistent-aicoder/x")] {
            let offered = offer(&w.policy, &w.guarded, &named, true);
            assert!(
                matches!(offered, Some(Offer::Never(_))),
                "offered {offered:?} for {}",
                named.display()
            );
        }
        // Stored grants of home, `/` or an ancestor of a hidden place are
        // not applied.
        let mut policy = w.policy.clone();
        let stored = Reach {
            read: Vec::new(),
            write: vec![
                w.home.clone(),
                PathBuf::from("/"),
                w.home.join(".."),
                w.home.join("docs"),
            ],
        };
        widen(&mut policy, &w.guarded, &stored);
        assert_eq!(policy.writable, vec![w.home.join("docs")]);
    }

    #[test]
    fn symlinks_are_judged_by_where_they_lead() {
        let w = world();
        // <root>/keys -> ~/.ssh: the hidden place is what is offered.
        let offered = offer(&w.policy, &w.guarded, &w.root.join("keys/id_ed25519"), true);
        assert_eq!(offered, Some(Offer::Read(w.home.join(".ssh"))));
        // <root>/h -> ~: a write through it is a write in home.
        assert_eq!(
            offer(&w.policy, &w.guarded, &w.root.join("h/.bashrc"), true),
            Some(Offer::Write(w.home.join(".bashrc")))
        );
        let offered = offer(&w.policy, &w.guarded, &w.root.join("h/new.txt"), true);
        assert!(matches!(offered, Some(Offer::Never(_))), "{offered:?}");
        // A write in the root itself needs nothing.
        assert_eq!(
            offer(&w.policy, &w.guarded, &w.root.join("src/x"), true),
            None
        );
    }
}
