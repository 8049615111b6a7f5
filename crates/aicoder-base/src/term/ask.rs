//! The one way a question reaches the person at the terminal from code that
//! does not own the terminal (a plugin's `ui.ask`, deep inside a wasm call).
//!
//! Low in the layers so the capability can ask without knowing the session:
//! the session installs its line editor as this thread's [`Asker`] (its one
//! question loop, `Input::ask_until`), a piped or headless run installs one
//! that refuses, and a thread with none installed (one-shot commands, `mcp
//! serve`'s worker) refuses with [`NO_ONE_TO_ASK`]. Per thread because the
//! editor is not `Send` and plugin calls run on the thread that owns it.

use std::cell::RefCell;

/// Why nobody can be asked on a thread without an [`Asker`].
pub const NO_ONE_TO_ASK: &str = "the user cannot be asked: nobody answers at a terminal in \
     this run (headless, a one-shot command or a served call); go on without the answer or \
     state your question in your reply";

/// A question as the terminal shows it: `head` (already made visible) above
/// the line `prompt` the answer is typed on.
#[derive(Debug, Clone, Copy)]
pub struct Question<'a> {
    /// Lines printed before the prompt (who asks, the question, the choices).
    pub head: &'a str,
    /// The prompt the answer is typed after.
    pub prompt: &'a str,
    /// Printed after an answer `accept` refuses, before asking again.
    pub hint: &'a str,
}

/// Why a question got no answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotAnswered {
    /// The person cancelled (Ctrl-C, Ctrl-D, the end of input).
    #[error("the user cancelled the question")]
    Cancelled,
    /// Nobody can be asked here; the words say why and what to do.
    #[error("{0}")]
    NoTerminal(String),
}

/// Who answers questions on this thread.
pub trait Asker {
    /// Show `question` and read lines until `accept` takes one (trimmed, as
    /// typed); the answer is that line.
    fn ask(
        &mut self,
        question: &Question<'_>,
        accept: &dyn Fn(&str) -> bool,
    ) -> Result<String, NotAnswered>;
}

thread_local! {
    static ASKER: RefCell<Option<Box<dyn Asker>>> = const { RefCell::new(None) };
}

/// Make `asker` this thread's until the returned guard drops (the one it
/// replaced comes back then).
#[must_use = "the asker is removed when the guard drops"]
pub fn install(asker: Box<dyn Asker>) -> Installed {
    let before = ASKER.with(|slot| slot.borrow_mut().replace(asker));
    Installed { before }
}

/// This thread's asker stays installed while this lives.
pub struct Installed {
    before: Option<Box<dyn Asker>>,
}

impl Drop for Installed {
    fn drop(&mut self) {
        let before = self.before.take();
        ASKER.with(|slot| *slot.borrow_mut() = before);
    }
}

/// Ask through this thread's [`Asker`]; refused when there is none, or when
/// a question is already being asked (a question never interrupts another).
pub fn ask(question: &Question<'_>, accept: &dyn Fn(&str) -> bool) -> Result<String, NotAnswered> {
    ASKER.with(|slot| match slot.try_borrow_mut() {
        Ok(mut asker) => match asker.as_mut() {
            Some(asker) => asker.ask(question, accept),
            None => Err(NotAnswered::NoTerminal(NO_ONE_TO_ASK.to_string())),
        },
        Err(_) => Err(NotAnswered::NoTerminal(
            "the user is already answering another question".to_string(),
        )),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Answers from a list, as a person typing them would.
    struct Typed(Vec<&'static str>);

    impl Asker for Typed {
        fn ask(
            &mut self,
            _: &Question<'_>,
            accept: &dyn Fn(&str) -> bool,
        ) -> Result<String, NotAnswered> {
            while !self.0.is_empty() {
                let line = self.0.remove(0).trim();
                if accept(line) {
                    return Ok(line.to_string());
                }
            }
            Err(NotAnswered::Cancelled)
        }
    }

    const Q: Question<'static> = Question {
        head: "? q\n",
        prompt: "> ",
        hint: "again",
    };

    #[test]
    fn a_thread_without_an_asker_refuses_and_an_installed_one_answers_until_dropped() {
        assert!(
            matches!(ask(&Q, &|_| true), Err(NotAnswered::NoTerminal(m)) if m == NO_ONE_TO_ASK)
        );
        {
            let _asking = install(Box::new(Typed(vec!["x", " 2 "])));
            assert_eq!(ask(&Q, &|l| l == "2").as_deref(), Ok("2"));
            assert_eq!(ask(&Q, &|_| true), Err(NotAnswered::Cancelled));
            // Another thread has its own (none).
            let other = std::thread::spawn(|| ask(&Q, &|_| true).is_err());
            assert!(other.join().unwrap_or(false));
        }
        assert!(matches!(
            ask(&Q, &|_| true),
            Err(NotAnswered::NoTerminal(_))
        ));
    }
}
