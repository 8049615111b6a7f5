//! AGENTS.md and the system prompt through the real binary: the project's
//! instructions join the prompt, an override replaces the base, a huge or
//! unreadable file is cut or skipped with a message, and none is silent.

#![allow(clippy::unwrap_used)]

use aicoder_tests::server::{answer_text, system_prompt, ScriptedServer};
use aicoder_tests::Project;

#[test]
fn agents_md_joins_the_system_prompt_and_context_lists_the_parts() {
    let server = ScriptedServer::start(vec![answer_text("ok")]);
    let p = Project::with_model(&server);
    std::fs::write(
        p.work().join("AGENTS.md"),
        "Run `make test` before you finish.\n",
    )
    .unwrap();
    let user_dir = p.home().join(".config/aicoder");
    std::fs::create_dir_all(&user_dir).unwrap();
    std::fs::write(user_dir.join("AGENTS.md"), "Answer in British English.\n").unwrap();
    let out = p.run_with_stdin(&[], "/context\nhello\n").ok();
    let prompt = system_prompt(&server);
    assert!(prompt.starts_with("You are aicoder"), "{prompt}");
    let user_at = prompt
        .find("\n\n---\n\nAnswer in British English.")
        .unwrap();
    let project_at = prompt
        .find("\n\n---\n\nRun `make test` before you finish.")
        .unwrap();
    assert!(
        user_at < project_at,
        "the project's file comes last: {prompt}"
    );
    assert!(out.contains("AGENTS.md"), "{out}");
    assert!(
        out.contains(&user_dir.join("AGENTS.md").display().to_string()),
        "{out}"
    );
    assert!(out.contains("35 bytes"), "{out}");
}

#[test]
fn prompt_override_replaces_the_base_prompt_and_agents_md_still_joins() {
    let server = ScriptedServer::start(vec![answer_text("ok")]);
    let p = Project::with_model(&server);
    std::fs::write(p.work().join("PROMPT-OVERRIDE.md"), "You are a pirate.").unwrap();
    std::fs::write(p.work().join("AGENTS.md"), "Say arr.").unwrap();
    p.run_with_stdin(&[], "hello\n").ok();
    let prompt = system_prompt(&server);
    assert!(prompt.starts_with("You are a pirate."), "{prompt}");
    assert!(!prompt.contains("You are aicoder"), "{prompt}");
    assert!(prompt.contains("Say arr."), "{prompt}");
}

#[test]
fn a_huge_or_unreadable_agents_md_is_cut_or_skipped_with_a_message() {
    let server = ScriptedServer::start(vec![answer_text("ok")]);
    let p = Project::with_model(&server);
    let huge = "remember this line\n".repeat(10_000); // 190,000 bytes
    std::fs::write(p.work().join("AGENTS.md"), &huge).unwrap();
    let user_dir = p.home().join(".config/aicoder");
    std::fs::create_dir_all(user_dir.join("AGENTS.md")).unwrap(); // a folder: unreadable
    let run = p.run_with_stdin(&[], "hello\n");
    run.ok();
    let err = run.stderr();
    assert!(
        err.contains("AGENTS.md") && err.contains("64 KiB"),
        "the cut is reported: {err}"
    );
    assert!(
        err.contains(&user_dir.join("AGENTS.md").display().to_string()),
        "the unreadable file is named: {err}"
    );
    let prompt = system_prompt(&server);
    assert!(prompt.contains("remember this line"));
    assert!(prompt.len() < 70 * 1024, "{}", prompt.len());
}

#[test]
fn no_agents_md_is_silent() {
    let server = ScriptedServer::start(vec![answer_text("ok")]);
    let p = Project::with_model(&server);
    let run = p.run_with_stdin(&[], "hello\n");
    run.ok();
    assert!(!run.stderr().contains("AGENTS"), "{}", run.stderr());
    assert!(!system_prompt(&server).contains("---"));
}
