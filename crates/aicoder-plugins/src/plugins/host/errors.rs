//! What can go wrong loading or calling a plugin, and how a stopped call is
//! classified: deadline, memory, output or crash (with where it crashed and
//! the tail of what it printed).

use crate::bindings::exports::aicoder::plugin::guest::PluginError;
use crate::config::SandboxLimits;
use crate::plugins::contract::ContractError;
use std::path::PathBuf;
use std::time::Duration;

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
    /// The file of a plugin loaded from the cache changed before its
    /// component was needed: it is no longer what was checked and granted.
    #[error(
        "its file changed on disk since this session loaded it, so it is no longer the component \
         that was checked and granted; `/plugins reload` loads the new version (or restart aicoder)"
    )]
    Changed,
    /// The file of a plugin loaded from the cache is gone.
    #[error(
        "its file was removed since this session loaded it; put it back, or run `/plugins reload` \
         to take the plugin out of the session"
    )]
    Vanished,
    /// Not compiled: the command that loads it does not use it and its
    /// manifest is not known without compiling it (`set_compile_only`).
    #[error("not needed by this command, and not compiled to learn its manifest")]
    NotNeeded,
}

/// How a plugin call was stopped by the sandbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrapKind {
    /// Ran past its wall-clock deadline.
    Deadline(Duration),
    /// The user pressed Ctrl-C while it ran (interactive sessions).
    Stopped,
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
            TrapKind::Stopped => write!(f, "you stopped it (Ctrl-C)"),
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
    #[error("plugin `{plugin}` cannot run ({}): {}", .error.path.display(), .error.reason)]
    Unloadable { plugin: String, error: LoadError },
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
    pub(super) fn from_guest(plugin: &str, err: PluginError) -> Self {
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

pub(super) fn first_line(err: &wasmtime::Error) -> String {
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
pub(super) fn with_guest_output(kind: TrapKind, printed: &str) -> TrapKind {
    match (kind, crate::plugins::sandbox::crash_output_tail(printed)) {
        (TrapKind::Crash(msg), Some(tail)) => {
            let tail = tail.replace('\n', "\n    ");
            TrapKind::Crash(format!(
                "{msg}. It printed:\n    {tail}\n(end of its output)"
            ))
        }
        (kind, _) => kind,
    }
}

/// The ceilings a call's store saw it reach (set by the store's limiter and
/// its capped output), which decide what stopped it.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Hits {
    /// The memory limiter refused a growth.
    pub memory: bool,
    /// A write went past the output cap.
    pub output: bool,
}

/// Why a call stopped: the epoch or the call's timeout (an interrupt), the
/// memory ceiling, the output cap (each known from the store's own flags,
/// never from a message the plugin could also print), or else a crash named
/// by its first line and where in the plugin it was.
pub(super) fn classify(limits: &SandboxLimits, hits: Hits, err: &wasmtime::Error) -> TrapKind {
    if err.downcast_ref::<wasmtime::Trap>() == Some(&wasmtime::Trap::Interrupt) {
        if crate::interrupt::requested() {
            TrapKind::Stopped
        } else {
            TrapKind::Deadline(limits.call_timeout)
        }
    } else if hits.memory {
        TrapKind::Memory(limits.memory_bytes)
    } else if hits.output {
        TrapKind::Output(limits.output_bytes)
    } else {
        match crash_site(err) {
            Some(site) => TrapKind::Crash(format!("{} in `{site}`", first_line(err))),
            None => TrapKind::Crash(first_line(err)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> SandboxLimits {
        SandboxLimits::default()
    }

    const MEMORY: Hits = Hits {
        memory: true,
        output: false,
    };

    #[test]
    fn an_interrupt_is_a_deadline_even_when_memory_was_also_hit() {
        let err: wasmtime::Error = wasmtime::Trap::Interrupt.into();
        assert_eq!(
            classify(&limits(), MEMORY, &err),
            TrapKind::Deadline(limits().call_timeout)
        );
    }

    #[test]
    fn the_limiter_flag_makes_a_memory_stop() {
        let err: wasmtime::Error = wasmtime::Trap::UnreachableCodeReached.into();
        assert_eq!(
            classify(&limits(), MEMORY, &err),
            TrapKind::Memory(limits().memory_bytes)
        );
    }

    #[test]
    fn the_output_cap_and_other_traps_are_told_apart() {
        let capped = wasmtime::Error::msg("write refused");
        let output = Hits {
            output: true,
            ..Hits::default()
        };
        assert_eq!(
            classify(&limits(), output, &capped),
            TrapKind::Output(limits().output_bytes)
        );
        let crash = wasmtime::Error::msg("boom\nsecond line");
        assert_eq!(
            classify(&limits(), Hits::default(), &crash),
            TrapKind::Crash("boom".into())
        );
        // A plugin's own panic text that names the cap is still a crash: the
        // flag decides, not the message.
        let lookalike = wasmtime::Error::msg("output cap of 1 bytes exceeded");
        assert_eq!(
            classify(&limits(), Hits::default(), &lookalike),
            TrapKind::Crash("output cap of 1 bytes exceeded".into())
        );
    }

    #[test]
    fn first_line_joins_the_chain_without_repeats() {
        let err = wasmtime::Error::msg("inner\ndetail")
            .context("outer")
            .context("outer");
        assert_eq!(first_line(&err), "outer: inner");
    }

    #[test]
    fn a_crash_carries_the_tail_of_what_it_printed_and_other_stops_do_not() {
        let crash = with_guest_output(
            TrapKind::Crash("unreachable".into()),
            "panicked at src/lib.rs: oh no\n",
        );
        let TrapKind::Crash(text) = crash else {
            panic!("still a crash")
        };
        assert!(text.starts_with("unreachable. It printed:"), "{text}");
        assert!(text.contains("oh no"), "{text}");
        let deadline = TrapKind::Deadline(Duration::from_secs(1));
        assert_eq!(with_guest_output(deadline.clone(), "anything"), deadline);
    }

    #[test]
    fn guest_errors_keep_their_kind() {
        let err = CallError::from_guest("p", PluginError::InvalidArguments("no name".into()));
        assert!(matches!(
            &err,
            CallError::Plugin { error_kind: "invalid-arguments", message, .. } if message == "invalid arguments: no name"
        ));
        assert_eq!(err.to_string(), "plugin `p`: invalid arguments: no name");
    }

    #[test]
    fn a_changed_or_vanished_file_says_what_happened_and_what_to_do_not_crashed() {
        for (reason, what) in [
            (
                LoadFailure::Changed,
                "changed on disk since this session loaded it",
            ),
            (
                LoadFailure::Vanished,
                "was removed since this session loaded it",
            ),
        ] {
            let err = CallError::Unloadable {
                plugin: "p".into(),
                error: LoadError {
                    path: PathBuf::from("/plugins/p.wasm"),
                    reason,
                },
            };
            let text = err.to_string();
            assert!(
                text.starts_with("plugin `p` cannot run (/plugins/p.wasm): its file"),
                "{text}"
            );
            assert!(text.contains(what), "{text}");
            assert!(text.contains("`/plugins reload`"), "{text}");
            assert!(!text.contains("crash"), "{text}");
        }
    }
}
