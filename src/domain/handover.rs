//! Cross-commune dossiers ("tiếp nhận không phụ thuộc địa giới hành chính", issue 23):
//! a citizen files at ward A a matter ward B decides. Who writes such a dossier, when.
//!
//! # What the law leaves open, and what we chose
//!
//! Sources read: TT 01/2018/TT-VPCP Art 19 (the dossier code starts with "mã định danh
//! của cơ quan có thẩm quyền **tiếp nhận**"), TT 04/2025/TT-VPCP Art 23(2) adding khoản 3
//! to Điều 13 TT 03/2025 (only for nationally centralised services: the code starts with
//! the *resolving* agency's ID and a central counter), and how provincial systems
//! generate codes (ThanhHoa `GenerateMaHoSo`: `{receiving unit}-{yyMMdd}-{counter per
//! unit}`). The text of TT 03/2025 Art 13(1)–(2) and of Đồng Nai QĐ 2095/QĐ-UBND
//! (31/10/2025) was not retrieved (searched; not in the stored corpora): UNCONFIRMED.
//!
//! * **Code prefix: the receiving unit.** The code is given at the counter, offline,
//!   from the receiving desk's own daily range, so it is final the moment the receipt
//!   prints (design §4). This is the normal structure (the receiving agency's ID); the
//!   resolving agency's prefix of Art 13(3) belongs to a central system handing out
//!   numbers online, which a ward desk cannot be. The deciding unit is carried beside
//!   the code in the receipt event ([`EventBody::Received`]'s `deciding_unit`).
//! * **Clock: from receipt at the receiving counter.** The due time is computed at
//!   intake from the moment of receipt, with the province's calendar and catalogue
//!   (both province-wide, so either unit computes the same date), and printed on Mẫu 01:
//!   the citizen's promise does not move when the file travels. The handover to the
//!   deciding unit happens inside that time, as forwarding to the processing department
//!   always has (NĐ 61 Art 18). Lateness is the deciding unit's: reports count the
//!   dossier once, there ([`counted_at`]); the receiving unit sees it as "nhận hộ".
//!
//! # The handover: one writing unit at a time
//!
//! 1. From intake until handover the receiving unit writes (checks, supplements,
//!    corrections, refusal, …); the deciding unit only reads.
//! 2. The receiving unit's `Transferred` ("Chuyển xử lý") is the handover: from then on
//!    the deciding unit writes every step.
//! 3. After the handover the receiving unit keeps read access and may write one thing:
//!    the return of the result (`Returned`), when the citizen collects it there.
//! 4. A unit that is neither the code's unit nor the deciding unit never writes.
//!
//! An ordinary dossier (no deciding unit, or the receiving unit itself) is written by
//! its own unit only, as before.

use crate::domain::event::{EventBody, EventKind};
use crate::domain::procedure::ProcedureCode;
use crate::domain::unit::UnitCode;

/// Most procedures a province's list may hold (a province publishes a few hundred).
pub const MAX_LISTED_PROCEDURES: usize = 5000;

/// Parses the province's list of procedures any commune may receive: one national
/// procedure code per line (`1.001193`); blank lines and `#` comments are skipped,
/// and a line may go on after the code with a tab or `;` (the procedure's name, as
/// copied from the decision's annex). Errors name the line.
pub fn parse_procedure_list(text: &str) -> Result<Vec<ProcedureCode>, String> {
    let mut out = std::collections::BTreeSet::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_start_matches('\u{feff}').trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let code = line
            .split(['\t', ';', ','])
            .next()
            .unwrap_or_default()
            .trim();
        let code = ProcedureCode::parse(code).map_err(|e| format!("Dòng {}: {e}", i + 1))?;
        out.insert(code);
        if out.len() > MAX_LISTED_PROCEDURES {
            return Err(format!(
                "Danh mục có quá {MAX_LISTED_PROCEDURES} thủ tục (dòng {})",
                i + 1
            ));
        }
    }
    if out.is_empty() {
        return Err("Tệp không có mã thủ tục nào (mỗi dòng một mã, ví dụ 1.001193)".into());
    }
    Ok(out.into_iter().collect())
}

/// The two units of a dossier and where it stands in the handover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DossierUnits<'a> {
    /// The code's unit: the counter that took it in.
    pub receiving: &'a UnitCode,
    /// The unit that decides it, when not the receiving one.
    pub deciding: Option<&'a UnitCode>,
    /// Whether the receiving unit has handed it over (its `Transferred`).
    pub handed_over: bool,
}

impl<'a> DossierUnits<'a> {
    /// The units as a receipt names them: `deciding` equal to the receiving unit is the
    /// ordinary case.
    pub fn new(receiving: &'a UnitCode, deciding: Option<&'a UnitCode>, handed_over: bool) -> Self {
        Self {
            receiving,
            deciding: deciding.filter(|d| *d != receiving),
            handed_over,
        }
    }

    /// A dossier received for another unit of the province.
    pub fn is_cross(&self) -> bool {
        self.deciding.is_some()
    }

    /// The unit that writes the dossier's next steps now.
    pub fn writer(&self) -> &'a UnitCode {
        match self.deciding {
            Some(d) if self.handed_over => d,
            _ => self.receiving,
        }
    }

    /// Whether `unit` may read the dossier (see it in its feed and F3).
    pub fn may_read(&self, unit: &UnitCode) -> bool {
        unit == self.receiving || self.deciding == Some(unit)
    }

    /// May `unit` write an event of `kind`? Refuses with a Vietnamese reason.
    pub fn check_write(&self, unit: &UnitCode, kind: EventKind) -> Result<(), String> {
        if kind == EventKind::Received {
            return if unit == self.receiving {
                Ok(())
            } else {
                Err(format!(
                    "Đơn vị {unit} không được ghi phiếu tiếp nhận hồ sơ này: chỉ đơn vị {} \
                     (nơi tiếp nhận) được ghi",
                    self.receiving
                ))
            };
        }
        if unit == self.writer() {
            return Ok(());
        }
        let Some(deciding) = self.deciding else {
            return Err(format!(
                "Hồ sơ thuộc đơn vị {}; đơn vị {unit} không được ghi vào hồ sơ này",
                self.receiving
            ));
        };
        if unit == self.receiving && kind == EventKind::Returned {
            // The citizen collects the result where they filed it.
            return Ok(());
        }
        if unit == self.receiving {
            return Err(format!(
                "Hồ sơ đã bàn giao cho đơn vị {deciding} giải quyết; đơn vị tiếp nhận chỉ \
                 được xem và ghi trả kết quả"
            ));
        }
        if unit == deciding {
            return Err(format!(
                "Đơn vị {} chưa bàn giao (chuyển xử lý) hồ sơ; đơn vị {deciding} chỉ được \
                 xem cho đến khi nhận bàn giao",
                self.receiving
            ));
        }
        Err(format!(
            "Hồ sơ do đơn vị {} tiếp nhận và đơn vị {deciding} giải quyết; đơn vị {unit} \
             không được ghi vào hồ sơ này",
            self.receiving
        ))
    }
}

/// Whether `body` hands the dossier over: the receiving unit's `Transferred` on a
/// cross-commune dossier (the caller knows the writer is the receiving unit).
pub fn is_handover(body: &EventBody) -> bool {
    matches!(body, EventBody::Transferred { .. })
}

/// The unit whose reports count the dossier (Biểu 06, the 766 figures, the DVCQG
/// export): the deciding unit, or the receiving unit for an ordinary dossier.
pub fn counted_at<'a>(receiving: &'a UnitCode, deciding: Option<&'a UnitCode>) -> &'a UnitCode {
    deciding.unwrap_or(receiving)
}

/// Whether `unit` received the dossier for another unit ("nhận hộ").
pub fn received_for_other(
    unit: &UnitCode,
    receiving: &UnitCode,
    deciding: Option<&UnitCode>,
) -> bool {
    unit == receiving && deciding.is_some_and(|d| d != receiving)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(s: &str) -> UnitCode {
        UnitCode::parse(s).expect("unit")
    }

    #[test]
    fn an_ordinary_dossier_is_written_by_its_own_unit_only() {
        let (a, b) = (unit("H22.39.15"), unit("H22.39.16"));
        let units = DossierUnits::new(&a, Some(&a), false);
        assert!(!units.is_cross());
        assert!(units.check_write(&a, EventKind::Transferred).is_ok());
        let err = units
            .check_write(&b, EventKind::ResultReady)
            .expect_err("other");
        assert!(err.contains("không được ghi"), "{err}");
        assert!(!units.may_read(&b));
    }

    #[test]
    fn the_receiving_unit_writes_until_the_handover_then_the_deciding_unit() {
        let (a, b) = (unit("H22.39.15"), unit("H22.39.16"));
        let before = DossierUnits::new(&a, Some(&b), false);
        assert!(before.is_cross());
        assert_eq!(before.writer(), &a);
        assert!(
            before
                .check_write(&a, EventKind::SupplementRequested)
                .is_ok()
        );
        assert!(before.check_write(&a, EventKind::Transferred).is_ok());
        let err = before
            .check_write(&b, EventKind::ResultReady)
            .expect_err("not yet");
        assert!(err.contains("chưa bàn giao"), "{err}");
        assert!(before.may_read(&b) && before.may_read(&a));

        let after = DossierUnits::new(&a, Some(&b), true);
        assert_eq!(after.writer(), &b);
        for kind in [
            EventKind::ResultReady,
            EventKind::SupplementRequested,
            EventKind::Returned,
            EventKind::DocumentAttached,
        ] {
            assert!(after.check_write(&b, kind).is_ok(), "{kind:?}");
        }
        // The receiving unit reads and may hand the result back, nothing else.
        assert!(after.check_write(&a, EventKind::Returned).is_ok());
        let err = after
            .check_write(&a, EventKind::ResultReady)
            .expect_err("read only");
        assert!(err.contains("đã bàn giao"), "{err}");
        // Only the receiving unit writes the receipt.
        assert!(after.check_write(&b, EventKind::Received).is_err());
    }

    #[test]
    fn a_third_unit_never_writes_nor_reads() {
        let (a, b, c) = (unit("H22.39.15"), unit("H22.39.16"), unit("H22.40"));
        for handed_over in [false, true] {
            let units = DossierUnits::new(&a, Some(&b), handed_over);
            assert!(!units.may_read(&c));
            for kind in EventKind::ALL {
                let err = units.check_write(&c, kind).expect_err("third unit");
                assert!(err.contains("H22.40"), "{err}");
            }
        }
    }

    #[test]
    fn the_province_list_is_read_line_by_line_with_clear_errors() {
        let list = parse_procedure_list(
            "# QĐ 2095/QĐ-UBND\n1.001193\tĐăng ký khai sinh\n\n2.000815; Chứng thực bản sao\n1.001193\n",
        )
        .expect("list");
        let codes: Vec<&str> = list.iter().map(|c| c.as_str()).collect();
        assert_eq!(codes, ["1.001193", "2.000815"]);
        let err = parse_procedure_list("1.001193\nkhai sinh\n").expect_err("bad line");
        assert!(err.starts_with("Dòng 2:"), "{err}");
        assert!(parse_procedure_list("# trống\n").is_err());
    }

    #[test]
    fn reports_count_at_the_deciding_unit_and_the_receiver_sees_nhan_ho() {
        let (a, b) = (unit("H22.39.15"), unit("H22.39.16"));
        assert_eq!(counted_at(&a, Some(&b)), &b);
        assert_eq!(counted_at(&a, None), &a);
        assert!(received_for_other(&a, &a, Some(&b)));
        assert!(!received_for_other(&b, &a, Some(&b)));
        assert!(!received_for_other(&a, &a, Some(&a)));
        assert!(!received_for_other(&a, &a, None));
    }
}
