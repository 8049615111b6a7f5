//! A bare JSON-RPC client for `aicoder mcp serve` over stdio: line-delimited
//! messages written and read by hand, so the attack tests can send what no
//! well-behaved SDK would (answers to questions never asked, extra fields).
//! The tests against real clients (MCP Inspector, the Python SDK) are in
//! tests/mcp/serve_clients.rs.

use super::Project;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A running `aicoder mcp serve` and the messages it sent.
pub struct RawClient {
    pub child: Child,
    stdin: ChildStdin,
    incoming: mpsc::Receiver<Value>,
    /// Everything received so far (notifications included).
    pub seen: Vec<Value>,
    next_id: u64,
}

impl RawClient {
    /// Start `aicoder mcp serve ARGS` in `p` and initialize as `client`,
    /// declaring elicitation support when `elicitation`.
    pub fn start(p: &Project, args: &[&str], client: &str, elicitation: bool) -> Self {
        let mut all = vec!["mcp", "serve"];
        all.extend_from_slice(args);
        Self::spawn(p.command(&all), client, elicitation)
    }

    /// Start any stdio MCP server `cmd` and initialize as `client` (the
    /// bench drives a FastMCP server the same way).
    pub fn spawn(mut cmd: std::process::Command, client: &str, elicitation: bool) -> Self {
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn aicoder mcp serve");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, incoming) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let value: Value = serde_json::from_str(&line)
                    .unwrap_or_else(|e| panic!("not JSON on the protocol stream ({e}): {line:?}"));
                if tx.send(value).is_err() {
                    break;
                }
            }
        });
        let mut c = RawClient {
            child,
            stdin,
            incoming,
            seen: Vec::new(),
            next_id: 1000,
        };
        let capabilities = if elicitation {
            json!({ "elicitation": {} })
        } else {
            json!({})
        };
        let init = c.request(
            "initialize",
            json!({
                "protocolVersion": "2025-06-18",
                "capabilities": capabilities,
                "clientInfo": { "name": client, "version": "1.0" },
            }),
        );
        assert!(init.get("result").is_some(), "initialize: {init}");
        c.send(json!({ "jsonrpc": "2.0", "method": "notifications/initialized" }));
        c
    }

    /// Write one message.
    pub fn send(&mut self, message: Value) {
        let mut line = message.to_string();
        line.push('\n');
        self.stdin.write_all(line.as_bytes()).expect("write");
        self.stdin.flush().expect("flush");
    }

    /// The next message, within 60 s.
    pub fn next_message(&mut self) -> Value {
        let m = self
            .incoming
            .recv_timeout(Duration::from_secs(60))
            .expect("a message from the server within 60 s");
        self.seen.push(m.clone());
        m
    }

    /// Send a request and wait for its response (other messages are kept
    /// in `seen`; a server request is answered by `on_request`).
    pub fn request_with(
        &mut self,
        method: &str,
        params: Value,
        on_request: &mut dyn FnMut(&Value) -> Value,
    ) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        let until = Instant::now() + Duration::from_secs(120);
        while Instant::now() < until {
            let m = self.next_message();
            if m.get("id") == Some(&json!(id)) && m.get("method").is_none() {
                return m;
            }
            if m.get("method").is_some() && m.get("id").is_some() {
                let result = on_request(&m);
                self.send(json!({ "jsonrpc": "2.0", "id": m["id"], "result": result }));
            }
        }
        panic!("no response to {method}");
    }

    /// [`RawClient::request_with`], failing on any server request.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        self.request_with(method, params, &mut |m| {
            panic!("unexpected server request: {m}")
        })
    }

    /// `tools/call` answering elicitation requests with `answer`.
    pub fn call_tool(
        &mut self,
        tool: &str,
        arguments: Value,
        answer: &mut dyn FnMut(&Value) -> Value,
    ) -> Value {
        self.request_with(
            "tools/call",
            json!({ "name": tool, "arguments": arguments }),
            answer,
        )
    }

    /// The names of the tools listed now.
    pub fn tool_names(&mut self) -> Vec<String> {
        let r = self.request("tools/list", json!({}));
        r["result"]["tools"]
            .as_array()
            .expect("tools")
            .iter()
            .map(|t| t["name"].as_str().unwrap_or_default().to_string())
            .collect()
    }

    /// Close stdin and wait for the server to end.
    pub fn finish(mut self) -> std::process::ExitStatus {
        drop(self.stdin);
        let until = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            if Instant::now() > until {
                let _ = self.child.kill();
                panic!("aicoder mcp serve did not end after stdin closed");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// The text of a `tools/call` response and whether it is an error.
pub fn call_text(response: &Value) -> (String, bool) {
    let result = &response["result"];
    let text = result["content"]
        .as_array()
        .map(|c| {
            c.iter()
                .filter_map(|b| b["text"].as_str())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_else(|| response.to_string());
    (text, result["isError"].as_bool().unwrap_or(false))
}

/// A project whose shipped-plugin folder is empty and whose user plugins
/// are `plugins` (component names): what `aicoder mcp serve` tests serve.
pub fn serving_project(plugins: &[&str]) -> Project {
    let mut p = Project::new();
    let shipped = p.dir.path().join("shipped");
    std::fs::create_dir_all(&shipped).expect("shipped dir");
    p.env("AICODER_SHIPPED_PLUGINS", &shipped.display().to_string());
    for name in plugins {
        p.install(&super::wasm(name), &format!("{name}.wasm"));
    }
    p
}

/// Start `aicoder mcp serve --http 127.0.0.1:0` in `p`: the child, and the
/// url and token it prints first.
pub fn serve_http(p: &Project) -> (Child, String, String) {
    let mut child = p
        .command(&["mcp", "serve", "--http", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut next = |prefix: &str| {
        let line = lines.next().and_then(Result::ok).unwrap_or_default();
        line.strip_prefix(prefix).unwrap_or(&line).to_string()
    };
    let url = next("url: ");
    let token = next("token: ");
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert_eq!(token.len(), 64, "{token}");
    (child, url, token)
}
