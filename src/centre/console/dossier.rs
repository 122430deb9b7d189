//! One dossier as the console shows it (issue 21, "A dossier"): who may look it up,
//! its timeline, its documents and the units involved.
//!
//! A province operator or an auditor sees any dossier; a unit leader sees their own
//! unit's and a cross-commune one naming their unit as receiving or deciding unit
//! (`domain::handover`). A leader asking for any other code gets 403 whether or not the
//! centre holds it: the answer says nothing about other units' dossiers.

use std::collections::HashSet;

use deadpool_postgres::GenericClient;

use crate::centre::admin::dossier_events;
use crate::centre::console::operators::Role;
use crate::centre::cross;
use crate::centre::error::ApiError;
use crate::domain::clock::Timestamp;
use crate::domain::document::Sha256Hex;
use crate::domain::dossier::AttachedDocument;
use crate::domain::dossier_code::DossierCode;
use crate::domain::event::Event;
use crate::domain::lifecycle;
use crate::domain::text::escape_controls;
use crate::domain::unit::UnitCode;

/// A unit and what it does for the dossier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Involved {
    pub unit: String,
    pub part: &'static str,
}

/// One document the dossier holds now.
#[derive(Debug, Clone)]
pub struct Document {
    pub doc: AttachedDocument,
    /// `file_access` grants one of the dossier's units this file: the console may serve it.
    pub granted: bool,
}

#[derive(Debug, Clone)]
pub struct DossierView {
    pub code: DossierCode,
    pub units: Vec<Involved>,
    /// Every event, oldest first.
    pub timeline: Vec<Event>,
    pub documents: Vec<Document>,
}

impl DossierView {
    /// The document with this hash, if the dossier holds it now and it may be served.
    pub fn servable(&self, sha: &Sha256Hex) -> Option<&AttachedDocument> {
        self.documents
            .iter()
            .find(|d| d.granted && d.doc.file.sha256 == *sha)
            .map(|d| &d.doc)
    }
}

pub fn parse_code(raw: &str) -> Result<DossierCode, ApiError> {
    DossierCode::parse(raw.trim()).map_err(|e| {
        ApiError::BadRequest(format!(
            "Mã hồ sơ “{}” không hợp lệ: {e}",
            escape_controls(raw.trim())
        ))
    })
}

/// The units involved, after checking `role` may read the dossier.
async fn units_for(
    client: &impl GenericClient,
    role: &Role,
    code: &DossierCode,
) -> Result<Vec<Involved>, ApiError> {
    let known = cross::load(client, &[code.to_string()]).await?;
    let crossing = known.get(&code.to_string());
    if let Some(own) = role.own_unit() {
        let own = UnitCode::parse(own).map_err(|e| ApiError::Internal(e.to_string()))?;
        let may = match crossing {
            Some(c) => c.units().may_read(&own),
            None => *code.unit() == own,
        };
        if !may {
            return Err(ApiError::Forbidden(
                "Tài khoản lãnh đạo đơn vị chỉ được xem hồ sơ của đơn vị mình \
                 (hoặc hồ sơ liên xã mà đơn vị mình tiếp nhận hay giải quyết)"
                    .into(),
            ));
        }
    }
    Ok(match crossing {
        Some(c) => vec![
            Involved {
                unit: c.receiving.to_string(),
                part: "Đơn vị tiếp nhận",
            },
            Involved {
                unit: c.deciding.to_string(),
                part: if c.handed_over {
                    "Đơn vị giải quyết (đã chuyển hồ sơ)"
                } else {
                    "Đơn vị giải quyết (chưa chuyển hồ sơ)"
                },
            },
        ],
        None => vec![Involved {
            unit: code.unit().to_string(),
            part: "Đơn vị tiếp nhận và giải quyết",
        }],
    })
}

/// Looks the dossier up for `role`.
pub async fn look_up(
    client: &impl GenericClient,
    role: &Role,
    code: &DossierCode,
    on_disk: impl Fn(&Sha256Hex) -> bool,
) -> Result<DossierView, ApiError> {
    let units = units_for(client, role, code).await?;
    let mut timeline = dossier_events(client, &code.to_string()).await?;
    if timeline.is_empty() {
        return Err(ApiError::NotFound(format!(
            "Trung tâm không có hồ sơ {code}"
        )));
    }
    timeline.sort_by_key(|e: &Event| (e.at, e.id));
    let state = lifecycle::fold(&timeline)
        .map_err(|e| ApiError::Conflict(format!("Hồ sơ {code} chưa đủ dữ liệu: {e}")))?;
    let unit_codes: Vec<String> = units.iter().map(|u| u.unit.clone()).collect();
    let held: HashSet<String> = client
        .query(
            "SELECT sha256 FROM file_access WHERE unit_code = ANY($1)",
            &[&unit_codes],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let documents = state
        .documents
        .into_iter()
        .map(|doc| Document {
            granted: held.contains(doc.file.sha256.as_str()) && on_disk(&doc.file.sha256),
            doc,
        })
        .collect();
    Ok(DossierView {
        code: code.clone(),
        units,
        timeline,
        documents,
    })
}

/// `Content-Disposition` for a download: an ASCII fallback name and the real one
/// percent-encoded (RFC 6266 / 5987), so no quote, newline or slash reaches the header.
pub fn attachment_header(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// When an event happened, for the page.
pub fn at_text(at: Timestamp) -> String {
    crate::domain::clock::to_wall(at)
        .format("%H:%M %d/%m/%Y")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_name_cannot_break_out_of_the_header() {
        let h = attachment_header("Giấy \"khai\"\r\nX: y/../a.pdf");
        assert!(h.starts_with("attachment; filename=\""));
        assert!(!h.contains('\r') && !h.contains('\n'));
        assert_eq!(h.matches('"').count(), 2, "{h}");
        assert!(
            h.contains("filename*=UTF-8''Gi%E1%BA%A5y%20%22khai%22%0D%0AX%3A%20y%2F..%2Fa.pdf")
        );
    }
}
