//! Subagents at a terminal (a real pty): the parent starts three children
//! at once (the server answers none until all three asked); one child's
//! tool call is put to the parent's terminal, labelled, and its capability
//! questions are refused because the parent holds none of them; one child
//! hangs and Ctrl-C stops it; the others' answers come back to the model.

#![allow(clippy::unwrap_used)]

use aicoder_tests::server::{answer_text, finish, tool_call, Reply, ScriptedServer};
use aicoder_tests::{terminal, wasm};
use serde_json::json;
use std::time::Duration;

#[test]
fn three_children_a_refused_grant_and_ctrl_c() {
    let tasks = json!({"tasks": [
        {"prompt": "alpha job"},
        {"prompt": "beta job"},
        {"prompt": "gamma job"}
    ]});
    let together = |then: Reply| Reply::Together {
        count: 3,
        then: Box::new(then),
    };
    let server = ScriptedServer::start_routed(
        vec![
            ("alpha job", vec![together(answer_text("alpha done"))]),
            (
                "beta job",
                vec![
                    together(Reply::Stream(vec![
                        tool_call(0, "p", "project_info", "{}"),
                        finish("tool_calls", 5, 5),
                    ])),
                    answer_text("beta was refused"),
                ],
            ),
            ("gamma job", vec![together(Reply::Hang)]),
        ],
        vec![
            Reply::Stream(vec![
                tool_call(0, "t", "task", &tasks.to_string()),
                finish("tool_calls", 5, 5),
            ]),
            answer_text("not asked: the turn was stopped"),
        ],
    );
    let p = terminal::project(&server);
    p.install(&wasm("example"), "example.wasm");
    let mut term = terminal::spawn(&p);
    term.send_line("split the work").unwrap();
    term.expect("Start 3 subagent(s)").unwrap();
    term.expect("Approve [Y/n]: ").unwrap();
    term.send_line("y").unwrap();
    term.expect("[agent 2] asks to run project_info").unwrap();
    term.expect("[agent 2] Approve [Y/n]: ").unwrap();
    term.send_line("y").unwrap();
    term.expect("[agent 2] example needs workspace.read: refused")
        .unwrap();
    // The status block is redrawn whole at each change. Agent 2's
    // `done (exit 3)` shows only until its end is collected (then `failed:
    // …`), while agent 1's `done (exit 0)` stays in every later block: so
    // agent 2's is looked for first, whichever child ends first.
    term.expect("[agent 2] done (exit 3)").unwrap();
    term.expect("[agent 1] done (exit 0)").unwrap();
    std::thread::sleep(Duration::from_millis(300));
    term.send("\x03").unwrap();
    term.expect("[agent 3] failed: stopped by Ctrl-C").unwrap();
    term.expect("> ").unwrap();
    terminal::quit(term);

    // The model was not asked again (the turn was stopped); the audit
    // lines of the refused child carry the parent's session id.
    let audit = p.audit();
    let child_lines: Vec<_> = audit
        .iter()
        .filter(|l| l["plugin"] == "example" && l["outcome"] == "denied")
        .collect();
    assert!(!child_lines.is_empty(), "{audit:?}");
    let parent = child_lines[0]["parent_session"].as_str().unwrap();
    assert!(p
        .work()
        .join(format!(".aicoder/sessions/{parent}.jsonl"))
        .is_file());
    let sessions = std::fs::read_dir(p.work().join(".aicoder/sessions"))
        .unwrap()
        .count();
    assert_eq!(
        sessions, 4,
        "the parent's and each child's own session file"
    );
}
