//! A progress line on stderr while the model thinks or a tool runs: a
//! spinner, what is going on and the elapsed time, redrawn in place and
//! cleared when it stops. Only on a terminal; elsewhere it prints nothing.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Serialises stderr writes between the spinner thread and lines printed
/// while it runs, so a line never lands in the middle of the spinner.
static STDERR: Mutex<()> = Mutex::new(());
/// Whether a spinner line is on screen now (it must be cleared first).
static SHOWN: AtomicBool = AtomicBool::new(false);
/// How many questions are being asked now: no spinner draws meanwhile (its
/// redraws would cover what the user types).
static HELD: AtomicUsize = AtomicUsize::new(0);

const FRAMES: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
/// Back to the start of the row and clear it.
const CLEAR: &str = "\r\x1b[2K";

/// A running progress line; stops (and clears it) when dropped.
#[derive(Debug)]
pub struct Spinner {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Spinner {
    /// Start showing `label` (already safe to print) with a spinner and
    /// elapsed seconds, when stderr is a terminal.
    pub fn start(label: &str) -> Spinner {
        Spinner::start_since(label, Instant::now())
    }

    /// As [`Spinner::start`], counting the elapsed time from `started` (a
    /// new label for the same work keeps its clock).
    pub fn start_since(label: &str, started: Instant) -> Spinner {
        let stop = Arc::new(AtomicBool::new(false));
        if !std::io::stderr().is_terminal() {
            return Spinner { stop, thread: None };
        }
        let label = label.to_string();
        let flag = stop.clone();
        let thread = std::thread::Builder::new()
            .name("spinner".into())
            .spawn(move || {
                let mut frame = 0;
                // A short delay first: quick work shows no spinner at all.
                std::thread::park_timeout(Duration::from_millis(150));
                while !flag.load(Ordering::Acquire) {
                    {
                        let _guard = STDERR.lock().unwrap_or_else(|e| e.into_inner());
                        if flag.load(Ordering::Acquire) {
                            break;
                        }
                        if HELD.load(Ordering::Acquire) == 0 {
                            let mut err = std::io::stderr().lock();
                            let _ = write!(
                                err,
                                "{CLEAR}{} {label} {:.1}s",
                                FRAMES[frame % FRAMES.len()],
                                started.elapsed().as_secs_f64()
                            );
                            let _ = err.flush();
                            SHOWN.store(true, Ordering::Release);
                        }
                    }
                    frame += 1;
                    std::thread::park_timeout(Duration::from_millis(100));
                }
            })
            .ok();
        Spinner { stop, thread }
    }

    /// Stop and clear the line (idempotent).
    pub fn stop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(thread) = self.thread.take() {
            thread.thread().unpark();
            let _ = thread.join();
            clear();
        }
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Clear a spinner line that is on screen.
fn clear() {
    if SHOWN.swap(false, Ordering::AcqRel) {
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "{CLEAR}");
        let _ = err.flush();
    }
}

/// While the user is asked something: every spinner stops drawing (its line
/// cleared) until the returned guard is dropped.
pub fn hold() -> Hold {
    let _guard = STDERR.lock().unwrap_or_else(|e| e.into_inner());
    HELD.fetch_add(1, Ordering::AcqRel);
    clear();
    Hold(())
}

/// Spinners are held while this lives (see [`hold`]).
#[derive(Debug)]
pub struct Hold(());

impl Drop for Hold {
    fn drop(&mut self) {
        HELD.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Print one line to stderr, clearing a spinner line first (the spinner
/// redraws itself below it on its next tick). `line` must already be safe
/// to print.
pub fn eprint_line(line: &str) {
    let _guard = STDERR.lock().unwrap_or_else(|e| e.into_inner());
    clear();
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{line}");
    let _ = err.flush();
}
