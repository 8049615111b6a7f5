//! B17 and B18: `aicoder mcp serve` against a plain Python MCP server with the same
//! tool (the official SDK's FastMCP, `MCPServer` since mcp 2, from
//! target/mcp-clients: `make mcp-clients`), both over stdio and driven by
//! the same bare JSON-RPC client: a tools/call round trip, and a cold start
//! to the first tools/list answered.

use crate::{sample, Row};
use aicoder_tests::mcp::{call_text, RawClient};
use aicoder_tests::{root, wasm, Project};
use serde_json::json;
use std::process::Command;

fn project() -> Project {
    let mut p = Project::new();
    let shipped = p.dir.path().join("shipped");
    std::fs::create_dir_all(&shipped).expect("shipped dir");
    p.env("AICODER_SHIPPED_PLUGINS", &shipped.display().to_string());
    p.install(&wasm("example"), "example.wasm");
    p
}

fn fastmcp() -> Command {
    let python = root().join("target/mcp-clients/py/bin/python");
    assert!(
        python.is_file(),
        "{} is missing: run `make mcp-clients`",
        python.display()
    );
    let mut cmd = Command::new(python);
    cmd.arg(root().join("tests/mcp_clients/fastmcp_greet.py"));
    cmd
}

fn greet(c: &mut RawClient) {
    let r = c.call_tool("greet", json!({"name": "bench"}), &mut |m| {
        panic!("unexpected question {m}")
    });
    assert_eq!(call_text(&r).0, "Hello, bench!");
}

/// The rows: round trip (B17) and cold start (B18), each against FastMCP
/// in the same run. The cold start's target is absolute (the component
/// comes compiled from the cache, so serving starts in milliseconds); the
/// FastMCP figure beside it is for scale.
pub fn rows() -> Vec<Row> {
    let p = project();
    let mut ours = RawClient::start(&p, &[], "bench", false);
    let mut theirs = RawClient::spawn(fastmcp(), "bench", false);
    let round = sample(300, || greet(&mut ours));
    let base = sample(300, || greet(&mut theirs));
    ours.finish();
    theirs.finish();
    let cold = sample(20, || {
        let mut c = RawClient::start(&p, &[], "bench", false);
        assert!(c.tool_names().iter().any(|t| t == "greet"));
        c.finish();
    });
    let cold_base = sample(20, || {
        let mut c = RawClient::spawn(fastmcp(), "bench", false);
        assert!(c.tool_names().iter().any(|t| t == "greet"));
        c.finish();
    });
    vec![
        crate::row(
            "B17",
            "MCP tools/call round trip, `aicoder mcp serve` (stdio) vs FastMCP",
            round,
            base,
            "<= 1.0x",
        ),
        crate::row(
            "B18",
            "MCP serve cold start to first tools/list answered (component cached) vs FastMCP",
            cold,
            cold_base,
            "< 100 ms",
        ),
    ]
}
