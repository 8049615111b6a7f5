//! MCP servers in the process sandbox (issue 25): real servers nobody here
//! wrote, installed pinned by `make mcp-servers`. server-filesystem started
//! with `/` as its allowed folder is kept from a canary in the test HOME's
//! `~/.ssh` and from writing outside the root by aicoder's sandbox alone;
//! mcp-server-fetch reaches a loopback host only once it is granted to
//! that server entry (asked at a terminal, refused when piped).

#![allow(clippy::unwrap_used)]

use super::common::{calls, servers_dir, user_servers};
use aicoder_tests::server::{self, answer_text, ScriptedServer};
use aicoder_tests::{terminal, Project};
use serde_json::{json, Value};

fn filesystem() -> String {
    servers_dir()
        .join("node_modules/@modelcontextprotocol/server-filesystem/dist/index.js")
        .display()
        .to_string()
}

fn fetch() -> String {
    servers_dir()
        .join("venv/bin/mcp-server-fetch")
        .display()
        .to_string()
}

fn sandbox_lines(p: &Project, operation: &str) -> Vec<Value> {
    p.audit()
        .into_iter()
        .filter(|l| l["capability"] == "process.sandbox" && l["operation"] == operation)
        .collect()
}

/// The filesystem server, allowed `/`, asked to read the canary in
/// `~/.ssh` and to write outside the root: without the sandbox it does
/// both (the control run, `MCP_SANDBOX=0`); with it, neither, each refusal
/// is audited, and a piped run says so without widening.
#[test]
fn a_filesystem_server_allowed_everything_is_kept_from_secrets_and_outside_writes() {
    let run = |sandbox: &str| {
        let p = Project::new();
        let ssh = p.home().join(".ssh");
        std::fs::create_dir_all(&ssh).unwrap();
        std::fs::write(ssh.join("id_rsa"), "CANARY-PRIVATE-KEY-7731\n").unwrap();
        let outside = p.dir.path().join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        let target = outside.join("written.txt");
        let model = ScriptedServer::start(calls(
            &[
                (
                    "mcp__fs__read_text_file",
                    json!({"path": ssh.join("id_rsa").display().to_string()}),
                ),
                (
                    "mcp__fs__write_file",
                    json!({"path": target.display().to_string(), "content": "escaped"}),
                ),
                (
                    "mcp__fs__write_file",
                    json!({"path": p.work().join("inside.txt").display().to_string(), "content": "fine"}),
                ),
            ],
            "done",
        ));
        let mut p = p;
        p.env("API_BASE_URL", &model.url)
            .env("API_KEY", "k")
            .env("API_MODEL", "scripted")
            .env("YOLO_MODE", "1")
            .env("MCP_SANDBOX", sandbox);
        user_servers(
            &p,
            json!({"fs": {"command": "node", "args": [filesystem(), "/"]}}),
        );
        let out = p.run_with_stdin(&[], "go\n");
        let results = server::tool_results(&model.requests()[1]);
        (p, out.stderr(), results, target)
    };

    // The control: unconfined, the server reads the secret and writes out.
    let (_p, _err, results, target) = run("0");
    assert!(
        results[0].contains("CANARY-PRIVATE-KEY-7731"),
        "{results:?}"
    );
    assert!(target.exists(), "unconfined, the write outside happened");

    let (p, err, results, target) = run("1");
    assert!(
        !results.join("\n").contains("CANARY-PRIVATE-KEY-7731"),
        "{results:?}"
    );
    assert!(!target.exists(), "the write outside the root was refused");
    assert!(p.work().join("inside.txt").exists(), "{results:?}");
    assert!(
        err.contains("the sandbox refused MCP server fs reading")
            && err.contains(".ssh")
            && err.contains("not widened"),
        "{err}"
    );
    let refused = sandbox_lines(&p, "path-refused");
    assert!(
        refused
            .iter()
            .any(|l| l["plugin"] == "mcp:fs" && l["args"]["access"] == "read"),
        "{refused:?}"
    );
    assert!(
        refused.iter().any(|l| l["args"]["access"] == "write"),
        "{refused:?}"
    );
    p.run(&["audit", "verify"]).ok();
}

/// mcp-server-fetch: piped, a loopback host nobody granted is refused and
/// audited; at a terminal the same refusal is asked about, granted for the
/// session, the call runs again and the page arrives; "always" is kept in
/// grants.json for this server entry and shown by `aicoder mcp list`.
#[test]
fn a_fetch_server_reaches_a_loopback_host_only_once_granted() {
    let port = aicoder_tests::server::serve_page("granted-page-5521");
    let url = format!("http://127.0.0.1:{port}/page");
    let entry = json!({"fetch": {"command": fetch(), "args": ["--ignore-robots-txt", "--allow-private-ips"]}});

    let model = ScriptedServer::start(calls(
        &[("mcp__fetch__fetch", json!({"url": url, "raw": true}))],
        "done",
    ));
    let mut p = Project::with_model(&model);
    p.env("YOLO_MODE", "1").env("MCP_SANDBOX", "1");
    user_servers(&p, entry.clone());
    let err = p.run_with_stdin(&[], "go\n").stderr();
    let results = server::tool_results(&model.requests()[1]);
    assert!(!results[0].contains("granted-page-5521"), "{results:?}");
    assert!(
        err.contains(&format!(
            "the sandbox refused MCP server fetch 127.0.0.1:{port}"
        )),
        "{err}"
    );
    let refused = sandbox_lines(&p, "proxy-refused");
    assert!(
        refused.iter().any(|l| l["plugin"] == "mcp:fetch"),
        "{:?}",
        p.audit()
    );

    let model = ScriptedServer::start(vec![
        calls(
            &[("mcp__fetch__fetch", json!({"url": url, "raw": true}))],
            "x",
        )[0]
        .clone(),
        answer_text("first done"),
        calls(
            &[("mcp__fetch__fetch", json!({"url": url, "raw": true}))],
            "x",
        )[0]
        .clone(),
        answer_text("second done"),
    ]);
    let mut p = terminal::project(&model);
    p.env("MCP_SANDBOX", "1");
    user_servers(&p, entry);
    let mut term = terminal::spawn(&p);
    term.send_line("go").unwrap();
    term.expect("Approve [Y/n/always]: ").unwrap();
    term.send_line("y").unwrap();
    term.expect(format!("a connection to 127.0.0.1:{port}").as_str())
        .unwrap();
    term.expect("[a]lways").unwrap();
    term.send_line("a").unwrap();
    term.expect("first done").unwrap();
    term.expect("> ").unwrap();
    // Granted always: the second call is not asked about again.
    term.send_line("again").unwrap();
    term.expect("Approve [Y/n/always]: ").unwrap();
    term.send_line("y").unwrap();
    term.expect("second done").unwrap();
    term.expect("> ").unwrap();
    terminal::quit(term);
    let requests = model.requests();
    assert!(
        tool_text(&requests[1]).contains("granted-page-5521"),
        "{:?}",
        tool_text(&requests[1])
    );
    assert!(tool_text(&requests[3]).contains("granted-page-5521"));
    let allowed = sandbox_lines(&p, "host-allowed");
    assert_eq!(allowed.len(), 1, "{allowed:?}");
    assert_eq!(allowed[0]["scope"], "always");
    let list = p.run(&["mcp", "list"]).ok();
    assert!(
        list.contains(&format!("net.fetch:127.0.0.1:{port}")),
        "{list}"
    );
}

fn tool_text(request: &Value) -> String {
    server::tool_results(request).join("\n")
}

/// A server that forks and exits, in the process sandbox: the session
/// survives with a line naming the server, and the forked child does not
/// outlive the session (no process left whose command line names this
/// test's marker file).
#[test]
fn a_forked_server_in_the_sandbox_leaves_nothing_behind() {
    let model = ScriptedServer::start(calls(&[("mcp__f__echo", json!({"text": "x"}))], "survived"));
    let mut p = Project::with_model(&model);
    let marker = p.work().join("fork-marker");
    user_servers(
        &p,
        json!({"f": super::common::hostile_server("fork-exit", &marker.display().to_string())}),
    );
    p.env("YOLO_MODE", "1").env("MCP_TIMEOUT", "5000");
    let run = p.run_with_stdin(&[], "go\n");
    let (out, err) = (run.stdout(), run.stderr());
    assert!(out.contains("survived"), "{out}\n{err}");
    let results = server::tool_results(&model.requests()[1]);
    // Either the child served the call, or the server is reported by name.
    assert!(
        results[0].contains("echo: x") || err.contains("MCP server f: "),
        "{results:?}\n{err}"
    );
    let needle = marker.display().to_string();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let alive: Vec<String> = std::fs::read_dir("/proc")
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().parse::<u32>().is_ok())
            .filter_map(|e| std::fs::read(e.path().join("cmdline")).ok())
            .map(|c| String::from_utf8_lossy(&c).replace('\0', " "))
            .filter(|c| c.contains(&needle) && c.contains("fork-exit"))
            .collect();
        if alive.is_empty() {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the forked server outlived the session: {alive:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}
