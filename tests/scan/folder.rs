//! The scan folder a network scanner writes into: the newest finished document.

use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, SystemTime};

use motcua::scan::newest_in_folder;

fn written(dir: &Path, name: &str, age_secs: u64) -> std::path::PathBuf {
    let path = dir.join(name);
    let mut file = File::create(&path).expect("creates");
    file.write_all(b"%PDF-1.4 some bytes").expect("writes");
    file.set_modified(SystemTime::now() - Duration::from_secs(age_secs))
        .expect("sets the time");
    path
}

#[test]
fn the_newest_document_is_taken_and_other_files_are_ignored() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert_eq!(newest_in_folder(dir.path()).expect("lists"), None);
    written(dir.path(), "scan-0001.pdf", 600);
    let newest = written(dir.path(), "scan-0002.JPG", 300);
    written(dir.path(), "thumbs.db", 10);
    written(dir.path(), "scan-0003.tif", 10);
    written(dir.path(), ".scan-0004.pdf", 10);
    written(dir.path(), "~scan-0005.pdf", 10);
    File::create(dir.path().join("scan-0006.pdf")).expect("an empty file");
    std::fs::create_dir(dir.path().join("cũ.pdf")).expect("a folder");
    assert_eq!(newest_in_folder(dir.path()).expect("lists"), Some(newest));
}

#[test]
fn a_file_still_being_written_is_not_taken_but_a_finished_young_one_is() {
    let dir = tempfile::tempdir().expect("temp dir");
    let older = written(dir.path(), "scan-0001.pdf", 60);
    let growing = dir.path().join("scan-0002.pdf");
    let mut file = File::create(&growing).expect("creates");
    file.write_all(b"%PDF-1.4").expect("writes");
    let writer = std::thread::spawn(move || {
        for _ in 0..30 {
            std::thread::sleep(Duration::from_millis(50));
            file.write_all(b" more page data").expect("appends");
        }
    });
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(newest_in_folder(dir.path()).expect("lists"), Some(older));
    writer.join().expect("writer ends");
    // Finished a moment ago (younger than 2 s) and no longer changing: taken.
    assert_eq!(newest_in_folder(dir.path()).expect("lists"), Some(growing));
}

#[test]
fn a_missing_folder_is_a_clear_error() {
    let err = newest_in_folder(Path::new("/không/có/thư mục này")).expect_err("refused");
    assert!(
        err.to_string()
            .starts_with("Không mở được thư mục quét '/không/có/thư mục này'"),
        "{err}"
    );
}
