//! The built-in tools through the real binary and the scripted model server:
//! the sandbox beneath the workspace root, files that keep their mode, paged
//! reads, AGENTS.md in the system prompt, piped input as in AI Coder v3, and
//! only the plugins meant for users in a session (issue #12).

#![allow(clippy::unwrap_used)]

use aicoder_tests::server::{
    answer_text, calls_then_done, finish, last_tool_results as results_of, tool_call, Reply,
    ScriptedServer,
};
use aicoder_tests::{bin, Project};
use expectrl::Eof;
use serde_json::json;
use std::os::unix::fs::PermissionsExt;

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

// ---- 1. the sandbox -------------------------------------------------------

#[test]
fn outside_paths_never_reach_the_model_in_a_piped_run() {
    let server = calls_then_done(&[
        ("read_file", json!({"path": "/etc/passwd"})),
        ("list_directory", json!({"path": "/root"})),
        ("grep", json!({"pattern": "root", "path": "/etc"})),
        ("read_file", json!({"path": "../secret.txt"})),
        ("list_directory", json!({"path": ".."})),
        ("read_file", json!({"path": "link"})),
        ("grep", json!({"pattern": "SECRET", "path": "../"})),
        ("list_directory", json!({"path": "elsewhere-link"})),
    ]);
    let mut p = Project::with_model(&server);
    // The outside files of this test live beside the project's folder.
    std::fs::write(p.dir.path().join("secret.txt"), "TOP SECRET\n").unwrap();
    std::fs::create_dir_all(p.dir.path().join("elsewhere")).unwrap();
    std::fs::write(p.dir.path().join("elsewhere/listed.txt"), "x").unwrap();
    std::os::unix::fs::symlink(p.dir.path().join("secret.txt"), p.work().join("link")).unwrap();
    std::os::unix::fs::symlink(
        p.dir.path().join("elsewhere"),
        p.work().join("elsewhere-link"),
    )
    .unwrap();
    p.env("MINI_SANDBOX", "1");
    let run = p.run_with_stdin(&[], "look around\n");
    // Refused with no terminal to ask: the piped run fails, saying how.
    let err = run.fails();
    let last = err.lines().last().unwrap_or_default();
    assert!(
        last.contains("refused outside the workspace root") && last.contains("MINI_SANDBOX=0"),
        "{err}"
    );
    let results = results_of(&server);
    assert_eq!(results.len(), 8, "{results:?}");
    for (i, text) in results.iter().enumerate() {
        assert!(
            text.contains("outside the workspace root"),
            "call {i} was not refused: {text}"
        );
        for leak in [
            "root:x:0",
            "TOP SECRET",
            "secret.txt",
            "listed.txt",
            "home",
            "work",
        ] {
            assert!(
                !text.contains(&format!("\n{leak}")) && !text.starts_with(leak),
                "call {i} leaked {leak}: {text}"
            );
        }
    }
    assert!(!results.concat().contains("root:x:0"));
    assert!(!results.concat().contains("TOP SECRET"));
}

#[test]
fn outside_writes_are_refused_even_in_yolo_mode_and_aicoder_files_are_never_written() {
    let server = calls_then_done(&[
        (
            "write_file",
            json!({"path": "../escaped.txt", "content": "x"}),
        ),
        (
            "write_file",
            json!({"path": "link-dir/escaped.txt", "content": "x"}),
        ),
        (
            "edit_file",
            json!({"path": "outside-link", "old_string": "keep", "new_string": "lost"}),
        ),
        (
            "write_file",
            json!({"path": ".aicoder/grants.json", "content": "{}"}),
        ),
        (
            "edit_file",
            json!({"path": ".aicoder/history", "old_string": "a", "new_string": "b"}),
        ),
        (
            "write_file",
            json!({"path": "./sub/../.aicoder/plugins/evil.wasm", "content": "x"}),
        ),
        (
            "write_file",
            json!({"path": "inside.txt", "content": "fine\n"}),
        ),
    ]);
    let mut p = Project::with_model(&server);
    std::fs::create_dir_all(p.dir.path().join("other")).unwrap();
    std::fs::write(p.dir.path().join("other/kept.txt"), "keep\n").unwrap();
    std::os::unix::fs::symlink(p.dir.path().join("other"), p.work().join("link-dir")).unwrap();
    std::os::unix::fs::symlink(
        p.dir.path().join("other/kept.txt"),
        p.work().join("outside-link"),
    )
    .unwrap();
    std::fs::create_dir_all(p.work().join("sub")).unwrap();
    std::fs::write(p.work().join(".aicoder/history"), "a\n").unwrap();
    p.env("YOLO_MODE", "1");
    // Refused even in YOLO mode: the piped run fails.
    p.run_with_stdin(&[], "write things\n").fails();
    let results = results_of(&server);
    assert_eq!(results.len(), 7, "{results:?}");
    for text in &results[..3] {
        assert!(text.contains("outside the workspace root"), "{text}");
    }
    for text in &results[3..6] {
        assert!(text.contains("aicoder's own files"), "{text}");
    }
    assert!(results[6].starts_with("wrote inside.txt"), "{}", results[6]);
    assert!(!p.dir.path().join("escaped.txt").exists());
    assert!(!p.dir.path().join("other/escaped.txt").exists());
    assert_eq!(
        std::fs::read_to_string(p.dir.path().join("other/kept.txt")).unwrap(),
        "keep\n"
    );
    assert!(!p.work().join(".aicoder/grants.json").exists());
    assert!(!p.work().join(".aicoder/plugins/evil.wasm").exists());
    assert_eq!(
        std::fs::read_to_string(p.work().join(".aicoder/history")).unwrap(),
        "a\n"
    );
}

#[test]
fn mini_sandbox_0_turns_the_sandbox_off_as_in_v3() {
    let server = calls_then_done(&[("read_file", json!({"path": "../notes.txt"}))]);
    let mut p = Project::with_model(&server);
    std::fs::write(p.dir.path().join("notes.txt"), "beside the project\n").unwrap();
    p.env("MINI_SANDBOX", "0");
    p.run_with_stdin(&[], "read it\n").ok();
    assert_eq!(results_of(&server), ["beside the project\n"]);
}

#[test]
fn the_prompt_can_approve_one_outside_path_once() {
    let server = calls_then_done(&[
        ("read_file", json!({"path": "../notes.txt"})),
        ("read_file", json!({"path": "../notes.txt"})),
    ]);
    let mut p = Project::with_model(&server);
    std::fs::write(p.dir.path().join("notes.txt"), "beside the project\n").unwrap();
    // YOLO does not approve an outside path: the prompt still asks.
    p.env("YOLO_MODE", "1");
    let mut term = aicoder_tests::terminal::spawn_with(&p, &[]);
    term.send_line("read the notes beside the project").unwrap();
    term.expect("outside the workspace root").unwrap();
    term.expect("[y/N]: ").unwrap();
    term.send_line("y").unwrap();
    // Approved once: the second call asks again, and is refused.
    term.expect("[y/N]: ").unwrap();
    term.send_line("n").unwrap();
    term.expect("done").unwrap();
    term.expect("> ").unwrap();
    term.send_line("/quit").unwrap();
    term.expect(Eof).unwrap();
    let results = results_of(&server);
    assert_eq!(results[0], "beside the project\n");
    assert!(
        results[1].contains("outside the workspace root") && !results[1].contains("beside"),
        "{}",
        results[1]
    );
}

// ---- 2. files keep what they were ----------------------------------------

#[test]
fn edits_keep_the_mode_new_files_follow_the_umask_and_symlinks_are_written_through() {
    let server = calls_then_done(&[
        (
            "edit_file",
            json!({"path": "run.sh", "old_string": "old", "new_string": "new"}),
        ),
        (
            "write_file",
            json!({"path": "run.sh", "content": "#!/bin/sh\necho rewritten\n"}),
        ),
        (
            "write_file",
            json!({"path": "fresh/new.txt", "content": "new\n"}),
        ),
        (
            "edit_file",
            json!({"path": "alias.txt", "old_string": "one", "new_string": "two"}),
        ),
        (
            "write_file",
            json!({"path": "alias2.txt", "content": "three\n"}),
        ),
    ]);
    let p = Project::with_model(&server);
    let script = p.work().join("run.sh");
    std::fs::write(&script, "#!/bin/sh\necho old\n").unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(p.work().join("real.txt"), "one\n").unwrap();
    std::fs::set_permissions(
        p.work().join("real.txt"),
        std::fs::Permissions::from_mode(0o640),
    )
    .unwrap();
    std::os::unix::fs::symlink("real.txt", p.work().join("alias.txt")).unwrap();
    std::os::unix::fs::symlink("real.txt", p.work().join("alias2.txt")).unwrap();

    // Run under umask 027 through a shell, with the project's environment.
    let base = p.command(&[]);
    let mut cmd = std::process::Command::new("sh");
    cmd.arg("-c")
        .arg("umask 027 && exec \"$0\"")
        .arg(bin())
        .current_dir(p.work())
        .env_clear();
    for (k, v) in base.get_envs() {
        if let Some(v) = v {
            cmd.env(k, v);
        }
    }
    cmd.env("YOLO_MODE", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"edit\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let results = results_of(&server);
    assert!(
        results.iter().all(|r| !r.starts_with("Error")),
        "{results:?}"
    );
    assert_eq!(
        std::fs::read_to_string(&script).unwrap(),
        "#!/bin/sh\necho rewritten\n"
    );
    assert_eq!(mode(&script), 0o755, "the script stays executable");
    assert_eq!(mode(&p.work().join("fresh/new.txt")), 0o640, "umask 027");
    for link in ["alias.txt", "alias2.txt"] {
        let meta = std::fs::symlink_metadata(p.work().join(link)).unwrap();
        assert!(meta.file_type().is_symlink(), "{link} is still a symlink");
    }
    assert_eq!(
        std::fs::read_to_string(p.work().join("real.txt")).unwrap(),
        "three\n"
    );
    assert_eq!(mode(&p.work().join("real.txt")), 0o640);
    // No temporary file is left behind.
    let names: Vec<String> = std::fs::read_dir(p.work())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.starts_with(".tmp")), "{names:?}");
}

#[test]
fn piped_commands_run_in_order_then_the_other_lines_are_the_task() {
    let server = ScriptedServer::start(vec![
        Reply::Stream(vec![
            tool_call(
                0,
                "py",
                "run_inline_python",
                &json!({"code": "print(app.input_handler.cwd)"}).to_string(),
            ),
            finish("tool_calls", 1, 1),
        ]),
        answer_text("that is the cwd"),
    ]);
    let mut p = Project::with_model(&server);
    p.env("YOLO_MODE", "1");
    let out = p
        .run_with_stdin(
            &["--grant", "python_runtime:workspace.read"],
            "/python_runtime on\nshow the cwd\nand say it twice\n",
        )
        .ok();
    assert!(out.contains("that is the cwd"), "{out}");
    let requests = server.requests();
    let user = requests[0]["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["role"] == "user")
        .unwrap()["content"]
        .clone();
    assert_eq!(user, "show the cwd\nand say it twice");
    assert!(requests[0]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["function"]["name"] == "run_inline_python"));
    let result = &aicoder_tests::server::tool_results(&requests[1])[0];
    assert!(result.contains(&p.work().display().to_string()), "{result}");
}

#[test]
fn piped_commands_alone_run_and_exit_and_a_failed_one_fails_the_run() {
    let p = Project::new();
    let out = p.run_with_stdin(&[], "/help\n/stats\n").ok();
    assert!(
        out.contains("Commands:") && out.contains("API requests"),
        "{out}"
    );
    let run = p.run_with_stdin(&[], "/no_such_command\n/stats\n");
    let err = run.fails();
    assert!(err.contains("unknown command /no_such_command"), "{err}");
    assert!(
        run.stdout().contains("API requests"),
        "later commands still ran"
    );
}

// ---- 5. shipped means useful ----------------------------------------------

#[test]
fn only_plugins_meant_for_users_are_shipped() {
    let server = ScriptedServer::start(vec![answer_text("ok"), answer_text("ok")]);
    let p = Project::with_model(&server);
    // As the tests run it (the build tree named) and as `make run` does
    // (found beside the executable).
    for named in [true, false] {
        let mut cmd = p.command(&["plugin", "list"]);
        if !named {
            cmd.env_remove("AICODER_SHIPPED_PLUGINS");
        }
        let out = cmd.output().unwrap();
        let list = String::from_utf8_lossy(&out.stdout);
        assert!(list.contains("python_runtime"), "{list}");
        for not_shipped in ["example", "misbehave", "redact_secrets", "session_view"] {
            assert!(!list.contains(not_shipped), "{not_shipped} loaded:\n{list}");
        }
    }
    p.run_with_stdin(&[], "hello\n").ok();
    let tools: Vec<String> = server.requests()[0]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["function"]["name"].as_str().unwrap().to_string())
        .collect();
    for name in ["greet", "project_info", "change_dir", "probe"] {
        assert!(
            !tools.contains(&name.to_string()),
            "{name} offered: {tools:?}"
        );
    }
}

// ---- 8. paged reads -------------------------------------------------------

#[test]
fn read_file_pages_like_v3_and_says_how_to_go_on() {
    let server = calls_then_done(&[
        ("read_file", json!({"path": "long.txt"})),
        (
            "read_file",
            json!({"path": "long.txt", "offset": 150, "limit": 1000}),
        ),
        ("read_file", json!({"path": "wide.txt"})),
        ("read_file", json!({"path": "long.txt", "offset": 5000})),
        ("read_file", json!({"path": "big.log", "limit": 100000000})),
    ]);
    let p = Project::with_model(&server);
    let long: String = (1..=400).map(|i| format!("line {i}\n")).collect();
    std::fs::write(p.work().join("long.txt"), &long).unwrap();
    std::fs::write(
        p.work().join("wide.txt"),
        format!("{}\nshort\n", "w".repeat(5000)),
    )
    .unwrap();
    // 20 MiB: more than any one page may carry.
    let big = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\n".repeat(320_000);
    std::fs::write(p.work().join("big.log"), &big).unwrap();
    p.run_with_stdin(&[], "read\n").ok();
    let results = results_of(&server);

    let first = &results[0];
    assert!(first.starts_with("line 1\n"), "{first}");
    assert!(
        first.contains("line 150\n") && !first.contains("line 151\n"),
        "{first}"
    );
    assert!(
        first.contains("lines 1-150 of 400") && first.contains("offset 150"),
        "says more remains and how to get it: {first}"
    );

    let second = &results[1];
    assert!(
        second.starts_with("line 151\n") && second.contains("line 400"),
        "{second}"
    );
    assert!(!second.contains("line 150\n"));
    assert!(!second.contains("offset 400"), "nothing remains: {second}");

    let wide = &results[2];
    assert!(
        wide.contains(&"w".repeat(2000)) && !wide.contains(&"w".repeat(2001)),
        "{}",
        wide.len()
    );
    assert!(wide.contains("5000 chars"), "{wide}");
    assert!(wide.contains("short"));

    assert!(
        results[3].contains("beyond the end") && results[3].contains("400 lines"),
        "{}",
        results[3]
    );

    let big_page = &results[4];
    assert!(
        big_page.len() <= 128 * 1024,
        "a page is bounded: {} bytes",
        big_page.len()
    );
    assert!(
        big_page.contains("offset"),
        "{}",
        &big_page[big_page.len() - 300..]
    );
}

#[test]
fn grep_stops_at_500_results_as_in_v3() {
    let server = calls_then_done(&[("grep", json!({"pattern": "hit"}))]);
    let p = Project::with_model(&server);
    std::fs::write(p.work().join("many.txt"), "hit\n".repeat(800)).unwrap();
    p.run_with_stdin(&[], "grep\n").ok();
    let result = &results_of(&server)[0];
    let hits = result
        .lines()
        .filter(|l| l.starts_with("many.txt:"))
        .count();
    assert_eq!(hits, 500, "{}", &result[result.len() - 200..]);
    assert!(
        result.contains("stopped at 500"),
        "{}",
        &result[result.len() - 200..]
    );
}
