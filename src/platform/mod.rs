//! What differs between the operating systems the desk runs on, kept out of the
//! rest of the program: the Windows console and the data folder IT may choose
//! (`windows`), and the renderer fallback of the counter window (`renderer`).

#[cfg(feature = "desk")]
pub mod renderer;
#[cfg(windows)]
pub mod windows;

/// Called first thing in `main`: on Windows the program is a GUI program (no console
/// window opens for the clerk), so a command typed in cmd.exe or PowerShell writes to
/// that console by attaching to it.
pub fn init_process() {
    #[cfg(windows)]
    windows::attach_parent_console();
}

/// A data folder chosen by IT for every user of the PC (on Windows the installer's
/// `DataDir` registry value); `None` means the user's own application data folder.
pub fn data_dir_override() -> Option<std::path::PathBuf> {
    #[cfg(windows)]
    {
        windows::data_dir_from_registry()
    }
    #[cfg(not(windows))]
    {
        None
    }
}
