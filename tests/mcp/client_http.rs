//! An MCP server over Streamable HTTP (server-everything, installed pinned
//! by `make mcp-servers`): its host is granted like a plugin's net.fetch,
//! and once granted its tools, prompts and resources work as over stdio.

#![allow(clippy::unwrap_used)]

use super::common::{calls, everything, last_user_text, offered, user_servers};
use aicoder_tests::server::{self, answer_text, ScriptedServer};
use serde_json::json;
use std::time::{Duration, Instant};

struct Child(std::process::Child);
impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// server-everything over Streamable HTTP: its host needs a grant for the
/// server entry, like a plugin's net.fetch. Piped, nobody grants it: not
/// started, audited. A name resolving to loopback is never connected to
/// (net.fetch's rule). At a terminal the host is asked about and granted
/// "always"; the call goes through the URL; the next piped run needs no
/// question.
#[test]
fn everything_over_streamable_http_needs_a_grant_for_its_host() {
    let port = aicoder_tests::http::free_port();
    let _server = Child(
        std::process::Command::new("node")
            .args([everything(), "streamableHttp".into()])
            .env("PORT", port.to_string())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "server-everything did not listen"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let sum = || calls(&[("mcp__web__get-sum", json!({"a": 2, "b": 40}))], "done");
    let mut replies = vec![answer_text("nothing offered")];
    replies.extend(sum());
    replies.push(answer_text("resource over http"));
    replies.extend(sum());
    replies.push(answer_text("prompt over http"));
    let model = ScriptedServer::start(replies);
    let mut p = aicoder_tests::terminal::project(&model);
    user_servers(
        &p,
        json!({"web": {"type": "http", "url": format!("http://127.0.0.1:{port}/mcp")},
               "byname": {"type": "http", "url": format!("http://localhost:{port}/mcp")}}),
    );
    p.env("YOLO_MODE", "1");
    let err = p.run_with_stdin(&[], "sum\n").stderr();
    assert!(
        err.contains(&format!(
            "MCP server web is not started: connecting to 127.0.0.1:{port} needs your grant"
        )),
        "{err}"
    );
    assert!(
        err.contains(
            "MCP server byname is not started: its host localhost resolves to the internal address"
        ),
        "{err}"
    );
    assert!(offered(&model, 0).iter().all(|t| !t.starts_with("mcp__")));

    let mut term = aicoder_tests::terminal::start(&p, &[]);
    term.expect(format!("connects to 127.0.0.1:{port}").as_str())
        .unwrap();
    term.expect("[N]o? ").unwrap();
    term.send_line("a").unwrap();
    term.expect("> ").unwrap();
    term.send_line("sum").unwrap();
    term.expect("done").unwrap();
    term.expect("> ").unwrap();
    // Once granted, its resources attach over HTTP as over stdio.
    term.send_line("@web:demo://resource/static/document/instructions.md read it")
        .unwrap();
    term.expect("resource over http").unwrap();
    aicoder_tests::terminal::quit(term);
    let results = server::tool_results(&model.requests()[2]);
    assert!(results[0].contains("42"), "{results:?}");

    // The next piped run needs no question; prompts work over HTTP too.
    let run = p.run_with_stdin(&[], "sum\n");
    let prompt = p.run_with_stdin(&[], "/web:args-prompt city=Oslo\n");
    let requests = model.requests();
    let results = server::tool_results(&requests[5]);
    assert!(results[0].contains("42"), "{results:?}\n{}", run.stderr());
    let last_user = |n: usize| last_user_text(&requests[n]);
    assert!(
        last_user(6).contains("What's weather in Oslo?"),
        "{}\n{}",
        last_user(6),
        prompt.stderr()
    );
    assert!(
        last_user(3).contains("Content of @web:demo://resource/static/document/instructions.md"),
        "{}",
        last_user(3)
    );
    let connects: Vec<String> = p
        .audit()
        .into_iter()
        .filter(|l| l["operation"] == "mcp-connect")
        .map(|l| format!("{} {}", l["plugin"], l["outcome"].as_str().unwrap()))
        .collect();
    assert_eq!(
        connects,
        [
            r#""mcp:byname" denied"#,
            r#""mcp:web" denied"#,
            r#""mcp:byname" denied"#,
            r#""mcp:web" allowed"#,
            r#""mcp:byname" denied"#,
            r#""mcp:byname" denied"#,
        ],
        "the connections asked about are in the audit chain"
    );
}
