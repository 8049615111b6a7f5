//! The host-side proxy: an HTTP proxy (CONNECT for TLS, absolute-URI
//! requests for plain HTTP) on a Unix socket, the only way out of the
//! sandbox's network namespace. Each request's host is checked against the
//! rules, then resolved here; a loopback or private address is refused
//! unless a rule names that address, and the connection goes to the address
//! that was checked (a second lookup cannot swap it). Refusals are kept for
//! the host to report and audit.
//!
//! The launcher hands the proxy the listening socket it made inside the
//! sandbox's network namespace (`listener.sock` beside the proxy's socket,
//! one descriptor over `SCM_RIGHTS`), so the command's connections reach
//! the proxy without a forwarder in between; the Unix socket stays as the
//! way in when that handoff failed.

use crate::{HostRule, NetPolicy};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::os::fd::AsRawFd;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime};

/// A request the proxy is deciding about (given to [`crate::AskHost`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostRequest {
    pub host: String,
    pub port: u16,
}

/// One connection the proxy refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub host: String,
    pub port: u16,
    /// Why, in a sentence naming what to grant.
    pub reason: String,
    /// The loopback or private address the name resolved to, when that was
    /// the reason (only a rule naming this address lets it through).
    pub internal: Option<IpAddr>,
    pub time: SystemTime,
}

/// The longest request head read (more is refused).
const HEAD_MAX: usize = 64 * 1024;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

struct Shared {
    allow: RwLock<Vec<HostRule>>,
    ask: Option<crate::AskHost>,
    refusals: Mutex<Vec<Refusal>>,
    /// Told of each refusal as it is made (a long-lived job's host audits
    /// them while the job runs).
    on_refusal: Mutex<Option<crate::OnRefusal>>,
    /// The listener handed over from inside the sandbox (shut down when the
    /// proxy stops: it keeps the sandbox's network namespace alive).
    handed: Mutex<Option<TcpListener>>,
    stop: AtomicBool,
}

/// A fresh secret for the listener handoff: 16 bytes from the kernel, hex.
pub(crate) fn new_token() -> std::io::Result<String> {
    use std::io::Read;
    let mut bytes = [0u8; 16];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Where the launcher hands over its listener (beside the proxy socket).
pub(crate) fn handoff_path(proxy_socket: &Path) -> PathBuf {
    proxy_socket.with_file_name("listener.sock")
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// A running proxy; stopped when dropped.
pub(crate) struct Proxy {
    shared: Arc<Shared>,
    socket: std::path::PathBuf,
}

impl Proxy {
    /// Listen on `socket` and serve in the background.
    /// The launcher shows `token` when it hands its listener over.
    pub(crate) fn start(socket: &Path, net: NetPolicy, token: String) -> std::io::Result<Proxy> {
        let listener = UnixListener::bind(socket)?;
        let shared = Arc::new(Shared {
            allow: RwLock::new(net.allow),
            ask: net.ask,
            refusals: Mutex::new(Vec::new()),
            on_refusal: Mutex::new(None),
            handed: Mutex::new(None),
            stop: AtomicBool::new(false),
        });
        let handoff = UnixListener::bind(handoff_path(socket))?;
        let receiving = shared.clone();
        std::thread::spawn(move || receive_listener(handoff, token.as_bytes(), &receiving));
        let serving = shared.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if serving.stop.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(conn) = conn {
                    let shared = serving.clone();
                    std::thread::spawn(move || serve(conn, &shared));
                }
            }
        });
        Ok(Proxy {
            shared,
            socket: socket.to_path_buf(),
        })
    }

    /// Serve `listener`, the proxy port inside the sandbox, handed over by
    /// a warm launcher on its own socket (no `listener.sock`, no token).
    pub(crate) fn adopt(&self, listener: TcpListener) -> std::io::Result<()> {
        *lock(&self.shared.handed) = Some(listener.try_clone()?);
        let shared = self.shared.clone();
        std::thread::spawn(move || serve_listener(listener, &shared));
        Ok(())
    }

    pub(crate) fn refusals(&self) -> Vec<Refusal> {
        lock(&self.shared.refusals).clone()
    }

    pub(crate) fn on_refusal(&self, hook: crate::OnRefusal) {
        *lock(&self.shared.on_refusal) = Some(hook);
    }

    pub(crate) fn allow(&self, rule: HostRule) {
        self.shared
            .allow
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .push(rule);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        // Wake the accept loops so they see the flag.
        let _ = UnixStream::connect(&self.socket);
        let _ = UnixStream::connect(handoff_path(&self.socket));
        if let Some(listener) = lock(&self.shared.handed).take() {
            // SAFETY: shutdown on a descriptor we own wakes the accept
            // blocked on its duplicate (Linux: EINVAL).
            unsafe { libc::shutdown(listener.as_raw_fd(), libc::SHUT_RDWR) };
        }
    }
}

/// Take the one listener the launcher hands over, then serve it. A peer
/// that does not first send `token` (another confined process that found
/// `listener.sock` in /tmp) is dropped and the next one waited for.
fn receive_listener(handoff: UnixListener, token: &[u8], shared: &Arc<Shared>) {
    let fd = loop {
        let Ok((conn, _)) = handoff.accept() else {
            return;
        };
        if shared.stop.load(Ordering::SeqCst) {
            return;
        }
        // A peer that sends nothing holds the handoff for a second at most.
        let _ = conn.set_read_timeout(Some(std::time::Duration::from_secs(1)));
        let mut shown = vec![0u8; token.len()];
        if (&conn).read_exact(&mut shown).is_err() || shown != token {
            continue;
        }
        if let Ok(fd) = crate::pump::recv_fd(&conn) {
            break (fd, conn);
        }
    };
    drop(handoff);
    let (fd, conn) = fd;
    let listener = TcpListener::from(fd);
    let Ok(kept) = listener.try_clone() else {
        return;
    };
    *lock(&shared.handed) = Some(kept);
    let _ = (&conn).write_all(b"K");
    serve_listener(listener, shared);
}

/// Serve the connections of the listener from inside the sandbox.
fn serve_listener(listener: TcpListener, shared: &Arc<Shared>) {
    for conn in listener.incoming() {
        if shared.stop.load(Ordering::SeqCst) {
            break;
        }
        match conn {
            Ok(conn) => {
                let shared = shared.clone();
                std::thread::spawn(move || serve(conn, &shared));
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
}

/// A port on the host's loopback forwarded to the same port inside the
/// sandbox (through the Unix socket the sandbox's init serves); stopped
/// when dropped.
pub(crate) struct Publisher {
    port: u16,
    stop: Arc<AtomicBool>,
}

impl Publisher {
    pub(crate) fn start(port: u16, socket: std::path::PathBuf) -> std::io::Result<Publisher> {
        let listener = std::net::TcpListener::bind(("127.0.0.1", port))?;
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                let (Ok(conn), socket) = (conn, socket.clone()) else {
                    continue;
                };
                std::thread::spawn(move || {
                    if let Ok(inside) = UnixStream::connect(&socket) {
                        crate::launch::splice_tcp_unix(conn, inside);
                    }
                });
            }
        });
        Ok(Publisher { port, stop })
    }
}

impl Drop for Publisher {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// Read the request head (through the blank line); `None` if it is too
/// long or the peer went away.
fn read_head<S: Read>(reader: &mut BufReader<S>) -> Option<String> {
    let mut head = String::new();
    loop {
        let mut line = String::new();
        let n = reader.read_line(&mut line).ok()?;
        if n == 0 {
            return None;
        }
        head.push_str(&line);
        if head.len() > HEAD_MAX {
            return None;
        }
        if line == "\r\n" || line == "\n" {
            return Some(head);
        }
    }
}

/// `host[:port]` with a default port; IPv6 in brackets ([`HostPort`]).
fn split_authority(auth: &str, default_port: u16) -> Option<(String, u16)> {
    let hp = crate::HostPort::parse(auth).ok()?;
    let port = hp.port_or(default_port);
    // A request names one host: a `*.domain` pattern is not one.
    (!hp.is_wildcard()).then_some((hp.host, port))
}

fn respond(conn: &mut impl Write, status: &str, body: &str) {
    let _ = write!(
        conn,
        "HTTP/1.1 {status}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}

/// A client stream: the Unix socket, or TCP from inside the sandbox.
trait Client: Read + Write + AsRawFd + HalfClose + Send + Sized + 'static {
    fn dup(&self) -> std::io::Result<Self>;
    /// Buffers for a local peer (pump.rs).
    fn tune(&self) {}
}
impl Client for UnixStream {
    fn dup(&self) -> std::io::Result<Self> {
        self.try_clone()
    }
}
impl Client for TcpStream {
    fn dup(&self) -> std::io::Result<Self> {
        self.try_clone()
    }
    fn tune(&self) {
        crate::pump::tune_loopback(self);
    }
}

fn serve<C: Client>(conn: C, shared: &Shared) {
    let Ok(mut writer) = conn.dup() else {
        return;
    };
    let mut reader = BufReader::new(conn);
    let Some(head) = read_head(&mut reader) else {
        respond(&mut writer, "400 Bad Request", "no request head\n");
        return;
    };
    let mut first = head.lines().next().unwrap_or("").split_whitespace();
    let (method, target) = (first.next().unwrap_or(""), first.next().unwrap_or(""));
    let connect = method.eq_ignore_ascii_case("CONNECT");
    let (authority, rest_of_target) = if connect {
        (target.to_string(), String::new())
    } else if let Some(after) = target.strip_prefix("http://") {
        match after.find('/') {
            Some(i) => (after[..i].to_string(), after[i..].to_string()),
            None => (after.to_string(), "/".to_string()),
        }
    } else {
        respond(
            &mut writer,
            "400 Bad Request",
            "the sandbox proxy takes CONNECT or http:// requests\n",
        );
        return;
    };
    let Some((host, port)) = split_authority(&authority, if connect { 443 } else { 80 }) else {
        respond(&mut writer, "400 Bad Request", "bad host\n");
        return;
    };
    let upstream = match decide(shared, &host, port) {
        Ok(stream) => stream,
        Err((false, reason, _)) => {
            respond(
                &mut writer,
                "502 Bad Gateway",
                &format!("aicoder sandbox: {reason}\n"),
            );
            return;
        }
        Err((true, reason, internal)) => {
            let refusal = Refusal {
                host: host.clone(),
                port,
                internal,
                reason: reason.clone(),
                time: SystemTime::now(),
            };
            let hook = lock(&shared.on_refusal).clone();
            if let Some(hook) = hook {
                hook(&refusal);
            }
            lock(&shared.refusals).push(refusal);
            respond(
                &mut writer,
                "403 Forbidden",
                &format!("aicoder sandbox: {reason}\n"),
            );
            return;
        }
    };
    crate::pump::tune_loopback(&upstream);
    writer.tune();
    let Ok(mut up_writer) = upstream.try_clone() else {
        return;
    };
    if connect {
        if writer
            .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
            .is_err()
        {
            return;
        }
    } else {
        // The request in origin form; the rest of the head as it was.
        let mut rewritten = format!(
            "{method} {rest_of_target} {}\r\n",
            head.lines()
                .next()
                .and_then(|l| l.split_whitespace().nth(2))
                .unwrap_or("HTTP/1.1")
        );
        for line in head.lines().skip(1) {
            let lower = line.to_ascii_lowercase();
            if lower.starts_with("proxy-connection:") || lower.starts_with("proxy-authorization:") {
                continue;
            }
            rewritten.push_str(line);
            rewritten.push_str("\r\n");
        }
        if up_writer.write_all(rewritten.as_bytes()).is_err() {
            return;
        }
    }
    // What the reader buffered past the head goes first.
    let buffered = reader.buffer().to_vec();
    if !buffered.is_empty() && up_writer.write_all(&buffered).is_err() {
        return;
    }
    let inner = reader.into_inner();
    splice(inner, writer, upstream, up_writer);
}

/// Copy both ways until each side closes.
fn splice<C: Client>(client_r: C, client_w: C, up_r: TcpStream, up_w: TcpStream) {
    let back = std::thread::spawn(move || copy_then_close(up_r, client_w));
    copy_then_close(client_r, up_w);
    let _ = back.join();
}

trait HalfClose {
    fn close_write(&self);
}
impl HalfClose for TcpStream {
    fn close_write(&self) {
        let _ = self.shutdown(Shutdown::Write);
    }
}
impl HalfClose for UnixStream {
    fn close_write(&self) {
        let _ = self.shutdown(Shutdown::Write);
    }
}

fn copy_then_close(mut from: impl Read + AsRawFd, mut to: impl Write + AsRawFd + HalfClose) {
    crate::pump::pump(&mut from, &mut to);
    to.close_write();
}

/// Whether `ip` is loopback, private, link-local or otherwise not a public
/// internet address.
pub fn is_internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 192 && b == 0)
                || a >= 240
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_internal(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
        }
    }
}

/// Check `host:port` against the rules (asking when none covers it),
/// resolve it, check the addresses, connect to a checked one. The error
/// says whether the policy refused (`true`) or the connection failed.
fn decide(
    shared: &Shared,
    host: &str,
    port: u16,
) -> Result<TcpStream, (bool, String, Option<IpAddr>)> {
    let rules: Vec<HostRule> = shared
        .allow
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let covered = rules.iter().any(|r| r.covers(host, port));
    let asked = if !covered {
        let request = HostRequest {
            host: host.to_string(),
            port,
        };
        match &shared.ask {
            Some(ask) if ask(&request) => Some(HostRule {
                host: host.to_string(),
                port: Some(port),
            }),
            _ => {
                return Err((
                    true,
                    format!("{host}:{port} is not an allowed host; grant net.fetch:{host}"),
                    None,
                ))
            }
        }
    } else {
        None
    };
    let addrs: Vec<SocketAddr> = match host.parse::<IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        Err(_) => (host, port)
            .to_socket_addrs()
            .map_err(|e| (false, format!("{host}: name lookup failed: {e}"), None))?
            .collect(),
    };
    if let Some(bad) = addrs.iter().find(|a| {
        // Any rule naming the address lets the name reach it: a grant of
        // `localhost` and of `127.0.0.1` together reach a local server.
        is_internal(a.ip()) && !rules.iter().chain(&asked).any(|r| r.names_address(a.ip()))
    }) {
        return Err((
            true,
            format!(
                "{host} resolves to the internal address {}; only a grant naming that address \
                 (net.fetch:{}) reaches loopback or private addresses",
                bad.ip(),
                bad.ip()
            ),
            Some(bad.ip()),
        ));
    }
    let mut last = format!("{host}: the name has no address");
    for addr in &addrs {
        match TcpStream::connect_timeout(addr, CONNECT_TIMEOUT) {
            Ok(s) => return Ok(s),
            Err(e) => last = format!("{host} ({addr}): {e}"),
        }
    }
    Err((false, last, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorities_split() {
        assert_eq!(
            split_authority("Example.com:8080", 80),
            Some(("example.com".into(), 8080))
        );
        assert_eq!(
            split_authority("example.com", 443),
            Some(("example.com".into(), 443))
        );
        assert_eq!(split_authority("[::1]:81", 80), Some(("::1".into(), 81)));
        assert_eq!(split_authority("x:y", 80), None);
        assert_eq!(split_authority("::1", 80), Some(("::1".into(), 80)));
        assert_eq!(split_authority("*.example.com:443", 80), None);
    }

    /// Another confined process that reaches `listener.sock` first cannot
    /// hand the proxy a listener of its own: without the launcher's token
    /// it is dropped, and the launcher's handoff after it still succeeds.
    #[test]
    fn the_handoff_takes_a_listener_only_with_the_token() {
        use std::os::fd::AsRawFd;
        let dir = tempfile::tempdir().expect("tempdir");
        let socket = dir.path().join("proxy.sock");
        let token = new_token().expect("token");
        assert_eq!(token.len(), 32);
        let proxy = Proxy::start(&socket, NetPolicy::default(), token.clone()).expect("start");
        let hand = |shown: &str| {
            let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
            let conn = UnixStream::connect(handoff_path(&socket)).expect("connect");
            (&conn).write_all(shown.as_bytes()).expect("token");
            let _ = crate::pump::send_fd(&conn, listener.as_raw_fd());
            conn.set_read_timeout(Some(std::time::Duration::from_secs(5)))
                .expect("timeout");
            let mut ack = [0u8; 1];
            (&conn).read_exact(&mut ack).map(|()| ack[0])
        };
        assert!(
            hand("0123456789abcdef0123456789abcdef").is_err(),
            "a wrong token was taken"
        );
        assert_eq!(hand(&token).expect("the launcher's handoff"), b'K');
        drop(proxy);
    }
}
