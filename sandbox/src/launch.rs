//! The launcher: the binary re-executed with [`LAUNCH_ARG`] first. While
//! still single-threaded it makes new user, mount, network and PID
//! namespaces, hides the `deny_read` paths, brings loopback up and listens
//! on the proxy port inside; then it forks the namespace's init, which
//! forwards proxy connections to the host's Unix socket and forks the
//! command: Landlock for writes, capabilities dropped, a seccomp filter,
//! exec. When the
//! command exits, init exits with its status and the kernel kills every
//! process left in the namespace (`setsid`, double forks, daemons).

use crate::setup_error::SetupError;
use crate::{LaunchSpec, LAUNCH_ARG, PROXY_PORT};
use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::os::unix::process::CommandExt;
use std::path::Path;

/// The exit code when the sandbox itself failed (as `env`/`timeout` do for
/// "could not run").
const SETUP_FAILED: i32 = 125;

/// Run as the launcher when the first argument is [`LAUNCH_ARG`] (never
/// returns then); otherwise return at once. Call it first in `main`,
/// before any thread is started (user namespaces need a single thread).
pub fn launch_if_requested() {
    let mut args = std::env::args_os();
    let _exe = args.next();
    if args.next().as_deref() != Some(OsStr::new(LAUNCH_ARG)) {
        return;
    }
    let rest: Vec<OsString> = args.collect();
    let code = match run(&rest) {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("aicoder sandbox: {msg}; the command was not run");
            SETUP_FAILED
        }
    };
    std::process::exit(code);
}

fn errno() -> std::io::Error {
    std::io::Error::last_os_error()
}

fn run(args: &[OsString]) -> Result<i32, SetupError> {
    if args.first().map(OsString::as_os_str) == Some(OsStr::new(crate::warm::WARM_ARG)) {
        return run_warm();
    }
    let (spec, program, cmd_args) = match args {
        [spec, program, rest @ ..] => (spec, program, rest),
        _ => return Err(SetupError::MissingArguments),
    };
    let spec: LaunchSpec =
        serde_json::from_slice(spec.as_bytes()).map_err(|e| SetupError::Request {
            what: "launcher: bad specification",
            detail: e.to_string(),
        })?;
    let listener = namespaces_and_listener()?;
    start(&spec, Some(listener), program, cmd_args, None)
}

/// The part that does not depend on the command: new namespaces, loopback
/// up, the proxy port bound inside.
fn namespaces_and_listener() -> Result<TcpListener, SetupError> {
    enter_namespaces()?;
    loopback_up()?;
    TcpListener::bind(("127.0.0.1", PROXY_PORT))
        .map_err(|e| SetupError::os("listening on the proxy port inside", e))
}

/// A launcher started ahead of time (warm.rs): make the namespaces, say
/// `R` on the socket that is our stdin, then read the request and the
/// command's three streams from it and go on as a cold launcher.
fn run_warm() -> Result<i32, SetupError> {
    use std::os::fd::FromRawFd;
    // SAFETY: fcntl duplicates our stdin (the socket aicoder gave us) to a
    // new descriptor, owned below; fd 0 is replaced by the command's stdin.
    let fd = unsafe { libc::fcntl(0, libc::F_DUPFD_CLOEXEC, 3) };
    if fd < 0 {
        return Err(SetupError::errno("warm launcher"));
    }
    // SAFETY: fd is ours alone (just duplicated).
    let chan = unsafe { UnixStream::from_raw_fd(fd) };
    let listener = namespaces_and_listener()?;
    let lost = |e: std::io::Error| SetupError::os("warm launcher", e);
    crate::warm::say_ready(&chan, &listener).map_err(lost)?;
    let mut len = [0u8; 4];
    (&chan).read_exact(&mut len).map_err(lost)?;
    let len = u32::from_le_bytes(len) as usize;
    if len > crate::warm::REQUEST_MAX {
        return Err(SetupError::Request {
            what: "warm launcher",
            detail: "request too long".into(),
        });
    }
    let mut body = vec![0u8; len];
    (&chan).read_exact(&mut body).map_err(lost)?;
    let request: crate::warm::Request =
        serde_json::from_slice(&body).map_err(|e| SetupError::Request {
            what: "warm launcher: bad request",
            detail: e.to_string(),
        })?;
    for target in 0..3 {
        let fd = crate::pump::recv_fd(&chan).map_err(lost)?;
        use std::os::fd::AsRawFd;
        // SAFETY: dup2 onto a standard stream number; the received
        // descriptor is closed when `fd` drops.
        if unsafe { libc::dup2(fd.as_raw_fd(), target) } < 0 {
            return Err(SetupError::errno("warm launcher: dup2"));
        }
    }
    drop(chan);
    let spec: LaunchSpec =
        serde_json::from_str(&request.spec).map_err(|e| SetupError::Request {
            what: "launcher: bad specification",
            detail: e.to_string(),
        })?;
    // The proxy has the listener (say_ready): nothing to hand over.
    let listener = (!request.handed).then_some(listener);
    start(
        &spec,
        listener,
        &request.program,
        &request.args,
        Some(&request.env),
    )
}

/// The command's environment when it is not the launcher's own (a warm
/// launcher was started before the command was known).
type Env<'a> = Option<&'a [(OsString, OsString)]>;

/// Hide the denied paths and the other sandboxes, hand the listener to the
/// proxy, fork the namespace's init; wait for it.
fn start(
    spec: &LaunchSpec,
    listener: Option<TcpListener>,
    program: &OsStr,
    cmd_args: &[OsString],
    env: Env,
) -> Result<i32, SetupError> {
    crate::mounts::hide(&spec.deny_read)?;
    crate::mounts::cover_other_sandboxes(spec)?;
    // Handed to the proxy, the listener needs no forwarder inside (one
    // copy of every byte fewer); kept here as the fallback.
    let listener =
        listener.and_then(
            |l| match hand_over(&l, &spec.proxy_socket, &spec.handoff_token) {
                Ok(()) => None,
                Err(_) => Some(l),
            },
        );
    // SAFETY: still single-threaded (nothing above starts a thread).
    match unsafe { libc::fork() } {
        -1 => Err(SetupError::errno("fork")),
        0 => {
            let code = init(spec, listener, program, cmd_args, env);
            std::process::exit(code)
        }
        pid => {
            drop(listener);
            Ok(wait_for(pid))
        }
    }
}

/// The exit code of `pid` once it ends (128 + signal when killed).
fn wait_for(pid: libc::pid_t) -> i32 {
    loop {
        let mut status = 0;
        // SAFETY: plain waitpid on our own child.
        let r = unsafe { libc::waitpid(pid, &mut status, 0) };
        if r == pid {
            return decode(status);
        }
        if r == -1 && errno().kind() != std::io::ErrorKind::Interrupted {
            return SETUP_FAILED;
        }
    }
}

fn decode(status: i32) -> i32 {
    if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else if libc::WIFSIGNALED(status) {
        128 + libc::WTERMSIG(status)
    } else {
        SETUP_FAILED
    }
}

fn write_file(path: &str, text: &str) -> Result<(), SetupError> {
    std::fs::write(path, text).map_err(|e| SetupError::os(format!("writing {path}"), e))
}

/// New user namespace (mapping our own uid and gid), then mount, network
/// and PID namespaces. As root without user namespaces, the others alone.
fn enter_namespaces() -> Result<(), SetupError> {
    // SAFETY: getuid/getgid/unshare take no pointers.
    let (uid, gid) = unsafe { (libc::getuid(), libc::getgid()) };
    if unsafe { libc::unshare(libc::CLONE_NEWUSER) } == 0 {
        write_file("/proc/self/setgroups", "deny")?;
        write_file("/proc/self/uid_map", &format!("{uid} {uid} 1"))?;
        write_file("/proc/self/gid_map", &format!("{gid} {gid} 1"))?;
    } else if unsafe { libc::geteuid() } != 0 {
        return Err(SetupError::errno("user namespaces are not available"));
    }
    let flags = libc::CLONE_NEWNS | libc::CLONE_NEWNET | libc::CLONE_NEWPID;
    // SAFETY: as above.
    if unsafe { libc::unshare(flags) } != 0 {
        return Err(SetupError::errno(
            "mount/network/PID namespaces are not available",
        ));
    }
    crate::mounts::mount(
        None,
        Path::new("/"),
        None,
        libc::MS_REC | libc::MS_PRIVATE,
        None,
    )
}

/// Bring `lo` up in the new network namespace.
fn loopback_up() -> Result<(), SetupError> {
    // SAFETY: a datagram socket used only for the two interface ioctls
    // below, with a zeroed, NUL-terminated ifreq.
    unsafe {
        let fd = libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0);
        if fd < 0 {
            return Err(SetupError::errno("socket"));
        }
        let mut req: libc::ifreq = std::mem::zeroed();
        for (i, b) in b"lo\0".iter().enumerate() {
            req.ifr_name[i] = *b as libc::c_char;
        }
        let ok = libc::ioctl(fd, libc::SIOCGIFFLAGS, &mut req) == 0 && {
            req.ifr_ifru.ifru_flags |= (libc::IFF_UP | libc::IFF_RUNNING) as libc::c_short;
            libc::ioctl(fd, libc::SIOCSIFFLAGS, &req) == 0
        };
        let err = errno();
        libc::close(fd);
        if ok {
            Ok(())
        } else {
            Err(SetupError::os("bringing up loopback", err))
        }
    }
}

/// PID 1 of the new namespace: mount its `/proc`, fork the command, forward
/// proxy connections, reap orphans, exit with the command's status.
fn init(
    spec: &LaunchSpec,
    listener: Option<TcpListener>,
    program: &OsStr,
    args: &[OsString],
    env: Env,
) -> i32 {
    // SAFETY: prctl with integer arguments. Not dumpable: the command may
    // not read init's memory or open its files through /proc (Landlock's
    // ptrace rule refuses that too).
    unsafe {
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
        libc::prctl(libc::PR_SET_DUMPABLE, 0);
    }
    let _ = crate::mounts::mount(
        Some("proc"),
        Path::new("/proc"),
        Some("proc"),
        libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC,
        None,
    );
    // SAFETY: still single-threaded in this process.
    let child = unsafe { libc::fork() };
    if child == -1 {
        eprintln!("aicoder sandbox: fork: {}", errno());
        return SETUP_FAILED;
    }
    if child == 0 {
        drop(listener);
        let err = exec_confined(spec, program, args, env);
        eprintln!("aicoder sandbox: {err}");
        // SAFETY: leave without running the parent's atexit handlers.
        unsafe {
            libc::_exit(match err {
                SetupError::Exec { .. } => 127,
                _ => SETUP_FAILED,
            })
        };
    }
    let socket = spec.proxy_socket.clone();
    // No thread when the proxy serves the listener itself (one clone
    // fewer before the command's result).
    let forward = listener.is_some();
    if forward {
        std::thread::spawn(move || {
            for conn in listener.iter().flat_map(|l| l.incoming()).flatten() {
                let socket = socket.clone();
                std::thread::spawn(move || {
                    if let Ok(up) = UnixStream::connect(&socket) {
                        splice_tcp_unix(conn, up);
                    }
                });
            }
        });
    }
    if let Some(dir) = spec.proxy_socket.parent() {
        for port in &spec.listen {
            publish(dir, *port);
        }
    }
    loop {
        let mut status = 0;
        // SAFETY: waitpid on any child (PID 1 reaps orphans too).
        let r = unsafe { libc::waitpid(-1, &mut status, 0) };
        if r == child {
            return decode(status);
        }
        if r == -1 && errno().raw_os_error() == Some(libc::ECHILD) {
            return SETUP_FAILED;
        }
    }
}

/// Give the proxy our listener on the proxy port (see proxy.rs) and wait
/// for its acknowledgement, so the command's first connection is served.
fn hand_over(listener: &TcpListener, proxy_socket: &Path, token: &str) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    let conn = UnixStream::connect(crate::proxy::handoff_path(proxy_socket))?;
    (&conn).write_all(token.as_bytes())?;
    crate::pump::send_fd(&conn, listener.as_raw_fd())?;
    let mut ack = [0u8; 1];
    (&conn).read_exact(&mut ack)?;
    Ok(())
}

/// Serve `dir/publish-PORT.sock`: each connection reaches `127.0.0.1:PORT`
/// inside (the host side listens on its own loopback and connects here).
fn publish(dir: &Path, port: u16) {
    let path = dir.join(format!("publish-{port}.sock"));
    let Ok(listener) = UnixListener::bind(&path) else {
        return;
    };
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            std::thread::spawn(move || {
                if let Ok(inside) = TcpStream::connect(("127.0.0.1", port)) {
                    splice_tcp_unix(inside, conn);
                }
            });
        }
    });
}

/// Copy both ways between a TCP and a Unix stream until both sides closed.
pub(crate) fn splice_tcp_unix(tcp: TcpStream, unix: UnixStream) {
    let (Ok(tcp2), Ok(unix2)) = (tcp.try_clone(), unix.try_clone()) else {
        return;
    };
    let back = std::thread::spawn(move || {
        let mut tcp2 = tcp2;
        crate::pump::pump(&mut { unix2 }, &mut tcp2);
        let _ = tcp2.shutdown(Shutdown::Write);
    });
    let (mut tcp, mut unix) = (tcp, unix);
    crate::pump::pump(&mut tcp, &mut unix);
    let _ = unix.shutdown(Shutdown::Write);
    let _ = back.join();
}

/// In the command's process: Landlock for writes, no capabilities, the
/// seccomp filter (seccomp.rs), exec.
/// Returns only on failure, with why.
fn exec_confined(spec: &LaunchSpec, program: &OsStr, args: &[OsString], env: Env) -> SetupError {
    // SAFETY: prctl with integer arguments.
    unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) };
    if let Err(e) = std::env::set_current_dir(&spec.cwd) {
        return SetupError::os(format!("cannot enter {}", spec.cwd.display()), e);
    }
    if let Err(e) = landlock_writes(&spec.writable) {
        return e;
    }
    drop_capabilities();
    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    if let Err(e) = crate::seccomp::install() {
        return e;
    }
    let mut command = std::process::Command::new(program);
    command.args(args);
    if let Some(env) = env {
        command.env_clear().envs(env.iter().map(|(k, v)| (k, v)));
    }
    SetupError::Exec {
        program: program.to_string_lossy().into_owned(),
        source: command.exec(),
    }
}

/// Writes only beneath `writable` and to `/dev/null`; reads and execution
/// everywhere (what is hidden was mounted over before).
fn landlock_writes(writable: &[std::path::PathBuf]) -> Result<(), SetupError> {
    use landlock::{
        Access, AccessFs, CompatLevel, Compatible, PathBeneath, PathFd, Ruleset, RulesetAttr,
        RulesetCreatedAttr, RulesetStatus, ABI,
    };
    let abi = ABI::V3;
    let fail = |e: &dyn std::fmt::Display| SetupError::Landlock(e.to_string());
    let mut ruleset = Ruleset::default()
        .set_compatibility(CompatLevel::BestEffort)
        .handle_access(AccessFs::from_all(abi))
        .and_then(|r| r.create())
        .map_err(|e| fail(&e))?
        .add_rule(PathBeneath::new(
            PathFd::new("/").map_err(|e| fail(&e))?,
            AccessFs::from_read(abi),
        ))
        .map_err(|e| fail(&e))?;
    for dir in writable {
        if let Ok(fd) = PathFd::new(dir) {
            ruleset = ruleset
                .add_rule(PathBeneath::new(fd, AccessFs::from_all(abi)))
                .map_err(|e| fail(&e))?;
        }
    }
    for dev in ["/dev/null", "/dev/zero", "/dev/full", "/dev/tty"] {
        if let Ok(fd) = PathFd::new(dev) {
            ruleset = ruleset
                .add_rule(PathBeneath::new(fd, AccessFs::from_file(abi)))
                .map_err(|e| fail(&e))?;
        }
    }
    match ruleset.restrict_self() {
        Ok(status) if status.ruleset != RulesetStatus::NotEnforced => Ok(()),
        Ok(_) => Err(SetupError::LandlockNotEnforced),
        Err(e) => Err(fail(&e)),
    }
}

/// Drop every capability (bounding, ambient, effective, permitted,
/// inheritable): root inside the user namespace keeps no power over it.
fn drop_capabilities() {
    // SAFETY: prctl and capset with integer arguments and local structs.
    unsafe {
        libc::prctl(
            libc::PR_CAP_AMBIENT,
            libc::PR_CAP_AMBIENT_CLEAR_ALL,
            0,
            0,
            0,
        );
        for cap in 0..64 {
            libc::prctl(libc::PR_CAPBSET_DROP, cap, 0, 0, 0);
        }
        #[repr(C)]
        struct Header {
            version: u32,
            pid: i32,
        }
        #[repr(C)]
        #[derive(Clone, Copy)]
        struct Data {
            effective: u32,
            permitted: u32,
            inheritable: u32,
        }
        let header = Header {
            version: 0x2008_0522, // _LINUX_CAPABILITY_VERSION_3
            pid: 0,
        };
        let data = [Data {
            effective: 0,
            permitted: 0,
            inheritable: 0,
        }; 2];
        libc::syscall(libc::SYS_capset, &header, data.as_ptr());
    }
}

/// Whether the namespaces can be made here (tried in a forked child that
/// only makes system calls before `_exit`).
pub(crate) fn namespaces_work() -> bool {
    // SAFETY: the child only calls unshare and _exit (async-signal-safe).
    unsafe {
        match libc::fork() {
            -1 => false,
            0 => {
                let user = libc::unshare(libc::CLONE_NEWUSER) == 0;
                let ok = (user || libc::geteuid() == 0)
                    && libc::unshare(libc::CLONE_NEWNS | libc::CLONE_NEWNET | libc::CLONE_NEWPID)
                        == 0;
                libc::_exit(if ok { 0 } else { 1 })
            }
            pid => {
                let mut status = 0;
                libc::waitpid(pid, &mut status, 0) == pid
                    && libc::WIFEXITED(status)
                    && libc::WEXITSTATUS(status) == 0
            }
        }
    }
}

/// The Landlock ABI version the kernel offers (0: none).
pub(crate) fn landlock_abi() -> i32 {
    const LANDLOCK_CREATE_RULESET_VERSION: libc::c_ulong = 1;
    // SAFETY: the version query takes a null attribute and size 0.
    let v = unsafe {
        libc::syscall(
            libc::SYS_landlock_create_ruleset,
            std::ptr::null::<u8>(),
            0usize,
            LANDLOCK_CREATE_RULESET_VERSION,
        )
    };
    i32::try_from(v).unwrap_or(0).max(0)
}
