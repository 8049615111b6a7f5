//! The `web` plugin: `get_url_content` (a page as readable text) and
//! `web_search` (configured search providers), over the standard
//! `wasi:http/outgoing-handler`. Its only capability is `net.fetch`, granted
//! per host: every request, and every redirect it follows, is checked by
//! aicoder against the grant and written to the audit log.

use aicoder_plugin_sdk::{
    config, export_plugin, Args, Event, EventOutcome, Manifest, Plugin, PluginError, Preview,
    ToolOutput, ToolSpec,
};
use wasi::http::outgoing_handler;
use wasi::http::types::{ErrorCode, Fields, Method, OutgoingRequest, Scheme};

struct Web;

/// Lines per page of text, as v3's DEFAULT_LINES_PER_PAGE.
const LINES_PER_PAGE: usize = 150;
/// The most bytes of a response read (aicoder's own cap is larger).
const READ_MAX: usize = 5 << 20;
/// Redirects followed before giving up (each is a new, checked request).
const MAX_REDIRECTS: usize = 5;
/// Width HTML is rendered to.
const TEXT_WIDTH: usize = 100;

const URL_SCHEMA: &str = r#"{"type":"object","properties":{"url":{"type":"string","description":"URL to fetch (http or https)"},"page":{"type":"integer","description":"Page number for pagination (default: 1)","default":1},"raw":{"type":"boolean","description":"Return the raw HTML instead of text (default: false)","default":false}},"required":["url"]}"#;
const QUERY_SCHEMA: &str = r#"{"type":"object","properties":{"query":{"type":"string","description":"Search query string"}},"required":["query"]}"#;

/// A URL split into what a `wasi:http` request takes.
#[derive(Debug, PartialEq, Eq)]
struct Url {
    https: bool,
    authority: String,
    host: String,
    port: u16,
    path_with_query: String,
}

fn parse_url(url: &str) -> Result<Url, String> {
    let (https, rest) = if let Some(rest) = url.strip_prefix("https://") {
        (true, rest)
    } else if let Some(rest) = url.strip_prefix("http://") {
        (false, rest)
    } else {
        return Err(format!("`{url}` is not an http or https URL"));
    };
    let (authority, path) = match rest.find(['/', '?', '#']) {
        Some(at) => (&rest[..at], &rest[at..]),
        None => (rest, "/"),
    };
    if authority.is_empty() || authority.contains('@') {
        return Err(format!("`{url}` has no host (or has credentials in it)"));
    }
    let path = path.split('#').next().unwrap_or("/");
    let path = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    };
    let default_port = if https { 443 } else { 80 };
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (h, after) = v6
            .split_once(']')
            .ok_or_else(|| format!("`{url}`: unclosed `[`"))?;
        let port = match after.strip_prefix(':') {
            Some(p) => p.parse().map_err(|_| format!("`{url}`: bad port"))?,
            None => default_port,
        };
        (h.to_string(), port)
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (
                h.to_string(),
                p.parse().map_err(|_| format!("`{url}`: bad port"))?,
            ),
            None => (authority.to_string(), default_port),
        }
    };
    Ok(Url {
        https,
        authority: authority.to_string(),
        host: host.to_ascii_lowercase(),
        port,
        path_with_query: path,
    })
}

/// `location` (absolute, or a path) resolved against `base`.
fn resolve(base: &Url, location: &str) -> String {
    if location.starts_with("http://") || location.starts_with("https://") {
        return location.to_string();
    }
    let scheme = if base.https { "https" } else { "http" };
    if let Some(rest) = location.strip_prefix("//") {
        return format!("{scheme}://{rest}");
    }
    if location.starts_with('/') {
        return format!("{scheme}://{}{location}", base.authority);
    }
    let dir = base
        .path_with_query
        .split('?')
        .next()
        .and_then(|p| p.rsplit_once('/'))
        .map_or("", |(d, _)| d);
    format!("{scheme}://{}{dir}/{location}", base.authority)
}

/// One response, read up to [`READ_MAX`].
struct Response {
    status: u16,
    location: Option<String>,
    content_type: String,
    body: Vec<u8>,
}

fn explain(code: &ErrorCode, url: &Url) -> String {
    match code {
        ErrorCode::HttpRequestDenied => format!(
            "aicoder refused the request to {}:{}: net.fetch is not granted for that host. \
             Grant it in the approval prompt, or with --grant web:net.fetch:{}",
            url.host, url.port, url.host
        ),
        ErrorCode::DestinationIpProhibited => format!(
            "aicoder refused the request to {}: it is a loopback or private address, \
             reachable only with a grant naming it exactly (net.fetch:{})",
            url.host, url.host
        ),
        other => format!("request to {} failed: {other:?}", url.host),
    }
}

/// One GET, no redirect followed.
fn get_once(url: &Url) -> Result<Response, String> {
    let headers = Fields::new();
    let _ = headers.append("user-agent", b"aicoder-web/0.1");
    let request = OutgoingRequest::new(headers);
    let fail = |what: &str| format!("cannot build the request: {what}");
    request
        .set_method(&Method::Get)
        .map_err(|_| fail("method"))?;
    request
        .set_scheme(Some(if url.https {
            &Scheme::Https
        } else {
            &Scheme::Http
        }))
        .map_err(|_| fail("scheme"))?;
    request
        .set_authority(Some(&url.authority))
        .map_err(|_| fail("host"))?;
    request
        .set_path_with_query(Some(&url.path_with_query))
        .map_err(|_| fail("path"))?;
    let pending = outgoing_handler::handle(request, None).map_err(|e| explain(&e, url))?;
    pending.subscribe().block();
    let response = match pending.get() {
        Some(Ok(Ok(response))) => response,
        Some(Ok(Err(e))) => return Err(explain(&e, url)),
        Some(Err(())) | None => return Err(format!("no response from {}", url.host)),
    };
    let status = response.status();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .first()
            .map(|v| String::from_utf8_lossy(v).into_owned())
    };
    let location = header("location");
    let content_type = header("content-type").unwrap_or_default();
    let mut body = Vec::new();
    if let Ok(incoming) = response.consume() {
        if let Ok(stream) = incoming.stream() {
            while body.len() < READ_MAX {
                match stream.blocking_read(65536) {
                    Ok(chunk) => body.extend_from_slice(&chunk),
                    Err(_) => break,
                }
            }
            drop(stream);
        }
        drop(incoming);
    }
    body.truncate(READ_MAX);
    Ok(Response {
        status,
        location,
        content_type,
        body,
    })
}

/// GET `url`, following redirects (each one a new request aicoder checks).
fn fetch(url: &str) -> Result<(String, Response), String> {
    let mut current = url.to_string();
    for _ in 0..=MAX_REDIRECTS {
        let parsed = parse_url(&current)?;
        let response = get_once(&parsed)?;
        match (&response.location, response.status) {
            (Some(location), 301 | 302 | 303 | 307 | 308) => {
                current = resolve(&parsed, location);
            }
            _ => return Ok((current, response)),
        }
    }
    Err(format!("more than {MAX_REDIRECTS} redirects from {url}"))
}

/// The body as text: HTML rendered, anything else as it is.
fn as_text(response: &Response, raw: bool) -> String {
    let looks_html = response.content_type.contains("html")
        || response
            .body
            .iter()
            .take(512)
            .copied()
            .collect::<Vec<u8>>()
            .to_ascii_lowercase()
            .windows(5)
            .any(|w| w == b"<html");
    if looks_html && !raw {
        html2text::from_read(&response.body[..], TEXT_WIDTH)
            .unwrap_or_else(|_| String::from_utf8_lossy(&response.body).into_owned())
    } else {
        String::from_utf8_lossy(&response.body).into_owned()
    }
}

/// Page `page` (from 1) of `text`, with v3's footer.
fn paginate(text: &str, page: usize) -> (String, usize) {
    let lines: Vec<&str> = text.lines().collect();
    let pages = lines.len().div_ceil(LINES_PER_PAGE).max(1);
    let page = page.clamp(1, pages);
    let start = (page - 1) * LINES_PER_PAGE;
    let shown = lines[start..(start + LINES_PER_PAGE).min(lines.len())].join("\n");
    let more = if pages > 1 {
        format!(" | more: page={}", (page + 1).min(pages))
    } else {
        String::new()
    };
    (format!("{shown}\n[page {page}/{pages}]{more}"), pages)
}

/// `WEB_SEARCH_PROVIDERS` as v3 reads it: `Name,URL;Name2,URL2;`, the query
/// appended to each URL.
fn parse_providers(text: &str) -> Vec<(String, String)> {
    text.split(';')
        .filter_map(|part| {
            let (name, url) = part.trim().split_once(',')?;
            (!name.is_empty() && !url.is_empty()).then(|| (name.to_string(), url.to_string()))
        })
        .collect()
}

fn quote_plus(query: &str) -> String {
    let mut out = String::new();
    for b in query.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn web_search(query: &str) -> Result<ToolOutput, PluginError> {
    let configured = config::get("web-search-providers").unwrap_or_default();
    let providers = parse_providers(&configured);
    if providers.is_empty() {
        return Ok(ToolOutput {
            summary: "Web search not configured".into(),
            detail: "Set WEB_SEARCH_PROVIDERS, e.g. \
                     WEB_SEARCH_PROVIDERS='MySearch,https://search.example.com/search?q=' \
                     (format 'Name,URL;Name2,URL2;', the query is appended to the URL), \
                     and grant the provider's host: --grant web:net.fetch:search.example.com"
                .into(),
        });
    }
    let mut failures = Vec::new();
    for (name, base) in &providers {
        match fetch(&format!("{base}{}", quote_plus(query))) {
            Ok((_, response)) if response.status < 400 => {
                let (text, _) = paginate(&as_text(&response, false), 1);
                return Ok(ToolOutput {
                    summary: format!("Web search for '{query}' (via {name})"),
                    detail: format!("Web search results:\n\n{text}"),
                });
            }
            Ok((_, response)) => failures.push(format!("  - {name}: HTTP {}", response.status)),
            Err(e) => failures.push(format!("  - {name}: {e}")),
        }
    }
    Ok(ToolOutput {
        summary: "[!] All search providers failed".into(),
        detail: format!(
            "Failed to search '{query}'. Tried providers:\n{}",
            failures.join("\n")
        ),
    })
}

impl Plugin for Web {
    fn new() -> Self {
        Web
    }

    fn manifest() -> Manifest {
        Manifest::new(
            "web",
            "0.1.0",
            "Web tools: a URL as text, and web search through configured providers",
        )
        .tool(ToolSpec::new(
            "get_url_content",
            "Fetch a URL as readable text (HTML rendered to text), 150 lines per page; raw=true for the HTML.",
            URL_SCHEMA,
        ))
        .tool(ToolSpec::new(
            "web_search",
            "Search the web through the providers in WEB_SEARCH_PROVIDERS.",
            QUERY_SCHEMA,
        ))
    }

    fn call_tool(&mut self, name: &str, args: Args) -> Result<ToolOutput, PluginError> {
        match name {
            "get_url_content" => {
                let url = args.str("url")?.trim().to_string();
                let page = args.opt_u64("page")?.unwrap_or(1) as usize;
                let raw = args.get("raw").and_then(|v| v.as_bool()).unwrap_or(false);
                let (final_url, response) = fetch(&url).map_err(PluginError::Failed)?;
                let (text, pages) = paginate(&as_text(&response, raw), page);
                Ok(ToolOutput {
                    summary: format!(
                        "Fetched {final_url} (HTTP {}, page {}/{pages})",
                        response.status,
                        page.clamp(1, pages)
                    ),
                    detail: text,
                })
            }
            "web_search" => web_search(args.str("query")?.trim()),
            other => Err(PluginError::InvalidArguments(format!(
                "unknown tool `{other}`"
            ))),
        }
    }

    fn preview_tool(&mut self, name: &str, args: Args) -> Result<Preview, PluginError> {
        match name {
            "get_url_content" => {
                let url = args.str("url")?;
                let needs = match parse_url(url) {
                    Ok(u) => format!("net.fetch:{}:{}", u.host, u.port),
                    Err(_) => "net.fetch".into(),
                };
                Ok(Preview {
                    text: format!("Fetch {url}"),
                    capabilities: vec![needs],
                })
            }
            "web_search" => Ok(Preview {
                text: format!("Search the web for '{}'", args.str("query")?),
                capabilities: vec!["net.fetch".into()],
            }),
            other => Err(PluginError::InvalidArguments(format!(
                "unknown tool `{other}`"
            ))),
        }
    }

    fn run_command(&mut self, name: &str, _args: &str) -> Result<String, PluginError> {
        Err(PluginError::InvalidArguments(format!(
            "unknown command `/{name}`"
        )))
    }

    fn on_event(&mut self, _event: Event) -> Result<EventOutcome, PluginError> {
        Ok(EventOutcome::Unchanged)
    }
}

export_plugin!(Web);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_split_and_redirects_resolve() {
        let u = parse_url("http://127.0.0.1:8080/a/b?q=1#frag").expect("url");
        assert_eq!(u.host, "127.0.0.1");
        assert_eq!(u.port, 8080);
        assert_eq!(u.path_with_query, "/a/b?q=1");
        assert_eq!(resolve(&u, "/x"), "http://127.0.0.1:8080/x");
        assert_eq!(resolve(&u, "c"), "http://127.0.0.1:8080/a/c");
        assert_eq!(resolve(&u, "http://other/"), "http://other/");
        assert!(parse_url("ftp://x").is_err());
        assert!(parse_url("http://user@host/").is_err());
    }

    #[test]
    fn providers_parse_as_v3() {
        assert_eq!(
            parse_providers("A,https://a/?q=;B,https://b/s?x=;bad;"),
            [
                ("A".to_string(), "https://a/?q=".to_string()),
                ("B".to_string(), "https://b/s?x=".to_string())
            ]
        );
        assert_eq!(quote_plus("a b&c"), "a+b%26c");
    }
}
