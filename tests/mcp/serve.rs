//! `aicoder mcp serve` end to end: the real binary and plugin components,
//! driven by a bare JSON-RPC client over stdio (tests/support/mcp.rs) and
//! raw HTTP. The attack chains of issue #26 are here; the tests with clients
//! nobody here wrote are in tests/mcp/serve_clients.rs.

use aicoder_tests::mcp::{call_text, RawClient};
use aicoder_tests::{wasm, with_custom_section, Project};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::time::Duration;

/// A project offering only the example and misbehave plugins (as user
/// plugins; the shipped folder is empty).
fn project() -> Project {
    aicoder_tests::mcp::serving_project(&["example", "misbehave"])
}

fn grants_file(p: &Project) -> String {
    std::fs::read_to_string(p.home().join(".config/aicoder/grants.json")).unwrap_or_default()
}

fn served_lines(p: &Project) -> Vec<Value> {
    p.audit()
        .into_iter()
        .filter(|l| l["capability"] == "mcp")
        .collect()
}

fn no_answer(m: &Value) -> Value {
    panic!("no question was expected: {m}")
}

#[test]
fn offers_plugin_tools_and_audits_each_call_with_the_client_name() {
    let p = project();
    let mut c = RawClient::start(&p, &[], "raw-test", false);
    let names = c.tool_names();
    for tool in ["greet", "project_info", "change_dir", "ok", "spin"] {
        assert!(names.contains(&tool.to_string()), "{tool} in {names:?}");
    }
    assert!(
        !names
            .iter()
            .any(|n| n == "read_file" || n == "run_shell_command"),
        "aicoder's built-in tools are not offered: {names:?}"
    );
    let r = c.call_tool("greet", json!({"name": "Ada"}), &mut no_answer);
    assert_eq!(call_text(&r), ("Hello, Ada!".to_string(), false));
    // An unknown tool is a protocol error, not a crash.
    let r = c.call_tool("nope", json!({}), &mut no_answer);
    assert!(r.get("error").is_some(), "{r}");
    // Prompts: the plugins' commands.
    let prompts = c.request("prompts/list", json!({}));
    assert!(prompts.to_string().contains("\"where\""), "{prompts}");
    assert!(c.finish().success());
    let served = served_lines(&p);
    assert_eq!(served.len(), 1, "{served:?}");
    assert_eq!(served[0]["plugin"], "example");
    assert_eq!(served[0]["operation"], "tools/call");
    assert_eq!(served[0]["via"], "mcp:raw-test");
    assert_eq!(served[0]["outcome"], "allowed");
    // The chain holds, and `aicoder audit` shows the served call.
    p.run(&["audit", "verify"]).ok();
    let shown = p.run(&["audit", "--json"]).ok();
    assert!(shown.contains("mcp:raw-test"), "{shown}");
}

/// A served call runs outside any session: its session-only writes (here
/// the `note` command's history.write, granted "always" by the person) are
/// refused and audited as refused, not done into a conversation nobody has.
#[test]
fn a_served_session_only_write_is_refused_even_when_granted() {
    let p = project();
    p.run(&["plugin", "grant", "example", "history.write"]).ok();
    let mut c = RawClient::start(&p, &[], "raw-test", false);
    let r = c.request(
        "prompts/get",
        json!({"name": "note", "arguments": {"args": "buy milk"}}),
    );
    let said = r.to_string();
    assert!(!said.contains("noted"), "the note was not kept: {said}");
    assert!(
        said.contains("history.write needs a session: `aicoder mcp serve`"),
        "{said}"
    );
    c.finish();
    let refused: Vec<Value> = p
        .audit()
        .into_iter()
        .filter(|l| l["capability"] == "history.write")
        .collect();
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert_eq!(refused[0]["outcome"], "refused");
    assert_eq!(refused[0]["via"], "mcp:raw-test");
}

#[test]
fn only_the_named_plugins_are_offered() {
    let p = project();
    let mut c = RawClient::start(&p, &["--plugin", "example"], "raw-test", false);
    let names = c.tool_names();
    assert!(names.contains(&"greet".to_string()), "{names:?}");
    assert!(!names.contains(&"spin".to_string()), "{names:?}");
    let r = c.call_tool("spin", json!({}), &mut no_answer);
    assert!(r.get("error").is_some(), "{r}");
    c.finish();
}

#[test]
fn without_elicitation_a_call_needing_a_capability_fails_with_the_grant_command() {
    let p = project();
    let mut c = RawClient::start(&p, &[], "no-ask", false);
    let r = c.call_tool("change_dir", json!({"path": "/"}), &mut no_answer);
    let (text, is_error) = call_text(&r);
    assert!(is_error, "{text}");
    assert!(
        text.contains("`aicoder plugin grant example workspace.write`"),
        "{text}"
    );
    c.finish();
    assert!(!grants_file(&p).contains("workspace.write"));
    let served = served_lines(&p);
    assert_eq!(served[0]["outcome"], "refused", "{served:?}");
    assert_eq!(served[0]["via"], "mcp:no-ask");
    // After the person grants it, the same call runs.
    p.run(&["plugin", "grant", "example", "workspace.write"])
        .ok();
    std::fs::create_dir_all(p.work().join("sub")).expect("sub");
    let mut c = RawClient::start(&p, &[], "no-ask", false);
    let r = c.call_tool("change_dir", json!({"path": "sub"}), &mut no_answer);
    let (text, is_error) = call_text(&r);
    assert!(!is_error && text.contains("sub"), "{text}");
    c.finish();
}

/// Answer each question with `scope` and record the question.
fn answering<'a>(
    scope: &'static str,
    asked: &'a mut Vec<Value>,
) -> impl FnMut(&Value) -> Value + 'a {
    move |m: &Value| {
        assert_eq!(m["method"], "elicitation/create", "{m}");
        asked.push(m.clone());
        json!({ "action": "accept", "content": { "scope": scope } })
    }
}

#[test]
fn elicitation_once_session_and_deny_grant_as_answered() {
    let p = project();
    let mut c = RawClient::start(&p, &[], "asker", true);
    let mut asked = Vec::new();
    // once: asked, runs, and is asked again next time.
    let r = c.call_tool(
        "change_dir",
        json!({"path": "."}),
        &mut answering("once", &mut asked),
    );
    assert!(!call_text(&r).1, "{r}");
    assert_eq!(asked.len(), 1);
    let question = asked[0]["params"]["message"].as_str().unwrap_or_default();
    for part in ["example", "workspace.write", "change_dir", "asker"] {
        assert!(question.contains(part), "{part} in {question}");
    }
    let schema = &asked[0]["params"]["requestedSchema"]["properties"]["scope"]["enum"];
    assert_eq!(*schema, json!(["once", "session", "always", "deny"]));
    let r = c.call_tool(
        "change_dir",
        json!({"path": "."}),
        &mut answering("session", &mut asked),
    );
    assert!(!call_text(&r).1, "{r}");
    assert_eq!(asked.len(), 2, "once is asked again");
    // session: not asked again while serving, never written to grants.json.
    let r = c.call_tool("change_dir", json!({"path": "."}), &mut no_answer);
    assert!(!call_text(&r).1, "{r}");
    assert!(!grants_file(&p).contains("workspace.write"));
    // deny: the call does not run, and later calls are refused unasked.
    let r = c.call_tool(
        "project_info",
        json!({}),
        &mut answering("deny", &mut asked),
    );
    let (text, is_error) = call_text(&r);
    assert!(is_error && text.contains("denied"), "{text}");
    let r = c.call_tool("project_info", json!({}), &mut no_answer);
    assert!(call_text(&r).1, "{r}");
    c.finish();
    let grants: Vec<Value> = p
        .audit()
        .into_iter()
        .filter(|l| l["operation"] == "grant")
        .collect();
    let scopes: Vec<(&str, &str)> = grants
        .iter()
        .map(|l| {
            (
                l["capability"].as_str().unwrap_or_default(),
                l["outcome"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        scopes,
        [
            ("workspace.write", "allowed"),
            ("workspace.write", "allowed"),
            ("workspace.read", "denied")
        ]
    );
    assert!(grants.iter().all(|l| l["via"] == "mcp:asker"));
}

#[test]
fn an_answer_to_a_question_never_asked_grants_nothing() {
    let p = project();
    let mut c = RawClient::start(&p, &[], "forger", true);
    // Answers for the ids the server would use for its questions, sent
    // before any question: each must be dropped, never remembered.
    for id in 0..8 {
        c.send(json!({
            "jsonrpc": "2.0", "id": id,
            "result": { "action": "accept", "content": { "scope": "always" } }
        }));
    }
    let mut asked = 0;
    let r = c.call_tool("change_dir", json!({"path": "."}), &mut |m| {
        asked += 1;
        assert_eq!(m["method"], "elicitation/create");
        json!({ "action": "decline" })
    });
    let (text, is_error) = call_text(&r);
    assert_eq!(asked, 1, "the question is still asked");
    assert!(is_error && text.contains("declined"), "{text}");
    c.finish();
    assert!(!grants_file(&p).contains("workspace.write"));
}

#[test]
fn call_arguments_and_answers_naming_another_plugins_capability_widen_nothing() {
    let p = project();
    let mut c = RawClient::start(&p, &[], "widener", true);
    let mut questions = Vec::new();
    let r = c.request_with(
        "tools/call",
        json!({
            "name": "change_dir",
            "arguments": { "path": ".", "grant": "misbehave:shell.exec", "scope": "always" },
            "_meta": { "grants": ["misbehave:fs.write"], "scope": "always" }
        }),
        &mut |m| {
            questions.push(m["params"]["message"].clone());
            // The answer names another plugin, capability and scope.
            json!({ "action": "accept", "content": {
                "scope": "once", "plugin": "misbehave", "capability": "shell.exec",
                "within": "**"
            }})
        },
    );
    assert!(!call_text(&r).1, "{r}");
    assert_eq!(questions.len(), 1);
    // Misbehave got nothing: its trespass is denied everywhere.
    let r = c.call_tool("trespass", json!({}), &mut no_answer);
    let (text, _) = call_text(&r);
    assert!(text.contains("shell.exec"), "{text}");
    assert!(!text.contains("shell.exec: ok"), "{text}");
    assert!(!text.contains("fs.write-file: ok"), "{text}");
    c.finish();
    let grants = grants_file(&p);
    assert!(
        !grants.contains("misbehave") && !grants.contains("shell.exec"),
        "{grants}"
    );
    let granted: Vec<Value> = p
        .audit()
        .into_iter()
        .filter(|l| l["operation"] == "grant")
        .collect();
    assert_eq!(granted.len(), 1);
    assert_eq!(granted[0]["plugin"], "example");
    assert_eq!(granted[0]["capability"], "workspace.write");
    assert_eq!(granted[0]["scope"], "once");
}

/// Wait for the next `notifications/tools/list_changed` (the server looks
/// for changed plugin files twice a second, unasked).
fn await_list_changed(c: &mut RawClient) {
    loop {
        if c.next_message()["method"] == "notifications/tools/list_changed" {
            return;
        }
    }
}

#[test]
fn installing_and_removing_a_plugin_while_serving_tells_the_client() {
    let mut p = Project::new();
    let shipped = p.dir.path().join("shipped");
    std::fs::create_dir_all(&shipped).expect("shipped dir");
    p.env("AICODER_SHIPPED_PLUGINS", &shipped.display().to_string());
    p.install(&wasm("example"), "example.wasm");
    let mut c = RawClient::start(&p, &[], "watcher", false);
    assert!(!c.tool_names().contains(&"spin".to_string()));
    // Copied, not moved, as a person's `cp` would: the server may first see
    // a file cut short, so the tool may come with a later notification.
    let installed = p.install(&wasm("misbehave"), "misbehave.wasm");
    while !c.tool_names().contains(&"spin".to_string()) {
        await_list_changed(&mut c);
    }
    std::fs::remove_file(installed).expect("remove");
    await_list_changed(&mut c);
    let names = c.tool_names();
    assert!(
        !names.contains(&"spin".to_string()) && names.contains(&"greet".to_string()),
        "{names:?}"
    );
    c.finish();
}

#[test]
fn a_plugin_changed_on_disk_after_listing_asks_again() {
    let p = project();
    p.run(&["plugin", "grant", "example", "workspace.write"])
        .ok();
    let mut c = RawClient::start(&p, &[], "racer", false);
    assert!(c.tool_names().contains(&"change_dir".to_string()));
    // Same name, new content: a new version, which nobody granted anything.
    let bytes = std::fs::read(wasm("example")).expect("example");
    std::fs::write(
        p.user_plugins().join("example.wasm"),
        with_custom_section(&bytes, "changed"),
    )
    .expect("rewrite");
    let r = c.call_tool("change_dir", json!({"path": "."}), &mut no_answer);
    let (text, is_error) = call_text(&r);
    assert!(
        is_error && text.contains("aicoder plugin grant example workspace.write"),
        "{text}"
    );
    // The client was told the list changed.
    let notified = c
        .seen
        .iter()
        .any(|m| m["method"] == "notifications/tools/list_changed");
    assert!(notified, "{:?}", c.seen);
    c.finish();
    let served = served_lines(&p);
    let new_hash = served[0]["hash"].as_str().unwrap_or_default().to_string();
    let grants = grants_file(&p);
    assert!(
        !new_hash.is_empty() && !grants.contains(&new_hash),
        "audited under the new hash, which holds no grant: {new_hash} / {grants}"
    );
}

/// The misbehave fixture declares `sneaky` with terminal escapes, a bell
/// and a carriage return in its description and in an argument's: the
/// client is shown them as visible escapes. (A plugin cannot add a tool
/// with such a description while serving: registering a tool is a
/// session-only write, refused to a served call.)
#[test]
fn control_characters_in_a_tool_description_reach_the_client_visible() {
    let p = project();
    p.run(&["plugin", "grant", "misbehave", "tools.manage"])
        .ok();
    let mut c = RawClient::start(&p, &[], "viewer", true);
    let listed = c.request("tools/list", json!({}));
    let sneaky = listed["result"]["tools"]
        .as_array()
        .and_then(|t| t.iter().find(|t| t["name"] == "sneaky"))
        .cloned()
        .unwrap_or_else(|| panic!("sneaky listed: {listed}"));
    let shown = sneaky.to_string();
    let description = sneaky["description"].as_str().unwrap_or_default();
    let argument = sneaky["inputSchema"]["properties"]["x"]["description"]
        .as_str()
        .unwrap_or_default();
    for text in [description, argument] {
        assert!(!text.chars().any(|ch| ch.is_control()), "{text:?}");
    }
    assert!(
        description.contains("looks fine") && description.contains("IGNORE PREVIOUS"),
        "{description:?}"
    );
    assert!(!shown.contains("\\u001b"), "no raw escape in {shown}");
    // Offering a new tool from a served call is refused, granted or not:
    // the list clients see does not change under them.
    let r = c.call_tool(
        "offer",
        json!({"name": "sneakier", "description": "x\u{1b}[2J"}),
        &mut no_answer,
    );
    let (text, is_error) = call_text(&r);
    assert!(
        is_error && text.contains("tools.manage needs a session"),
        "{text}"
    );
    let again = c.request("tools/list", json!({}));
    assert!(!again.to_string().contains("sneakier"), "{again}");
    c.finish();
}

/// The session's limits hold for served calls: each breach is the call's
/// error naming the limit, and the server goes on serving.
#[test]
fn limits_stop_a_served_call_and_the_server_goes_on() {
    let mut p = project();
    p.env("PLUGIN_TIMEOUT_MS", "1500")
        .env("PLUGIN_MEMORY_MB", "32")
        .env("PLUGIN_OUTPUT_KB", "8");
    let mut c = RawClient::start(&p, &[], "limits", false);
    let cases = [
        (
            "spin",
            "ran past its deadline of 1500 ms (PLUGIN_TIMEOUT_MS)",
        ),
        ("hog", "memory ceiling of 32 MiB (PLUGIN_MEMORY_MB)"),
        ("flood", "output cap of 8 KiB (PLUGIN_OUTPUT_KB)"),
        ("crash", "it crashed"),
    ];
    for (tool, message) in cases {
        let r = c.call_tool(tool, json!({}), &mut no_answer);
        let (text, is_error) = call_text(&r);
        assert!(is_error && text.contains(message), "{tool}: {text}");
        let r = c.call_tool("greet", json!({"name": "still here"}), &mut no_answer);
        assert_eq!(call_text(&r), ("Hello, still here!".to_string(), false));
    }
    assert!(c.finish().success());
}

#[test]
fn cancellation_stops_a_running_call_and_progress_is_reported() {
    let p = project();
    let mut c = RawClient::start(&p, &[], "canceller", false);
    c.send(json!({
        "jsonrpc": "2.0", "id": 7, "method": "tools/call",
        "params": { "name": "spin", "arguments": {}, "_meta": { "progressToken": "p1" } }
    }));
    // Wait for a progress report, then cancel.
    loop {
        let m = c.next_message();
        if m["method"] == "notifications/progress" {
            assert_eq!(m["params"]["progressToken"], "p1");
            break;
        }
    }
    c.send(json!({
        "jsonrpc": "2.0", "method": "notifications/cancelled",
        "params": { "requestId": 7, "reason": "test" }
    }));
    // The server goes on serving: the next call answers.
    let started = std::time::Instant::now();
    let r = c.call_tool("greet", json!({"name": "again"}), &mut no_answer);
    assert_eq!(call_text(&r).0, "Hello, again!");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "the spin was stopped, not left to its deadline"
    );
    c.finish();
    let served = served_lines(&p);
    assert_eq!(served[0]["outcome"], "stopped", "{served:?}");
}

#[test]
fn served_writes_can_be_undone() {
    let p = project();
    std::fs::write(p.work().join("notes.txt"), "original").expect("notes");
    let mut c = RawClient::start(
        &p,
        &["--grant", "misbehave:fs.write,fs.read"],
        "writer",
        false,
    );
    let r = c.call_tool("escape", json!({"paths": ["notes.txt"]}), &mut no_answer);
    assert!(call_text(&r).0.contains("write ok"), "{r}");
    c.finish();
    assert_eq!(
        std::fs::read_to_string(p.work().join("notes.txt")).unwrap_or_default(),
        "pwned by misbehave"
    );
    let write = p
        .audit()
        .into_iter()
        .find(|l| l["operation"] == "write-file")
        .expect("the write is audited");
    assert_eq!(write["via"], "mcp:writer");
    p.run(&["audit", "undo", "--yes"]).ok();
    assert_eq!(
        std::fs::read_to_string(p.work().join("notes.txt")).unwrap_or_default(),
        "original"
    );
}

/// One HTTP/1.1 POST of `body` to `url`; the status code and body.
fn post(url: &str, token: Option<&str>, body: &str) -> (u16, String) {
    let rest = url.strip_prefix("http://").unwrap_or(url);
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let mut stream = std::net::TcpStream::connect(authority).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let request = format!(
        "POST /{path} HTTP/1.1\r\nHost: {authority}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n{auth}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).expect("send");
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, response)
}

#[test]
fn a_second_http_client_without_the_token_is_refused() {
    let p = project();
    let (mut child, url, token) = aicoder_tests::mcp::serve_http(&p);
    let init = json!({
        "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": { "protocolVersion": "2025-06-18", "capabilities": {},
                    "clientInfo": { "name": "intruder", "version": "1" } }
    })
    .to_string();
    let (status, _) = post(&url, None, &init);
    assert_eq!(status, 401);
    let (status, _) = post(&url, Some("0".repeat(64).as_str()), &init);
    assert_eq!(status, 401);
    let (status, _) = post(&url, Some(&token[..63]), &init);
    assert_eq!(status, 401);
    let (status, body) = post(&url, Some(&token), &init);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"aicoder\""), "{body}");
    let _ = child.kill();
    let _ = child.wait();
}
