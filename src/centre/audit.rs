//! The operators' audit log: who ran which `motcua-centre` command, when, and on what.
//!
//! Written in the transaction of the action itself where the action has one, so an
//! action and its record stand or fall together. The detail names units, dossier codes,
//! files and counts, never an applicant's data nor a secret (an enrollment code is
//! shown once to the operator and nowhere else).

use chrono::{DateTime, Utc};
use deadpool_postgres::GenericClient;
use serde::Serialize;

use crate::centre::error::ApiError;

/// Who is acting: `--operator NAME`, else the OS user ($USER, then $LOGNAME, then the
/// account of this process's user id, as in a container without those variables).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operator(String);

impl Operator {
    pub fn resolve(given: Option<&str>) -> Result<Operator, String> {
        let name = match given {
            Some(n) => n.to_string(),
            None => os_user(),
        };
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
            return Err("--operator phải có từ 1 đến 100 ký tự, không có ký tự điều khiển".into());
        }
        Ok(Operator(name.to_string()))
    }

    pub fn name(&self) -> &str {
        &self.0
    }
}

fn os_user() -> String {
    if let Some(name) = ["USER", "LOGNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
    {
        return name;
    }
    uid_account().unwrap_or_else(|| "(không rõ)".to_string())
}

#[cfg(unix)]
fn uid_account() -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let uid = std::fs::metadata("/proc/self").ok()?.uid();
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    let named = passwd.lines().find_map(|l| {
        let mut f = l.split(':');
        let name = f.next()?;
        (f.nth(1)?.parse::<u32>().ok()? == uid).then(|| name.to_string())
    });
    Some(named.unwrap_or_else(|| format!("uid {uid}")))
}

#[cfg(not(unix))]
fn uid_account() -> Option<String> {
    None
}

/// One action to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<'a> {
    pub operator: &'a Operator,
    /// The command, e.g. `unit add`, `record`.
    pub action: &'static str,
    pub detail: String,
}

pub async fn log(client: &impl GenericClient, entry: &Entry<'_>) -> Result<(), ApiError> {
    client
        .execute(
            "INSERT INTO operator_audit (operator, action, detail) VALUES ($1, $2, $3)",
            &[&entry.operator.name(), &entry.action, &entry.detail],
        )
        .await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditRow {
    pub at: DateTime<Utc>,
    pub operator: String,
    pub action: String,
    pub detail: String,
}

/// Entries since `since` (all when `None`), oldest first.
pub async fn list(
    client: &impl GenericClient,
    since: Option<DateTime<Utc>>,
) -> Result<Vec<AuditRow>, ApiError> {
    let rows = client
        .query(
            "SELECT at, operator, action, detail FROM operator_audit
             WHERE $1::timestamptz IS NULL OR at >= $1 ORDER BY at, id",
            &[&since],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|r| AuditRow {
            at: r.get(0),
            operator: r.get(1),
            action: r.get(2),
            detail: r.get(3),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_operator_is_named_plainly() {
        assert_eq!(
            Operator::resolve(Some("  Lê Văn An ")).map(|o| o.name().to_string()),
            Ok("Lê Văn An".to_string())
        );
        assert!(Operator::resolve(Some("")).is_err());
        assert!(Operator::resolve(Some("a\nb")).is_err());
        assert!(Operator::resolve(Some(&"x".repeat(101))).is_err());
    }
}
