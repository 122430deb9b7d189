//! `.ci/layers` keeps the dependency direction of design.md §2: it passes on the tree,
//! and fails when an import against the direction is put back.
#![cfg(unix)]

use std::path::Path;
use std::process::Command;

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Runs `.ci/layers` on `src`; its success and its stderr.
fn layers(src: &Path) -> (bool, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new("bash")
        .arg(root.join(".ci/layers"))
        .arg(src)
        .output()
        .expect("bash runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_tree_follows_the_direction() {
    let (ok, err) = layers(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    assert!(ok, "{err}");
}

#[test]
fn an_import_against_the_direction_fails_the_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (file, import, floor) in [
        (
            "documents/compose.rs",
            "use crate::desk::Desk;",
            "documents uses crate::desk",
        ),
        (
            "scan/folder.rs",
            "use crate::desk::Desk;",
            "scan uses crate::desk",
        ),
        (
            "store/sync_state.rs",
            "use crate::sync::protocol::PushResponse;",
            "store uses crate::sync",
        ),
        (
            "domain/text.rs",
            "use crate::store::Store;",
            "domain uses crate::store",
        ),
        (
            "ui/theme.rs",
            "use crate::store::Store;",
            "ui uses crate::store",
        ),
        (
            "cli/output.rs",
            "use crate::scan::ScanJob;",
            "cli uses crate::scan",
        ),
        (
            "centre/auth.rs",
            "use crate::sync::client::Client;",
            "centre uses crate::sync",
        ),
        (
            "print/fill.rs",
            "use crate::store::Store;",
            "print uses crate::store",
        ),
    ] {
        let tmp = tempfile::tempdir().expect("tempdir");
        let src = tmp.path().join("src");
        copy_tree(&root.join("src"), &src);
        let path = src.join(file);
        let text = std::fs::read_to_string(&path).expect("reads");
        std::fs::write(&path, format!("{import}\n{text}")).expect("writes");
        let (ok, err) = layers(&src);
        assert!(!ok, "{file}: {import} should fail the check");
        assert!(err.contains(&format!("{file}:1: {floor}")), "{file}: {err}");
    }
}

#[test]
fn a_face_that_opens_the_store_fails_the_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (file, call, what) in [
        (
            "cli/report_cmd.rs",
            "fn hatch(desk: &crate::desk::Desk) { let _ = desk.with_store(|s| s.unit()); }",
            "with_store",
        ),
        (
            "ui/theme.rs",
            "fn hatch(desk: &crate::desk::Desk) { drop(desk.lock()); }",
            "lock",
        ),
    ] {
        let tmp = tempfile::tempdir().expect("tempdir");
        let src = tmp.path().join("src");
        copy_tree(&root.join("src"), &src);
        let path = src.join(file);
        let text = std::fs::read_to_string(&path).expect("reads");
        std::fs::write(&path, format!("{call}\n{text}")).expect("writes");
        let (ok, err) = layers(&src);
        assert!(!ok, "{file}: {call} should fail the check");
        assert!(
            err.contains(&format!("{file}:1: a face opens the store ({what})")),
            "{file}: {err}"
        );
    }
}

#[test]
fn a_centre_handler_or_command_that_runs_sql_fails_the_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (file, line, what) in [
        (
            "centre/routes.rs",
            "async fn h(c: &deadpool_postgres::Client) { let _ = c.query_opt(\"SELECT 1\", &[]).await; }",
            "query_opt(",
        ),
        (
            "centre/files.rs",
            "const Q: &str = \"DELETE FROM file_access\";",
            "DELETE FROM",
        ),
        (
            "centre/web/console/score.rs",
            "async fn h(c: &deadpool_postgres::Client) { let _ = c.execute(\"x\", &[]).await; }",
            ".execute(",
        ),
        (
            "centre/cli/stats.rs",
            "const Q: &str = \"INSERT INTO unit VALUES ($1)\";",
            "INSERT INTO",
        ),
    ] {
        let tmp = tempfile::tempdir().expect("tempdir");
        let src = tmp.path().join("src");
        copy_tree(&root.join("src"), &src);
        let path = src.join(file);
        let text = std::fs::read_to_string(&path).expect("reads");
        std::fs::write(&path, format!("{line}\n{text}")).expect("writes");
        let (ok, err) = layers(&src);
        assert!(!ok, "{file}: {line} should fail the check");
        assert!(
            err.contains(&format!(
                "{file}:1: a centre handler or command runs SQL ({what})"
            )),
            "{file}: {err}"
        );
    }
}

#[test]
fn sql_in_a_centre_handler_test_module_passes_the_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().expect("tempdir");
    let src = tmp.path().join("src");
    copy_tree(&root.join("src"), &src);
    let path = src.join("centre/cli/stats.rs");
    let text = std::fs::read_to_string(&path).expect("reads");
    let test_mod = "#[cfg(test)]\nmod sql_tests {\n    const Q: &str = \"SELECT 1\";\n}\n";
    std::fs::write(&path, format!("{text}\n{test_mod}")).expect("writes");
    let (ok, err) = layers(&src);
    assert!(ok, "{err}");
}
