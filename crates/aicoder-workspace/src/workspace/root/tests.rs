use super::*;
use std::os::unix::fs::{symlink, PermissionsExt};

struct Fixture {
    _dir: tempfile::TempDir,
    base: PathBuf,
    root: WorkspaceRoot,
}

/// `<tmp>/work` is the root, `<tmp>/outside/secret` is out of reach,
/// `<tmp>/work/.aicoder/audit.jsonl` and `<tmp>/config/aicoder` are aicoder's.
fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = dir.path().canonicalize().expect("canonical");
    std::fs::create_dir_all(base.join("work/.aicoder")).expect("mkdir");
    std::fs::create_dir_all(base.join("outside")).expect("mkdir");
    std::fs::write(base.join("outside/secret"), "secret").expect("secret");
    std::fs::write(base.join("work/.aicoder/audit.jsonl"), "log").expect("log");
    std::fs::write(base.join("work/inside.txt"), "inside").expect("inside");
    let protected = vec![
        base.join("work/.aicoder"),
        base.join("work/home/.config/aicoder"),
    ];
    let root = WorkspaceRoot::open(&base.join("work"), protected).expect("root");
    Fixture {
        _dir: dir,
        base,
        root,
    }
}

fn rel(s: &str) -> PathBuf {
    PathBuf::from(s)
}

#[test]
fn reads_writes_and_lists_inside() {
    let f = fixture();
    assert_eq!(
        f.root.read_bounded(&rel("inside.txt"), 100).expect("read"),
        b"inside"
    );
    f.root
        .write_atomic(&rel("a/b/new.txt"), b"new")
        .expect("write");
    assert_eq!(
        std::fs::read(f.base.join("work/a/b/new.txt")).expect("on disk"),
        b"new"
    );
    symlink("a/b/new.txt", f.base.join("work/link")).expect("symlink");
    assert_eq!(
        f.root.read_bounded(&rel("link"), 100).expect("via link"),
        b"new"
    );
    f.root
        .write_atomic(&rel("link"), b"through")
        .expect("write via link");
    assert!(
        f.base.join("work/link").is_symlink(),
        "the link stays a link"
    );
    assert_eq!(
        std::fs::read(f.base.join("work/a/b/new.txt")).expect("on disk"),
        b"through"
    );
    assert_eq!(
        f.root
            .read_bounded(&rel("a/../inside.txt"), 100)
            .expect("dotdot"),
        b"inside"
    );
    let names: Vec<String> = f
        .root
        .list_dir(&rel("a/b"))
        .expect("ls")
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(names, ["new.txt"]);
    assert!(f.root.metadata(&rel("a")).expect("meta").is_dir());
    let abs = f.base.join("work/inside.txt").display().to_string();
    assert_eq!(
        f.root.relative(&f.base.join("work"), &abs).expect("abs"),
        rel("inside.txt")
    );
    assert_eq!(
        f.root.relative(&f.base.join("work/a"), "x").expect("rel"),
        rel("a/x")
    );
    let leftovers = std::fs::read_dir(f.base.join("work/a/b"))
        .expect("ls")
        .count();
    assert_eq!(leftovers, 1, "no temporary file is left behind");
}

#[test]
fn write_keeps_the_owner_where_permitted() {
    use std::os::unix::fs::MetadataExt;
    let f = fixture();
    let file = f.base.join("work/theirs.txt");
    std::fs::write(&file, "old").expect("file");
    // Giving a file away needs root; as another user the same chown is
    // refused and the file stays ours, which is all this can check.
    let given_away = std::os::unix::fs::chown(&file, Some(4321), Some(4321)).is_ok();
    let before = std::fs::metadata(&file).expect("meta");
    f.root
        .write_atomic(&rel("theirs.txt"), b"new")
        .expect("write");
    let after = std::fs::metadata(&file).expect("meta");
    assert_eq!(std::fs::read(&file).expect("read"), b"new");
    assert_eq!((after.uid(), after.gid()), (before.uid(), before.gid()));
    if given_away {
        assert_eq!((after.uid(), after.gid()), (4321, 4321));
    }
}

#[test]
fn write_keeps_an_existing_mode_and_new_files_honour_the_umask() {
    let f = fixture();
    let script = f.base.join("work/run.sh");
    std::fs::write(&script, "old").expect("script");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o750)).expect("chmod");
    f.root.write_atomic(&rel("run.sh"), b"new").expect("write");
    let mode = std::fs::metadata(&script)
        .expect("meta")
        .permissions()
        .mode()
        & 0o7777;
    assert_eq!(mode, 0o750);
    f.root.write_atomic(&rel("fresh.txt"), b"x").expect("write");
    let mode = std::fs::metadata(f.base.join("work/fresh.txt"))
        .expect("meta")
        .permissions()
        .mode()
        & 0o777;
    // SAFETY-free way to learn the umask: a file std creates gets the same.
    std::fs::write(f.base.join("work/probe"), "").expect("probe");
    let expected = std::fs::metadata(f.base.join("work/probe"))
        .expect("meta")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, expected);
}

#[test]
fn every_way_out_is_refused() {
    let f = fixture();
    let work = f.base.join("work");
    symlink(f.base.join("outside"), work.join("abs_dir")).expect("symlink");
    symlink(f.base.join("outside/secret"), work.join("abs_file")).expect("symlink");
    symlink("../outside", work.join("rel_dir")).expect("symlink");
    symlink("../outside/secret", work.join("rel_file")).expect("symlink");
    symlink(f.base.join("outside/new"), work.join("dangling")).expect("symlink");
    symlink("/proc/self", work.join("proc")).expect("symlink");
    std::fs::create_dir(work.join("sub")).expect("mkdir");
    symlink("../../outside", work.join("sub/up")).expect("symlink");
    for bad in [
        "../outside/secret",
        "abs_dir/secret",
        "abs_file",
        "rel_dir/secret",
        "rel_file",
        "sub/up/secret",
        "sub/../../outside/secret",
        "proc/environ",
        "..",
    ] {
        let err = f.root.read_bounded(&rel(bad), 1000).expect_err(bad);
        assert!(
            matches!(
                err,
                WorkspaceError::Outside { .. } | WorkspaceError::IsDir { .. }
            ),
            "{bad}: {err}"
        );
        assert!(f.root.list_dir(&rel(bad)).is_err(), "{bad}");
    }
    for bad in [
        "dangling",
        "abs_dir/new",
        "rel_dir/new",
        "sub/up/new",
        "../outside/new",
    ] {
        let err = f.root.write_atomic(&rel(bad), b"x").expect_err(bad);
        assert!(
            matches!(err, WorkspaceError::Outside { .. }),
            "{bad}: {err}"
        );
    }
    assert_eq!(
        std::fs::read_dir(f.base.join("outside"))
            .expect("ls")
            .count(),
        1
    );
    assert!(matches!(
        f.root.relative(&work, "/etc/passwd"),
        Err(WorkspaceError::Outside { .. })
    ));
    assert!(matches!(
        f.root.relative(&f.base, "x"),
        Err(WorkspaceError::CwdOutside { .. })
    ));
    assert!(f.root.relative(&work, "a\0b").is_err());
    let sneaky = format!("{}/sub/../../outside/secret", work.display());
    assert!(matches!(
        f.root.relative(&work, &sneaky),
        Err(WorkspaceError::Outside { .. })
    ));
}

#[test]
fn aicoders_own_folders_are_refused_by_identity() {
    let f = fixture();
    let work = f.base.join("work");
    symlink(".aicoder", work.join("sneaky")).expect("symlink");
    symlink(".aicoder/audit.jsonl", work.join("sneaky_file")).expect("symlink");
    std::fs::create_dir(work.join("sub")).expect("mkdir");
    symlink("..", work.join("sub/parent")).expect("symlink");
    for path in [
        ".aicoder/audit.jsonl",
        "./.aicoder/../.aicoder/audit.jsonl",
        "sneaky/audit.jsonl",
        "sneaky_file",
        "sub/parent/.aicoder/audit.jsonl",
        ".aicoder",
        "sneaky",
    ] {
        let err = f.root.read_bounded(&rel(path), 1000).expect_err(path);
        assert!(
            matches!(err, WorkspaceError::Protected { .. }),
            "{path}: {err}"
        );
        assert!(err.to_string().contains("aicoder's own folder"), "{err}");
        let err = f.root.write_atomic(&rel(path), b"").expect_err(path);
        assert!(
            matches!(err, WorkspaceError::Protected { .. }),
            "{path}: {err}"
        );
        assert!(f.root.metadata(&rel(path)).is_err(), "{path}");
    }
    for dir in [".aicoder", "sneaky", "sub/parent/.aicoder"] {
        assert!(
            matches!(
                f.root.list_dir(&rel(dir)),
                Err(WorkspaceError::Protected { .. })
            ),
            "{dir}"
        );
        assert!(f.root.check_dir(&rel(dir)).is_err(), "{dir}");
    }
    assert_eq!(
        std::fs::read(work.join(".aicoder/audit.jsonl")).expect("log"),
        b"log"
    );
    // A protected folder that does not exist yet cannot be created, by any spelling.
    std::fs::create_dir_all(work.join("home/.config")).expect("mkdir");
    symlink("home/.config", work.join("cfg")).expect("symlink");
    for path in [
        "home/.config/aicoder/grants.json",
        "cfg/aicoder/grants.json",
        "cfg/aicoder",
    ] {
        let err = f.root.write_atomic(&rel(path), b"{}").expect_err(path);
        assert!(
            matches!(err, WorkspaceError::Protected { .. }),
            "{path}: {err}"
        );
    }
    assert!(!work.join("home/.config/aicoder").exists());
    std::fs::remove_dir_all(work.join(".aicoder")).expect("rm");
    let err = f
        .root
        .write_atomic(&rel(".aicoder/audit.jsonl"), b"forged")
        .expect_err("absent .aicoder");
    assert!(matches!(err, WorkspaceError::Protected { .. }), "{err}");
    assert!(!work.join(".aicoder").exists());
}

#[test]
fn fifos_sockets_and_big_files_are_refused_without_blocking() {
    let f = fixture();
    let work = f.base.join("work");
    rfs::mkfifoat(rfs::CWD, work.join("pipe"), Mode::from_raw_mode(0o600)).expect("mkfifo");
    let _socket = std::os::unix::net::UnixListener::bind(work.join("sock")).expect("socket");
    symlink("pipe", work.join("pipe_link")).expect("symlink");
    for path in ["pipe", "sock", "pipe_link"] {
        let err = f.root.read_bounded(&rel(path), 1000).expect_err(path);
        assert!(
            matches!(err, WorkspaceError::NotRegular { .. }),
            "{path}: {err}"
        );
        assert!(f.root.write_atomic(&rel(path), b"x").is_err(), "{path}");
    }
    std::fs::write(work.join("big"), vec![b'x'; 2000]).expect("big");
    assert!(matches!(
        f.root.read_bounded(&rel("big"), 1000),
        Err(WorkspaceError::TooLarge {
            size: 2000,
            max: 1000,
            ..
        })
    ));
    assert!(matches!(
        f.root.read_bounded(&rel("."), 1000),
        Err(WorkspaceError::IsDir { .. })
    ));
}

#[test]
fn proc_sys_and_dev_are_never_roots() {
    for never in ["/proc", "/proc/self", "/sys", "/dev"] {
        assert!(
            matches!(
                WorkspaceRoot::open(Path::new(never), Vec::new()),
                Err(WorkspaceError::BadRoot { .. })
            ),
            "{never}"
        );
    }
}

/// A second thread swaps a folder for a symlink to outside, over and
/// over, while reads go through it: none may ever see the secret.
#[test]
fn a_folder_swapped_for_a_symlink_never_leads_out() {
    let f = fixture();
    let work = f.base.join("work");
    let outside = f.base.join("outside");
    std::fs::create_dir(work.join("d")).expect("mkdir");
    std::fs::write(work.join("d/secret"), "inside").expect("file");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let swapper = {
        let (stop, work, outside) = (stop.clone(), work.clone(), outside.clone());
        std::thread::spawn(move || {
            let mut swaps = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let _ = std::fs::rename(work.join("d"), work.join("d_real"));
                let _ = symlink(&outside, work.join("d"));
                let _ = std::fs::remove_file(work.join("d"));
                let _ = std::fs::rename(work.join("d_real"), work.join("d"));
                swaps += 1;
            }
            swaps
        })
    };
    let (mut inside, mut escapes) = (0, 0);
    for _ in 0..20_000 {
        match f.root.read_bounded(&rel("d/secret"), 100) {
            Ok(bytes) if bytes == b"secret" => escapes += 1,
            Ok(_) => inside += 1,
            Err(_) => {}
        }
    }
    stop.store(true, Ordering::Relaxed);
    let swaps = swapper.join().expect("swapper");
    assert_eq!(escapes, 0);
    assert!(
        swaps > 0 && inside > 0,
        "the race ran ({swaps} swaps, {inside} reads inside)"
    );
}
