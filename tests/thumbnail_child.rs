//! Thumbnails drawn in a child process stopped at its budget (issue 20 item 2): the
//! built `motcua` re-run as `motcua render-thumbnails`, as the desk does.

mod common;

use std::path::Path;
use std::time::Duration;

use motcua::documents::render_child::{RenderBudget, RenderError, thumbnails_in_child};

fn motcua() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_motcua"))
}

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/documents");
    std::fs::read(path.join(name)).expect("fixture")
}

#[test]
fn a_pdf_that_never_finishes_drawing_is_stopped_at_the_budget_with_a_message() {
    // 10^12 squares from a file of a few kilobytes: in-process this never returns.
    let bomb = common::pdf_bomb::nested_forms(12, 10);
    assert!(bomb.len() < 8 * 1024, "{} bytes", bomb.len());
    let budget = RenderBudget {
        wall: Duration::from_secs(3),
        ..RenderBudget::default()
    };
    let run = thumbnails_in_child(motcua(), &bomb, 200, 4, &budget);
    assert_eq!(run.result, Err(RenderError::TimedOut(3)));
    // Killed at the deadline, not when it would have finished (never).
    assert!(run.took < Duration::from_secs(6), "took {:?}", run.took);
    let message = RenderError::TimedOut(3).to_string();
    assert!(message.contains("đã bị dừng"), "{message}");
}

#[test]
fn an_ordinary_pdf_still_gives_its_thumbnails_from_the_child() {
    let run = thumbnails_in_child(
        motcua(),
        &fixture("mau01-a4.pdf"),
        200,
        4,
        &RenderBudget::default(),
    );
    let thumbs = run.result.expect("thumbnails");
    assert_eq!(thumbs.len(), 1);
    let same = motcua::documents::thumbnails(&fixture("mau01-a4.pdf"), 200, 4).expect("drawn");
    assert_eq!(thumbs, same, "the child draws what the desk would");
}

#[test]
fn a_file_the_child_cannot_read_comes_back_as_the_pipelines_refusal() {
    let run = thumbnails_in_child(
        motcua(),
        b"%PDF-1.7\nnot really",
        200,
        4,
        &RenderBudget::default(),
    );
    match run.result {
        Err(RenderError::Refused(words)) => assert!(words.contains("PDF"), "{words}"),
        other => panic!("{other:?}"),
    }
}

#[cfg(unix)]
#[test]
fn the_child_is_stopped_by_its_own_cpu_and_memory_limits() {
    // CPU: the endless file, with a wall budget it never reaches.
    let budget = RenderBudget {
        wall: Duration::from_secs(60),
        cpu_seconds: 1,
        ..RenderBudget::default()
    };
    let run = thumbnails_in_child(
        motcua(),
        &common::pdf_bomb::nested_forms(12, 10),
        200,
        4,
        &budget,
    );
    assert_eq!(run.result, Err(RenderError::Died("tín hiệu 24".into())));
    assert!(run.took < Duration::from_secs(60), "took {:?}", run.took);
    // Memory (Linux): an ordinary file the child draws with 1 GiB fails within 32 MiB.
    #[cfg(target_os = "linux")]
    {
        let budget = RenderBudget {
            memory_bytes: 32 * 1024 * 1024,
            ..RenderBudget::default()
        };
        let run = thumbnails_in_child(motcua(), &fixture("mau01-a4.pdf"), 200, 4, &budget);
        assert!(
            matches!(run.result, Err(RenderError::Died(_))),
            "{:?}",
            run.result
        );
    }
}
