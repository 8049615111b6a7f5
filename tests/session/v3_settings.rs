//! A v3 user's settings through the real binary against the scripted server:
//! every v3 name honoured or reported at start; the model parameters,
//! thinking, headers, retries, key rotation and empty-answer retry as the
//! server received them; answers as servers really send them (one JSON
//! body to a streaming request, in both APIs); cost and cache in /stats.

#![allow(clippy::unwrap_used)]

use aicoder::config::{V3Status, V3_SETTINGS};
use aicoder_tests::server::{answer_text, anthropic_stream, finish, text, Reply, ScriptedServer};
use aicoder_tests::Project;
use serde_json::{json, Value};

const NOTICE: &str = "(an AI Coder v3 setting) is not used by aicoder";

fn fixture_names() -> Vec<String> {
    let text =
        std::fs::read_to_string(aicoder_tests::root().join("tests/fixtures/v3_settings.txt"))
            .unwrap();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect()
}

#[test]
fn every_v3_name_is_honoured_or_reported_once_naming_the_replacement() {
    let names = fixture_names();
    assert_eq!(names.len(), 66, "v3 fd05785 reads 66 names");
    let mut p = Project::new();
    p.env("AICODER_PROBE_PORTS", "off");
    for name in &names {
        let status = V3_SETTINGS
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| *s)
            .unwrap_or_else(|| panic!("{name} is neither honoured nor reported"));
        // Every reported name is set; of the rest, those safe to set here.
        if matches!(status, V3Status::Replaced(_)) {
            p.env(name, "1");
        }
    }
    for (name, value) in [
        ("TOP_P", "0.9"),
        ("THINKING", "on"),
        ("REASONING_EFFORT", "high"),
        ("AICODER_STREAM", "0"),
        ("MAX_BACKOFF_SECONDS", "3"),
        ("TOTAL_TIMEOUT_EXTENSION", "5"),
        ("AICODER_REASONING_FIELD", "reasoning"),
        ("TMUX_PANE", "%1"),
    ] {
        p.env(name, value);
    }
    let run = p.run_with_stdin(&[], "/help\n");
    run.ok();
    let err = run.stderr();
    for (name, status) in V3_SETTINGS {
        let lines: Vec<&str> = err
            .lines()
            .filter(|l| l.contains(&format!(" {name} {NOTICE}")))
            .collect();
        match status {
            V3Status::Replaced(instead) => {
                assert_eq!(lines.len(), 1, "{name} reported once:\n{err}");
                assert!(lines[0].contains(instead), "{}", lines[0]);
            }
            _ => assert!(lines.is_empty(), "{name} is honoured:\n{err}"),
        }
    }
}

#[test]
fn a_reported_name_in_a_config_file_is_reported_not_called_unknown() {
    let mut p = Project::new();
    p.env("AICODER_PROBE_PORTS", "off");
    let file = p.home().join(".config/aicoder/config.toml");
    std::fs::write(&file, "DETAIL = 1\nTOP_P = 0.5\n").unwrap();
    let err = p.run_with_stdin(&[], "/help\n").stderr();
    assert!(err.contains(&format!("DETAIL {NOTICE}")), "{err}");
    assert!(!err.contains("unknown setting"), "{err}");
}

fn ask(p: &Project) -> String {
    p.run_with_stdin(&[], "hello\n").ok()
}

#[test]
fn model_parameters_thinking_and_headers_reach_the_request_as_v3_sends_them() {
    let server = ScriptedServer::start(vec![answer_text("ok")]);
    let mut p = Project::with_model(&server);
    p.env("API_MODEL", "deepseek-chat")
        .env("TOP_P", "0.9")
        .env("TOP_K", "40")
        .env("FREQUENCY_PENALTY", "0.5")
        .env("PRESENCE_PENALTY", "0.25")
        .env("REPETITION_PENALTY", "1.1")
        .env("MAX_TOKENS", "1000")
        .env("THINKING", "on")
        .env("THINKING_BUDGET_TOKENS", "2048")
        .env("REASONING_EFFORT", "High")
        .env(
            "AICODER_HTTP_HEADERS",
            "X-Team: blue\nHTTP-Referer: https://example.org/a:b\n",
        );
    assert!(ask(&p).contains("ok"));
    let body = &server.requests()[0];
    assert_eq!(body["top_p"], 0.9);
    assert_eq!(body["top_k"], 40);
    assert_eq!(body["frequency_penalty"], 0.5);
    assert_eq!(body["presence_penalty"], 0.25);
    assert_eq!(body["repetition_penalty"], 1.1);
    assert_eq!(body["max_tokens"], 1000);
    assert_eq!(
        body["thinking"],
        json!({"type": "enabled", "budget_tokens": 2048})
    );
    assert_eq!(body["reasoning_effort"], "high");
    assert_eq!(body["stream"], true);
    let head = &server.heads()[0];
    assert_eq!(head.header("x-team"), Some("blue"));
    assert_eq!(head.header("http-referer"), Some("https://example.org/a:b"));
    assert_eq!(head.header("authorization"), Some("Bearer test-key"));
}

#[test]
fn the_effort_goes_under_the_configured_field_and_headers_replace_aicoders() {
    let server = ScriptedServer::start(vec![answer_text("ok")]);
    let mut p = Project::with_model(&server);
    p.env("THINKING", "1")
        .env("REASONING_EFFORT", "low")
        .env("AICODER_REASONING_FIELD", "reasoningEffort")
        .env("AICODER_HTTP_HEADERS", "Authorization: Bearer from-headers");
    ask(&p);
    let body = &server.requests()[0];
    assert_eq!(body["reasoningEffort"], "low");
    assert!(body.get("reasoning_effort").is_none(), "{body}");
    let auth: Vec<_> = server.heads()[0]
        .headers
        .iter()
        .filter(|(k, _)| k == "authorization")
        .map(|(_, v)| v.clone())
        .collect();
    assert_eq!(auth, ["Bearer from-headers"]);
}

#[test]
fn anthropic_gets_thinking_sampling_and_cache_control_and_keeps_thinking_blocks() {
    let tool_turn = anthropic_stream(&[
        json!({"type":"message_start","message":{"usage":{"input_tokens":10,"cache_creation_input_tokens":900,"output_tokens":1}}}),
        json!({"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}}),
        json!({"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"I should list."}}),
        json!({"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"sig-1"}}),
        json!({"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_9","name":"list_directory","input":{}}}),
        json!({"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"path\":\".\"}"}}),
        json!({"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":5}}),
        json!({"type":"message_stop"}),
    ]);
    let done = anthropic_stream(&[
        json!({"type":"message_start","message":{"usage":{"input_tokens":20,"cache_read_input_tokens":900,"output_tokens":1}}}),
        json!({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}),
        json!({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"listed"}}),
        json!({"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":3}}),
        json!({"type":"message_stop"}),
    ]);
    let server = ScriptedServer::start(vec![tool_turn, done]);
    let mut p = Project::with_model(&server);
    p.env("API_PROVIDER", "anthropic")
        .env("API_MODEL", "claude-sonnet-4-5")
        .env("YOLO_MODE", "1")
        .env("THINKING", "on")
        .env("THINKING_BUDGET_TOKENS", "10000")
        .env("TOP_P", "0.95")
        .env("TOP_K", "20");
    let run = p.run_with_stdin(&[], "list the files\n");
    let out = run.ok();
    assert!(out.contains("I should list."), "reasoning shown: {out}");
    assert!(out.contains("listed"), "{out}");
    let requests = server.requests();
    let first = &requests[0];
    assert_eq!(
        first["thinking"],
        json!({"type": "enabled", "budget_tokens": 10000})
    );
    assert!(first["max_tokens"].as_u64().unwrap() > 10000, "{first}");
    assert!(first.get("temperature").is_none(), "{first}");
    assert_eq!(
        (first["top_p"].clone(), first["top_k"].clone()),
        (json!(0.95), json!(20))
    );
    let ephemeral = json!({"type": "ephemeral"});
    assert_eq!(
        first["system"][0]["cache_control"], ephemeral,
        "{}",
        first["system"]
    );
    let tools = first["tools"].as_array().unwrap();
    assert_eq!(tools.last().unwrap()["cache_control"], ephemeral);
    assert!(tools[0].get("cache_control").is_none() || tools.len() == 1);
    let newest = first["messages"].as_array().unwrap().last().unwrap();
    assert_eq!(
        newest["content"].as_array().unwrap().last().unwrap()["cache_control"],
        ephemeral
    );
    // The second request sends the signed thinking block back before the
    // tool_use, and marks only the newest turn.
    let second = &requests[1];
    let messages = second["messages"].as_array().unwrap();
    let assistant = &messages[messages.len() - 2];
    assert_eq!(
        assistant["content"][0],
        json!({"type":"thinking","thinking":"I should list.","signature":"sig-1"}),
        "{assistant}"
    );
    assert_eq!(assistant["content"][1]["type"], "tool_use");
    let marked = messages
        .iter()
        .flat_map(|m| m["content"].as_array().unwrap())
        .filter(|b| b.get("cache_control").is_some())
        .count();
    assert_eq!(marked, 1, "{second}");
    // Cache tokens and the estimated cost, resumed into /stats.
    let stats = p.run_with_stdin(&["--resume"], "/stats\n").ok();
    assert!(
        stats.contains("cache: 900 tokens read, 900 written"),
        "{stats}"
    );
    // sonnet-4: (10+20) × 3 + 900 × 3.75 + 900 × 0.3 + (5+3) × 15 = 3855 per million
    assert!(stats.contains("estimated cost: $0.0039"), "{stats}");
}

#[test]
fn prompt_caching_can_be_turned_off() {
    let server = ScriptedServer::start(vec![anthropic_stream(&[
        json!({"type":"content_block_start","index":0,"content_block":{"type":"text","text":"hi"}}),
        json!({"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":1}}),
        json!({"type":"message_stop"}),
    ])]);
    let mut p = Project::with_model(&server);
    p.env("API_PROVIDER", "anthropic")
        .env("AICODER_PROMPT_CACHE", "0");
    ask(&p);
    let body = server.requests()[0].to_string();
    assert!(!body.contains("cache_control"), "{body}");
}

#[test]
fn reasoning_is_shown_dimmed_from_the_configured_fields_or_hidden() {
    let reasoning = |field: &str| {
        Reply::Stream(vec![
            json!({"choices":[{"index":0,"delta":{field: "weighing options"}}]}),
            text("the answer"),
            finish("stop", 3, 2),
        ])
    };
    let server = ScriptedServer::start(vec![
        reasoning("reasoning_content"),
        reasoning("reasoning_content"),
        reasoning("my_field"),
    ]);
    let p = Project::with_model(&server);
    let out = ask(&p);
    assert!(
        out.contains("weighing options") && out.contains("the answer"),
        "{out}"
    );
    let mut hidden = Project::with_model(&server);
    hidden.env("AICODER_SHOW_REASONING", "0");
    let out = ask(&hidden);
    assert!(
        !out.contains("weighing options") && out.contains("the answer"),
        "{out}"
    );
    let mut custom = Project::with_model(&server);
    custom.env("AICODER_REASONING_FIELD", "my_field");
    assert!(ask(&custom).contains("weighing options"));
}

#[test]
fn retry_codes_and_backoff_cap_are_honoured() {
    let server = ScriptedServer::start(vec![
        Reply::Status(502, "bad gateway".into()),
        answer_text("after the retry"),
        Reply::Status(503, "unavailable".into()),
    ]);
    let mut p = Project::with_model(&server);
    p.env("AICODER_RETRY_STATUS_CODES", "429,502")
        .env("MAX_BACKOFF_SECONDS", "0");
    let run = p.run_with_stdin(&[], "hello\n");
    assert!(run.ok().contains("after the retry"));
    assert!(run.stderr().contains("retry 1 in 0 ms"), "{}", run.stderr());
    // 503 is not in the list: one request, no retry.
    let err = p.run_with_stdin(&[], "again\n").fails();
    assert!(err.contains("503"), "{err}");
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn several_keys_rotate_on_429() {
    let server = ScriptedServer::start(vec![
        Reply::Status(429, "{\"error\":\"rate limited\"}".into()),
        Reply::Status(429, "{\"error\":\"rate limited\"}".into()),
        answer_text("third key worked"),
    ]);
    let mut p = Project::with_model(&server);
    p.env("API_KEY", "key-one___key-two___key-three")
        .env("MAX_BACKOFF_SECONDS", "0");
    let run = p.run_with_stdin(&[], "hello\n");
    assert!(run.ok().contains("third key worked"));
    let keys: Vec<_> = server
        .heads()
        .iter()
        .map(|h| h.header("authorization").unwrap().to_string())
        .collect();
    assert_eq!(
        keys,
        ["Bearer key-one", "Bearer key-two", "Bearer key-three"]
    );
    assert!(
        run.stderr().contains("switching to API key 2 of 3"),
        "{}",
        run.stderr()
    );
}

#[test]
fn an_empty_answer_is_asked_again_after_a_pause_with_a_message() {
    let server = ScriptedServer::start(vec![
        Reply::Stream(vec![finish("stop", 5, 0)]),
        answer_text("now with content"),
    ]);
    let mut p = Project::with_model(&server);
    p.env("AICODER_EMPTY_RETRY_SECONDS", "0");
    let run = p.run_with_stdin(&[], "hello\n");
    assert!(run.ok().contains("now with content"));
    assert!(
        run.stderr().contains("the model sent an empty answer"),
        "{}",
        run.stderr()
    );
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn one_json_body_to_a_streaming_request_is_read_in_both_apis() {
    let openai = json!({"choices":[{"index":0,"message":{"role":"assistant","content":"whole openai answer","reasoning_content":"pondered"},"finish_reason":"stop"}],"usage":{"prompt_tokens":4,"completion_tokens":3}});
    let server = ScriptedServer::start(vec![Reply::Status(200, openai.to_string())]);
    let p = Project::with_model(&server);
    let out = ask(&p);
    assert!(
        out.contains("whole openai answer") && out.contains("pondered"),
        "{out}"
    );
    assert_eq!(server.requests().len(), 1, "read, not retried");

    let messages = json!({"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"whole messages answer"}],"stop_reason":"end_turn","usage":{"input_tokens":4,"output_tokens":3}});
    let server = ScriptedServer::start(vec![Reply::Status(200, messages.to_string())]);
    let mut p = Project::with_model(&server);
    p.env("API_PROVIDER", "anthropic");
    assert!(ask(&p).contains("whole messages answer"));
    assert_eq!(server.requests()[0]["stream"], true);
}

#[test]
fn aicoder_stream_0_asks_for_one_json_answer() {
    let openai = json!({"choices":[{"index":0,"message":{"role":"assistant","content":"not streamed"},"finish_reason":"stop"}]});
    let server = ScriptedServer::start(vec![Reply::Status(200, openai.to_string())]);
    let mut p = Project::with_model(&server);
    p.env("AICODER_STREAM", "0");
    assert!(ask(&p).contains("not streamed"));
    let body = &server.requests()[0];
    assert_eq!(body["stream"], false);
    assert!(body.get("stream_options").is_none(), "{body}");
}

#[test]
fn errors_say_what_the_server_sent() {
    let server = ScriptedServer::start(vec![Reply::Status(200, "<html>proxy login</html>".into())]);
    let p = Project::with_model(&server);
    let err = p.run_with_stdin(&[], "hello\n").fails();
    assert!(
        err.contains("Content-Type application/json, 24 bytes: <html>proxy login</html>"),
        "{err}"
    );
    assert_eq!(server.requests().len(), 1, "not retried");

    let server = ScriptedServer::start(vec![Reply::Truncated(vec![text("partial")])]);
    let mut p = Project::with_model(&server);
    p.env("MAX_RETRIES", "0");
    let err = p.run_with_stdin(&[], "hello\n").fails();
    assert!(
        err.contains(
            "the stream ended before the answer was complete (Content-Type text/event-stream"
        ),
        "{err}"
    );
    assert!(
        err.contains("the last: {\"choices\":[{\"index\":0,\"delta\":{\"cont"),
        "{err}"
    );
}

#[test]
fn an_answer_still_arriving_gets_the_timeout_extension_once() {
    let server = ScriptedServer::start(vec![Reply::Endless {
        text: "more ".into(),
        pause_ms: 50,
    }]);
    let mut p = Project::with_model(&server);
    p.env("TOTAL_TIMEOUT", "1")
        .env("TOTAL_TIMEOUT_EXTENSION", "1");
    let started = std::time::Instant::now();
    let err = p.run_with_stdin(&[], "go\n").fails();
    assert!(
        err.contains("did not finish within TOTAL_TIMEOUT (1 s) and TOTAL_TIMEOUT_EXTENSION (1 s"),
        "{err}"
    );
    assert!(started.elapsed() >= std::time::Duration::from_secs(2));
}

#[test]
fn a_project_file_cannot_add_http_headers() {
    // Attack: a cloned repository's .aicoder/config.toml swaps the
    // Authorization header, so your conversation lands in its account.
    let server = ScriptedServer::start(vec![answer_text("ok")]);
    let p = Project::with_model(&server);
    std::fs::write(
        p.work().join(".aicoder/config.toml"),
        "AICODER_HTTP_HEADERS = \"Authorization: Bearer attacker\"\n",
    )
    .unwrap();
    let run = p.run_with_stdin(&[], "hello\n");
    run.ok();
    assert_eq!(
        server.heads()[0].header("authorization"),
        Some("Bearer test-key")
    );
    assert!(
        run.stderr()
            .contains("AICODER_HTTP_HEADERS is ignored in a project's config file"),
        "{}",
        run.stderr()
    );
}

#[test]
fn thinking_command_steps_the_effort_with_v3_shorthands() {
    let server = ScriptedServer::start(vec![answer_text("ok")]);
    let mut p = Project::with_model(&server);
    p.env("REASONING_EFFORT_VALID", "low,medium,high")
        .env("REASONING_EFFORT", "low");
    let out = p
        .run_with_stdin(
            &[],
            "/thinking on\n/thinking effort ++\n/thinking effort ++\n/thinking effort --\nhello\n",
        )
        .ok();
    assert!(out.contains("reasoning effort: medium"), "{out}");
    let body: &Value = &server.requests()[0];
    assert_eq!(body["reasoning_effort"], "medium", "{body}");
    let err = p.run_with_stdin(&[], "/thinking effort extreme\n").stderr();
    assert!(err.contains("valid: low, medium, high"), "{err}");
}

#[test]
fn after_a_crash_the_last_session_is_offered_for_resuming_once() {
    use aicoder_tests::terminal;
    use expectrl::Eof;
    let server = ScriptedServer::start(vec![answer_text("noted the lighthouse")]);
    let p = terminal::project(&server);
    let mut term = terminal::spawn(&p);
    term.send_line("remember the word lighthouse").unwrap();
    term.expect("noted the lighthouse").unwrap();
    term.expect("> ").unwrap();
    // Killed, as a closed terminal or a crash would end it: no /quit.
    let pid = term.get_process().pid().to_string();
    std::process::Command::new("kill")
        .args(["-9", &pid])
        .status()
        .unwrap();
    let _ = term.expect(Eof);
    drop(term);

    let mut term = expectrl::Session::spawn(p.command(&[])).unwrap();
    term.set_expect_timeout(Some(std::time::Duration::from_secs(30)));
    term.expect("(1 messages typed").unwrap();
    term.expect("did not end with /quit; resume it? [y/N]")
        .unwrap();
    term.send_line("y").unwrap();
    term.expect("resumed 3 messages").unwrap();
    term.expect("you: remember the word lighthouse").unwrap();
    term.expect("> ").unwrap();
    terminal::quit(term);
    // Asked once: the next start goes straight to the prompt.
    terminal::quit(terminal::spawn(&p));
}
