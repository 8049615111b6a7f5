//! Syntax highlighting of fenced code blocks with syntect. The syntax and
//! theme sets are loaded lazily, the first time a block names a language,
//! so start-up does not pay for them. Colours are mapped onto the terminal's
//! own basic palette (red, green, yellow, blue, magenta, cyan; greys dim or
//! default), so a block reads on dark and light terminals alike.

use std::sync::OnceLock;
use syntect::easy::HighlightLines;
use syntect::highlighting::{Color, Theme, ThemeSet};
use syntect::parsing::SyntaxSet;

struct Assets {
    syntaxes: SyntaxSet,
    theme: Theme,
}

fn assets() -> Option<&'static Assets> {
    static ASSETS: OnceLock<Option<Assets>> = OnceLock::new();
    ASSETS
        .get_or_init(|| {
            let mut themes = ThemeSet::load_defaults();
            let theme = themes.themes.remove("base16-ocean.dark")?;
            Some(Assets {
                syntaxes: SyntaxSet::load_defaults_newlines(),
                theme,
            })
        })
        .as_ref()
}

/// The highlighter of one fenced block.
pub struct Block {
    /// `None` for a block without a known language: shown in one colour.
    lines: Option<HighlightLines<'static>>,
}

impl std::fmt::Debug for Block {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Block")
            .field("highlighted", &self.lines.is_some())
            .finish()
    }
}

impl Block {
    /// A block whose fence says `info` (e.g. `rust`, `python title=x`).
    pub fn new(info: &str) -> Block {
        let lang = info.split_whitespace().next().unwrap_or("");
        if lang.is_empty() {
            return Block { lines: None };
        }
        let lines = assets().and_then(|a| {
            a.syntaxes
                .find_syntax_by_token(lang)
                .map(|syntax| HighlightLines::new(syntax, &a.theme))
        });
        Block { lines }
    }

    /// One line of the block (already sanitised), styled.
    pub fn line(&mut self, line: &str) -> String {
        use super::style::{CYAN, RESET};
        let (Some(lines), Some(assets)) = (&mut self.lines, assets()) else {
            return format!("{CYAN}{line}{RESET}");
        };
        let with_newline = format!("{line}\n");
        let Ok(ranges) = lines.highlight_line(&with_newline, &assets.syntaxes) else {
            return format!("{CYAN}{line}{RESET}");
        };
        let mut out = String::with_capacity(line.len() * 2);
        for (style, text) in ranges {
            let text = text.trim_end_matches('\n');
            if text.is_empty() {
                continue;
            }
            match ansi(style.foreground) {
                Some(code) => out.push_str(&format!("{code}{text}{RESET}")),
                None => out.push_str(text),
            }
        }
        out
    }
}

/// The basic ANSI colour nearest in hue to `c`; greys are dim (dark ones,
/// comments in most themes) or the terminal's default.
fn ansi(c: Color) -> Option<&'static str> {
    let (r, g, b) = (f32::from(c.r), f32::from(c.g), f32::from(c.b));
    let max = r.max(g).max(b);
    let min = r.min(g).min(b);
    if max - min < 25.0 {
        return (max < 144.0).then_some(super::style::DIM);
    }
    let d = max - min;
    let hue = if max == r {
        60.0 * (((g - b) / d).rem_euclid(6.0))
    } else if max == g {
        60.0 * ((b - r) / d + 2.0)
    } else {
        60.0 * ((r - g) / d + 4.0)
    };
    Some(match hue {
        h if !(20.0..330.0).contains(&h) => "\x1b[31m",
        h if h < 70.0 => "\x1b[33m",
        h if h < 160.0 => "\x1b[32m",
        h if h < 200.0 => "\x1b[36m",
        h if h < 260.0 => "\x1b[34m",
        _ => "\x1b[35m",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_language_is_highlighted_in_basic_colours() {
        let mut block = Block::new("rust");
        let line = block.line("fn main() { let s = \"hi\"; }");
        assert!(line.contains("\x1b[3"), "{line:?}");
        assert!(!line.contains("38;2"), "no 24-bit colours: {line:?}");
        let stripped: String = strip(&line);
        assert_eq!(stripped, "fn main() { let s = \"hi\"; }");
    }

    #[test]
    fn an_unknown_language_is_one_colour() {
        let mut block = Block::new("no-such-language");
        assert_eq!(block.line("x"), "\x1b[36mx\x1b[0m");
    }

    fn strip(s: &str) -> String {
        let mut out = String::new();
        let mut in_esc = false;
        for c in s.chars() {
            match (in_esc, c) {
                (false, '\x1b') => in_esc = true,
                (true, 'm') => in_esc = false,
                (true, _) => {}
                (false, c) => out.push(c),
            }
        }
        out
    }
}
