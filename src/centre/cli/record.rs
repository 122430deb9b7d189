//! `record`: an operator's action on a dossier at the centre.

use super::args::CentreAction;
use super::ctx::{Ctx, Fallible, e2s};
use crate::centre::admin;
use crate::centre::audit::Entry;
use crate::domain::action::ActionRequest;
use crate::domain::event::EventKind;

/// `record`: an operator's action on a dossier, by the rule a clerk's follows.
pub(super) async fn record(
    ctx: &mut Ctx,
    code: String,
    action: CentreAction,
    by: String,
    note: String,
    until: Option<String>,
    items: Vec<String>,
) -> Fallible {
    // The same rule as a clerk's action (`domain::action`): the same texts
    // cleaned and required, so a desk never refuses what the centre wrote.
    let request = match action {
        CentreAction::ResultReady => ActionRequest::ResultReady { note },
        CentreAction::Stop => ActionRequest::Stop { reason: note },
        CentreAction::SupplementRequest => ActionRequest::RequestSupplement {
            items,
            reason: note,
        },
        CentreAction::Extend => {
            let until = until.ok_or("gia hạn cần --until YYYY-MM-DDTHH:MM")?;
            let wall = chrono::NaiveDateTime::parse_from_str(&until, "%Y-%m-%dT%H:%M")
                .map_err(|_| format!("thời hạn '{until}' không hợp lệ (YYYY-MM-DDTHH:MM)"))?;
            ActionRequest::Extend {
                until: crate::domain::due::new_due::NewDue::At(wall),
                reason: note,
            }
        }
    };
    let entry = Entry {
        operator: &ctx.operator,
        action: "record",
        detail: format!(
            "hồ sơ {}: {} (người thực hiện: {by})",
            code.trim(),
            event_kind(action).as_str()
        ),
    };
    let state = admin::record(&mut ctx.client, &code, request, &by, None, Some(&entry))
        .await
        .map_err(e2s)?;
    println!(
        "Đã ghi nhận: hồ sơ {} — {}",
        state.code,
        state.status.label_vi()
    );
    Ok(())
}

/// The kind of event an operator's action writes (named so in the audit log).
fn event_kind(action: CentreAction) -> EventKind {
    match action {
        CentreAction::ResultReady => EventKind::ResultReady,
        CentreAction::SupplementRequest => EventKind::SupplementRequested,
        CentreAction::Stop => EventKind::Stopped,
        CentreAction::Extend => EventKind::Extended,
    }
}
