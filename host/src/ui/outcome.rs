//! One line per tool call telling the user how it went: `✓ name · what it
//! gave` or `✗ name · why it failed`, sanitised and cut to the terminal.

use super::style::{paint, GREEN, RED};
use unicode_width::UnicodeWidthChar;

/// The outcome line of a call of `name`: `Ok` with the result or its
/// summary, `Err` with the error text the model gets. `width` is the
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

/// The line that says most: for an error its last line (a Python traceback
/// ends with `Type: message`), otherwise the first, with `(+N lines)`.
fn gist(text: &str, error: bool) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let Some(pick) = (if error { lines.last() } else { lines.first() }) else {
        return String::new();
    };
    let pick = pick.trim();
    let pick = pick.strip_prefix("Error: ").unwrap_or(pick);
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
}
