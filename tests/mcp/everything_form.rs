//! server-everything's own elicitation form (`trigger-elicitation-request`,
//! a tool it offers only to clients that declare elicitation) filled in at a
//! real terminal: 13 fields with titles, defaults, formats, bounds and
//! titled choices, each asked until the answer fits, and the server gets
//! the values typed (or their defaults).

#![allow(clippy::unwrap_used)]

use super::common::{calls, everything, user_servers};
use aicoder_tests::server::{self, ScriptedServer};
use expectrl::Regex;
use serde_json::json;
use std::collections::BTreeSet;

#[test]
fn everythings_form_is_filled_in_at_the_terminal() {
    let model = ScriptedServer::start(calls(
        &[("mcp__everything__trigger-elicitation-request", json!({}))],
        "form sent",
    ));
    let mut p = aicoder_tests::terminal::project(&model);
    user_servers(
        &p,
        json!({"everything": {"command": "node", "args": [everything(), "stdio"]}}),
    );
    // The call itself is approved by YOLO; the form is still the user's.
    p.env("YOLO_MODE", "1");
    let mut term = aicoder_tests::terminal::spawn_with(&p, &[]);
    term.send_line("fill in the form").unwrap();
    term.expect("MCP server everything asks (its own words, not aicoder's)")
        .unwrap();
    term.expect("Answer it? [y/N]").unwrap();
    term.send_line("y").unwrap();

    let mut answered = BTreeSet::new();
    let mut integer_tries = 0;
    while answered.len() < 13 {
        // `  NAME "TITLE" (TYPE...): `, the prompt of one field (its
        // description line before it reads `  NAME: ...`).
        let asked = term.expect(Regex("  (\\w+) \"[^\"\r\n]*\" \\(")).unwrap();
        let field = String::from_utf8_lossy(asked.get(1).unwrap()).into_owned();
        term.expect("): ").unwrap();
        let answer = match field.as_str() {
            "name" => "Ada Lovelace",
            "check" => "y",
            "email" => "ada@example.com",
            "homepage" => "https://example.org/ada",
            "birthdate" => "1815-12-10",
            // Out of its 1..100 bounds first: asked again.
            "integer" if integer_tries == 0 => "150",
            "integer" => "7",
            "titledSingleSelectEnum" => "Wonder Woman",
            "legacyTitledEnum" => "Dogs",
            _ => "",
        };
        if field == "integer" {
            integer_tries += 1;
            if integer_tries == 1 {
                term.send_line(answer).unwrap();
                term.expect("at most 100, please").unwrap();
                continue;
            }
        }
        term.send_line(answer).unwrap();
        answered.insert(field);
    }
    term.expect("form sent").unwrap();
    term.expect("> ").unwrap();
    aicoder_tests::terminal::quit(term);

    let result = server::tool_results(&model.requests()[1]).join("\n");
    for expected in [
        "- Name: Ada Lovelace",
        "- Agreed to terms: true",
        "- Email: ada@example.com",
        "- Birthdate: 1815-12-10",
        "- Favorite Integer: 7",
        // A title typed is sent as its value; untouched fields keep their default.
        "\"titledSingleSelectEnum\": \"hero-3\"",
        "\"legacyTitledEnum\": \"pet-2\"",
        "\"firstLine\": \"It was a dark and stormy night.\"",
    ] {
        assert!(result.contains(expected), "{expected} not in {result}");
    }
    assert!(p
        .audit()
        .iter()
        .any(|l| l["capability"] == "mcp.elicit" && l["outcome"] == "allowed"));
}
