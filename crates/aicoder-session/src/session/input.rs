//! Where typed lines come from: a line editor (rustyline) when stdin is a
//! terminal, plain lines otherwise.
//!
//! The editor keeps what rustyline gives (history in `.aicoder/history`,
//! Ctrl-R history search, bracketed paste so a pasted block stays one
//! message) and adds: Alt-Enter inserts a newline (multi-line messages),
//! Ctrl-X Ctrl-E edits the draft in `$VISUAL`/`$EDITOR`, and Tab completes
//! slash commands (built-in and plugin) and `@path` mentions beneath the
//! workspace root.

use crate::term::ask::{Asker, NotAnswered, Question};
use rustyline::completion::{Completer, Pair};
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::history::FileHistory;
use rustyline::validate::Validator;
use rustyline::{
    Cmd, ConditionalEventHandler, Event, EventContext, EventHandler, KeyCode, KeyEvent, Modifiers,
    Movement, RepeatCount,
};
use std::cell::RefCell;
use std::io::{BufRead, IsTerminal};
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// The most `@path` completions offered at once.
const MAX_PATH_CANDIDATES: usize = 200;

/// Where typed lines come from: a line editor with history when stdin is a
/// terminal, plain lines otherwise.
pub struct Input {
    /// Shared with the [`Input::asker`] a plugin's question goes through; a
    /// plugin only runs while no prompt is open, so they never both read.
    source: Rc<RefCell<Source>>,
    /// Stdin is a terminal: prompts are shown and answered.
    pub interactive: bool,
}

enum Source {
    Editor {
        editor: Box<rustyline::Editor<LineHelper, FileHistory>>,
        history: Option<PathBuf>,
    },
    Lines(Box<dyn Iterator<Item = std::io::Result<String>>>),
}

impl Input {
    /// Stdin; `history` is where the line editor keeps typed lines.
    pub fn stdin(history: Option<PathBuf>) -> Self {
        if std::io::stdin().is_terminal() {
            let config = rustyline::Config::builder()
                .completion_type(rustyline::CompletionType::List)
                .bracketed_paste(true)
                .build();
            if let Ok(mut editor) = rustyline::Editor::with_config(config) {
                editor.set_helper(Some(LineHelper::default()));
                bind_keys(&mut editor);
                if let Some(path) = &history {
                    let _ = editor.load_history(path);
                }
                return Input::from(
                    Source::Editor {
                        editor: Box::new(editor),
                        history,
                    },
                    true,
                );
            }
        }
        Input::from(
            Source::Lines(Box::new(std::io::stdin().lock().lines())),
            false,
        )
    }

    /// No input at all, and nobody to ask (a headless run with its task on
    /// the command line).
    pub fn none() -> Self {
        Input::from(Source::Lines(Box::new(std::iter::empty())), false)
    }

    /// Plain lines from stdin, never a line editor and never asking (a
    /// headless run reading its task from a pipe or a terminal).
    pub fn stdin_lines() -> Self {
        Input::from(
            Source::Lines(Box::new(std::io::stdin().lock().lines())),
            false,
        )
    }

    fn from(source: Source, interactive: bool) -> Self {
        Input {
            source: Rc::new(RefCell::new(source)),
            interactive,
        }
    }

    /// Show `prompt` and read one line; `None` at end of input (Ctrl-D).
    /// Ctrl-C at a prompt gives an empty line.
    pub fn ask(&mut self, prompt: &str) -> Option<String> {
        match &mut *self.source.borrow_mut() {
            Source::Editor { editor, .. } => match editor.readline(prompt) {
                Ok(line) => Some(line),
                Err(rustyline::error::ReadlineError::Interrupted) => Some(String::new()),
                Err(_) => None,
            },
            Source::Lines(lines) => lines.next().and_then(Result::ok),
        }
    }

    /// [`Input::ask`] for a yes/no question: Ctrl-C is no answer (`None`,
    /// as Ctrl-D is), not an empty line that would take the default.
    pub fn ask_or_cancel(&mut self, prompt: &str) -> Option<String> {
        self.source.borrow_mut().ask_or_cancel(prompt)
    }

    /// Ask `prompt` until `pick` knows the answer (it gets the trimmed,
    /// lower-cased line); each answer it does not know prints `hint` and
    /// asks again. `None` when the user cancels (Ctrl-C, Ctrl-D): a
    /// question is never answered by a typo or a stray key.
    pub fn ask_until<T>(
        &mut self,
        prompt: &str,
        hint: &str,
        mut pick: impl FnMut(&str) -> Option<T>,
    ) -> Option<T> {
        self.source.borrow_mut().ask_until(prompt, hint, |typed| {
            pick(typed.to_ascii_lowercase().as_str())
        })
    }

    /// This input as the thread's [`Asker`] (`term::ask`): a plugin's
    /// question goes through the same loop as the session's own; a piped
    /// or headless input refuses it.
    pub fn asker(&self) -> Box<dyn Asker> {
        Box::new(InputAsker {
            source: Rc::clone(&self.source),
            interactive: self.interactive,
        })
    }

    /// Remember a typed line in the editor history (and its file).
    pub fn remember(&mut self, line: &str) {
        if let Source::Editor { editor, history } = &mut *self.source.borrow_mut() {
            let _ = editor.add_history_entry(line);
            if let Some(path) = history {
                if let Some(dir) = path.parent() {
                    let _ = std::fs::create_dir_all(dir);
                }
                let _ = editor.save_history(path);
            }
        }
    }

    /// What Tab completes from now on: the slash commands and `@SERVER:URI`
    /// resources `source` gives at each Tab, and `@path` mentions beneath
    /// `root`.
    pub fn set_completions(&mut self, source: CompletionSource, root: PathBuf) {
        if let Source::Editor { editor, .. } = &mut *self.source.borrow_mut() {
            if let Some(helper) = editor.helper_mut() {
                helper.source = Some(source);
                helper.root = root;
            }
        }
    }
}

/// What Tab offers besides paths, as it stands now.
#[derive(Debug, Default)]
pub struct Candidates {
    /// Slash command names without the `/`.
    pub commands: Vec<String>,
    /// MCP resources as `SERVER:URI` (`@` mentions complete them too).
    pub resources: Vec<String>,
}

/// Read at each Tab (see `Session::completions`).
pub type CompletionSource = Box<dyn Fn() -> Candidates>;

impl Source {
    fn ask_or_cancel(&mut self, prompt: &str) -> Option<String> {
        match self {
            Source::Editor { editor, .. } => editor.readline(prompt).ok(),
            Source::Lines(lines) => lines.next().and_then(Result::ok),
        }
    }

    /// The one question loop: `pick` gets the trimmed line as typed.
    fn ask_until<T>(
        &mut self,
        prompt: &str,
        hint: &str,
        mut pick: impl FnMut(&str) -> Option<T>,
    ) -> Option<T> {
        loop {
            let answer = self.ask_or_cancel(prompt)?;
            match pick(answer.trim()) {
                Some(known) => return Some(known),
                None => println!("  {hint}"),
            }
        }
    }
}

/// The session's input answering a plugin's question (`ui.ask`).
struct InputAsker {
    source: Rc<RefCell<Source>>,
    interactive: bool,
}

impl Asker for InputAsker {
    fn ask(
        &mut self,
        question: &Question<'_>,
        accept: &dyn Fn(&str) -> bool,
    ) -> Result<String, NotAnswered> {
        if !self.interactive {
            return Err(NotAnswered::NoTerminal(
                "the user cannot be asked: aicoder runs without a terminal (piped input); \
                 go on without the answer or state your question in your reply"
                    .into(),
            ));
        }
        let Ok(mut source) = self.source.try_borrow_mut() else {
            return Err(NotAnswered::NoTerminal(
                "the user is already answering another question".into(),
            ));
        };
        print!("{}", question.head);
        let _ = std::io::Write::flush(&mut std::io::stdout());
        source
            .ask_until(question.prompt, question.hint, |typed| {
                accept(typed).then(|| typed.to_string())
            })
            .ok_or(NotAnswered::Cancelled)
    }
}

/// Alt-Enter inserts a newline; Ctrl-X Ctrl-E opens the draft in the editor.
fn bind_keys(editor: &mut rustyline::Editor<LineHelper, FileHistory>) {
    editor.bind_sequence(KeyEvent(KeyCode::Enter, Modifiers::ALT), Cmd::Newline);
    editor.bind_sequence(
        Event::KeySeq(vec![KeyEvent::ctrl('X'), KeyEvent::ctrl('E')]),
        EventHandler::Conditional(Box::new(EditInEditor)),
    );
}

/// Ctrl-X Ctrl-E: the draft goes to `$VISUAL`/`$EDITOR` and comes back
/// edited (unchanged if the editor fails, with a note).
struct EditInEditor;

impl ConditionalEventHandler for EditInEditor {
    fn handle(&self, _: &Event, _: RepeatCount, _: bool, ctx: &EventContext) -> Option<Cmd> {
        match edit_text(ctx.line()) {
            Ok(text) => Some(Cmd::Replace(Movement::WholeBuffer, Some(text))),
            Err(err) => {
                eprintln!("\r\naicoder: {err}\r");
                Some(Cmd::Repaint)
            }
        }
    }
}

/// Why the external editor gave nothing back.
#[derive(Debug, thiserror::Error)]
pub enum EditorError {
    #[error("cannot make a file for the editor: {0}")]
    TempFile(std::io::Error),
    #[error("cannot start the editor `{editor}` (set VISUAL or EDITOR): {source}")]
    Start {
        editor: String,
        source: std::io::Error,
    },
    #[error("the editor `{editor}` exited with {status}; the draft is kept as it was")]
    Failed {
        editor: String,
        status: std::process::ExitStatus,
    },
    #[error("cannot read back the edited text: {0}")]
    ReadBack(std::io::Error),
}

/// The editor to use: `$VISUAL`, then `$EDITOR`, then `vi`.
fn editor_command() -> String {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "vi".to_string())
}

/// Open `draft` in the user's editor and return the edited text (one trailing
/// newline dropped). The editor command may carry arguments (`code -w`): it
/// runs through `sh -c`, with the file as its last argument.
pub fn edit_text(draft: &str) -> Result<String, EditorError> {
    let file = tempfile::Builder::new()
        .prefix("aicoder-draft-")
        .suffix(".md")
        .tempfile()
        .map_err(EditorError::TempFile)?;
    std::fs::write(file.path(), draft).map_err(EditorError::TempFile)?;
    let editor = editor_command();
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("aicoder-editor")
        .arg(file.path())
        .status()
        .map_err(|source| EditorError::Start {
            editor: editor.clone(),
            source,
        })?;
    if !status.success() {
        return Err(EditorError::Failed { editor, status });
    }
    let text = std::fs::read_to_string(file.path()).map_err(EditorError::ReadBack)?;
    Ok(text.strip_suffix('\n').unwrap_or(&text).to_string())
}

/// Tab completion for the line editor.
#[derive(Default)]
pub struct LineHelper {
    /// Where commands and resources come from, read at each Tab.
    source: Option<CompletionSource>,
    /// The workspace root `@path` mentions are completed beneath.
    root: PathBuf,
}

impl Completer for LineHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &rustyline::Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let before = line.get(..pos).unwrap_or(line);
        let now = self
            .source
            .as_ref()
            .map(|source| source())
            .unwrap_or_default();
        if let Some(typed) = before.strip_prefix('/') {
            if !typed.contains(char::is_whitespace) {
                let mut names: Vec<&String> = now
                    .commands
                    .iter()
                    .filter(|c| c.starts_with(typed))
                    .collect();
                names.sort();
                names.dedup();
                let pairs = names
                    .into_iter()
                    .map(|c| Pair {
                        display: format!("/{c}"),
                        replacement: format!("/{c} "),
                    })
                    .collect();
                return Ok((0, pairs));
            }
        }
        let start = before
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8());
        match before[start..].strip_prefix('@') {
            Some(typed) => {
                let mut found: Vec<Pair> = now
                    .resources
                    .iter()
                    .filter(|r| r.starts_with(typed))
                    .map(|r| Pair {
                        display: r.clone(),
                        replacement: format!("@{r} "),
                    })
                    .collect();
                found.extend(path_candidates(&self.root, typed));
                Ok((start, found))
            }
            None => Ok((pos, Vec::new())),
        }
    }
}

/// Entries beneath `root` completing the typed `@` path (relative to the
/// root; absolute paths and `..` are not completed: mentions stay inside).
fn path_candidates(root: &Path, typed: &str) -> Vec<Pair> {
    let (dir, prefix) = match typed.rfind('/') {
        Some(i) => typed.split_at(i + 1),
        None => ("", typed),
    };
    if dir.starts_with('/') || dir.split('/').any(|part| part == "..") {
        return Vec::new();
    }
    let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
        return Vec::new();
    };
    let mut found: Vec<(String, bool)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let shown =
                name.starts_with(prefix) && (prefix.starts_with('.') || !name.starts_with('.'));
            shown.then(|| (name, e.path().is_dir()))
        })
        .collect();
    found.sort();
    found.truncate(MAX_PATH_CANDIDATES);
    found
        .into_iter()
        .map(|(name, is_dir)| Pair {
            display: if is_dir {
                format!("{name}/")
            } else {
                name.clone()
            },
            replacement: if is_dir {
                format!("@{dir}{name}/")
            } else {
                format!("@{dir}{name} ")
            },
        })
        .collect()
}

impl Hinter for LineHelper {
    type Hint = String;
}
impl Highlighter for LineHelper {}
impl Validator for LineHelper {}
impl rustyline::Helper for LineHelper {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_candidates_stay_beneath_the_root() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(dir.path().join("src")).expect("mkdir");
        std::fs::write(dir.path().join("src/main.rs"), "").expect("write");
        std::fs::write(dir.path().join(".hidden"), "").expect("write");
        let names: Vec<String> = path_candidates(dir.path(), "s")
            .into_iter()
            .map(|p| p.replacement)
            .collect();
        assert_eq!(names, ["@src/"]);
        let names: Vec<String> = path_candidates(dir.path(), "src/m")
            .into_iter()
            .map(|p| p.replacement)
            .collect();
        assert_eq!(names, ["@src/main.rs "]);
        assert!(path_candidates(dir.path(), "")
            .iter()
            .all(|p| p.display != ".hidden"));
        assert!(path_candidates(dir.path(), "../").is_empty());
        assert!(path_candidates(dir.path(), "/etc/").is_empty());
    }
}
