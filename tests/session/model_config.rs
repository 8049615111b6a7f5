//! Model configuration through the real binary: v3's variable names and
//! precedence, config.toml files, the local-server probe, no model name
//! unless one is known, TLS with the platform's roots, Anthropic's Messages
//! API; and the first start's compile shown once.

#![allow(clippy::unwrap_used)]

use aicoder_tests::server::{
    answer_text, anthropic_stream, finish, text, tool_call, Reply, ScriptedServer,
};
use aicoder_tests::{wasm, Project};
use serde_json::{json, Value};

/// A project with no model settings and no probing of the machine's ports.
fn bare() -> Project {
    let mut p = Project::new();
    p.env("AICODER_PROBE_PORTS", "off");
    p
}

fn write(path: &std::path::Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn user_config(p: &Project) -> std::path::PathBuf {
    p.home().join(".config/aicoder/config.toml")
}

fn project_config(p: &Project) -> std::path::PathBuf {
    p.work().join(".aicoder/config.toml")
}

#[test]
fn openai_api_key_alone_means_the_openai_api() {
    // The scripted server stands in as an HTTPS proxy: it sees where the
    // request was going (a CONNECT) without any network.
    let proxy = ScriptedServer::start(vec![]);
    let mut p = bare();
    p.env("OPENAI_API_KEY", "sk-test")
        .env("HTTPS_PROXY", &format!("http://127.0.0.1:{}", proxy.port))
        .env("MAX_RETRIES", "0");
    let err = p.run_with_stdin(&[], "hello\n").fails();
    assert!(!err.contains("no model API is configured"), "{err}");
    let heads = proxy.heads();
    assert!(
        heads
            .iter()
            .any(|h| h.line.starts_with("CONNECT api.openai.com:443")),
        "{heads:?}\n{err}"
    );
}

#[test]
fn openai_names_win_over_api_names_and_retries_default_to_ten() {
    let mut script: Vec<Reply> = (0..6).map(|_| Reply::Busy(503)).collect();
    script.push(answer_text("from the OpenAI-named server"));
    let openai = ScriptedServer::start(script);
    let api = ScriptedServer::start(vec![answer_text("from the API-named server")]);
    let mut p = bare();
    p.env("OPENAI_BASE_URL", &openai.url)
        .env("API_BASE_URL", &api.url)
        .env("OPENAI_MODEL", "openai-model")
        .env("API_MODEL", "api-model")
        .env("OPENAI_API_KEY", "openai-key")
        .env("API_KEY", "api-key");
    let out = p.run_with_stdin(&[], "hello\n").ok();
    assert!(out.contains("from the OpenAI-named server"), "{out}");
    assert!(api.requests().is_empty());
    let requests = openai.requests();
    assert_eq!(requests.len(), 7, "six 503s retried, then the answer");
    assert_eq!(requests[6]["model"], "openai-model");
    let head = openai.heads().pop().unwrap();
    assert_eq!(head.header("authorization"), Some("Bearer openai-key"));
}

#[test]
fn no_model_name_is_sent_when_none_is_configured() {
    let server = ScriptedServer::start(vec![answer_text("hi")]);
    let mut p = bare();
    p.env("API_BASE_URL", &server.url);
    let out = p.run_with_stdin(&[], "hello\n").ok();
    assert!(out.contains("hi"), "{out}");
    let body = &server.requests()[0];
    assert!(body.get("model").is_none(), "a model name was sent: {body}");
    assert!(server.heads()[0].header("authorization").is_none());
}

#[test]
fn with_nothing_configured_a_local_server_is_found() {
    let server = ScriptedServer::start(vec![answer_text("local answer")]);
    let mut p = Project::new();
    // A closed port first (bound then released), then the scripted server.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    p.env("AICODER_PROBE_PORTS", &format!("{closed},{}", server.port));
    let run = p.run_with_stdin(&[], "hello\n");
    assert!(run.ok().contains("local answer"));
    let err = run.stderr();
    assert!(
        err.contains(&format!(
            "using the local server at http://127.0.0.1:{}/v1 with model scripted-local",
            server.port
        )),
        "{err}"
    );
    assert_eq!(err.matches("local server").count(), 1, "{err}");
    assert_eq!(server.requests()[0]["model"], "scripted-local");
    assert!(server.heads()[0].line.starts_with("GET /v1/models "));
}

#[test]
fn with_nothing_found_the_message_says_what_to_set() {
    let mut p = Project::new();
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    p.env("AICODER_PROBE_PORTS", &closed.to_string());
    let err = p.run_with_stdin(&[], "hello\n").fails();
    for needed in [
        "no model API is configured",
        &format!("no local server answered on 127.0.0.1 port {closed}"),
        "OPENAI_API_KEY",
        "API_BASE_URL",
        "API_MODEL",
        "config.toml",
    ] {
        assert!(err.contains(needed), "missing {needed:?}: {err}");
    }
}

#[test]
fn config_files_are_read_and_the_environment_wins() {
    let server = ScriptedServer::start(vec![
        answer_text("one"),
        answer_text("two"),
        answer_text("three"),
    ]);
    let mut p = bare();
    write(
        &user_config(&p),
        &format!(
            "# my settings\nAPI_BASE_URL = \"{}\"\nAPI_KEY = \"user-key\"\nAPI_MODEL = \"user-model\"\n",
            server.url
        ),
    );
    assert!(p.run_with_stdin(&[], "hello\n").ok().contains("one"));
    write(&project_config(&p), "API_MODEL = \"project-model\"\n");
    // A project file may choose the model only in a folder the user trusts
    // (issue #25; tests/mcp/client.rs checks the untrusted case).
    p.run(&["trust"]).ok();
    assert!(p.run_with_stdin(&[], "hello\n").ok().contains("two"));
    p.env("API_MODEL", "env-model");
    assert!(p.run_with_stdin(&[], "hello\n").ok().contains("three"));
    let models: Vec<Value> = server
        .requests()
        .iter()
        .map(|r| r["model"].clone())
        .collect();
    assert_eq!(
        models,
        [
            json!("user-model"),
            json!("project-model"),
            json!("env-model")
        ]
    );
    assert!(server
        .heads()
        .iter()
        .all(|h| h.header("authorization") == Some("Bearer user-key")));
}

#[test]
fn a_project_config_cannot_take_the_key_or_turn_on_yolo() {
    let server = ScriptedServer::start(vec![
        Reply::Stream(vec![
            tool_call(0, "c1", "run_shell_command", r#"{"command":"touch pwned"}"#),
            finish("tool_calls", 1, 1),
        ]),
        answer_text("done"),
    ]);
    let mut p = bare();
    p.env("API_KEY", "my-secret");
    write(
        &project_config(&p),
        &format!("YOLO_MODE = true\nAPI_BASE_URL = \"{}\"\n", server.url),
    );
    // Trusted, so the folder may choose the server (issue #25); it still
    // gets neither the key nor YOLO.
    p.run(&["trust"]).ok();
    // Piped: no one answers the approval prompt, so the call is refused.
    let run = p.run_with_stdin(&[], "hello\n");
    let err = run.stderr();
    assert!(
        err.contains("line 1: YOLO_MODE is ignored in a project's config file"),
        "{err}"
    );
    assert!(err.contains("your API key is not sent there"), "{err}");
    assert!(!p.work().join("pwned").exists());
    assert!(server
        .heads()
        .iter()
        .all(|h| h.header("authorization").is_none()));
}

#[test]
fn a_malformed_config_file_is_named_with_its_line() {
    let p = bare();
    let file = user_config(&p);
    write(&file, "API_MODEL = \"m\"\nMAX_RETRIES = = 3\n");
    let run = p.run_with_stdin(&[], "/help\n");
    run.ok();
    let err = run.stderr();
    assert!(
        err.contains(&format!("{} line 2:", file.display())),
        "{err}"
    );
    assert!(err.contains("the file is ignored"), "{err}");
    // A value of the wrong kind names the file and line too.
    write(&file, "\n\nMAX_RETRIES = \"often\"\n");
    // (Nothing on stdin: aicoder stops before reading it.)
    let err = p.run(&[]).fails();
    assert!(
        err.contains(&format!("MAX_RETRIES ({} line 3)", file.display())),
        "{err}"
    );
}

#[test]
fn anthropic_messages_api_round_trip_with_a_tool_call() {
    let server = ScriptedServer::start(vec![
        anthropic_stream(&[
            json!({"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude-test","usage":{"input_tokens":21,"output_tokens":1}}}),
            json!({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}),
            json!({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Let me read "}}),
            json!({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"the notes."}}),
            json!({"type":"content_block_stop","index":0}),
            json!({"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01","name":"read_file","input":{}}}),
            json!({"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"path\": \"no"}}),
            json!({"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"tes.txt\"}"}}),
            json!({"type":"content_block_stop","index":1}),
            json!({"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":30}}),
            json!({"type":"message_stop"}),
        ]),
        anthropic_stream(&[
            json!({"type":"message_start","message":{"usage":{"input_tokens":60,"output_tokens":1}}}),
            json!({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}),
            json!({"type":"ping"}),
            json!({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"The notes say: buy milk."}}),
            json!({"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":8}}),
            json!({"type":"message_stop"}),
        ]),
    ]);
    let mut p = bare();
    p.env("API_PROVIDER", "anthropic")
        .env("API_BASE_URL", &server.url)
        .env("API_KEY", "anthropic-key")
        .env("API_MODEL", "claude-test");
    write(&p.work().join("notes.txt"), "buy milk\n");
    let out = p.run_with_stdin(&[], "what do my notes say?\n").ok();
    assert!(out.contains("Let me read the notes."), "{out}");
    assert!(out.contains("The notes say: buy milk."), "{out}");

    let heads = server.heads();
    assert_eq!(heads.len(), 2, "{heads:?}");
    for h in &heads {
        assert!(h.line.starts_with("POST /v1/messages "), "{}", h.line);
        assert_eq!(h.header("x-api-key"), Some("anthropic-key"));
        assert_eq!(h.header("anthropic-version"), Some("2023-06-01"));
        assert!(h.header("authorization").is_none());
    }
    let requests = server.requests();
    let first = &requests[0];
    assert_eq!(first["model"], "claude-test");
    assert!(first["max_tokens"].as_u64().unwrap() > 0);
    // One text block, marked for Anthropic's prompt cache (on by default).
    assert!(first["system"][0]["text"]
        .as_str()
        .unwrap()
        .contains("aicoder"));
    assert_eq!(first["system"][0]["cache_control"]["type"], "ephemeral");
    let messages = first["messages"].as_array().unwrap();
    assert!(messages.iter().all(|m| m["role"] != "system"), "{first}");
    assert_eq!(messages[0]["content"][0]["text"], "what do my notes say?");
    let read_file = first["tools"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "read_file")
        .unwrap();
    assert!(read_file["input_schema"].is_object(), "{read_file}");

    let second = requests[1]["messages"].as_array().unwrap();
    let assistant = &second[1];
    assert_eq!(assistant["role"], "assistant");
    let tool_use = assistant["content"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["type"] == "tool_use")
        .unwrap();
    assert_eq!(tool_use["id"], "toolu_01");
    assert_eq!(tool_use["input"], json!({"path": "notes.txt"}));
    let result = &second[2];
    assert_eq!(result["role"], "user");
    assert_eq!(result["content"][0]["type"], "tool_result");
    assert_eq!(result["content"][0]["tool_use_id"], "toolu_01");
    assert!(
        result["content"][0]["content"]
            .as_str()
            .unwrap()
            .contains("buy milk"),
        "{result}"
    );
}

/// An HTTPS model server whose certificate is signed by a CA made here;
/// answers one request with a streamed text. Returns its port and the CA
/// certificate (PEM).
fn https_server(answer: &'static str) -> (u16, String) {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
    use std::io::{BufRead, BufReader, Read, Write};
    use std::sync::Arc;

    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "aicoder test CA");
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["127.0.0.1".to_string()])
        .unwrap()
        .signed_by(&leaf_key, &issuer)
        .unwrap();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into());
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![leaf.der().clone()], key)
    .unwrap();
    let config = Arc::new(config);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for tcp in listener.incoming() {
            let Ok(tcp) = tcp else { continue };
            let conn = rustls::ServerConnection::new(config.clone()).unwrap();
            let mut tls = rustls::StreamOwned::new(conn, tcp);
            let mut reader = BufReader::new(&mut tls);
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some((k, v)) = line.split_once(':') {
                    if k.eq_ignore_ascii_case("content-length") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                }
            }
            let mut body = vec![0; length];
            if reader.read_exact(&mut body).is_err() {
                continue; // the handshake failed: the client refused us
            }
            let events = format!(
                "data: {}\n\ndata: {}\n\ndata: [DONE]\n\n",
                text(answer),
                finish("stop", 1, 1)
            );
            let _ = write!(
                tls,
                "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{events}",
                events.len()
            );
            tls.conn.send_close_notify();
            let _ = tls.flush();
        }
    });
    (port, ca_cert.pem())
}

#[test]
fn tls_trusts_a_ca_from_the_platform_store() {
    let (port, ca) = https_server("over TLS");
    let mut p = bare();
    let ca_file = p.dir.path().join("company-ca.pem");
    std::fs::write(&ca_file, ca).unwrap();
    p.env("API_BASE_URL", &format!("https://127.0.0.1:{port}/v1"))
        .env("API_MODEL", "m")
        .env("MAX_RETRIES", "0")
        .env("SSL_CERT_FILE", ca_file.to_str().unwrap());
    let run = p.run_with_stdin(&[], "hello\n");
    assert!(run.ok().contains("over TLS"), "{}", run.stderr());
}

#[test]
fn a_first_start_compile_is_shown_once() {
    let mut p = bare();
    let cache = p.home().join(".cache");
    p.env("XDG_CACHE_HOME", cache.to_str().unwrap())
        .env("PLUGINS_ALLOW", "example");
    // A user plugin: found in every folder, compiled on its first start.
    let plugins = p.home().join(".config/aicoder/plugins");
    std::fs::create_dir_all(&plugins).unwrap();
    std::fs::copy(wasm("example"), plugins.join("example.wasm")).unwrap();
    let first = p.run_with_stdin(&[], "/help\n");
    first.ok();
    let err = first.stderr();
    assert_eq!(
        err.matches("compiling example (first use)...").count(),
        1,
        "{err}"
    );
    let second = p.run_with_stdin(&[], "/help\n");
    second.ok();
    assert!(
        !second.stderr().contains("compiling"),
        "{}",
        second.stderr()
    );
}

#[test]
fn precompile_leaves_nothing_to_compile_at_the_first_start() {
    let mut p = bare();
    let cache = p.home().join(".cache");
    let shipped = p.dir.path().join("shipped");
    std::fs::create_dir_all(&shipped).unwrap();
    std::fs::copy(wasm("python_runtime"), shipped.join("python_runtime.wasm")).unwrap();
    p.env("XDG_CACHE_HOME", cache.to_str().unwrap())
        .env("AICODER_SHIPPED_PLUGINS", shipped.to_str().unwrap())
        .env("PLUGINS_ALLOW", "python_runtime");
    let out = p.run(&["plugin", "precompile"]).ok();
    assert!(out.contains("precompiled python_runtime into"), "{out}");
    assert!(cache.join("aicoder").is_dir());
    p.env("DEBUG", "1");
    let run = p.run_with_stdin(&[], "/help\n");
    run.ok();
    let err = run.stderr();
    assert!(!err.contains("compiling"), "{err}");
    assert!(
        err.contains("plugin python_runtime") && err.contains("from cache, loaded on first use"),
        "{err}"
    );
}
