//! The `aicoder` binary: everything lives in the library; see `cli::run`.

fn main() -> std::process::ExitCode {
    // A confined command is started by re-executing this binary: that run
    // becomes the sandbox launcher here (and never returns).
    aicoder_sandbox::launch_if_requested();
    aicoder::cli::run()
}
