//! Between the socket's threads and the session's own thread: what the
//! socket asks for that only the session can do (run a slash command, a
//! turn, /retry, /new, a pruning compaction, quit) waits in a queue the
//! session loop takes from; injected messages go straight into the
//! conversation when the session waits at its prompt, else they wait for the
//! next safe point of the turn (before its next request: never between a
//! tool call and its result).
//!
//! The session's thread is usually blocked in the line editor; a request
//! queued then wakes it with SIGINT, which the editor reads as Ctrl-C (the
//! line being typed is dropped, as Ctrl-C drops it).

use crate::state::Message;
use std::collections::VecDeque;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Mutex, MutexGuard};

/// What only the session's thread can do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Action {
    /// A slash command line (already checked against what the socket may run).
    Command(String),
    /// A turn over the conversation as it stands.
    Process,
    /// /retry.
    Retry,
    /// /new: the conversation starts over (system prompt kept).
    Reset,
    /// Prune this percentage of the oldest tool results.
    Compact(u8),
    /// Leave the session.
    Quit,
}

/// One queued action and where its reply line goes.
pub(crate) struct Request {
    pub action: Action,
    /// Gets the reply line; `None` when the socket already answered.
    pub reply: Option<Sender<String>>,
}

/// How the session takes requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Mode {
    /// No session loop takes requests (before it starts, or a piped run,
    /// whose commands come from its standard input).
    #[default]
    Closed,
    /// An interactive session with its prompt.
    Interactive,
}

#[derive(Default)]
struct Bridge {
    mode: Mode,
    queue: VecDeque<Request>,
    /// The session's thread is blocked at its `> ` prompt.
    at_prompt: bool,
    /// Injected while a turn runs: added before its next request.
    injected: Vec<String>,
}

static BRIDGE: Mutex<Bridge> = Mutex::new(Bridge {
    mode: Mode::Closed,
    queue: VecDeque::new(),
    at_prompt: false,
    injected: Vec::new(),
});

fn bridge() -> MutexGuard<'static, Bridge> {
    // A panic while holding it left plain data: go on with it.
    BRIDGE.lock().unwrap_or_else(|p| p.into_inner())
}

/// The session loop takes requests from now on (`Interactive`) or not.
pub(crate) fn set_mode(mode: Mode) {
    if mode == Mode::Interactive {
        interrupt_blocking_reads();
    }
    bridge().mode = mode;
}

/// SIGINT's handler (signal-hook's, which calls the line editor's after
/// its own) was installed with SA_RESTART, so the editor's blocking read of
/// the terminal would resume and never see the signal that wakes it: drop
/// the flag. (Ctrl-C typed at the prompt is a key in raw mode, not a
/// signal; std and tokio retry reads interrupted elsewhere.)
fn interrupt_blocking_reads() {
    // SAFETY: sigaction reads and writes the action of SIGINT through
    // valid pointers to a zeroed sigaction; the handler is kept as it is.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        if libc::sigaction(libc::SIGINT, std::ptr::null(), &mut action) == 0
            && action.sa_flags & libc::SA_RESTART != 0
        {
            action.sa_flags &= !libc::SA_RESTART;
            libc::sigaction(libc::SIGINT, &action, std::ptr::null_mut());
        }
    }
}

/// Whether an interactive session takes requests.
pub(crate) fn mode() -> Mode {
    bridge().mode
}

/// Why a request for the session's thread is refused in a piped run.
pub(crate) const PIPED: &str = "not in a piped run: its commands come from its standard input \
     (the queries, stop, inject and inject-text work)";

/// Queue `action`; the receiver gets the reply line when `wait_reply`.
/// Refused (the reply) when no session loop takes requests.
pub(crate) fn submit(action: Action, wait_reply: bool) -> Result<Option<Receiver<String>>, String> {
    let mut b = bridge();
    if b.mode != Mode::Interactive {
        return Err(PIPED.into());
    }
    let (tx, rx) = channel();
    b.queue.push_back(Request {
        action,
        reply: wait_reply.then_some(tx),
    });
    if b.at_prompt {
        wake();
    }
    Ok(wait_reply.then_some(rx))
}

/// Wake the session's thread out of the line editor.
fn wake() {
    // SAFETY: kill with our own pid and a standard signal; the editor's
    // handler and crate::interrupt's only write a byte / store a flag.
    unsafe { libc::kill(libc::getpid(), libc::SIGINT) };
}

/// The session loop, before its prompt: the next queued request, or `None`
/// and the loop is marked as waiting at the prompt (one lock: a request
/// queued after this sees the mark and wakes the prompt).
pub(crate) fn next_or_prompt() -> Option<Request> {
    let mut b = bridge();
    match b.queue.pop_front() {
        Some(request) => Some(request),
        None => {
            b.at_prompt = true;
            None
        }
    }
}

/// The session loop left its prompt: from now on injected messages wait.
pub(crate) fn left_prompt() {
    bridge().at_prompt = false;
}

/// Add `text` as a user message: now if the session waits at its prompt,
/// else before the running turn's next request. True when added now.
pub(crate) fn inject(text: String, services: &crate::caps::Services) -> bool {
    let mut b = bridge();
    if b.at_prompt {
        // The session's thread is in the line editor and cannot leave it
        // without this lock (left_prompt): the conversation is at rest.
        services.state().messages.push(Message::new("user", text));
        true
    } else {
        b.injected.push(text);
        false
    }
}

/// Messages injected during a turn, taken at its safe point.
pub(crate) fn take_injected() -> Vec<String> {
    std::mem::take(&mut bridge().injected)
}

/// Replace the content of the oldest `percent`% of tool results (those not
/// pruned already) with a note; how many were pruned.
pub(crate) fn prune_tool_results(messages: &mut [Message], percent: u8) -> usize {
    const PRUNED: &str = "[tool result pruned by compact]";
    let results: Vec<usize> = messages
        .iter()
        .enumerate()
        .filter(|(_, m)| m.role == "tool" && m.content != PRUNED)
        .map(|(i, _)| i)
        .collect();
    let n = results.len() * usize::from(percent.min(100)) / 100;
    for &i in results.iter().take(n) {
        if let Some(m) = messages.get_mut(i) {
            m.content = PRUNED.into();
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pruning_takes_the_oldest_results_first() {
        let mut messages: Vec<Message> = (0..4)
            .map(|i| Message::new("tool", format!("result {i}")))
            .collect();
        messages.insert(0, Message::new("user", "u"));
        assert_eq!(prune_tool_results(&mut messages, 50), 2);
        assert_eq!(messages[0].content, "u");
        assert!(messages[1].content.contains("pruned"));
        assert!(messages[2].content.contains("pruned"));
        assert_eq!(messages[3].content, "result 2");
        // Already pruned ones are not counted again.
        assert_eq!(prune_tool_results(&mut messages, 100), 2);
        assert_eq!(prune_tool_results(&mut messages, 100), 0);
    }
}
