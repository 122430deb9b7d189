//! `motcua-centre`: the centre server and its operators' commands (see `centre::cli`).

fn main() -> std::process::ExitCode {
    motcua::centre::cli::main()
}
