//! Windows specifics: attaching the command line to the console it was typed in, and
//! reading the data folder the installer (IT) set for all users of a counter PC, and
//! the free space of a disk; scanning through TWAIN (`twain`).
#![allow(unsafe_code)] // a few Win32 calls, each with its safety argument.

#[cfg(feature = "desk")]
pub mod twain;

use std::path::PathBuf;
use std::ptr::null_mut;

use windows_sys::Win32::System::Console::{
    ATTACH_PARENT_PROCESS, AttachConsole, GetStdHandle, STD_ERROR_HANDLE, STD_OUTPUT_HANDLE,
};
use windows_sys::Win32::System::Registry::{HKEY_LOCAL_MACHINE, RRF_RT_REG_SZ, RegGetValueW};

/// Registry key and value the installer writes when IT chooses a shared data folder.
pub const REGISTRY_KEY: &str = r"Software\motcua";
pub const REGISTRY_DATA_DIR: &str = "DataDir";

/// A GUI-subsystem program starts without standard handles. When started from a
/// console, write there; when output is redirected (pipe, file) the inherited handles
/// are kept. Rust's standard output writes UTF-16 to a console, so Vietnamese shows
/// correctly whatever the console's code page.
pub fn attach_parent_console() {
    // SAFETY: GetStdHandle has no preconditions; a null or INVALID handle means none.
    let missing = |which| unsafe {
        let h = GetStdHandle(which);
        h.is_null() || h as isize == -1
    };
    if missing(STD_OUTPUT_HANDLE) && missing(STD_ERROR_HANDLE) {
        // SAFETY: fails harmlessly when the parent has no console (started from
        // Explorer or a shortcut): then there is nothing to write to anyway.
        unsafe { AttachConsole(ATTACH_PARENT_PROCESS) };
    }
}

fn wide(s: &str) -> Vec<u16> {
    s.encode_utf16().chain(Some(0)).collect()
}

/// `HKLM\Software\motcua\DataDir`, when set and not empty.
pub fn data_dir_from_registry() -> Option<PathBuf> {
    let (key, value) = (wide(REGISTRY_KEY), wide(REGISTRY_DATA_DIR));
    let mut bytes = 0u32;
    // SAFETY: a size query; the key and value names are NUL-terminated.
    let rc = unsafe {
        RegGetValueW(
            HKEY_LOCAL_MACHINE,
            key.as_ptr(),
            value.as_ptr(),
            RRF_RT_REG_SZ,
            null_mut(),
            null_mut(),
            &mut bytes,
        )
    };
    if rc != 0 || bytes < 2 {
        return None;
    }
    let mut buf = vec![0u16; (bytes as usize).div_ceil(2)];
    // SAFETY: `buf` holds `bytes` bytes.
    let rc = unsafe {
        RegGetValueW(
            HKEY_LOCAL_MACHINE,
            key.as_ptr(),
            value.as_ptr(),
            RRF_RT_REG_SZ,
            null_mut(),
            buf.as_mut_ptr().cast(),
            &mut bytes,
        )
    };
    if rc != 0 {
        return None;
    }
    let len = buf.iter().position(|&u| u == 0).unwrap_or(buf.len());
    let dir = String::from_utf16_lossy(&buf[..len]);
    let dir = dir.trim();
    (!dir.is_empty()).then(|| PathBuf::from(dir))
}

/// Free bytes available to this user and total bytes of the volume holding `dir`.
pub fn disk_space(dir: &std::path::Path) -> std::io::Result<(u64, u64)> {
    use std::os::windows::ffi::OsStrExt;
    use windows_sys::Win32::Storage::FileSystem::GetDiskFreeSpaceExW;
    let path: Vec<u16> = dir.as_os_str().encode_wide().chain(Some(0)).collect();
    let (mut available, mut total) = (0u64, 0u64);
    // SAFETY: `path` is NUL-terminated; the out pointers are valid u64s; the third
    // may be null.
    let ok = unsafe { GetDiskFreeSpaceExW(path.as_ptr(), &mut available, &mut total, null_mut()) };
    if ok == 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok((available, total))
}
