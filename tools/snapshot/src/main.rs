//! `aicoder-snapshot COMPONENT.wasm`: pre-initialise a plugin component in
//! place. The component's `wizer-initialize` export runs once here, at build
//! time (python_runtime starts RustPython and runs its prelude), and the
//! component is rewritten with the resulting memory as its initial state, so
//! that instantiating it in a session costs no start-up.
//!
//! The init runs with WASI (no files, no environment) and with every aicoder
//! import trapping: state that lives outside linear memory could not be
//! snapshotted, so the init must not touch the host. A component already
//! snapshotted (it carries the `aicoder-snapshot` custom section) is left as
//! it is, so running this twice is harmless.

use std::future::Future;
use std::path::Path;
use wasmtime::component::{Component, Instance, Linker, ResourceTable};
use wasmtime::error::Context as _;
use wasmtime::{bail, Engine, Result, Store};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};
use wasmtime_wizer::{ComponentInstanceState, Wizer};

/// Marks a snapshotted component.
const MARKER: &str = "aicoder-snapshot";

struct Init {
    wasi: WasiCtx,
    table: ResourceTable,
    /// wasi:http for components that import it (python_runtime's
    /// urllib.request); the initialisation makes no request.
    http: wasmtime_wasi_http::WasiHttpCtx,
}

impl wasmtime_wasi_http::WasiHttpView for Init {
    fn http(&mut self) -> wasmtime_wasi_http::WasiHttpCtxView<'_> {
        wasmtime_wasi_http::WasiHttpCtxView {
            ctx: &mut self.http,
            table: &mut self.table,
            hooks: wasmtime_wasi_http::default_hooks(),
        }
    }
}

impl WasiView for Init {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

/// A clock that always says the same time (the epoch; zero nanoseconds).
struct FixedClock;

impl wasmtime_wasi::HostWallClock for FixedClock {
    fn resolution(&self) -> std::time::Duration {
        std::time::Duration::from_nanos(1)
    }
    fn now(&self) -> std::time::Duration {
        std::time::Duration::ZERO
    }
}

impl wasmtime_wasi::HostMonotonicClock for FixedClock {
    fn resolution(&self) -> u64 {
        1
    }
    fn now(&self) -> u64 {
        0
    }
}

/// Wizer reads the instance's memories and globals through exports it added;
/// this answers those calls with the synchronous wasmtime API.
struct Snapshotting {
    store: Store<Init>,
    instance: Instance,
}

impl Snapshotting {
    fn call<R: wasmtime::component::Lift + 'static>(&mut self, instance: &str, func: &str) -> R {
        let found = (|| -> Result<R> {
            let (_, iface) = self
                .instance
                .get_export(&mut self.store, None, instance)
                .context("no accessor instance")?;
            let (_, index) = self
                .instance
                .get_export(&mut self.store, Some(&iface), func)
                .context("no accessor function")?;
            let f = self
                .instance
                .get_typed_func::<(), (R,)>(&mut self.store, index)?;
            let (value,) = f.call(&mut self.store, ())?;
            Ok(value)
        })();
        // The trait gives no way to fail; an accessor Wizer itself added
        // that cannot be called is a bug in this tool, reported loudly.
        match found {
            Ok(value) => value,
            Err(e) => panic!("snapshot accessor {instance}#{func} failed: {e:#}"),
        }
    }
}

impl ComponentInstanceState for Snapshotting {
    fn call_func_ret_list_u8(
        &mut self,
        instance: &str,
        func: &str,
        contents: impl FnOnce(&[u8]) + Send,
    ) -> impl Future<Output = ()> + Send {
        let bytes: Vec<u8> = self.call(instance, func);
        contents(&bytes);
        std::future::ready(())
    }

    fn call_func_ret_s32(
        &mut self,
        instance: &str,
        func: &str,
    ) -> impl Future<Output = i32> + Send {
        std::future::ready(self.call(instance, func))
    }

    fn call_func_ret_s64(
        &mut self,
        instance: &str,
        func: &str,
    ) -> impl Future<Output = i64> + Send {
        std::future::ready(self.call(instance, func))
    }

    fn call_func_ret_f32(
        &mut self,
        instance: &str,
        func: &str,
    ) -> impl Future<Output = u32> + Send {
        std::future::ready(self.call::<f32>(instance, func).to_bits())
    }

    fn call_func_ret_f64(
        &mut self,
        instance: &str,
        func: &str,
    ) -> impl Future<Output = u64> + Send {
        std::future::ready(self.call::<f64>(instance, func).to_bits())
    }
}

/// Drive a future whose parts are all ready (ours are): one poll.
fn ready<T>(future: impl Future<Output = T>) -> Result<T> {
    let mut future = std::pin::pin!(future);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    match future.as_mut().poll(&mut cx) {
        std::task::Poll::Ready(value) => Ok(value),
        std::task::Poll::Pending => {
            bail!("the snapshot waited on something; nothing here is asynchronous")
        }
    }
}

/// The custom section marking a snapshot, as bytes to append.
fn marker_section() -> Vec<u8> {
    use wasm_encoder::{ComponentSection, Encode};
    let section = wasm_encoder::CustomSection {
        name: MARKER.into(),
        data: (&[][..]).into(),
    };
    let mut bytes = vec![section.id()];
    section.encode(&mut bytes);
    bytes
}

/// Every function of every `aicoder:*` import, defined to fail: the init must
/// not call the host (its effects could not be part of a memory snapshot).
/// (`Linker::define_unknown_imports_as_traps` would also redefine the WASI
/// resources the linker already has, and instantiation then fails.)
fn trap_aicoder_imports(
    engine: &Engine,
    component: &Component,
    linker: &mut Linker<Init>,
) -> Result<()> {
    use wasmtime::component::types::ComponentItem;
    for (name, item) in component.component_type().imports(engine) {
        let ComponentItem::ComponentInstance(instance) = item.ty else {
            continue;
        };
        if !name.starts_with("aicoder:") {
            continue;
        }
        let mut defined = linker.instance(name)?;
        for (func, item) in instance.exports(engine) {
            if let ComponentItem::ComponentFunc(_) = item.ty {
                let what = format!("{name}#{func}");
                defined.func_new(func, move |_, _, _, _| {
                    bail!("{what} was called during the snapshot's initialisation")
                })?;
            }
        }
    }
    Ok(())
}

fn snapshot(wasm: &[u8]) -> Result<Vec<u8>> {
    let mut wizer = Wizer::new();
    // Removing the init export leaves the component lifting a core export
    // that is gone (wasmtime-wizer 48); kept, it is a no-op if called again.
    wizer.keep_init_func(true);
    let (cx, instrumented) = wizer.instrument_component(wasm)?;
    let engine = Engine::default();
    let component = Component::new(&engine, &instrumented).context("compiling the component")?;
    let mut linker = Linker::new(&engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker)?;
    wasmtime_wasi_http::p2::add_only_http_to_linker_sync(&mut linker)?;
    trap_aicoder_imports(&engine, &component, &mut linker)?;
    // Fixed randomness and clocks: the same input gives the same snapshot, so
    // an unchanged plugin keeps its hash (and its grants) across builds.
    // What the init drew from them is frozen in every session: for
    // python_runtime that is the str hash secret (like PYTHONHASHSEED fixed);
    // `random`, `os.urandom` and `time` draw afresh at each call.
    let wasi = WasiCtx::builder()
        .inherit_stderr()
        .secure_random(<rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(1))
        .insecure_random(<rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(2))
        .insecure_random_seed(3)
        .wall_clock(FixedClock)
        .monotonic_clock(FixedClock)
        .build();
    let mut store = Store::new(
        &engine,
        Init {
            wasi,
            table: ResourceTable::new(),
            http: wasmtime_wasi_http::WasiHttpCtx::new(),
        },
    );
    let instance = linker.instantiate(&mut store, &component)?;
    let init = instance
        .get_typed_func::<(), ()>(&mut store, wizer.get_init_func())
        .with_context(|| format!("the component has no `{}` export", wizer.get_init_func()))?;
    init.call(&mut store, ())
        .context("the initialisation trapped (it must not call aicoder imports)")?;
    let mut state = Snapshotting { store, instance };
    let mut out = ready(wizer.snapshot_component(&cx, &mut state))??;
    out.extend_from_slice(&marker_section());
    Ok(out)
}

fn run(path: &Path) -> Result<&'static str> {
    let wasm = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let marker = marker_section();
    if wasm.windows(marker.len()).any(|w| w == marker.as_slice()) {
        return Ok("already snapshotted");
    }
    let out = snapshot(&wasm).with_context(|| format!("snapshotting {}", path.display()))?;
    // Atomically: a build interrupted here leaves the plain component.
    let tmp = path.with_extension("wasm.snapshot-tmp");
    std::fs::write(&tmp, &out)?;
    std::fs::rename(&tmp, path)?;
    Ok("snapshotted")
}

fn main() -> std::process::ExitCode {
    let paths: Vec<std::path::PathBuf> = std::env::args_os().skip(1).map(Into::into).collect();
    if paths.is_empty() {
        eprintln!("usage: aicoder-snapshot COMPONENT.wasm...");
        return std::process::ExitCode::FAILURE;
    }
    for path in &paths {
        match run(path) {
            Ok(what) => eprintln!("aicoder-snapshot: {}: {what}", path.display()),
            Err(e) => {
                eprintln!("aicoder-snapshot: {e:#}");
                return std::process::ExitCode::FAILURE;
            }
        }
    }
    std::process::ExitCode::SUCCESS
}
