//! The actions a clerk records on the detail screen: their labels, the inputs they
//! ask for, the notice each prints, and the store request built from what was typed.

use chrono::{NaiveDate, NaiveDateTime};

use crate::domain::action::ActionRequest;
use crate::domain::due::new_due::NewDue;
use crate::domain::event::EventKind;
use crate::print::job::DossierForm;
use crate::ui::strings as s;

/// The actions a clerk records from this screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    Transfer,
    Supplement,
    SupplementReceived,
    Extend,
    Stop,
    Withdraw,
    ResultReady,
    Return,
}

impl Act {
    pub const ALL: [Act; 8] = [
        Act::Transfer,
        Act::Supplement,
        Act::SupplementReceived,
        Act::Extend,
        Act::Stop,
        Act::Withdraw,
        Act::ResultReady,
        Act::Return,
    ];

    pub(super) fn kind(self) -> EventKind {
        match self {
            Act::Transfer => EventKind::Transferred,
            Act::Supplement => EventKind::SupplementRequested,
            Act::SupplementReceived => EventKind::SupplementReceived,
            Act::Extend => EventKind::Extended,
            Act::Stop => EventKind::Stopped,
            Act::Withdraw => EventKind::Withdrawn,
            Act::ResultReady => EventKind::ResultReady,
            Act::Return => EventKind::Returned,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Act::Transfer => s::ACT_TRANSFER,
            Act::Supplement => s::ACT_SUPPLEMENT,
            Act::SupplementReceived => s::ACT_SUPPLEMENT_RECEIVED,
            Act::Extend => s::ACT_EXTEND,
            Act::Stop => s::ACT_STOP,
            Act::Withdraw => s::ACT_WITHDRAW,
            Act::ResultReady => s::ACT_RESULT_READY,
            Act::Return => s::ACT_RETURN,
        }
    }

    /// The labels of the two inputs the action asks for (second may be absent).
    pub(super) fn inputs(self) -> (&'static str, Option<&'static str>) {
        match self {
            Act::Transfer => (s::TRANSFER_TO, Some(s::NOTE)),
            Act::Supplement => (s::REASON, Some(s::SUPPLEMENT_ITEMS)),
            Act::Extend => (s::NEW_DUE, Some(s::REASON)),
            Act::Stop => (s::REASON, None),
            Act::Return => (s::RETURNED_TO, Some(s::NOTE)),
            Act::SupplementReceived | Act::Withdraw | Act::ResultReady => (s::NOTE, None),
        }
    }

    /// The notice printed once the action is recorded.
    pub(super) fn form(self) -> Option<DossierForm> {
        match self {
            Act::Supplement => Some(DossierForm::M02),
            Act::Extend => Some(DossierForm::M04),
            Act::Stop | Act::Withdraw => Some(DossierForm::M05),
            _ => None,
        }
    }

    /// The store request for what was typed, or the Vietnamese reason it is not one.
    pub fn request(self, first: &str, second: &str) -> Result<ActionRequest, String> {
        let first = first.trim().to_string();
        let second = second.trim().to_string();
        Ok(match self {
            Act::Transfer => ActionRequest::Transfer {
                to: first,
                note: second,
            },
            Act::Supplement => ActionRequest::RequestSupplement {
                items: second
                    .split([';', '\n'])
                    .map(str::trim)
                    .filter(|i| !i.is_empty())
                    .map(str::to_string)
                    .collect(),
                reason: first,
            },
            Act::SupplementReceived => ActionRequest::ReceiveSupplement { note: first },
            Act::Extend => ActionRequest::Extend {
                until: parse_due(&first).ok_or(s::BAD_NEW_DUE)?,
                reason: second,
            },
            Act::Stop => ActionRequest::Stop { reason: first },
            Act::Withdraw => ActionRequest::Withdraw { note: first },
            Act::ResultReady => ActionRequest::ResultReady { note: first },
            Act::Return => ActionRequest::Return {
                collected_by: (!first.is_empty()).then_some(first),
                note: second,
            },
        })
    }
}

/// `dd/mm/yyyy hh:mm`, or `dd/mm/yyyy` meaning the closing time of that day (the
/// unit's office hours decide it, in the store).
pub fn parse_due(raw: &str) -> Option<NewDue> {
    let raw = raw.trim();
    NaiveDateTime::parse_from_str(raw, "%d/%m/%Y %H:%M")
        .map(NewDue::At)
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(raw, "%d/%m/%Y")
                .map(NewDue::Day)
                .ok()
        })
}
