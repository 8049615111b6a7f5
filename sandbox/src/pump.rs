//! Moving bytes between two sockets (the proxy, the port forwarders): read
//! and write through one 1 MiB buffer per direction. `std::io::copy`
//! between two sockets moves 8 KiB at a time: at loopback speeds that was
//! most of the proxy's cost (B15). splice(2) through a pipe was tried and
//! measured against this (bench rows B15r, a plain relay of each kind):
//! it spends less in the proxy but leaves the receiving program reading
//! pages no core has touched since the sender wrote them, and on two cores
//! the receiver is the slowest stage; with SPLICE_F_MORE it was 0.2x
//! direct. The copy is as fast or faster in every run, and simpler.

use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};

/// The buffer of each direction (allocated lazily by the kernel: a
/// connection that moves little touches few of its pages).
const BUFFER: usize = 1 << 20;

/// Copy from `from` to `to` until `from` ends or either side fails.
pub(crate) fn pump(from: &mut impl Read, to: &mut impl Write) {
    let mut buf = vec![0u8; BUFFER];
    loop {
        match from.read(&mut buf) {
            Ok(0) => return,
            Ok(n) => {
                if to.write_all(&buf[..n]).is_err() {
                    return;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return,
        }
    }
}

/// The socket buffers of a loopback connection the proxy holds (each
/// way; the kernel doubles the figure).
pub const LOOPBACK_BUFFER: libc::c_int = 256 << 10;

/// Give a TCP socket whose peer is on this machine fixed, smaller buffers.
/// Autotuned, a local sender runs megabytes ahead of the proxy, and the
/// bytes have left the cache by the time they are read and again when the
/// program reads them (B15: about 0.1x direct more with this, in a plain
/// relay). A connection to a remote host keeps autotuning: its window must
/// cover the round trip.
pub(crate) fn tune_loopback(socket: &std::net::TcpStream) {
    if socket.peer_addr().is_ok_and(|a| a.ip().is_loopback()) {
        set_socket_buffers(socket, LOOPBACK_BUFFER);
    }
}

/// Fix both socket buffers of `socket` at `bytes` (the proxy's loopback
/// connections; the bench's plain relay uses it to match them).
pub fn set_socket_buffers(socket: &std::net::TcpStream, bytes: libc::c_int) {
    for option in [libc::SO_RCVBUF, libc::SO_SNDBUF] {
        // SAFETY: setsockopt with an int value that lives across the call.
        unsafe {
            libc::setsockopt(
                socket.as_raw_fd(),
                libc::SOL_SOCKET,
                option,
                (&bytes as *const libc::c_int).cast(),
                std::mem::size_of::<libc::c_int>() as libc::socklen_t,
            );
        }
    }
}

/// Send `fd` over the Unix stream `over` (one byte of data with it).
pub(crate) fn send_fd(over: &std::os::unix::net::UnixStream, fd: RawFd) -> std::io::Result<()> {
    let mut byte = [b'L'];
    let mut iov = libc::iovec {
        iov_base: byte.as_mut_ptr().cast(),
        iov_len: 1,
    };
    // SAFETY: CMSG_SPACE is a pure computation.
    let space = unsafe { libc::CMSG_SPACE(std::mem::size_of::<RawFd>() as u32) } as usize;
    let mut control = vec![0u8; space];
    // SAFETY: msghdr is plain data; every pointer in it points into locals
    // that outlive the sendmsg call, and the control buffer has room for
    // one header carrying one descriptor.
    unsafe {
        let mut msg: libc::msghdr = std::mem::zeroed();
        msg.msg_iov = &mut iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control.as_mut_ptr().cast();
        msg.msg_controllen = space as _;
        let cmsg = libc::CMSG_FIRSTHDR(&msg);
        (*cmsg).cmsg_level = libc::SOL_SOCKET;
        (*cmsg).cmsg_type = libc::SCM_RIGHTS;
        (*cmsg).cmsg_len = libc::CMSG_LEN(std::mem::size_of::<RawFd>() as u32) as _;
        std::ptr::write_unaligned(libc::CMSG_DATA(cmsg).cast::<RawFd>(), fd);
        if libc::sendmsg(over.as_raw_fd(), &msg, 0) != 1 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

/// Receive one descriptor sent by [`send_fd`].
pub(crate) fn recv_fd(over: &std::os::unix::net::UnixStream) -> std::io::Result<OwnedFd> {
    let mut byte = [0u8; 1];
    let mut iov = libc::iovec {
        iov_base: byte.as_mut_ptr().cast(),
        iov_len: 1,
    };
    // SAFETY: CMSG_SPACE is a pure computation.
    let space = unsafe { libc::CMSG_SPACE(std::mem::size_of::<RawFd>() as u32) } as usize;
    let mut control = vec![0u8; space];
    // SAFETY: as in send_fd; the descriptor read out of a SCM_RIGHTS
    // header of our own size is a new one this process owns.
    unsafe {
        let mut msg: libc::msghdr = std::mem::zeroed();
        msg.msg_iov = &mut iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control.as_mut_ptr().cast();
        msg.msg_controllen = space as _;
        if libc::recvmsg(over.as_raw_fd(), &mut msg, libc::MSG_CMSG_CLOEXEC) != 1 {
            return Err(std::io::Error::last_os_error());
        }
        let cmsg = libc::CMSG_FIRSTHDR(&msg);
        if cmsg.is_null()
            || (*cmsg).cmsg_level != libc::SOL_SOCKET
            || (*cmsg).cmsg_type != libc::SCM_RIGHTS
        {
            return Err(std::io::Error::other("no descriptor was sent"));
        }
        let fd = std::ptr::read_unaligned(libc::CMSG_DATA(cmsg).cast::<RawFd>());
        Ok(OwnedFd::from_raw_fd(fd))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{TcpListener, TcpStream};
    use std::os::unix::net::UnixStream;

    #[test]
    fn bytes_cross_from_tcp_to_unix_whole_and_in_order() {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let data: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
        let sent = data.clone();
        let writer = std::thread::spawn(move || {
            let mut s = TcpStream::connect(addr).expect("connect");
            s.write_all(&sent).expect("write");
        });
        let (mut tcp, _) = listener.accept().expect("accept");
        let (mut a, mut b) = UnixStream::pair().expect("pair");
        let reader = std::thread::spawn(move || {
            let mut got = Vec::new();
            b.read_to_end(&mut got).expect("read");
            got
        });
        pump(&mut tcp, &mut a);
        drop(a);
        writer.join().expect("writer");
        assert!(reader.join().expect("reader") == data);
    }

    #[test]
    fn a_descriptor_crosses_a_unix_socket() {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (a, b) = UnixStream::pair().expect("pair");
        send_fd(&a, listener.as_raw_fd()).expect("send");
        let got = TcpListener::from(recv_fd(&b).expect("recv"));
        assert_eq!(got.local_addr().expect("addr"), addr);
    }
}
