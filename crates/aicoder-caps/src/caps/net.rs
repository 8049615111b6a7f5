//! Capability `net.fetch`: HTTP requests through the standard
//! `wasi:http/outgoing-handler` (so any HTTP client compiled for WASI
//! works unchanged), each one checked here before it leaves:
//!
//! - the grant must cover the request's host and port (a scope such as
//!   `net.fetch:api.github.com` or `net.fetch:127.0.0.1:8080`, or the whole
//!   capability);
//! - a host that is, or resolves to, a loopback, private, link-local or
//!   otherwise internal address is refused unless the grant's scope names
//!   that address exactly (a grant of the whole capability or of a name,
//!   `localhost` included, never reaches the machine's own services or the
//!   local network); the request is then sent to the address that was
//!   checked (`net_send.rs`, TLS verified for the name), so a second
//!   lookup cannot swap it;
//! - redirects are not followed here: the plugin sees the 3xx and a
//!   request to the new location is a new request, checked again;
//! - each request is bounded by the plugin call's deadline (and at most
//!   [`REQUEST_TIMEOUT`]) and its response body by [`BODY_MAX`] bytes;
//! - one audit line per request: method, URL with query values removed,
//!   status and body bytes, and the grant scope that allowed or denied it.

use super::audit::{AuditLine, LineTime, Outcome};
use super::grants::{Decision, PluginId, Scope};
use super::scope::{ScopePattern, Target};
use super::{Capability, Services};
use crate::caps::deadline::CallDeadline;
use bytes::Bytes;
use http_body_util::BodyExt;
use serde_json::json;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use wasmtime_wasi_http::{Error as HttpError, RequestOptions, WasiBody, WasiHttpHooks};

/// The longest one request may take (the call's deadline may cut it shorter).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// The largest response body a plugin may read (more fails the read).
pub const BODY_MAX: u64 = 8 << 20;

/// The `wasi:http` hooks of one plugin instance: every outgoing request
/// goes through [`WasiHttpHooks::send_request`] here.
pub struct NetHooks {
    plugin: PluginId,
    services: Arc<Services>,
    /// The deadline of the running call, refreshed on each wasi:http call.
    pub deadline: CallDeadline,
}

impl NetHooks {
    /// Hooks for `plugin`, auditing to the session's services.
    pub fn new(plugin: PluginId, services: Arc<Services>) -> Self {
        NetHooks {
            plugin,
            services,
            deadline: CallDeadline::default(),
        }
    }
}

/// Whether `ip` is loopback, private, link-local, shared, unspecified or
/// otherwise not a public internet address: the one definition, shared
/// with the process sandbox's proxy.
pub use aicoder_sandbox::is_internal;

/// The URL as the audit log keeps it: query values removed (they often
/// carry keys), names kept.
pub fn redact_url(uri: &http::Uri) -> String {
    let mut shown = format!(
        "{}://{}{}",
        uri.scheme_str().unwrap_or("https"),
        uri.authority().map(|a| a.as_str()).unwrap_or(""),
        uri.path()
    );
    if let Some(query) = uri.query() {
        let names: Vec<&str> = query
            .split('&')
            .map(|pair| pair.split_once('=').map_or(pair, |(name, _)| name))
            .collect();
        shown.push('?');
        shown.push_str(&names.join("=&"));
        shown.push('=');
    }
    shown
}

/// What the audit line of one request says.
struct RequestRecord {
    plugin: PluginId,
    services: Arc<Services>,
    method: String,
    url: String,
    scope: Option<Scope>,
    within: Option<String>,
}

impl RequestRecord {
    fn write(&self, outcome: Outcome, status: Option<u16>, bytes: u64, detail: Option<&str>) {
        let args = json!({
            "method": self.method,
            "url": self.url,
            "status": status,
            "bytes": bytes,
        });
        self.services.audit.record_line(&AuditLine {
            time: LineTime::Now,
            plugin: &self.plugin.name,
            hash: &self.plugin.hash,
            capability: Capability::NetFetch.name(),
            operation: "request",
            args: &args,
            old: None,
            new: None,
            outcome,
            scope: self.scope,
            within: self.within.as_deref(),
            detail,
        });
    }
}

/// A response body that stops at [`BODY_MAX`] and writes the request's
/// audit line with the bytes read when it is finished or dropped.
struct CountedBody {
    inner: WasiBody,
    bytes: u64,
    status: u16,
    record: Option<RequestRecord>,
    failed: Option<String>,
}

impl CountedBody {
    fn finish(&mut self) {
        if let Some(record) = self.record.take() {
            match &self.failed {
                Some(why) => {
                    record.write(Outcome::Failed, Some(self.status), self.bytes, Some(why))
                }
                None => record.write(Outcome::Allowed, Some(self.status), self.bytes, None),
            }
        }
    }
}

impl Drop for CountedBody {
    fn drop(&mut self) {
        self.finish();
    }
}

impl http_body::Body for CountedBody {
    type Data = Bytes;
    type Error = HttpError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, HttpError>>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    this.bytes += data.len() as u64;
                    if this.bytes > BODY_MAX {
                        this.failed = Some(format!("response body over {BODY_MAX} bytes"));
                        this.finish();
                        return Poll::Ready(Some(Err(HttpError::HttpResponseBodySize(Some(
                            this.bytes,
                        )))));
                    }
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(Some(Err(e))) => {
                this.failed = Some(format!("{e}"));
                this.finish();
                Poll::Ready(Some(Err(e)))
            }
            Poll::Ready(None) => {
                this.finish();
                Poll::Ready(None)
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

type SendFuture = Box<
    dyn std::future::Future<
            Output = Result<
                (
                    http::Response<WasiBody>,
                    Box<dyn std::future::Future<Output = Result<(), HttpError>> + Send>,
                ),
                HttpError,
            >,
        > + Send,
>;

impl WasiHttpHooks for NetHooks {
    fn send_request(
        &mut self,
        request: http::Request<WasiBody>,
        options: Option<RequestOptions>,
        _fut: Box<dyn std::future::Future<Output = Result<(), HttpError>> + Send>,
    ) -> SendFuture {
        let (timeout, _) = self.deadline.bound(REQUEST_TIMEOUT);
        let plugin = self.plugin.clone();
        let services = self.services.clone();
        Box::new(async move { send_checked(plugin, services, timeout, request, options).await })
    }
}

/// Check, resolve, send and wrap one request (see the module comment).
async fn send_checked(
    plugin: PluginId,
    services: Arc<Services>,
    timeout: Duration,
    request: http::Request<WasiBody>,
    options: Option<RequestOptions>,
) -> Result<
    (
        http::Response<WasiBody>,
        Box<dyn std::future::Future<Output = Result<(), HttpError>> + Send>,
    ),
    HttpError,
> {
    let uri = request.uri().clone();
    let https = uri.scheme() == Some(&http::uri::Scheme::HTTPS);
    let host = uri
        .host()
        .unwrap_or("")
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase();
    let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
    let mut record = RequestRecord {
        plugin: plugin.clone(),
        services: services.clone(),
        method: request.method().to_string(),
        url: redact_url(&uri),
        scope: None,
        within: None,
    };
    let verdict = services.grants().check_target(
        &plugin,
        Capability::NetFetch,
        &Target::Host { host: &host, port },
    );
    record.within = verdict.within.clone();
    let allowed = match verdict.decision {
        Decision::Allowed(scope) => scope,
        Decision::Denied(reason) => {
            let why = format!(
                "{reason}: {host}:{port}; grant it with --grant {0}:net.fetch:{host} or `aicoder plugin grant {0} net.fetch:{host}`",
                plugin.name
            );
            record.write(Outcome::Denied, None, 0, Some(&why));
            return Err(HttpError::HttpRequestDenied);
        }
    };
    record.scope = Some(allowed);
    // Only a grant naming the internal *address* reaches it: a name (even
    // `localhost`, or a public name pointed at 127.0.0.1) never does.
    let scope_pattern = verdict
        .within
        .as_deref()
        .and_then(|w| ScopePattern::parse(Capability::NetFetch, w).ok());
    let names_address =
        |ip: IpAddr| scope_pattern.as_ref().is_some_and(|p| p.names_host(&ip.to_string()));
    let addrs: Vec<SocketAddr> = match host.parse::<IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        Err(_) => {
            match tokio::time::timeout(timeout, tokio::net::lookup_host((host.as_str(), port)))
                .await
            {
                Ok(Ok(addrs)) => addrs.collect(),
                Ok(Err(e)) => {
                    record.write(Outcome::Failed, None, 0, Some(&format!("name lookup: {e}")));
                    return Err(HttpError::DestinationNotFound);
                }
                Err(_) => {
                    record.write(Outcome::Failed, None, 0, Some("name lookup timed out"));
                    return Err(HttpError::DnsTimeout);
                }
            }
        }
    };
    if addrs.is_empty() {
        record.write(Outcome::Failed, None, 0, Some("the name has no address"));
        return Err(HttpError::DestinationNotFound);
    }
    if let Some(internal) = addrs.iter().find(|a| is_internal(a.ip())) {
        if !names_address(internal.ip()) {
            let why = format!(
                "{host} is (or resolves to) the internal address {}; only a grant naming it exactly \
                 (net.fetch:{}) reaches loopback or private addresses",
                internal.ip(),
                internal.ip()
            );
            record.outcome_denied(&why);
            return Err(HttpError::DestinationIpProhibited);
        }
    }
    let bounded = |t: Option<Duration>| Some(t.map_or(timeout, |t| t.min(timeout)));
    let options = RequestOptions {
        connect_timeout: bounded(options.and_then(|o| o.connect_timeout)),
        first_byte_timeout: bounded(options.and_then(|o| o.first_byte_timeout)),
        between_bytes_timeout: bounded(options.and_then(|o| o.between_bytes_timeout)),
    };
    let sent = tokio::time::timeout(
        timeout,
        // To the addresses checked above, never a second lookup's
        // (net_send.rs), for HTTP and HTTPS alike.
        super::net_send::send_to(request, &addrs, &host, https, options),
    )
    .await;
    match sent {
        Ok(Ok((response, io))) => {
            let status = response.status().as_u16();
            let response = response.map(|body| {
                CountedBody {
                    inner: body.boxed_unsync(),
                    bytes: 0,
                    status,
                    record: Some(record),
                    failed: None,
                }
                .boxed_unsync()
            });
            Ok((response, io))
        }
        Ok(Err(e)) => {
            record.write(Outcome::Failed, None, 0, Some(&format!("{e}")));
            Err(e)
        }
        Err(_) => {
            record.write(
                Outcome::Failed,
                None,
                0,
                Some("no response by the deadline"),
            );
            Err(HttpError::ConnectionTimeout)
        }
    }
}

impl RequestRecord {
    fn outcome_denied(&self, why: &str) {
        self.write(Outcome::Denied, None, 0, Some(why));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_addresses_are_recognised() {
        for ip in [
            "127.0.0.1",
            "127.0.0.2",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(is_internal(ip.parse().expect("ip")), "{ip}");
        }
        for ip in ["1.1.1.1", "140.82.112.3", "2606:4700::1111"] {
            assert!(!is_internal(ip.parse().expect("ip")), "{ip}");
        }
    }

    #[test]
    fn query_values_are_removed_from_logged_urls() {
        let uri: http::Uri = "https://api.example.com/search?q=secret&key=abc"
            .parse()
            .expect("uri");
        assert_eq!(redact_url(&uri), "https://api.example.com/search?q=&key=");
    }
}
