use super::*;

fn store() -> (tempfile::TempDir, FileStore) {
    let dir = tempfile::tempdir().expect("dir");
    let files = FileStore::new(dir.path().join("files"));
    (dir, files)
}

#[test]
fn the_same_bytes_are_stored_once_under_their_hash() {
    let (_dir, files) = store();
    let a = files.put(b"%PDF-1.4 one").expect("put");
    let b = files.put(b"%PDF-1.4 one").expect("again");
    assert_eq!(a, b);
    assert_eq!(a, Sha256Hex::of(b"%PDF-1.4 one"));
    assert_eq!(fs::read(files.path(&a)).expect("read"), b"%PDF-1.4 one");
    assert_eq!(files.list().expect("list"), vec![a.clone()]);
    assert!(
        files
            .path(&a)
            .starts_with(files.root().join(&a.as_str()[..2]))
    );
    assert!(files.verify(&a).expect("verify"));
}

#[cfg(unix)]
#[test]
fn files_and_folders_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, files) = store();
    let sha = files.put(b"citizen's papers").expect("put");
    let mode = |p: &Path| fs::metadata(p).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode(&files.path(&sha)), 0o600);
    assert_eq!(mode(files.path(&sha).parent().expect("dir")), 0o700);
    assert_eq!(mode(files.root()), 0o700);
    assert_eq!(mode(&files.root().join("tmp")), 0o700);
}

#[test]
fn a_temp_file_is_kept_only_when_it_hashes_to_the_expected_name() {
    let (_dir, files) = store();
    let mut temp = files.temp_file().expect("temp");
    temp.write_all(b"streamed").expect("write");
    let path = temp.into_temp_path().keep().expect("keep");
    let wrong = Sha256Hex::of(b"other");
    let err = files.put_verified(&path, &wrong).expect_err("mismatch");
    assert!(err.to_string().contains("không khớp"), "{err}");
    assert!(!files.has(&wrong));
    assert!(!path.exists(), "a refused temporary file is removed");

    let mut temp = files.temp_file().expect("temp");
    temp.write_all(b"streamed").expect("write");
    let path = temp.into_temp_path().keep().expect("keep");
    let right = Sha256Hex::of(b"streamed");
    files.put_verified(&path, &right).expect("kept");
    assert!(files.has(&right));
    assert!(!path.exists());
}

#[test]
fn a_truncated_copy_is_repaired_by_the_next_put() {
    let (_dir, files) = store();
    let sha = files.put(b"complete bytes").expect("put");
    fs::write(files.path(&sha), b"compl").expect("truncate by hand");
    assert!(!files.verify(&sha).expect("verify"));
    files.put(b"complete bytes").expect("again");
    assert!(files.verify(&sha).expect("verify"));
}

#[test]
fn copying_between_stores_checks_the_hash() {
    let (_dir, a) = store();
    let (_dir2, b) = store();
    let sha = a.put(b"to back up").expect("put");
    b.copy_from(&a, &sha).expect("copy");
    assert!(b.verify(&sha).expect("verify"));
    let forged = Sha256Hex::of(b"forged");
    fs::create_dir_all(a.path(&forged).parent().expect("dir")).expect("dir");
    fs::write(a.path(&forged), b"not the forged bytes").expect("write");
    assert!(b.copy_from(&a, &forged).is_err());
    assert!(!b.has(&forged));
}

#[test]
fn only_stale_temporary_files_are_removed() {
    let (_dir, files) = store();
    let old = files
        .temp_file()
        .expect("temp")
        .into_temp_path()
        .keep()
        .expect("keep");
    let young = files
        .temp_file()
        .expect("temp")
        .into_temp_path()
        .keep()
        .expect("keep");
    let day_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(86_400);
    File::options()
        .write(true)
        .open(&old)
        .and_then(|f| f.set_modified(day_ago))
        .expect("age it");
    let sha = files.put(b"kept").expect("put");
    assert_eq!(
        files.remove_stale_temps(std::time::Duration::from_secs(3600)),
        1
    );
    assert!(!old.exists());
    assert!(young.exists());
    assert!(files.has(&sha));
}

#[test]
fn disk_space_is_read_for_a_real_folder() {
    let (dir, _files) = store();
    let space = disk_space(dir.path()).expect("space");
    assert!(space.total > 0);
    assert!(space.available <= space.total);
    assert!(disk_space(&dir.path().join("missing")).is_err());
}
