//! The sandbox one plugin instance runs in: WASI with no preopened
//! directories, no environment, no arguments, no sockets (HTTP only through
//! `wasi:http`, checked per host by `caps::net`) and closed stdin; a
//! memory ceiling; a per-call output cap; and the capability context.

use crate::caps::CapCtx;
use crate::config::SandboxLimits;
use bytes::Bytes;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use wasmtime::component::ResourceTable;
use wasmtime::{Engine, ResourceLimiter, Store};
use wasmtime_wasi::cli::{IsTerminal, StdoutStream};
use wasmtime_wasi::p2::{OutputStream, Pollable, StreamError};
use wasmtime_wasi::{WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};

/// Everything a plugin's store holds.
pub struct StoreData {
    /// The capability context the `aicoder:plugin` imports run against.
    pub caps: CapCtx,
    wasi: WasiCtx,
    table: ResourceTable,
    /// `wasi:http` state; every request goes through `net`'s grant check.
    http: wasmtime_wasi_http::WasiHttpCtx,
    net: crate::caps::NetHooks,
    pub(crate) limiter: MemoryCeiling,
    pub(crate) output: CappedOutput,
}

impl WasiView for StoreData {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl wasmtime_wasi_http::WasiHttpView for StoreData {
    fn http(&mut self) -> wasmtime_wasi_http::WasiHttpCtxView<'_> {
        // The request about to be made is bounded by the running call.
        self.net.deadline = self.caps.deadline;
        wasmtime_wasi_http::WasiHttpCtxView {
            ctx: &mut self.http,
            table: &mut self.table,
            hooks: &mut self.net,
        }
    }
}

/// A store for one plugin instance with the sandbox applied.
pub fn new_store(engine: &Engine, caps: CapCtx, limits: &SandboxLimits) -> Store<StoreData> {
    let output = CappedOutput::new(limits.output_bytes);
    // Defaults already deny network and name lookup; we add no preopens, no env, no args.
    let wasi = WasiCtxBuilder::new()
        .stdout(output.clone())
        .stderr(output.clone())
        .build();
    let net = crate::caps::NetHooks::new(caps.plugin.clone(), caps.services.clone());
    let data = StoreData {
        caps,
        wasi,
        table: ResourceTable::new(),
        http: wasmtime_wasi_http::WasiHttpCtx::new(),
        net,
        limiter: MemoryCeiling {
            max_bytes: limits.memory_bytes,
            hit: false,
        },
        output,
    };
    let mut store = Store::new(engine, data);
    store.limiter(|d| &mut d.limiter);
    store
}

/// Refuses memory growth past the ceiling and remembers that it did, so a
/// resulting trap can be reported as "memory ceiling" rather than a crash.
pub(crate) struct MemoryCeiling {
    max_bytes: usize,
    pub(crate) hit: bool,
}

impl ResourceLimiter for MemoryCeiling {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if desired > self.max_bytes {
            self.hit = true;
            return Ok(false);
        }
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(desired <= 1_000_000)
    }
}

#[derive(Default)]
struct OutputBuffer {
    bytes: Vec<u8>,
    cap: usize,
    overflowed: bool,
}

/// The plugin's stdout and stderr: kept per call up to a cap; writing past the
/// cap traps the call (a flood is a misbehaving plugin, not output).
#[derive(Clone)]
pub(crate) struct CappedOutput(Arc<Mutex<OutputBuffer>>);

impl CappedOutput {
    fn new(cap: usize) -> Self {
        CappedOutput(Arc::new(Mutex::new(OutputBuffer {
            cap,
            ..Default::default()
        })))
    }

    fn lock(&self) -> MutexGuard<'_, OutputBuffer> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Take what the last call printed and start a fresh budget.
    pub(crate) fn take(&self) -> String {
        let mut buf = self.lock();
        let text = String::from_utf8_lossy(&buf.bytes).into_owned();
        buf.bytes.clear();
        buf.overflowed = false;
        text
    }

    /// Whether the current call wrote past the cap (what stopped it, when it
    /// trapped; read before [`CappedOutput::take`] starts a fresh budget).
    pub(crate) fn overflowed(&self) -> bool {
        self.lock().overflowed
    }

    fn push(&self, bytes: &[u8]) -> Result<(), OutputCapExceeded> {
        let mut buf = self.lock();
        if buf.bytes.len() + bytes.len() > buf.cap {
            buf.overflowed = true;
            return Err(OutputCapExceeded { cap: buf.cap });
        }
        buf.bytes.extend_from_slice(bytes);
        Ok(())
    }
}

/// A plugin wrote past its output cap (the call traps; the overflow flag,
/// not these words, tells the host why: plugins/host/errors.rs).
#[derive(Debug, thiserror::Error)]
#[error("output cap of {cap} bytes exceeded")]
pub(crate) struct OutputCapExceeded {
    cap: usize,
}

impl IsTerminal for CappedOutput {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl StdoutStream for CappedOutput {
    fn p2_stream(&self) -> Box<dyn OutputStream> {
        Box::new(self.clone())
    }
    fn async_stream(&self) -> Box<dyn tokio::io::AsyncWrite + Send + Sync> {
        Box::new(self.clone())
    }
}

#[async_trait::async_trait]
impl OutputStream for CappedOutput {
    fn write(&mut self, bytes: Bytes) -> Result<(), StreamError> {
        self.push(&bytes)
            .map_err(|e| StreamError::Trap(wasmtime::format_err!("{e}")))
    }
    fn flush(&mut self) -> Result<(), StreamError> {
        Ok(())
    }
    fn check_write(&mut self) -> Result<usize, StreamError> {
        // Always accept: the cap is enforced in `write`, so the overflow traps
        // with a clear message instead of blocking forever.
        Ok(64 * 1024)
    }
}

#[async_trait::async_trait]
impl Pollable for CappedOutput {
    async fn ready(&mut self) {}
}

impl tokio::io::AsyncWrite for CappedOutput {
    fn poll_write(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Poll::Ready(
            self.push(buf)
                .map(|()| buf.len())
                .map_err(std::io::Error::other),
        )
    }
    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// How much of a crashed plugin's last output is shown and audited.
pub(crate) const CRASH_OUTPUT_TAIL: usize = 2 * 1024;

/// The end of what a plugin printed before it crashed (a Rust panic message,
/// a JavaScript exception and stack, a Python traceback), at most
/// [`CRASH_OUTPUT_TAIL`] bytes, without lines that only describe the runtime's
/// abort machinery. `None` when it printed nothing useful.
pub(crate) fn crash_output_tail(printed: &str) -> Option<String> {
    let noise = [
        "note: run with `RUST_BACKTRACE=1`",
        "Redirecting call to abort() to mozalloc_abort",
    ];
    let kept: Vec<&str> = printed
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty() && !noise.iter().any(|n| l.contains(n)))
        .collect();
    let text = kept.join("\n");
    if text.is_empty() {
        return None;
    }
    if text.len() <= CRASH_OUTPUT_TAIL {
        return Some(text);
    }
    let mut start = text.len() - CRASH_OUTPUT_TAIL;
    while !text.is_char_boundary(start) {
        start += 1;
    }
    // Start at a line when one begins close by, so the tail reads cleanly.
    let from = text[start..]
        .find('\n')
        .filter(|n| *n < 200)
        .map_or(start, |n| start + n + 1);
    Some(format!("…{}", &text[from..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crash_tail_keeps_the_message_and_drops_abort_noise() {
        let printed = "thread '<unnamed>' panicked at src/lib.rs:3:5:\nboom: bad input\n\
                       note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n";
        assert_eq!(
            crash_output_tail(printed).as_deref(),
            Some("thread '<unnamed>' panicked at src/lib.rs:3:5:\nboom: bad input")
        );
        assert_eq!(
            crash_output_tail("\n \nRedirecting call to abort() to mozalloc_abort\n"),
            None
        );
    }

    #[test]
    fn a_crash_tail_is_bounded_and_keeps_the_end() {
        let printed = format!("{}\nlast line é\n", "é".repeat(10_000));
        let tail = crash_output_tail(&printed).expect("some");
        assert!(
            tail.len() <= CRASH_OUTPUT_TAIL + "…".len(),
            "{}",
            tail.len()
        );
        assert!(
            tail.starts_with('…') && tail.ends_with("last line é"),
            "{tail}"
        );
    }
}
