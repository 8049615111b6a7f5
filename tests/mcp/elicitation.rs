//! An MCP server's requests during a call: elicitation asked at the
//! terminal (escapes made visible, bounded) and declined when piped,
//! sampling refused unless the user approves each request, progress on the
//! spinner, and Ctrl-C cancelling the call.

#![allow(clippy::unwrap_used)]

use super::common::{calls, everything, hostile_server, user_servers};
use aicoder_tests::server::{self, answer_text, ScriptedServer};
use aicoder_tests::Project;
use serde_json::{json, Value};

/// The hostile server's `ask` and `sample` in a piped run (YOLO on): the
/// question is declined and the sampling request refused; nothing reaches
/// the model and both are in the audit chain.
#[test]
fn a_piped_run_declines_elicitation_and_refuses_sampling() {
    let model = ScriptedServer::start(calls(
        &[("mcp__h__ask", json!({})), ("mcp__h__sample", json!({}))],
        "done",
    ));
    let mut p = Project::with_model(&model);
    user_servers(&p, json!({"h": hostile_server("ok", "")}));
    p.env("YOLO_MODE", "1");
    let err = p.run_with_stdin(&[], "go\n").stderr();
    let requests = model.requests();
    assert_eq!(requests.len(), 2, "a sampling request reached the model");
    let results = server::tool_results(&requests[1]);
    assert!(results[0].contains(r#""action": "decline""#), "{results:?}");
    assert!(results[1].contains("sampling refused"), "{results:?}");
    assert!(
        err.contains("MCP server h asked the user a question; declined: there is no terminal"),
        "{err}"
    );
    assert!(
        err.contains("refused: each sampling request needs the user's approval"),
        "{err}"
    );
    let audit = p.audit();
    for cap in ["mcp.elicit", "mcp.sample"] {
        assert!(
            audit
                .iter()
                .any(|l| l["capability"] == cap && l["outcome"] == "denied"),
            "{cap}: {audit:?}"
        );
    }
}

/// At a terminal: the hostile server's question is shown with its escapes
/// made visible and cut at 2 KiB, and answered; server-everything's sampling
/// request is sent to the model only once approved (YOLO does not approve
/// it), alone (no conversation, no tools, max tokens bounded); its
/// long-running tool's progress is on the spinner; Ctrl-C cancels a call.
#[test]
fn elicitation_sampling_progress_and_cancel_at_a_terminal() {
    let turn = |list: &[(&str, Value)]| calls(list, "")[0].clone();
    let model = ScriptedServer::start(vec![
        turn(&[
            ("mcp__h__ask", json!({})),
            ("mcp__h__sample", json!({})),
            (
                "mcp__everything__trigger-sampling-request",
                json!({"prompt": "say hi", "maxTokens": 50}),
            ),
            (
                "mcp__everything__trigger-long-running-operation",
                json!({"duration": 1, "steps": 2}),
            ),
        ]),
        answer_text("sampled-words"),
        answer_text("first done"),
        turn(&[(
            "mcp__everything__trigger-long-running-operation",
            json!({"duration": 60, "steps": 60}),
        )]),
        answer_text("second done"),
    ]);
    let mut p = aicoder_tests::terminal::project(&model);
    p.env("YOLO_MODE", "1");
    user_servers(
        &p,
        json!({"h": hostile_server("ok", ""),
               "everything": {"command": "node", "args": [everything(), "stdio"]}}),
    );
    let mut term = aicoder_tests::terminal::spawn(&p);
    term.send_line("go private-conversation-words").unwrap();
    let shown = term.expect("Answer it? [y/N]").unwrap();
    let shown = String::from_utf8_lossy(shown.before()).into_owned();
    assert!(shown.contains("MCP server h asks"), "{shown}");
    assert!(
        !shown.contains("\x1b]0;owned"),
        "a raw escape reached the terminal"
    );
    assert!(shown.contains("^[]0;owned"), "{shown}");
    assert!(shown.contains("(cut at 2 KiB)"), "{shown}");
    term.send_line("y").unwrap();
    term.expect("required): ").unwrap();
    term.send_line("hunter2").unwrap();
    // The hostile sampling request is refused at the question.
    term.expect("Send it to the model").unwrap();
    term.send_line("n").unwrap();
    // server-everything's is approved.
    term.expect("Send it to the model").unwrap();
    term.send_line("y").unwrap();
    term.expect("went to MCP server everything").unwrap();
    term.expect("(1/2)").unwrap();
    term.expect("first done").unwrap();
    term.expect("> ").unwrap();
    term.send_line("again").unwrap();
    term.expect("(2/60)").unwrap();
    term.send(expectrl::ControlCode::EndOfText).unwrap();
    term.expect("> ").unwrap();
    aicoder_tests::terminal::quit(term);

    let requests = model.requests();
    // requests[1] is the approved sampling request: the server's words only.
    let sampling = &requests[1];
    assert!(sampling.get("tools").is_none(), "{sampling}");
    assert_eq!(sampling["max_tokens"], 50);
    let text = sampling.to_string();
    assert!(text.contains("say hi"), "{text}");
    assert!(!text.contains("private-conversation-words"), "{text}");
    let results = server::tool_results(&requests[2]);
    assert!(
        results[0].contains("accept") && results[0].contains("hunter2"),
        "{results:?}"
    );
    assert!(results[1].contains("sampling refused"), "{results:?}");
    assert!(results[2].contains("sampled-words"), "{results:?}");
    assert!(results[3].contains("completed"), "{results:?}");
    let cancelled = p
        .audit()
        .into_iter()
        .rfind(|l| l["capability"] == "mcp.call")
        .unwrap();
    assert!(
        cancelled["detail"].as_str().unwrap().contains("cancel"),
        "{cancelled}"
    );
}
