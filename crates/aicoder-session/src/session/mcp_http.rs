//! A Streamable HTTP server is reached by aicoder itself, so its host is
//! granted like a plugin's `net.fetch`: per server entry, `HOST:PORT`,
//! asked at the terminal before the server starts (once, for the session,
//! always, deny always), refused when nobody can be asked, and audited.
//! The address rule is net.fetch's: a name that resolves to a loopback,
//! private or link-local address is never connected to (only an entry
//! naming the address itself can reach one, and that address is what is
//! granted); a public name is reached at the address it resolved to when
//! it was checked, so a second lookup cannot lead elsewhere.

use crate::caps::audit::{AuditEntry, Outcome};
use crate::caps::grants::{Decision, DenyReason, Scope};
use crate::caps::scope::{ScopePattern, Target};
use crate::caps::Capability;
use crate::mcp::config::ServerEntry;
use crate::mcp::McpHost;
use crate::term::sanitize::visible;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};

/// A question put at the terminal: the answer, or `None` at end of input.
type AskLine<'a> = dyn FnMut(&str) -> Option<String> + 'a;

/// Where an HTTP server's URL leads.
struct Place {
    host: String,
    port: u16,
    /// The address checked (a name's first resolved address).
    addr: Option<SocketAddr>,
}

/// Why an HTTP server's url is not connected to.
#[derive(Debug, thiserror::Error)]
enum PlaceError {
    #[error("its url {url:?} is not a URL ({source})")]
    NotAUrl {
        url: String,
        source: http::uri::InvalidUri,
    },
    #[error("its url has no host")]
    NoHost,
    #[error("its host {host} could not be resolved ({source})")]
    Unresolved {
        host: String,
        source: std::io::Error,
    },
    #[error(
        "its host {host} resolves to the internal address {ip}; only an entry naming the address \
         itself (http://{bracketed}:{port}/…) reaches loopback or private addresses, and that \
         address is what is granted"
    )]
    Internal {
        host: String,
        ip: IpAddr,
        bracketed: String,
        port: u16,
    },
}

fn place(url: &str) -> Result<Place, PlaceError> {
    let uri: http::Uri = url.parse().map_err(|source| PlaceError::NotAUrl {
        url: visible(url).into_owned(),
        source,
    })?;
    let host = uri
        .host()
        .ok_or(PlaceError::NoHost)?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase();
    let port = uri
        .port_u16()
        .unwrap_or(if uri.scheme_str() == Some("https") {
            443
        } else {
            80
        });
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok(Place {
            host,
            port,
            addr: Some(SocketAddr::new(ip, port)),
        });
    }
    let addrs: Vec<SocketAddr> = (host.as_str(), port)
        .to_socket_addrs()
        .map_err(|source| PlaceError::Unresolved {
            host: visible(&host).into_owned(),
            source,
        })?
        .collect();
    if let Some(inner) = addrs.iter().find(|a| aicoder_sandbox::is_internal(a.ip())) {
        return Err(PlaceError::Internal {
            host: visible(&host).into_owned(),
            ip: inner.ip(),
            bracketed: bracket(&inner.ip().to_string()),
            port,
        });
    }
    Ok(Place {
        host,
        port,
        addr: addrs.first().copied(),
    })
}

fn bracket(host: &str) -> String {
    if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_string()
    }
}

fn audit(
    services: &crate::caps::Services,
    entry: &ServerEntry,
    place: &str,
    outcome: Outcome,
    detail: &str,
) {
    let mut line = AuditEntry::sandbox(
        &entry.id(),
        "mcp-connect",
        serde_json::json!({"url": crate::util::truncate_text(&entry.entry.target(), 512).0, "host": place}),
        outcome,
        detail.to_string(),
    );
    line.capability = "net.fetch".into();
    services.audit.record(&line);
}

/// Before the servers start: each HTTP server whose host its entry may
/// not reach is asked about (at a terminal) or left out with one line; a
/// public name is pinned to the address checked.
pub(crate) fn check_hosts(
    mcp: &mut McpHost,
    services: &crate::caps::Services,
    root: &std::path::Path,
    mut ask: Option<&mut AskLine<'_>>,
) {
    let env = |k: &str| std::env::var(k).ok();
    let mut kept = Vec::new();
    for entry in std::mem::take(&mut mcp.entries) {
        let Ok(aicoder_mcp::client::Transport::Http { url, .. }) = entry.transport(&env, root)
        else {
            kept.push(entry);
            continue;
        };
        let place = match place(&url) {
            Ok(p) => p,
            Err(why) => {
                let why = why.to_string();
                audit(services, &entry, &url, Outcome::Denied, &why);
                eprintln!("aicoder: MCP server {} is not started: {why}", entry.name);
                continue;
            }
        };
        let scope_text = format!("{}:{}", bracket(&place.host), place.port);
        let id = entry.id();
        let target = Target::Host {
            host: &place.host,
            port: place.port,
        };
        let decision = services
            .grants()
            .check_target(&id, Capability::NetFetch, &target)
            .decision;
        let allowed = match decision {
            Decision::Allowed(_) => true,
            Decision::Denied(DenyReason::DeniedByUser) => {
                let why = format!("you denied it {scope_text} (`aicoder mcp list` shows it)");
                audit(services, &entry, &scope_text, Outcome::Denied, &why);
                eprintln!("aicoder: MCP server {} is not started: {why}", entry.name);
                false
            }
            Decision::Denied(_) => match ask.as_deref_mut() {
                None => {
                    let why = format!(
                        "connecting to {scope_text} needs your grant; start aicoder at a terminal to be asked"
                    );
                    audit(services, &entry, &scope_text, Outcome::Denied, &why);
                    eprintln!("aicoder: MCP server {} is not started: {why}", entry.name);
                    false
                }
                Some(ask) => ask_grant(services, &entry, &scope_text, ask),
            },
        };
        if allowed {
            if let Some(addr) = place.addr.filter(|_| place.host.parse::<IpAddr>().is_err()) {
                mcp.http_pins.insert(entry.name.clone(), addr);
            }
            kept.push(entry);
        }
    }
    mcp.entries = kept;
}

/// Ask about one host; true when the server may connect.
fn ask_grant(
    services: &crate::caps::Services,
    entry: &ServerEntry,
    scope_text: &str,
    ask: &mut AskLine<'_>,
) -> bool {
    println!(
        "MCP server {} ({}) connects to {scope_text}.",
        entry.name,
        visible(&entry.entry.target())
    );
    let scope = loop {
        let Some(answer) =
            ask("Allow it: [o]nce, for the [s]ession, [a]lways, [d]eny always, or [N]o? ")
        else {
            break None;
        };
        match answer.trim().to_ascii_lowercase().as_str() {
            "o" | "once" => break Some(Scope::Once),
            "s" | "session" => break Some(Scope::Session),
            "a" | "always" => break Some(Scope::Always),
            "d" | "deny" => break Some(Scope::Deny),
            "" | "n" | "no" => break None,
            _ => println!(
                "  answer o, s, a (kept in grants.json for this server entry), d (kept) or n"
            ),
        }
    };
    let id = entry.id();
    let record = |scope: Scope| -> bool {
        let pattern = match ScopePattern::parse(Capability::NetFetch, scope_text) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("aicoder: {e}");
                return false;
            }
        };
        match services
            .grants()
            .grant_within(&id, Capability::NetFetch, scope, Some(pattern))
        {
            Ok(()) => true,
            Err(e) => {
                eprintln!("aicoder: {e}");
                false
            }
        }
    };
    let (allowed, detail) = match scope {
        // Once: this session's connection, nothing recorded.
        Some(Scope::Once) => (true, "allowed once by the user"),
        Some(Scope::Deny) => {
            record(Scope::Deny);
            (false, "denied by the user (kept)")
        }
        Some(scope) => (record(scope), "granted by the user"),
        None => (false, "refused by the user at the prompt"),
    };
    let outcome = if allowed {
        Outcome::Allowed
    } else {
        Outcome::Denied
    };
    audit(services, entry, scope_text, outcome, detail);
    if !allowed {
        println!("MCP server {} not started", entry.name);
    }
    allowed
}
