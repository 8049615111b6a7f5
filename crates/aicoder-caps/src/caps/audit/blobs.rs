//! Large old/new values of the audit log, stored once each beside it in
//! `.aicoder/audit/blobs/<hex blake3>`: the line keeps the hash, the length
//! and a short preview, so a 16 MiB file write logs a few hundred bytes and
//! the same content written twice is stored once.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Serialized values longer than this go to a blob.
pub const BLOB_ABOVE: usize = 4096;

/// Characters of a blob's JSON kept in the line as a preview.
const PREVIEW_CHARS: usize = 120;

/// What a line stores instead of a large value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlobRef {
    /// Hex blake3 of the blob (the value as JSON); also its file name.
    pub hash: String,
    /// Length of the blob in bytes.
    pub bytes: u64,
    /// The start of the value as JSON.
    pub preview: String,
}

/// Why a blob could not be read back.
#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("blob {hash} is missing from {dir}")]
    Missing { hash: String, dir: PathBuf },
    #[error("blob {hash} was changed on disk: its content no longer has that hash")]
    Changed { hash: String },
    #[error("blob {hash} names no valid hash")]
    BadName { hash: String },
    #[error("cannot read blob {hash}: {source}")]
    Io {
        hash: String,
        source: std::io::Error,
    },
    #[error("blob {hash} is not a JSON value: {source}")]
    Json {
        hash: String,
        source: serde_json::Error,
    },
}

/// The blob folder of the audit log at `log`.
pub fn dir_for(log: &Path) -> PathBuf {
    log.parent()
        .unwrap_or_else(|| Path::new("."))
        .join("audit")
        .join("blobs")
}

/// Store `json` (a serialized value) in `dir` unless a blob with its hash is
/// already there; written atomically, so a blob is whole or absent.
pub fn store(dir: &Path, json: &[u8]) -> std::io::Result<BlobRef> {
    let hash = blake3::hash(json).to_hex().to_string();
    let path = dir.join(&hash);
    let present = std::fs::metadata(&path).is_ok_and(|m| m.len() == json.len() as u64);
    if !present {
        crate::util::atomic_write(&path, json)?;
    }
    let text = String::from_utf8_lossy(&json[..json.len().min(PREVIEW_CHARS * 4)]);
    Ok(BlobRef {
        hash,
        bytes: json.len() as u64,
        preview: text.chars().take(PREVIEW_CHARS).collect(),
    })
}

/// The blob's bytes, checked against its hash and length.
pub fn read_checked(dir: &Path, blob: &BlobRef) -> Result<Vec<u8>, BlobError> {
    let hash = blob.hash.clone();
    let expected = blake3::Hash::from_hex(&blob.hash)
        .map_err(|_| BlobError::BadName { hash: hash.clone() })?;
    // The name is 64 hex digits: it cannot leave the folder.
    let bytes = match std::fs::read(dir.join(&blob.hash)) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(BlobError::Missing {
                hash,
                dir: dir.to_path_buf(),
            })
        }
        Err(source) => return Err(BlobError::Io { hash, source }),
    };
    if bytes.len() as u64 != blob.bytes || blake3::hash(&bytes) != expected {
        return Err(BlobError::Changed { hash });
    }
    Ok(bytes)
}

/// The value stored in a blob, checked against its hash.
pub fn load(dir: &Path, blob: &BlobRef) -> Result<Value, BlobError> {
    let bytes = read_checked(dir, blob)?;
    serde_json::from_slice(&bytes).map_err(|source| BlobError::Json {
        hash: blob.hash.clone(),
        source,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn stores_once_and_reads_back_checked() {
        let dir = tempfile::tempdir().unwrap();
        let value = json!({"content": "x".repeat(10_000)});
        let bytes = serde_json::to_vec(&value).unwrap();
        let a = store(dir.path(), &bytes).unwrap();
        let b = store(dir.path(), &bytes).unwrap();
        assert_eq!(a, b);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        assert_eq!(load(dir.path(), &a).unwrap(), value);
        assert!(a.preview.starts_with("{\"content\":\"xxx"));
        std::fs::write(dir.path().join(&a.hash), b"{}").unwrap();
        assert!(matches!(
            load(dir.path(), &a),
            Err(BlobError::Changed { .. })
        ));
        std::fs::remove_file(dir.path().join(&a.hash)).unwrap();
        assert!(matches!(
            load(dir.path(), &a),
            Err(BlobError::Missing { .. })
        ));
    }
}
