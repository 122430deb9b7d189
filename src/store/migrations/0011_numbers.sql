-- v11 (numbers): the receipt number and the book place (Quyển số, Số thứ tự) given at
-- intake and carried in the Received event, kept in the projection to allocate the
-- next ones and to print the book in order. Never edit once shipped.

ALTER TABLE dossier ADD COLUMN receipt_no INTEGER;
ALTER TABLE dossier ADD COLUMN book_volume INTEGER;
ALTER TABLE dossier ADD COLUMN book_seq INTEGER;
-- The lĩnh vực of the book the dossier was entered in (the one at receipt).
ALTER TABLE dossier ADD COLUMN book_field TEXT;

-- Older dossiers get their numbers once, here: those their receipt carries (an event
-- a newer desk wrote), else the ones `domain::numbers::legacy` derives from the code
-- `{unit}-YYMMDD-NNNN`: MM×1000000 + DD×10000 + NNNN, in the volume of the desk whose
-- range NNNN lies in. Every desk and the centre compute the same, whenever they upgrade.
UPDATE dossier SET
    receipt_no = coalesce(
        (SELECT json_extract(e.event, '$.body.numbers.receipt') FROM dossier_event e
          WHERE e.dossier_code = dossier.code AND e.kind = 'received' ORDER BY e.at, e.id LIMIT 1),
        CAST(substr(code, -9, 2) AS INTEGER) * 1000000
            + CAST(substr(code, -7, 2) AS INTEGER) * 10000
            + CAST(substr(code, -4) AS INTEGER)),
    book_volume = coalesce(
        (SELECT json_extract(e.event, '$.body.numbers.volume') FROM dossier_event e
          WHERE e.dossier_code = dossier.code AND e.kind = 'received' ORDER BY e.at, e.id LIMIT 1),
        CAST(substr(code, -4, 1) AS INTEGER) + 1),
    book_seq = coalesce(
        (SELECT json_extract(e.event, '$.body.numbers.seq') FROM dossier_event e
          WHERE e.dossier_code = dossier.code AND e.kind = 'received' ORDER BY e.at, e.id LIMIT 1),
        CAST(substr(code, -9, 2) AS INTEGER) * 1000000
            + CAST(substr(code, -7, 2) AS INTEGER) * 10000
            + CAST(substr(code, -4) AS INTEGER)),
    book_field = coalesce(
        (SELECT json_extract(e.event, '$.body.content.procedure.field') FROM dossier_event e
          WHERE e.dossier_code = dossier.code AND e.kind = 'received' ORDER BY e.at, e.id LIMIT 1),
        '');

-- The next number of a desk's range: the highest in that range this year.
CREATE INDEX dossier_receipt_no ON dossier (receipt_no);
CREATE INDEX dossier_book ON dossier (book_field, book_volume, book_seq);
