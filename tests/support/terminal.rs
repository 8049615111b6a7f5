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

/// `aicoder` in `p`, waiting at its first prompt.
pub fn spawn(p: &Project) -> Session {
    let mut term = Session::spawn(p.command(&[])).unwrap();
    term.set_expect_timeout(Some(Duration::from_secs(30)));
    term.expect("/help for commands").unwrap();
    term.expect("> ").unwrap();
    term
}

/// `/quit`, and the process ends.
pub fn quit(mut term: Session) {
    term.send_line("/quit").unwrap();
    term.expect(Eof).unwrap();
}
