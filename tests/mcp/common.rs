//! What the MCP client tests share: the real servers installed by `make
//! mcp-servers`, the hostile fixture, a model turn of tool calls, the user's
//! mcp.json, and what the model was offered and the audit kept.

#![allow(clippy::unwrap_used)]

use aicoder_tests::server::{answer_text, finish, tool_call, Reply, ScriptedServer};
use aicoder_tests::{root, Project};
use serde_json::{json, Value};
use std::path::PathBuf;

pub fn servers_dir() -> PathBuf {
    let dir = root().join("target/mcp-servers");
    assert!(
        dir.join("node_modules/.installed").exists() && dir.join("venv/.installed").exists(),
        "run `make mcp-servers` first: the real MCP servers are installed pinned into target/"
    );
    dir
}

pub fn everything() -> String {
    servers_dir()
        .join("node_modules/@modelcontextprotocol/server-everything/dist/index.js")
        .display()
        .to_string()
}

pub fn hostile() -> String {
    root()
        .join("tests/fixtures/mcp_hostile.py")
        .display()
        .to_string()
}

/// One model turn calling each (tool, args) in order, then a closing answer.
pub fn calls(list: &[(&str, Value)], then: &str) -> Vec<Reply> {
    let mut events: Vec<Value> = list
        .iter()
        .enumerate()
        .map(|(i, (tool, args))| tool_call(i as u32, &format!("c{i}"), tool, &args.to_string()))
        .collect();
    events.push(finish("tool_calls", 3, 2));
    vec![Reply::Stream(events), answer_text(then)]
}

/// Write the user's mcp.json with these servers.
pub fn user_servers(p: &Project, servers: Value) {
    let dir = p.home().join(".config/aicoder");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("mcp.json"),
        json!({ "mcpServers": servers }).to_string(),
    )
    .unwrap();
}

pub fn hostile_server(mode: &str, arg: &str) -> Value {
    json!({"command": "python3", "args": [hostile(), mode, arg]})
}

/// The names of the tools of request `n`.
pub fn offered(server: &ScriptedServer, n: usize) -> Vec<String> {
    server.requests()[n]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["function"]["name"].as_str().unwrap().to_string())
        .collect()
}

pub fn mcp_audit(p: &Project) -> Vec<Value> {
    p.audit()
        .into_iter()
        .filter(|l| l["capability"] == "mcp.call")
        .collect()
}

pub use aicoder_tests::server::last_user_text;
