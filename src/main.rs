//! `motcua`: the desk program. With no arguments it runs the desk on its embedded
//! default (local SQLite in the user's data directory); subcommands do headless work.

fn main() -> std::process::ExitCode {
    motcua::cli::run(std::env::args_os())
}
