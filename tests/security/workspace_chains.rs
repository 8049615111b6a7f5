//! Attack chains on the workspace root, through the real binary and the real
//! python_runtime: grants that are harmless alone (workspace.write, fs.read,
//! fs.write) combined to reach the machine, aicoder's own files, a second
//! process racing the resolver, and files that block (FIFOs, devices). Each
//! attack here worked on the main branch before the workspace root
//! (issue #11, parts 1 and 2 and the fs race); each now fails with a clear
//! message and an audit line.

#![allow(clippy::unwrap_used)]

use aicoder_tests::Project;
use serde_json::Value;
use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

/// A value that must never reach a plugin's output.
const SECRET: &str = "sk-attack-7f3a9c1e5b";

/// Run `aicoder ARGS`, killing it if it is still running after a generous
/// bound: an attack that makes the host block must fail the test, not hang
/// it. (A hang guard, not a speed assertion.)
fn run_bounded(p: &Project, args: &[&str]) -> Result<Output, String> {
    let mut child = p
        .command(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(90) {
            child.kill().unwrap();
            child.wait().unwrap();
            return Err(format!("aicoder {args:?} was still running after 90 s"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(child.wait_with_output().unwrap())
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The last audit entry for `operation`.
fn last(p: &Project, operation: &str) -> Value {
    p.audit()
        .into_iter()
        .rev()
        .find(|e| e["operation"] == operation)
        .unwrap_or_else(|| panic!("no audit line for {operation}: {:#?}", p.audit()))
}

fn assert_refused(entry: &Value, words: &str) {
    assert_ne!(entry["outcome"], "allowed", "{entry:#}");
    let detail = entry["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains(words),
        "{words:?} not in the audit detail: {entry:#}"
    );
}

fn project_with_secret() -> Project {
    let mut p = Project::new();
    p.env("API_KEY", SECRET).env("DEPLOY_TOKEN", SECRET);
    p
}

#[test]
fn a_cwd_move_to_proc_self_does_not_read_the_environment() {
    let p = project_with_secret();
    let code = r#"app.input_handler.cwd = "/proc/self"; print(ctx.read_file("environ"))"#;
    let out = p.run(&["py", "--grant", "workspace.write,fs.read", "-c", code]);
    let (stdout, stderr) = (out.stdout(), out.stderr());
    assert!(
        !stdout.contains(SECRET) && !stderr.contains(SECRET),
        "{stdout}{stderr}"
    );
    assert!(stderr.contains("never workspace roots"), "{stderr}");
    assert_refused(&last(&p, "set-cwd"), "never workspace roots");

    // Catching the refusal and reading anyway reaches nothing either.
    let code = "try:\n    app.input_handler.cwd = '/proc/self'\nexcept Exception as e:\n    \
                print('refused:', e)\ntry:\n    print(ctx.read_file('environ'))\nexcept Exception as e:\n    \
                print('read refused:', e)\n";
    let out = p
        .run(&["py", "--grant", "workspace.write,fs.read", "-c", code])
        .ok();
    assert!(!out.contains(SECRET), "{out}");
    assert!(out.contains("read refused"), "{out}");
    // Nor does `--allow-root /proc/self`: those folders are never roots.
    let err = p
        .run(&[
            "py",
            "--allow-root",
            "/proc/self",
            "--grant",
            "workspace.write,fs.read",
            "-c",
            "1",
        ])
        .fails();
    assert!(err.contains("never workspace roots"), "{err}");
}

#[test]
fn a_cwd_move_to_etc_is_a_root_move_the_user_must_name() {
    let p = Project::new();
    let code = r#"app.input_handler.cwd = "/etc"; print(ctx.read_file("passwd"))"#;
    let grants = "workspace.write,fs.read";
    let err = p.run(&["py", "--grant", grants, "-c", code]).fails();
    assert!(
        err.contains("PermissionError: moving the workspace root to /etc"),
        "{err}"
    );
    assert!(err.contains("--allow-root /etc"), "{err}");
    assert!(!err.contains("root:x:0"), "{err}");
    assert_refused(&last(&p, "set-cwd"), "moving the workspace root to /etc");
    assert_eq!(last(&p, "set-cwd")["args"]["path"], "/etc");

    // Named on the command line, the move happens, once: going back out of
    // /etc is another root move nobody named.
    let code = format!(
        "app.input_handler.cwd = '/etc'\nprint('root:x:0' in ctx.read_file('passwd'))\n\
         app.input_handler.cwd = {:?}",
        p.work().display().to_string()
    );
    let out = p.run(&["py", "--allow-root", "/etc", "--grant", grants, "-c", &code]);
    let err = out.fails();
    // What the code printed before the exception is shown with it.
    assert!(err.contains("True"), "{err}");
    assert!(
        err.contains(&format!(
            "moving the workspace root to {}",
            p.work().display()
        )),
        "{err}"
    );
}

#[test]
fn fs_write_cannot_touch_the_audit_log_or_plant_a_plugin() {
    let p = Project::new();
    std::fs::create_dir(p.work().join("sub")).unwrap();
    std::os::unix::fs::symlink(".aicoder", p.work().join("notes")).unwrap();
    std::os::unix::fs::symlink("..", p.work().join("sub/up")).unwrap();
    // Some history in the log first.
    p.run(&["py", "-c", "app.input_handler.cwd"]).fails();
    let before = std::fs::read_to_string(p.work().join(".aicoder/audit.jsonl")).unwrap();
    assert!(!before.is_empty());

    let err = p
        .run(&[
            "py",
            "--grant",
            "fs.write",
            "-c",
            r#"ctx.write_file(".aicoder/audit.jsonl", "")"#,
        ])
        .fails();
    assert!(err.contains("aicoder's own folder"), "{err}");
    for path in [
        "./.aicoder/../.aicoder/audit.jsonl",
        "notes/audit.jsonl",
        "sub/up/.aicoder/audit.jsonl",
        ".aicoder/plugins/evil.wasm",
        "notes/plugins/evil.wasm",
    ] {
        let code = format!("ctx.write_file({path:?}, 'forged')");
        let err = p
            .run(&["py", "--grant", "fs.write,fs.read", "-c", &code])
            .fails();
        assert!(err.contains("aicoder's own folder"), "{path}: {err}");
        let code = format!("print(ctx.read_file({path:?}))");
        let err = p
            .run(&["py", "--grant", "fs.write,fs.read", "-c", &code])
            .fails();
        assert!(err.contains("aicoder's own folder"), "{path}: {err}");
    }
    let after = std::fs::read_to_string(p.work().join(".aicoder/audit.jsonl")).unwrap();
    assert!(after.starts_with(&before), "the audit log was rewritten");
    assert!(!after.contains("forged"));
    assert!(!p.work().join(".aicoder/plugins/evil.wasm").exists());
    assert_refused(&last(&p, "write-file"), "aicoder's own folder");
    assert_refused(&last(&p, "read-file"), "aicoder's own folder");
}

#[test]
fn with_home_inside_the_root_the_user_config_and_cache_are_out_of_reach() {
    let mut p = Project::new();
    // The root is $HOME: ~/.config/aicoder and ~/.cache/aicoder are beneath it.
    let home = p.work();
    p.env("HOME", home.to_str().unwrap());
    std::fs::create_dir_all(home.join(".config")).unwrap();
    std::fs::create_dir_all(home.join(".cache/aicoder")).unwrap();
    std::fs::write(home.join(".cache/aicoder/x"), "cache").unwrap();
    for code in [
        "ctx.write_file('.config/aicoder/grants.json', '{}')",
        "print(ctx.read_file('.cache/aicoder/x'))",
        "ctx.write_file('.cache/aicoder/x', 'y')",
    ] {
        let err = p
            .run(&["py", "--grant", "fs.write,fs.read", "-c", code])
            .fails();
        assert!(err.contains("aicoder's own folder"), "{code}: {err}");
    }
    assert!(
        !home.join(".config/aicoder").exists(),
        "the config folder was created"
    );
    assert_eq!(
        std::fs::read_to_string(home.join(".cache/aicoder/x")).unwrap(),
        "cache"
    );
}

#[test]
fn symlinks_out_of_the_root_lead_nowhere() {
    let p = Project::new();
    let outside = p.dir.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("secret"), SECRET).unwrap();
    std::os::unix::fs::symlink("../outside", p.work().join("rel")).unwrap();
    std::os::unix::fs::symlink(&outside, p.work().join("abs")).unwrap();
    std::fs::create_dir(p.work().join("deep")).unwrap();
    std::os::unix::fs::symlink("../../outside/secret", p.work().join("deep/file")).unwrap();
    for path in [
        "rel/secret",
        "abs/secret",
        "deep/file",
        "../outside/secret",
        "deep/../../outside/secret",
    ] {
        let code = format!("print(ctx.read_file({path:?}))");
        let out = p.run(&["py", "--grant", "fs.read", "-c", &code]);
        let err = out.fails();
        assert!(!out.stdout().contains(SECRET), "{path}");
        assert!(err.contains("outside the workspace root"), "{path}: {err}");
    }
    // A cwd move into a symlink to outside is a root move, not a free cd.
    let err = p
        .run(&[
            "py",
            "--grant",
            "workspace.write,fs.read",
            "-c",
            "app.input_handler.cwd = 'rel'",
        ])
        .fails();
    assert!(err.contains("moving the workspace root to"), "{err}");
    assert_refused(&last(&p, "read-file"), "outside the workspace root");
}

/// A second process swaps a folder for a symlink to outside, over and over,
/// while the plugin reads through it: not one read may return the secret.
#[test]
fn a_folder_swapped_for_a_symlink_by_another_process_never_leaks() {
    let mut p = Project::new();
    p.env("PLUGIN_TIMEOUT_MS", "120000");
    let outside = p.dir.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("secret"), SECRET).unwrap();
    let work = p.work();
    std::fs::create_dir(work.join("d")).unwrap();
    std::fs::write(work.join("d/secret"), "inside").unwrap();
    std::os::unix::fs::symlink(&outside, work.join("d_link")).unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let swapper = {
        let (stop, work) = (stop.clone(), work.clone());
        // Each state is one rename away from the other, so `d` is nearly
        // always there: a real folder half the time, a symlink to outside
        // the other half.
        std::thread::spawn(move || {
            let mut swaps = 0u64;
            let hold = || (0..2000).for_each(|_| std::hint::spin_loop());
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let _ = std::fs::rename(work.join("d"), work.join("d_real"));
                let _ = std::fs::rename(work.join("d_link"), work.join("d"));
                hold();
                let _ = std::fs::rename(work.join("d"), work.join("d_link"));
                let _ = std::fs::rename(work.join("d_real"), work.join("d"));
                hold();
                swaps += 1;
            }
            swaps
        })
    };
    let code = format!(
        "escapes = inside = refused = 0\nfor i in range(10000):\n    try:\n        \
         t = ctx.read_file('d/secret')\n        if t == {SECRET:?}:\n            escapes += 1\n        \
         else:\n            inside += 1\n    except Exception:\n        refused += 1\n\
         print(f'escapes={{escapes}} inside={{inside}} refused={{refused}}')"
    );
    // Three runs of 10,000 reads (the old canonicalize-then-reopen resolver
    // let 2 in 10,000 through in one run).
    let runs: Vec<_> = (0..3)
        .map(|_| run_bounded(&p, &["py", "--grant", "fs.read", "-c", &code]))
        .collect();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let swaps = swapper.join().unwrap();
    for out in runs {
        let out = out.unwrap();
        let stdout = text(&out.stdout);
        assert!(
            stdout.contains("escapes=0 "),
            "{stdout}{}",
            text(&out.stderr)
        );
    }
    assert!(swaps > 0);
}

#[test]
fn a_fifo_and_a_device_are_refused_without_blocking() {
    let p = Project::new();
    std::fs::create_dir(p.work().join("pipes")).unwrap();
    let fifo = p.work().join("pipes/pipe");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    // The cwd moves into the FIFO's folder (inside the root: allowed), then reads it.
    let code = "app.input_handler.cwd = 'pipes'\nprint(ctx.read_file('pipe'))";
    let out = run_bounded(
        &p,
        &["py", "--grant", "workspace.write,fs.read", "-c", code],
    )
    .unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("is a FIFO (named pipe), not a regular file"),
        "{err}"
    );
    assert_refused(&last(&p, "read-file"), "FIFO");

    // /dev/zero: through a cwd move (never a root) or a symlink (outside).
    std::os::unix::fs::symlink("/dev/zero", p.work().join("zero")).unwrap();
    let code = "try:\n    app.input_handler.cwd = '/dev'\nexcept Exception as e:\n    print(e)\n\
                for f in ['zero', '/dev/zero']:\n    try:\n        print(len(ctx.read_file(f)))\n    \
                except Exception as e:\n        print(type(e).__name__, e)";
    let out = run_bounded(
        &p,
        &["py", "--grant", "workspace.write,fs.read", "-c", code],
    )
    .unwrap();
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("never workspace roots"), "{stdout}");
    assert_eq!(
        stdout.matches("outside the workspace root").count(),
        2,
        "{stdout}"
    );
}

#[test]
fn a_plugin_tool_moving_the_root_needs_allow_root_naming_that_folder() {
    let p = Project::new();
    // The example is not shipped: the test installs it.
    p.install(&aicoder_tests::wasm("example"), "example.wasm");
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().canonicalize().unwrap();
    let args = serde_json::json!({ "path": target.display().to_string() }).to_string();
    let call = [
        "plugin",
        "call",
        "example",
        "change_dir",
        &args,
        "--grant",
        "example:workspace.write",
    ];
    let err = p.run(&call).fails();
    assert!(
        err.contains(&format!("--allow-root {}", target.display())),
        "{err}"
    );
    assert_refused(&last(&p, "set-cwd"), "moving the workspace root");

    // Another folder named does not cover this one.
    let other = p.dir.path().join("home");
    let mut named = call.to_vec();
    named.extend(["--allow-root", other.to_str().unwrap()]);
    p.run(&named).fails();

    let mut named = call.to_vec();
    named.extend(["--allow-root", target.to_str().unwrap()]);
    let out = p.run(&named).ok();
    assert!(
        out.contains(&format!("working directory is now {}", target.display())),
        "{out}"
    );
    let entry = last(&p, "set-cwd");
    assert_eq!(entry["outcome"], "allowed");
    assert_eq!(entry["new"], target.display().to_string());
    // The audit log stays where the session started.
    assert!(!target.join(".aicoder").exists());
}

#[test]
fn moving_inside_the_root_is_free_and_aicoder_own_folder_is_no_cwd() {
    let p = Project::new();
    std::fs::create_dir_all(p.work().join("a/b")).unwrap();
    std::fs::write(p.work().join("top.txt"), "top").unwrap();
    let code = "app.input_handler.cwd = 'a/b'\nprint(ctx.read_file('../../top.txt'))\n\
                app.input_handler.cwd = '../..'\nprint(app.input_handler.cwd)";
    let out = p
        .run(&[
            "py",
            "--grant",
            "workspace.write,workspace.read,fs.read",
            "-c",
            code,
        ])
        .ok();
    assert_eq!(out.trim(), format!("top\n{}", p.work().display()));
    let err = p
        .run(&[
            "py",
            "--grant",
            "workspace.write",
            "-c",
            "app.input_handler.cwd = '.aicoder'",
        ])
        .fails();
    assert!(err.contains("aicoder's own folder"), "{err}");
    assert!(Path::new(&p.work()).join(".aicoder/audit.jsonl").exists());
}

/// In a session, a root move is its own question, showing the exact target,
/// asked every time: a session grant of workspace.write never covers it.
#[test]
fn a_root_move_is_asked_in_the_terminal_every_time_with_its_exact_target() {
    use aicoder_tests::server::{answer_text, finish, tool_call, Reply, ScriptedServer};
    use expectrl::Eof;
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().canonicalize().unwrap();
    let shown = target.display().to_string();
    let args = serde_json::json!({ "path": shown }).to_string();
    let call = |id: &str| {
        Reply::Stream(vec![
            tool_call(0, id, "change_dir", &args),
            finish("tool_calls", 1, 1),
        ])
    };
    let server = ScriptedServer::start(vec![call("c1"), call("c2"), answer_text("all moved")]);
    let mut p = Project::new();
    // The example is not shipped: installed as a user plugin, like a person would.
    p.install(&aicoder_tests::wasm("example"), "example.wasm");
    p.env("API_BASE_URL", &server.url)
        .env("API_KEY", "k")
        .env("API_MODEL", "scripted");
    let mut term = aicoder_tests::terminal::spawn_with(
        &p,
        &["--grant", "example:workspace.write,workspace.read"],
    );
    term.send_line("move over there").unwrap();
    let question = format!("move the workspace root to {shown}? [y/N]: ");
    for answer in ["n", "y"] {
        term.expect("Approve [Y/n]: ").unwrap();
        term.send_line("y").unwrap();
        term.expect(
            format!(
                "asks to move the workspace root from {} to {shown}",
                p.work().display()
            )
            .as_str(),
        )
        .unwrap();
        term.expect(question.as_str()).unwrap();
        term.send_line(answer).unwrap();
    }
    term.expect("all moved").unwrap();
    term.expect("> ").unwrap();
    term.send_line("/where").unwrap();
    term.expect(format!("{shown}\r\n").as_str()).unwrap();
    term.send_line("/quit").unwrap();
    term.expect(Eof).unwrap();

    let moves: Vec<Value> = p
        .audit()
        .into_iter()
        .filter(|e| e["operation"] == "root-move")
        .collect();
    assert_eq!(moves.len(), 2, "{moves:#?}");
    assert_eq!(moves[0]["outcome"], "denied");
    assert_eq!(moves[1]["outcome"], "allowed");
    assert_eq!(moves[1]["new"], shown);
    let requests = server.requests();
    let last_tool =
        |i: usize| requests[i]["messages"].as_array().unwrap().last().unwrap()["content"].clone();
    assert!(
        !last_tool(1).as_str().unwrap().contains("the user moved"),
        "{}",
        last_tool(1)
    );
    assert!(
        last_tool(2)
            .as_str()
            .unwrap()
            .contains(&format!("the user moved the workspace root to {shown}")),
        "{}",
        last_tool(2)
    );
}
