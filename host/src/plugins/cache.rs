//! The precompiled-artifact cache: a component is compiled once per content
//! hash and engine configuration, then loaded from disk in milliseconds. The
//! manifest is cached beside it, so a start needs no instance at all.

use super::manifest::PluginManifest;
use crate::util::atomic_write;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::Instant;
use wasmtime::component::Component;
use wasmtime::Engine;

/// How a component was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheEvent {
    /// Loaded from the cache.
    Hit,
    /// Compiled now (and stored), taking this many milliseconds.
    Compiled { millis: u128 },
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

    fn manifest_path(&self, hash: &str) -> PathBuf {
        self.dir.join(format!("{hash}.manifest.json"))
    }

    /// Load the compiled component for `hash`, or compile `bytes` and store it.
    /// A damaged cache entry is recompiled, never trusted.
    pub fn load_or_compile(
        &self,
        engine: &Engine,
        hash: &str,
        bytes: &[u8],
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
        let started = Instant::now();
        let component = Component::new(engine, bytes)?;
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

    /// The manifest stored for `hash`, if any and readable.
    pub fn manifest(&self, hash: &str) -> Option<PluginManifest> {
        let bytes = std::fs::read(self.manifest_path(hash)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Remember the manifest of `hash`.
    pub fn store_manifest(&self, hash: &str, manifest: &PluginManifest) {
        if let Ok(bytes) = serde_json::to_vec_pretty(manifest) {
            let _ = atomic_write(&self.manifest_path(hash), &bytes);
        }
    }

    /// The cache folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}
