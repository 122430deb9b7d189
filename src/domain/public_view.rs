//! What the public tracking page may show of a dossier (issue 22 §1), decided here so
//! that no web template can show more: the procedure, the times, the status and the
//! steps in plain words, what a supplement request asks for, where and when to collect,
//! and the applicant's name masked ("Nguyễn T. N. Á."). Never the ID number, the
//! address, the phone, a clerk's note or a clerk's name (personal data under Luật
//! 91/2025/QH15 and NĐ 356/2025).

use crate::domain::clock::Timestamp;
use crate::domain::dossier::DossierState;
use crate::domain::event::{Event, EventBody, EventKind};
use crate::domain::status::Status;

/// One step of the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub at: Timestamp,
    pub label: &'static str,
}

/// The page's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicView {
    pub code: String,
    pub masked_name: String,
    pub procedure: String,
    pub received_at: Timestamp,
    pub due_at: Timestamp,
    pub status: Status,
    /// The status in a sentence a citizen understands.
    pub status_words: &'static str,
    pub steps: Vec<Step>,
    /// What the open supplement request asks for (empty unless one is open).
    pub supplement_items: Vec<String>,
    /// Where the result is handed over.
    pub collect_at: String,
    /// Whether the result is waiting to be collected.
    pub ready: bool,
    /// Whether the citizen may rate the service now (returned, not rated yet).
    pub may_rate: bool,
    pub rated: bool,
}

/// A name as the page shows it: the family name whole, every other word as its first
/// letter and a dot ("Nguyễn Thị Ngọc Ánh" → "Nguyễn T. N. Á."). A one-word name keeps
/// its first letter only.
pub fn mask_name(full: &str) -> String {
    let words: Vec<&str> = full.split_whitespace().collect();
    let initial = |w: &str| {
        w.chars()
            .next()
            .map(|c| format!("{}.", c.to_uppercase()))
            .unwrap_or_default()
    };
    match words.as_slice() {
        [] => String::new(),
        [one] => initial(one),
        [family, rest @ ..] => {
            let mut out = vec![(*family).to_string()];
            out.extend(rest.iter().map(|w| initial(w)));
            out.join(" ")
        }
    }
}

/// The status as a citizen reads it.
pub fn status_words(s: Status) -> &'static str {
    match s {
        Status::Received => "Hồ sơ đã được tiếp nhận, đang chờ giải quyết.",
        Status::Processing => "Hồ sơ đang được giải quyết.",
        Status::SupplementRequested => {
            "Hồ sơ cần bổ sung giấy tờ: mời Ông/Bà mang đến nơi nộp hồ sơ các giấy tờ nêu dưới đây."
        }
        Status::FinancialObligation => "Hồ sơ đang chờ thực hiện nghĩa vụ tài chính.",
        Status::ResultReady => "Đã có kết quả: mời Ông/Bà đến nhận.",
        Status::Returned => "Đã trả kết quả.",
        Status::Refused => "Hồ sơ không được giải quyết; lý do ghi trong văn bản trả lời.",
        Status::Withdrawn => "Hồ sơ đã được rút theo đề nghị của người nộp.",
        Status::Stopped => "Hồ sơ đã dừng giải quyết; lý do ghi trong văn bản thông báo.",
    }
}

/// The view of a folded dossier and its events.
pub fn build(state: &DossierState, events: &[Event]) -> PublicView {
    let mut ordered: Vec<&Event> = events.iter().collect();
    ordered.sort_by_key(|e| (e.at, e.id));
    let steps = ordered
        .iter()
        .filter(|e| e.body.kind().is_processing_step() && e.body.kind() != EventKind::Corrected)
        // An event the fold refused (an anomaly) did not happen for the citizen.
        .filter(|e| !state.anomalies.iter().any(|a| a.event == e.id))
        .map(|e| Step {
            at: e.at,
            label: e.body.kind().label_vi(),
        })
        .collect();
    let supplement_items = if state.status == Status::SupplementRequested {
        ordered
            .iter()
            .rev()
            .find_map(|e| match &e.body {
                EventBody::SupplementRequested { items, .. } => Some(items.clone()),
                _ => None,
            })
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    PublicView {
        code: state.code.to_string(),
        masked_name: mask_name(&state.content.applicant.full_name),
        procedure: state.content.procedure.name.clone(),
        received_at: state.content.received_at,
        due_at: state.due_at,
        status: state.status,
        status_words: status_words(state.status),
        steps,
        supplement_items,
        collect_at: state.content.result_at.clone(),
        ready: state.status == Status::ResultReady,
        may_rate: state.status == Status::Returned && state.rating.is_none(),
        rated: state.rating.is_some(),
    }
}

/// The lookup without the receipt: the dossier code and the last four digits of the
/// ID number or of the phone. Compares all candidates without stopping early.
pub fn lookup_matches(state: &DossierState, last4: &str) -> bool {
    if last4.len() != 4 || !last4.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let a = &state.content.applicant;
    let candidates = [Some(a.identity.id_text()), a.phone.as_deref()];
    candidates.iter().flatten().fold(false, |hit, c| {
        hit | (c.len() >= 4 && c.get(c.len() - 4..) == Some(last4))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_masked_to_family_name_and_initials() {
        assert_eq!(mask_name("Nguyễn Thị Ngọc Ánh"), "Nguyễn T. N. Á.");
        assert_eq!(mask_name("  Lê   văn  an "), "Lê V. A.");
        assert_eq!(mask_name("Đạt"), "Đ.");
        assert_eq!(mask_name(""), "");
    }

    #[test]
    fn every_status_has_words() {
        for s in [
            Status::Received,
            Status::Processing,
            Status::SupplementRequested,
            Status::ResultReady,
            Status::Returned,
        ] {
            assert!(status_words(s).ends_with('.'));
        }
    }
}
