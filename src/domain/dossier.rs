//! A dossier (hồ sơ): what was taken in at the counter, and the state its events fold to.

use serde::{Deserialize, Serialize};

use crate::domain::applicant::{Applicant, AuthorisedPerson};
use crate::domain::clock::Timestamp;
use crate::domain::document::FileRef;
use crate::domain::dossier_code::DossierCode;
use crate::domain::event::{EventId, EventKind};
use crate::domain::numbers::IntakeNumbers;
use crate::domain::procedure::{DocumentForm, ProcedureCode, lower_first};
use crate::domain::status::Status;
use crate::domain::time_limit::TimeLimit;

/// How the dossier reached the desk (KenhThucHien).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 1 — Trực tiếp.
    InPerson,
    /// 2 — Trực tuyến.
    Online,
    /// 3 — Qua bưu chính công ích.
    Postal,
}

impl Channel {
    /// The national KenhThucHien code.
    pub fn code(self) -> u8 {
        match self {
            Channel::InPerson => 1,
            Channel::Online => 2,
            Channel::Postal => 3,
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Channel::InPerson => "Trực tiếp",
            Channel::Online => "Trực tuyến",
            Channel::Postal => "Bưu chính công ích",
        }
    }
}

/// The procedure as it stood when the dossier was received: later catalogue changes
/// must not rewrite what the receipt promised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcedureRef {
    pub code: ProcedureCode,
    pub name: String,
    pub field: String,
    pub time_limit: TimeLimit,
    /// The time-limit case the clerk chose when the procedure has several (Đăng ký kết
    /// hôn: "Trường hợp cần xác minh điều kiện kết hôn"). Absent in dossiers received
    /// before cases existed, and when the limit was entered by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_limit_case: Option<String>,
    /// Why a limit typed by the clerk (no catalogue limit) is what it is: the legal
    /// text it is read from. Absent for catalogue limits and older dossiers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_limit_reason: Option<String>,
}

impl ProcedureRef {
    /// The promised limit as the receipt's sentence ends: "05 ngày làm việc, áp dụng
    /// cho trường hợp cần xác minh điều kiện kết hôn".
    pub fn time_limit_vi(&self) -> String {
        let limit = self.time_limit.describe_vi();
        let Some(case) = self.time_limit_case.as_deref().map(str::trim) else {
            return limit;
        };
        if case.is_empty() {
            return limit;
        }
        let case = lower_first(case);
        let case = if case.starts_with("trường hợp") {
            case
        } else {
            format!("trường hợp {case}")
        };
        format!("{limit}, áp dụng cho {case}")
    }
}

/// A document handed in, as listed on the receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedDocument {
    pub name: String,
    pub count: u32,
    /// Bản chính or bản sao, as the catalogue names the line; unspecified for a paper
    /// the catalogue does not list, and on dossiers received before it was recorded
    /// (left out of their stored JSON, which stays as it was).
    #[serde(default, skip_serializing_if = "DocumentForm::is_unspecified")]
    pub form: DocumentForm,
}

/// Everything the receipt (Mẫu 01) states.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierContent {
    pub procedure: ProcedureRef,
    pub applicant: Applicant,
    pub authorised: Option<AuthorisedPerson>,
    pub documents: Vec<SubmittedDocument>,
    /// Số lượng hồ sơ (bộ).
    pub sets: u32,
    pub channel: Channel,
    /// Đăng ký nhận kết quả tại.
    pub result_at: String,
    pub received_at: Timestamp,
    pub due_at: Timestamp,
    /// The fee in đồng when one amount applies.
    pub fee_amount: Option<i64>,
    /// The clerk who received it.
    pub received_by: String,
}

impl DossierContent {
    /// How the result is delivered (Mẫu 07 "Phương thức nhận kết quả"): by post when
    /// the place registered says so ("bưu chính", "bưu điện"), else as the dossier came
    /// in: trực tiếp, bưu chính or trực tuyến.
    pub fn result_method_vi(&self) -> &'static str {
        let place = crate::domain::text::fold(&self.result_at);
        if place.contains("buu chinh") || place.contains("buu dien") {
            return "Bưu chính";
        }
        match self.channel {
            Channel::InPerson => "Trực tiếp",
            Channel::Online => "Trực tuyến",
            Channel::Postal => "Bưu chính",
        }
    }
}

/// A digitised document in the dossier's current list: attached, not detached since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachedDocument {
    /// The checklist item it stands for ("Bản sao Giấy khai sinh").
    pub item: String,
    pub file: FileRef,
    pub attached_at: Timestamp,
    pub attached_by: String,
    /// The machine that attached it (a desk id, or "centre").
    pub origin: String,
    /// The attaching event.
    pub event: EventId,
}

/// An event that arrived (by sync) although the state did not allow it: kept in the
/// log, shown to the clerk, without effect on the state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anomaly {
    pub event: EventId,
    pub kind: EventKind,
    pub reason: String,
}

/// The fold of a dossier's events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierState {
    pub code: DossierCode,
    pub content: DossierContent,
    pub status: Status,
    /// The current due time: received due, restarted by a supplement, or extended.
    pub due_at: Timestamp,
    pub extended: bool,
    pub result_ready_at: Option<Timestamp>,
    pub returned_at: Option<Timestamp>,
    pub returned_to: Option<String>,
    /// When it reached a final status other than returned (refused, withdrawn, stopped).
    pub closed_at: Option<Timestamp>,
    pub last_event_at: Timestamp,
    pub anomalies: Vec<Anomaly>,
    /// Digitised documents attached and not detached, in log order.
    #[serde(default)]
    pub documents: Vec<AttachedDocument>,
    /// Supplement requests (Mẫu 02) so far, applied in the fold.
    #[serde(default)]
    pub supplement_requests: u32,
    /// When the second request was made: late from then on (QĐ 766 indicator 2.1).
    #[serde(default)]
    pub second_supplement_at: Option<Timestamp>,
    /// When the open request was made, while the dossier waits for the papers.
    #[serde(default)]
    pub waiting_since: Option<Timestamp>,
    /// Seconds spent waiting for papers in supplements that ended (received, or the
    /// dossier closed while waiting): not counted against the desk.
    #[serde(default)]
    pub supplement_wait_secs: i64,
    /// The receipt number and book place given at intake (or derived from the code
    /// for receipts that carry none, see `numbers::legacy`). Never changed after.
    #[serde(default)]
    pub numbers: IntakeNumbers,
    /// The lĩnh vực whose book the dossier was entered in: the one at receipt, which
    /// a later correction does not move.
    #[serde(default)]
    pub book_field: String,
    /// The token of the public tracking page now valid (the receipt's, or the one a
    /// reprint renewed it to); `None` for dossiers taken in before tokens existed.
    pub tracking: Option<crate::domain::tracking::TrackingToken>,
    /// The mobile number the citizen agreed to receive notices on.
    pub consent: Option<crate::domain::notice::NoticeConsent>,
    /// The citizen's rating, once given (one per dossier).
    pub rating: Option<crate::domain::rating::Rating>,
}

impl DossierState {
    /// What the on-time rule reads of this dossier.
    pub fn progress(&self) -> crate::domain::on_time::Progress {
        use crate::domain::on_time::{Progress, Supplements, finish_of};
        Progress {
            due: self.due_at,
            finish: finish_of(self.result_ready_at, self.returned_at, self.closed_at),
            supplements: Supplements {
                second_request_at: self.second_supplement_at,
                waiting_since: self.waiting_since,
                waited_secs: self.supplement_wait_secs,
            },
        }
    }

    /// The receipt year: the year of the books the dossier is entered in.
    pub fn book_year(&self) -> i32 {
        use chrono::Datelike;
        self.code.date().year()
    }
}
