//! Terminal output helpers.

pub mod diff;
pub mod highlight;
pub mod markdown;
pub mod outcome;
pub use crate::term::sanitize;
pub use crate::term::spinner;
pub mod style;
pub mod tables;
pub mod undo;

/// Columns of the terminal on stdout (80 when it is not a terminal or does
/// not say).
pub fn terminal_width() -> usize {
    let mut size = libc::winsize {
        ws_row: 0,
        ws_col: 0,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: TIOCGWINSZ only writes a `winsize` into the pointer we pass,
    // which points at a live, properly sized value.
    let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut size) } == 0;
    if ok && size.ws_col > 0 {
        usize::from(size.ws_col)
    } else {
        80
    }
}
