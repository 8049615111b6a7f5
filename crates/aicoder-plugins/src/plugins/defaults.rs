//! Default grants: the shipped plugins whose ceiling reaches only their own
//! data and the session work on first use, as in AI Coder v3. Each default
//! is an `always` grant marked `default` in grants.json, which `/grants` and
//! `/plugins` show as `default`; `/grants revoke` removes it and it is not
//! given again (the plugin asks, as any other), a denial (`aicoder plugin
//! grant NAME CAP --scope deny`, or "deny always" at the question) refuses
//! it for good. A default the user kept follows the plugin to its next
//! version. Plugins that reach the shell, processes or the network get none
//! (git_aware's `git status` keeps asking). AICODER_DEFAULT_GRANTS=0 gives
//! none.

use crate::caps::scope::ScopePattern;
use crate::caps::Capability;
use crate::plugins::PluginHost;
use crate::state::PluginSource;
use std::collections::BTreeSet;
use std::path::Path;

/// Each shipped plugin's default grants (`CAP` or `CAP:SCOPE`).
pub const DEFAULTS: &[(&str, &[&str])] = &[
    // Its notes in .aicoder/memory, its prompt section, the refresh.
    (
        "memory",
        &["data.read", "data.write", "prompt.write", "hooks.register"],
    ),
    // Reads the skills folders; the list in the prompt.
    ("skills", &["data.read", "prompt.write", "hooks.register"]),
    // Reads the snippet folders; expands the user's last message.
    (
        "snippets",
        &[
            "data.read",
            "history.read",
            "history.write",
            "hooks.register",
        ],
    ),
    // Shortens old tool results in the conversation.
    (
        "auto_pruner",
        &["history.read", "history.write", "hooks.register"],
    ),
    // The read-only part: .git/HEAD and the reflog, the `git` section.
    (
        "git_aware",
        &["fs.read:.git/**", "prompt.write", "hooks.register"],
    ),
];

/// The file remembering which defaults were given once (by plugin name,
/// not version), so that a revoked one is not given again.
pub fn offered_file(user_config_dir: &Path) -> std::path::PathBuf {
    user_config_dir.join("default-grants.json")
}

#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct Offered {
    offered: BTreeSet<String>,
}

/// Whether default grants are given (AICODER_DEFAULT_GRANTS, on unless 0).
pub fn enabled() -> bool {
    !std::env::var("AICODER_DEFAULT_GRANTS")
        .is_ok_and(|v| matches!(v.trim(), "0" | "false" | "no" | "off"))
}

/// Give the loaded shipped plugins their defaults: a default never given
/// before, or one the user kept for an earlier version. Returns the
/// `plugin:CAP` given now; an error names the file that could not be
/// written (the grants stay as they were then).
pub fn apply(host: &PluginHost, file: &Path) -> Result<Vec<String>, String> {
    if !enabled() {
        return Ok(Vec::new());
    }
    let mut offered: Offered = match std::fs::read(file) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map_err(|e| format!("{} is unreadable ({e}); no default grants", file.display()))?,
        Err(_) => Offered::default(),
    };
    let before = offered.offered.len();
    let mut given = Vec::new();
    for p in host.plugins() {
        if p.source != PluginSource::Shipped {
            continue;
        }
        let Some((_, specs)) = DEFAULTS.iter().find(|(n, _)| *n == p.manifest.name) else {
            continue;
        };
        for spec in specs.iter() {
            let (name, within) = match spec.split_once(':') {
                Some((c, w)) => (c, Some(w)),
                None => (*spec, None),
            };
            let Some(cap) = Capability::parse(name) else {
                continue;
            };
            // Never above what the component imports.
            if !p.ceiling().contains(&cap) {
                continue;
            }
            let key = format!("{}:{spec}", p.manifest.name);
            let mut grants = host.services().grants();
            if offered.offered.contains(&key) && !grants.default_kept(&p.manifest.name, spec) {
                continue;
            }
            let within = match within.map(|w| ScopePattern::parse(cap, w)).transpose() {
                Ok(w) => w,
                Err(_) => continue,
            };
            if grants
                .grant_default(&p.id, cap, within)
                .map_err(|e| e.to_string())?
            {
                given.push(key.clone());
            }
            offered.offered.insert(key);
        }
    }
    if offered.offered.len() != before {
        if let Some(dir) = file.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let mut bytes = serde_json::to_vec_pretty(&offered).unwrap_or_default();
        bytes.push(b'\n');
        crate::util::atomic_write(file, &bytes)
            .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    }
    Ok(given)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_is_a_known_capability_and_none_reaches_out() {
        for (plugin, specs) in DEFAULTS {
            for spec in specs.iter() {
                let name = spec.split_once(':').map_or(*spec, |(c, _)| c);
                let cap = Capability::parse(name)
                    .unwrap_or_else(|| panic!("{plugin}: unknown capability {name}"));
                // Nothing that runs programs or talks to the network.
                assert!(
                    !name.starts_with("shell.")
                        && !name.starts_with("process.")
                        && !name.starts_with("net."),
                    "{plugin}: {cap}"
                );
            }
        }
    }
}
