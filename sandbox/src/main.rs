//! `aicoder-sandbox`: run one command confined, from the command line (the
//! crate's tests and the srt comparison use it; aicoder itself calls the
//! library).
//!
//! ```text
//! aicoder-sandbox [--root DIR] [--write DIR]... [--deny PATH]... [--no-default-deny]
//!                 [--allow HOST[:PORT]]... [--listen PORT]... -- PROGRAM [ARGS]...
//! ```
//! Refusals of the proxy are printed on stderr as `aicoder-sandbox: refused HOST:PORT: why`.

use aicoder_sandbox::{confine, default_deny_read, HostRule, Policy};
use anyhow::Context;
use std::ffi::OsString;
use std::path::PathBuf;

fn main() {
    aicoder_sandbox::launch_if_requested();
    match run() {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("aicoder-sandbox: {e:#}");
            std::process::exit(125);
        }
    }
}

fn run() -> anyhow::Result<i32> {
    let mut args = std::env::args_os().skip(1);
    let mut policy = Policy {
        root: std::env::current_dir()?,
        ..Policy::default()
    };
    let mut default_deny = true;
    let mut command: Vec<OsString> = Vec::new();
    let value = |args: &mut dyn Iterator<Item = OsString>, flag: &str| {
        args.next()
            .ok_or_else(|| anyhow::anyhow!("{flag} needs a value"))
    };
    while let Some(arg) = args.next() {
        match arg.to_str().unwrap_or("") {
            "--root" => policy.root = PathBuf::from(value(&mut args, "--root")?),
            "--write" => policy.writable.push(value(&mut args, "--write")?.into()),
            "--deny" => policy.deny_read.push(value(&mut args, "--deny")?.into()),
            "--no-default-deny" => default_deny = false,
            "--allow" => {
                let v = value(&mut args, "--allow")?;
                let rule = HostRule::parse(&v.to_string_lossy())?;
                policy.net.allow.push(rule);
            }
            "--listen" => {
                let v = value(&mut args, "--listen")?;
                let port = v
                    .to_string_lossy()
                    .parse()
                    .map_err(|_| anyhow::anyhow!("--listen needs a port"))?;
                policy.listen.push(port);
            }
            "--" => {
                command.extend(args.by_ref());
            }
            _ => {
                command.push(arg);
                command.extend(args.by_ref());
            }
        }
    }
    if default_deny {
        policy.deny_read.push(policy.root.join(".aicoder"));
        if let Some(home) = std::env::var_os("HOME") {
            policy
                .deny_read
                .extend(default_deny_read(&PathBuf::from(home)));
        }
    }
    let Some((program, rest)) = command.split_first() else {
        anyhow::bail!("no command given (aicoder-sandbox [options] -- PROGRAM [ARGS]...)");
    };
    let support = aicoder_sandbox::probe();
    if let Some(missing) = support.missing() {
        anyhow::bail!("not supported here: {missing}");
    }
    let cwd = std::env::current_dir()?;
    let mut confined = confine(&policy, program, rest, &cwd)?;
    let status = confined.command.status().context("starting the launcher")?;
    for refusal in confined.guard.refusals() {
        eprintln!(
            "aicoder-sandbox: refused {}:{}: {}",
            refusal.host, refusal.port, refusal.reason
        );
    }
    Ok(status.code().unwrap_or(128))
}
