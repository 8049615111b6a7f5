//! Markdown-aware streaming output: on a terminal, answer text is styled line
//! by line as it streams (headings, **bold**, `code`, fenced blocks); when
//! stdout is not a terminal it passes through untouched.

const BOLD: &str = "\x1b[1m";
const CODE: &str = "\x1b[36m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

/// Styles streamed text one complete line at a time.
#[derive(Debug, Default)]
pub struct MarkdownStream {
    styled: bool,
    pending: String,
    in_fence: bool,
}

impl MarkdownStream {
    /// `styled`: emit ANSI styles (stdout is a terminal).
    pub fn new(styled: bool) -> Self {
        MarkdownStream {
            styled,
            ..Default::default()
        }
    }

    /// Feed streamed text; returns what can be printed now.
    pub fn feed(&mut self, text: &str) -> String {
        if !self.styled {
            return text.to_string();
        }
        self.pending.push_str(text);
        let mut out = String::new();
        while let Some(pos) = self.pending.find('\n') {
            let line: String = self.pending.drain(..=pos).collect();
            out.push_str(&self.line(line.trim_end_matches('\n')));
            out.push('\n');
        }
        out
    }

    /// The rest of the answer, at its end.
    pub fn finish(&mut self) -> String {
        let rest = std::mem::take(&mut self.pending);
        if !self.styled || rest.is_empty() {
            return rest;
        }
        self.line(&rest)
    }

    fn line(&mut self, line: &str) -> String {
        if line.trim_start().starts_with("```") {
            self.in_fence = !self.in_fence;
            return format!("{DIM}{line}{RESET}");
        }
        if self.in_fence {
            return format!("{CODE}{line}{RESET}");
        }
        if line.starts_with('#') {
            return format!("{BOLD}{line}{RESET}");
        }
        inline(line)
    }
}

/// Style `code` spans and **bold** runs within one line.
fn inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 16);
    let mut rest = line;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('`') {
            if let Some(end) = after.find('`') {
                out.push_str(&format!("{CODE}{}{RESET}", &after[..end]));
                rest = &after[end + 1..];
                continue;
            }
        }
        if let Some(after) = rest.strip_prefix("**") {
            if let Some(end) = after.find("**") {
                out.push_str(&format!("{BOLD}{}{RESET}", &after[..end]));
                rest = &after[end + 2..];
                continue;
            }
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            out.push(c);
        }
        rest = chars.as_str();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_output_passes_through() {
        let mut m = MarkdownStream::new(false);
        assert_eq!(m.feed("**a** `b`\n# c"), "**a** `b`\n# c");
        assert_eq!(m.finish(), "");
    }

    #[test]
    fn styles_complete_lines_across_chunks() {
        let mut m = MarkdownStream::new(true);
        assert_eq!(m.feed("# Ti"), "");
        assert_eq!(
            m.feed("tle\nuse `x` and **y**\n"),
            format!("{BOLD}# Title{RESET}\nuse {CODE}x{RESET} and {BOLD}y{RESET}\n")
        );
        let fenced = m.feed("```\nlet *a* = 1;\n```\n");
        assert!(
            fenced.contains(&format!("{CODE}let *a* = 1;{RESET}")),
            "{fenced:?}"
        );
        assert_eq!(m.feed("tail"), "");
        assert_eq!(m.finish(), "tail");
    }
}
