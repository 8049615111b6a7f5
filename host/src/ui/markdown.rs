//! Markdown-aware streaming output: on a terminal, answer text appears as it
//! streams and each line is restyled in place once complete (headings,
//! **bold**, `code`, fenced blocks); when stdout is not a terminal it passes
//! through untouched.

const BOLD: &str = "\x1b[1m";
const CODE: &str = "\x1b[36m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";
/// Back to the start of the row and clear it.
const REDRAW: &str = "\r\x1b[2K";

/// Streams text, styling each line once it is complete.
#[derive(Debug, Default)]
pub struct MarkdownStream {
    /// Terminal width in columns when styling; `None` passes text through.
    width: Option<usize>,
    /// The current, incomplete line.
    pending: String,
    /// How much of `pending` is already on screen (unstyled).
    shown: usize,
    in_fence: bool,
}

impl MarkdownStream {
    /// `styled`: emit ANSI styles (stdout is a terminal of `width` columns).
    pub fn new(styled: bool, width: usize) -> Self {
        MarkdownStream {
            width: styled.then_some(width.max(1)),
            ..Default::default()
        }
    }

    /// Feed streamed text; returns what to print now. Text shows at once;
    /// a completed line that styling changes is redrawn in place when it fits
    /// on one row (a wrapped line stays as it was printed).
    pub fn feed(&mut self, text: &str) -> String {
        let Some(width) = self.width else {
            return text.to_string();
        };
        self.pending.push_str(text);
        let mut out = String::new();
        while let Some(pos) = self.pending.find('\n') {
            let line: String = self.pending.drain(..=pos).collect();
            let line = line.trim_end_matches('\n');
            let styled = self.line(line);
            if styled == line {
                out.push_str(&line[self.shown..]);
            } else if self.shown == 0 || line.chars().count() < width {
                out.push_str(if self.shown > 0 { REDRAW } else { "" });
                out.push_str(&styled);
            } else {
                out.push_str(&line[self.shown..]);
            }
            out.push('\n');
            self.shown = 0;
        }
        out.push_str(&self.pending[self.shown..]);
        self.shown = self.pending.len();
        out
    }

    /// The end of the answer: restyle its last, unterminated line.
    pub fn finish(&mut self) -> String {
        if self.width.is_none() || self.pending.is_empty() {
            self.pending.clear();
            return String::new();
        }
        let out = self.feed("\n");
        out.strip_suffix('\n').unwrap_or(&out).to_string()
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
        let mut m = MarkdownStream::new(false, 80);
        assert_eq!(m.feed("**a** `b`\n# c"), "**a** `b`\n# c");
        assert_eq!(m.finish(), "");
    }

    #[test]
    fn text_shows_at_once_and_complete_lines_are_restyled_in_place() {
        let mut m = MarkdownStream::new(true, 80);
        assert_eq!(m.feed("# Ti"), "# Ti");
        assert_eq!(
            m.feed("tle\nuse `x` and **y**\n"),
            format!("{REDRAW}{BOLD}# Title{RESET}\nuse {CODE}x{RESET} and {BOLD}y{RESET}\n")
        );
        let fenced = m.feed("```\nlet *a* = 1;\n```\n");
        assert!(
            fenced.contains(&format!("{CODE}let *a* = 1;{RESET}")),
            "{fenced:?}"
        );
        assert_eq!(m.feed("plain "), "plain ");
        assert_eq!(m.feed("tail"), "tail");
        assert_eq!(m.finish(), "");
        assert_eq!(m.feed("**b"), "**b");
        assert_eq!(m.feed("**"), "**");
        assert_eq!(m.finish(), format!("{REDRAW}{BOLD}b{RESET}"));
    }

    #[test]
    fn a_wrapped_line_is_not_redrawn() {
        let mut m = MarkdownStream::new(true, 10);
        assert_eq!(m.feed("# a long heading"), "# a long heading");
        assert_eq!(m.feed("\n"), "\n");
    }
}
