//! The one place text from outside aicoder (the model, a plugin, a tool
//! result, a file) is made safe to print: control characters that would
//! drive the terminal (clear the screen, move the cursor, retitle the
//! window, reorder text) are shown as visible marks instead.

use std::borrow::Cow;

/// `text` with every terminal-driving character made visible: C0 controls
/// as caret notation (`^[` for ESC, `^M` for CR, `^G` for BEL), DEL as
/// `^?`, C1 controls and bidi overrides/isolates as `<U+XXXX>`. Newline and
/// tab are kept; a CR right before a newline (CRLF) is dropped. Borrows when
/// nothing needs changing. aicoder adds its own styling after this.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if !needs_escape(c) {
            out.push(c);
            continue;
        }
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\u{7f}' => out.push_str("^?"),
            c if (c as u32) < 0x20 => {
                out.push('^');
                out.push(char::from(b'@' + c as u8));
            }
            c => out.push_str(&format!("<U+{:04X}>", c as u32)),
        }
    }
    Cow::Owned(out)
}

/// Whether `c` would act on the terminal rather than show as a glyph.
fn needs_escape(c: char) -> bool {
    match c {
        '\n' | '\t' => false,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        // Bidi embeddings/overrides and isolates reorder what follows.
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(visible("a\tb\nc ✓"), Cow::Borrowed(_)));
    }

    #[test]
    fn controls_are_made_visible() {
        assert_eq!(visible("\x1b[2J"), "^[[2J");
        assert_eq!(visible("ok\rEVIL"), "ok^MEVIL");
        assert_eq!(visible("line\r\nnext"), "line\nnext");
        assert_eq!(visible("\x1b]0;title\x07"), "^[]0;title^G");
        assert_eq!(visible("a\u{9b}2J"), "a<U+009B>2J");
        assert_eq!(visible("x\u{202e}cba"), "x<U+202E>cba");
        assert_eq!(visible("\u{2066}i\u{2069}"), "<U+2066>i<U+2069>");
        assert_eq!(visible("\u{7f}\u{0}"), "^?^@");
    }
}
