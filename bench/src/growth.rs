//! B9: what a message and a tool call cost as the conversation grows, at
//! 10, 1,000 and 10,000 messages (tool results of 2 KiB, as reads of source
//! files give), measured in process on the session's own code: the message
//! appended to the history and the autosave brought up to date
//! (`session::store::Autosave`, the journal), and for a tool call the
//! internal tool run first (`read_file` of a 2 KiB file). The baseline is the
//! autosave as it was: the whole conversation rewritten after each message.
//! Not in either: sending the conversation to the model, which the chat API
//! needs whole every turn (shown in its own row).

use crate::{fmt, stat, Row, Stat};
use aicoder::session::store::{self, Autosave, SavedSession};
use aicoder::state::{History, Message, Stats};
use std::time::Instant;

const SIZES: [usize; 3] = [10, 1_000, 10_000];

fn tool_result(i: usize) -> String {
    let line = format!("{i:>6}: fn example_{i}(x: u32) -> u32 {{ x.wrapping_mul(31) }}\n");
    line.repeat(2048 / line.len() + 1)[..2048].to_string()
}

/// A conversation of `n` messages: user, assistant asking for a read, the
/// 2 KiB result, assistant answer, and again.
fn conversation(n: usize) -> History {
    let mut messages = vec![Message::new("system", aicoder::state::SYSTEM_PROMPT)];
    let mut i = 0;
    while messages.len() < n {
        let m = match i % 4 {
            0 => Message::new("user", format!("please look at file {i} and fix the bug")),
            1 => Message {
                tool_calls: vec![aicoder::model::ToolCall {
                    id: format!("call_{i}"),
                    name: "read_file".into(),
                    arguments: format!(r#"{{"path":"src/f{i}.rs"}}"#),
                }],
                ..Message::new("assistant", "")
            },
            2 => Message {
                tool_call_id: Some(format!("call_{}", i - 1)),
                name: Some("read_file".into()),
                ..Message::new("tool", tool_result(i))
            },
            _ => Message::new(
                "assistant",
                "The bug is in the loop bound; here is the fix. ".repeat(6),
            ),
        };
        messages.push(m);
        i += 1;
    }
    History::from(messages)
}

/// Time `step` (which appends to the history) `samples` times on a
/// conversation kept within `n .. n + 20` messages: every 20 steps it is cut
/// back to `n` (and `reset` run), untimed.
fn grown(
    n: usize,
    samples: usize,
    mut reset: impl FnMut(&History),
    mut step: impl FnMut(&mut History, usize),
) -> Stat {
    let mut history = conversation(n);
    reset(&history);
    let mut times = Vec::new();
    for i in 0..samples + 1 {
        if i % 20 == 0 && i > 0 {
            history.truncate(n);
            reset(&history);
        }
        let t = Instant::now();
        step(&mut history, i);
        if i > 0 {
            times.push(t.elapsed().as_secs_f64());
        }
    }
    stat(times)
}

fn journal_stat(n: usize, tool: bool, dir: &std::path::Path) -> Stat {
    let journal = std::cell::RefCell::new(Autosave::new(dir.join(format!("j{n}-{tool}.jsonl"))));
    let stats = std::cell::RefCell::new(Stats::default());
    let limits = aicoder::config::Config::from_lookup(|_| None)
        .unwrap()
        .sandbox;
    std::fs::write(dir.join("notes.rs"), tool_result(0)).unwrap();
    grown(
        n,
        400,
        |h| {
            journal
                .borrow_mut()
                .record(h.revision(), h, &stats.borrow(), "/work")
                .unwrap()
        },
        |h, i| {
            let message = if tool {
                let out = aicoder::tools::run("read_file", r#"{"path":"notes.rs"}"#, dir, &limits)
                    .unwrap();
                stats.borrow_mut().tool_calls += 1;
                Message {
                    tool_call_id: Some(format!("c{i}")),
                    name: Some("read_file".into()),
                    ..Message::new("tool", out)
                }
            } else {
                stats.borrow_mut().messages_sent += 1;
                Message::new("user", format!("and now the next thing, number {i}"))
            };
            h.push(message);
            journal
                .borrow_mut()
                .record(h.revision(), h, &stats.borrow(), "/work")
                .unwrap();
        },
    )
}

/// The autosave as it was: every message rewrote the whole conversation.
fn rewrite_stat(n: usize, dir: &std::path::Path) -> Stat {
    let path = dir.join(format!("old{n}.json"));
    let samples = if n >= 10_000 { 10 } else { 60 };
    grown(
        n,
        samples,
        |_| {},
        |h, i| {
            h.push(Message::new(
                "user",
                format!("and now the next thing, number {i}"),
            ));
            let saved = SavedSession {
                version: 1,
                messages: h.to_vec(),
                stats: Stats::default(),
                cwd: Some("/work".into()),
            };
            store::autosave(&path, &saved).unwrap();
        },
    )
}

fn three(stats: &[Stat]) -> String {
    stats
        .iter()
        .map(|s| fmt(s.median))
        .collect::<Vec<_>>()
        .join(" / ")
}

/// The B9 rows.
pub fn rows() -> Vec<Row> {
    let dir = tempfile::tempdir().unwrap();
    let message: Vec<Stat> = SIZES
        .iter()
        .map(|&n| journal_stat(n, false, dir.path()))
        .collect();
    let tool: Vec<Stat> = SIZES
        .iter()
        .map(|&n| journal_stat(n, true, dir.path()))
        .collect();
    let old: Vec<Stat> = SIZES.iter().map(|&n| rewrite_stat(n, dir.path())).collect();
    let request: Vec<Stat> = SIZES
        .iter()
        .map(|&n| {
            let h = conversation(n);
            let reps = if n >= 10_000 { 10 } else { 50 };
            stat(
                (0..reps)
                    .map(|_| {
                        let t = Instant::now();
                        let body = serde_json::json!({
                            "messages": h.iter().map(Message::to_api).collect::<Vec<_>>()
                        });
                        std::hint::black_box(serde_json::to_vec(&body).unwrap());
                        t.elapsed().as_secs_f64()
                    })
                    .collect(),
            )
        })
        .collect();
    let growth = |s: &[Stat]| format!("{:.2}x (10,000 vs 10)", s[2].median / s[0].median);
    vec![
        Row {
            id: "B9",
            what: "per message (append + autosave journal) at 10 / 1,000 / 10,000 messages".into(),
            value: three(&message),
            baseline: format!("whole rewrite (before): {}", three(&old)),
            ratio: growth(&message),
            target: "<= 1.5x",
        },
        Row {
            id: "B9",
            what: "per tool call (read_file of 2 KiB + append + autosave) at 10 / 1,000 / 10,000".into(),
            value: three(&tool),
            baseline: format!("p95: {}", tool.iter().map(|s| fmt(s.p95)).collect::<Vec<_>>().join(" / ")),
            ratio: growth(&tool),
            target: "<= 1.5x",
        },
        Row {
            id: "B9",
            what: "for scale: building the request body (whole conversation, as the chat API needs) at 10 / 1,000 / 10,000".into(),
            value: three(&request),
            baseline: "-".into(),
            ratio: growth(&request),
            target: "-",
        },
    ]
}
