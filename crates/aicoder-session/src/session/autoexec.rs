//! `.aicoder/autoexec`, as in AI Coder v3: its lines are typed at the first
//! prompts of an interactive session (commands and messages alike). A line
//! typed for the user is a line the user did not write, so the file runs only
//! where the user trusted this folder's copy of it (`aicoder trust`, per file
//! hash, like the folder's plugins, servers and config file); a cloned
//! repository's file, or one changed since, is reported and skipped.

use crate::config::Paths;
use crate::plugins::trust::{ProjectPlugin, TrustStore};
use std::collections::VecDeque;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The name trust.json keeps the file under.
pub const TRUST_NAME: &str = ".aicoder/autoexec";

/// The most lines run from the file (a longer file runs its first ones).
const MAX_LINES: usize = 100;
/// The largest file read.
const MAX_BYTES: u64 = 64 * 1024;

/// Where the file is.
pub fn file(paths: &Paths) -> PathBuf {
    paths.project_dir.join("autoexec")
}

/// The trust record of the folder's current file, for `aicoder trust`.
pub fn trust_record(paths: &Paths) -> Option<ProjectPlugin> {
    let path = file(paths);
    let bytes = std::fs::read(&path).ok()?;
    Some(record_of(path, &bytes))
}

fn record_of(path: PathBuf, bytes: &[u8]) -> ProjectPlugin {
    ProjectPlugin {
        path,
        file: TRUST_NAME.to_string(),
        hash: blake3::hash(bytes).to_hex().to_string(),
        ceiling: Default::default(),
    }
}

/// The lines of the file as v3 reads them: trimmed, without empty lines,
/// `#` comment lines and ` #` trailing comments; at most [`MAX_LINES`].
pub fn lines_of(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| match l.find(" #") {
            Some(at) => l[..at].trim_end(),
            None => l,
        })
        .filter(|l| !l.is_empty())
        .take(MAX_LINES)
        .map(str::to_string)
        .collect()
}

/// The lines to type at this session's first prompts: none without a file;
/// none, with one line on stderr saying why and what to do, when the file is
/// too big, unreadable or not trusted in `folder` as it is now.
pub fn load(paths: &Paths, folder: &Path) -> VecDeque<String> {
    let path = file(paths);
    let skip = |why: &str| {
        eprintln!("aicoder: {} not run: {why}", TRUST_NAME);
        VecDeque::new()
    };
    // Read once: the bytes whose hash is checked are the bytes typed (a
    // second read could find a file swapped in after the check).
    let mut bytes = Vec::new();
    match std::fs::File::open(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return VecDeque::new(),
        Err(_) => return skip("it cannot be read"),
        Ok(f) => {
            if f.take(MAX_BYTES + 1).read_to_end(&mut bytes).is_err() {
                return skip("it cannot be read");
            }
        }
    }
    if bytes.len() as u64 > MAX_BYTES {
        return skip(&format!("it is larger than {} KiB", MAX_BYTES / 1024));
    }
    let record = record_of(path, &bytes);
    let trusted = TrustStore::load(&TrustStore::file(paths))
        .is_ok_and(|store| store.is_trusted(folder, TRUST_NAME, &record.hash));
    if !trusted {
        return skip(
            "this folder's copy is not trusted (its lines would be typed as yours); \
             read it, then run `aicoder trust` here to allow it",
        );
    }
    let Ok(text) = String::from_utf8(bytes) else {
        return skip("it is not UTF-8 text");
    };
    lines_of(&text).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_read_as_v3_reads_them() {
        let text = "# setup\n  /detail on  \n\nhello # greet\n #only a comment\n/cs 100k\n";
        assert_eq!(lines_of(text), ["/detail on", "hello", "/cs 100k"]);
        let long = "x\n".repeat(MAX_LINES + 5);
        assert_eq!(lines_of(&long).len(), MAX_LINES);
    }

    #[test]
    fn an_untrusted_or_changed_file_types_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("proj");
        std::fs::create_dir_all(folder.join(".aicoder")).unwrap();
        let mut paths = Paths::for_project(&folder);
        paths.user_config_dir = dir.path().join("config");
        std::fs::write(file(&paths), "/yolo on\nhello\n").unwrap();
        assert!(load(&paths, &folder).is_empty(), "untrusted");

        let mut store = TrustStore::load(&TrustStore::file(&paths)).unwrap();
        store
            .trust(&folder, &[trust_record(&paths).unwrap()])
            .unwrap();
        assert_eq!(load(&paths, &folder), ["/yolo on", "hello"]);

        std::fs::write(file(&paths), "/yolo on\nrm -rf ~\n").unwrap();
        assert!(load(&paths, &folder).is_empty(), "changed since trusted");
        assert!(
            load(&paths, &dir.path().join("other")).is_empty(),
            "another folder"
        );
    }
}
