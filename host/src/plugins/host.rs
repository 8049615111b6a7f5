//! The plugin host: loads components, keeps one lazily made instance per
//! plugin for the session, runs calls under the sandbox limits and remakes an
//! instance that trapped.
//!
//! Calls into a guest are asynchronous (wasmtime's `call_async`, WASI linked
//! asynchronously) and driven to completion on the host's own current-thread
//! tokio runtime, so the API stays synchronous. The call's deadline is kept
//! three ways: the engine's epoch interrupts running wasm, a tokio timeout
//! drops a call waiting in a WASI sleep or poll, and `shell.exec` bounds its
//! command by what the call has left (`super::deadline`).

use super::bindings::exports::aicoder::plugin::guest::{self, PluginError};
use super::bindings::{Plugin, PluginPre};
use super::cache::{ArtifactCache, CacheEvent, PluginRecord};
use super::contract::{self, ContractError, ContractReport};
use super::discovery::{Candidate, PluginSource};
use super::manifest::PluginManifest;
use super::sandbox::{new_store, StoreData};
use crate::caps::audit::{AuditEntry, Outcome};
use crate::caps::grants::PluginId;
use crate::caps::{Access, CapCtx, Capability, Services};
use crate::state::{PluginSummary, ToolEntry, ToolSource};
use serde_json::json;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use wasmtime::component::{HasSelf, Linker};
use wasmtime::{Engine, Store};

/// How often the engine's epoch advances; deadlines are counted in these.
const EPOCH_TICK: Duration = Duration::from_millis(5);

/// Deepest wasm stack a guest may use (deeper recursion traps cleanly).
const MAX_WASM_STACK: usize = 1 << 20;

/// The stack a call runs on (a fiber, kept by the store between calls): the
/// guest's wasm stack plus room for the host functions it calls, which ran on
/// the main thread's 8 MiB stack when calls were synchronous. Only the pages
/// touched are ever backed by memory.
const CALL_STACK: usize = 8 << 20;

/// One call into a guest: a future borrowing the plugin's instance.
type GuestCall<'a, R> = Pin<Box<dyn Future<Output = wasmtime::Result<R>> + Send + 'a>>;

/// The current-thread runtime guest calls are driven on. It is shut down
/// without waiting when dropped: a host may be dropped from async code, where
/// tokio refuses a blocking shutdown, and none of its work outlives a call.
struct GuestRuntime(std::mem::ManuallyDrop<tokio::runtime::Runtime>);

impl GuestRuntime {
    fn new() -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        Ok(GuestRuntime(std::mem::ManuallyDrop::new(runtime)))
    }
}

impl Drop for GuestRuntime {
    fn drop(&mut self) {
        // SAFETY: taken once, here, and never used again.
        let runtime = unsafe { std::mem::ManuallyDrop::take(&mut self.0) };
        runtime.shutdown_background();
    }
}

/// Why a plugin file was not loaded.
#[derive(Debug, thiserror::Error)]
#[error("plugin {path} refused: {reason}")]
pub struct LoadError {
    pub path: PathBuf,
    pub reason: LoadFailure,
}

/// The reasons a plugin file can be refused.
#[derive(Debug, thiserror::Error)]
pub enum LoadFailure {
    #[error("cannot read the file: {0}")]
    Read(std::io::Error),
    #[error("not a WebAssembly file (it does not start with the \\0asm header)")]
    NotWasm,
    #[error(
        "it is a core WebAssembly module, not a component; build it with --target wasm32-wasip2 \
         or wrap it with `wasm-tools component new`"
    )]
    CoreModule,
    #[error("it is not a valid component: {0}")]
    Invalid(String),
    #[error(transparent)]
    Contract(#[from] ContractError),
    #[error("its manifest could not be read: {0}")]
    Manifest(String),
    #[error("a plugin named `{name}` is already loaded from {other}")]
    Duplicate { name: String, other: PathBuf },
    #[error("its tool `{tool}` clashes with the tool of the same name from {owner}")]
    ToolClash { tool: String, owner: String },
}

/// How a plugin call was stopped by the sandbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrapKind {
    /// Ran past its wall-clock deadline.
    Deadline(Duration),
    /// Tried to grow memory past the ceiling.
    Memory(usize),
    /// Printed past the output cap.
    Output(usize),
    /// Any other trap (a panic, `unreachable`, stack overflow, ...).
    Crash(String),
}

impl std::fmt::Display for TrapKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TrapKind::Deadline(d) => write!(
                f,
                "it ran past its deadline of {} ms (PLUGIN_TIMEOUT_MS)",
                d.as_millis()
            ),
            TrapKind::Memory(b) => write!(
                f,
                "it tried to use more than its memory ceiling of {} MiB (PLUGIN_MEMORY_MB)",
                b >> 20
            ),
            TrapKind::Output(b) => write!(
                f,
                "it printed more than its output cap of {} KiB (PLUGIN_OUTPUT_KB)",
                b >> 10
            ),
            TrapKind::Crash(msg) => write!(f, "it crashed: {msg}"),
        }
    }
}

/// Why a call into a plugin did not produce a result.
#[derive(Debug, thiserror::Error)]
pub enum CallError {
    #[error("no plugin named `{0}` is loaded (`aicoder plugin list` shows what is)")]
    NoPlugin(String),
    #[error("plugin `{plugin}` has no {kind} `{name}`")]
    NotOffered {
        plugin: String,
        kind: &'static str,
        name: String,
    },
    #[error("plugin `{plugin}`: {message}")]
    Plugin {
        plugin: String,
        error_kind: &'static str,
        message: String,
    },
    #[error("plugin `{plugin}` was stopped: {kind}. Its instance was discarded and will be made anew on the next call")]
    Trapped { plugin: String, kind: TrapKind },
    #[error(
        "plugin `{plugin}` is not given transform_request: that hook reads and rewrites the whole \
         conversation, so it needs hooks.register, history.read and history.write, and it lacks {missing}. \
         `aicoder plugin grant {plugin} {missing}` allows it (said once per session)"
    )]
    NotDelivered { plugin: String, missing: String },
}

impl CallError {
    fn from_guest(plugin: &str, err: PluginError) -> Self {
        let (error_kind, message) = match err {
            PluginError::InvalidArguments(m) => {
                ("invalid-arguments", format!("invalid arguments: {m}"))
            }
            PluginError::AccessDenied(m) => ("access-denied", m),
            PluginError::Failed(m) => ("failed", m),
        };
        CallError::Plugin {
            plugin: plugin.to_string(),
            error_kind,
            message,
        }
    }
}

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
        if self.manifest.hooks.iter().any(|h| h == "transform_request") {
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
}

/// The engine every plugin runs on: Cranelift, epoch interruption for
/// deadlines, and a thread advancing the epoch while the engine lives.
pub fn new_engine() -> wasmtime::Result<Engine> {
    let mut config = wasmtime::Config::new();
    config.epoch_interruption(true);
    // Deep recursion should trap cleanly, well before the host's own stack.
    config.max_wasm_stack(MAX_WASM_STACK);
    config.async_stack_size(CALL_STACK);
    let engine = Engine::new(&config)?;
    let weak = engine.weak();
    std::thread::Builder::new()
        .name("aicoder-epoch".into())
        .spawn(move || {
            while let Some(engine) = weak.upgrade() {
                engine.increment_epoch();
                drop(engine);
                std::thread::sleep(EPOCH_TICK);
            }
        })?;
    Ok(engine)
}

fn first_line(err: &wasmtime::Error) -> String {
    let mut parts: Vec<String> = err
        .chain()
        .map(|c| c.to_string().lines().next().unwrap_or("").to_string())
        .collect();
    parts.dedup();
    parts.join(": ")
}

/// The innermost function of the plugin's own code in a trap's backtrace
/// (skipping the standard library's abort and panic machinery), without its
/// hash: says where a plugin crashed, e.g. `refcount::refcount_overflow`.
fn crash_site(err: &wasmtime::Error) -> Option<String> {
    let trace = err.downcast_ref::<wasmtime::WasmBacktrace>()?;
    trace
        .frames()
        .iter()
        .filter_map(|f| f.func_name())
        .find_map(|name| {
            // `{:#}` prints the path without the trailing hash.
            let name = format!("{:#}", rustc_demangle::demangle(name));
            let plumbing = [
                "abort",
                "std::",
                "core::",
                "alloc::",
                "__rust",
                "rust_panic",
                "panic_abort",
                "dlmalloc",
            ];
            (!plumbing.iter().any(|p| name.starts_with(p))).then_some(name)
        })
}

/// A crash with what the guest printed last (a Rust panic message, a JS
/// exception, a Python traceback): the user and the audit log see why it
/// crashed, not only where.
fn with_guest_output(kind: TrapKind, printed: &str) -> TrapKind {
    match (kind, super::sandbox::crash_output_tail(printed)) {
        (TrapKind::Crash(msg), Some(tail)) => {
            let tail = tail.replace('\n', "\n    ");
            TrapKind::Crash(format!(
                "{msg}. It printed:\n    {tail}\n(end of its output)"
            ))
        }
        (kind, _) => kind,
    }
}

impl PluginHost {
    /// A host with no plugins yet, caching compiled components in `cache_dir`.
    pub fn new(services: Arc<Services>, cache_dir: PathBuf) -> wasmtime::Result<Self> {
        let engine = new_engine()?;
        let mut linker = Linker::new(&engine);
        wasmtime_wasi::p2::add_to_linker_async(&mut linker)?;
        Plugin::add_to_linker::<StoreData, HasSelf<CapCtx>>(&mut linker, |d: &mut StoreData| {
            &mut d.caps
        })?;
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
        })
    }

    /// The session services the plugins share.
    pub fn services(&self) -> &Arc<Services> {
        &self.services
    }

    /// Load every candidate; failures are returned, the rest stay loaded.
    pub fn load_all(&mut self, candidates: &[Candidate]) -> Vec<LoadError> {
        let errors: Vec<LoadError> = candidates
            .iter()
            .filter_map(|c| self.load(&c.path, c.source).err())
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
        let mut state = self.services.state();
        let source = ToolSource::Plugin(name.to_string());
        state.tools.retain(|_, t| t.source != source);
        state.plugins.retain(|p| p.name != name);
        state.hook_subscriptions.remove(name);
        state
            .prompt_sections
            .retain(|(plugin, _), _| plugin != name);
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

    /// Every loaded plugin.
    pub fn plugins(&self) -> impl Iterator<Item = &PluginInfo> {
        self.plugins.iter().map(|p| &p.info)
    }

    /// The loaded plugin called `name`.
    pub fn plugin(&self, name: &str) -> Option<&PluginInfo> {
        self.plugins().find(|p| p.manifest.name == name)
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

    fn prepare(&self, path: &Path, source: PluginSource) -> Result<LoadedPlugin, LoadFailure> {
        // Fast path: an unchanged file we accepted before. Nothing is read,
        // hashed, compiled or run; the component loads on first use.
        if let Some(hash) = self.cache.known_hash(path) {
            if let (Some(record), true) = (self.cache.record(&hash), self.cache.has_artifact(&hash))
            {
                let info = PluginInfo {
                    id: PluginId {
                        name: record.manifest.name.clone(),
                        hash,
                        source,
                    },
                    contract: record.contract(),
                    manifest: record.manifest,
                    source,
                    path: path.to_path_buf(),
                    cache: CacheEvent::Deferred,
                    manifest_cached: true,
                };
                return Ok(LoadedPlugin {
                    info,
                    pre: None,
                    instance: None,
                });
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
        if let Some(Err(refused)) = contract::check_bytes(&bytes) {
            return Err(refused.into());
        }
        let stem = path.file_stem().map(|s| s.to_string_lossy());
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
                    let printed = instance.store.data().output.take().0;
                    let kind = with_guest_output(self.classify(&instance.store, &e), &printed);
                    LoadFailure::Manifest(kind.to_string())
                })?;
                let manifest = PluginManifest::from_guest(raw).map_err(LoadFailure::Manifest)?;
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

    /// Link a compiled component against the host.
    fn pre(
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
    /// the hash the plugin was accepted (and granted) with.
    fn ensure_pre(&mut self, index: usize) -> Result<(), TrapKind> {
        if self.plugins[index].pre.is_some() {
            return Ok(());
        }
        let info = &self.plugins[index].info;
        let (path, hash) = (info.path.clone(), info.id.hash.clone());
        let name = info.manifest.name.clone();
        let read = || -> wasmtime::Result<Vec<u8>> {
            let bytes = std::fs::read(&path)?;
            if blake3::hash(&bytes).to_hex().as_str() != hash {
                wasmtime::bail!(
                    "{} changed on disk since aicoder started; restart to load the new version",
                    path.display()
                );
            }
            Ok(bytes)
        };
        let (component, _) = self
            .cache
            .load_or_compile_named(&self.engine, &hash, Some(&name), read)
            .map_err(|e| {
                TrapKind::Crash(format!("could not load the component: {}", first_line(&e)))
            })?;
        let pre = self
            .pre(&component)
            .map_err(|e| TrapKind::Crash(format!("could not link the component: {e}")))?;
        self.plugins[index].pre = Some(pre);
        Ok(())
    }

    /// Add the plugin's tools and summary to the app state. A manifest's
    /// auto-approval is a request: it holds only once the user approved that
    /// tool for this plugin version (`aicoder plugin approve-tool`).
    fn register(&self, info: &PluginInfo) -> Result<(), LoadFailure> {
        let approved: Vec<bool> = {
            let grants = self.services.grants();
            info.manifest
                .tools
                .iter()
                .map(|t| grants.tool_approved(&info.id, &t.name))
                .collect()
        };
        let mut state = self.services.state();
        if let Some(t) = info
            .manifest
            .tools
            .iter()
            .find(|t| state.tools.contains_key(&t.name))
        {
            let owner = state.tools[&t.name].source.to_string();
            return Err(LoadFailure::ToolClash {
                tool: t.name.clone(),
                owner,
            });
        }
        for (t, approved) in info.manifest.tools.iter().zip(approved) {
            state.tools.insert(
                t.name.clone(),
                ToolEntry {
                    name: t.name.clone(),
                    description: t.description.clone(),
                    parameters: t.parameters.clone(),
                    auto_approved: approved,
                    source: ToolSource::Plugin(info.manifest.name.clone()),
                    offered: !t.hidden,
                },
            );
        }
        state.plugins.push(PluginSummary {
            name: info.manifest.name.clone(),
            version: info.manifest.version.clone(),
            source: info.source.name().to_string(),
            tools: info.manifest.tools.iter().map(|t| t.name.clone()).collect(),
            commands: info
                .manifest
                .commands
                .iter()
                .map(|c| c.name.clone())
                .collect(),
        });
        Ok(())
    }

    fn instantiate(&self, pre: &PluginPre<StoreData>, id: &PluginId) -> Result<Instance, TrapKind> {
        let caps = CapCtx::new(id.clone(), self.services.clone());
        let mut store = new_store(&self.engine, caps, &self.services.limits);
        let timeout = self.arm(&mut store);
        let made = self.finish(timeout, Box::pin(pre.instantiate_async(&mut store)));
        match made {
            Ok(plugin) => Ok(Instance { store, plugin }),
            Err(e) => Err(self.classify(&store, &e)),
        }
    }

    /// Give the store a fresh deadline and output budget for one call;
    /// returns the deadline.
    fn arm(&self, store: &mut Store<StoreData>) -> Duration {
        let timeout = self.services.limits.call_timeout;
        let ticks = timeout.as_millis().div_ceil(EPOCH_TICK.as_millis()).max(1);
        store.set_epoch_deadline(u64::try_from(ticks).unwrap_or(u64::MAX));
        let data = store.data_mut();
        data.caps.deadline.start(timeout);
        data.limiter.hit = false;
        data.output.take();
        timeout
    }

    /// Drive one guest call to its end or to its deadline `timeout`,
    /// whichever comes first. Running wasm is stopped by the epoch (see
    /// [`Self::arm`]); a call waiting in an asynchronous WASI function (a
    /// sleep, a poll) is dropped here, which unwinds the guest. Both come back
    /// as `Trap::Interrupt`, a deadline stop.
    fn finish<R: Send>(&self, timeout: Duration, call: GuestCall<'_, R>) -> wasmtime::Result<R> {
        let bounded = async move {
            match tokio::time::timeout(timeout, call).await {
                Ok(result) => result,
                Err(_elapsed) => Err(wasmtime::Trap::Interrupt.into()),
            }
        };
        let runtime: &tokio::runtime::Runtime = &self.runtime.0;
        if tokio::runtime::Handle::try_current().is_err() {
            return runtime.block_on(bounded);
        }
        // Called from code already running on a tokio runtime, whose thread
        // must not block on another runtime (tokio panics): drive the call
        // from a thread of its own and wait for it.
        std::thread::scope(
            |scope| match scope.spawn(|| runtime.block_on(bounded)).join() {
                Ok(result) => result,
                Err(panic) => std::panic::resume_unwind(panic),
            },
        )
    }

    fn classify(&self, store: &Store<StoreData>, err: &wasmtime::Error) -> TrapKind {
        let limits = &self.services.limits;
        if err.downcast_ref::<wasmtime::Trap>() == Some(&wasmtime::Trap::Interrupt) {
            TrapKind::Deadline(limits.call_timeout)
        } else if store.data().limiter.hit {
            TrapKind::Memory(limits.memory_bytes)
        } else if first_line(err).contains("output cap") {
            TrapKind::Output(limits.output_bytes)
        } else {
            match crash_site(err) {
                Some(site) => TrapKind::Crash(format!("{} in `{site}`", first_line(err))),
                None => TrapKind::Crash(first_line(err)),
            }
        }
    }

    /// Run `f` against the plugin's instance (made now if needed). A trap drops
    /// the instance and is audited as `stopped` under `operation` (the export
    /// called) and `target` (the tool, command or event); `once` grants end
    /// with the call either way.
    fn with_instance<R: Send>(
        &mut self,
        plugin: &str,
        (operation, target): (&str, &str),
        f: impl for<'a> FnOnce(&'a Plugin, &'a mut Store<StoreData>) -> GuestCall<'a, R>,
    ) -> Result<(R, String), CallError> {
        let index = self
            .plugins
            .iter()
            .position(|p| p.info.manifest.name == plugin);
        let index = index.ok_or_else(|| CallError::NoPlugin(plugin.to_string()))?;
        let trapped = |kind| CallError::Trapped {
            plugin: plugin.to_string(),
            kind,
        };
        if self.plugins[index].instance.is_none() {
            self.ensure_pre(index).map_err(trapped)?;
            let loaded = &self.plugins[index];
            let Some(pre) = &loaded.pre else {
                return Err(CallError::NoPlugin(plugin.to_string()));
            };
            let instance = self.instantiate(pre, &loaded.info.id).map_err(trapped)?;
            self.plugins[index].instance = Some(instance);
        }
        let Some(mut instance) = self.plugins[index].instance.take() else {
            return Err(CallError::NoPlugin(plugin.to_string()));
        };
        let timeout = self.arm(&mut instance.store);
        let result = self.finish(timeout, f(&instance.plugin, &mut instance.store));
        // A host function that gave up at the deadline (shell.exec) ends the
        // call there, whatever the plugin did after it.
        let result = match result {
            Ok(_) if instance.store.data().caps.deadline.hit() => {
                Err(wasmtime::Trap::Interrupt.into())
            }
            other => other,
        };
        self.services.grants().end_call();
        self.services.audit.flush();
        let (printed, _) = instance.store.data().output.take();
        match result {
            Ok(value) => {
                self.plugins[index].instance = Some(instance);
                Ok((value, printed))
            }
            // The instance is dropped here; the next call makes a new one.
            Err(e) => {
                if self.services.state().config.debug {
                    eprintln!("[aicoder] trap in plugin `{plugin}`: {e:?}\n{printed}");
                }
                let kind = with_guest_output(self.classify(&instance.store, &e), &printed);
                let entry = AuditEntry::sandbox(
                    &self.plugins[index].info.id,
                    operation,
                    json!({ "name": target }),
                    Outcome::Stopped,
                    kind.to_string(),
                );
                self.services.audit.record(&entry);
                self.services.audit.flush();
                Err(trapped(kind))
            }
        }
    }

    /// Whether `plugin` serves tool or command `name` now: from its manifest
    /// or registered at run time (both live in the app state).
    fn offers(&self, plugin: &str, kind: &'static str, name: &str) -> Result<(), CallError> {
        self.plugin(plugin)
            .ok_or_else(|| CallError::NoPlugin(plugin.to_string()))?;
        let state = self.services.state();
        let offered = match kind {
            "tool" => state
                .tools
                .get(name)
                .is_some_and(|t| t.source == ToolSource::Plugin(plugin.to_string())),
            _ => state
                .plugins
                .iter()
                .any(|p| p.name == plugin && p.commands.iter().any(|c| c == name)),
        };
        if offered {
            Ok(())
        } else {
            Err(CallError::NotOffered {
                plugin: plugin.to_string(),
                kind,
                name: name.to_string(),
            })
        }
    }

    /// Run a plugin tool with JSON arguments.
    pub fn call_tool(
        &mut self,
        plugin: &str,
        tool: &str,
        args_json: &str,
    ) -> Result<ToolResult, CallError> {
        self.offers(plugin, "tool", tool)?;
        let (name, args) = (tool.to_string(), args_json.to_string());
        let (result, printed) = self.with_instance(plugin, ("call-tool", tool), |p, store| {
            Box::pin(async move {
                p.aicoder_plugin_guest()
                    .call_call_tool(store, &name, &args)
                    .await
            })
        })?;
        let out = result.map_err(|e| CallError::from_guest(plugin, e))?;
        let cap = self.services.limits.output_bytes;
        Ok(ToolResult {
            summary: crate::util::truncate_text(&out.summary, cap).0,
            detail: crate::util::truncate_text(&out.detail, cap).0,
            printed,
        })
    }

    /// Ask a plugin to describe a tool call for the approval prompt.
    pub fn preview_tool(
        &mut self,
        plugin: &str,
        tool: &str,
        args_json: &str,
    ) -> Result<Preview, CallError> {
        self.offers(plugin, "tool", tool)?;
        let (name, args) = (tool.to_string(), args_json.to_string());
        let (result, _) = self.with_instance(plugin, ("preview-tool", tool), |p, store| {
            Box::pin(async move {
                p.aicoder_plugin_guest()
                    .call_preview_tool(store, &name, &args)
                    .await
            })
        })?;
        let preview = result.map_err(|e| CallError::from_guest(plugin, e))?;
        Ok(Preview {
            text: crate::util::truncate_text(&preview.text, 64 * 1024).0,
            capabilities: preview.capabilities,
        })
    }

    /// Run a plugin's slash command.
    pub fn run_command(
        &mut self,
        plugin: &str,
        command: &str,
        args: &str,
    ) -> Result<String, CallError> {
        self.offers(plugin, "command", command)?;
        let (name, args) = (command.to_string(), args.to_string());
        let (result, printed) =
            self.with_instance(plugin, ("run-command", command), |p, store| {
                Box::pin(async move {
                    p.aicoder_plugin_guest()
                        .call_run_command(store, &name, &args)
                        .await
                })
            })?;
        let text = result.map_err(|e| CallError::from_guest(plugin, e))?;
        let text = if printed.is_empty() {
            text
        } else {
            format!("{printed}{text}")
        };
        Ok(crate::util::truncate_text(&text, self.services.limits.output_bytes).0)
    }

    /// The plugin serving command `name` (from its manifest or registered since).
    pub fn command_owner(&self, name: &str) -> Option<String> {
        let state = self.services.state();
        state
            .plugins
            .iter()
            .find(|p| p.commands.iter().any(|c| c == name))
            .map(|p| p.name.clone())
    }

    /// Deliver `event` to every plugin subscribed to it that holds
    /// `hooks.register`; each delivery is audited. For `transform_request`,
    /// each plugin may replace the payload in turn. Failures are collected;
    /// one plugin failing never stops delivery to the others.
    pub fn emit(&mut self, event: &str, payload_json: &str) -> (String, Vec<CallError>) {
        let mut payload = payload_json.to_string();
        let mut errors = Vec::new();
        let subscribed: Vec<PluginId> = {
            let state = self.services.state();
            self.plugins()
                .filter(|p| {
                    p.manifest.hooks.iter().any(|h| h == event)
                        || state
                            .hook_subscriptions
                            .get(&p.manifest.name)
                            .is_some_and(|s| s.contains(event))
                })
                .map(|p| p.id.clone())
                .collect()
        };
        for id in subscribed {
            let gate = CapCtx::new(id.clone(), self.services.clone());
            let allowed = gate.gate(
                Capability::HooksRegister,
                "deliver",
                json!({ "event": event }),
                || Ok(Access::read(())),
            );
            if allowed.is_err() {
                continue;
            }
            let transform = event == "transform_request";
            if transform {
                if let Some(err) = self.withhold_transform(&id) {
                    errors.extend(err);
                    continue;
                }
            }
            let ev = guest::Event {
                name: event.to_string(),
                payload_json: payload.clone(),
            };
            match self.with_instance(&id.name, ("on-event", event), |p, store| {
                Box::pin(async move { p.aicoder_plugin_guest().call_on_event(store, &ev).await })
            }) {
                Ok((Ok(guest::EventOutcome::ReplacePayload(new)), _)) if transform => {
                    self.record_transform(&id, &payload, &new);
                    payload = new
                }
                Ok((Ok(_), _)) if transform => self.record_transform(&id, &payload, &payload),
                Ok((Ok(_), _)) => {}
                Ok((Err(e), _)) => errors.push(CallError::from_guest(&id.name, e)),
                Err(e) => errors.push(e),
            }
        }
        self.services.audit.flush();
        (payload, errors)
    }

    /// transform_request reads and rewrites the whole conversation: beyond
    /// hooks.register it needs history.read and history.write. Without them
    /// the delivery is withheld and audited as denied; the returned error
    /// (once per plugin and session) tells the user why.
    fn withhold_transform(&mut self, id: &PluginId) -> Option<Option<CallError>> {
        let missing: Vec<Capability> = {
            let grants = self.services.grants();
            [Capability::HistoryRead, Capability::HistoryWrite]
                .into_iter()
                .filter(|c| {
                    !matches!(
                        grants.check(id, *c),
                        crate::caps::grants::Decision::Allowed(_)
                    )
                })
                .collect()
        };
        let first = *missing.first()?;
        let names: Vec<&str> = missing.iter().map(|c| c.name()).collect();
        let mut entry = AuditEntry::new(
            id,
            first,
            "deliver",
            json!({ "event": "transform_request", "missing": names }),
        );
        entry.outcome = Outcome::Denied;
        entry.detail = Some(format!(
            "transform_request needs hooks.register, history.read and history.write; missing {}",
            names.join(", ")
        ));
        self.services.audit.record(&entry);
        let first_time = self.told_not_delivered.insert(id.name.clone());
        Some(first_time.then(|| CallError::NotDelivered {
            plugin: id.name.clone(),
            missing: names.join(","),
        }))
    }

    /// Audit what a transform_request hook did to the request: blake3 digests
    /// of it before and after (the request itself is the conversation, too
    /// big and too private to copy into the log).
    fn record_transform(&self, id: &PluginId, before: &str, after: &str) {
        let digest = |text: &str| json!({ "blake3": blake3::hash(text.as_bytes()).to_hex().to_string(), "bytes": text.len() });
        let mut entry = AuditEntry::new(
            id,
            Capability::HooksRegister,
            "transform-request",
            json!({ "changed": before != after }),
        );
        entry.old = Some(digest(before));
        entry.new = Some(digest(after));
        self.services.audit.record(&entry);
    }
}
