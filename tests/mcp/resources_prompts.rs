//! An MCP server's resources as `@SERVER:URI` attachments (Tab completes
//! them) and its prompts as `/SERVER:PROMPT` commands, in a real terminal,
//! against server-everything and the hostile fixture: escapes in a
//! resource never reach the terminal or the model as control characters, a
//! huge resource is cut, a resource cannot close the fence it is quoted in,
//! and an untrusted folder's server is named but never started.

#![allow(clippy::unwrap_used)]

use super::common::{everything, hostile_server, last_user_text, user_servers};
use aicoder_tests::server::{answer_text, ScriptedServer};
use serde_json::json;

#[test]
fn resources_attach_and_prompts_run_at_a_terminal() {
    let model = ScriptedServer::start(vec![
        answer_text("prompt-answered"),
        answer_text("inline-answered"),
        answer_text("resources-answered"),
        answer_text("hostile-answered"),
    ]);
    let p = aicoder_tests::terminal::project(&model);
    user_servers(
        &p,
        json!({"h": hostile_server("ok", ""),
               "everything": {"command": "node", "args": [everything(), "stdio"]}}),
    );
    // A cloned folder's server that would leave a mark if it ever started.
    let mark = p.work().join("proj-started");
    std::fs::write(
        p.work().join(".mcp.json"),
        json!({"mcpServers": {"proj": {"command": "sh", "args": ["-c", format!("touch {}", mark.display())]}}})
            .to_string(),
    )
    .unwrap();
    let mut term = aicoder_tests::terminal::start(&p, &[]);
    term.expect("Trust and start them? [y/N]: ").unwrap();
    term.send_line("n").unwrap();
    term.expect("> ").unwrap();

    // A prompt whose required argument is asked.
    term.send_line("/everything:args-prompt").unwrap();
    term.expect("city (").unwrap();
    term.send_line("Paris").unwrap();
    term.expect("prompt-answered").unwrap();
    term.expect("> ").unwrap();
    // Inline arguments, quoted.
    term.send_line(r#"/everything:args-prompt city="Le Mans" state=Sarthe"#)
        .unwrap();
    term.expect("inline-answered").unwrap();
    term.expect("> ").unwrap();
    // Tab completes a resource of a running server.
    term.send("look at @everything:demo://resource/static/document/instr")
        .unwrap();
    term.send("\t").unwrap();
    term.send_line("please").unwrap();
    term.expect("attached @everything:demo://resource/static/document/instructions.md")
        .unwrap();
    term.expect("resources-answered").unwrap();
    term.expect("> ").unwrap();
    // Hostile resources; a server of the untrusted folder.
    term.send_line("@h:evil://esc @h:evil://huge @proj:x go")
        .unwrap();
    let seen = term.expect("hostile-answered").unwrap();
    let seen = String::from_utf8_lossy(seen.before()).into_owned();
    term.expect("> ").unwrap();
    aicoder_tests::terminal::quit(term);

    assert!(
        !seen.contains("\x1b]0;pwned"),
        "a raw escape reached the terminal"
    );
    assert!(seen.contains("first 100 KiB"), "{seen}");
    assert!(seen.contains("not trusted"), "{seen}");
    assert!(!mark.exists(), "the untrusted folder's server was started");

    let requests = model.requests();
    let last_user = |n: usize| last_user_text(&requests[n]);
    assert!(
        last_user(0).contains("What's weather in Paris?"),
        "{}",
        last_user(0)
    );
    assert!(last_user(1).contains("Le Mans, Sarthe"), "{}", last_user(1));
    let docs = last_user(2);
    assert!(docs.contains("Content of @everything:demo://resource/static/document/instructions.md"));
    let hostile = last_user(3);
    assert!(!hostile.contains('\u{1b}'), "an escape reached the model");
    assert!(hostile.contains("^[]0;pwned"), "{hostile}");
    // The resource's own ``` cannot close the fence: a longer one is used.
    assert!(hostile.contains("````\nbefore"), "{hostile}");
    assert!(hostile.len() < 250 << 10, "the huge resource was not cut");
    assert!(!hostile.contains("Content of @proj"), "{hostile}");
    let audit = p.audit();
    let reads = audit
        .iter()
        .filter(|l| l["capability"] == "mcp.resource" && l["outcome"] == "allowed")
        .count();
    assert_eq!(reads, 3, "{audit:?}");
    assert!(
        audit
            .iter()
            .filter(|l| l["capability"] == "mcp.prompt")
            .all(|l| l["detail"].as_str().unwrap().contains("blake3:"))
            && audit.iter().any(|l| l["capability"] == "mcp.prompt"),
        "{audit:?}"
    );
}

/// Piped: a prompt's missing argument is not asked (the run says how to
/// give it), a given one works, and the hostile prompt's escapes are made
/// visible before they reach the model.
#[test]
fn a_piped_prompt_takes_its_arguments_inline() {
    let model = ScriptedServer::start(vec![answer_text("ok")]);
    let p = aicoder_tests::Project::with_model(&model);
    user_servers(&p, json!({"h": hostile_server("ok", "")}));
    let run = p.run_with_stdin(&[], "/h:greet\n/h:greet who=Ada\n");
    let err = run.stderr();
    assert!(
        err.contains(
            "needs the argument who and there is no terminal to ask; give it as who=VALUE"
        ),
        "{err}"
    );
    let requests = model.requests();
    assert_eq!(requests.len(), 1, "{err}");
    let text = requests[0].to_string();
    assert!(text.contains("greet Ada^[[2J"), "{text}");
}
