//! The wall-clock deadline of one plugin call, as the host functions see it.
//!
//! The host enforces a call's deadline in two places (see `plugins/host.rs`): wasm code
//! is interrupted by the engine's epoch, and a call parked in an asynchronous
//! WASI wait (a sleep, a poll) is dropped by a timer. A synchronous host
//! function that waits on the outside world (`shell.exec`) is neither: it reads
//! its bound from here, and marks the call when the deadline is what ended its
//! wait, so the host stops the call as a deadline stop.

use std::time::{Duration, Instant};

/// The deadline of the call a plugin instance is running, if any.
#[derive(Debug, Clone, Copy, Default)]
pub struct CallDeadline {
    at: Option<Instant>,
    hit: bool,
}

impl CallDeadline {
    /// Start a call that must end within `timeout` from now.
    pub fn start(&mut self, timeout: Duration) {
        self.at = Instant::now().checked_add(timeout);
        self.hit = false;
    }

    /// How long the call has left; `None` outside a call (or with no limit).
    pub fn remaining(&self) -> Option<Duration> {
        self.at
            .map(|at| at.saturating_duration_since(Instant::now()))
    }

    /// Bound a host-side wait of `wait` by what the call has left. Returns the
    /// bound and whether it is the call's deadline (not `wait`) that sets it.
    pub fn bound(&self, wait: Duration) -> (Duration, bool) {
        match self.remaining() {
            Some(left) if left < wait => (left, true),
            _ => (wait, false),
        }
    }

    /// Record that a host function gave up because the deadline came: the
    /// host then stops the call, whatever the plugin does next.
    pub fn mark_hit(&mut self) {
        self.hit = true;
    }

    /// Whether a host function ran into the deadline during this call.
    pub fn hit(&self) -> bool {
        self.hit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wait_is_bounded_by_what_the_call_has_left() {
        let mut deadline = CallDeadline::default();
        assert_eq!(
            deadline.bound(Duration::from_secs(5)),
            (Duration::from_secs(5), false),
            "outside a call, a wait keeps its own bound"
        );
        deadline.start(Duration::from_millis(200));
        let (bound, by_deadline) = deadline.bound(Duration::from_secs(3600));
        assert!(by_deadline && bound <= Duration::from_millis(200));
        assert_eq!(
            deadline.bound(Duration::from_millis(1)),
            (Duration::from_millis(1), false)
        );
        deadline.mark_hit();
        assert!(deadline.hit());
        deadline.start(Duration::from_secs(1));
        assert!(!deadline.hit(), "each call starts unmarked");
    }
}
