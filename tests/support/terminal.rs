//! A session in a real pseudo-terminal (expectrl), for the tests of what a
//! person at the prompt sees and types.

use crate::server::ScriptedServer;
use crate::Project;
use expectrl::{Eof, Session};
use std::time::Duration;

/// A project talking to `server`, in a terminal the line editor drives
/// (TERM=dumb would make rustyline read plain lines without key bindings).
pub fn project(server: &ScriptedServer) -> Project {
    let mut p = Project::new();
    p.env("API_BASE_URL", &server.url)
        .env("API_KEY", "k")
        .env("API_MODEL", "scripted")
        .env("TERM", "xterm");
    p
}

/// `aicoder ARGS` in `p` in a pseudo-terminal, before anything is read from
/// it: for tests that expect a question (trust, approval) before the prompt.
pub fn start(p: &Project, args: &[&str]) -> Session {
    let mut term = Session::spawn(p.command(args)).unwrap();
    // Generous: only a failing test waits this long.
    term.set_expect_timeout(Some(Duration::from_secs(60)));
    term
}

/// `aicoder ARGS` in `p`, waiting at its first prompt.
pub fn spawn_with(p: &Project, args: &[&str]) -> Session {
    let mut term = start(p, args);
    term.expect("> ").unwrap();
    term
}

/// `aicoder` in `p`, past its greeting and waiting at its first prompt.
pub fn spawn(p: &Project) -> Session {
    let mut term = start(p, &[]);
    term.expect("/help for commands").unwrap();
    term.expect("> ").unwrap();
    term
}

/// `/quit`, and the process ends.
pub fn quit(mut term: Session) {
    term.send_line("/quit").unwrap();
    term.expect(Eof).unwrap();
}
