//! The `aicoder` binary: everything lives in the library; see `cli::run`.

fn main() -> std::process::ExitCode {
    aicoder::cli::run()
}
