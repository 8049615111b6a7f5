//! Interface `ui`, capability `ui.ask`: a question put to the user at the
//! terminal, answered there through the session's one question loop
//! (`term::ask`). Refused without a terminal (piped mode), so a model never
//! waits on an answer nobody can give.

use super::{Access, CapCtx, HostFn};
use crate::bindings::aicoder::plugin::types::HostError;
use crate::bindings::aicoder::plugin::ui::Host;
use crate::term::ask::{NotAnswered, Question};
use crate::term::sanitize::visible;
use serde_json::json;
use std::io::{IsTerminal, Write};
use std::time::Duration;

/// The longest question, in characters.
pub const QUESTION_MAX: usize = 2000;
/// The most choices offered.
pub const CHOICES_MAX: usize = 20;
/// The longest choice, in characters.
pub const CHOICE_MAX: usize = 200;
/// The longest answer kept, in bytes.
pub const ANSWER_MAX: usize = 4096;

/// Write `bytes` to the terminal on stdout (ui.bell, ui.clipboard: bytes the
/// host made); `failed` when stdout is not a terminal.
pub(super) fn to_terminal(bytes: &str, what: &str) -> Result<(), HostError> {
    let mut out = std::io::stdout();
    if !out.is_terminal() {
        return Err(HostError::Failed(format!(
            "no terminal to {what}: aicoder's output is not a terminal (piped run)"
        )));
    }
    out.write_all(bytes.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| HostError::Failed(format!("cannot write to the terminal: {e}")))
}

/// Check the sizes; the text the prompt shows.
fn render(question: &str, choices: &[String]) -> Result<String, HostError> {
    if question.trim().is_empty() || question.chars().count() > QUESTION_MAX {
        return Err(HostError::InvalidArgument(format!(
            "the question must be 1 to {QUESTION_MAX} characters"
        )));
    }
    if choices.len() > CHOICES_MAX
        || choices
            .iter()
            .any(|c| c.trim().is_empty() || c.chars().count() > CHOICE_MAX)
    {
        return Err(HostError::InvalidArgument(format!(
            "at most {CHOICES_MAX} choices of 1 to {CHOICE_MAX} characters each"
        )));
    }
    // The one sanitizer: a question cannot move the cursor, recolour or
    // rewrite the terminal.
    let mut text = format!("? {}\n", visible(question));
    for (i, choice) in choices.iter().enumerate() {
        text.push_str(&format!("  {}. {}\n", i + 1, visible(choice)));
    }
    Ok(text)
}

/// The answer a typed line gives: a choice's number or its text (any case)
/// picks it; without choices, the line itself.
pub fn pick(line: &str, choices: &[String]) -> Option<String> {
    let line = line.trim();
    if choices.is_empty() {
        return (!line.is_empty()).then(|| line.to_string());
    }
    if let Ok(n) = line.parse::<usize>() {
        return n.checked_sub(1).and_then(|i| choices.get(i)).cloned();
    }
    choices
        .iter()
        .find(|c| c.trim().eq_ignore_ascii_case(line))
        .cloned()
}

/// What the user's typed line answers: `None` for an empty line (declined).
/// A line that is no choice is passed on as what the user wrote.
fn answer(line: &str, choices: &[String]) -> Option<String> {
    if line.is_empty() {
        return None;
    }
    let mut cut = line.len().min(ANSWER_MAX);
    while !line.is_char_boundary(cut) {
        cut -= 1;
    }
    let line = &line[..cut];
    Some(
        pick(line, choices)
            .unwrap_or_else(|| format!("(none of the choices; the user wrote: {line})")),
    )
}

impl Host for CapCtx {
    fn ask(&mut self, question: String, choices: Vec<String>) -> Result<String, HostError> {
        let args = json!({ "question": question, "choices": choices });
        let plugin = self.plugin.name.clone();
        // The user's wait counts against the call's deadline (PLUGIN_TIMEOUT_MS).
        let (wait, _) = self.deadline.bound(Duration::from_secs(3600));
        self.gate_fn(HostFn::UiAsk, args, || {
            let text = render(&question, &choices)?;
            let hint = if choices.is_empty() {
                "answer".to_string()
            } else {
                format!("number 1-{} or text", choices.len())
            };
            // The tool call's spinner would redraw over what the user types.
            let _hold = crate::term::spinner::hold();
            let started = std::time::Instant::now();
            // The one question loop: the session's line editor (term::ask);
            // a piped run or a thread without a terminal refuses.
            let head = format!("[{}] asks:\n{text}", visible(&plugin));
            let prompt = format!("  ({hint}, empty line declines): ");
            let again = format!("answer with a {hint}, or an empty line to decline");
            let question = Question {
                head: &head,
                prompt: &prompt,
                hint: &again,
            };
            // A number that is no choice is asked again, not sent on.
            let line = crate::term::ask::ask(&question, &|line| {
                line.parse::<usize>().is_err() || pick(line, &choices).is_some()
            });
            let line = match line {
                Ok(line) => line,
                Err(NotAnswered::NoTerminal(why)) => return Err(HostError::Failed(why)),
                Err(NotAnswered::Cancelled) => String::new(),
            };
            // The editor cannot time out: an answer after the call's
            // deadline is refused, as a late one always was.
            if started.elapsed() > wait {
                return Err(HostError::Failed(format!(
                    "the user gave no answer within {} s",
                    wait.as_secs()
                )));
            }
            match answer(&line, &choices) {
                Some(answer) => Ok(Access::read(answer)),
                None => Err(HostError::Failed("the user declined to answer".into())),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::caps::Capability;
    use crate::caps::testing::{assert_denied, TestEnv};

    #[test]
    fn control_characters_are_shown_not_sent() {
        let shown = render("clear?\u{1b}[2J\rok\u{202e}", &["a\u{7}".into()]).expect("valid");
        assert!(
            !shown.chars().any(|c| c.is_control() && c != '\n'),
            "{shown:?}"
        );
        assert!(shown.contains("^[[2J^Mok<U+202E>") && shown.contains("a^G"), "{shown:?}");
    }

    #[test]
    fn sizes_are_bounded() {
        assert!(render(&"x".repeat(QUESTION_MAX + 1), &[]).is_err());
        assert!(render("q", &vec!["c".to_string(); CHOICES_MAX + 1]).is_err());
        assert!(render("q", &["c".repeat(CHOICE_MAX + 1)]).is_err());
        assert!(render(" ", &[]).is_err());
        assert!(render("q", &vec!["c".to_string(); CHOICES_MAX]).is_ok());
    }

    #[test]
    fn a_choice_is_picked_by_number_or_text() {
        let choices = vec!["Yes".to_string(), "No".to_string()];
        assert_eq!(pick("2", &choices).as_deref(), Some("No"));
        assert_eq!(pick(" yes ", &choices).as_deref(), Some("Yes"));
        assert_eq!(pick("3", &choices), None);
        assert_eq!(pick("0", &choices), None);
        assert_eq!(pick("maybe", &[]).as_deref(), Some("maybe"));
    }

    #[test]
    fn asking_needs_the_grant_and_someone_to_ask() {
        let mut env = TestEnv::new();
        assert_denied(env.ctx.ask("q?".into(), vec![]), Capability::UiAsk);
        env.grant(Capability::UiAsk);
        // No session installed its question loop on this thread.
        match env.ctx.ask("q?".into(), vec![]) {
            Err(HostError::Failed(m)) => assert!(m.contains("cannot be asked"), "{m}"),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn an_answer_is_a_choice_what_the_user_wrote_or_declined() {
        let choices = vec!["Yes".to_string(), "No".to_string()];
        assert_eq!(answer("", &choices), None);
        assert_eq!(answer("no", &choices).as_deref(), Some("No"));
        assert_eq!(
            answer("later", &choices).as_deref(),
            Some("(none of the choices; the user wrote: later)")
        );
        let long = "é".repeat(ANSWER_MAX);
        let kept = answer(&long, &[]).unwrap_or_default();
        assert!(kept.len() <= ANSWER_MAX && kept.len() >= ANSWER_MAX - 1);
    }
}
