//! Trusted folders: a folder's own plugins (`.aicoder/plugins`) come with
//! whatever repository was cloned, so none of them loads until the user
//! trusts it, by file name and content hash, for that folder. A changed file
//! (a new hash) is untrusted again. Remembered in `trust.json` in the user
//! config dir, written atomically under a lock like the grants file.

use crate::caps::Capability;
use crate::util::atomic_write;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// One trusted project plugin file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustEntry {
    /// The project folder (its root, as aicoder started in it).
    pub folder: String,
    /// The plugin's file name in `.aicoder/plugins`.
    pub file: String,
    /// Hex blake3 of the file.
    pub hash: String,
    pub trusted_at: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct TrustFile {
    version: u32,
    trusted: Vec<TrustEntry>,
}

/// A trust-store failure, with the file it concerns.
#[derive(Debug, thiserror::Error)]
pub enum TrustError {
    #[error("the trust file {path} is unreadable: {source}. It was left untouched and no project plugin is trusted; fix or remove it")]
    Corrupt {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("could not read the trust file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("could not save the trust file {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("could not read the plugin file {path}: {source}")]
    Plugin {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The folders and plugin versions this user trusts.
#[derive(Debug)]
pub struct TrustStore {
    path: PathBuf,
    entries: Vec<TrustEntry>,
}

fn read_entries(path: &Path) -> Result<Vec<TrustEntry>, TrustError> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice::<TrustFile>(&bytes)
            .map(|f| f.trusted)
            .map_err(|source| TrustError::Corrupt {
                path: path.to_path_buf(),
                source,
            }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(source) => Err(TrustError::Read {
            path: path.to_path_buf(),
            source,
        }),
    }
}

impl TrustStore {
    /// The trust file of this user: `trust.json` beside `grants.json`.
    pub fn file(paths: &crate::config::Paths) -> PathBuf {
        paths.user_config_dir.join("trust.json")
    }

    /// Load the trust file (a missing file trusts nothing).
    pub fn load(path: &Path) -> Result<Self, TrustError> {
        Ok(TrustStore {
            path: path.to_path_buf(),
            entries: read_entries(path)?,
        })
    }

    /// Whether `file` with content `hash` is trusted in `folder`.
    pub fn is_trusted(&self, folder: &Path, file: &str, hash: &str) -> bool {
        let folder = folder.to_string_lossy();
        self.entries
            .iter()
            .any(|e| e.folder == folder && e.file == file && e.hash == hash)
    }

    /// Every trusted plugin file, by folder.
    pub fn entries(&self) -> &[TrustEntry] {
        &self.entries
    }

    /// Trust these plugin files (name, hash) in `folder`, replacing what
    /// was trusted before under the same file names.
    pub fn trust(&mut self, folder: &Path, plugins: &[ProjectPlugin]) -> Result<(), TrustError> {
        let folder = folder.to_string_lossy().into_owned();
        let now = crate::util::now_rfc3339();
        let new: Vec<TrustEntry> = plugins
            .iter()
            .map(|p| TrustEntry {
                folder: folder.clone(),
                file: p.file.clone(),
                hash: p.hash.clone(),
                trusted_at: now.clone(),
            })
            .collect();
        self.update(|entries| {
            entries.retain(|e| !(e.folder == folder && new.iter().any(|n| n.file == e.file)));
            entries.extend(new.iter().cloned());
        })
    }

    /// Forget every trusted plugin of `folder`; returns how many.
    pub fn untrust(&mut self, folder: &Path) -> Result<usize, TrustError> {
        let folder = folder.to_string_lossy().into_owned();
        let removed = std::cell::Cell::new(0);
        self.update(|entries| {
            let before = entries.len();
            entries.retain(|e| e.folder != folder);
            removed.set(before - entries.len());
        })?;
        Ok(removed.get())
    }

    /// Apply `edit` to the file as it is now, under a lock, and save it
    /// atomically: two aicoder processes never lose each other's changes.
    fn update(&mut self, edit: impl Fn(&mut Vec<TrustEntry>)) -> Result<(), TrustError> {
        let write_err = |source| TrustError::Write {
            path: self.path.clone(),
            source,
        };
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(write_err)?;
        }
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(self.path.with_extension("lock"))
            .map_err(write_err)?;
        lock.lock().map_err(write_err)?;
        let mut entries = read_entries(&self.path)?;
        edit(&mut entries);
        let file = TrustFile {
            version: 1,
            trusted: entries.clone(),
        };
        let mut bytes = serde_json::to_vec_pretty(&file).unwrap_or_default();
        bytes.push(b'\n');
        atomic_write(&self.path, &bytes).map_err(write_err)?;
        self.entries = entries;
        Ok(())
    }
}

/// A project plugin file as the trust question shows it: read and hashed,
/// its imports read from the component's type, none of its code compiled or
/// run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectPlugin {
    pub path: PathBuf,
    /// File name in `.aicoder/plugins`.
    pub file: String,
    /// Hex blake3 of the file.
    pub hash: String,
    /// The capabilities its imports allow at most (empty if it is not a
    /// readable component; loading will say what is wrong with it).
    pub ceiling: BTreeSet<Capability>,
}

impl ProjectPlugin {
    /// Read and hash `path`.
    pub fn read(path: &Path) -> Result<Self, TrustError> {
        let bytes = std::fs::read(path).map_err(|source| TrustError::Plugin {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(ProjectPlugin {
            path: path.to_path_buf(),
            file: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            hash: blake3::hash(&bytes).to_hex().to_string(),
            ceiling: crate::caps::ceiling(imported_interfaces(&bytes).iter().map(String::as_str)),
        })
    }

    /// One line for the trust question and `aicoder trust`.
    pub fn describe(&self) -> String {
        let ceiling: Vec<&str> = self
            .ceiling
            .iter()
            .filter(|c| !c.always_granted())
            .map(|c| c.name())
            .collect();
        format!(
            "{}  hash {}  can ask for: {}",
            self.file,
            self.hash.get(..12).unwrap_or(&self.hash),
            if ceiling.is_empty() {
                "nothing beyond its log".to_string()
            } else {
                ceiling.join(", ")
            }
        )
    }
}

/// The `aicoder:plugin` interfaces a component imports, from its own import
/// section alone (no compilation; the same reading as the contract check).
fn imported_interfaces(bytes: &[u8]) -> Vec<String> {
    use crate::plugins::contract::{read_names, split_name, PACKAGE};
    let (imports, _) = read_names(bytes).unwrap_or_default();
    imports
        .iter()
        .map(|name| split_name(name))
        .filter(|(pkg, _, _)| *pkg == PACKAGE)
        .map(|(_, iface, _)| iface.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plugin(file: &str, hash: &str) -> ProjectPlugin {
        ProjectPlugin {
            path: PathBuf::from(file),
            file: file.into(),
            hash: hash.into(),
            ceiling: BTreeSet::new(),
        }
    }

    #[test]
    fn trust_is_per_folder_file_and_hash_and_survives_a_reload() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("trust.json");
        let (a, b) = (Path::new("/src/a"), Path::new("/src/b"));
        let mut store = TrustStore::load(&path).expect("empty");
        assert!(!store.is_trusted(a, "x.wasm", "h1"));
        store.trust(a, &[plugin("x.wasm", "h1")]).expect("trust");
        let mut store = TrustStore::load(&path).expect("reload");
        assert!(store.is_trusted(a, "x.wasm", "h1"));
        assert!(
            !store.is_trusted(a, "x.wasm", "h2"),
            "a changed file asks again"
        );
        assert!(
            !store.is_trusted(b, "x.wasm", "h1"),
            "another folder is not trusted"
        );
        store.trust(a, &[plugin("x.wasm", "h2")]).expect("trust");
        assert!(!store.is_trusted(a, "x.wasm", "h1"));
        assert_eq!(store.untrust(a).expect("untrust"), 1);
        assert!(!TrustStore::load(&path)
            .expect("reload")
            .is_trusted(a, "x.wasm", "h2"));
    }

    #[test]
    fn a_corrupt_trust_file_is_reported_and_trusts_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("trust.json");
        std::fs::write(&path, b"{torn").expect("write");
        let err = TrustStore::load(&path).expect_err("corrupt");
        assert!(err.to_string().contains("trust.json"), "{err}");
    }

    #[test]
    fn the_ceiling_is_read_from_the_imports_without_compiling() {
        let component = wat::parse_str(
            r#"(component
                (import "aicoder:plugin/fs@0.1.0" (instance))
                (import "aicoder:plugin/shell@0.1.0" (instance)))"#,
        )
        .expect("wat");
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("x.wasm");
        std::fs::write(&path, component).expect("write");
        let p = ProjectPlugin::read(&path).expect("read");
        let names: Vec<&str> = p.ceiling.iter().map(|c| c.name()).collect();
        assert_eq!(names, ["fs.read", "fs.write", "shell.exec"]);
        assert!(p
            .describe()
            .contains("can ask for: fs.read, fs.write, shell.exec"));
    }
}
