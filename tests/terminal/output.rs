//! What a person sees: the real binary in a pseudo-terminal, its output fed
//! to an ANSI-aware screen model (vt100), assertions on the screen. Text
//! from the model, a plugin, a tool result or a file must not drive the
//! terminal; tool calls show their outcome; a progress line shows while
//! waiting and is cleared; the status line shows the server's token usage.

#![allow(clippy::unwrap_used)]

use aicoder_tests::server::{answer_text, finish, text, tool_call, Reply, ScriptedServer};
use aicoder_tests::Project;
use expectrl::Session;
use std::process::Command;
use std::time::{Duration, Instant};

/// A running aicoder and the screen it has drawn so far.
struct Screen {
    term: Session,
    parser: vt100::Parser,
}

impl Screen {
    fn spawn(command: Command, rows: u16, cols: u16) -> Screen {
        let mut term = Session::spawn(command).unwrap();
        term.get_process_mut().set_window_size(cols, rows).unwrap();
        Screen {
            term,
            parser: vt100::Parser::new(rows.try_into().unwrap(), cols.try_into().unwrap(), 500),
        }
    }

    /// Read what is there now into the screen model.
    fn pump(&mut self) {
        let mut buf = [0u8; 8192];
        loop {
            match self.term.try_read(&mut buf) {
                Ok(0) => break,
                Ok(n) => self.parser.process(&buf[..n]),
                Err(_) => break,
            }
        }
    }

    fn contents(&self) -> String {
        self.parser.screen().contents()
    }

    /// Wait until the screen shows `what` (30 s, then fail with the screen).
    fn wait_for(&mut self, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            self.pump();
            if self.contents().contains(what) {
                return;
            }
            if Instant::now() > deadline {
                panic!(
                    "the screen never showed {what:?}; it shows:\n{}",
                    self.contents()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn send_line(&mut self, line: &str) {
        self.term.send_line(line).unwrap();
    }

    /// The screen's rows, trailing spaces cut.
    fn rows(&self) -> Vec<String> {
        let cols = self.parser.screen().size().1.get();
        self.parser
            .screen()
            .rows(0, cols)
            .map(|r| r.trim_end().to_string())
            .collect()
    }

    /// The foreground colour of the first cell of the row holding `what`.
    fn colour_of(&self, what: &str) -> vt100::Color {
        let screen = self.parser.screen();
        let (row, line) = self
            .rows()
            .into_iter()
            .enumerate()
            .find(|(_, r)| r.contains(what))
            .unwrap_or_else(|| panic!("no row shows {what:?}:\n{}", self.contents()));
        let col = line[..line.find(what).unwrap()].chars().count();
        screen.cell(row as u16, col as u16).unwrap().fgcolor()
    }
}

fn project(server: &ScriptedServer) -> Project {
    let mut p = Project::with_model(server);
    p.env("YOLO_MODE", "1");
    p
}

const PY: [&str; 3] = ["--python-runtime", "--grant", "python_runtime:tools.manage"];

#[test]
fn foreign_text_on_every_path_is_shown_not_obeyed() {
    let code = "ctx.log('L1\\x1b[2JL1\\rLX', 'warn')\nctx.register_command('evil', lambda a: 'C1\\x1b[2JC1\\rCX', 'x')\nprint('P1\\x1b[2JP1\\rPX')";
    let server = ScriptedServer::start(vec![
        Reply::Stream(vec![
            text("S1\x1b[2JS1\rSX \x1b]0;pwned\x07 \u{202e}RTL\n"),
            tool_call(0, "a", "read_file", r#"{"path":"a.txt"}"#),
            tool_call(
                1,
                "b",
                "edit_file",
                r#"{"path":"b.txt","old_string":"R1","new_string":"R2"}"#,
            ),
            tool_call(
                2,
                "c",
                "run_inline_python",
                &serde_json::json!({ "code": code }).to_string(),
            ),
            finish("tool_calls", 10, 5),
        ]),
        Reply::Status(400, "E1\x1b[2JE1\rEX".into()),
    ]);
    let p = project(&server);
    std::fs::write(p.work().join("a.txt"), "A1\x1b[2JA1\rAX\nmore\n").unwrap();
    std::fs::write(p.work().join("b.txt"), "B1\x1b[2JB1\rBX\nR1\n").unwrap();
    let mut s = Screen::spawn(p.command(&PY), 60, 160);
    s.wait_for("/help for commands");
    s.wait_for("> ");
    s.send_line("go");
    s.wait_for("E1^[[2JE1^MEX");
    s.send_line("/evil");
    s.wait_for("C1^[[2JC1^MCX");
    let screen = s.contents();
    // Nothing cleared the screen: the banner is still there.
    assert!(screen.contains("/help for commands"), "{screen}");
    for shown in [
        "S1^[[2JS1^MSX ^[]0;pwned^G <U+202E>RTL", // the streamed answer
        "A1^[[2JA1^MAX",                          // a tool result
        "B1^[[2JB1^M",                            // a file in an approval preview
        "L1^[[2JL1^MLX",                          // a plugin's log line
        "P1^[[2JP1^MPX",                          // a plugin tool's output
        "E1^[[2JE1^MEX",                          // an error message
        "C1^[[2JC1^MCX",                          // a plugin command's output
    ] {
        assert!(screen.contains(shown), "{shown:?} not shown:\n{screen}");
    }
    s.send_line("/quit");
}

#[test]
fn each_tool_call_shows_its_outcome_and_the_status_line_the_servers_usage() {
    let code = "raise PermissionError('[Errno 13] Permission denied: /etc/x')";
    let server = ScriptedServer::start(vec![
        Reply::Stream(vec![
            tool_call(
                0,
                "c",
                "run_inline_python",
                &serde_json::json!({ "code": code }).to_string(),
            ),
            tool_call(1, "l", "list_directory", "{}"),
            finish("tool_calls", 1000, 234),
        ]),
        Reply::Stream(vec![text("done"), finish("stop", 1500, 21)]),
    ]);
    let p = project(&server);
    std::fs::write(p.work().join("listed.txt"), "x").unwrap();
    let mut s = Screen::spawn(p.command(&PY), 40, 120);
    s.wait_for("> ");
    s.send_line("go");
    s.wait_for("done");
    s.wait_for("1521/");
    let screen = s.contents();
    assert!(
        screen.contains("✗ run_inline_python · PermissionError: [Errno 13] Permission denied"),
        "the failure is shown:\n{screen}"
    );
    assert!(
        screen.contains("✓ list_directory · .aicoder/ (+1 lines)"),
        "{screen}"
    );
    let status = s.rows().into_iter().find(|r| r.contains("1521/")).unwrap();
    let root_name = p.work().file_name().unwrap().to_string_lossy().to_string();
    assert!(status.contains("scripted"), "{status}");
    assert!(status.contains(&root_name), "{status}");
    s.send_line("/quit");
}

#[test]
fn a_progress_line_shows_while_waiting_and_is_cleared() {
    let server = ScriptedServer::start(vec![
        Reply::Stream(vec![
            tool_call(
                0,
                "s",
                "run_shell_command",
                r#"{"command":"sleep 2; echo slept"}"#,
            ),
            finish("tool_calls", 1, 1),
        ]),
        Reply::Hang,
    ]);
    let p = project(&server);
    let mut s = Screen::spawn(p.command(&[]), 40, 120);
    s.wait_for("> ");
    s.send_line("go");
    s.wait_for("running run_shell_command");
    s.wait_for("✓ run_shell_command");
    assert!(
        !s.contents().contains("running run_shell_command"),
        "{}",
        s.contents()
    );
    s.wait_for("thinking");
    s.term.send(expectrl::ControlCode::EndOfText).unwrap();
    s.wait_for("cancelled");
    s.wait_for("> ");
    assert!(!s.contents().contains("thinking"), "{}", s.contents());
    s.send_line("/quit");
}

#[test]
fn diffs_are_coloured_on_a_terminal_and_plain_with_no_color() {
    for no_color in [false, true] {
        let server = ScriptedServer::start(vec![
            Reply::Stream(vec![
                tool_call(
                    0,
                    "e",
                    "edit_file",
                    r#"{"path":"f.txt","old_string":"old","new_string":"new"}"#,
                ),
                finish("tool_calls", 1, 1),
            ]),
            answer_text("edited"),
        ]);
        let mut p = project(&server);
        if no_color {
            p.env("NO_COLOR", "1");
        }
        std::fs::write(p.work().join("f.txt"), "old\n").unwrap();
        let mut s = Screen::spawn(p.command(&[]), 40, 120);
        s.wait_for("> ");
        s.send_line("go");
        s.wait_for("edited");
        let (added, removed) = (s.colour_of("+new"), s.colour_of("-old"));
        if no_color {
            assert_eq!(added, vt100::Color::Default);
            assert_eq!(removed, vt100::Color::Default);
        } else {
            assert_eq!(added, vt100::Color::Idx(2), "+ lines green");
            assert_eq!(removed, vt100::Color::Idx(1), "- lines red");
        }
        s.send_line("/quit");
    }
}

#[test]
fn a_narrow_terminal_keeps_status_and_outcome_lines_on_one_row() {
    let server = ScriptedServer::start(vec![
        Reply::Stream(vec![
            tool_call(0, "r", "read_file", r#"{"path":"long.txt"}"#),
            finish("tool_calls", 1, 1),
        ]),
        Reply::Stream(vec![text("ok"), finish("stop", 300, 12)]),
    ]);
    let p = project(&server);
    std::fs::write(p.work().join("long.txt"), "x".repeat(200)).unwrap();
    let mut s = Screen::spawn(p.command(&[]), 40, 60);
    s.wait_for("> ");
    s.send_line("go");
    s.wait_for("312/");
    let rows = s.rows();
    let outcome = rows.iter().find(|r| r.contains("✓ read_file")).unwrap();
    assert!(outcome.ends_with('…'), "cut to the width: {outcome:?}");
    let status = rows.iter().find(|r| r.contains("312/")).unwrap();
    assert!(
        status.starts_with('[') && status.ends_with(']'),
        "one row: {status:?}\n{}",
        s.contents()
    );
    s.send_line("/quit");
}

#[test]
fn piped_output_stays_plain() {
    let server = ScriptedServer::start(vec![answer_text("# Title\n**bold** `code`")]);
    let p = project(&server);
    let run = p.run_with_stdin(&[], "go\n");
    assert!(!run.stdout().contains('\x1b'), "{:?}", run.stdout());
    assert!(
        run.stdout().contains("**bold** `code`"),
        "{:?}",
        run.stdout()
    );
}

#[test]
fn markdown_is_rendered_code_highlighted_and_tables_aligned() {
    let answer = "# Title\nsee **strong** and `code`\n```rust\nfn main() {}\n```\n| name | n |\n|---|---|\n| äpfel | 10 |\n| b | 2 |\nend";
    let server = ScriptedServer::start(vec![answer_text(answer)]);
    let p = project(&server);
    let mut s = Screen::spawn(p.command(&[]), 40, 60);
    s.wait_for("> ");
    s.send_line("go");
    s.wait_for("end");
    let screen = s.contents();
    assert!(
        screen.contains("see strong and code"),
        "markers gone:\n{screen}"
    );
    assert!(
        screen.contains("äpfel │ 10\nb     │ 2"),
        "aligned:\n{screen}"
    );
    let row = s
        .rows()
        .iter()
        .position(|r| r.starts_with("see strong"))
        .unwrap();
    assert!(
        s.parser.screen().cell(row as u16, 4).unwrap().bold(),
        "strong is bold"
    );
    assert_ne!(
        s.colour_of("fn main"),
        vt100::Color::Default,
        "code is highlighted"
    );
    s.send_line("/quit");
}
