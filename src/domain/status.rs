//! Dossier status, with the national DVCQG codes (TrangThaiHoSo), so the export to the
//! national portal needs no translation table.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(into = "u8", try_from = "u8")]
pub enum Status {
    /// 2 — Được tiếp nhận.
    Received,
    /// 3 — Không được tiếp nhận / từ chối.
    Refused,
    /// 4 — Đang xử lý.
    Processing,
    /// 5 — Yêu cầu bổ sung giấy tờ.
    SupplementRequested,
    /// 6 — Yêu cầu thực hiện nghĩa vụ tài chính.
    FinancialObligation,
    /// 7 — Công dân yêu cầu rút hồ sơ.
    Withdrawn,
    /// 8 — Dừng xử lý.
    Stopped,
    /// 9 — Đã xử lý xong, chờ trả.
    ResultReady,
    /// 10 — Đã trả kết quả.
    Returned,
}

impl Status {
    pub const ALL: [Status; 9] = [
        Status::Received,
        Status::Refused,
        Status::Processing,
        Status::SupplementRequested,
        Status::FinancialObligation,
        Status::Withdrawn,
        Status::Stopped,
        Status::ResultReady,
        Status::Returned,
    ];

    /// The national code 2–10.
    pub fn code(self) -> u8 {
        match self {
            Status::Received => 2,
            Status::Refused => 3,
            Status::Processing => 4,
            Status::SupplementRequested => 5,
            Status::FinancialObligation => 6,
            Status::Withdrawn => 7,
            Status::Stopped => 8,
            Status::ResultReady => 9,
            Status::Returned => 10,
        }
    }

    pub fn from_code(code: u8) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Status::Received => "Đã tiếp nhận",
            Status::Refused => "Từ chối tiếp nhận",
            Status::Processing => "Đang xử lý",
            Status::SupplementRequested => "Chờ bổ sung",
            Status::FinancialObligation => "Chờ nghĩa vụ tài chính",
            Status::Withdrawn => "Người nộp đã rút",
            Status::Stopped => "Dừng xử lý",
            Status::ResultReady => "Có kết quả, chờ trả",
            Status::Returned => "Đã trả kết quả",
        }
    }

    /// No further action except a correction can follow.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Status::Refused | Status::Withdrawn | Status::Stopped | Status::Returned
        )
    }

    /// Still with the administration, so its due date can slip.
    pub fn is_pending(self) -> bool {
        matches!(
            self,
            Status::Received
                | Status::Processing
                | Status::SupplementRequested
                | Status::FinancialObligation
        )
    }
}

impl From<Status> for u8 {
    fn from(s: Status) -> u8 {
        s.code()
    }
}

impl TryFrom<u8> for Status {
    type Error = String;
    fn try_from(code: u8) -> Result<Self, Self::Error> {
        Status::from_code(code).ok_or_else(|| format!("mã trạng thái {code} không hợp lệ (2–10)"))
    }
}

/// The on-time classes of Biểu 06/VPCP/KSTT, by the one rule of `domain::on_time`
/// (QĐ 766 indicator 2.1: the end of processing against the appointment, as times).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Timeliness {
    /// Trước hạn: result ready before the appointment's minute.
    Early,
    /// Đúng hạn: result ready within the appointment's minute, or closed without a
    /// result by the appointment.
    OnTime,
    /// Quá hạn: finished after the appointment, or asked for papers twice.
    Late,
    /// Đang giải quyết, trong hạn.
    PendingInTime,
    /// Đang giải quyết, quá hạn.
    PendingLate,
}

impl Timeliness {
    pub fn label_vi(self) -> &'static str {
        match self {
            Timeliness::Early => "Trước hạn",
            Timeliness::OnTime => "Đúng hạn",
            Timeliness::Late => "Quá hạn",
            Timeliness::PendingInTime => "Đang giải quyết, trong hạn",
            Timeliness::PendingLate => "Đang giải quyết, quá hạn",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_codes_round_trip() {
        let codes: Vec<u8> = Status::ALL.iter().map(|s| s.code()).collect();
        assert_eq!(codes, vec![2, 3, 4, 5, 6, 7, 8, 9, 10]);
        for s in Status::ALL {
            assert_eq!(Status::from_code(s.code()), Some(s));
        }
        assert_eq!(Status::from_code(1), None);
        assert_eq!(Status::from_code(11), None);
        assert_eq!(
            serde_json::to_string(&Status::ResultReady).ok(),
            Some("9".into())
        );
    }
}
