//! A seccomp filter for the confined command (installed last, just before
//! `exec`): system calls that widen the kernel's attack surface or undo the
//! sandbox fail with `EPERM`, everything else is allowed.
//!
//! Refused: new user namespaces (`unshare`/`clone` with `CLONE_NEWUSER`;
//! `clone3` answers `ENOSYS`, as Docker's profile does, because its flags
//! sit in memory a filter cannot read, so libc falls back to `clone`),
//! `setns`, io_uring, the kernel keyring (`keyctl`, `add_key`,
//! `request_key`), `bpf`, `perf_event_open`, `userfaultfd`, module and
//! kexec loading, `mount`/`umount2`/`pivot_root`/`open_by_handle_at`, swap
//! and `reboot`. A foreign system-call ABI (x32, or 32-bit calls on a
//! 64-bit kernel) kills the process.
//!
//! Hand-built classic BPF (a dozen instructions per rule kind) rather than
//! a crate: the filter is small and fixed.

use crate::setup_error::SetupError;

/// The audit architecture of this build.
#[cfg(target_arch = "x86_64")]
const ARCH: u32 = 0xC000_003E;
#[cfg(target_arch = "aarch64")]
const ARCH: u32 = 0xC000_00B7;

const LD_W_ABS: u16 = 0x20;
const JEQ_K: u16 = 0x15;
const JGE_K: u16 = 0x35;
const JSET_K: u16 = 0x45;
const RET_K: u16 = 0x06;

const RET_ALLOW: u32 = 0x7fff_0000;
const RET_ERRNO: u32 = 0x0005_0000;
const RET_KILL_PROCESS: u32 = 0x8000_0000;

/// Offsets in `struct seccomp_data`.
const NR: u32 = 0;
const ARCH_OFFSET: u32 = 4;
/// The low 32 bits of `args[0]` (little-endian).
const ARG0_LOW: u32 = 16;

/// x32 system calls carry this bit in their number.
const X32_BIT: u32 = 0x4000_0000;

fn stmt(code: u16, k: u32) -> libc::sock_filter {
    libc::sock_filter {
        code,
        jt: 0,
        jf: 0,
        k,
    }
}

fn jump(code: u16, k: u32, jt: u8, jf: u8) -> libc::sock_filter {
    libc::sock_filter { code, jt, jf, k }
}

/// The system calls refused outright (`EPERM`).
fn refused() -> Vec<libc::c_long> {
    vec![
        libc::SYS_setns,
        libc::SYS_io_uring_setup,
        libc::SYS_io_uring_enter,
        libc::SYS_io_uring_register,
        libc::SYS_keyctl,
        libc::SYS_add_key,
        libc::SYS_request_key,
        libc::SYS_bpf,
        libc::SYS_perf_event_open,
        libc::SYS_userfaultfd,
        libc::SYS_init_module,
        libc::SYS_finit_module,
        libc::SYS_delete_module,
        libc::SYS_kexec_load,
        libc::SYS_kexec_file_load,
        libc::SYS_mount,
        libc::SYS_umount2,
        libc::SYS_pivot_root,
        libc::SYS_open_by_handle_at,
        libc::SYS_swapon,
        libc::SYS_swapoff,
        libc::SYS_reboot,
        libc::SYS_fsopen,
        libc::SYS_fsmount,
        libc::SYS_move_mount,
        libc::SYS_open_tree,
    ]
}

/// The filter program.
fn program() -> Vec<libc::sock_filter> {
    let eperm = RET_ERRNO | libc::EPERM as u32;
    let mut p = vec![
        stmt(LD_W_ABS, ARCH_OFFSET),
        jump(JEQ_K, ARCH, 1, 0),
        stmt(RET_K, RET_KILL_PROCESS),
        stmt(LD_W_ABS, NR),
        jump(JGE_K, X32_BIT, 0, 1),
        stmt(RET_K, RET_KILL_PROCESS),
    ];
    for nr in refused() {
        p.push(jump(JEQ_K, nr as u32, 0, 1));
        p.push(stmt(RET_K, eperm));
    }
    p.push(jump(JEQ_K, libc::SYS_clone3 as u32, 0, 1));
    p.push(stmt(RET_K, RET_ERRNO | libc::ENOSYS as u32));
    // unshare(flags) and clone(flags, ...): refused with CLONE_NEWUSER.
    for nr in [libc::SYS_unshare, libc::SYS_clone] {
        p.push(jump(JEQ_K, nr as u32, 0, 4));
        p.push(stmt(LD_W_ABS, ARG0_LOW));
        p.push(jump(JSET_K, libc::CLONE_NEWUSER as u32, 0, 1));
        p.push(stmt(RET_K, eperm));
        p.push(stmt(RET_K, RET_ALLOW));
    }
    p.push(stmt(RET_K, RET_ALLOW));
    p
}

/// Install the filter on this thread (and what it execs). Sets
/// `no_new_privs` first, as the kernel requires of unprivileged callers.
pub(crate) fn install() -> Result<(), SetupError> {
    let mut filter = program();
    let prog = libc::sock_fprog {
        len: u16::try_from(filter.len()).map_err(|_| SetupError::FilterTooLong)?,
        filter: filter.as_mut_ptr(),
    };
    // SAFETY: prctl with integer arguments, then with a pointer to `prog`,
    // which (with the instructions it points to) lives across the call.
    unsafe {
        if libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 {
            return Err(SetupError::errno("seccomp: no_new_privs"));
        }
        if libc::prctl(
            libc::PR_SET_SECCOMP,
            libc::SECCOMP_MODE_FILTER,
            &prog as *const libc::sock_fprog,
        ) != 0
        {
            return Err(SetupError::errno("seccomp: installing the filter"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_jump_lands_inside_the_program() {
        let p = program();
        for (i, ins) in p.iter().enumerate() {
            if ins.code & 0x07 == 0x05 {
                assert!(i + 1 + usize::from(ins.jt) < p.len(), "jt at {i}");
                assert!(i + 1 + usize::from(ins.jf) < p.len(), "jf at {i}");
            }
        }
        assert_eq!(p.last().map(|i| i.k), Some(RET_ALLOW));
    }
}
