//! The Windows desk carries its icon and a version resource, so Explorer, Task Manager
//! and Apps & features show "motcua" and its version. Only when the target is Windows:
//! for Linux builds this script does nothing (the `winresource` crate is built without
//! its `toml` feature, so it costs a second of build time there).

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=assets/windows/motcua.ico");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let mut res = winresource::WindowsResource::new();
    // Vietnamese (Vietnam); FileVersion and ProductVersion (string and numeric) come
    // from Cargo.toml's version through winresource.
    res.set_language(0x042A)
        .set_icon("assets/windows/motcua.ico")
        .set("ProductName", "motcua")
        .set("FileDescription", "Một cửa")
        .set("CompanyName", "motcua")
        .set("InternalName", "motcua")
        .set("OriginalFilename", "motcua.exe")
        .set("LegalCopyright", "MIT")
        .set(
            "Comments",
            "Phần mềm tiếp nhận và trả kết quả hồ sơ một cửa cấp phường, xã",
        )
        .set("FileVersion", &version)
        .set("ProductVersion", &version);
    // Only the desk program: `motcua-centre` is not built for Windows, and tests and
    // benches need no icon.
    if let Err(e) = res.compile_for("motcua") {
        // A broken Windows build must say why: windres comes with the MinGW cross
        // compiler (Debian: gcc-mingw-w64-x86-64), installed by .ci/windows.
        panic!(
            "the Windows resource (icon, version) could not be compiled: {e}; \
             install x86_64-w64-mingw32-windres (apt-get install binutils-mingw-w64-x86-64)"
        );
    }
}
