//! `aicoder mcp serve` against MCP clients nobody here wrote, installed
//! pinned by `make mcp-clients` into target/mcp-clients: the MCP Inspector
//! CLI (npm `@modelcontextprotocol/inspector`) and the official Python SDK
//! (PyPI `mcp`, driven by tests/mcp_clients/python_client.py).

use aicoder_tests::{root, run_ok, Project};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::Command;

fn clients() -> PathBuf {
    let dir = root().join("target/mcp-clients");
    assert!(
        dir.join("node_modules/.bin/mcp-inspector").is_file()
            && dir.join("py/bin/python").is_file(),
        "{} is missing the pinned MCP clients: run `make mcp-clients` (`make test` does)",
        dir.display()
    );
    dir
}

/// A project serving the example plugin only.
fn project() -> Project {
    aicoder_tests::mcp::serving_project(&["example"])
}

/// The environment `aicoder mcp serve` needs, for clients that start it
/// with a clean environment of their own.
fn server_env(p: &Project) -> Vec<(String, String)> {
    vec![
        ("HOME".into(), p.home().display().to_string()),
        (
            "XDG_CACHE_HOME".into(),
            aicoder_tests::shared_cache().display().to_string(),
        ),
        (
            "AICODER_SHIPPED_PLUGINS".into(),
            p.dir.path().join("shipped").display().to_string(),
        ),
        ("AICODER_PROBE_PORTS".into(), "off".into()),
    ]
}

fn inspector(p: &Project, args: &[&str]) -> Value {
    let mut cmd = Command::new(clients().join("node_modules/.bin/mcp-inspector"));
    cmd.arg("--cli").current_dir(p.work()).env("HOME", p.home());
    cmd.args(args);
    let out = run_ok("mcp-inspector --cli", &mut cmd);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("inspector output ({e}): {out}"))
}

/// The inspector's stdio target: aicoder with its environment.
fn stdio_target(p: &Project) -> Vec<String> {
    let mut args = Vec::new();
    for (k, v) in server_env(p) {
        args.push("-e".to_string());
        args.push(format!("{k}={v}"));
    }
    args.push("--cwd".into());
    args.push(p.work().display().to_string());
    args.push("--".into());
    args.push(aicoder_tests::bin().display().to_string());
    args.push("mcp".into());
    args.push("serve".into());
    args
}

fn text_of(result: &Value) -> String {
    result["content"]
        .as_array()
        .map(|c| {
            c.iter()
                .filter_map(|b| b["text"].as_str())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}

#[test]
fn inspector_cli_lists_and_calls_over_stdio() {
    let p = project();
    let target = stdio_target(&p);
    let mut list: Vec<&str> = vec!["--method", "tools/list"];
    list.extend(target.iter().map(String::as_str));
    let listed = inspector(&p, &list);
    let names: Vec<&str> = listed["tools"]
        .as_array()
        .map(|t| t.iter().filter_map(|t| t["name"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        names.contains(&"greet") && names.contains(&"change_dir"),
        "{listed}"
    );
    let mut call: Vec<&str> = vec![
        "--method",
        "tools/call",
        "--tool-name",
        "greet",
        "--tool-arg",
        "name=Inspector",
    ];
    call.extend(target.iter().map(String::as_str));
    let called = inspector(&p, &call);
    assert_eq!(text_of(&called), "Hello, Inspector!", "{called}");
    let served: Vec<Value> = p
        .audit()
        .into_iter()
        .filter(|l| l["capability"] == "mcp")
        .collect();
    assert_eq!(served.len(), 1, "{served:?}");
    assert!(
        served[0]["via"]
            .as_str()
            .is_some_and(|v| v.starts_with("mcp:") && v.len() > 4),
        "{served:?}"
    );
}

/// The URL comes first: the Inspector's `--header <headers...>` is variadic
/// (commander), so a URL after it is read as a second header and the CLI
/// stops with "Target is required" (what made this test fail before).
#[test]
fn inspector_cli_lists_and_calls_over_http() {
    let p = project();
    let (mut child, url, token) = aicoder_tests::mcp::serve_http(&p);
    let header = format!("Authorization: Bearer {token}");
    let listed = inspector(
        &p,
        &[
            &url,
            "--method",
            "tools/list",
            "--transport",
            "http",
            "--header",
            &header,
        ],
    );
    assert!(listed.to_string().contains("\"greet\""), "{listed}");
    let called = inspector(
        &p,
        &[
            &url,
            "--method",
            "tools/call",
            "--tool-name",
            "greet",
            "--tool-arg",
            "name=HTTP",
            "--transport",
            "http",
            "--header",
            &header,
        ],
    );
    assert_eq!(text_of(&called), "Hello, HTTP!", "{called}");
    // Without the token the inspector gets nowhere.
    let mut cmd = Command::new(clients().join("node_modules/.bin/mcp-inspector"));
    cmd.args([
        "--cli",
        "--method",
        "tools/list",
        "--transport",
        "http",
        &url,
    ])
    .env("HOME", p.home());
    let out = cmd.output().expect("inspector");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!out.status.success(), "no token, no tools: {said}");
    // Refused for want of the token (the Inspector then wants OAuth), not
    // for some unrelated reason such as a bad command line.
    assert!(said.contains("auth"), "{said}");
    let _ = child.kill();
    let _ = child.wait();
}

fn python(args: &[String]) -> Value {
    let mut cmd = Command::new(clients().join("py/bin/python"));
    cmd.arg(root().join("tests/mcp_clients/python_client.py"))
        .args(args);
    let out = run_ok("python_client.py", &mut cmd);
    let last = out.lines().last().unwrap_or_default();
    serde_json::from_str(last).unwrap_or_else(|e| panic!("python client output ({e}): {out}"))
}

#[test]
fn python_sdk_answers_once_session_and_deny_over_stdio() {
    let p = project();
    let env: serde_json::Map<String, Value> = server_env(&p)
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect();
    let calls = json!([
        ["change_dir", {"path": "."}],
        ["change_dir", {"path": "."}],
        ["change_dir", {"path": "."}],
        ["project_info", {}],
    ]);
    let out = python(&[
        "stdio".into(),
        aicoder_tests::bin().display().to_string(),
        p.work().display().to_string(),
        Value::Object(env).to_string(),
        "once,session,deny".into(),
        calls.to_string(),
    ]);
    assert_eq!(out["server"], "aicoder");
    let results = out["results"].as_array().cloned().unwrap_or_default();
    let errors: Vec<bool> = results
        .iter()
        .map(|r| r["is_error"].as_bool().unwrap_or(true))
        .collect();
    // once runs, session runs, the third runs unasked, deny does not run.
    assert_eq!(errors, [false, false, false, true], "{out}");
    let questions = out["questions"].as_array().cloned().unwrap_or_default();
    assert_eq!(questions.len(), 3, "{out}");
    let first = questions[0]["message"].as_str().unwrap_or_default();
    assert!(
        first.contains("example") && first.contains("workspace.write"),
        "{first}"
    );
    let grants =
        std::fs::read_to_string(p.home().join(".config/aicoder/grants.json")).unwrap_or_default();
    assert!(
        !grants.contains("workspace"),
        "once, session and deny persist nothing: {grants}"
    );
    let audit = p.audit();
    let answered: Vec<(String, String, String)> = audit
        .iter()
        .filter(|l| l["operation"] == "grant")
        .map(|l| {
            (
                l["capability"].as_str().unwrap_or_default().to_string(),
                l["scope"].as_str().unwrap_or("-").to_string(),
                l["via"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let via = "mcp:python-sdk-client".to_string();
    assert_eq!(
        answered,
        [
            (
                "workspace.write".to_string(),
                "once".to_string(),
                via.clone()
            ),
            (
                "workspace.write".to_string(),
                "session".to_string(),
                via.clone()
            ),
            ("workspace.read".to_string(), "-".to_string(), via.clone()),
        ]
    );
    let set_cwd = audit
        .iter()
        .filter(|l| l["operation"] == "set-cwd" && l["via"] == json!(via))
        .count();
    assert_eq!(set_cwd, 3, "each change_dir's host call names the client");
}

#[test]
fn python_sdk_over_http_with_an_always_answer() {
    let p = project();
    let (mut child, url, token) = aicoder_tests::mcp::serve_http(&p);
    let calls = json!([["greet", {"name": "Py"}], ["change_dir", {"path": "."}]]);
    let out = python(&[
        "http".into(),
        url,
        token,
        "always".into(),
        calls.to_string(),
    ]);
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(out["results"][0]["text"], "Hello, Py!", "{out}");
    assert_eq!(out["results"][1]["is_error"], false, "{out}");
    let grants =
        std::fs::read_to_string(p.home().join(".config/aicoder/grants.json")).unwrap_or_default();
    assert!(
        grants.contains("workspace.write"),
        "always persists: {grants}"
    );
    // The grant is the person's, usable by a session too: `plugin list` shows it.
    let listed = p.run(&["plugin", "list"]).ok();
    assert!(listed.contains("workspace.write"), "{listed}");
}
