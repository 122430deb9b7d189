//! Writing output files (PDFs, reports) so that a crash or a full disk never leaves
//! half a file under the final name: write beside it, then rename over it.

use std::path::Path;

/// Writes `bytes` to `path` through a temporary file in the same directory, creating
/// the directory if needed.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut tmp, bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_replaced_whole_and_no_temporary_is_left() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sub/bao-cao.csv");
        write_atomically(&path, b"old").expect("writes");
        write_atomically(&path, b"new").expect("replaces");
        assert_eq!(std::fs::read(&path).expect("reads"), b"new");
        let entries = std::fs::read_dir(dir.path().join("sub"))
            .expect("lists")
            .count();
        assert_eq!(entries, 1, "no temporary file left beside it");
    }
}
