//! One small HTTP/1.1 server on 127.0.0.1 for the tests that reach a local
//! page: through net.fetch, Python's urllib, the sandbox's proxy or an MCP
//! server. Each test says how it answers; the parsing lives here once.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;

/// What the server read of one request.
pub struct Request {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The request target as sent, e.g. `/moved` or `/?q=1`.
    pub path: String,
    /// The body (read by its content-length).
    pub body: Vec<u8>,
}

/// A whole response: `status` line words (e.g. `"200 OK"`), extra header
/// lines, and the body; content-length and `connection: close` are added.
pub fn response(status: &str, headers: &[&str], body: &str) -> String {
    let mut head = format!("HTTP/1.1 {status}\r\n");
    for h in headers {
        head.push_str(h);
        head.push_str("\r\n");
    }
    format!(
        "{head}content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// Start a server answering each request with `answer(&request)` (one
/// request per connection, until the test process ends); its port.
pub fn serve(answer: impl Fn(&Request) -> String + Send + 'static) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let port = listener.local_addr().expect("local address").port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let Ok(clone) = stream.try_clone() else {
                continue;
            };
            let mut reader = BufReader::new(clone);
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let mut words = request_line.split_whitespace();
            let request = Request {
                method: words.next().unwrap_or("").to_string(),
                path: words.next().unwrap_or("/").to_string(),
                body,
            };
            let _ = stream.write_all(answer(&request).as_bytes());
        }
    });
    port
}

/// A port on 127.0.0.1 that was free a moment ago, for a server that a
/// test starts itself and must name in advance. Taken below the kernel's
/// ephemeral range (32768 and up), so the servers other tests bind to port
/// 0 in the meantime are never given it (seen in `make test`: a port probed
/// with bind(0), released, and handed to a parallel test's server).
pub fn free_port() -> u16 {
    use std::hash::{BuildHasher, Hasher};
    let mut seed = std::collections::hash_map::RandomState::new().build_hasher();
    seed.write_u32(std::process::id());
    let start = seed.finish();
    (0..4000u64)
        .map(|i| 20000 + ((start + i * 7919) % 12000) as u16)
        .find(|&port| TcpListener::bind(("127.0.0.1", port)).is_ok())
        .expect("a free port on 127.0.0.1 between 20000 and 32000")
}
