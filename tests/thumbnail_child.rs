//! Thumbnails drawn in a child process stopped at its budget (issue 20 item 2): the
//! built `motcua` re-run as `motcua render-thumbnails`, as the desk does.
#![cfg(feature = "desk")]

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use motcua::desk::Desk;
use motcua::desk::work::Intake;
use motcua::documents::render_child::{
    RenderBudget, RenderError, Renderer, thumbnails_in_child, use_renderer,
};
use motcua::domain::clock::{format_rfc3339, now_vn};
use motcua::domain::document::{MediaType, NewDocument, Sha256Hex};
use motcua::domain::intake::IntakeInput;

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

/// The desk's own path (`Desk::thumbnails`), on the built program as its child: an
/// ordinary file is drawn, and the never-ending one answers within the default budget.
#[test]
fn the_desk_draws_in_the_child_and_a_never_ending_file_gets_a_message() {
    use_renderer(Renderer::Child(motcua().to_path_buf()));
    let dir = tempfile::tempdir().expect("temp");
    let desk = Desk::new(common::new_store(dir.path()));
    let input =
        IntakeInput::from_json(&common::dossier_json("1.004873", &format_rfc3339(now_vn())))
            .expect("json");
    let intake = Intake {
        clerk: "Trần Thị Hòa",
        draft: None,
    };
    let code = desk
        .take_in(input, intake)
        .expect("taken in")
        .state
        .code
        .to_string();
    let attach = |name: &str, bytes: Vec<u8>| {
        let sha = Sha256Hex::of(&bytes);
        let doc = NewDocument {
            name: name.into(),
            media_type: MediaType::Pdf,
            bytes,
            pages: 1,
        };
        desk.attach(&code, "Tờ khai", doc, "Trần Thị Hòa")
            .expect("attach");
        sha
    };
    let form = attach("Tờ khai.pdf", fixture("mau01-a4.pdf"));
    let endless = attach("Bản sao.pdf", common::pdf_bomb::nested_forms(12, 10));
    let thumbs = desk.thumbnails(&form, 200, 4).expect("drawn");
    assert_eq!(thumbs.len(), 1);
    let started = Instant::now();
    let e = desk.thumbnails(&endless, 200, 4).expect_err("stopped");
    assert!(e.contains("đã bị dừng"), "{e}");
    let took = started.elapsed();
    assert!(took < Duration::from_secs(20), "took {took:?}");
}
