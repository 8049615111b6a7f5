//! Approval previews: sanitised, and a diff in them coloured (`+` green,
//! `-` red, `@@` cyan) on a colour terminal.

use super::style::{paint, BOLD, CYAN, GREEN, RED};

/// The preview as it is printed: control characters made visible, then the
/// diff lines coloured when `styled`.
pub fn preview(text: &str, styled: bool) -> String {
    let clean = super::sanitize::visible(text);
    // Only a preview that holds a unified diff is coloured: a new file's
    // lines starting with `-` are not removals.
    if !styled || !clean.lines().any(|l| l.starts_with("@@")) {
        return clean.into_owned();
    }
    let mut out = String::with_capacity(clean.len() + 64);
    for (i, line) in clean.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let style = if line.starts_with("+++") || line.starts_with("---") {
            Some(BOLD)
        } else if line.starts_with("@@") {
            Some(CYAN)
        } else if line.starts_with('+') {
            Some(GREEN)
        } else if line.starts_with('-') {
            Some(RED)
        } else {
            None
        };
        match style {
            Some(s) => out.push_str(&paint(true, s, line)),
            None => out.push_str(line),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_lines_are_coloured_and_plain_stays_plain() {
        let diff = "--- a\n+++ b\n@@ -1 +1 @@\n-old\n+new\n same";
        assert_eq!(preview(diff, false), diff);
        let styled = preview(diff, true);
        assert!(styled.contains(&format!("{RED}-old")), "{styled:?}");
        assert!(styled.contains(&format!("{GREEN}+new")), "{styled:?}");
        assert!(styled.contains(&format!("{CYAN}@@ -1 +1 @@")), "{styled:?}");
        assert!(styled.ends_with("\n same"));
    }

    #[test]
    fn escapes_in_the_file_are_shown_not_obeyed() {
        let shown = preview("@@ -1 +1 @@\n+\x1b[2Jx", true);
        assert!(!shown.contains("\x1b[2J"), "{shown:?}");
        assert!(shown.contains("+^[[2Jx"), "{shown:?}");
        assert_eq!(preview("- a list item", true), "- a list item");
    }
}
