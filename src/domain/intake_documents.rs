//! The papers a dossier lists: the ones named at intake, each with the catalogue's kind,
//! or, when none are named, those every applicant hands in.

use super::*;

pub(super) fn check_documents(
    input: Option<Vec<DocumentInput>>,
    procedure: &Procedure,
    errors: &mut Vec<FieldError>,
) -> Vec<SubmittedDocument> {
    let Some(input) = input else {
        return default_documents(procedure);
    };
    if input.len() > MAX_DOCUMENTS {
        errors.push(field_error(
            "documents",
            format!(
                "Tối đa {MAX_DOCUMENTS} thành phần hồ sơ (đã nhập {})",
                input.len()
            ),
        ));
        return Vec::new();
    }
    check_document_list(input, Some(procedure), errors)
}

/// What a receipt lists when the clerk does not say: the papers every applicant hands
/// in. Conditional papers ("trường hợp …", "nếu có") are not assumed, and xuất trình
/// papers are shown and handed back, so neither is listed (Luật Hộ tịch Art 16(1); NĐ
/// 23/2015 Art 20).
pub fn default_documents(procedure: &Procedure) -> Vec<SubmittedDocument> {
    procedure
        .documents
        .iter()
        .filter(|d| d.ticked_by_default())
        .map(|d| SubmittedDocument {
            name: d.name.clone(),
            count: d.count,
            form: d.form,
        })
        .collect()
}

/// The catalogue's kind of a paper named `name` (the same text after NFC and trimming),
/// unspecified for a paper the catalogue does not list.
fn catalogue_form(procedure: &Procedure, name: &str) -> DocumentForm {
    procedure
        .documents
        .iter()
        .find(|d| d.name == name)
        .map_or(DocumentForm::Unspecified, |d| d.form)
}

/// `procedure`: the catalogue entry that names each paper's kind; none when a received
/// content is only checked again.
pub(super) fn check_document_list(
    input: Vec<DocumentInput>,
    procedure: Option<&Procedure>,
    errors: &mut Vec<FieldError>,
) -> Vec<SubmittedDocument> {
    let mut out = Vec::with_capacity(input.len());
    for (i, doc) in input.into_iter().enumerate() {
        match text::clean_field(
            "documents",
            "Tên thành phần hồ sơ",
            &doc.name,
            MAX_DOCUMENT_NAME,
            true,
        ) {
            Ok(name) if (1..=MAX_DOCUMENT_COUNT).contains(&doc.count) => {
                out.push(SubmittedDocument {
                    form: procedure.map_or(DocumentForm::Unspecified, |p| catalogue_form(p, &name)),
                    name,
                    count: doc.count,
                })
            }
            Ok(_) => errors.push(field_error(
                "documents",
                format!(
                    "Thành phần thứ {}: số bản phải từ 1 đến {MAX_DOCUMENT_COUNT} (đã nhập {})",
                    i + 1,
                    doc.count
                ),
            )),
            Err(e) => errors.push(field_error(
                "documents",
                format!("Thành phần thứ {}: {e}", i + 1),
            )),
        }
    }
    out
}
