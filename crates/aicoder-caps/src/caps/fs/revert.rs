//! The undo of an `fs.write` `write-file`: the file's old content written back
//! (or the file removed), unless its target changed since (see `caps::undo`,
//! which dispatches on the host function the audit line names).

use super::*;

/// The undo of an `fs.write` `write-file` (see `caps::undo`).
#[derive(Debug, Clone)]
pub(crate) struct Revert {
    file: PathBuf,
    now: String,
    /// `None`: the file did not exist.
    back: Option<String>,
}

/// The revert of an `fs.write` the audit log recorded.
pub(crate) fn revert(
    function: HostFn,
    old: &serde_json::Value,
    new: &serde_json::Value,
) -> Result<Revert, crate::caps::undo::NoRevert> {
    use crate::caps::undo::NoRevert;
    use serde_json::Value;
    if function != HostFn::FsWriteFile {
        return Err(NoRevert::NoUndo);
    }
    // fs.write logs the old content as text, lossily: written back, a file
    // that was not UTF-8 would be damaged.
    let lossy = old
        .get("content")
        .and_then(Value::as_str)
        .is_some_and(|c| c.contains('\u{FFFD}'));
    if lossy {
        return Err(NoRevert::LossyText);
    }
    let Some(file) = new.get("file").and_then(Value::as_str) else {
        return Err(NoRevert::NoFilePath);
    };
    (|| {
        Some(Revert {
            file: PathBuf::from(file),
            now: new.get("content")?.as_str()?.to_string(),
            back: match old.get("content")? {
                Value::Null => None,
                v => Some(v.as_str()?.to_string()),
            },
        })
    })()
    .ok_or(NoRevert::Malformed)
}

/// Why a `write-file` was not reverted.
#[derive(Debug, thiserror::Error)]
pub enum RevertError {
    /// The file's content is no longer what the write left.
    #[error("{} changed since", .file.display())]
    Changed { file: PathBuf },
    /// The file cannot be read (removed, say) to check it.
    #[error("{} changed since: {source}", .file.display())]
    Unreadable {
        file: PathBuf,
        source: std::io::Error,
    },
    /// Writing the old content back failed.
    #[error("cannot write {}: {source}", .file.display())]
    Write {
        file: PathBuf,
        source: std::io::Error,
    },
    /// Removing the file the write created failed.
    #[error("cannot remove {}: {source}", .file.display())]
    Remove {
        file: PathBuf,
        source: std::io::Error,
    },
}

impl Revert {
    /// What undoing it changes.
    pub(crate) fn describe(&self) -> String {
        match &self.back {
            Some(back) => format!(
                "file {} back to its old content ({} bytes, now {} bytes)",
                self.file.display(),
                back.len(),
                self.now.len()
            ),
            None => format!("remove file {} (it did not exist)", self.file.display()),
        }
    }

    /// Write the old content back (or remove a file the write created),
    /// unless the file changed since.
    pub(crate) fn apply(&self) -> Result<(), RevertError> {
        let Revert { file, now, back } = self;
        let file = file.clone();
        match std::fs::read(&file) {
            Ok(bytes) if bytes == now.as_bytes() => {}
            Ok(_) => return Err(RevertError::Changed { file }),
            Err(source) => return Err(RevertError::Unreadable { file, source }),
        }
        match back {
            Some(old) => crate::util::atomic_write(&file, old.as_bytes())
                .map_err(|source| RevertError::Write { file, source }),
            None => std::fs::remove_file(&file).map_err(|source| RevertError::Remove { file, source }),
        }
    }
}
