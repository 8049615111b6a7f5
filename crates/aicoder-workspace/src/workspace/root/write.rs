//! Writes beneath the root: folders made one checked level at a time, files
//! replaced atomically through a temporary file in their real folder, and
//! removal.

use super::*;

impl WorkspaceRoot {
    /// Create the missing folders of `rel` beneath the root, one at a time,
    /// each in its checked parent folder.
    fn create_dirs(&self, rel: &Path) -> Result<(), WorkspaceError> {
        if self.open_dir_beneath(rel).is_ok() {
            return Ok(());
        }
        let protected = self.protected_now();
        let mut current = PathBuf::new();
        for component in rel.components() {
            current.push(component);
            match self.open_dir_beneath(&current) {
                Ok(_) => continue,
                Err(WorkspaceError::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
            let (parent_part, Some(name)) = split(&current) else {
                continue;
            };
            let parent = self.open_dir_beneath(&parent_part)?;
            self.check_chain(&parent, rel, &protected)?;
            self.check_slot(&parent, &name, rel, &protected)?;
            let made = rfs::mkdirat(&parent, name.as_os_str(), Mode::from_raw_mode(0o777));
            self.protected.forget();
            match made {
                Ok(()) | Err(rustix::io::Errno::EXIST) => {}
                Err(e) => return Err(WorkspaceError::io(rel, &self.path, e.into())),
            }
        }
        Ok(())
    }

    /// Replace (or create) the file `rel` with `bytes`, atomically: a
    /// temporary file in the same folder, synced, then renamed over it. An
    /// existing file keeps its permission bits; a new one gets 0666 minus the
    /// umask. Missing parent folders are created. A symlink as last component
    /// is followed (beneath the root): the file it names is replaced.
    pub fn write_atomic(&self, rel: &Path, bytes: &[u8]) -> Result<(), WorkspaceError> {
        let (folder_part, name) = split(rel);
        if name.is_none() {
            return Err(WorkspaceError::Invalid {
                path: shown(rel),
                reason: "not a file path".into(),
            });
        }
        self.create_dirs(&folder_part)?;
        let resolved = self.resolve(rel)?;
        let Some(name) = &resolved.name else {
            return Err(WorkspaceError::IsDir { path: shown(rel) });
        };
        let keep = match &resolved.stat {
            Some(stat) => {
                regular(rel, stat)?;
                Some((stat.st_mode & 0o7777, stat.st_uid, stat.st_gid))
            }
            None => None,
        };
        let io_err = |e: io::Error| WorkspaceError::io(rel, &self.path, e);
        let (temp_name, temp) = create_temp(&resolved.folder).map_err(io_err)?;
        let written = (|| -> io::Result<()> {
            if let Some((mode, uid, gid)) = keep {
                // The owner first (a chown clears set-id bits), where
                // permitted: only root may give a file away and a user only
                // to a group of theirs, so a refusal is expected; the file is
                // then the writer's, as after any editor's save.
                let _ = std::os::unix::fs::fchown(&temp, Some(uid), Some(gid));
                rfs::fchmod(&temp, Mode::from_raw_mode(mode))?;
            }
            let mut file = File::from(temp);
            file.write_all(bytes)?;
            file.sync_all()?;
            rfs::renameat(
                &resolved.folder,
                &temp_name,
                &resolved.folder,
                name.as_os_str(),
            )?;
            Ok(())
        })();
        self.protected.forget();
        if let Err(e) = written {
            let _ = rfs::unlinkat(&resolved.folder, &temp_name, AtFlags::empty());
            return Err(io_err(e));
        }
        // The rename is durable once the folder is synced too.
        let _ = resolved.folder.sync_all();
        Ok(())
    }

    /// Delete the regular file (or symlink: the link itself, never its
    /// target) `rel`, in its checked folder. Folders are refused.
    pub fn remove_file(&self, rel: &Path) -> Result<(), WorkspaceError> {
        let (folder_part, Some(name)) = split(rel) else {
            return Err(WorkspaceError::Invalid {
                path: shown(rel),
                reason: "not a file path".into(),
            });
        };
        let protected = self.protected_now();
        let folder = self.open_dir_beneath(&folder_part)?;
        self.check_chain(&folder, rel, &protected)?;
        self.check_slot(&folder, &name, rel, &protected)?;
        let stat = match rfs::statat(&folder, name.as_os_str(), AtFlags::SYMLINK_NOFOLLOW) {
            Ok(st) => st,
            Err(rustix::io::Errno::NOENT) => {
                return Err(WorkspaceError::NotFound { path: shown(rel) })
            }
            Err(e) => return Err(WorkspaceError::io(rel, &self.path, e.into())),
        };
        if FileType::from_raw_mode(stat.st_mode) != FileType::Symlink {
            regular(rel, &stat)?;
        }
        let removed = rfs::unlinkat(&folder, name.as_os_str(), AtFlags::empty());
        self.protected.forget();
        removed.map_err(|e| WorkspaceError::io(rel, &self.path, e.into()))?;
        let _ = folder.sync_all();
        Ok(())
    }
}

/// Create a new temporary file in `folder` (0666 minus the umask).
fn create_temp(folder: &File) -> io::Result<(OsString, OwnedFd)> {
    let mut last = io::Error::from(io::ErrorKind::AlreadyExists);
    for _ in 0..16 {
        let name = OsString::from(format!(
            ".aicoder-tmp-{}-{}",
            std::process::id(),
            TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        match rfs::openat(
            folder,
            name.as_os_str(),
            OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::from_raw_mode(0o666),
        ) {
            Ok(fd) => return Ok((name, fd)),
            Err(rustix::io::Errno::EXIST) => last = io::Error::from(io::ErrorKind::AlreadyExists),
            Err(e) => return Err(e.into()),
        }
    }
    Err(last)
}
