//! Small helpers shared by several layers.

use std::io::Write;
use std::path::Path;

/// Write `bytes` to `path` atomically: a temporary file in the same directory,
/// flushed to disk, then renamed over the target. A crash leaves either the old
/// or the new file, never a torn one. Creates the parent directory.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    replace_file(path, bytes, true)
}

/// [`atomic_write`], optionally without the fsync: still never torn when the
/// process dies (the rename is atomic and the page cache outlives the
/// process), but a power cut may lose the newest version. For files rewritten
/// after every message, where an fsync would cost more than the turn.
pub fn replace_file(path: &Path, bytes: &[u8], durable: bool) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    if durable {
        tmp.as_file().sync_all()?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The current time as RFC 3339 with milliseconds, UTC.
pub fn now_rfc3339() -> String {
    humantime::format_rfc3339_millis(std::time::SystemTime::now()).to_string()
}

/// Cut `text` to at most `max` bytes on a char boundary, saying how much was cut.
pub fn truncate_text(text: &str, max: usize) -> (String, bool) {
    if text.len() <= max {
        return (text.to_string(), false);
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let cut = text.len() - end;
    (
        format!("{}\n[... {cut} bytes cut at the output cap]", &text[..end]),
        true,
    )
}

/// `value` with every string longer than `max` bytes cut to `max` and marked
/// with its full length, at any depth: what the audit log keeps of arguments
/// a plugin chose, so one call cannot write megabytes to the log.
pub fn shorten_strings(value: serde_json::Value, max: usize) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::String(s) if s.len() > max => {
            let mut end = max;
            while !s.is_char_boundary(end) {
                end -= 1;
            }
            Value::String(format!("{}… [{} bytes in all]", &s[..end], s.len()))
        }
        Value::Array(items) => items.into_iter().map(|v| shorten_strings(v, max)).collect(),
        Value::Object(map) => map
            .into_iter()
            .map(|(k, v)| (k, shorten_strings(v, max)))
            .collect(),
        other => other,
    }
}

/// aicoder's per-user runtime folder, where session sockets live:
/// `$XDG_RUNTIME_DIR/aicoder`, else `$TMPDIR/aicoder-UID`. Named here, below
/// both users: the socket server makes it, and the process sandbox hides it
/// (a confined command must not drive the session that started it).
pub fn runtime_dir() -> std::path::PathBuf {
    match std::env::var_os("XDG_RUNTIME_DIR").filter(|d| !d.is_empty()) {
        Some(run) => std::path::PathBuf::from(run).join("aicoder"),
        None => {
            // SAFETY: getuid cannot fail and touches no memory.
            let uid = unsafe { libc::getuid() };
            std::env::temp_dir().join(format!("aicoder-{uid}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorten_strings_cuts_long_strings_at_any_depth_on_a_char_boundary() {
        let long = "é".repeat(10);
        let v = serde_json::json!({"a": [long.clone(), "short"], "b": {"c": long}, "n": 1});
        let short = shorten_strings(v, 5);
        assert_eq!(short["a"][0], "éé… [20 bytes in all]");
        assert_eq!(short["a"][1], "short");
        assert_eq!(short["b"]["c"], "éé… [20 bytes in all]");
        assert_eq!(short["n"], 1);
    }

    #[test]
    fn atomic_write_replaces_content_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sub").join("f.json");
        atomic_write(&path, b"one").expect("first write");
        atomic_write(&path, b"two").expect("second write");
        assert_eq!(std::fs::read(&path).expect("read"), b"two");
        let entries = std::fs::read_dir(path.parent().expect("parent"))
            .expect("ls")
            .count();
        assert_eq!(entries, 1, "temporary files must not be left behind");
    }

    #[test]
    fn truncate_respects_char_boundaries() {
        let (s, cut) = truncate_text("héllo", 2);
        assert!(cut);
        assert!(s.starts_with('h'));
        assert!(s.contains("bytes cut"));
        assert_eq!(truncate_text("abc", 3), ("abc".to_string(), false));
    }
}
