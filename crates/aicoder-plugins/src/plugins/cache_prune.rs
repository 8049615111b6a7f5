//! Keeping the compiled-plugin cache small: artifacts of another engine (an
//! older aicoder) go, each plugin keeps its [`KEEP_VERSIONS`] newest versions,
//! and the artifacts stay under a size bound (`AICODER_CACHE_MB`, default
//! [`DEFAULT_MAX_MB`]), oldest first. Run after each compile, so an unchanged
//! set of plugins never pays for it. `aicoder cache clean` empties the cache.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Versions of one plugin (by manifest name) whose artifacts are kept.
pub const KEEP_VERSIONS: usize = 2;
/// The default bound on the artifacts' total size, in MiB.
pub const DEFAULT_MAX_MB: u64 = 2048;

/// What a prune or clean removed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct PruneReport {
    /// Compiled artifacts removed.
    pub artifacts: usize,
    /// Bytes freed (artifacts and records).
    pub bytes: u64,
}

/// The size bound from `AICODER_CACHE_MB`, in bytes.
pub fn max_bytes_from_env() -> u64 {
    std::env::var("AICODER_CACHE_MB")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(DEFAULT_MAX_MB)
        .saturating_mul(1 << 20)
}

struct Artifact {
    path: PathBuf,
    record: PathBuf,
    hash: String,
    engine_key: String,
    size: u64,
    modified: SystemTime,
    plugin: Option<String>,
}

fn artifacts(dir: &Path) -> Vec<Artifact> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().to_str()?.to_string();
            let stem = name.strip_suffix(".cwasm")?;
            let (hash, engine_key) = stem.split_once('-')?;
            let meta = entry.metadata().ok()?;
            let record = dir.join(format!("{stem}.record.json"));
            let plugin = std::fs::read(&record)
                .ok()
                .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
                .and_then(|v| v["manifest"]["name"].as_str().map(str::to_string));
            Some(Artifact {
                path: entry.path(),
                record,
                hash: hash.to_string(),
                engine_key: engine_key.to_string(),
                size: meta.len(),
                modified: meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
                plugin,
            })
        })
        .collect()
}

fn remove(artifact: &Artifact, report: &mut PruneReport) {
    for path in [&artifact.path, &artifact.record] {
        if let Ok(meta) = std::fs::metadata(path) {
            if std::fs::remove_file(path).is_ok() {
                report.bytes += meta.len();
            }
        }
    }
    report.artifacts += 1;
}

/// Prune the cache in `dir` for engine `engine_key`, never removing the
/// artifact of `keep_hash` (the one just compiled).
pub fn prune(dir: &Path, engine_key: &str, keep_hash: &str, max_bytes: u64) -> PruneReport {
    let mut report = PruneReport::default();
    let mut live = Vec::new();
    for artifact in artifacts(dir) {
        if artifact.engine_key != engine_key {
            remove(&artifact, &mut report);
        } else {
            live.push(artifact);
        }
    }
    // Newest first: by modification time, the kept one ahead of all.
    live.sort_by_key(|a| {
        (
            a.hash != keep_hash,
            std::cmp::Reverse(a.modified),
            a.hash.clone(),
        )
    });
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut kept = Vec::new();
    for artifact in live {
        let versions = artifact
            .plugin
            .as_ref()
            .map(|name| {
                let n = seen.entry(name.clone()).or_default();
                *n += 1;
                *n
            })
            .unwrap_or(1);
        if versions > KEEP_VERSIONS && artifact.hash != keep_hash {
            remove(&artifact, &mut report);
        } else {
            kept.push(artifact);
        }
    }
    let mut total: u64 = kept.iter().map(|a| a.size).sum();
    // Oldest go first until the rest fits.
    for artifact in kept.iter().rev() {
        if total <= max_bytes {
            break;
        }
        if artifact.hash != keep_hash {
            total -= artifact.size;
            remove(artifact, &mut report);
        }
    }
    report
}

/// Remove everything the artifact cache in `dir` holds: compiled artifacts,
/// plugin records and the file index.
pub fn clean(dir: &Path) -> std::io::Result<PruneReport> {
    let mut report = PruneReport::default();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(report),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if name == "index" && path.is_dir() {
            std::fs::remove_dir_all(&path)?;
        } else if name.ends_with(".cwasm") || name.ends_with(".record.json") {
            report.bytes += entry.metadata()?.len();
            std::fs::remove_file(&path)?;
            if name.ends_with(".cwasm") {
                report.artifacts += 1;
            }
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(dir: &Path, hash: &str, key: &str, plugin: &str, size: usize, age_secs: u64) {
        let artifact = dir.join(format!("{hash}-{key}.cwasm"));
        std::fs::write(&artifact, vec![0u8; size]).expect("write");
        let record = serde_json::json!({ "manifest": { "name": plugin } });
        std::fs::write(
            dir.join(format!("{hash}-{key}.record.json")),
            record.to_string(),
        )
        .expect("write");
        let when = SystemTime::now() - std::time::Duration::from_secs(age_secs);
        std::fs::File::options()
            .write(true)
            .open(&artifact)
            .and_then(|f| f.set_modified(when))
            .expect("mtime");
    }

    fn left(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = artifacts(dir).into_iter().map(|a| a.hash).collect();
        names.sort();
        names
    }

    #[test]
    fn old_engines_and_old_versions_go_the_newest_two_stay() {
        let dir = tempfile::tempdir().expect("tempdir");
        put(dir.path(), "a1", "k", "alpha", 10, 300);
        put(dir.path(), "a2", "k", "alpha", 10, 200);
        put(dir.path(), "a3", "k", "alpha", 10, 100);
        put(dir.path(), "b1", "k", "beta", 10, 400);
        put(dir.path(), "x1", "old", "alpha", 10, 50);
        let report = prune(dir.path(), "k", "a3", u64::MAX);
        assert_eq!(left(dir.path()), ["a2", "a3", "b1"]);
        assert_eq!(report.artifacts, 2);
        assert!(!dir.path().join("a1-k.record.json").exists());
    }

    #[test]
    fn the_size_bound_removes_the_oldest_but_never_the_one_just_compiled() {
        let dir = tempfile::tempdir().expect("tempdir");
        put(dir.path(), "a", "k", "alpha", 100, 300);
        put(dir.path(), "b", "k", "beta", 100, 200);
        put(dir.path(), "c", "k", "gamma", 100, 500);
        prune(dir.path(), "k", "c", 200);
        assert_eq!(left(dir.path()), ["b", "c"]);
        prune(dir.path(), "k", "c", 0);
        assert_eq!(left(dir.path()), ["c"]);
    }

    #[test]
    fn clean_empties_the_cache_and_a_missing_cache_is_clean() {
        let dir = tempfile::tempdir().expect("tempdir");
        put(dir.path(), "a", "k", "alpha", 100, 0);
        std::fs::create_dir(dir.path().join("index")).expect("mkdir");
        std::fs::write(dir.path().join("other.txt"), "not ours").expect("write");
        let report = clean(dir.path()).expect("clean");
        assert_eq!(report.artifacts, 1);
        assert!(left(dir.path()).is_empty() && !dir.path().join("index").exists());
        assert!(dir.path().join("other.txt").exists());
        assert_eq!(
            clean(&dir.path().join("missing")).expect("clean"),
            PruneReport::default()
        );
    }
}
