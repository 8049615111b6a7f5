//! Markdown-aware streaming output: on a terminal, answer text appears as it
//! streams and each line is restyled in place once complete (headings,
//! **bold**, *emphasis*, `code` through pulldown-cmark; fenced blocks
//! highlighted by [`super::highlight`]; tables held until complete and
//! printed aligned); when stdout is not a terminal (or `NO_COLOR` is set)
//! it passes through untouched. Text fed here must already be sanitised.

use super::highlight::Block;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use unicode_width::UnicodeWidthStr;

const BOLD: &str = "\x1b[1m";
const ITALIC: &str = "\x1b[3m";
const STRIKE: &str = "\x1b[9m";
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
    /// Inside a fenced code block: its highlighter.
    fence: Option<Block>,
    /// Table rows held until the table ends, to print them aligned.
    table: Vec<String>,
}

impl MarkdownStream {
    /// `styled`: emit ANSI styles (stdout is a terminal of `width` columns).
    pub fn new(styled: bool, width: usize) -> Self {
        MarkdownStream {
            width: styled.then_some(width.max(1)),
            ..Default::default()
        }
    }

    /// Feed streamed text; returns what to print now. Text shows at once
    /// (a table row once its table ends); a completed line that styling
    /// changes is redrawn in place when it fits on one row (a wrapped line
    /// stays as it was printed).
    pub fn feed(&mut self, text: &str) -> String {
        let Some(width) = self.width else {
            return text.to_string();
        };
        self.pending.push_str(text);
        let mut out = String::new();
        while let Some(pos) = self.pending.find('\n') {
            let line: String = self.pending.drain(..=pos).collect();
            let line = line.trim_end_matches('\n');
            if self.fence.is_none() && line.starts_with('|') {
                // Held from its first character, so nothing of it is shown.
                self.table.push(line.to_string());
                self.shown = 0;
                continue;
            }
            out.push_str(&self.flush_table(width));
            let styled = self.line(line);
            if styled == line {
                out.push_str(&line[self.shown..]);
            } else if self.shown == 0 || line.width() < width {
                out.push_str(if self.shown > 0 { REDRAW } else { "" });
                out.push_str(&styled);
            } else {
                out.push_str(&line[self.shown..]);
            }
            out.push('\n');
            self.shown = 0;
        }
        if self.fence.is_none() && self.pending.starts_with('|') {
            return out;
        }
        if !self.pending.is_empty() {
            out.push_str(&self.flush_table(width));
        }
        out.push_str(&self.pending[self.shown..]);
        self.shown = self.pending.len();
        out
    }

    /// The end of the answer: restyle its last, unterminated line and print
    /// a table still held.
    pub fn finish(&mut self) -> String {
        let Some(width) = self.width else {
            self.pending.clear();
            return String::new();
        };
        let out = if self.pending.is_empty() {
            self.flush_table(width)
        } else {
            let mut out = self.feed("\n");
            out.push_str(&self.flush_table(width));
            out
        };
        self.fence = None;
        out.strip_suffix('\n').unwrap_or(&out).to_string()
    }

    fn line(&mut self, line: &str) -> String {
        let trimmed = line.trim_start();
        if let Some(info) = trimmed
            .strip_prefix("```")
            .or_else(|| trimmed.strip_prefix("~~~"))
        {
            self.fence = match self.fence {
                Some(_) => None,
                None => Some(Block::new(info.trim())),
            };
            return format!("{DIM}{line}{RESET}");
        }
        if let Some(block) = &mut self.fence {
            return block.line(line);
        }
        if line.starts_with('#') {
            return format!("{BOLD}{line}{RESET}");
        }
        inline(line)
    }

    /// The held table, aligned by display width (as it came when it does
    /// not fit the terminal); empty when none is held.
    fn flush_table(&mut self, width: usize) -> String {
        if self.table.is_empty() {
            return String::new();
        }
        let rows = std::mem::take(&mut self.table);
        let mut out = table(&rows, width).unwrap_or_else(|| rows.join("\n"));
        out.push('\n');
        out
    }
}

/// Split a `| a | b |` row into trimmed cells.
fn cells(row: &str) -> Vec<String> {
    let inner = row.trim().trim_start_matches('|');
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    inner.split('|').map(|c| c.trim().to_string()).collect()
}

fn is_rule(cells: &[String]) -> bool {
    cells
        .iter()
        .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
}

/// Rows aligned in columns with a rule under the header, or `None` when
/// the table is not one (no rule row) or is wider than `width`.
fn table(rows: &[String], width: usize) -> Option<String> {
    let parsed: Vec<Vec<String>> = rows.iter().map(|r| cells(r)).collect();
    let rule = parsed.iter().position(|r| is_rule(r))?;
    let right: Vec<bool> = parsed[rule]
        .iter()
        .map(|c| c.ends_with(':') && !c.starts_with(':'))
        .collect();
    let columns = parsed.iter().map(Vec::len).max()?;
    let mut widths = vec![0; columns];
    for row in parsed.iter().filter(|r| !is_rule(r)) {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.width());
        }
    }
    if widths.iter().sum::<usize>() + 3 * columns.saturating_sub(1) > width {
        return None;
    }
    let mut lines = Vec::new();
    for (n, row) in parsed.iter().enumerate() {
        if n == rule {
            let bars: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
            lines.push(format!("{DIM}{}{RESET}", bars.join("─┼─")));
            continue;
        }
        let padded: Vec<String> = (0..columns)
            .map(|i| {
                let cell = row.get(i).map(String::as_str).unwrap_or("");
                let pad = " ".repeat(widths[i] - cell.width());
                let cell = if n < rule {
                    format!("{BOLD}{cell}{RESET}")
                } else {
                    inline(cell)
                };
                if right.get(i).copied().unwrap_or(false) {
                    format!("{pad}{cell}")
                } else {
                    format!("{cell}{pad}")
                }
            })
            .collect();
        lines.push(
            padded
                .join(&format!(" {DIM}│{RESET} "))
                .trim_end()
                .to_string(),
        );
    }
    Some(lines.join("\n"))
}

/// Style `code` spans, **strong**, *emphasis* and ~~strikethrough~~ within
/// one line, as pulldown-cmark reads it; everything else is kept as typed.
fn inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 16);
    let mut cursor = 0;
    let mut active: Vec<&'static str> = Vec::new();
    let parser = Parser::new_ext(line, Options::ENABLE_STRIKETHROUGH);
    for (event, range) in parser.into_offset_iter() {
        let (start, end) = (range.start.min(line.len()), range.end.min(line.len()));
        let (style, delim) = match &event {
            Event::Start(Tag::Strong) | Event::End(TagEnd::Strong) => (BOLD, 2),
            Event::Start(Tag::Emphasis) | Event::End(TagEnd::Emphasis) => (ITALIC, 1),
            Event::Start(Tag::Strikethrough) | Event::End(TagEnd::Strikethrough) => (STRIKE, 2),
            Event::Code(code) => {
                if start >= cursor && line.is_char_boundary(start) && line.is_char_boundary(end) {
                    out.push_str(&line[cursor..start]);
                    out.push_str(&format!("{CODE}{code}{RESET}"));
                    out.extend(active.iter().copied());
                    cursor = end;
                }
                continue;
            }
            _ => continue,
        };
        let opening = matches!(event, Event::Start(_));
        let (copy_to, resume) = if opening {
            (start, start + delim)
        } else {
            (end.saturating_sub(delim), end)
        };
        if copy_to < cursor
            || resume > line.len()
            || !line.is_char_boundary(copy_to)
            || !line.is_char_boundary(resume)
        {
            continue;
        }
        out.push_str(&line[cursor..copy_to]);
        if opening {
            active.push(style);
            out.push_str(style);
        } else {
            active.pop();
            out.push_str(RESET);
            out.extend(active.iter().copied());
        }
        cursor = resume;
    }
    out.push_str(&line[cursor.min(line.len())..]);
    if !active.is_empty() {
        out.push_str(RESET);
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
            fenced.contains("let *a* = 1;") && !fenced.contains(ITALIC),
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

#[cfg(test)]
mod more_tests {
    use super::*;

    #[test]
    fn emphasis_and_strike_are_styled_without_their_markers() {
        assert_eq!(
            inline("a *b* ~~c~~ d"),
            format!("a {ITALIC}b{RESET} {STRIKE}c{RESET} d")
        );
        assert_eq!(inline("- item **x**"), format!("- item {BOLD}x{RESET}"));
    }

    #[test]
    fn a_table_is_held_then_printed_aligned() {
        let mut m = MarkdownStream::new(true, 80);
        assert_eq!(m.feed("| name | n |\n|---|--:|\n| ä"), "");
        let out = m.feed("pfel | 10 |\n| b | 2 |\ndone");
        let plain: String = out.replace(BOLD, "").replace(DIM, "").replace(RESET, "");
        assert!(plain.starts_with("name  │  n\n"), "{plain:?}");
        assert!(plain.contains("äpfel │ 10\nb     │  2\ndone"), "{plain:?}");
    }

    #[test]
    fn a_table_at_the_end_is_printed_by_finish() {
        let mut m = MarkdownStream::new(true, 80);
        assert_eq!(m.feed("| a |\n|---|\n| b |"), "");
        let out = m.finish();
        assert!(out.contains('─') && out.ends_with('b'), "{out:?}");
    }
}
