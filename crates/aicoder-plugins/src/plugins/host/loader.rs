//! Loading plugin files: at start, on `/plugins reload`, and the deferred
//! component of a plugin start-up took from the cache (`ensure_pre`).

use super::errors::{first_line, with_guest_output};
use super::versions::PluginPre;
use super::{Instance, LoadError, LoadFailure, LoadedPlugin, PluginHost, PluginInfo, ReloadReport};
use crate::caps::audit::{AuditEntry, Outcome};
use crate::caps::grants::PluginId;
use crate::plugins::cache::{CacheEvent, PluginRecord};
use crate::plugins::contract;
use crate::plugins::discovery::{Candidate, PluginSource};
use crate::plugins::manifest::PluginManifest;
use crate::plugins::sandbox::StoreData;
use serde_json::json;
use std::path::{Path, PathBuf};

impl PluginHost {
    /// Load every candidate; failures are returned, the rest stay loaded.
    pub fn load_all(&mut self, candidates: &[Candidate]) -> Vec<LoadError> {
        let errors: Vec<LoadError> = candidates
            .iter()
            .filter_map(|c| self.load(&c.path, c.source).err())
            .filter(|e| !matches!(e.reason, LoadFailure::NotNeeded))
            .collect();
        for err in &errors {
            // Named by file: a refused file has no trusted manifest name.
            let file = PluginId {
                name: err
                    .path
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
                hash: String::new(),
                source: PluginSource::File,
            };
            let args = json!({ "path": err.path.display().to_string() });
            let detail = err.reason.to_string();
            self.services.audit.record(&AuditEntry::sandbox(
                &file,
                "load",
                args,
                Outcome::Refused,
                detail,
            ));
        }
        self.services.audit.flush();
        errors
    }

    /// Take plugin `name` out of the session: its tools, commands and
    /// instance go; grants stay with its hash.
    pub fn unload(&mut self, name: &str) -> Option<PluginInfo> {
        let index = self
            .plugins
            .iter()
            .position(|p| p.info.manifest.name == name)?;
        let removed = self.plugins.remove(index);
        self.services.state().unregister_plugin(name);
        Some(removed.info)
    }

    /// Load what changed on disk since start: new files are loaded, removed
    /// ones unloaded, changed ones (a new content hash) replaced. Unchanged
    /// plugins keep their instance and state.
    pub fn reload(&mut self, candidates: &[Candidate]) -> ReloadReport {
        let mut report = ReloadReport::default();
        let loaded: Vec<(String, PathBuf, String)> = self
            .plugins()
            .map(|p| (p.manifest.name.clone(), p.path.clone(), p.id.hash.clone()))
            .collect();
        for (name, path, _) in &loaded {
            if !candidates.iter().any(|c| &c.path == path) {
                self.unload(name);
                report.removed.push(name.clone());
            }
        }
        for candidate in candidates {
            let previous = loaded.iter().find(|(_, path, _)| *path == candidate.path);
            if let Some((name, _, hash)) = previous {
                if self.cache.known_hash(&candidate.path).as_ref() == Some(hash) {
                    continue; // unchanged
                }
                let old = self.unload(name);
                match self.load(&candidate.path, candidate.source) {
                    Ok(info) => {
                        if let Some(old) = old {
                            report.updated.push((old.id, info.id.clone()));
                        }
                    }
                    Err(e) => {
                        report.removed.push(name.clone());
                        report.errors.push(e);
                    }
                }
            } else {
                match self.load(&candidate.path, candidate.source) {
                    Ok(info) => report.added.push(info.manifest.name.clone()),
                    Err(e) => report.errors.push(e),
                }
            }
        }
        report
    }

    /// Load one plugin file and register its tools with the session.
    pub fn load(&mut self, path: &Path, source: PluginSource) -> Result<&PluginInfo, LoadError> {
        let fail = |reason| LoadError {
            path: path.to_path_buf(),
            reason,
        };
        let loaded = self.prepare(path, source).map_err(fail)?;
        if let Some(other) = self.plugin(&loaded.info.manifest.name) {
            return Err(fail(LoadFailure::Duplicate {
                name: loaded.info.manifest.name.clone(),
                other: other.path.clone(),
            }));
        }
        self.register(&loaded.info).map_err(fail)?;
        self.plugins.push(loaded);
        let last = self.plugins.len() - 1;
        Ok(&self.plugins[last].info)
    }

    pub(super) fn prepare(
        &self,
        path: &Path,
        source: PluginSource,
    ) -> Result<LoadedPlugin, LoadFailure> {
        // Fast path: an unchanged file we accepted before. Nothing is read,
        // hashed, compiled or run; the component is compiled (or loaded
        // from the cache) on first use.
        if let Some(hash) = self.cache.known_hash(path) {
            if let Some(record) = self.cache.record(&hash) {
                return Ok(deferred(
                    path,
                    source,
                    hash,
                    record.contract(),
                    record.manifest,
                ));
            }
        }
        let bytes = std::fs::read(path).map_err(LoadFailure::Read)?;
        if bytes.len() < 8 || &bytes[..4] != b"\0asm" {
            return Err(LoadFailure::NotWasm);
        }
        if bytes[4..8] == [1, 0, 0, 0] {
            return Err(LoadFailure::CoreModule);
        }
        let hash = blake3::hash(&bytes).to_hex().to_string();
        // Refuse on the component's type alone, before paying for a compile.
        let report = match contract::check_bytes(&bytes) {
            Some(Err(refused)) => return Err(refused.into()),
            Some(Ok(report)) => Some(report),
            None => None,
        };
        // Content whose manifest is known (recorded before, or recorded
        // beside a shipped plugin by the build): nothing to compile until
        // the plugin is first called.
        if let Some(report) = report {
            let known = self.cache.record(&hash).map(|r| r.manifest);
            let known = known.or_else(|| {
                (source == PluginSource::Shipped)
                    .then(|| shipped_record(path, &hash))
                    .flatten()
            });
            if let Some(manifest) = known {
                let record = PluginRecord {
                    manifest,
                    contract_version: report.version.clone(),
                    interfaces: report.interfaces.iter().cloned().collect(),
                };
                self.cache.store_record(&hash, &record);
                self.cache.remember_hash(path, &hash);
                return Ok(deferred(path, source, hash, report, record.manifest));
            }
        }
        let stem = path.file_stem().map(|s| s.to_string_lossy());
        if let (Some(only), Some(stem)) = (&self.compile_only, &stem) {
            if !only.iter().any(|o| o == stem) {
                return Err(LoadFailure::NotNeeded);
            }
        }
        let (component, cache) = self
            .cache
            .load_or_compile_named(&self.engine, &hash, stem.as_deref(), || Ok(bytes))
            .map_err(|e| LoadFailure::Invalid(first_line(&e)))?;
        let ty = component.component_type();
        let imports: Vec<&str> = ty.imports(&self.engine).map(|(name, _)| name).collect();
        let exports: Vec<&str> = ty.exports(&self.engine).map(|(name, _)| name).collect();
        let report = contract::check(imports, exports)?;
        let pre = self.pre(&component).map_err(LoadFailure::Invalid)?;

        // Until the manifest names it, the plugin is known by its file name;
        // grants are bound to the hash, so that name unlocks nothing.
        let provisional = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut id = PluginId {
            name: provisional,
            hash,
            source,
        };
        let (manifest, instance, manifest_cached) = match self.cache.record(&id.hash) {
            Some(record) => (record.manifest, None, true),
            None => {
                let mut instance = self
                    .instantiate(&pre, &id)
                    .map_err(|k| LoadFailure::Manifest(k.to_string()))?;
                let timeout = self.arm(&mut instance.store);
                let Instance { store, plugin } = &mut instance;
                let call = Box::pin(plugin.aicoder_plugin_guest().call_manifest(store));
                let raw = self.finish(timeout, call).map_err(|e| {
                    let kind = self.classify(&instance.store, &e);
                    let printed = instance.store.data().output.take();
                    let kind = with_guest_output(kind, &printed);
                    LoadFailure::Manifest(kind.to_string())
                })?;
                let manifest = PluginManifest::from_guest(raw)
                    .map_err(|e| LoadFailure::Manifest(e.to_string()))?;
                (manifest, Some(instance), false)
            }
        };
        let record = PluginRecord {
            manifest: manifest.clone(),
            contract_version: report.version.clone(),
            interfaces: report.interfaces.iter().cloned().collect(),
        };
        self.cache.store_record(&id.hash, &record);
        self.cache.remember_hash(path, &id.hash);
        id.name = manifest.name.clone();
        let instance = instance.map(|mut i| {
            i.store.data_mut().caps.plugin = id.clone();
            i
        });
        let info = PluginInfo {
            id,
            manifest,
            source,
            path: path.to_path_buf(),
            contract: report,
            cache,
            manifest_cached,
        };
        Ok(LoadedPlugin {
            info,
            pre: Some(pre),
            instance,
        })
    }

    /// Compile (or load from the cache) plugin `name`'s component now
    /// rather than on its first call: `aicoder plugin precompile` and
    /// `plugin install` fill the cache this way.
    pub fn ensure_compiled(&mut self, name: &str) -> Result<(), LoadError> {
        match self
            .plugins
            .iter()
            .position(|p| p.info.manifest.name == name)
        {
            Some(index) => self.ensure_pre(index),
            None => Ok(()),
        }
    }

    /// Link a compiled component against the host.
    pub(super) fn pre(
        &self,
        component: &wasmtime::component::Component,
    ) -> Result<PluginPre<StoreData>, String> {
        let instance_pre = self
            .linker
            .instantiate_pre(component)
            .map_err(|e| first_line(&e))?;
        PluginPre::new(instance_pre).map_err(|e| first_line(&e))
    }

    /// The linked component of plugin `index`, loaded now if start-up deferred
    /// it. If the artifact is gone, the file is read again and must still have
    /// the hash the plugin was accepted (and granted) with: a file changed or
    /// removed since is [`LoadFailure::Changed`] or [`LoadFailure::Vanished`].
    /// A failure is audited as a refused `load`.
    pub(super) fn ensure_pre(&mut self, index: usize) -> Result<(), LoadError> {
        if self.plugins[index].pre.is_some() {
            return Ok(());
        }
        let info = &self.plugins[index].info;
        let (path, hash) = (info.path.clone(), info.id.hash.clone());
        let name = info.manifest.name.clone();
        let result = self.deferred_component(&path, &hash, &name);
        match result {
            Ok(pre) => {
                self.plugins[index].pre = Some(pre);
                Ok(())
            }
            Err(reason) => {
                let entry = AuditEntry::sandbox(
                    &self.plugins[index].info.id,
                    "load",
                    json!({ "path": path.display().to_string() }),
                    Outcome::Refused,
                    reason.to_string(),
                );
                self.services.audit.record(&entry);
                self.services.audit.flush();
                Err(LoadError { path, reason })
            }
        }
    }

    /// The compiled and linked component with content hash `hash`, from the
    /// cache or compiled again from `path` if its content still has that hash.
    pub(super) fn deferred_component(
        &self,
        path: &Path,
        hash: &str,
        name: &str,
    ) -> Result<PluginPre<StoreData>, LoadFailure> {
        let mut why: Option<LoadFailure> = None;
        let read = || -> wasmtime::Result<Vec<u8>> {
            let bytes = match std::fs::read(path) {
                Ok(bytes) => bytes,
                Err(e) => {
                    let gone = e.kind() == std::io::ErrorKind::NotFound;
                    why = Some(if gone {
                        LoadFailure::Vanished
                    } else {
                        LoadFailure::Read(e)
                    });
                    wasmtime::bail!("the plugin file could not be read");
                }
            };
            if blake3::hash(&bytes).to_hex().as_str() != hash {
                why = Some(LoadFailure::Changed);
                wasmtime::bail!("the plugin file changed");
            }
            Ok(bytes)
        };
        let loaded = self
            .cache
            .load_or_compile_named(&self.engine, hash, Some(name), read);
        let (component, _) = loaded.map_err(|e| {
            why.take().unwrap_or_else(|| {
                LoadFailure::Invalid(format!("could not load the component: {}", first_line(&e)))
            })
        })?;
        self.pre(&component)
            .map_err(|e| LoadFailure::Invalid(format!("could not link the component: {e}")))
    }
}

/// A plugin known without loading its component (compiled on first use).
fn deferred(
    path: &Path,
    source: PluginSource,
    hash: String,
    contract: contract::ContractReport,
    manifest: PluginManifest,
) -> LoadedPlugin {
    let info = PluginInfo {
        id: PluginId {
            name: manifest.name.clone(),
            hash,
            source,
        },
        contract,
        manifest,
        source,
        path: path.to_path_buf(),
        cache: CacheEvent::Deferred,
        manifest_cached: true,
    };
    LoadedPlugin {
        info,
        pre: None,
        instance: None,
    }
}

/// Where the build records a shipped plugin's manifest: beside it, as
/// `<name>.manifest.json`.
fn shipped_record_path(wasm: &Path) -> PathBuf {
    wasm.with_extension("manifest.json")
}

/// What [`shipped_record_path`] holds: the manifest of the file with this
/// content hash.
#[derive(serde::Serialize, serde::Deserialize)]
struct ShippedRecord {
    hash: String,
    manifest: PluginManifest,
}

/// The manifest recorded beside shipped plugin `wasm`, if it was recorded
/// for exactly this content.
fn shipped_record(wasm: &Path, hash: &str) -> Option<PluginManifest> {
    let bytes = std::fs::read(shipped_record_path(wasm)).ok()?;
    let record: ShippedRecord = serde_json::from_slice(&bytes).ok()?;
    (record.hash == hash).then_some(record.manifest)
}

/// Record `info`'s manifest beside its shipped file (`make build` runs
/// `aicoder plugin precompile`, which calls this), so a fresh cache learns
/// it without compiling the plugin: the first session on a new machine
/// compiles a plugin only when it is first called. A folder that cannot be
/// written to (an installed copy) is left alone.
pub fn write_shipped_record(info: &PluginInfo) -> std::io::Result<()> {
    let record = ShippedRecord {
        hash: info.id.hash.clone(),
        manifest: info.manifest.clone(),
    };
    let path = shipped_record_path(&info.path);
    if shipped_record(&info.path, &record.hash).is_some() {
        return Ok(());
    }
    let bytes = serde_json::to_vec_pretty(&record).map_err(std::io::Error::other)?;
    crate::util::atomic_write(&path, &bytes)
}
