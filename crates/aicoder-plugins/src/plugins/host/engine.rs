//! The engine every plugin runs on and the clock of a call: the epoch
//! ticker, the stack and pooling configuration, the runtime guest calls are
//! driven on, and arming a store with one call's deadline.

use super::PluginHost;
use crate::plugins::sandbox::StoreData;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;
use wasmtime::{Engine, Store};

/// How often the engine's epoch advances; deadlines are counted in these.
pub(super) const EPOCH_TICK: Duration = Duration::from_millis(5);

/// Deepest wasm stack a guest may use (deeper recursion traps cleanly).
/// python_runtime's interpreter spends several native frames per Python
/// call; 4 MiB lets its recursion limit (a RecursionError) come first.
const MAX_WASM_STACK: usize = 4 << 20;

/// The stack a call runs on (a fiber, kept by the store between calls): the
/// guest's wasm stack plus room for the host functions it calls, which ran on
/// the main thread's 8 MiB stack when calls were synchronous. Only the pages
/// touched are ever backed by memory.
const CALL_STACK: usize = MAX_WASM_STACK + (8 << 20);

/// One call into a guest: a future borrowing the plugin's instance.
pub(super) type GuestCall<'a, R> = Pin<Box<dyn Future<Output = wasmtime::Result<R>> + Send + 'a>>;

/// The current-thread runtime guest calls are driven on. It is shut down
/// without waiting when dropped: a host may be dropped from async code, where
/// tokio refuses a blocking shutdown, and none of its work outlives a call.
pub(super) struct GuestRuntime(std::mem::ManuallyDrop<tokio::runtime::Runtime>);

impl GuestRuntime {
    pub(super) fn new() -> std::io::Result<Self> {
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

impl PluginHost {
    /// Give the store a fresh deadline and output budget for one call;
    /// returns the deadline.
    pub(super) fn arm(&self, store: &mut Store<StoreData>) -> Duration {
        let timeout = self.services.limits.call_timeout;
        // Checked at every epoch tick: the call's deadline, and Ctrl-C
        // (crate::interrupt), which stops a running plugin at the next tick.
        let ends = std::time::Instant::now() + timeout;
        store.set_epoch_deadline(1);
        store.epoch_deadline_callback(move |_| {
            if crate::interrupt::requested() || std::time::Instant::now() >= ends {
                Err(wasmtime::Trap::Interrupt.into())
            } else {
                Ok(wasmtime::UpdateDeadline::Continue(1))
            }
        });
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
    pub(super) fn finish<R: Send>(
        &self,
        timeout: Duration,
        call: GuestCall<'_, R>,
    ) -> wasmtime::Result<R> {
        let bounded = async move {
            // A call waiting in a WASI sleep or poll runs no wasm, so the
            // epoch cannot stop it: Ctrl-C is polled here as well.
            let ctrl_c = async {
                while !crate::interrupt::requested() {
                    tokio::time::sleep(EPOCH_TICK).await;
                }
            };
            tokio::select! {
                result = tokio::time::timeout(timeout, call) => match result {
                    Ok(result) => result,
                    Err(_elapsed) => Err(wasmtime::Trap::Interrupt.into()),
                },
                () = ctrl_c => Err(wasmtime::Trap::Interrupt.into()),
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_epoch_advances_while_the_engine_lives() {
        let engine = new_engine().expect("engine");
        let mut store = Store::new(&engine, ());
        store.set_epoch_deadline(1);
        // A store whose deadline is one tick away traps once the ticker
        // has advanced the epoch: run a loop that only the epoch can stop.
        // (module (func (export "spin") (loop (br 0))))
        let spin_module: &[u8] = &[
            0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // header
            0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type () -> ()
            0x03, 0x02, 0x01, 0x00, // one function of that type
            0x07, 0x08, 0x01, 0x04, b's', b'p', b'i', b'n', 0x00, 0x00, // export
            0x0a, 0x09, 0x01, 0x07, 0x00, 0x03, 0x40, 0x0c, 0x00, 0x0b, 0x0b, // loop br 0
        ];
        let module = wasmtime::Module::new(&engine, spin_module).expect("module");
        let instance = wasmtime::Instance::new(&mut store, &module, &[]).expect("instance");
        let spin = instance
            .get_typed_func::<(), ()>(&mut store, "spin")
            .expect("spin");
        let err = spin.call(&mut store, ()).expect_err("stopped by the epoch");
        assert_eq!(
            err.downcast_ref::<wasmtime::Trap>(),
            Some(&wasmtime::Trap::Interrupt)
        );
    }
}
