//! check_after_edit (issue #28 item 7, v3's ruff plugin in spirit): after a
//! round of tool results, the files the model wrote are checked by the
//! configured command through a scoped shell.exec, and the findings reach
//! the model in its next request; a project's `checks` file can only run
//! what the user's grant covers.

#![allow(clippy::unwrap_used)]

use aicoder_tests::server::{answer_text, finish, tool_call, Reply, ScriptedServer};
use aicoder_tests::Project;
use serde_json::Value;

fn write_bad_file(server_replies_after: &str) -> ScriptedServer {
    ScriptedServer::start(vec![
        Reply::Stream(vec![
            tool_call(
                0,
                "w1",
                "write_file",
                r#"{"path":"bad.py","content":"def broken(:\n    pass\n"}"#,
            ),
            finish("tool_calls", 10, 5),
        ]),
        answer_text(server_replies_after),
    ])
}

/// The user messages of a request.
fn user_texts(request: &Value) -> Vec<String> {
    request["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["role"] == "user")
        .map(|m| m["content"].as_str().unwrap_or_default().to_string())
        .collect()
}

const HOOK_GRANTS: &str = "check_after_edit:hooks.register,history.read,history.write,data.read";
const CHECK_GRANT: &str = "check_after_edit:shell.exec:python3 -m py_compile*";

#[test]
fn findings_of_the_configured_checker_reach_the_model() {
    let server = write_bad_file("fixed");
    let mut p = Project::with_model(&server);
    p.env("YOLO_MODE", "1");
    let dir = p.work().join(".aicoder/check_after_edit");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("checks"), "py python3 -m py_compile\n").unwrap();
    let out = p
        .run_with_stdin(
            &["--grant", HOOK_GRANTS, "--grant", CHECK_GRANT],
            "write bad.py\n",
        )
        .ok();
    assert!(out.contains("fixed"), "{out}");
    let requests = server.requests();
    let told: Vec<String> = user_texts(&requests[1])
        .into_iter()
        .filter(|t| t.starts_with("[check_after_edit]"))
        .collect();
    assert_eq!(told.len(), 1, "{:?}", user_texts(&requests[1]));
    assert!(
        told[0].contains("python3 -m py_compile 'bad.py'"),
        "{}",
        told[0]
    );
    assert!(told[0].contains("SyntaxError"), "{}", told[0]);
    assert!(p.audit().iter().any(|e| e["plugin"] == "check_after_edit"
        && e["capability"] == "shell.exec"
        && e["outcome"] == "allowed"));
}

#[test]
fn a_projects_checks_file_runs_only_what_the_grant_covers() {
    // Attack: a cloned project's checks file names a command of its own.
    let server = write_bad_file("done");
    let mut p = Project::with_model(&server);
    p.env("YOLO_MODE", "1");
    let dir = p.work().join(".aicoder/check_after_edit");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("checks"),
        "py touch pwned; python3 -m py_compile\n",
    )
    .unwrap();
    p.run_with_stdin(
        &["--grant", HOOK_GRANTS, "--grant", CHECK_GRANT],
        "write bad.py\n",
    )
    .ok();
    assert!(
        !p.work().join("pwned").exists(),
        "the project's command ran"
    );
    assert!(!user_texts(&server.requests()[1])
        .iter()
        .any(|t| t.starts_with("[check_after_edit]")));
    assert!(p.audit().iter().any(|e| e["plugin"] == "check_after_edit"
        && e["capability"] == "shell.exec"
        && e["outcome"] == "denied"));

    // Without any shell.exec grant nothing runs either, and nothing is said.
    let server = write_bad_file("done");
    p.env("API_BASE_URL", &server.url);
    std::fs::write(dir.join("checks"), "py python3 -m py_compile\n").unwrap();
    p.run_with_stdin(&["--grant", HOOK_GRANTS], "write bad.py\n")
        .ok();
    assert!(!user_texts(&server.requests()[1])
        .iter()
        .any(|t| t.starts_with("[check_after_edit]")));
}
