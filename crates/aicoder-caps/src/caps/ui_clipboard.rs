//! Interface `ui-clipboard`, capability `ui.clipboard` (for copy): the host
//! writes the OSC 52 sequence that sets the terminal's clipboard, with the
//! plugin's text only base64-encoded inside it, so the text can never reach
//! the terminal as an escape sequence of its own.

use super::ui::to_terminal;
use super::{Access, CapCtx, HostFn};
use crate::bindings::aicoder::plugin::types::HostError;
use crate::bindings::aicoder::plugin::ui_clipboard::Host;
use serde_json::json;

/// The most bytes put on the clipboard (terminals cap OSC 52 near this).
pub const CLIPBOARD_MAX: usize = 100_000;

/// The OSC 52 sequence that sets the clipboard to `text`: the text only as
/// base64, which holds no control character (why a plugin's text is safe).
pub fn osc52(text: &str) -> String {
    use base64::Engine;
    let encoded = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    format!("\x1b]52;c;{encoded}\x07")
}

impl Host for CapCtx {
    fn set_clipboard(&mut self, text: String) -> Result<(), HostError> {
        // The audit line keeps the size, not the text (it may be anything
        // the model wrote).
        let args = json!({ "bytes": text.len() });
        self.gate_fn(HostFn::UiSetClipboard, args, || {
            if text.len() > CLIPBOARD_MAX {
                return Err(HostError::InvalidArgument(format!(
                    "at most {CLIPBOARD_MAX} bytes go on the clipboard ({} given)",
                    text.len()
                )));
            }
            to_terminal(&osc52(&text), "copy to").map(Access::read)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::caps::testing::{assert_denied, TestEnv};
    use crate::caps::Capability;

    #[test]
    fn the_clipboard_sequence_carries_only_base64() {
        let seq = osc52("x\u{1b}]52;c;evil\u{7}\u{1b}[2J");
        let body = seq
            .strip_prefix("\x1b]52;c;")
            .and_then(|s| s.strip_suffix('\x07'))
            .expect("framed");
        assert!(body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b)));
        use base64::Engine;
        let back = base64::engine::general_purpose::STANDARD
            .decode(body)
            .expect("base64");
        assert_eq!(back, "x\u{1b}]52;c;evil\u{7}\u{1b}[2J".as_bytes());
    }

    #[test]
    fn copying_needs_the_grant_and_is_bounded() {
        let mut env = TestEnv::new();
        assert_denied(env.ctx.set_clipboard("t".into()), Capability::UiClipboard);
        env.grant(Capability::UiClipboard);
        assert!(matches!(
            env.ctx.set_clipboard("x".repeat(CLIPBOARD_MAX + 1)),
            Err(HostError::InvalidArgument(_))
        ));
    }
}
