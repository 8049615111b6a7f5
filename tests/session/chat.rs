//! The terminal session against a local scripted model server: streaming,
//! tool calls, retries, timeouts, piped mode and the session file.

#![allow(clippy::unwrap_used)]

use aicoder_tests::server::{answer_text, finish, text, tool_call, Reply, ScriptedServer};
use aicoder_tests::{wasm, Project};
use serde_json::Value;

fn project(server: &ScriptedServer) -> Project {
    Project::with_model(server)
}

/// The tool messages of a request, as (tool_call_id, content).
fn tool_results(request: &Value) -> Vec<(String, String)> {
    request["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["role"] == "tool")
        .map(|m| {
            (
                m["tool_call_id"].as_str().unwrap().to_string(),
                m["content"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn plain_streamed_answer() {
    let server = ScriptedServer::start(vec![Reply::Stream(vec![
        text("Hello"),
        text(", world"),
        finish("stop", 12, 3),
    ])]);
    let p = project(&server);
    let out = p.run_with_stdin(&[], "say hello\n").ok();
    assert_eq!(out.trim(), "Hello, world");
    let req = &server.requests()[0];
    assert_eq!(req["model"], "scripted");
    assert_eq!(req["stream"], true);
    let roles: Vec<&str> = req["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["system", "user"]);
    assert_eq!(req["messages"][1]["content"], "say hello");
    assert!(req["tools"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["function"]["name"] == "read_file"));
}

#[test]
fn a_tool_call_then_an_answer_and_parallel_calls() {
    let server = ScriptedServer::start(vec![
        Reply::Stream(vec![
            text("Looking."),
            tool_call(0, "call_a", "read_file", r#"{"pa"#),
            tool_call(1, "call_b", "list_directory", "{}"),
            tool_call(0, "", "", r#"th":"notes.txt"}"#),
            finish("tool_calls", 20, 8),
        ]),
        answer_text("The note says hi."),
    ]);
    let p = project(&server);
    std::fs::write(p.work().join("notes.txt"), "hi there\n").unwrap();
    let out = p.run_with_stdin(&[], "what is in notes.txt?\n").ok();
    assert!(out.contains("The note says hi."), "{out}");
    let second = &server.requests()[1];
    let results = tool_results(second);
    assert_eq!(results.len(), 2);
    assert_eq!(results[0], ("call_a".to_string(), "hi there\n".to_string()));
    assert_eq!(results[1].0, "call_b");
    assert!(results[1].1.contains("notes.txt"), "{results:?}");
    let assistant = second["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["role"] == "assistant")
        .unwrap();
    assert_eq!(
        assistant["tool_calls"][0]["function"]["arguments"],
        r#"{"path":"notes.txt"}"#
    );
}

#[test]
fn plugin_tool_call_and_usage_reach_the_plugin() {
    let server = ScriptedServer::start(vec![
        Reply::Stream(vec![
            tool_call(0, "c1", "greet", r#"{"name":"Ann"}"#),
            finish("tool_calls", 30, 4),
        ]),
        Reply::Stream(vec![
            tool_call(0, "c2", "project_info", "{}"),
            finish("tool_calls", 40, 6),
        ]),
        answer_text("done"),
    ]);
    let mut p = project(&server);
    p.install(&wasm("example"), "example.wasm");
    p.env("YOLO_MODE", "1");
    let run = p.run_with_stdin(
        &["--grant", "example:workspace.read,history.read,stats.read"],
        "go\n",
    );
    run.ok();
    let requests = server.requests();
    assert_eq!(tool_results(&requests[1])[0].1, "Hello, Ann!");
    let info = &tool_results(&requests[2])[1].1;
    // Usage of the first two answers was recorded and is visible through stats.read.
    assert!(
        info.contains("tokens sent: 70") && info.contains("tokens received: 10"),
        "{info}"
    );
}

#[test]
fn retries_after_429_and_a_dropped_stream() {
    let server = ScriptedServer::start(vec![
        Reply::Status(429, r#"{"error":"slow down"}"#.into()),
        Reply::Drop(vec![text("partial ")]),
        answer_text("complete answer"),
    ]);
    let p = project(&server);
    let run = p.run_with_stdin(&[], "hi\n");
    let out = run.ok();
    assert!(out.contains("complete answer"), "{out}");
    assert_eq!(server.requests().len(), 3);
    let err = run.stderr();
    assert!(err.contains("429") && err.contains("retry 1"), "{err}");
    assert!(err.contains("retry 2"), "{err}");
}

#[test]
fn gives_up_after_max_retries_with_a_clear_error() {
    let server = ScriptedServer::start(vec![
        Reply::Status(503, "down".into()),
        Reply::Status(503, "down".into()),
    ]);
    let mut p = project(&server);
    p.env("MAX_RETRIES", "1");
    let err = p.run_with_stdin(&[], "hi\n").fails();
    assert!(err.contains("the model API answered 503"), "{err}");
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn malformed_sse_line_is_skipped() {
    let body = format!(
        "data: {}\n\ndata: {{not json\n\ndata: {}\n\ndata: {}\n\ndata: [DONE]\n\n",
        text("one "),
        text("two"),
        finish("stop", 1, 1)
    );
    let server = ScriptedServer::start(vec![Reply::Raw(body)]);
    let run = project(&server).run_with_stdin(&[], "hi\n");
    assert_eq!(run.ok().trim(), "one two");
    assert!(
        run.stderr().contains("skipped a malformed event"),
        "{}",
        run.stderr()
    );
}

#[test]
fn a_server_that_never_answers_hits_the_total_timeout() {
    let server = ScriptedServer::start(vec![Reply::Hang]);
    let mut p = project(&server);
    p.env("TOTAL_TIMEOUT", "1");
    let err = p.run_with_stdin(&[], "hi\n").fails();
    assert!(
        err.contains("did not finish within TOTAL_TIMEOUT (1 s)"),
        "{err}"
    );
}

#[test]
fn bad_tool_calls_go_back_to_the_model_as_errors() {
    let server = ScriptedServer::start(vec![
        Reply::Stream(vec![
            tool_call(0, "x1", "read_file", "{broken"),
            tool_call(1, "x2", "teleport", "{}"),
            tool_call(2, "x3", "read_file", r#"{"file":"a"}"#),
            finish("tool_calls", 1, 1),
        ]),
        answer_text("sorry"),
    ]);
    let p = project(&server);
    assert!(p.run_with_stdin(&[], "hi\n").ok().contains("sorry"));
    let results = tool_results(&server.requests()[1]);
    assert!(results[0].1.contains("not valid JSON"), "{results:?}");
    assert!(
        results[1].1.contains("unknown tool `teleport`"),
        "{results:?}"
    );
    assert!(results[2].1.contains("missing field `path`"), "{results:?}");
}

#[test]
fn piped_yolo_runs_tools_that_need_approval_and_without_yolo_they_are_refused() {
    let write = r#"{"path":"out.txt","content":"written\n"}"#;
    let script = || {
        vec![
            Reply::Stream(vec![
                tool_call(0, "w", "write_file", write),
                finish("tool_calls", 5, 5),
            ]),
            answer_text("ok"),
        ]
    };
    let server = ScriptedServer::start(script());
    let mut p = project(&server);
    p.env("YOLO_MODE", "1");
    p.run_with_stdin(&[], "write it\n").ok();
    assert_eq!(
        std::fs::read_to_string(p.work().join("out.txt")).unwrap(),
        "written\n"
    );
    assert!(tool_results(&server.requests()[1])[0]
        .1
        .contains("wrote out.txt"));

    let server = ScriptedServer::start(script());
    let p = project(&server);
    let run = p.run_with_stdin(&[], "write it\n");
    // Refused for want of a terminal: the run fails (tests/session/walkthrough_defects.rs).
    run.fails();
    assert!(
        !p.work().join("out.txt").exists(),
        "not approved, not written"
    );
    assert!(tool_results(&server.requests()[1])[0]
        .1
        .contains("did not approve"));
    assert!(run.stderr().contains("YOLO_MODE=1"), "{}", run.stderr());
}

#[test]
fn yolo_never_grants_a_plugin_capability() {
    let server = ScriptedServer::start(vec![
        Reply::Stream(vec![
            tool_call(0, "p", "probe", "{}"),
            finish("tool_calls", 1, 1),
        ]),
        answer_text("ok"),
    ]);
    let mut p = project(&server);
    p.install(&wasm("misbehave"), "misbehave.wasm");
    p.env("YOLO_MODE", "1");
    p.run_with_stdin(&["--grant", "misbehave:history.read"], "probe\n")
        .ok();
    assert_eq!(
        tool_results(&server.requests()[1])[0].1,
        "workspace.read: denied; history.read: ok"
    );
}

#[test]
fn no_api_configured_still_runs_commands() {
    let p = Project::new();
    let out = p.run_with_stdin(&[], "/help\n").ok();
    assert!(
        out.contains("/save") && out.contains("Plugin commands"),
        "{out}"
    );
    let err = p.run_with_stdin(&[], "hello\n").fails();
    assert!(err.contains("set API_BASE_URL"), "{err}");
}

#[test]
fn session_save_load_round_trip_and_damaged_file_kept() {
    let server = ScriptedServer::start(vec![answer_text("first answer")]);
    let p = project(&server);
    p.run_with_stdin(&[], "remember this\n").ok();
    // Piped tasks do not save; /save after a load does.
    let saved = p.work().join("s.json");
    let original = serde_json::json!({"version":1,"messages":[{"role":"system","content":"sys"},{"role":"user","content":"u1"},{"role":"assistant","content":"a1"}],"stats":{"api_requests":3,"api_success":3,"api_errors":0,"prompt_tokens":9,"completion_tokens":4,"api_time_ms":1,"tool_calls":0,"tool_errors":0,"messages_sent":1}});
    std::fs::write(&saved, original.to_string()).unwrap();
    p.run_with_stdin(&["--session", "s.json"], "/save copy.json\n")
        .ok();
    let copy: Value =
        serde_json::from_str(&std::fs::read_to_string(p.work().join("copy.json")).unwrap())
            .unwrap();
    assert_eq!(copy["messages"], original["messages"]);
    assert_eq!(copy["stats"]["prompt_tokens"], 9);
    let out = p.run_with_stdin(&[], "/load copy.json\n/stats\n").ok();
    assert!(
        out.contains("loaded 3 messages") && out.contains("tokens sent: 9"),
        "{out}"
    );

    std::fs::write(p.work().join("bad.json"), "{torn").unwrap();
    let err = p
        .run_with_stdin(&["--session", "bad.json"], "/stats\n")
        .fails();
    assert!(
        err.contains("bad.json") && err.contains("left untouched"),
        "{err}"
    );
    let err = p
        .run_with_stdin(&[], "/load bad.json\n/save bad.json\n")
        .fails();
    assert!(err.contains("kept as it is"), "{err}");
    assert_eq!(
        std::fs::read_to_string(p.work().join("bad.json")).unwrap(),
        "{torn"
    );
}

#[test]
fn the_redaction_hook_cleans_requests_only_with_its_grants() {
    let secret = "sk-abcdefghijklmnopqrstuvwx";
    let run = |grant: bool| {
        let server = ScriptedServer::start(vec![answer_text("ok")]);
        let p = project(&server);
        p.install(&wasm("redact_secrets"), "redact_secrets.wasm");
        let args: Vec<&str> = if grant {
            // transform_request needs the history grants as well as
            // hooks.register (tests/security/plugin_powers.rs).
            vec![
                "--grant",
                "redact_secrets:hooks.register,history.read,history.write",
            ]
        } else {
            vec![]
        };
        p.run_with_stdin(&args, &format!("deploy with {secret} please\n"))
            .ok();
        (
            server.requests()[0]["messages"][1]["content"]
                .as_str()
                .unwrap()
                .to_string(),
            p.audit(),
        )
    };
    let (sent, audit) = run(false);
    assert!(sent.contains(secret), "no grant, no hook: {sent}");
    assert!(audit
        .iter()
        .any(|e| e["plugin"] == "redact_secrets" && e["outcome"] == "denied"));
    let (sent, audit) = run(true);
    assert_eq!(sent, "deploy with [REDACTED] please");
    assert!(audit.iter().any(|e| e["plugin"] == "redact_secrets"
        && e["operation"] == "deliver"
        && e["outcome"] == "allowed"));
}

#[test]
fn session_view_shows_the_conversation_read_only() {
    let p = Project::new();
    p.install(&wasm("session_view"), "session_view.wasm");
    let s = serde_json::json!({"version": 1, "messages": [
        {"role": "system", "content": "be brief"}, {"role": "user", "content": "hello there"}]});
    std::fs::write(p.work().join("s.json"), s.to_string()).unwrap();
    let err = p
        .run_with_stdin(&["--session", "s.json"], "/transcript\n")
        .fails();
    assert!(err.contains("permission denied: history.read"), "{err}");
    let out = p
        .run_with_stdin(
            &[
                "--session",
                "s.json",
                "--grant",
                "session_view:history.read",
            ],
            "/transcript\n",
        )
        .ok();
    assert!(
        out.contains("  0 system    be brief\n  1 user      hello there"),
        "{out}"
    );
    let list = p.run(&["plugin", "list"]).ok();
    let line = list
        .lines()
        .find(|l| l.starts_with("session_view"))
        .unwrap();
    assert!(
        line.contains("history.read") && !line.contains("workspace"),
        "its ceiling is history only: {line}"
    );
}
