//! The process sandbox's settings and grants through the real binary
//! (issue 24): the deny list is the user's to choose (never a project's),
//! a refused host can be granted `always` at the escalation prompt (kept,
//! listed and revoked like a plugin's grant), and an unprivileged user
//! gets the same sandbox.

#![allow(clippy::unwrap_used)]

use aicoder_tests::server::{run_shell_commands, shell_call, tool_results, ScriptedServer};
use aicoder_tests::Project;
use std::io::Write;

fn canary(p: &Project, rel: &str, text: &str) {
    let path = p.home().join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn the_deny_list_is_the_users_to_choose_and_a_project_file_cannot_change_it() {
    let mut p = Project::new();
    canary(&p, ".ssh/id_rsa", "CANARY-ssh-6301");
    canary(&p, "work-keys/k", "CANARY-work-6302");
    // A cloned folder tries to empty the list.
    let project_dir = p.work().join(".aicoder");
    std::fs::create_dir_all(&project_dir).unwrap();
    std::fs::write(
        project_dir.join("config.toml"),
        "SHELL_SANDBOX_DENY_READ = \"none\"\n",
    )
    .unwrap();
    let read = [
        "cat ~/.ssh/id_rsa; echo rc=$?",
        "cat ~/work-keys/k; echo rc=$?",
        "cat ~/.config/aicoder/config.toml; echo rc=$?",
    ];
    let (results, stderr) = run_shell_commands(&mut p, &read, "1");
    assert!(!results[0].contains("CANARY-ssh"), "{}", results[0]);
    assert!(results[1].contains("CANARY-work"), "{}", results[1]);
    assert!(
        stderr.contains("SHELL_SANDBOX_DENY_READ is ignored in a project's config file"),
        "{stderr}"
    );

    // The user adds a place to the default list.
    let user_config = p.home().join(".config/aicoder/config.toml");
    std::fs::create_dir_all(user_config.parent().unwrap()).unwrap();
    std::fs::write(
        &user_config,
        "SHELL_SANDBOX_DENY_READ = \"default, ~/work-keys\"\n",
    )
    .unwrap();
    let (results, stderr) = run_shell_commands(&mut p, &read, "1");
    assert!(!results[0].contains("CANARY-ssh"), "{}", results[0]);
    assert!(!results[1].contains("CANARY-work"), "{}", results[1]);
    assert!(
        !stderr.contains("unknown setting SHELL_SANDBOX_DENY_READ"),
        "{stderr}"
    );

    // The user replaces the list: ~/.ssh is readable now, aicoder's own
    // folders still are not (the user's config file among them).
    std::fs::write(&user_config, "SHELL_SANDBOX_DENY_READ = \"~/work-keys\"\n").unwrap();
    let (results, _) = run_shell_commands(&mut p, &read, "1");
    assert!(results[0].contains("CANARY-ssh"), "{}", results[0]);
    assert!(!results[1].contains("CANARY-work"), "{}", results[1]);
    assert!(
        !results[2].contains("SHELL_SANDBOX_DENY_READ"),
        "{}",
        results[2]
    );
}

#[test]
fn a_host_granted_always_at_the_prompt_is_kept_listed_and_revocable() {
    use aicoder_tests::terminal;
    let port = aicoder_tests::server::serve_page("granted-always-6311");
    let fetch = format!("curl -sS -m 5 http://127.0.0.1:{port}/");
    let server = ScriptedServer::start(vec![
        shell_call("c1", &fetch),
        aicoder_tests::server::answer_text("all done"),
    ]);
    let mut p = terminal::project(&server);
    p.env("SHELL_SANDBOX", "1");
    let mut term = terminal::spawn(&p);
    term.send_line("go").unwrap();
    term.expect("Approve [Y/n]: ").unwrap();
    term.send_line("y").unwrap();
    term.expect(format!("to 127.0.0.1:{port}").as_str())
        .unwrap();
    term.expect("[a]lways").unwrap();
    term.send_line("a").unwrap();
    term.expect("all done").unwrap();
    term.expect("> ").unwrap();
    terminal::quit(term);
    let first = &tool_results(&server.requests()[1])[0];
    assert!(first.contains("granted-always-6311"), "{first}");
    let audit = p.audit();
    let allowed: Vec<_> = audit
        .iter()
        .filter(|l| l["operation"] == "host-allowed")
        .collect();
    assert_eq!(allowed.len(), 1, "{audit:?}");
    assert_eq!(allowed[0]["scope"], "always", "{}", allowed[0]);

    // A later session (piped, YOLO: it never widens) reaches it.
    let (results, _) = run_shell_commands(&mut p, &[&fetch], "1");
    assert!(results[0].contains("granted-always-6311"), "{}", results[0]);
    // Listed, and revoked.
    let listed = p.run_with_stdin(&[], "/grants\n").ok();
    assert!(
        listed.contains("run_shell_command") && listed.contains(&format!("127.0.0.1:{port}")),
        "{listed}"
    );
    let revoked = p
        .run_with_stdin(&[], "/grants revoke run_shell_command net.fetch\n")
        .ok();
    assert!(revoked.contains("removed 1 grant"), "{revoked}");
    let (results, _) = run_shell_commands(&mut p, &[&fetch], "1");
    assert!(
        !results[0].contains("granted-always-6311"),
        "{}",
        results[0]
    );
}

/// `chown -R uid:gid path` (the test runs as root).
fn chown_tree(path: &std::path::Path, uid: u32) {
    std::os::unix::fs::lchown(path, Some(uid), Some(uid)).unwrap();
    if path.is_dir() && !path.is_symlink() {
        for entry in std::fs::read_dir(path).unwrap() {
            chown_tree(&entry.unwrap().path(), uid);
        }
    }
}

#[test]
fn an_unprivileged_user_gets_the_same_sandbox() {
    const NOBODY: u32 = 65534;
    let root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let setpriv = std::process::Command::new("setpriv")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !root || !setpriv {
        eprintln!(
            "SKIPPED: needs root and setpriv to run aicoder as uid {NOBODY} (as another user, \
             every other sandbox test already runs unprivileged)"
        );
        return;
    }
    let mut p = Project::new();
    canary(&p, ".ssh/id_rsa", "CANARY-ssh-6331");
    let outside = tempfile::tempdir().unwrap();
    chown_tree(outside.path(), NOBODY);
    let cache = p.dir.path().join("cache");
    std::fs::create_dir_all(&cache).unwrap();
    p.env("XDG_CACHE_HOME", cache.to_str().unwrap());
    chown_tree(p.dir.path(), NOBODY);
    let commands = [
        "id -u".to_string(),
        "cat ~/.ssh/id_rsa; echo rc=$?".to_string(),
        format!("touch {}/escaped; echo rc=$?", outside.path().display()),
        "echo inside > made.txt && cat made.txt".to_string(),
    ];
    let server = ScriptedServer::start(
        commands
            .iter()
            .enumerate()
            .map(|(i, c)| shell_call(&format!("c{i}"), c))
            .chain([aicoder_tests::server::answer_text("done")])
            .collect(),
    );
    p.env("API_BASE_URL", &server.url)
        .env("API_KEY", "k")
        .env("API_MODEL", "scripted")
        .env("YOLO_MODE", "1")
        .env("SHELL_SANDBOX", "required");
    let inner = p.command(&[]);
    let mut cmd = std::process::Command::new("setpriv");
    cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(inner.get_program())
        .env_clear();
    cmd.envs(inner.get_envs().filter_map(|(k, v)| Some((k, v?))));
    cmd.current_dir(p.work())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    child.stdin.take().unwrap().write_all(b"do it\n").unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let requests = server.requests();
    assert!(requests.len() > commands.len(), "every call ran: {stderr}");
    let results = tool_results(&requests[commands.len()]);
    assert!(results[0].contains(&NOBODY.to_string()), "{}", results[0]);
    assert!(!results[1].contains("CANARY-ssh"), "{}", results[1]);
    assert!(!outside.path().join("escaped").exists(), "{}", results[2]);
    assert!(results[3].contains("inside"), "{}", results[3]);
    assert!(!stderr.contains("not available"), "{stderr}");
}
