//! Each MCP server's tool list as last seen, kept in the user's cache by its
//! name and the hash of its entry, so a session's first model request can offer the
//! server's tools without waiting for it to start (B19). The list is
//! replaced whenever the server is up and lists its tools (at start and on
//! `list_changed`); a call to a server still starting waits for it there
//! (the client's `ensure_started`). A changed entry has another hash and
//! so no cached list: the session waits for that server once, as before.

use aicoder_mcp::client::ToolInfo;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A cached list larger than this is ignored (a live list is bounded by the
/// offer anyway; this bounds what a damaged file can make us read).
const MAX_FILE_BYTES: u64 = 4 << 20;

#[derive(Serialize, Deserialize)]
struct Tool {
    name: String,
    description: String,
    input_schema: Value,
}

#[derive(Serialize, Deserialize)]
struct File {
    /// The server's name in its entry (a renamed entry is another server).
    server: String,
    tools: Vec<Tool>,
}

/// One file per server name and entry hash: two servers of the same entry
/// under different names (e1, e2, ...) have a list each.
fn path(dir: &Path, server: &str, hash: &str) -> Option<PathBuf> {
    // The hash is blake3 hex from config.rs; anything else names no file.
    (hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit())).then(|| {
        let key = blake3::hash(format!("{server}\0{hash}").as_bytes());
        dir.join(format!("{}.json", key.to_hex()))
    })
}

/// The tools `server` (entry hash `hash`) listed last time, if kept.
pub fn load(dir: &Path, server: &str, hash: &str) -> Option<Vec<ToolInfo>> {
    let path = path(dir, server, hash)?;
    if std::fs::metadata(&path).ok()?.len() > MAX_FILE_BYTES {
        return None;
    }
    let file: File = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    (file.server == server && !file.tools.is_empty()).then(|| {
        file.tools
            .into_iter()
            .map(|t| ToolInfo {
                name: t.name,
                description: t.description,
                input_schema: t.input_schema,
            })
            .collect()
    })
}

/// Keep `tools` as `server`'s list (written atomically; a failure only
/// costs the next session a wait).
pub fn store(dir: &Path, server: &str, hash: &str, tools: &[ToolInfo]) {
    let Some(path) = path(dir, server, hash) else {
        return;
    };
    let file = File {
        server: server.to_string(),
        tools: tools
            .iter()
            .map(|t| Tool {
                name: t.name.clone(),
                description: t.description.clone(),
                input_schema: t.input_schema.clone(),
            })
            .collect(),
    };
    if let Ok(bytes) = serde_json::to_vec(&file) {
        // What load would refuse is not written (an old list is removed).
        if bytes.len() as u64 > MAX_FILE_BYTES {
            let _ = std::fs::remove_file(&path);
            return;
        }
        let _ = std::fs::create_dir_all(dir);
        let _ = crate::util::atomic_write(&path, &bytes);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_list_comes_back_only_for_its_server_and_a_well_formed_hash() {
        let dir = tempfile::tempdir().unwrap();
        let hash = "ab".repeat(32);
        let tools = vec![ToolInfo {
            name: "read".into(),
            description: "reads".into(),
            input_schema: serde_json::json!({"type": "object"}),
        }];
        store(dir.path(), "fs", &hash, &tools);
        assert_eq!(load(dir.path(), "fs", &hash), Some(tools.clone()));
        assert_eq!(load(dir.path(), "other", &hash), None);
        store(dir.path(), "fs", "../../etc/x", &tools);
        assert_eq!(load(dir.path(), "fs", "../../etc/x"), None);
        // Two servers of the same entry keep a list each.
        store(dir.path(), "fs2", &hash, &tools[..0]);
        assert_eq!(load(dir.path(), "fs", &hash), Some(tools.clone()));
        // A list over the bound is not kept (and replaces the old one).
        let big = vec![ToolInfo {
            description: "x".repeat((4 << 20) + 1),
            ..tools[0].clone()
        }];
        store(dir.path(), "fs", &hash, &big);
        assert_eq!(load(dir.path(), "fs", &hash), None);
        store(dir.path(), "fs", &hash, &tools);
        std::fs::write(path(dir.path(), "fs", &hash).unwrap(), "{").unwrap();
        assert_eq!(load(dir.path(), "fs", &hash), None);
    }
}
