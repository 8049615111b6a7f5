//! Files aicoder owns survive crashes and company: a `kill -9` during a save
//! leaves the old or the new session file, never a torn one; two aicoder
//! processes in one folder keep their own conversations and a whole audit
//! log. (Corrupt files reported and kept: session.rs and caps/grants.rs.)

#![allow(clippy::unwrap_used)]

use aicoder_tests::server::{answer_text, ScriptedServer};
use aicoder_tests::{autosaved, Project};
use serde_json::{json, Value};
use std::process::Stdio;
use std::time::{Duration, Instant};

fn session_with(messages: usize, filler: &str) -> Value {
    let mut all = vec![json!({"role": "system", "content": "sys"})];
    all.extend((0..messages).map(|i| json!({"role": "user", "content": format!("{i} {filler}")})));
    json!({"version": 1, "messages": all})
}

fn message_count(path: &std::path::Path) -> Result<usize, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let v: Value = serde_json::from_str(&text).map_err(|e| format!("torn file: {e}"))?;
    Ok(v["messages"].as_array().unwrap().len())
}

fn temp_files(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(".tmp")
        })
        .count()
}

#[test]
fn a_kill_during_save_leaves_the_old_or_the_new_file() {
    let p = Project::new();
    let work = p.work();
    // ~40 MB to save, so that a save takes long enough to be interrupted.
    let big = session_with(40_000, &"x".repeat(1000));
    std::fs::write(work.join("big.json"), big.to_string()).unwrap();
    let old = session_with(2, "old");
    let target = work.join("target.json");
    let save = |delay: Option<Duration>| {
        std::fs::write(&target, old.to_string()).unwrap();
        let mut child = p
            .command(&["--session", "big.json"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(b"/save target.json\n")
            .unwrap();
        if let Some(delay) = delay {
            std::thread::sleep(delay);
            child.kill().unwrap(); // SIGKILL
        }
        child.wait().unwrap()
    };
    let started = Instant::now();
    assert!(save(None).success());
    let full = started.elapsed();
    assert_eq!(message_count(&target), Ok(40_001));

    // Kill at ever later moments, until kills have landed before, during (a
    // temporary file was left behind) and after the write. The delay keeps
    // growing past the measured run, since on a loaded machine a run may
    // take several times longer than the first one did.
    let (mut old_seen, mut new_seen, mut mid_write) = (0, 0, 0);
    let mut factor = 0.01;
    for _ in 0..400 {
        let delay = full.mul_f64(factor);
        factor += 0.03;
        let temps_before = temp_files(&work);
        let status = save(Some(delay));
        match message_count(&target) {
            Ok(3) => old_seen += 1,
            Ok(40_001) => new_seen += 1,
            other => panic!("after a kill at {delay:?}: {other:?}"),
        }
        if !status.success() && temp_files(&work) > temps_before {
            mid_write += 1;
        }
        if old_seen > 0 && new_seen > 0 && mid_write > 0 {
            break;
        }
    }
    assert!(
        old_seen > 0 && new_seen > 0 && mid_write > 0,
        "kills did not cover the save: old {old_seen}, new {new_seen}, mid-write {mid_write}"
    );
}

#[test]
fn two_processes_in_one_folder_keep_their_own_sessions_and_a_whole_audit_log() {
    let server = ScriptedServer::start((0..4).map(|_| answer_text("noted")).collect());
    let p = Project::with_model(&server);
    // Two conversations at once, each autosaved to its own file.
    let project = &p;
    std::thread::scope(|s| {
        let runs: Vec<_> = ["task from A", "task from B"]
            .into_iter()
            .map(|task| s.spawn(move || project.run_with_stdin(&[], &format!("{task}\n"))))
            .collect();
        for run in runs {
            run.join().unwrap().ok();
        }
    });
    let files: Vec<_> = std::fs::read_dir(p.work().join(".aicoder/sessions"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");
    let mut users: Vec<String> = files
        .iter()
        .map(|f| {
            let v = aicoder_tests::saved_messages(f);
            let users: Vec<&Value> = v.iter().filter(|m| m["role"] == "user").collect();
            assert_eq!(users.len(), 1, "{v:?}");
            users[0]["content"].as_str().unwrap().to_string()
        })
        .collect();
    users.sort();
    assert_eq!(users, ["task from A", "task from B"]);
    assert!(!autosaved(&p).is_empty());

    // Four processes writing the audit log at once: every line whole.
    let code = "for i in range(300):\n    app.input_handler.cwd";
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    p.run(&["py", "--grant", "workspace.read", "-c", code]).ok();
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
    });
    // Parses every line. The sessions above audited the shipped hook plugins' withheld
    // deliveries; the four processes wrote python_runtime's lines.
    let audit: Vec<_> = p
        .audit()
        .into_iter()
        .filter(|e| e["plugin"] == "python_runtime")
        .collect();
    assert_eq!(audit.len(), 4 * 300);
    assert!(audit.iter().all(|e| e["operation"] == "get-cwd"));
}
