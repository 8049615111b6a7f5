//! The audit log is tamper-evident, bounded, and undo trusts only what it can
//! verify: each line carries a sequence number and the blake3 hash of the
//! line before it; `aicoder audit verify` names the first broken line; large
//! old/new values live once in `.aicoder/audit/blobs/`; undo names writes by
//! sequence number, lists what it cannot undo, and refuses lines whose chain
//! does not verify. Everything through the real binary.

#![allow(clippy::unwrap_used)]

use aicoder_tests::Project;
use serde_json::{json, Value};

fn log_path(p: &Project) -> std::path::PathBuf {
    p.work().join(".aicoder/audit.jsonl")
}

fn blobs(p: &Project) -> Vec<std::path::PathBuf> {
    match std::fs::read_dir(p.work().join(".aicoder/audit/blobs")) {
        Ok(dir) => dir.map(|e| e.unwrap().path()).collect(),
        Err(_) => Vec::new(),
    }
}

/// A session file in the project with `users` user messages after the system prompt.
fn session(p: &Project, users: &[&str]) -> std::path::PathBuf {
    let path = p.work().join(".aicoder/session.json");
    let mut messages = vec![json!({"role": "system", "content": "You are aicoder."})];
    messages.extend(users.iter().map(|u| json!({"role": "user", "content": u})));
    std::fs::write(
        &path,
        json!({"version": 1, "messages": messages}).to_string(),
    )
    .unwrap();
    path
}

fn saved_contents(path: &std::path::Path) -> Vec<String> {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    v["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["content"].as_str().unwrap().to_string())
        .collect()
}

fn py(p: &Project, grants: &str, code: &str) {
    p.run(&["py", "--grant", grants, "-c", code]).ok();
}

fn append(p: &Project, text: &str) {
    py(
        p,
        "history.write",
        &format!("app.message_history.add_message('user', {text:?})"),
    );
}

/// The log's lines as text, and the (0-based) index of the first line whose
/// text contains `needle`.
fn lines_and_index(p: &Project, needle: &str) -> (Vec<String>, usize) {
    let text = std::fs::read_to_string(log_path(p)).unwrap();
    let lines: Vec<String> = text.lines().map(String::from).collect();
    let at = lines
        .iter()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?}"));
    (lines, at)
}

fn write_lines(p: &Project, lines: &[String]) {
    std::fs::write(log_path(p), lines.join("\n") + "\n").unwrap();
}

#[test]
fn an_untouched_log_verifies_and_every_line_is_chained() {
    let p = Project::new();
    session(&p, &[]);
    append(&p, "one");
    append(&p, "two");
    let out = p.run(&["audit", "verify"]).ok();
    assert!(out.contains("ok"), "{out}");
    let seqs: Vec<u64> = p
        .audit()
        .iter()
        .map(|e| e["seq"].as_u64().unwrap())
        .collect();
    assert_eq!(seqs, (1..=seqs.len() as u64).collect::<Vec<_>>());
}

#[test]
fn an_edited_line_is_found_by_verify_and_not_trusted_by_undo() {
    let p = Project::new();
    let path = session(&p, &[]);
    for text in ["first", "second", "third", "fourth", "fifth"] {
        append(&p, text);
    }
    // Rewrite what the "third" write says it appended.
    let (mut lines, at) = lines_and_index(&p, "\"third\"");
    lines[at] = lines[at].replace("\"third\"", "\"THIRD\"");
    write_lines(&p, &lines);

    let run = p.run(&["audit", "verify"]);
    assert_eq!(run.0.status.code(), Some(1), "{}", run.stdout());
    let report = run.stdout() + &run.stderr();
    assert!(report.contains(&format!("line {}", at + 1)), "{report}");

    // Undo of the newest write works: the links after it hold. The write
    // after the edited line cannot be told from an edited one (the broken
    // link is between them), so it is refused, naming the line, and the
    // session keeps its message.
    let run = p.run(&["audit", "undo", "2", "--yes"]);
    let out = run.stdout();
    assert_eq!(run.0.status.code(), Some(1), "{out}");
    assert!(out.contains("undone: "), "{out}");
    assert!(
        out.contains("not trusted") && out.contains(&format!("line {}", at + 1)),
        "{out}"
    );
    assert_eq!(
        saved_contents(&path),
        ["You are aicoder.", "first", "second", "third", "fourth"]
    );
}

#[test]
fn a_forged_line_appended_to_the_log_is_detected_and_never_undone() {
    let p = Project::new();
    let path = session(&p, &["keep me"]);
    append(&p, "real");
    // A line in the log's format but not in its chain: what a plugin holding
    // fs.write could append before the chain existed.
    let mut forged = p.audit().pop().unwrap();
    forged["operation"] = "set-message".into();
    forged["capability"] = "history.write".into();
    forged["old"] = json!({"index": 1, "message": {"role": "user", "content": "planted"}});
    forged["new"] = json!({"index": 1, "message": {"role": "user", "content": "keep me"}});
    forged["seq"] = json!(forged["seq"].as_u64().unwrap() + 1);
    forged["prev"] = json!("0".repeat(64));
    let (mut lines, _) = lines_and_index(&p, "\"real\"");
    lines.push(forged.to_string());
    let forged_line = lines.len();
    write_lines(&p, &lines);

    let run = p.run(&["audit", "verify"]);
    assert_eq!(run.0.status.code(), Some(1), "{}", run.stdout());
    assert!(
        (run.stdout() + &run.stderr()).contains(&format!("line {forged_line}")),
        "{}",
        run.stdout()
    );
    let run = p.run(&["audit", "undo", "1", "--yes"]);
    assert_ne!(run.0.status.code(), Some(0), "{}", run.stdout());
    assert!(
        run.stdout().contains(&format!("line {forged_line}")),
        "{}",
        run.stdout()
    );
    assert_eq!(
        saved_contents(&path),
        ["You are aicoder.", "keep me", "real"],
        "the forged line changed nothing"
    );
}

#[test]
fn a_deleted_line_breaks_the_chain() {
    let p = Project::new();
    session(&p, &[]);
    for text in ["a", "b", "c"] {
        append(&p, text);
    }
    let (mut lines, at) = lines_and_index(&p, "\"b\"");
    lines.remove(at);
    write_lines(&p, &lines);
    let run = p.run(&["audit", "verify"]);
    assert_eq!(run.0.status.code(), Some(1), "{}", run.stdout());
    let report = run.stdout() + &run.stderr();
    assert!(
        report.contains(&format!("line {}", at + 1)) && report.contains("missing"),
        "{report}"
    );
}

#[test]
fn two_writes_in_one_millisecond_undo_separately() {
    let p = Project::new();
    let path = session(&p, &[]);
    py(
        &p,
        "history.write",
        "for i in range(5):\n    app.message_history.add_message('user', 'm%d' % i)",
    );
    let times: Vec<String> = p
        .audit()
        .iter()
        .map(|e| e["time"].as_str().unwrap().to_string())
        .collect();
    assert!(
        times.windows(2).any(|w| w[0] == w[1]),
        "precondition: two writes share a millisecond: {times:?}"
    );
    for left in (0..5).rev() {
        let out = p.run(&["audit", "undo", "1", "--yes"]).ok();
        assert!(out.contains("undone: "), "{out}");
        let mut expected = vec!["You are aicoder.".to_string()];
        expected.extend((0..left).map(|i| format!("m{i}")));
        assert_eq!(saved_contents(&path), expected, "{out}");
    }
}

#[test]
fn undo_of_a_history_clear_restores_the_conversation() {
    let p = Project::new();
    let path = session(&p, &["hello", "again"]);
    py(&p, "history.write", "app.message_history.clear()");
    assert_eq!(saved_contents(&path), ["You are aicoder."]);
    let out = p.run(&["audit", "undo", "1", "--yes"]).ok();
    assert!(out.contains("undone: "), "{out}");
    assert_eq!(
        saved_contents(&path),
        ["You are aicoder.", "hello", "again"]
    );
}

#[test]
fn undo_of_a_file_write_restores_the_old_content_and_removes_a_new_file() {
    let p = Project::new();
    std::fs::write(p.work().join("notes.txt"), "old notes").unwrap();
    py(
        &p,
        "fs.write",
        "ctx.write_file('notes.txt', 'new notes')\nctx.write_file('fresh.txt', 'made by the plugin')",
    );
    assert_eq!(
        std::fs::read_to_string(p.work().join("notes.txt")).unwrap(),
        "new notes"
    );
    let out = p.run(&["audit", "undo", "2", "--yes"]).ok();
    assert!(out.contains("undone: "), "{out}");
    assert!(!p.work().join("fresh.txt").exists(), "{out}");
    assert_eq!(
        std::fs::read_to_string(p.work().join("notes.txt")).unwrap(),
        "old notes"
    );
}

#[test]
fn a_write_that_cannot_be_undone_is_listed_and_an_older_one_is_left_alone() {
    let p = Project::new();
    let path = session(&p, &[]);
    append(&p, "older write");
    py(
        &p,
        "tools.manage",
        "def t():\n    return 'x'\nctx.register_tool('made_up', t, 'a tool')",
    );
    let run = p.run(&["audit", "undo", "1", "--yes"]);
    let out = run.stdout();
    assert_eq!(run.0.status.code(), Some(1), "{out}");
    assert!(
        out.contains("cannot be undone") && out.contains("register-tool"),
        "{out}"
    );
    assert_eq!(
        saved_contents(&path),
        ["You are aicoder.", "older write"],
        "the older write is not reverted in its place: {out}"
    );
}

#[test]
fn a_16_mib_write_is_stored_once_beside_the_log_and_undo_reads_it_back() {
    let p = Project::new();
    let code = "ctx.write_file('big.txt', 'x' * (16 << 20))";
    py(&p, "fs.write", code);
    let log_after_one = std::fs::metadata(log_path(&p)).unwrap().len();
    assert!(log_after_one < 64 << 10, "log is {log_after_one} bytes");
    assert_eq!(blobs(&p).len(), 1, "{:?}", blobs(&p));
    py(&p, "fs.write", code);
    let log_after_two = std::fs::metadata(log_path(&p)).unwrap().len();
    assert!(log_after_two < 64 << 10, "log is {log_after_two} bytes");
    assert_eq!(blobs(&p).len(), 1, "the identical value is stored once");
    p.run(&["audit", "verify"]).ok();

    // Undo of the first write (the file did not exist) reads the blob back.
    std::fs::write(p.work().join("big.txt"), "y").unwrap();
    let run = p.run(&["audit", "undo", "2", "--yes"]);
    assert!(
        run.stdout().contains("changed since"),
        "a file changed since is left alone: {}",
        run.stdout()
    );
    std::fs::write(p.work().join("big.txt"), "x".repeat(16 << 20)).unwrap();
    // A blob changed on disk is refused, naming it.
    let blob = blobs(&p).pop().unwrap();
    let mut bytes = std::fs::read(&blob).unwrap();
    let at = bytes.len() / 2;
    bytes[at] = b'z';
    std::fs::write(&blob, &bytes).unwrap();
    let run = p.run(&["audit", "undo", "1", "--yes"]);
    let name = blob.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        run.stdout().contains(&name) && run.stdout().contains("not undone"),
        "{}",
        run.stdout()
    );
    assert!(p.work().join("big.txt").exists());
}

#[test]
fn concurrent_processes_keep_one_valid_chain() {
    let p = Project::new();
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
    let audit = p.audit();
    assert_eq!(audit.len(), 4 * 300);
    let seqs: Vec<u64> = audit.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, (1..=1200).collect::<Vec<_>>());
    let out = p.run(&["audit", "verify"]).ok();
    assert!(out.contains("1200"), "{out}");
}
