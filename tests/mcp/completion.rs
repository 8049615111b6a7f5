//! Tab completes from the registry the session dispatches from, as it stands
//! at the Tab: an MCP server that becomes ready while the prompt waits offers
//! its `/SERVER:PROMPT` at once (the list was once a snapshot taken when the
//! prompt was drawn, so a run-time command never completed there).

#![allow(clippy::unwrap_used)]

use super::common::{hostile, user_servers};
use aicoder_tests::server::ScriptedServer;
use serde_json::json;
use std::time::{Duration, Instant};

#[test]
fn a_prompt_of_a_server_ready_after_the_prompt_was_drawn_completes() {
    let model = ScriptedServer::start(vec![]);
    let p = aicoder_tests::terminal::project(&model);
    // Ready about a second after the session shows its prompt.
    let slow = format!("sleep 1; exec python3 {} ok", hostile());
    user_servers(&p, json!({"h": {"command": "sh", "args": ["-c", slow]}}));
    let mut term = aicoder_tests::terminal::spawn_with(&p, &[]);
    term.send("/h:gr").unwrap();
    // Tab until the server's prompt `greet` completes (never, on a list
    // taken when the prompt was drawn).
    term.set_expect_timeout(Some(Duration::from_millis(250)));
    let until = Instant::now() + Duration::from_secs(20);
    let mut completed = false;
    while !completed && Instant::now() < until {
        term.send("\t").unwrap();
        completed = term.expect("greet").is_ok();
    }
    assert!(completed, "/h:greet never completed at the open prompt");
    // Ctrl-U drops the line; leave.
    term.set_expect_timeout(Some(Duration::from_secs(30)));
    term.send("\x15").unwrap();
    aicoder_tests::terminal::quit(term);
}
