use super::*;
use serde_json::json;
use std::io::Write;

fn entry(name: &str, i: usize) -> AuditEntry {
    let id = PluginId {
        name: name.to_string(),
        hash: "h".into(),
        source: crate::state::PluginSource::User,
    };
    let mut e = AuditEntry::new(
        &id,
        Capability::WorkspaceWrite,
        "set-cwd",
        json!({ "i": i }),
    );
    e.old = Some(json!("/old"));
    e
}

#[test]
fn appends_lines_and_reads_back_filtered_tail() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(".aicoder").join("audit.jsonl");
    let log = AuditLog::new(path.clone());
    for (i, name) in ["a", "b", "a"].iter().enumerate() {
        log.append(&entry(name, i)).expect("append");
    }
    assert!(!path.exists(), "lines wait for the end of the call");
    log.flush();
    std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .and_then(|mut f| f.write_all(b"torn line\n"))
        .expect("damage");
    let tail = read_recent(&path, 10, Some("a")).expect("read");
    assert_eq!(tail.entries.len(), 2);
    assert_eq!(tail.entries[1].args, json!({"i": 2}));
    assert_eq!(tail.entries[1].seq, Some(3));
    assert_eq!(tail.entries[0].old, Some(json!("/old")));
    assert_eq!(tail.unreadable_lines, 1);
    assert_eq!(read_recent(&path, 1, None).expect("read").entries.len(), 1);
}

#[test]
fn chain_continues_across_logs_and_after_unchained_lines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("audit.jsonl");
    std::fs::write(&path, "{\"old\":\"unchained\"}\n").expect("legacy line");
    for round in 0..3 {
        let log = AuditLog::new(path.clone());
        log.append(&entry("a", round)).expect("append");
        log.append(&entry("b", round)).expect("append");
    }
    let v = verify(&path).expect("verify");
    assert_eq!(v.broken, None);
    assert_eq!((v.lines, v.unchained_before, v.last_seq), (7, 1, Some(6)));

    // A line cut short: the next writer starts on a new line and a new
    // chain, which verify reports.
    std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .and_then(|mut f| f.write_all(b"{\"seq\":7,\"pr"))
        .expect("cut");
    let log = AuditLog::new(path.clone());
    log.append(&entry("c", 9)).expect("append");
    drop(log);
    let v = verify(&path).expect("verify");
    assert!(v.broken.expect("broken").contains("line 8"));
}

#[test]
fn large_values_go_to_one_blob_and_verify_checks_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("audit.jsonl");
    let log = AuditLog::new(path.clone());
    let mut e = entry("a", 0);
    e.old = Some(json!({"content": "x".repeat(100_000)}));
    e.new = e.old.clone();
    log.append(&e).expect("append");
    log.flush();
    assert!(std::fs::metadata(&path).expect("log").len() < 2000);
    let tail = read_recent(&path, 1, None).expect("read");
    let stored = &tail.entries[0];
    assert_eq!(stored.old, None);
    assert_eq!(stored.old_blob, stored.new_blob);
    let blob = stored.old_blob.as_ref().expect("blob");
    assert_eq!(
        blobs::load(log.blobs_dir(), blob).expect("load"),
        e.old.clone().expect("old")
    );
    assert_eq!(verify(&path).expect("verify").blobs, 1);
    std::fs::write(log.blobs_dir().join(&blob.hash), "{}").expect("damage");
    let broken = verify(&path).expect("verify").broken.expect("broken");
    assert!(broken.contains(&blob.hash), "{broken}");
}
