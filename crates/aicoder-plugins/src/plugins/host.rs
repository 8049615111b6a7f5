//! The plugin host: loads components, keeps one lazily made instance per
//! plugin for the session, runs calls under the sandbox limits and remakes an
//! instance that trapped.
//!
//! Calls into a guest are asynchronous (wasmtime's `call_async`, WASI linked
//! asynchronously) and driven to completion on the host's own current-thread
//! tokio runtime, so the API stays synchronous. The call's deadline is kept
//! three ways: the engine's epoch interrupts running wasm, a tokio timeout
//! drops a call waiting in a WASI sleep or poll, and `shell.exec` bounds its
//! command by what the call has left (`crate::caps::deadline`).
//!
//! Split by job: [`engine`] (the epoch ticker and a call's clock), [`errors`]
//! (load and call errors, trap classification), [`loader`] (load, reload,
//! deferred components), [`registry`] (what a plugin offers, into the app
//! state), [`calls`] (instances and calls) and [`events`] (fan-out).

mod calls;
mod engine;
mod errors;
mod events;
mod loader;
mod registry;
mod since_v0_1_0;
mod versions;

pub use engine::new_engine;
pub use errors::{CallError, LoadError, LoadFailure, TrapKind};
pub use loader::write_shipped_record;

use super::cache::{ArtifactCache, CacheEvent};
use super::contract::ContractReport;
use super::discovery::PluginSource;
use super::manifest::PluginManifest;
use super::sandbox::StoreData;
use crate::caps::grants::PluginId;
use crate::caps::{Capability, Services};
use engine::GuestRuntime;
use std::path::PathBuf;
use std::sync::Arc;
use versions::{Plugin, PluginPre};
use wasmtime::component::Linker;
use wasmtime::{Engine, Store};

/// What the loader learned about a plugin.
#[derive(Debug, Clone)]
pub struct PluginInfo {
    pub id: PluginId,
    pub manifest: PluginManifest,
    pub source: PluginSource,
    pub path: PathBuf,
    pub contract: ContractReport,
    /// Whether the compiled component came from the cache.
    pub cache: CacheEvent,
    /// Whether the manifest came from the cache (no instance was made).
    pub manifest_cached: bool,
}

impl PluginInfo {
    /// The capabilities this plugin can ever use: those of the interfaces it
    /// imports, plus `hooks.register` when its manifest subscribes to events
    /// (delivery needs it), plus `history.read` and `history.write` when it
    /// can receive `transform_request` (which hands it the conversation).
    pub fn ceiling(&self) -> std::collections::BTreeSet<Capability> {
        let mut caps = self.contract.ceiling.clone();
        if !self.manifest.hooks.is_empty() {
            caps.insert(Capability::HooksRegister);
        }
        if self
            .manifest
            .hooks
            .iter()
            .any(|h| h == crate::state::SessionEvent::TransformRequest.name())
        {
            caps.extend([Capability::HistoryRead, Capability::HistoryWrite]);
        }
        caps
    }
}

/// A tool call's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolResult {
    /// Short form for the user.
    pub summary: String,
    /// Full form for the model.
    pub detail: String,
    /// What the plugin printed to stdout/stderr during the call.
    pub printed: String,
}

/// What the approval prompt shows for a plugin tool call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    pub text: String,
    /// Capabilities the call says it needs (unknown names are kept as given).
    pub capabilities: Vec<String>,
}

struct Instance {
    store: Store<StoreData>,
    plugin: Plugin,
}

struct LoadedPlugin {
    info: PluginInfo,
    /// Linked component; `None` until first use when start-up took the plugin
    /// from the cache.
    pre: Option<PluginPre<StoreData>>,
    instance: Option<Instance>,
}

/// What `PluginHost::reload` changed.
#[derive(Debug, Default)]
pub struct ReloadReport {
    pub added: Vec<String>,
    /// (old, new) identity of each plugin whose file changed.
    pub updated: Vec<(PluginId, PluginId)>,
    pub removed: Vec<String>,
    pub errors: Vec<LoadError>,
}

/// All plugins of a session.
pub struct PluginHost {
    engine: Engine,
    /// Drives guest calls (and the WASI sleeps and polls inside them).
    runtime: GuestRuntime,
    linker: Linker<StoreData>,
    cache: ArtifactCache,
    services: Arc<Services>,
    plugins: Vec<LoadedPlugin>,
    /// Plugins already told why transform_request was withheld.
    told_not_delivered: std::collections::HashSet<String>,
    /// When set, only files with these stems may be compiled while loading:
    /// a command that needs one plugin (`aicoder py`) does not compile the
    /// others to learn their manifests (plugins whose manifest is known
    /// still load, at no cost).
    compile_only: Option<Vec<String>>,
}

impl PluginHost {
    /// A host with no plugins yet, caching compiled components in `cache_dir`.
    pub fn new(services: Arc<Services>, cache_dir: PathBuf) -> wasmtime::Result<Self> {
        let engine = new_engine()?;
        let mut linker = Linker::new(&engine);
        wasmtime_wasi::p2::add_to_linker_async(&mut linker)?;
        // wasi:http for plugins that import it (net.fetch, caps/net.rs).
        wasmtime_wasi_http::p2::add_only_http_to_linker_async(&mut linker)?;
        // Every contract version the host loads (0.1.x through an adapter).
        versions::add_to_linker(&mut linker)?;
        let cache = ArtifactCache::new(cache_dir, &engine);
        let runtime = GuestRuntime::new()?;
        Ok(PluginHost {
            engine,
            runtime,
            linker,
            cache,
            services,
            plugins: Vec::new(),
            told_not_delivered: std::collections::HashSet::new(),
            compile_only: None,
        })
    }

    /// Compile while loading only the plugin files named `stems` (file name
    /// without `.wasm`); `None` compiles whatever loading needs.
    pub fn set_compile_only(&mut self, stems: Option<Vec<String>>) {
        self.compile_only = stems;
    }

    /// The session services the plugins share.
    pub fn services(&self) -> &Arc<Services> {
        &self.services
    }

    /// Every loaded plugin.
    pub fn plugins(&self) -> impl Iterator<Item = &PluginInfo> {
        self.plugins.iter().map(|p| &p.info)
    }

    /// The loaded plugin called `name`.
    pub fn plugin(&self, name: &str) -> Option<&PluginInfo> {
        self.plugins().find(|p| p.manifest.name == name)
    }
}
