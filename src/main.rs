//! `motcua`: the desk program. With no arguments it runs the desk on its embedded
//! default (local SQLite in the user's data directory); subcommands do headless work.
// On Windows a GUI program, so no console window opens beside the counter window;
// the command line attaches to the console it was typed in (`platform`).
#![cfg_attr(windows, windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    motcua::platform::init_process();
    motcua::cli::run(std::env::args_os())
}
