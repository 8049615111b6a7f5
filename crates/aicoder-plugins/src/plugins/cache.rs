//! The precompiled-artifact cache. A component is compiled once per content
//! hash and engine configuration, then loaded from disk in milliseconds. Beside
//! it the cache keeps what start-up needs, so an unchanged plugin costs a
//! `stat` and two small reads, with no hashing, compiling or instantiating:
//! - an index from a file's identity (path, size, mtime, ctime, inode) to its
//!   content hash; any write or replacement changes the ctime, so a changed
//!   file is always hashed again and never inherits grants;
//! - the plugin record (manifest and contract report) of each content hash.

use super::contract::ContractReport;
use super::manifest::PluginManifest;
use crate::util::atomic_write;
use serde::{Deserialize, Serialize};
use std::hash::{Hash, Hasher};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::Instant;
use wasmtime::component::Component;
use wasmtime::Engine;

/// How a plugin's component was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheEvent {
    /// Known and compiled before: nothing is loaded until first use.
    Deferred,
    /// Loaded from the cache.
    Hit,
    /// Compiled now (and stored), taking this many milliseconds.
    Compiled { millis: u128 },
}

/// What start-up needs to know of a plugin without loading it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PluginRecord {
    pub manifest: PluginManifest,
    pub contract_version: String,
    pub interfaces: Vec<String>,
}

impl PluginRecord {
    /// The contract report, recomputed from the recorded imports.
    pub fn contract(&self) -> ContractReport {
        ContractReport {
            version: self.contract_version.clone(),
            interfaces: self.interfaces.iter().cloned().collect(),
            ceiling: crate::caps::ceiling(self.interfaces.iter().map(String::as_str)),
        }
    }
}

/// Compiled components keyed by `<content hash>-<engine key>`.
#[derive(Debug, Clone)]
pub struct ArtifactCache {
    dir: PathBuf,
    engine_key: String,
}

impl ArtifactCache {
    /// A cache in `dir` for artifacts of `engine`.
    pub fn new(dir: PathBuf, engine: &Engine) -> Self {
        // std's DefaultHasher has fixed keys, so this is stable for a given build.
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        engine.precompile_compatibility_hash().hash(&mut hasher);
        env!("CARGO_PKG_VERSION").hash(&mut hasher);
        ArtifactCache {
            dir,
            engine_key: format!("{:016x}", hasher.finish()),
        }
    }

    fn artifact(&self, hash: &str) -> PathBuf {
        self.dir.join(format!("{hash}-{}.cwasm", self.engine_key))
    }

    fn record_path(&self, hash: &str) -> PathBuf {
        self.dir
            .join(format!("{hash}-{}.record.json", self.engine_key))
    }

    fn index_path(&self, path: &Path) -> Option<PathBuf> {
        let meta = std::fs::metadata(path).ok()?;
        let mut key = blake3::Hasher::new();
        key.update(path.as_os_str().as_encoded_bytes());
        for n in [
            meta.len() as i64,
            meta.mtime(),
            meta.mtime_nsec(),
            meta.ctime(),
            meta.ctime_nsec(),
            meta.ino() as i64,
            meta.dev() as i64,
        ] {
            key.update(&n.to_le_bytes());
        }
        Some(
            self.dir
                .join("index")
                .join(key.finalize().to_hex().as_str()),
        )
    }

    /// The content hash of `path` as last computed, if the file is unchanged since.
    pub fn known_hash(&self, path: &Path) -> Option<String> {
        let hash = std::fs::read_to_string(self.index_path(path)?).ok()?;
        (hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit())).then_some(hash)
    }

    /// Remember the content hash of `path` for its current identity.
    pub fn remember_hash(&self, path: &Path, hash: &str) {
        if let Some(index) = self.index_path(path) {
            let _ = atomic_write(&index, hash.as_bytes());
        }
    }

    /// Whether a compiled artifact for `hash` is on disk.
    pub fn has_artifact(&self, hash: &str) -> bool {
        self.artifact(hash).is_file()
    }

    /// Load the compiled component for `hash`, or compile the bytes `read`
    /// gives and store the result. A damaged cache entry is recompiled, never
    /// trusted.
    pub fn load_or_compile(
        &self,
        engine: &Engine,
        hash: &str,
        read: impl FnOnce() -> wasmtime::Result<Vec<u8>>,
    ) -> wasmtime::Result<(Component, CacheEvent)> {
        self.load_or_compile_named(engine, hash, None, read)
    }

    /// [`Self::load_or_compile`] for plugin `name`: a compile (seconds for
    /// a large component) is announced on stderr in one line, since the
    /// session waits for it. It happens once; the artifact is kept.
    pub fn load_or_compile_named(
        &self,
        engine: &Engine,
        hash: &str,
        name: Option<&str>,
        read: impl FnOnce() -> wasmtime::Result<Vec<u8>>,
    ) -> wasmtime::Result<(Component, CacheEvent)> {
        let path = self.artifact(hash);
        if path.exists() {
            // SAFETY: the file is one this cache wrote with `Component::serialize`
            // for this engine configuration (the key in its name); wasmtime checks
            // the header and refuses artifacts from another engine or version.
            if let Ok(component) = unsafe { Component::deserialize_file(engine, &path) } {
                return Ok((component, CacheEvent::Hit));
            }
        }
        let bytes = read()?;
        if let Some(name) = name {
            eprintln!("aicoder: compiling {name} (first use)...");
        }
        let started = Instant::now();
        let component = Component::new(engine, &bytes)?;
        let millis = started.elapsed().as_millis();
        match component.serialize() {
            Ok(artifact) => {
                if let Err(e) = atomic_write(&path, &artifact) {
                    eprintln!(
                        "aicoder: could not cache the compiled plugin at {}: {e}",
                        path.display()
                    );
                }
            }
            Err(e) => eprintln!("aicoder: could not serialize a compiled plugin: {e}"),
        }
        Ok((component, CacheEvent::Compiled { millis }))
    }

    /// The record stored for `hash`, if any and readable.
    pub fn record(&self, hash: &str) -> Option<PluginRecord> {
        let bytes = std::fs::read(self.record_path(hash)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Remember the record of an accepted plugin, then prune the cache
    /// (`cache_prune`).
    pub fn store_record(&self, hash: &str, record: &PluginRecord) {
        if let Ok(bytes) = serde_json::to_vec_pretty(record) {
            let _ = atomic_write(&self.record_path(hash), &bytes);
        }
        // A newly accepted plugin version is when the cache grows: prune it
        // now that the record names the plugin.
        let max = super::cache_prune::max_bytes_from_env();
        super::cache_prune::prune(&self.dir, &self.engine_key, hash, max);
    }
}
