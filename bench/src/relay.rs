//! B15's floor: the simplest one-hop proxy there is, outside any sandbox.
//! A TCP listener on the host's loopback whose every connection is joined
//! to the bench's HTTP server, one thread each way, no request parsing, no
//! checks: by splice(2) through a 1 MiB pipe, or by read and write through
//! a 1 MiB buffer, with the kernel's socket buffers or with 256 KiB ones
//! (as the sandbox's proxy sets for local peers). What curl gets through it
//! against curl directly is the most any proxy that relays the bytes
//! between two loopback connections can give on this machine; the sandbox's
//! proxy is measured against it as well as against the direct run.

use std::net::{Shutdown, TcpListener, TcpStream};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};

/// How the relay moves the bytes.
#[derive(Clone, Copy)]
pub enum Way {
    Splice,
    Copy,
    /// Copy, with 256 KiB socket buffers on both connections (as the
    /// sandbox's proxy sets them for loopback peers).
    CopySmallBuffers,
}

/// Listen on a free loopback port; return it. Each connection is relayed
/// to `127.0.0.1:upstream` until both sides close.
pub fn start(upstream: u16, way: Way) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let up = TcpStream::connect(("127.0.0.1", upstream)).unwrap();
                if let Way::CopySmallBuffers = way {
                    small_buffers(&client);
                    small_buffers(&up);
                }
                let (client2, up2) = (client.try_clone().unwrap(), up.try_clone().unwrap());
                let back = std::thread::spawn(move || relay(&up2, &client2, way));
                relay(&client, &up, way);
                back.join().unwrap();
            });
        }
    });
    port
}

fn relay(from: &TcpStream, to: &TcpStream, way: Way) {
    match way {
        Way::Splice => splice(from, to),
        Way::Copy | Way::CopySmallBuffers => copy(from, to),
    }
    let _ = to.shutdown(Shutdown::Write);
}

fn small_buffers(socket: &TcpStream) {
    aicoder_sandbox::set_socket_buffers(socket, aicoder_sandbox::LOOPBACK_BUFFER);
}

fn copy(mut from: &TcpStream, mut to: &TcpStream) {
    use std::io::{Read, Write};
    let mut buf = vec![0u8; 1 << 20];
    while let Ok(n) = from.read(&mut buf) {
        if n == 0 || to.write_all(&buf[..n]).is_err() {
            break;
        }
    }
}

fn splice(from: &TcpStream, to: &TcpStream) {
    let mut fds = [0 as RawFd; 2];
    // SAFETY: pipe2 fills `fds` with two new descriptors, owned below.
    let (r, w) = unsafe {
        assert_eq!(libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC), 0);
        libc::fcntl(fds[1], libc::F_SETPIPE_SZ, 1 << 20);
        (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1]))
    };
    let null = std::ptr::null_mut();
    'stream: loop {
        // SAFETY: splice between descriptors held for the call's length.
        let n = unsafe { libc::splice(from.as_raw_fd(), null, w.as_raw_fd(), null, 1 << 20, 0) };
        if n <= 0 {
            break;
        }
        let mut left = n as usize;
        while left > 0 {
            // SAFETY: as above.
            let m = unsafe { libc::splice(r.as_raw_fd(), null, to.as_raw_fd(), null, left, 0) };
            if m <= 0 {
                break 'stream;
            }
            left -= m as usize;
        }
    }
}
