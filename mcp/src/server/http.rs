//! Streamable HTTP: rmcp's service behind a bearer-token check, served by
//! hyper on one listening socket. Every request must carry
//! `Authorization: Bearer <token>`; the token is made at start and shown
//! only to the person who started the server.

use super::handler::Handler;
use super::ToolProvider;
use bytes::Bytes;
use http::{header, Request, Response, StatusCode};
use http_body_util::{combinators::BoxBody, BodyExt, Full};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::{StreamableHttpServerConfig, StreamableHttpService};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

/// Where and how to listen.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// The address to bind (port 0 picks a free one).
    pub addr: SocketAddr,
    /// The bearer token every request must carry.
    pub token: String,
}

/// A fresh bearer token: 32 bytes from the kernel's random source, as hex.
pub fn new_token() -> std::io::Result<String> {
    use std::io::Read;
    let mut bytes = [0u8; 32];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Whether `request` carries exactly the bearer `token` (compared in
/// constant time).
fn authorized<B>(request: &Request<B>, token: &str) -> bool {
    let Some(value) = request.headers().get(header::AUTHORIZATION) else {
        return false;
    };
    let Ok(value) = value.to_str() else {
        return false;
    };
    let Some(given) = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
    else {
        return false;
    };
    constant_time_eq::constant_time_eq(given.trim().as_bytes(), token.as_bytes())
}

fn unauthorized() -> Response<BoxBody<Bytes, Infallible>> {
    let body = Full::new(Bytes::from_static(
        b"{\"error\":\"this MCP server needs the bearer token printed by `aicoder mcp serve --http` (Authorization: Bearer TOKEN)\"}",
    ))
    .boxed();
    let mut response = Response::new(body);
    *response.status_mut() = StatusCode::UNAUTHORIZED;
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        header::HeaderValue::from_static("Bearer"),
    );
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    response
}

/// Serve `provider` on `options.addr` until the process ends. `ready` gets
/// the bound address (with the port the kernel picked) once it listens.
pub async fn serve_http<P: ToolProvider>(
    provider: Arc<P>,
    options: HttpOptions,
    ready: impl FnOnce(SocketAddr),
) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(options.addr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", options.addr))?;
    let bound = listener.local_addr()?;
    // rmcp refuses Host headers other than loopback names (DNS rebinding);
    // an address the person named on purpose is accepted too.
    let mut hosts: Vec<String> = vec!["localhost".into(), "127.0.0.1".into(), "::1".into()];
    if !bound.ip().is_loopback() {
        hosts.push(bound.ip().to_string());
    }
    let config = StreamableHttpServerConfig::default().with_allowed_hosts(hosts);
    let service = StreamableHttpService::new(
        move || Ok(Handler::new(provider.clone())),
        Arc::new(LocalSessionManager::default()),
        config,
    );
    let token: Arc<str> = Arc::from(options.token);
    ready(bound);
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(conn) => conn,
            // Out of descriptors and the like: keep serving the others.
            Err(_) => {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                continue;
            }
        };
        let service = service.clone();
        let token = token.clone();
        tokio::spawn(async move {
            let handle = hyper::service::service_fn(move |request: Request<Incoming>| {
                let service = service.clone();
                let token = token.clone();
                async move {
                    if !authorized(&request, &token) {
                        return Ok::<_, Infallible>(unauthorized());
                    }
                    let delete = request.method() == http::Method::DELETE;
                    let mut response = service.handle(request).await;
                    // rmcp answers a session's DELETE with 202; the Python
                    // SDK counts only 200 and 204 as ended and prints
                    // "Session termination failed: 202". The session is
                    // gone either way: say 200.
                    if delete && response.status() == StatusCode::ACCEPTED {
                        *response.status_mut() = StatusCode::OK;
                    }
                    Ok(response)
                }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), handle)
                .await;
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(auth: Option<&str>) -> Request<()> {
        let mut builder = Request::builder().uri("/mcp");
        if let Some(a) = auth {
            builder = builder.header(header::AUTHORIZATION, a);
        }
        builder.body(()).unwrap_or_default()
    }

    #[test]
    fn only_the_exact_bearer_token_passes() {
        let token = "abc123";
        assert!(authorized(&request(Some("Bearer abc123")), token));
        assert!(!authorized(&request(None), token));
        assert!(!authorized(&request(Some("Bearer abc12")), token));
        assert!(!authorized(&request(Some("Bearer abc1234")), token));
        assert!(!authorized(&request(Some("Basic abc123")), token));
        assert!(!authorized(&request(Some("Bearer ")), token));
    }

    #[test]
    fn tokens_are_fresh_and_long() {
        let (a, b) = (
            new_token().unwrap_or_default(),
            new_token().unwrap_or_default(),
        );
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
    }
}
