//! Sending a `net.fetch` request to the address that was checked.
//!
//! wasmtime-wasi-http's `default_send_request` connects to the URL's
//! authority, so it resolves the name a second time: a name that answered
//! a public address to the check and `127.0.0.1` to the connect (DNS
//! rebinding) would reach a local service. Here the connection goes to one
//! of the addresses [`super::net`] checked, and TLS still verifies the
//! certificate against the name in the URL (the same web PKI roots as
//! wasmtime-wasi-http's default). Plain HTTP and HTTPS take the same path.

use http_body_util::BodyExt;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::task::Poll;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use wasmtime_wasi_http::io::TokioIo;
use wasmtime_wasi_http::{Error as HttpError, RequestOptions, WasiBody};

/// The connection's work after the response head: the caller drives it.
pub(crate) type IoFuture = Box<dyn Future<Output = Result<(), HttpError>> + Send>;

/// A byte stream hyper can speak HTTP/1.1 over (TCP or TLS over TCP).
trait Stream: AsyncRead + AsyncWrite + Send + Sync + Unpin + 'static {}
impl<T: AsyncRead + AsyncWrite + Send + Sync + Unpin + 'static> Stream for T {}

/// What `options` leaves unset (wasmtime-wasi-http's own default).
const UNSET: Duration = Duration::from_secs(600);

/// Connect to the first of `addrs` that answers (each was checked by the
/// caller; no name is looked up here).
async fn connect(addrs: &[SocketAddr], timeout: Duration) -> Result<TcpStream, HttpError> {
    let mut last = HttpError::DestinationNotFound;
    for addr in addrs {
        match tokio::time::timeout(timeout, TcpStream::connect(addr)).await {
            Ok(Ok(stream)) => return Ok(stream),
            Ok(Err(e)) => last = HttpError::Connect(e),
            Err(_) => last = HttpError::ConnectionTimeout,
        }
    }
    Err(last)
}

/// TLS over `tcp`, verifying the certificate for `host` (a name, or an
/// address when the URL named one).
async fn tls(host: &str, tcp: TcpStream) -> Result<Box<dyn Stream>, HttpError> {
    use rustls::pki_types::ServerName;
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.into(),
    };
    let config = rustls::ClientConfig::builder()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = match host.parse::<IpAddr>() {
        Ok(ip) => ServerName::from(ip),
        Err(_) => ServerName::try_from(host.to_string())?,
    };
    let stream = tokio_rustls::TlsConnector::from(std::sync::Arc::new(config))
        .connect(name, tcp)
        .await
        .map_err(HttpError::Tls)?;
    Ok(Box::new(stream))
}

/// Send `request` over a connection to one of `addrs` (TLS for `host`
/// when `https`), bounded by `options`' timeouts.
pub(crate) async fn send_to(
    mut request: http::Request<WasiBody>,
    addrs: &[SocketAddr],
    host: &str,
    https: bool,
    options: RequestOptions,
) -> Result<(http::Response<WasiBody>, IoFuture), HttpError> {
    let connect_timeout = options.connect_timeout.unwrap_or(UNSET);
    let first_byte_timeout = options.first_byte_timeout.unwrap_or(UNSET);
    let tcp = connect(addrs, connect_timeout).await?;
    let stream: Box<dyn Stream> = if https {
        tokio::time::timeout(connect_timeout, tls(host, tcp))
            .await
            .map_err(|_| HttpError::ConnectionTimeout)??
    } else {
        Box::new(tcp)
    };
    let (mut sender, conn) = tokio::time::timeout(
        connect_timeout,
        hyper::client::conn::http1::Builder::new().handshake(TokioIo::new(stream)),
    )
    .await
    .map_err(|_| HttpError::ConnectionTimeout)??;
    // Origin form on the wire (the Host header carries the authority).
    let path = request
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_string();
    *request.uri_mut() = http::Uri::try_from(path).map_err(|_| HttpError::HttpRequestUriInvalid)?;
    let mut conn = Some(conn);
    let response = {
        let mut send = std::pin::pin!(sender.send_request(request));
        let conn = &mut conn;
        // Wait for the head while driving the connection's I/O.
        let head = std::future::poll_fn(move |cx| {
            if let Poll::Ready(r) = send.as_mut().poll(cx) {
                return Poll::Ready(r.map_err(HttpError::from));
            }
            if let Some(c) = conn.as_mut() {
                if let Poll::Ready(r) = Pin::new(c).poll(cx) {
                    *conn = None;
                    if let Err(e) = r {
                        return Poll::Ready(Err(HttpError::from(e)));
                    }
                    return send.as_mut().poll(cx).map_err(HttpError::from);
                }
            }
            Poll::Pending
        });
        tokio::time::timeout(first_byte_timeout, head)
            .await
            .map_err(|_| HttpError::ConnectionReadTimeout)??
    };
    let response = response.map(|incoming| incoming.map_err(HttpError::from).boxed_unsync());
    let io: IoFuture = Box::new(async move {
        match conn {
            Some(c) => c.await.map_err(HttpError::from),
            None => Ok(()),
        }
    });
    Ok((response, io))
}
