//! Who the applicant is: a Vietnamese citizen (số định danh cá nhân), an organisation
//! (mã số doanh nghiệp) or a foreigner (hộ chiếu, quốc tịch). Mẫu 01 reads "Ông (Bà)/Tổ
//! chức" and "Số định danh cá nhân/tổ chức"; the portal export's LoaiDoiTuong follows.
//!
//! Stored in the Received event flattened into the applicant, tagged `kind`. Events
//! written before organisations and foreigners existed have no `kind`: they read as a
//! citizen (`IdentityWire`), so old logs and old desks' pushes keep folding.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Gender, Passport, PersonalId, TaxCode};
use crate::domain::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicantKind {
    #[default]
    Citizen,
    Organisation,
    Foreigner,
}

impl ApplicantKind {
    pub const ALL: [ApplicantKind; 3] = [
        ApplicantKind::Citizen,
        ApplicantKind::Organisation,
        ApplicantKind::Foreigner,
    ];

    /// The JSON keys and the Vietnamese words, with or without diacritics.
    pub fn parse(raw: &str) -> Option<Self> {
        match text::fold(raw).replace(['_', '-'], " ").as_str() {
            "" | "citizen" | "cong dan" | "cong dan viet nam" | "ca nhan" => Some(Self::Citizen),
            "organisation" | "organization" | "to chuc" | "doanh nghiep" => {
                Some(Self::Organisation)
            }
            "foreigner" | "nguoi nuoc ngoai" => Some(Self::Foreigner),
            _ => None,
        }
    }

    /// The kind after this one, round the three (a one-key switch at the counter).
    pub fn next(self) -> Self {
        match self {
            Self::Citizen => Self::Organisation,
            Self::Organisation => Self::Foreigner,
            Self::Foreigner => Self::Citizen,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Self::Citizen => "citizen",
            Self::Organisation => "organisation",
            Self::Foreigner => "foreigner",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Citizen => "Công dân Việt Nam",
            Self::Organisation => "Tổ chức",
            Self::Foreigner => "Người nước ngoài",
        }
    }

    /// How the identifying number is called on forms and screens.
    pub fn id_label_vi(self) -> &'static str {
        match self {
            Self::Citizen => "Số định danh cá nhân",
            Self::Organisation => "Mã số doanh nghiệp",
            Self::Foreigner => "Số hộ chiếu",
        }
    }

    /// How the name is called.
    pub fn name_label_vi(self) -> &'static str {
        match self {
            Self::Organisation => "Tên tổ chức",
            Self::Citizen | Self::Foreigner => "Họ và tên",
        }
    }

    /// The portal's LoaiDoiTuong: 1 công dân (any individual), 2 doanh nghiệp. An
    /// organisation is identified by its mã số doanh nghiệp, hence 2; the portal's 3 (cơ
    /// quan nhà nước) and 4 (tổ chức khác) are not told apart here.
    pub fn loai_doi_tuong(self) -> u8 {
        match self {
            Self::Citizen | Self::Foreigner => 1,
            Self::Organisation => 2,
        }
    }
}

/// The kind-specific part of an applicant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "IdentityWire")]
pub enum Identity {
    Citizen {
        id_number: PersonalId,
        date_of_birth: NaiveDate,
        gender: Gender,
    },
    Organisation {
        tax_code: TaxCode,
        /// Người đại diện theo pháp luật.
        representative: String,
    },
    Foreigner {
        passport: Passport,
        nationality: String,
    },
}

impl Identity {
    pub fn kind(&self) -> ApplicantKind {
        match self {
            Identity::Citizen { .. } => ApplicantKind::Citizen,
            Identity::Organisation { .. } => ApplicantKind::Organisation,
            Identity::Foreigner { .. } => ApplicantKind::Foreigner,
        }
    }

    /// The identifying number: CCCD number, enterprise code or passport number.
    pub fn id_text(&self) -> &str {
        match self {
            Identity::Citizen { id_number, .. } => id_number.as_str(),
            Identity::Organisation { tax_code, .. } => tax_code.as_str(),
            Identity::Foreigner { passport, .. } => passport.as_str(),
        }
    }
}

/// Every key any kind may carry; `kind` absent means a citizen (events before issue 12).
#[derive(Deserialize)]
struct IdentityWire {
    #[serde(default)]
    kind: ApplicantKind,
    id_number: Option<PersonalId>,
    date_of_birth: Option<NaiveDate>,
    gender: Option<Gender>,
    tax_code: Option<TaxCode>,
    representative: Option<String>,
    passport: Option<Passport>,
    nationality: Option<String>,
}

impl TryFrom<IdentityWire> for Identity {
    type Error = String;
    fn try_from(w: IdentityWire) -> Result<Self, String> {
        let missing = |key: &str| format!("thiếu '{key}' cho người nộp loại '{}'", w.kind.key());
        Ok(match w.kind {
            ApplicantKind::Citizen => Identity::Citizen {
                id_number: w.id_number.clone().ok_or_else(|| missing("id_number"))?,
                date_of_birth: w.date_of_birth.ok_or_else(|| missing("date_of_birth"))?,
                gender: w.gender.ok_or_else(|| missing("gender"))?,
            },
            ApplicantKind::Organisation => Identity::Organisation {
                tax_code: w.tax_code.clone().ok_or_else(|| missing("tax_code"))?,
                representative: w
                    .representative
                    .clone()
                    .ok_or_else(|| missing("representative"))?,
            },
            ApplicantKind::Foreigner => Identity::Foreigner {
                passport: w.passport.clone().ok_or_else(|| missing("passport"))?,
                nationality: w
                    .nationality
                    .clone()
                    .ok_or_else(|| missing("nationality"))?,
            },
        })
    }
}
