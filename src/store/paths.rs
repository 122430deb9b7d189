//! Where a desk keeps its files: the database, its backups and printed forms.

use std::path::{Path, PathBuf};

use crate::store::error::{Result, StoreError};

pub const DB_FILE: &str = "motcua.sqlite";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataPaths {
    pub dir: PathBuf,
    pub db: PathBuf,
    pub backups: PathBuf,
    pub prints: PathBuf,
    /// Digitised documents, each stored once under its SHA-256 (owner-only).
    pub files: PathBuf,
}

impl DataPaths {
    pub fn in_dir(dir: impl AsRef<Path>) -> DataPaths {
        let dir = dir.as_ref().to_path_buf();
        DataPaths {
            db: dir.join(DB_FILE),
            backups: dir.join("backups"),
            prints: dir.join("prints"),
            files: dir.join("files"),
            dir,
        }
    }

    /// The platform's per-user data directory (e.g. `~/.local/share/motcua`).
    /// On Windows `%APPDATA%\motcua\motcua\data`, unless IT chose a shared folder.
    pub fn platform_default() -> Result<DataPaths> {
        if let Some(dir) = crate::platform::data_dir_override() {
            return Ok(DataPaths::in_dir(dir));
        }
        let dirs = directories::ProjectDirs::from("vn", "motcua", "motcua").ok_or_else(|| {
            StoreError::DataDir {
                path: PathBuf::from("~"),
                reason: "không xác định được thư mục dữ liệu của người dùng; dùng --data-dir"
                    .into(),
            }
        })?;
        Ok(DataPaths::in_dir(dirs.data_dir()))
    }

    /// Creates the directories, owner-only: they hold citizens' personal data.
    pub fn ensure_dirs(&self) -> Result<()> {
        for d in [&self.dir, &self.backups, &self.files] {
            std::fs::create_dir_all(d).map_err(|e| StoreError::io(d, e))?;
            set_mode(d, 0o700)?;
        }
        Ok(())
    }

    pub fn restrict_file_permissions(&self) -> Result<()> {
        if self.db.exists() {
            set_mode(&self.db, 0o600)?;
        }
        Ok(())
    }
}

#[cfg(unix)]
pub(crate) fn set_mode(path: &Path, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let current = std::fs::metadata(path).map_err(|e| StoreError::io(path, e))?;
    if current.permissions().mode() & 0o777 == mode {
        return Ok(());
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(|e| StoreError::io(path, e))
}

#[cfg(not(unix))]
pub(crate) fn set_mode(_path: &Path, _mode: u32) -> Result<()> {
    Ok(())
}
