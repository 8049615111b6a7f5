//! One line per tool call telling the user how it went: `✓ name · what it
//! gave` or `✗ name · why it failed`, sanitised and cut to the terminal;
//! and the line announcing the call (`→ write_file src/a.rs (1.2 KiB, 40
//! lines)`), one compact line whatever the arguments hold.

use super::style::{paint, GREEN, RED};
use unicode_width::UnicodeWidthChar;

/// The outcome line of a call of `name`: `Ok` with the result or its
/// summary, `Err` with why it failed (the words, without the `Error: ` the
/// model reads before them: the session's `CallError` keeps them apart). `width` is the
/// terminal's columns; `styled` colours the mark.
pub fn line(name: &str, result: Result<&str, &str>, width: usize, styled: bool) -> String {
    let (mark, colour, text) = match result {
        Ok(text) => ("✓", GREEN, gist(text, false)),
        Err(text) => ("✗", RED, gist(text, true)),
    };
    let name = super::sanitize::visible(name);
    let head = format!("  {mark} {name}");
    let budget = width.saturating_sub(display_width(&head) + 3).max(10);
    let text = cut(&super::sanitize::visible(&text), budget);
    let head = format!("  {} {name}", paint(styled, colour, mark));
    if text.is_empty() {
        head
    } else {
        format!("{head} · {text}")
    }
}

/// The line announcing a call of `name` with the model's `raw_args`: for
/// write_file the path and the size of the content, for edit_file the path
/// and the sizes of the old and new strings, otherwise the arguments as
/// one-line JSON. Sanitised and cut to `width` columns with `…`.
pub fn call_line(name: &str, raw_args: &str, width: usize) -> String {
    let parsed: Option<serde_json::Map<String, serde_json::Value>> =
        serde_json::from_str(raw_args).ok();
    let text = |key: &str| {
        parsed
            .as_ref()
            .and_then(|args| args.get(key))
            .and_then(serde_json::Value::as_str)
    };
    let args = match (name, text("path")) {
        ("write_file", Some(path)) => match text("content") {
            Some(content) => format!("{path} ({})", size(content)),
            None => path.to_string(),
        },
        ("edit_file", Some(path)) => match (text("old_string"), text("new_string")) {
            (Some(old), Some(new)) => format!("{path} ({} → {})", size(old), size(new)),
            _ => path.to_string(),
        },
        // Re-serialised, the JSON is one line (newlines in strings become
        // `\n`); what does not parse has its line breaks made spaces.
        _ => match &parsed {
            Some(args) => serde_json::Value::Object(args.clone()).to_string(),
            None => raw_args.split_whitespace().collect::<Vec<_>>().join(" "),
        },
    };
    let head = format!("→ {}", super::sanitize::visible(name));
    let args = super::sanitize::visible(&args).replace('\n', " ");
    if args.is_empty() {
        return cut(&head, width.max(10));
    }
    let budget = width.saturating_sub(display_width(&head) + 1).max(10);
    format!("{head} {}", cut(&args, budget))
}

/// `1.2 KiB, 40 lines` for a text the model sent.
fn size(text: &str) -> String {
    let bytes = text.len();
    let amount = if bytes < 1024 {
        format!("{bytes} B")
    } else if bytes < 1024 * 1024 {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    } else {
        format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
    };
    match text.lines().count() {
        1 => format!("{amount}, 1 line"),
        n => format!("{amount}, {n} lines"),
    }
}

/// The line that says most: for an error its last line (a Python traceback
/// ends with `Type: message`), otherwise the first, with `(+N lines)`.
fn gist(text: &str, error: bool) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let Some(pick) = (if error { lines.last() } else { lines.first() }) else {
        return String::new();
    };
    let pick = pick.trim();
    if !error && lines.len() > 1 {
        format!("{pick} (+{} lines)", lines.len() - 1)
    } else {
        pick.to_string()
    }
}

fn display_width(s: &str) -> usize {
    s.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// `s` cut to `columns` display columns, with `…` when cut.
fn cut(s: &str, columns: usize) -> String {
    if display_width(s) <= columns {
        return s.replace('\t', " ");
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let c = if c == '\t' { ' ' } else { c };
        let w = c.width().unwrap_or(0);
        if used + w + 1 > columns {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_shows_its_last_line() {
        let err = "Traceback (most recent call last):\n  File \"<x>\", line 1\nPermissionError: [Errno 1] not allowed";
        assert_eq!(
            line("run_inline_python", Err(err), 80, false),
            "  ✗ run_inline_python · PermissionError: [Errno 1] not allowed"
        );
    }

    #[test]
    fn a_success_shows_its_first_line_cut_to_the_width() {
        let shown = line(
            "read_file",
            Ok("abcdefghijklmnopqrstuvwxyz\nmore"),
            30,
            false,
        );
        assert!(shown.chars().count() <= 30, "{shown}");
        assert!(shown.ends_with('…'), "{shown}");
        assert_eq!(line("x", Ok("\x1b[2J"), 80, false), "  ✓ x · ^[[2J");
    }

    #[test]
    fn a_call_line_is_one_line_within_the_width() {
        let write = r#"{"path":"a\u001b[2J.rs","content":"one\ntwo\n"}"#;
        assert_eq!(
            call_line("write_file", write, 80),
            "→ write_file a^[[2J.rs (8 B, 2 lines)"
        );
        let edit = r#"{"path":"a.rs","old_string":"x","new_string":""}"#;
        assert_eq!(
            call_line("edit_file", edit, 80),
            "→ edit_file a.rs (1 B, 1 line → 0 B, 0 lines)"
        );
        let long = format!(r#"{{"pattern":"{}"}}"#, "y".repeat(100));
        let shown = call_line("grep", &long, 40);
        assert_eq!(shown.chars().count(), 40, "{shown}");
        assert!(shown.ends_with('…'), "{shown}");
        assert_eq!(call_line("grep", "not\njson", 80), "→ grep not json");
        assert_eq!(call_line("list_directory", "", 80), "→ list_directory");
        assert_eq!(call_line("x", "{}", 80), "→ x {}");
        let big = "z".repeat(1536);
        let write = serde_json::json!({"path": "b", "content": big}).to_string();
        assert_eq!(
            call_line("write_file", &write, 80),
            "→ write_file b (1.5 KiB, 1 line)"
        );
    }
}
