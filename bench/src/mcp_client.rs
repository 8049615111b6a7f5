//! B19 and B21: aicoder as an MCP client, against server-everything
//! (`make mcp-servers`, pinned into target/mcp-servers) over stdio.
//!
//! B19: a piped session with five servers in a trusted .mcp.json against
//! the same session with none. Two lines: `/help` only (start-up and exit:
//! the servers are started in the background and must not hold the session
//! up), and one model turn against the scripted server (the servers' tool
//! lists are kept from the warm-up turn by name and entry hash, so the
//! first request offers their tools without waiting for them to start).
//! Target: at most 50 ms more (node start-up of one server is of that
//! order; a session that waited for its servers would pay it).
//!
//! B21: one tools/call (`echo`) through aicoder's client, as the marginal
//! cost per call of a model turn with 201 calls against one with 1, against
//! the MCP Inspector CLI (`make mcp-clients`) calling the same tool straight
//! on the server. The Inspector is a one-shot command: each of its calls
//! pays Node's start-up for itself and for the server, so its figure is a
//! whole invocation, not a warm round trip; the row is for scale. A second
//! line sets the same figure beside a warm round trip straight to a running
//! server (the bench's bare JSON-RPC client), the comparison that says what
//! aicoder's client itself costs.

use crate::{fmt, stat, Env, Row, Stat};
use aicoder_tests::mcp::{call_text, RawClient};
use aicoder_tests::root;
use aicoder_tests::server::{answer_text, finish, tool_call, Reply, ScriptedServer};
use serde_json::json;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Instant;

fn everything() -> Option<PathBuf> {
    let js = root().join(
        "target/mcp-servers/node_modules/@modelcontextprotocol/server-everything/dist/index.js",
    );
    js.is_file().then_some(js)
}

fn inspector() -> Option<PathBuf> {
    let bin = root().join("target/mcp-clients/node_modules/.bin/mcp-inspector");
    bin.is_file().then_some(bin)
}

/// A project whose .mcp.json names `n` server-everything instances
/// (`e1`..), trusted as `aicoder trust` does it.
fn project(js: &std::path::Path, n: usize) -> Env {
    let env = Env::new();
    if n > 0 {
        let servers: serde_json::Map<String, serde_json::Value> = (1..=n)
            .map(|i| {
                (
                    format!("e{i}"),
                    json!({"command": "node", "args": [js, "stdio"]}),
                )
            })
            .collect();
        let work = env.project.work();
        std::fs::write(
            work.join(".mcp.json"),
            json!({ "mcpServers": servers }).to_string(),
        )
        .unwrap();
        let out = env.project.run(&["trust"]).ok();
        assert!(out.contains("MCP server e1"), "aicoder trust: {out}");
    }
    env
}

/// Time `a` and `b` in turns, `n` times each after one warm-up of each.
pub fn interleaved(n: usize, mut a: impl FnMut(), mut b: impl FnMut()) -> (Stat, Stat) {
    a();
    b();
    let (mut ta, mut tb) = (Vec::new(), Vec::new());
    for _ in 0..n {
        let t = Instant::now();
        a();
        ta.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        b();
        tb.push(t.elapsed().as_secs_f64());
    }
    (stat(ta), stat(tb))
}

/// A row whose ratio is the difference of the medians (`+12.3 ms`).
fn plus_row(id: &'static str, what: &str, v: Stat, b: Stat, target: &'static str) -> Row {
    Row {
        id,
        what: what.into(),
        value: format!("{} (p95 {})", fmt(v.median), fmt(v.p95)),
        baseline: format!("{} (p95 {})", fmt(b.median), fmt(b.p95)),
        ratio: format!("+{}", fmt((v.median - b.median).max(0.0))),
        target,
    }
}

/// B19: five servers configured against none.
pub fn startup_rows() -> Vec<Row> {
    let Some(js) = everything() else {
        eprintln!("B19 not measured: server-everything is missing (run `make mcp-servers`)");
        return Vec::new();
    };
    let five = project(&js, 5);
    let none = project(&js, 0);
    let (with, without) = interleaved(
        20,
        || {
            five.run(&[], "/help\n", &[]);
        },
        || {
            none.run(&[], "/help\n", &[]);
        },
    );
    let mut rows = vec![plus_row(
        "B19",
        "`echo /help \\| aicoder` with five stdio MCP servers (server-everything, trusted .mcp.json) vs none",
        with,
        without,
        "< +50 ms",
    )];
    // One model turn each: a server with enough answers for every run.
    const RUNS: usize = 10;
    let model = ScriptedServer::start((0..2 * (RUNS + 1)).map(|_| answer_text("done")).collect());
    let api = [("API_BASE_URL", model.url.as_str()), ("API_KEY", "k")];
    let (with, without) = interleaved(
        RUNS,
        || {
            five.run(&[], "hello\n", &api);
        },
        || {
            none.run(&[], "hello\n", &api);
        },
    );
    rows.push(plus_row(
        "B19",
        "one model turn (`echo hello \\| aicoder`), same five servers vs none (tool lists kept from the warm-up turn: the first request does not wait)",
        with,
        without,
        "< +50 ms",
    ));
    rows
}

/// The script of one run: a turn calling `echo` `calls` times, then an answer.
fn echo_turn(calls: usize) -> [Reply; 2] {
    let mut events: Vec<serde_json::Value> = (0..calls)
        .map(|i| {
            tool_call(
                i as u32,
                &format!("c{i}"),
                "mcp__e1__echo",
                r#"{"message":"bench"}"#,
            )
        })
        .collect();
    events.push(finish("tool_calls", 1, 1));
    [Reply::Stream(events), answer_text("done")]
}

/// B21: a tools/call through aicoder's client vs the Inspector CLI.
pub fn call_rows() -> Vec<Row> {
    let (Some(js), Some(inspector)) = (everything(), inspector()) else {
        eprintln!("B21 not measured: run `make mcp-servers mcp-clients` (server-everything, MCP Inspector)");
        return Vec::new();
    };
    let env = project(&js, 1);
    const RUNS: usize = 7;
    const MANY: usize = 201;
    let script: Vec<Reply> = (0..=RUNS)
        .flat_map(|_| echo_turn(MANY).into_iter().chain(echo_turn(1)))
        .collect();
    let model = ScriptedServer::start(script);
    let api = [
        ("API_BASE_URL", model.url.as_str()),
        ("API_KEY", "k"),
        ("YOLO_MODE", "1"),
    ];
    let (many, one) = interleaved(
        RUNS,
        || {
            env.run(&[], "go\n", &api);
        },
        || {
            env.run(&[], "go\n", &api);
        },
    );
    let per_call = |s: f64| (s - one.median) / (MANY - 1) as f64;
    let ours = Stat {
        median: per_call(many.median),
        p95: per_call(many.p95),
    };
    let call = || {
        let out = Command::new(&inspector)
            .args([
                "--cli",
                "--method",
                "tools/call",
                "--tool-name",
                "echo",
                "--tool-arg",
                "message=bench",
                "--",
                "node",
            ])
            .arg(&js)
            .arg("stdio")
            .stderr(Stdio::null())
            .output()
            .unwrap();
        assert!(
            out.status.success() && String::from_utf8_lossy(&out.stdout).contains("bench"),
            "mcp-inspector tools/call failed: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    };
    let theirs = crate::sample(RUNS, call);
    // For scale, a warm round trip: the bench's bare JSON-RPC client (as
    // B17's) calling the same tool on one running server.
    let mut server = Command::new("node");
    server.arg(&js).arg("stdio").stderr(Stdio::null());
    let mut bare = RawClient::spawn(server, "bench", false);
    let warm = crate::sample(300, || {
        let r = bare.call_tool("echo", json!({"message": "bench"}), &mut |m| {
            panic!("unexpected question {m}")
        });
        assert!(call_text(&r).0.contains("bench"), "{r}");
    });
    let _ = bare.child.kill();
    let _ = bare.child.wait();
    vec![Row {
        id: "B21",
        what: format!(
            "MCP tools/call (`echo`): through aicoder's client (per call, a turn of {MANY} calls vs 1: approval, audit line, result in the conversation) vs one `mcp-inspector --cli` call straight to the server (pays Node start-up of the Inspector and the server every call)"
        ),
        value: format!("{} (p95 {})", fmt(ours.median), fmt(ours.p95)),
        baseline: format!("{} (p95 {})", fmt(theirs.median), fmt(theirs.p95)),
        ratio: format!("{:.4}x", ours.median / theirs.median),
        target: "<= 1.0x",
    },
    crate::row(
        "B21",
        "the same per-call figure vs a warm round trip straight to the running server (a bare JSON-RPC client over stdio, no model, approval or audit)",
        ours,
        warm,
        "-",
    )]
}
