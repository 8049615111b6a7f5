//! Ctrl-C while a tool runs. The terminal sends SIGINT to aicoder (a shell
//! command runs in a process group of its own and gets nothing); the handler
//! only raises a flag, which the shell runner polls (and then kills the
//! command's whole group) and the chat turn reads after each tool call.
//! A streaming answer is cancelled by tokio's own Ctrl-C future, which is
//! registered alongside (both run on every SIGINT).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Once;

/// Raised by SIGINT; lowered before each tool call.
static STOP: AtomicBool = AtomicBool::new(false);
static INSTALL: Once = Once::new();

/// Catch SIGINT from now on (interactive sessions only: a piped run keeps the
/// default, Ctrl-C ends it).
pub fn install() {
    INSTALL.call_once(|| {
        // SAFETY: the action only stores to an atomic, which is
        // async-signal-safe.
        let registered = unsafe {
            signal_hook_registry::register(libc::SIGINT, || STOP.store(true, Ordering::SeqCst))
        };
        if let Err(err) = registered {
            eprintln!("aicoder: Ctrl-C cannot stop running tools ({err})");
        }
    });
}

/// The flag a long wait polls to give up early (the shell runner's `stop`).
pub fn flag() -> &'static AtomicBool {
    &STOP
}

/// Forget an earlier Ctrl-C (before a tool call starts).
pub fn clear() {
    STOP.store(false, Ordering::SeqCst);
}

/// Whether Ctrl-C was pressed since the last [`clear`].
pub fn requested() -> bool {
    STOP.load(Ordering::SeqCst)
}
