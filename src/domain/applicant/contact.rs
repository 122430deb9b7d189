//! Checks of the free-text personal fields: full name, phone number and e-mail.

use super::ApplicantError;
use crate::domain::text;

const NAME_MAX: usize = 100;
const EMAIL_MAX: usize = 254;

/// Full name: required, ≤ 100 characters, letters (any script, so Vietnamese and
/// minority names pass) with spaces, apostrophes, hyphens and dots; single spaces.
pub fn validate_name(raw: &str) -> Result<String, ApplicantError> {
    let cleaned = text::clean_field("full_name", "Họ và tên", raw, NAME_MAX, true)
        .map_err(ApplicantError::Text)?;
    let name = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_alphabetic() || matches!(c, ' ' | '\'' | '’' | '-' | '.')))
    {
        return Err(ApplicantError::NameChar(c));
    }
    if !name.chars().any(char::is_alphabetic) {
        return Err(ApplicantError::NameNoLetter);
    }
    Ok(name)
}

/// Normalises a Vietnamese phone number to its domestic digits (`0…`): spaces, dots,
/// dashes and parentheses are dropped, `+84`/`0084` becomes `0` (a stray `(0)` after it
/// too). Mobile: 10 digits `0[35789]…`; landline: 11 digits `02…`. Blank → `None`.
pub fn normalise_phone(raw: Option<&str>) -> Result<Option<String>, ApplicantError> {
    let Some(raw) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let shown = text::nfc(raw);
    let mut rest = raw;
    let mut international = false;
    for prefix in ["+84", "0084"] {
        if let Some(r) = raw.strip_prefix(prefix) {
            rest = r;
            international = true;
            break;
        }
    }
    if rest
        .chars()
        .any(|c| !(c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '(' | ')')))
    {
        return Err(ApplicantError::PhoneChars(shown));
    }
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    let domestic = match (international, digits.strip_prefix('0')) {
        (true, Some(_)) => digits, // "+84 (0)912…": the 0 is already there
        (true, None) => format!("0{digits}"),
        (false, _) => digits,
    };
    let b = domestic.as_bytes();
    let mobile = b.len() == 10 && b[0] == b'0' && matches!(b[1], b'3' | b'5' | b'7' | b'8' | b'9');
    let landline = b.len() == 11 && b[0] == b'0' && b[1] == b'2';
    if mobile || landline {
        Ok(Some(domestic))
    } else {
        Err(ApplicantError::PhoneInvalid(shown))
    }
}

/// A practical e-mail check (not full RFC 5322): one '@', a local part of common
/// characters without leading/trailing/double dots, a domain of ≥ 2 dot-separated labels
/// (letters, digits, inner hyphens) ending in a ≥ 2-letter TLD; ≤ 254 characters.
/// Blank → `None`.
pub fn validate_email(raw: Option<&str>) -> Result<Option<String>, ApplicantError> {
    let cleaned = text::clean_field("email", "Thư điện tử", raw.unwrap_or(""), EMAIL_MAX, false)
        .map_err(ApplicantError::Text)?;
    if cleaned.is_empty() {
        return Ok(None);
    }
    let invalid = || ApplicantError::EmailInvalid(cleaned.clone());
    let (local, domain) = cleaned.split_once('@').ok_or_else(invalid)?;
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
    if local_ok && domain_ok {
        Ok(Some(cleaned))
    } else {
        Err(invalid())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::text::TextError;

    #[test]
    fn names() {
        assert_eq!(validate_name("H'Hen Niê"), Ok("H'Hen Niê".into()));
        assert_eq!(
            validate_name("Nguyễn Văn A. Jr-B"),
            Ok("Nguyễn Văn A. Jr-B".into())
        );
        assert_eq!(
            validate_name("Lê Văn 3"),
            Err(ApplicantError::NameChar('3'))
        );
        assert_eq!(validate_name("- ."), Err(ApplicantError::NameNoLetter));
        assert!(matches!(
            validate_name("Lê\nVăn"),
            Err(ApplicantError::Text(TextError::ControlChar { .. }))
        ));
        assert!(matches!(
            validate_name(&"a".repeat(101)),
            Err(ApplicantError::Text(TextError::TooLong { actual: 101, .. }))
        ));
        assert_eq!(
            validate_name("").map_err(|e| e.to_string()),
            Err("Họ và tên không được để trống".to_string())
        );
    }

    #[test]
    fn phones() {
        let ok = |s: &str| normalise_phone(Some(s)).ok().flatten();
        assert_eq!(ok("0912345678").as_deref(), Some("0912345678"));
        assert_eq!(ok("091.234.5678").as_deref(), Some("0912345678"));
        assert_eq!(ok("+84912345678").as_deref(), Some("0912345678"));
        assert_eq!(ok("+84 (0) 912 345 678").as_deref(), Some("0912345678"));
        assert_eq!(ok("0084 38 123 4567").as_deref(), Some("0381234567"));
        assert_eq!(ok("(024) 3825-1234").as_deref(), Some("02438251234"));
        assert_eq!(normalise_phone(None), Ok(None));
        assert_eq!(normalise_phone(Some("  ")), Ok(None));
        for bad in [
            "0123456789",
            "091234567",
            "09123456789",
            "0212345678",
            "1912345678",
        ] {
            assert_eq!(
                normalise_phone(Some(bad)),
                Err(ApplicantError::PhoneInvalid(bad.into())),
                "{bad}"
            );
        }
        assert_eq!(
            normalise_phone(Some("0912 abc")),
            Err(ApplicantError::PhoneChars("0912 abc".into()))
        );
        assert_eq!(
            normalise_phone(Some("84+912345678")),
            Err(ApplicantError::PhoneChars("84+912345678".into()))
        );
    }

    #[test]
    fn emails() {
        for ok in [
            "a@b.vn",
            "hoa.nguyen+mc@ubnd.hanoi.gov.vn",
            "x_y@mail-1.example.com",
        ] {
            assert_eq!(validate_email(Some(ok)), Ok(Some(ok.to_string())));
        }
        assert_eq!(validate_email(None), Ok(None));
        for bad in [
            "a",
            "a@b",
            "@b.vn",
            "a@@b.vn",
            "a..b@c.vn",
            ".a@b.vn",
            "a@-b.vn",
            "a@b.v",
            "a b@c.vn",
            "a@b.1",
        ] {
            assert_eq!(
                validate_email(Some(bad)),
                Err(ApplicantError::EmailInvalid(bad.into())),
                "{bad}"
            );
        }
        let long = format!("{}@example.vn", "a".repeat(250));
        assert!(matches!(
            validate_email(Some(&long)),
            Err(ApplicantError::Text(TextError::TooLong { max: 254, .. }))
        ));
    }
}
