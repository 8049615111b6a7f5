//! "always" for an MCP tool narrowed by argument, as shell.exec scopes
//! narrow a command: approved for one argument value, a call with another
//! value is asked about again.

#![allow(clippy::unwrap_used)]

use super::common::{calls, hostile_server, user_servers};
use aicoder_tests::server::{self, answer_text, ScriptedServer};
use serde_json::{json, Value};

#[test]
fn always_narrowed_to_one_argument_value_does_not_approve_another() {
    let turn = |list: &[(&str, Value)]| calls(list, "")[0].clone();
    let model = ScriptedServer::start(vec![
        turn(&[("mcp__h__echo", json!({"text": "a"}))]),
        answer_text("first-done"),
        turn(&[
            ("mcp__h__echo", json!({"text": "a"})),
            ("mcp__h__echo", json!({"text": "b"})),
        ]),
        answer_text("second-done"),
    ]);
    let p = aicoder_tests::terminal::project(&model);
    user_servers(&p, json!({"h": hostile_server("ok", "")}));
    let mut term = aicoder_tests::terminal::spawn(&p);
    term.send_line("one").unwrap();
    term.expect("Approve [Y/n/always]: ").unwrap();
    term.send_line("always").unwrap();
    let offer = term.expect("(default 1): ").unwrap();
    let offer = String::from_utf8_lossy(offer.before()).into_owned();
    assert!(offer.contains("[1] text=a [2] any arguments"), "{offer}");
    term.send_line("1").unwrap();
    term.expect("runs without asking from now on for text=a")
        .unwrap();
    term.expect("first-done").unwrap();
    term.expect("> ").unwrap();
    // echo a runs without asking; echo b is asked about, and refused.
    term.send_line("two").unwrap();
    let asked = term.expect("Approve [Y/n/always]: ").unwrap();
    let asked = String::from_utf8_lossy(asked.before()).into_owned();
    assert!(asked.contains(r#""text": "b""#), "{asked}");
    assert!(
        !asked.contains(r#""text": "a""#),
        "echo a was asked again: {asked}"
    );
    term.send_line("n").unwrap();
    term.expect("second-done").unwrap();
    term.expect("> ").unwrap();
    aicoder_tests::terminal::quit(term);
    // The conversation's results: the first turn's, then a and b.
    let results = server::tool_results(&model.requests()[3]);
    assert!(results[1].contains("echo: a"), "{results:?}");
    assert!(results[2].contains("did not approve"), "{results:?}");
    let grants = std::fs::read_to_string(p.home().join(".config/aicoder/grants.json")).unwrap();
    assert!(grants.contains(r#""args""#), "{grants}");
}
