//! Finding plugin files: the user folder, the plugins that ship with aicoder,
//! then the project folder, in that order. A user plugin shadows a shipped
//! one of the same file name (the user put it there); a project plugin never
//! takes the name of a user or shipped one: it is refused, loudly. Project
//! plugins load only once the folder is trusted (see `trust`). Files starting
//! with `_` are disabled; PLUGINS_ALLOW / PLUGINS_DENY filter by file name
//! without the extension.

use crate::config::Paths;
use std::path::{Path, PathBuf};

/// The plugins built in this workspace that aicoder ships: only those meant
/// for users. The example plugins (plugins/example, redact_secrets,
/// session_view) are documentation to copy from, and the test fixtures are
/// for tests; they are built beside these but never discovered.
pub const SHIPPED: &[&str] = &[
    "python_runtime",
    "web",
    "memory",
    "skills",
    "git_aware",
    "snippets",
    "ask_user",
    "bg_jobs",
    "auto_pruner",
    "check_after_edit",
    "notify",
    "copy",
    "presets",
    "reminder",
];

pub use crate::state::PluginSource;

/// A plugin file to load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub path: PathBuf,
    pub source: PluginSource,
}

/// A plugin file that was found but not loaded, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: String,
    /// Refused as a threat (a project plugin taking another's name): always
    /// shown, not only with DEBUG.
    pub refused: bool,
}

/// PLUGINS_ALLOW / PLUGINS_DENY.
#[derive(Debug, Clone, Default)]
pub struct NameFilter {
    allow: Option<Vec<String>>,
    deny: Vec<String>,
}

impl NameFilter {
    /// From the environment variables.
    pub fn from_env() -> Self {
        let list = |var: &str| {
            std::env::var(var)
                .ok()
                .filter(|v| !v.trim().is_empty())
                .map(|v| {
                    v.split(',')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect::<Vec<_>>()
                })
        };
        NameFilter {
            allow: list("PLUGINS_ALLOW"),
            deny: list("PLUGINS_DENY").unwrap_or_default(),
        }
    }

    /// Why `name` is filtered out, if it is.
    pub fn reject(&self, name: &str) -> Option<String> {
        if self.deny.iter().any(|d| d == name) {
            return Some("listed in PLUGINS_DENY".into());
        }
        match &self.allow {
            Some(allow) if !allow.iter().any(|a| a == name) => {
                Some("not listed in PLUGINS_ALLOW".into())
            }
            _ => None,
        }
    }
}

fn wasm_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "wasm") && p.is_file())
        .collect();
    files.sort();
    files
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// What the plugin files look like on disk (path, size, mtime, ctime): equal
/// fingerprints mean nothing was added, removed or rewritten. A `stat` per
/// file; nothing is read.
pub fn fingerprint(candidates: &[Candidate]) -> Vec<(PathBuf, u64, i64, i64)> {
    use std::os::unix::fs::MetadataExt;
    candidates
        .iter()
        .map(|c| match std::fs::metadata(&c.path) {
            Ok(m) => (
                c.path.clone(),
                m.len(),
                m.mtime_nsec() + m.mtime() * 1_000_000_000,
                m.ctime_nsec() + m.ctime() * 1_000_000_000,
            ),
            Err(_) => (c.path.clone(), 0, 0, 0),
        })
        .collect()
}

/// Every plugin file to load, and those skipped with the reason.
pub fn discover(paths: &Paths, filter: &NameFilter) -> (Vec<Candidate>, Vec<Skipped>) {
    let mut found: Vec<Candidate> = Vec::new();
    let mut skipped = Vec::new();
    let mut consider = |path: PathBuf, source: PluginSource, found: &mut Vec<Candidate>| {
        let name = stem(&path);
        let mut refused = false;
        let reason = if name.starts_with('_') {
            Some("disabled (file name starts with `_`)".to_string())
        } else if let Some(first) = found.iter().find(|c| stem(&c.path) == name) {
            if source == PluginSource::Project {
                refused = true;
                Some(format!(
                    "refused: a project plugin cannot take the name `{name}` of the {} plugin {}",
                    first.source.name(),
                    first.path.display()
                ))
            } else {
                Some(format!("shadowed by {}", first.path.display()))
            }
        } else {
            filter.reject(&name)
        };
        match reason {
            Some(reason) => skipped.push(Skipped {
                path,
                reason,
                refused,
            }),
            None => found.push(Candidate { path, source }),
        }
    };
    for path in wasm_files(&paths.user_plugins()) {
        consider(path, PluginSource::User, &mut found);
    }
    for name in SHIPPED {
        let file = format!("{name}.wasm");
        if let Some(path) = paths
            .shipped_plugin_dirs
            .iter()
            .map(|d| d.join(&file))
            .find(|p| p.is_file())
        {
            consider(path, PluginSource::Shipped, &mut found);
        }
    }
    // Last, so that a project plugin's manifest name can never displace a
    // user or shipped plugin either: that one is loaded first and the
    // project one is refused as a duplicate.
    for path in wasm_files(&paths.project_plugins()) {
        consider(path, PluginSource::Project, &mut found);
    }
    (found, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_disabling_shadowing_and_filters() {
        let dir = tempfile::tempdir().expect("tempdir");
        let paths = Paths {
            project_dir: dir.path().join("proj/.aicoder"),
            user_config_dir: dir.path().join("user"),
            cache_dir: dir.path().join("cache"),
            shipped_plugin_dirs: vec![dir.path().join("shipped")],
        };
        for (folder, file) in [
            (paths.project_plugins(), "a.wasm"),
            (paths.project_plugins(), "_off.wasm"),
            (paths.project_plugins(), "notes.txt"),
            (paths.user_plugins(), "a.wasm"),
            (paths.user_plugins(), "b.wasm"),
            (dir.path().join("shipped"), "python_runtime.wasm"),
            // Built beside it but not for users: never discovered.
            (dir.path().join("shipped"), "example.wasm"),
            (dir.path().join("shipped"), "fixture.wasm"),
        ] {
            std::fs::create_dir_all(&folder).expect("mkdir");
            std::fs::write(folder.join(file), b"").expect("write");
        }
        let (found, skipped) = discover(&paths, &NameFilter::default());
        let names: Vec<_> = found.iter().map(|c| (stem(&c.path), c.source)).collect();
        assert_eq!(
            names,
            [
                ("a".into(), PluginSource::User),
                ("b".into(), PluginSource::User),
                ("python_runtime".into(), PluginSource::Shipped)
            ]
        );
        assert_eq!(skipped.len(), 2, "{skipped:?}");
        let clash = skipped
            .iter()
            .find(|s| s.refused)
            .expect("project a.wasm refused");
        assert!(
            clash.reason.contains("user plugin") && clash.reason.contains("a.wasm"),
            "{clash:?}"
        );

        let filter = NameFilter {
            allow: Some(vec!["a".into(), "b".into()]),
            deny: vec!["b".into()],
        };
        let (found, _) = discover(&paths, &filter);
        assert_eq!(found.len(), 1);
    }
}
