//! Where aicoder keeps its files: the project's, the user's, the cache and
//! the shipped plugins' folders.

use super::*;

/// Where aicoder keeps its files.
#[derive(Debug, Clone)]
pub struct Paths {
    /// `<project>/.aicoder`: session, audit log, project plugins.
    pub project_dir: PathBuf,
    /// `$XDG_CONFIG_HOME/aicoder` or `~/.config/aicoder`: grants, user plugins.
    pub user_config_dir: PathBuf,
    /// `$XDG_CACHE_HOME/aicoder` or `~/.cache/aicoder`: compiled components.
    pub cache_dir: PathBuf,
    /// Folders holding the plugins that ship with aicoder.
    pub shipped_plugin_dirs: Vec<PathBuf>,
}

impl Paths {
    /// Paths for a project rooted at `project_root`, from the environment.
    pub fn for_project(project_root: &std::path::Path) -> Self {
        let home = std::env::var_os("HOME")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("."));
        let xdg = |var: &str, fallback: &str| {
            std::env::var_os(var)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .unwrap_or_else(|| home.join(fallback))
                .join("aicoder")
        };
        Paths {
            project_dir: project_root.join(".aicoder"),
            user_config_dir: xdg("XDG_CONFIG_HOME", ".config"),
            cache_dir: xdg("XDG_CACHE_HOME", ".cache"),
            shipped_plugin_dirs: shipped_plugin_dirs(),
        }
    }

    /// The audit log of this project.
    pub fn audit_log(&self) -> PathBuf {
        self.project_dir.join("audit.jsonl")
    }

    /// The persisted (always / deny) grants of this user.
    pub fn grants_file(&self) -> PathBuf {
        self.user_config_dir.join("grants.json")
    }

    /// The project's settings: `<project>/.aicoder/config.toml`.
    pub fn project_config_file(&self) -> PathBuf {
        self.project_dir.join("config.toml")
    }

    /// The user's settings: `~/.config/aicoder/config.toml`.
    pub fn user_config_file(&self) -> PathBuf {
        self.user_config_dir.join("config.toml")
    }

    /// Project plugins folder.
    pub fn project_plugins(&self) -> PathBuf {
        self.project_dir.join("plugins")
    }

    /// User plugins folder.
    pub fn user_plugins(&self) -> PathBuf {
        self.user_config_dir.join("plugins")
    }
}

/// AICODER_SHIPPED_PLUGINS if set, else `plugins/` beside the executable and,
/// for a build tree, `target/wasm32-wasip2/release` next to `target/release`.
fn shipped_plugin_dirs() -> Vec<PathBuf> {
    if let Some(dir) = std::env::var_os("AICODER_SHIPPED_PLUGINS") {
        return std::env::split_paths(&dir).collect();
    }
    let Some(exe_dir) = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(PathBuf::from))
    else {
        return Vec::new();
    };
    let mut dirs = vec![exe_dir.join("plugins")];
    if let Some(target) = exe_dir.parent() {
        dirs.push(target.join("wasm32-wasip2").join("release"));
    }
    dirs
}
