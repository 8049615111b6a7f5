//! The session's side of the socket (session/socket_bridge.rs): a queued
//! request run on the session's own thread, as if typed at the prompt. The
//! terminal shows what it was and where it came from; questions it raises
//! (an approval, a trust question) are asked there, never answered by the
//! socket.

use super::commands::Flow;
use super::socket_bridge::{self as bridge, Action, Request};
use super::{socket, Input, Session};
use serde_json::json;

impl Session {
    /// Run one request from the socket; what the loop does next.
    pub(super) fn socket_request(&mut self, request: Request, input: &mut Input) -> Flow {
        let Request { action, reply } = request;
        let answer = |text: String| {
            if let Some(tx) = &reply {
                let _ = tx.send(text);
            }
        };
        match action {
            // /yolo toggles: checked again now, as the request may have
            // waited while the user turned YOLO off (it would turn it on).
            Action::Command(line)
                if line.split_whitespace().next() == Some("/yolo")
                    && !self.state().config.yolo_mode =>
            {
                answer(
                    json!({"status": "error", "code": 1301,
                        "message": "/yolo can turn YOLO mode on only at aicoder's prompt"})
                    .to_string(),
                );
                Flow::Continue
            }
            Action::Command(line) => {
                println!("(socket) {line}");
                let flow = self.command(&line, input);
                let executed = line.split_whitespace().next().unwrap_or("").to_string();
                answer(match flow {
                    Flow::Failed => json!({"status": "error", "code": 1301,
                        "message": format!("{executed} failed (the terminal shows why)")})
                    .to_string(),
                    _ => json!({"status": "success", "data": {"executed": executed,
                        "should_quit": flow == Flow::Quit, "run_api_call": false}})
                    .to_string(),
                });
                flow
            }
            Action::Process => {
                println!("(socket) process");
                socket::set_processing(true);
                let result = self.turn(None, input);
                socket::set_processing(false);
                if let Err(e) = result {
                    eprintln!("aicoder: {e}");
                }
                self.compact_if_full(input);
                Flow::Continue
            }
            Action::Retry => {
                println!("(socket) /retry");
                socket::set_processing(true);
                let flow = self.command("/retry", input);
                socket::set_processing(false);
                flow
            }
            Action::Reset => {
                println!("(socket) reset");
                let flow = self.command("/new", input);
                answer(if flow == Flow::Failed {
                    "ERROR: reset failed (the terminal shows why)".into()
                } else {
                    "OK".into()
                });
                flow
            }
            Action::Compact(percent) => {
                let (before, pruned) = {
                    let mut state = self.state();
                    let before = state.messages.len();
                    (
                        before,
                        bridge::prune_tool_results(&mut state.messages, percent),
                    )
                };
                self.autosave();
                println!("(socket) compact {percent}%: {pruned} old tool result(s) pruned");
                answer(
                    json!({"messages_before": before, "messages_after": before,
                        "tool_results_pruned": pruned})
                    .to_string(),
                );
                Flow::Continue
            }
            Action::Quit => {
                println!("(socket) quit");
                answer("OK".into());
                Flow::Quit
            }
        }
    }

    /// Messages injected on the socket while a turn ran, added at its safe
    /// point (before a request: every tool call has its result).
    pub(super) fn add_injected(&mut self) {
        let injected = bridge::take_injected();
        if injected.is_empty() {
            return;
        }
        let mut state = self.state();
        for text in injected {
            state
                .messages
                .push(crate::state::Message::new("user", text));
        }
        drop(state);
        self.autosave();
    }
}
