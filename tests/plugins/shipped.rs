//! The plugins AI Coder v3 users rely on, shipped as components (issue #17
//! part A): memory, skills, git_aware, snippets. Each through the real
//! binary and the scripted model server: it works with its grants, shows its
//! exact ceiling in `plugin list`, and is refused cleanly without them.

#![allow(clippy::unwrap_used)]

use aicoder_tests::server::{answer_text, finish, text, tool_call, Reply, ScriptedServer};
use aicoder_tests::Project;
use serde_json::Value;

/// The system message of a request.
fn system(request: &Value) -> String {
    let first = &request["messages"][0];
    assert_eq!(first["role"], "system");
    first["content"].as_str().unwrap().to_string()
}

/// The `plugin list` row of `name`, without its tool and command lines.
fn list_row(p: &Project, name: &str) -> String {
    let list = p.run(&["plugin", "list"]).ok();
    list.lines()
        .find(|l| l.starts_with(&format!("{name} ")))
        .unwrap_or_else(|| panic!("{name} is not listed:\n{list}"))
        .to_string()
}

/// The ceiling column of a row: what lies between the hash and the grants.
fn ceiling(row: &str) -> String {
    let cols: Vec<&str> = row.split_whitespace().collect();
    // name version source hash CEILING... GRANTS
    cols[4..cols.len() - 1].join(" ")
}

#[test]
fn memory_saves_a_note_and_autoloads_it_in_the_next_session() {
    let server = ScriptedServer::start(vec![
        Reply::Stream(vec![
            text("Noting."),
            tool_call(
                0,
                "call_m",
                "memory_save",
                r#"{"file":"autoload.md","content":"Tests run with `make test`."}"#,
            ),
            finish("tool_calls", 10, 5),
        ]),
        answer_text("Saved."),
    ]);
    let mut p = Project::with_model(&server);
    p.env("YOLO_MODE", "1");
    let grants = [
        "--grant",
        "memory:data.read,data.write,prompt.write,hooks.register",
    ];
    let out = p.run_with_stdin(&grants, "remember how tests run\n").ok();
    assert!(out.contains("Saved."), "{out}");
    let note = p.work().join(".aicoder/memory/autoload.md");
    assert_eq!(
        std::fs::read_to_string(&note).unwrap(),
        "Tests run with `make test`."
    );
    // The next request of that session already carried the note.
    assert!(system(&server.requests()[1]).contains("Tests run with `make test`."));

    // A new session: the note is in the system prompt from the first request.
    let next = ScriptedServer::start(vec![answer_text("ok")]);
    p.env("API_BASE_URL", &next.url); // the same folders, the new server
    let out = p.run_with_stdin(&grants, "hello\n").ok();
    assert!(out.contains("ok"), "{out}");
    let sys = system(&next.requests()[0]);
    assert!(sys.contains("## memory: memory"), "{sys}");
    assert!(sys.contains("- autoload.md (27 bytes)"), "{sys}");
    assert!(sys.contains("Tests run with `make test`."), "{sys}");
    // /context names the section (piped commands run before the task: `/memory
    // show` sets the section first).
    let ctx = p.run_with_stdin(&grants, "/memory show\n/context\n").ok();
    assert!(ctx.contains("plugin memory: section memory"), "{ctx}");

    assert_eq!(
        ceiling(&list_row(&p, "memory")),
        "log, hooks.register, prompt.write, data.read, data.write"
    );
    // Without data.write the note is not written, and the model is told why.
    let err = p
        .run(&[
            "plugin",
            "call",
            "memory",
            "memory_save",
            r#"{"file":"x.md","content":"y"}"#,
        ])
        .fails();
    assert!(err.contains("permission denied: data.write"), "{err}");
    assert!(err.contains("--grant memory:data.write"), "{err}");
    assert!(!p.work().join(".aicoder/memory/x.md").exists());
    // A note name is never a path out of the folder.
    let err = p
        .run(&[
            "--grant",
            "memory:data.write",
            "plugin",
            "call",
            "memory",
            "memory_save",
            r#"{"file":"../grants.md","content":"y"}"#,
        ])
        .fails();
    assert!(err.contains("plain file name"), "{err}");
    assert!(p.audit().iter().any(|e| e["plugin"] == "memory"
        && e["capability"] == "data.write"
        && e["outcome"] == "denied"));
}

#[test]
fn skills_are_listed_in_the_prompt_and_loaded_on_demand() {
    let server = ScriptedServer::start(vec![
        Reply::Stream(vec![
            tool_call(0, "call_s", "load_skill", r#"{"name":"review"}"#),
            finish("tool_calls", 10, 5),
        ]),
        answer_text("Reviewed."),
    ]);
    let mut p = Project::with_model(&server);
    p.env("YOLO_MODE", "1");
    let project_skill = p.work().join(".aicoder/skills/review");
    std::fs::create_dir_all(&project_skill).unwrap();
    std::fs::write(
        project_skill.join("SKILL.md"),
        "---\nname: review\ndescription: Review code for bugs\n---\nStep 1: read the diff.\n",
    )
    .unwrap();
    let user_skill = p.home().join(".config/aicoder/skills/pdf");
    std::fs::create_dir_all(&user_skill).unwrap();
    std::fs::write(user_skill.join("SKILL.md"), "# Work with PDF files\n").unwrap();

    let out = p
        .run_with_stdin(
            &["--grant", "skills:data.read,prompt.write,hooks.register"],
            "review my change\n",
        )
        .ok();
    assert!(out.contains("Reviewed."), "{out}");
    let sys = system(&server.requests()[0]);
    assert!(sys.contains("- review: Review code for bugs"), "{sys}");
    assert!(sys.contains("- pdf: Work with PDF files"), "{sys}");
    let tool = server.requests()[1]["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["role"] == "tool")
        .unwrap()
        .clone();
    assert!(
        tool["content"]
            .as_str()
            .unwrap()
            .contains("Step 1: read the diff."),
        "{tool}"
    );

    assert_eq!(
        ceiling(&list_row(&p, "skills")),
        "hooks.register, prompt.write, data.read"
    );
    let err = p.run(&["plugin", "command", "skills", "skills"]).fails();
    assert!(err.contains("permission denied: data.read"), "{err}");
    let listed = p
        .run(&[
            "--grant",
            "skills:data.read",
            "plugin",
            "command",
            "skills",
            "skills",
        ])
        .ok();
    assert!(
        listed.contains("review") && listed.contains("(project)"),
        "{listed}"
    );
    assert!(
        listed.contains("pdf") && listed.contains("(user)"),
        "{listed}"
    );
}

#[test]
fn git_aware_puts_the_branch_and_commits_in_the_prompt() {
    let server = ScriptedServer::start(vec![answer_text("ok")]);
    let p = Project::with_model(&server);
    let git = p.work().join(".git");
    std::fs::create_dir_all(git.join("logs")).unwrap();
    std::fs::write(git.join("HEAD"), "ref: refs/heads/feature-x\n").unwrap();
    std::fs::write(
        git.join("logs/HEAD"),
        "0000000000000000000000000000000000000000 1111111122222222333333334444444455555555 A <a@b> 1700000000 +0000\tcommit (initial): Add the parser\n",
    )
    .unwrap();
    let out = p
        .run_with_stdin(
            &["--grant", "git_aware:fs.read,prompt.write,hooks.register"],
            "what branch is this?\n",
        )
        .ok();
    assert!(out.contains("ok"), "{out}");
    let sys = system(&server.requests()[0]);
    assert!(sys.contains("on branch feature-x"), "{sys}");
    assert!(sys.contains("11111111 Add the parser"), "{sys}");

    // Without a shell grant the changed files are left out, and /git says
    // how to get them.
    assert!(!sys.contains("Changed files"), "{sys}");
    assert_eq!(
        ceiling(&list_row(&p, "git_aware")),
        "hooks.register, fs.read, fs.write, shell.exec, prompt.write"
    );
    let err = p.run(&["plugin", "command", "git_aware", "git"]).fails();
    assert!(err.contains("permission denied: fs.read"), "{err}");
}

#[test]
fn git_aware_lists_changed_files_with_a_scoped_status_grant() {
    let server = ScriptedServer::start(vec![answer_text("ok")]);
    let p = Project::with_model(&server);
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .args(["-c", "user.name=A", "-c", "user.email=a@b"])
            .args(args)
            .current_dir(p.work())
            .output()
            .expect("git runs");
        assert!(status.status.success(), "git {args:?}: {status:?}");
    };
    git(&["init", "-q", "-b", "main"]);
    std::fs::write(p.work().join("a.txt"), "one\n").unwrap();
    git(&["add", "a.txt"]);
    git(&["commit", "-q", "-m", "Add a"]);
    std::fs::write(p.work().join("a.txt"), "two\n").unwrap();
    std::fs::write(p.work().join("new.md"), "new\n").unwrap();
    let out = p
        .run_with_stdin(
            &[
                "--grant",
                "git_aware:fs.read,prompt.write,hooks.register",
                "--grant",
                "git_aware:shell.exec:git status*",
            ],
            "what changed?\n",
        )
        .ok();
    assert!(out.contains("ok"), "{out}");
    let sys = system(&server.requests()[0]);
    assert!(sys.contains("on branch main"), "{sys}");
    assert!(sys.contains("- M a.txt"), "{sys}");
    assert!(sys.contains("- ?? new.md"), "{sys}");
    let shell_lines: Vec<_> = p
        .audit()
        .into_iter()
        .filter(|e| e["plugin"] == "git_aware" && e["capability"] == "shell.exec")
        .collect();
    assert!(!shell_lines.is_empty());
    assert!(
        shell_lines.iter().all(|e| e["outcome"] == "allowed"),
        "{shell_lines:?}"
    );
}

#[test]
fn snippets_expand_at_at_markers_in_the_users_message() {
    let server = ScriptedServer::start(vec![answer_text("ok"), answer_text("ok")]);
    let p = Project::with_model(&server);
    let dir = p.home().join(".config/aicoder/snippets");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("review.md"), "Review this code for bugs.\n").unwrap();
    let grants = [
        "--grant",
        "snippets:data.read,hooks.register,history.read,history.write",
    ];
    let out = p
        .run_with_stdin(&grants, "please @@review and @@missing now\n")
        .ok();
    assert!(out.contains("ok"), "{out}");
    let user = &server.requests()[0]["messages"][1];
    assert_eq!(
        user["content"],
        "please Review this code for bugs. and @@missing now"
    );
    let listed = p
        .run(&[
            "--grant",
            "snippets:data.read",
            "plugin",
            "command",
            "snippets",
            "snippets",
        ])
        .ok();
    assert!(listed.contains("@@review  (user)"), "{listed}");

    assert_eq!(
        ceiling(&list_row(&p, "snippets")),
        "log, history.read, history.write, hooks.register, data.read"
    );
    // Without data.read nothing is expanded and the user is told why.
    let run = p.run_with_stdin(
        &[
            "--grant",
            "snippets:hooks.register,history.read,history.write",
        ],
        "please @@review\n",
    );
    run.ok();
    assert_eq!(
        server.requests()[1]["messages"][1]["content"],
        "please @@review"
    );
    assert!(
        run.stderr().contains("permission denied: data.read"),
        "{}",
        run.stderr()
    );
    let err = p
        .run(&["plugin", "command", "snippets", "snippet", "review"])
        .fails();
    assert!(err.contains("permission denied: data.read"), "{err}");
}

#[test]
fn git_and_memory_show_their_section_outside_a_session_without_setting_it() {
    // `plugin command` has no system prompt to put a section in: the host
    // refuses the prompt.write (audited as refused, not allowed) and the
    // command still shows what a session's prompt would get.
    let p = Project::new();
    let git = p.work().join(".git");
    std::fs::create_dir_all(&git).unwrap();
    std::fs::write(git.join("HEAD"), "ref: refs/heads/feature-x\n").unwrap();
    std::fs::create_dir_all(p.work().join(".aicoder/memory")).unwrap();
    std::fs::write(p.work().join(".aicoder/memory/autoload.md"), "use tabs\n").unwrap();
    p.run(&["plugin", "grant", "git_aware", "fs.read,prompt.write"])
        .ok();
    p.run(&["plugin", "grant", "memory", "data.read,prompt.write"])
        .ok();
    let out = p.run(&["plugin", "command", "git_aware", "git"]).ok();
    assert!(out.contains("on branch feature-x"), "{out}");
    let out = p
        .run(&["plugin", "command", "memory", "memory", "show"])
        .ok();
    assert!(out.contains("use tabs"), "{out}");
    let sections: Vec<Value> = p
        .audit()
        .into_iter()
        .filter(|e| e["capability"] == "prompt.write")
        .collect();
    assert_eq!(sections.len(), 2, "{sections:#?}");
    for e in &sections {
        assert_eq!(e["outcome"], "refused", "{e:#?}");
        assert!(
            e["detail"]
                .as_str()
                .unwrap()
                .contains("prompt.write needs a session"),
            "{e:#?}"
        );
    }
}

/// presets (issue #28 item 7): `/preset NAME` sets the bundle the next
/// request carries; a preset from the data file replaces the last one
/// whole (top_p it does not name is no longer sent).
#[test]
fn presets_set_the_model_parameters_the_request_carries() {
    let server = ScriptedServer::start(vec![answer_text("ok")]);
    let p = Project::with_model(&server);
    let dir = p.work().join(".aicoder/presets");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("presets"),
        "mine temperature=0.3 frequency_penalty=0.5 # mine\nbroken tempo=1\n",
    )
    .unwrap();
    let grant = ["--grant", "presets:config.read,config.write,data.read"];
    let out = p
        .run_with_stdin(&grant, "/preset creative\n/preset mine\nhello\n")
        .ok();
    assert!(
        out.contains("preset creative: temperature=1 top-p=0.95"),
        "{out}"
    );
    assert!(out.contains("line 2: `tempo` is not one of"), "{out}");
    let request = &server.requests()[0];
    assert_eq!(request["temperature"], 0.3);
    assert_eq!(request["frequency_penalty"], 0.5);
    assert!(request.get("top_p").is_none(), "{request}");
    // Without its grants nothing changes, and it says why.
    let out = p.run_with_stdin(&[], "/preset creative\n").ok();
    assert!(
        out.contains("not changed: config.write is not granted"),
        "{out}"
    );
}

/// reminder (issue #28 item 7): every N answers the standing reminder goes
/// with the user's next message.
#[test]
fn reminder_goes_with_the_next_message_every_n_answers() {
    let server = ScriptedServer::start(vec![answer_text("ok")]);
    let p = Project::with_model(&server);
    let dir = p.work().join(".aicoder/reminder");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("message"), "Run the tests before you say done.\n").unwrap();
    std::fs::write(dir.join("interval"), "1\n").unwrap();
    let session = p.work().join(".aicoder/before.json");
    std::fs::write(
        &session,
        serde_json::json!({"version": 1, "messages": [
            {"role": "system", "content": "You are aicoder."},
            {"role": "user", "content": "fix the bug"},
            {"role": "assistant", "content": "fixed"}]})
        .to_string(),
    )
    .unwrap();
    p.run_with_stdin(
        &[
            "--session",
            session.to_str().unwrap(),
            "--grant",
            "reminder:hooks.register,history.read,history.write,data.read",
        ],
        "now the docs\n",
    )
    .ok();
    let request = &server.requests()[0];
    let last = request["messages"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["role"], "user");
    assert_eq!(
        last["content"],
        "now the docs\n\n<system-reminder>\nRun the tests before you say done.\n</system-reminder>"
    );
}
