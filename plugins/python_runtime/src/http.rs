//! One HTTP request through the standard `wasi:http/outgoing-handler`, for
//! `urllib.request` (py/urllib_request.py). The host checks `net.fetch`
//! per host and port, audits the request and never follows redirects: the
//! Python side does, each hop a new checked request.

use wasi::http::outgoing_handler;
use wasi::http::types::{ErrorCode, Fields, Method, OutgoingBody, OutgoingRequest, Scheme};

/// The largest response body kept (the host caps it too).
const READ_MAX: usize = 8 << 20;

/// What a request came back with.
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// Why a request failed: refused by the host (a Python `PermissionError`)
/// or failed on the way (`OSError`).
pub enum HttpError {
    Denied(String),
    Failed(String),
}

/// A request: `scheme` is `http` or `https`, `authority` `host[:port]`.
pub struct Request<'a> {
    pub method: &'a str,
    pub scheme: &'a str,
    pub authority: &'a str,
    pub path_with_query: &'a str,
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

fn explain(code: &ErrorCode, authority: &str) -> HttpError {
    let host = authority.rsplit_once(':').map_or(authority, |(h, p)| {
        if p.parse::<u16>().is_ok() {
            h
        } else {
            authority
        }
    });
    match code {
        ErrorCode::HttpRequestDenied => HttpError::Denied(format!(
            "net.fetch is not granted for {authority}: grant it in the approval prompt, \
             or with --grant python_runtime:net.fetch:{authority}"
        )),
        ErrorCode::DestinationIpProhibited => HttpError::Denied(format!(
            "net.fetch refused {host}: it is a loopback or private address, reachable only \
             with a grant naming it exactly (--grant python_runtime:net.fetch:{authority})"
        )),
        ErrorCode::DnsError(_) => {
            HttpError::Failed(format!("[Errno -2] Name or service not known: {host}"))
        }
        ErrorCode::ConnectionRefused => {
            HttpError::Failed(format!("[Errno 111] Connection refused: {authority}"))
        }
        other => HttpError::Failed(format!("request to {authority} failed: {other:?}")),
    }
}

fn method(name: &str) -> Method {
    match name.to_ascii_uppercase().as_str() {
        "GET" => Method::Get,
        "HEAD" => Method::Head,
        "POST" => Method::Post,
        "PUT" => Method::Put,
        "DELETE" => Method::Delete,
        "PATCH" => Method::Patch,
        "OPTIONS" => Method::Options,
        other => Method::Other(other.to_string()),
    }
}

/// Send `req` and read the whole response.
pub fn send(req: &Request<'_>) -> Result<Response, HttpError> {
    let fail = |what: &str| HttpError::Failed(format!("cannot build the request: {what}"));
    let headers = Fields::new();
    for (name, value) in req.headers {
        headers
            .append(&name.to_ascii_lowercase(), value.as_bytes())
            .map_err(|_| fail(&format!("header {name}")))?;
    }
    let request = OutgoingRequest::new(headers);
    request
        .set_method(&method(req.method))
        .map_err(|_| fail("method"))?;
    let scheme = if req.scheme == "https" {
        Scheme::Https
    } else {
        Scheme::Http
    };
    request
        .set_scheme(Some(&scheme))
        .map_err(|_| fail("scheme"))?;
    request
        .set_authority(Some(req.authority))
        .map_err(|_| fail("host"))?;
    request
        .set_path_with_query(Some(req.path_with_query))
        .map_err(|_| fail("path"))?;
    let outgoing = request.body().map_err(|_| fail("body"))?;
    let pending =
        outgoing_handler::handle(request, None).map_err(|e| explain(&e, req.authority))?;
    {
        let stream = outgoing.write().map_err(|_| fail("body stream"))?;
        for chunk in req.body.chunks(4096) {
            stream
                .blocking_write_and_flush(chunk)
                .map_err(|_| fail("body write"))?;
        }
    }
    OutgoingBody::finish(outgoing, None).map_err(|e| explain(&e, req.authority))?;
    pending.subscribe().block();
    let response = match pending.get() {
        Some(Ok(Ok(response))) => response,
        Some(Ok(Err(e))) => return Err(explain(&e, req.authority)),
        Some(Err(())) | None => {
            return Err(HttpError::Failed(format!(
                "no response from {}",
                req.authority
            )))
        }
    };
    let status = response.status();
    let headers = response
        .headers()
        .entries()
        .into_iter()
        .map(|(k, v)| (k, String::from_utf8_lossy(&v).into_owned()))
        .collect();
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
        headers,
        body,
    })
}
