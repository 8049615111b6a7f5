//! MCP server entries as people already have them: the `mcpServers` map of
//! a project's `.mcp.json` (Claude Code, Cursor, VS Code) and of the user's
//! `~/.config/aicoder/mcp.json`. `command`/`args`/`env`/`cwd` for stdio,
//! `url`/`headers` for Streamable HTTP, `${VAR}` and `${VAR:-default}` in
//! every string. Each entry has a hash of what it says (before expansion),
//! which trust, tool approvals and grants are keyed by: a changed entry is
//! asked about again.

pub use super::config_error::{EntryError, RestartError, SandboxRequired, WriteError};
use crate::util::atomic_write;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where an entry was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Origin {
    /// `.mcp.json` in the project: started only once trusted.
    Project,
    /// The user's `mcp.json`.
    User,
}

impl Origin {
    /// Lower-case name for listings.
    pub fn name(self) -> &'static str {
        match self {
            Origin::Project => "project",
            Origin::User => "user",
        }
    }
}

/// One entry as written in the file (the hashed form: keys sorted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Entry {
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub env: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cwd: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disabled: bool,
}

impl Entry {
    /// Hex blake3 of the entry as written (keys sorted, before `${VAR}`
    /// expansion, so a secret in the environment is not part of it).
    pub fn hash(&self) -> String {
        let text = serde_json::to_string(self).unwrap_or_default();
        blake3::hash(text.as_bytes()).to_hex().to_string()
    }

    /// `command args...` or the URL, as listings show it: each word quoted as
    /// a shell would need it, so the trust question shows where one argument
    /// ends and the next begins.
    pub fn target(&self) -> String {
        match (&self.url, &self.command) {
            (Some(url), _) => url.clone(),
            (None, Some(command)) => std::iter::once(command)
                .chain(&self.args)
                .map(|word| crate::caps::scope::quote_word(word))
                .collect::<Vec<_>>()
                .join(" "),
            (None, None) => "(no command or url)".into(),
        }
    }
}

/// A configured server: its name, where it came from, its entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerEntry {
    pub name: String,
    pub origin: Origin,
    pub file: PathBuf,
    pub entry: Entry,
    pub hash: String,
}

impl ServerEntry {
    /// The first 12 hex digits of the entry's hash.
    pub fn short_hash(&self) -> &str {
        self.hash.get(..12).unwrap_or(&self.hash)
    }

    /// The identity grants and tool approvals are kept under.
    pub fn id(&self) -> crate::caps::grants::PluginId {
        crate::caps::grants::PluginId {
            name: format!("mcp:{}", self.name),
            hash: self.hash.clone(),
            source: match self.origin {
                Origin::Project => crate::state::PluginSource::Project,
                Origin::User => crate::state::PluginSource::User,
            },
        }
    }

    /// The transport with `${VAR}` expanded from `env`.
    pub fn transport(
        &self,
        env: &dyn Fn(&str) -> Option<String>,
        project_root: &Path,
    ) -> Result<aicoder_mcp::client::Transport, EntryError> {
        let e = &self.entry;
        let x = |s: &str| expand(s, env);
        let kind = e.kind.as_deref().unwrap_or("");
        if kind == "sse" {
            return Err(EntryError::Sse);
        }
        if let Some(url) = &e.url {
            let mut headers = BTreeMap::new();
            for (k, v) in &e.headers {
                headers.insert(k.clone(), x(v)?);
            }
            return Ok(aicoder_mcp::client::Transport::Http {
                url: x(url)?,
                headers,
            });
        }
        let Some(command) = &e.command else {
            return Err(EntryError::NoCommandOrUrl);
        };
        let mut env_out = BTreeMap::new();
        for (k, v) in &e.env {
            env_out.insert(k.clone(), x(v)?);
        }
        let cwd = match &e.cwd {
            Some(dir) => Some(project_root.join(x(dir)?)),
            None => Some(project_root.to_path_buf()),
        };
        Ok(aicoder_mcp::client::Transport::Stdio {
            command: x(command)?,
            args: e.args.iter().map(|a| x(a)).collect::<Result<_, _>>()?,
            env: env_out,
            cwd,
        })
    }
}

/// A server name aicoder accepts: letters, digits, `_` and `-`, at most 32
/// bytes (it becomes part of tool names, `mcp__NAME__TOOL`).
pub fn valid_server_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 32
        && !name.contains("__")
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Expand `${VAR}` and `${VAR:-default}`; an unset variable without a
/// default is an error naming it.
pub fn expand(text: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<String, EntryError> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("${") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let Some(end) = after.find('}') else {
            return Err(EntryError::Unclosed {
                text: text.to_string(),
            });
        };
        let inner = &after[..end];
        let (name, default) = match inner.split_once(":-") {
            Some((n, d)) => (n, Some(d)),
            None => (inner, None),
        };
        match (env(name).filter(|v| !v.is_empty()), default) {
            (Some(v), _) => out.push_str(&v),
            (None, Some(d)) => out.push_str(d),
            (None, None) => {
                return Err(EntryError::Unset {
                    name: name.to_string(),
                })
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The user's file: `~/.config/aicoder/mcp.json`.
pub fn user_file(paths: &crate::config::Paths) -> PathBuf {
    paths.user_config_dir.join("mcp.json")
}

/// The project's file: `.mcp.json` at the project root.
pub fn project_file(root: &Path) -> PathBuf {
    root.join(".mcp.json")
}

/// The largest `.mcp.json` read.
const MAX_FILE: u64 = 1 << 20;

/// Read the entries of one file (a missing file has none). Problems with
/// single entries are returned as notes, the rest still read.
pub fn read_file(path: &Path, origin: Origin) -> Result<(Vec<ServerEntry>, Vec<String>), String> {
    let text = match std::fs::metadata(path) {
        Ok(meta) if meta.len() > MAX_FILE => {
            return Err(format!(
                "{} is {} bytes; the largest read is 1 MiB",
                path.display(),
                meta.len()
            ))
        }
        Ok(_) => std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Vec::new(), Vec::new())),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let value: Value = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{} is not valid JSON ({e}); fix it, its servers are not started",
            path.display()
        )
    })?;
    let mut entries = Vec::new();
    let mut notes = Vec::new();
    let Some(servers) = value.get("mcpServers") else {
        return Ok((entries, notes));
    };
    let Some(servers) = servers.as_object() else {
        return Err(format!("{}: mcpServers must be an object", path.display()));
    };
    for (name, raw) in servers {
        let shown = crate::term::sanitize::visible(name).into_owned();
        if !valid_server_name(name) {
            notes.push(format!(
                "{}: server name {shown:?} is not used: names are letters, digits, _ and - (at most 32, no `__`)",
                path.display()
            ));
            continue;
        }
        match serde_json::from_value::<Entry>(raw.clone()) {
            Ok(entry) if entry.disabled => {}
            Ok(entry) => {
                let hash = entry.hash();
                entries.push(ServerEntry {
                    name: name.clone(),
                    origin,
                    file: path.to_path_buf(),
                    entry,
                    hash,
                });
            }
            Err(e) => notes.push(format!("{}: server {shown}: {e}", path.display())),
        }
    }
    Ok((entries, notes))
}

/// Add or replace `name` in the file at `path`, keeping everything else in
/// it; written atomically.
pub fn write_entry(path: &Path, name: &str, entry: Option<&Entry>) -> Result<bool, WriteError> {
    let mut value: Value = match std::fs::read_to_string(path) {
        Ok(text) => serde_json::from_str(&text).map_err(|source| WriteError::NotJson {
            path: path.to_path_buf(),
            source,
        })?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => serde_json::json!({}),
        Err(source) => {
            return Err(WriteError::Io {
                path: path.to_path_buf(),
                source,
            })
        }
    };
    let Some(root) = value.as_object_mut() else {
        return Err(WriteError::NotAnObject(path.to_path_buf()));
    };
    let servers = root
        .entry("mcpServers")
        .or_insert_with(|| serde_json::json!({}));
    let Some(servers) = servers.as_object_mut() else {
        return Err(WriteError::ServersNotAnObject(path.to_path_buf()));
    };
    let existed = match entry {
        Some(entry) => servers
            .insert(name.to_string(), serde_json::to_value(entry)?)
            .is_some(),
        None => servers.remove(name).is_some(),
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| WriteError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    let mut bytes = serde_json::to_vec_pretty(&value)?;
    bytes.push(b'\n');
    atomic_write(path, &bytes).map_err(|source| WriteError::Write {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(existed)
}

/// Every configured server: the user's, then the project's; a project
/// entry cannot take a user server's name (refused with a note).
pub fn load_all(paths: &crate::config::Paths, root: &Path) -> (Vec<ServerEntry>, Vec<String>) {
    let mut all = Vec::new();
    let mut notes = Vec::new();
    for (file, origin) in [
        (user_file(paths), Origin::User),
        (project_file(root), Origin::Project),
    ] {
        match read_file(&file, origin) {
            Ok((entries, more)) => {
                notes.extend(more);
                for entry in entries {
                    if all.iter().any(|e: &ServerEntry| e.name == entry.name) {
                        notes.push(format!(
                            "{}: server {} is not used: your own mcp.json already has a server of that name",
                            file.display(),
                            entry.name
                        ));
                    } else {
                        all.push(entry);
                    }
                }
            }
            Err(note) => notes.push(note),
        }
    }
    (all, notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_expand_with_defaults_and_unset_ones_are_named() {
        let env = |k: &str| (k == "HOME").then(|| "/home/u".to_string());
        assert_eq!(expand("${HOME}/x", &env).as_deref(), Ok("/home/u/x"));
        assert_eq!(expand("${NOPE:-d}!", &env).as_deref(), Ok("d!"));
        let err = expand("a ${TOKEN} b", &env).unwrap_err();
        assert!(err.to_string().contains("${TOKEN}"), "{err}");
        assert!(expand("${OPEN", &env).is_err());
    }

    /// The trust question shows where each argument begins and ends: a
    /// space or a `;` inside one argument is quoted, not run together.
    #[test]
    fn a_target_quotes_each_argument() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(".mcp.json");
        std::fs::write(
            &path,
            r#"{"mcpServers": {"s": {"command": "node", "args": ["-e", "1; rm -rf ~", "plain.js", ""]}}}"#,
        )
        .expect("write");
        let (entries, _) = read_file(&path, Origin::Project).expect("read");
        assert_eq!(
            entries[0].entry.target(),
            "node -e '1; rm -rf ~' plain.js ''"
        );
    }

    #[test]
    fn files_are_read_entry_by_entry_and_hashes_follow_the_entry() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(".mcp.json");
        std::fs::write(
            &path,
            r#"{"mcpServers": {
                "fs": {"command": "npx", "args": ["-y", "server"], "env": {"K": "${HOME}"}},
                "web": {"type": "http", "url": "http://127.0.0.1:1/mcp", "headers": {"A": "b"}},
                "bad name!": {"command": "x"},
                "broken": {"command": 3},
                "off": {"command": "x", "disabled": true}
            }, "other": 1}"#,
        )
        .expect("write");
        let (entries, notes) = read_file(&path, Origin::Project).expect("read");
        let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["fs", "web"]);
        assert_eq!(notes.len(), 2, "{notes:?}");
        let fs = &entries[0];
        let before = fs.hash.clone();
        let mut changed = fs.entry.clone();
        changed.args.push("/".into());
        assert_ne!(changed.hash(), before);
        // Writing another entry keeps the rest of the file.
        write_entry(&path, "new", Some(&changed)).expect("write");
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains("\"other\": 1"), "{text}");
        let (entries, _) = read_file(&path, Origin::Project).expect("read");
        assert_eq!(
            entries.iter().find(|e| e.name == "fs").map(|e| &e.hash),
            Some(&before)
        );
        assert!(write_entry(&path, "new", None).expect("remove"));
    }
}
