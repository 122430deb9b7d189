//! The report as CSV (UTF-8 with a byte-order mark, so Excel shows the diacritics): the
//! 13 columns of the form, then the on-time rate on its own line below the table, and the "nhận hộ" note
//! when the unit received dossiers for another.

use std::io::Write;

use crate::domain::report::Report;
use crate::domain::text::escape_controls;
use crate::report::{COLUMNS, for_others_line, lines, rate_line};

pub fn write_csv(report: &Report, out: &mut impl Write) -> std::io::Result<()> {
    out.write_all("\u{feff}".as_bytes())?;
    let mut w = csv::WriterBuilder::new().flexible(true).from_writer(out);
    let err = |e: csv::Error| std::io::Error::other(e.to_string());
    w.write_record(COLUMNS).map_err(err)?;
    for line in lines(report) {
        // Labels can come from synced data: no control character reaches a cell.
        let mut record = vec![
            line.number.clone(),
            escape_controls(&line.label).into_owned(),
        ];
        record.extend(line.values().iter().map(u64::to_string));
        w.write_record(&record).map_err(err)?;
    }
    w.write_record(["", &rate_line(report)]).map_err(err)?;
    if let Some(note) = for_others_line(report) {
        w.write_record(["", &note]).map_err(err)?;
    }
    w.flush()
}
