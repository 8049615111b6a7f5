//! When aicoder styles its own output: only on a terminal, and never when
//! `NO_COLOR` is set (https://no-color.org).

use std::io::IsTerminal;

/// Whether `NO_COLOR` asks for no colour (set and not empty).
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Style what goes to stdout: a terminal, and colour not turned off.
pub fn stdout_styled() -> bool {
    std::io::stdout().is_terminal() && !no_color()
}

/// Style what goes to stderr: a terminal, and colour not turned off.
pub fn stderr_styled() -> bool {
    std::io::stderr().is_terminal() && !no_color()
}

pub const BOLD: &str = "\x1b[1m";
pub const DIM: &str = "\x1b[2m";
pub const RED: &str = "\x1b[31m";
pub const GREEN: &str = "\x1b[32m";
pub const CYAN: &str = "\x1b[36m";
pub const RESET: &str = "\x1b[0m";

/// `text` wrapped in `style` when `on`, unchanged otherwise.
pub fn paint(on: bool, style: &str, text: &str) -> String {
    if on {
        format!("{style}{text}{RESET}")
    } else {
        text.to_string()
    }
}
