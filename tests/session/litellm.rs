//! aicoder against LiteLLM's proxy (PyPI `litellm[proxy]`, pinned in the
//! Makefile, installed into target/litellm-venv by `make litellm`): a real,
//! widely used OpenAI- and Anthropic-compatible server, run with mocked
//! models. Its `/v1/messages` answers a streaming request with one JSON
//! body; aicoder used to retry that ten times and fail.

#![allow(clippy::unwrap_used)]

use aicoder_tests::{root, Project};
use std::io::Read;
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const OPENAI_ANSWER: &str = "mocked chat completion from litellm";
const ANTHROPIC_ANSWER: &str = "mocked messages answer from litellm";

/// The running proxy; killed when dropped.
struct Proxy {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn litellm() -> PathBuf {
    let path = root().join("target/litellm-venv/bin/litellm");
    assert!(
        path.exists(),
        "{} is missing: `make test` installs it (make litellm)",
        path.display()
    );
    path
}

fn start() -> Proxy {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.yaml");
    std::fs::write(
        &config,
        format!(
            "model_list:\n\
             \x20 - model_name: mock-gpt\n\
             \x20   litellm_params: {{model: openai/gpt-4o, api_key: x, mock_response: \"{OPENAI_ANSWER}\"}}\n\
             \x20 - model_name: mock-claude\n\
             \x20   litellm_params: {{model: anthropic/claude-sonnet-4-5, api_key: x, mock_response: \"{ANTHROPIC_ANSWER}\"}}\n"
        ),
    )
    .unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(litellm())
        .args(["--config", config.to_str().unwrap(), "--host", "127.0.0.1"])
        .args(["--port", &port.to_string()])
        .env(
            "LITELLM_DANGEROUSLY_PERMIT_WEAK_OR_UNSET_MASTER_KEY",
            "true",
        )
        .env("LITELLM_TELEMETRY", "False")
        .env("HOME", dir.path())
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let proxy = Proxy {
        child,
        port,
        _dir: dir,
    };
    // Ready when it answers its liveness probe (start-up takes seconds).
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) {
            use std::io::Write;
            let _ = write!(
                s,
                "GET /health/liveliness HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            );
            let mut reply = String::new();
            let _ = s.read_to_string(&mut reply);
            if reply.starts_with("HTTP/1.1 200") {
                return proxy;
            }
        }
        assert!(
            Instant::now() < deadline,
            "litellm did not start in 2 minutes"
        );
        std::thread::sleep(Duration::from_millis(250));
    }
}

fn project(proxy: &Proxy, model: &str) -> Project {
    let mut p = Project::new();
    p.env(
        "API_BASE_URL",
        &format!("http://127.0.0.1:{}/v1", proxy.port),
    )
    .env("API_KEY", "sk-anything")
    .env("API_MODEL", model)
    .env("MAX_RETRIES", "0");
    p
}

#[test]
fn litellm_proxy_answers_both_apis_streamed_or_not() {
    let proxy = start();
    // OpenAI-compatible, streamed (SSE).
    let p = project(&proxy, "mock-gpt");
    let run = p.run_with_stdin(&[], "hello\n");
    assert!(run.ok().contains(OPENAI_ANSWER), "{}", run.stderr());
    // OpenAI-compatible, AICODER_STREAM=0.
    let mut p = project(&proxy, "mock-gpt");
    p.env("AICODER_STREAM", "0");
    assert!(p
        .run_with_stdin(&[], "hello\n")
        .ok()
        .contains(OPENAI_ANSWER));
    // The Messages API: a streaming request answered with one JSON body.
    let mut p = project(&proxy, "mock-claude");
    p.env("API_PROVIDER", "anthropic");
    let run = p.run_with_stdin(&[], "hello\n");
    assert!(run.ok().contains(ANTHROPIC_ANSWER), "{}", run.stderr());
    assert!(!run.stderr().contains("retry"), "{}", run.stderr());
    // And asked not to stream.
    let mut p = project(&proxy, "mock-claude");
    p.env("API_PROVIDER", "anthropic")
        .env("AICODER_STREAM", "0");
    assert!(p
        .run_with_stdin(&[], "hello\n")
        .ok()
        .contains(ANTHROPIC_ANSWER));
    // A model the proxy does not have: the error says what it sent.
    let p = project(&proxy, "no-such-model");
    let err = p.run_with_stdin(&[], "hello\n").fails();
    assert!(
        err.contains("the model API answered 400") && err.contains("no-such-model"),
        "{err}"
    );
}
