//! The grants file (`~/.config/aicoder/grants.json`): reading it, and
//! saving an edit under a lock so two aicoder processes never lose each
//! other's grants.

use super::*;

/// The current grants file version. Version 1 had no `source` and no
/// `tool_approvals`, version 2 no scoped grants (`CAP:SCOPE`); both are
/// still read.
const GRANTS_FILE_VERSION: u32 = 3;

#[derive(Debug, Default, Serialize, Deserialize)]
struct GrantsFile {
    version: u32,
    grants: Vec<StoredGrant>,
    #[serde(default)]
    tool_approvals: Vec<ToolApproval>,
}

/// A grant-store failure, with the file it concerns.
#[derive(Debug, thiserror::Error)]
pub enum GrantError {
    #[error("the grants file {path} is unreadable: {source}. It was left untouched; fix or remove it to change grants")]
    Corrupt {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("could not read the grants file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("could not save the grants file {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("grants cannot be saved while {path} is unreadable; fix or remove it first")]
    ReadOnly { path: PathBuf },
}

/// The grants and tool approvals saved at `path` (a missing file holds none).
fn read_grants(path: &Path) -> Result<(Vec<StoredGrant>, Vec<ToolApproval>), GrantError> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice::<GrantsFile>(&bytes)
            .map(|file| (file.grants, file.tool_approvals))
            .map_err(|source| GrantError::Corrupt {
                path: path.to_path_buf(),
                source,
            }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok((Vec::new(), Vec::new())),
        Err(source) => Err(GrantError::Read {
            path: path.to_path_buf(),
            source,
        }),
    }
}

impl GrantStore {
    /// Load the persisted grants from `path` (missing file: none yet).
    pub fn load(path: &Path) -> Result<Self, GrantError> {
        let (stored, approvals) = read_grants(path)?;
        Ok(GrantStore {
            file: Some(path.to_path_buf()),
            read_only: false,
            compiled: stored.iter().map(compile).collect(),
            stored,
            approvals,
            live: Vec::new(),
        })
    }

    /// Load, or on failure keep going with no persisted grants and never write
    /// the file; the error is returned for the caller to show.
    pub fn load_or_read_only(path: &Path) -> (Self, Option<GrantError>) {
        match Self::load(path) {
            Ok(store) => (store, None),
            Err(err) => {
                let store = GrantStore {
                    file: Some(path.to_path_buf()),
                    read_only: true,
                    ..Default::default()
                };
                (store, Some(err))
            }
        }
    }

    /// Apply `edit` to the persisted grants and save them. Another aicoder
    /// may have saved since this one loaded: under a lock, the edit is applied
    /// to the file as it is now, so neither process loses the other's grants.
    pub(super) fn update(
        &mut self,
        edit: impl Fn(&mut Vec<StoredGrant>, &mut Vec<ToolApproval>),
    ) -> Result<(), GrantError> {
        let Some(path) = self.file.clone() else {
            edit(&mut self.stored, &mut self.approvals);
            self.compiled = self.stored.iter().map(compile).collect();
            return Ok(());
        };
        if self.read_only {
            return Err(GrantError::ReadOnly { path });
        }
        let write_err = |source| GrantError::Write {
            path: path.clone(),
            source,
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(write_err)?;
        }
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path.with_extension("lock"))
            .map_err(write_err)?;
        lock.lock().map_err(write_err)?;
        (self.stored, self.approvals) = read_grants(&path)?;
        edit(&mut self.stored, &mut self.approvals);
        self.compiled = self.stored.iter().map(compile).collect();
        self.save()
        // The lock is released when `lock` is dropped.
    }

    pub(super) fn save(&self) -> Result<(), GrantError> {
        let Some(path) = &self.file else {
            return Ok(());
        };
        let file = GrantsFile {
            version: GRANTS_FILE_VERSION,
            grants: self.stored.clone(),
            tool_approvals: self.approvals.clone(),
        };
        let mut bytes = serde_json::to_vec_pretty(&file).unwrap_or_default();
        bytes.push(b'\n');
        atomic_write(path, &bytes).map_err(|source| GrantError::Write {
            path: path.clone(),
            source,
        })
    }
}
