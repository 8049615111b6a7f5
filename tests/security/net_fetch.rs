//! net.fetch end to end: the shipped `web` plugin, through the real binary,
//! against a local HTTP server on 127.0.0.1, with grants naming that address
//! exactly, without, for another host, and across a redirect.

#![allow(clippy::unwrap_used)]

use aicoder_tests::Project;
use serde_json::Value;

/// A tiny HTTP/1.1 server on 127.0.0.1: `/` an HTML page, `/redirect` a
/// 302 to `redirect_to`, anything else 404. Answers until the test ends.
fn serve(redirect_to: String) -> u16 {
    use aicoder_tests::http::response;
    aicoder_tests::http::serve(move |request| {
        let path = request.path.as_str();
        if path == "/" || path.starts_with("/?") {
            response(
                "200 OK",
                &["content-type: text/html"],
                "<html><head><title>Local</title></head><body><h1>Hello</h1>\
                 <p>from the <b>local</b> server</p><script>var x = 1;</script></body></html>",
            )
        } else if path == "/redirect" {
            response("302 Found", &[&format!("location: {redirect_to}")], "")
        } else {
            response("404 Not Found", &[], "")
        }
    })
}

fn net_lines(p: &Project) -> Vec<Value> {
    p.audit_for("net.fetch")
}

fn fetch(p: &Project, grant: Option<&str>, url: &str) -> aicoder_tests::Run {
    let args = format!(r#"{{"url":"{url}"}}"#);
    let mut cmd: Vec<&str> = Vec::new();
    if let Some(g) = grant {
        cmd.extend(["--grant", g]);
    }
    cmd.extend([
        "plugin",
        "call",
        "web",
        "get_url_content",
        &args,
        "--detail",
    ]);
    p.run(&cmd)
}

#[test]
fn the_web_plugin_fetches_from_a_granted_host_as_text_and_is_audited() {
    let p = Project::new();
    let port = serve(String::new());
    let grant = format!("web:net.fetch:127.0.0.1:{port}");
    let out = fetch(
        &p,
        Some(&grant),
        &format!("http://127.0.0.1:{port}/?key=secret"),
    )
    .ok();
    assert!(out.contains("Hello"), "{out}");
    assert!(
        out.contains("from the local server") || out.contains("from the **local** server"),
        "{out}"
    );
    assert!(!out.contains("<h1>"), "HTML turned into text: {out}");

    let lines = net_lines(&p);
    assert_eq!(lines.len(), 1, "{lines:?}");
    let line = &lines[0];
    assert_eq!(line["outcome"], "allowed", "{line}");
    assert_eq!(line["within"], format!("127.0.0.1:{port}"));
    assert_eq!(line["args"]["method"], "GET");
    assert_eq!(line["args"]["status"], 200);
    assert!(line["args"]["bytes"].as_u64().unwrap() > 50, "{line}");
    let url = line["args"]["url"].as_str().unwrap();
    assert!(
        url.contains("key=") && !url.contains("secret"),
        "query values kept: {url}"
    );
}

#[test]
fn without_a_grant_or_for_another_host_the_request_is_denied_and_audited() {
    let p = Project::new();
    let port = serve(String::new());
    let err = fetch(&p, None, &format!("http://127.0.0.1:{port}/")).fails();
    assert!(err.contains("net.fetch"), "{err}");

    let grant = format!("web:net.fetch:127.0.0.1:{port}");
    for other in [
        format!("http://localhost:{port}/"),
        format!("http://127.0.0.2:{port}/"),
        format!("http://127.0.0.1:{}/", port.wrapping_add(1)),
    ] {
        let err = fetch(&p, Some(&grant), &other).fails();
        assert!(err.contains("net.fetch"), "{other}: {err}");
    }
    // A grant of the whole capability does not reach loopback: only a
    // grant naming the address does.
    let err = fetch(
        &p,
        Some("web:net.fetch"),
        &format!("http://127.0.0.1:{port}/"),
    )
    .fails();
    assert!(err.contains("loopback or private"), "{err}");

    let lines = net_lines(&p);
    assert_eq!(lines.len(), 5, "{lines:?}");
    for line in &lines {
        assert_eq!(line["outcome"], "denied", "{line}");
    }
    assert!(lines[1]["args"]["url"]
        .as_str()
        .unwrap()
        .contains("localhost"));
    assert_eq!(
        lines[1]["within"],
        format!("127.0.0.1:{port}"),
        "the denial names the scope held"
    );
    assert!(lines[4]["detail"]
        .as_str()
        .unwrap()
        .contains("internal address"));
}

#[test]
fn a_redirect_to_an_ungranted_host_is_refused() {
    let p = Project::new();
    let port = serve(String::new());
    let other = serve_redirect_target();
    let redirecting = serve(format!("http://localhost:{other}/"));
    let grant = "web:net.fetch:127.0.0.1".to_string();
    let err = fetch(
        &p,
        Some(&grant),
        &format!("http://127.0.0.1:{redirecting}/redirect"),
    )
    .fails();
    assert!(err.contains("net.fetch"), "{err}");
    let lines = net_lines(&p);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0]["outcome"], "allowed");
    assert_eq!(lines[0]["args"]["status"], 302);
    assert_eq!(lines[1]["outcome"], "denied");
    assert!(lines[1]["args"]["url"]
        .as_str()
        .unwrap()
        .contains("localhost"));
    // The same grant still reaches the granted host.
    fetch(&p, Some(&grant), &format!("http://127.0.0.1:{port}/")).ok();
}

/// A server the redirect points at (never reached when refused).
fn serve_redirect_target() -> u16 {
    serve(String::new())
}

#[test]
fn web_search_uses_the_configured_providers_in_order() {
    let mut p = Project::new();
    let port = serve(String::new());
    // The first provider is not granted (refused and audited), the second is.
    p.env(
        "WEB_SEARCH_PROVIDERS",
        &format!("Elsewhere,http://localhost:{port}/?q=;Local,http://127.0.0.1:{port}/?q=;"),
    );
    let grant = format!("web:net.fetch:127.0.0.1:{port}");
    let out = p
        .run(&[
            "--grant",
            "web:config.read",
            "--grant",
            &grant,
            "plugin",
            "call",
            "web",
            "web_search",
            r#"{"query":"rust wasi"}"#,
        ])
        .ok();
    assert!(out.contains("via Local"), "{out}");
    let lines = net_lines(&p);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0]["outcome"], "denied");
    assert_eq!(lines[1]["outcome"], "allowed");
    assert_eq!(
        lines[1]["args"]["url"],
        format!("http://127.0.0.1:{port}/?q=")
    );
}
