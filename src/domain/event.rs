//! The immutable events a dossier's life is made of.
//!
//! Nothing about a dossier is edited in place: every change is an event written by
//! exactly one machine (a desk or the centre), identified by a UUIDv7, and a dossier's
//! state is the fold of its events (see `lifecycle`). Merging two machines' logs is
//! then a set union, and sending an event twice is harmless.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::clock::Timestamp;
use crate::domain::document::{FileRef, Sha256Hex};
use crate::domain::dossier::DossierContent;
use crate::domain::dossier_code::DossierCode;
use crate::domain::notice::NoticeConsent;
use crate::domain::numbers::IntakeNumbers;
use crate::domain::rating::Rating;
use crate::domain::tracking::TrackingToken;

/// A globally unique, time-ordered event id (UUIDv7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EventId(pub Uuid);

impl EventId {
    pub fn new() -> Self {
        Self(Uuid::now_v7())
    }
}

impl Default for EventId {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Display for EventId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Who acted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActorRole {
    /// A clerk at a ward desk.
    Clerk,
    /// An operator or processing department at the centre.
    CentreOperator,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub name: String,
    pub role: ActorRole,
}

/// One event of one dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub id: EventId,
    pub dossier: DossierCode,
    /// The clock of the machine that wrote it. Orders the fold; never trusted for sync.
    pub at: Timestamp,
    pub actor: Actor,
    /// The machine that wrote it: a desk id, or "centre".
    pub origin: String,
    pub body: EventBody,
}

/// What happened. Due times that change are computed when the event is written and
/// carried in it, so a later calendar update never moves a date already promised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventBody {
    /// Tiếp nhận: the complete dossier as taken in at the counter, with the numbers
    /// given to it then (see `numbers`). Receipts written before numbers existed carry
    /// none and still decode; they print the numbers
    /// [`crate::domain::numbers::legacy`] derives.
    Received {
        content: Box<DossierContent>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        numbers: Option<IntakeNumbers>,
        /// The token of the public tracking page, made at intake (issue 22 §1); older
        /// receipts have none.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tracking: Option<TrackingToken>,
        /// The mobile number the citizen agreed to be told on (issue 22 §4).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        consent: Option<NoticeConsent>,
    },
    /// Từ chối tiếp nhận/giải quyết (Mẫu 03).
    Refused { reason: String },
    /// Chuyển xử lý: handed to the processing department.
    Transferred { to: String, note: String },
    /// Yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02): the clock stops.
    SupplementRequested { items: Vec<String>, reason: String },
    /// Nhận bổ sung: the dossier is complete again; the clock restarts from zero.
    SupplementReceived { due_at: Timestamp, note: String },
    /// Gia hạn (Mẫu 04): allowed once, at least one working day before the due date.
    Extended { due_at: Timestamp, reason: String },
    /// Dừng giải quyết (Mẫu 05).
    Stopped { reason: String },
    /// Người nộp rút hồ sơ (a person or an organisation).
    Withdrawn { note: String },
    /// Đã có kết quả, chờ trả.
    ResultReady { note: String },
    /// Đã trả kết quả.
    Returned { collected_by: String, note: String },
    /// Sửa thông tin: a corrected copy of the dossier's content.
    Corrected {
        content: Box<DossierContent>,
        note: String,
    },
    /// Số hóa giấy tờ: a stored file attached to one item of the dossier's checklist.
    /// Allowed in every status; changes no status.
    DocumentAttached { item: String, file: FileRef },
    /// Gỡ giấy tờ đã số hóa: the file leaves the dossier's list (the log keeps both).
    DocumentDetached {
        sha256: Sha256Hex,
        item: String,
        reason: String,
    },
    /// In lại giấy tiếp nhận với mã tra cứu mới: the old tracking token stops working.
    /// Allowed in every status; changes no status.
    TrackingRenewed { token: TrackingToken },
    /// Đánh giá sự hài lòng (TT 01/2018): one per dossier, once the result is returned.
    Rated { rating: Rating },
}

impl EventBody {
    /// The stable kind name used in storage and on the wire.
    pub fn kind(&self) -> EventKind {
        match self {
            EventBody::Received { .. } => EventKind::Received,
            EventBody::Refused { .. } => EventKind::Refused,
            EventBody::Transferred { .. } => EventKind::Transferred,
            EventBody::SupplementRequested { .. } => EventKind::SupplementRequested,
            EventBody::SupplementReceived { .. } => EventKind::SupplementReceived,
            EventBody::Extended { .. } => EventKind::Extended,
            EventBody::Stopped { .. } => EventKind::Stopped,
            EventBody::Withdrawn { .. } => EventKind::Withdrawn,
            EventBody::ResultReady { .. } => EventKind::ResultReady,
            EventBody::Returned { .. } => EventKind::Returned,
            EventBody::Corrected { .. } => EventKind::Corrected,
            EventBody::DocumentAttached { .. } => EventKind::DocumentAttached,
            EventBody::DocumentDetached { .. } => EventKind::DocumentDetached,
            EventBody::TrackingRenewed { .. } => EventKind::TrackingRenewed,
            EventBody::Rated { .. } => EventKind::Rated,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Received,
    Refused,
    Transferred,
    SupplementRequested,
    SupplementReceived,
    Extended,
    Stopped,
    Withdrawn,
    ResultReady,
    Returned,
    Corrected,
    DocumentAttached,
    DocumentDetached,
    TrackingRenewed,
    Rated,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Received => "received",
            EventKind::Refused => "refused",
            EventKind::Transferred => "transferred",
            EventKind::SupplementRequested => "supplement_requested",
            EventKind::SupplementReceived => "supplement_received",
            EventKind::Extended => "extended",
            EventKind::Stopped => "stopped",
            EventKind::Withdrawn => "withdrawn",
            EventKind::ResultReady => "result_ready",
            EventKind::Returned => "returned",
            EventKind::Corrected => "corrected",
            EventKind::DocumentAttached => "document_attached",
            EventKind::DocumentDetached => "document_detached",
            EventKind::TrackingRenewed => "tracking_renewed",
            EventKind::Rated => "rated",
        }
    }

    /// How the timeline names it.
    pub fn label_vi(self) -> &'static str {
        match self {
            EventKind::Received => "Tiếp nhận hồ sơ",
            EventKind::Refused => "Từ chối giải quyết",
            EventKind::Transferred => "Chuyển xử lý",
            EventKind::SupplementRequested => "Yêu cầu bổ sung hồ sơ",
            EventKind::SupplementReceived => "Nhận hồ sơ bổ sung",
            EventKind::Extended => "Gia hạn thời gian giải quyết",
            EventKind::Stopped => "Dừng giải quyết",
            EventKind::Withdrawn => "Người nộp rút hồ sơ",
            EventKind::ResultReady => "Có kết quả, chờ trả",
            EventKind::Returned => "Trả kết quả",
            EventKind::Corrected => "Sửa thông tin hồ sơ",
            EventKind::DocumentAttached => "Số hóa giấy tờ",
            EventKind::DocumentDetached => "Gỡ giấy tờ đã số hóa",
            EventKind::TrackingRenewed => "Cấp mã tra cứu mới",
            EventKind::Rated => "Đánh giá sự hài lòng",
        }
    }

    /// Attaching or detaching a digitised document: allowed in every status, never a
    /// step of the dossier's processing (reports and the national export skip it).
    pub fn is_document(self) -> bool {
        matches!(
            self,
            EventKind::DocumentAttached | EventKind::DocumentDetached
        )
    }

    /// A step of the dossier's processing, as reports, the timeline of the tracking
    /// page and the national export count them: not a digitised document, a renewed
    /// tracking token or a rating.
    pub fn is_processing_step(self) -> bool {
        !(self.is_document() || matches!(self, EventKind::TrackingRenewed | EventKind::Rated))
    }

    /// Every kind, for tests and for whoever lists them.
    pub const ALL: [EventKind; 15] = [
        EventKind::Received,
        EventKind::Refused,
        EventKind::Transferred,
        EventKind::SupplementRequested,
        EventKind::SupplementReceived,
        EventKind::Extended,
        EventKind::Stopped,
        EventKind::Withdrawn,
        EventKind::ResultReady,
        EventKind::Returned,
        EventKind::Corrected,
        EventKind::DocumentAttached,
        EventKind::DocumentDetached,
        EventKind::TrackingRenewed,
        EventKind::Rated,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stored kind column and the wire's tag are one name: a new kind that
    /// differed would be unreadable by `kind = '…'` queries.
    #[test]
    fn every_kind_is_named_as_serde_tags_it() {
        for kind in EventKind::ALL {
            let json = serde_json::to_string(&kind).expect("kind");
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
            assert!(!kind.label_vi().is_empty());
        }
        assert!(EventKind::DocumentAttached.is_document());
        assert!(!EventKind::Corrected.is_document());
    }

    #[test]
    fn a_document_event_round_trips_with_its_tag() {
        use crate::domain::document::MediaType;
        let body = EventBody::DocumentAttached {
            item: "Bản sao Giấy khai sinh".into(),
            file: FileRef {
                sha256: Sha256Hex::of(b"pdf"),
                name: "Giấy khai sinh.pdf".into(),
                media_type: MediaType::Pdf,
                size: 3,
                pages: 1,
            },
        };
        let json = serde_json::to_value(&body).expect("json");
        assert_eq!(json["kind"], "document_attached");
        assert_eq!(json["file"]["media_type"], "application/pdf");
        let back: EventBody = serde_json::from_value(json).expect("back");
        assert_eq!(back, body);
        let bad = serde_json::json!({"kind": "document_detached", "sha256": "../x",
            "item": "x", "reason": "y"});
        assert!(serde_json::from_value::<EventBody>(bad).is_err());
    }
}
