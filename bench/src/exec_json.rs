//! B20: the headless event stream's cost. `aicoder exec --json TASK` against
//! `aicoder exec TASK` (text mode) on the same scripted turn: a tool call
//! (`list_directory`), then an answer of 500 streamed tokens, so the JSON
//! run writes an event per step and per token where the text run prints
//! the answer. Both write to /dev/null; runs alternate.

use crate::mcp_client::interleaved;
use crate::{Env, Row};
use aicoder_tests::server::{finish, text, tool_call, Reply, ScriptedServer};

const TOKENS: usize = 500;
const RUNS: usize = 20;

fn turn() -> [Reply; 2] {
    let mut answer: Vec<_> = (0..TOKENS).map(|_| text("tok ")).collect();
    answer.push(finish("stop", 10, TOKENS as u64));
    [
        Reply::Stream(vec![
            tool_call(0, "c1", "list_directory", "{}"),
            finish("tool_calls", 10, 5),
        ]),
        Reply::Stream(answer),
    ]
}

pub fn rows() -> Vec<Row> {
    let env = Env::new();
    std::fs::write(env.project.work().join("notes.txt"), "hi\n").unwrap();
    let model = ScriptedServer::start((0..2 * (RUNS + 1)).flat_map(|_| turn()).collect());
    let api = [("API_BASE_URL", model.url.as_str()), ("API_KEY", "k")];
    let (json, plain) = interleaved(
        RUNS,
        || {
            env.run(&["exec", "--json", "list it"], "", &api);
        },
        || {
            env.run(&["exec", "list it"], "", &api);
        },
    );
    vec![crate::row(
        "B20",
        &format!("`aicoder exec --json` vs `aicoder exec` (text), one turn: a tool call and {TOKENS} streamed tokens"),
        json,
        plain,
        "<= 1.05x",
    )]
}
