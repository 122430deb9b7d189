//! Console accounts: argon2id like the desk's clerks, three roles, and a bounded number
//! of failed sign-ins per account (the per-address bound is the web layer's throttle).

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, Duration, Utc};
use deadpool_postgres::GenericClient;

use crate::centre::error::ApiError;

pub const MIN_PASSWORD_CHARS: usize = 10;
/// Failed sign-ins in a row before an account waits [`LOCK_MINUTES`].
pub const MAX_FAILED: i32 = 5;
pub const LOCK_MINUTES: i64 = 15;

/// What an operator may see and do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// Everything, every unit.
    Province,
    /// Reads their own unit only.
    Leader { unit: String },
    /// Reads every unit, changes nothing.
    Auditor,
}

impl Role {
    pub fn parse(name: &str, unit: Option<String>) -> Result<Role, String> {
        match (name, unit) {
            ("province", None) => Ok(Role::Province),
            ("auditor", None) => Ok(Role::Auditor),
            ("leader", Some(unit)) => Ok(Role::Leader { unit }),
            ("leader", None) => Err("Lãnh đạo đơn vị cần --unit MÃ_ĐƠN_VỊ".into()),
            ("province" | "auditor", Some(_)) => {
                Err("Chỉ vai trò lãnh đạo đơn vị (leader) gắn với một đơn vị".into())
            }
            (other, _) => Err(format!(
                "Vai trò '{other}' không có; chọn province, leader hoặc auditor"
            )),
        }
    }

    pub fn key(&self) -> &'static str {
        match self {
            Role::Province => "province",
            Role::Leader { .. } => "leader",
            Role::Auditor => "auditor",
        }
    }

    pub fn label(&self) -> String {
        match self {
            Role::Province => "Quản trị cấp tỉnh".into(),
            Role::Leader { unit } => format!("Lãnh đạo đơn vị {unit}"),
            Role::Auditor => "Kiểm tra (chỉ xem)".into(),
        }
    }

    /// The one unit this role is held to, if any.
    pub fn own_unit(&self) -> Option<&str> {
        match self {
            Role::Leader { unit } => Some(unit),
            _ => None,
        }
    }

    pub fn may_change(&self) -> bool {
        *self == Role::Province
    }

    /// The unit filter a page may use: a leader always gets their own unit, and asking
    /// for another one (a changed link or form field) is refused, not silently widened.
    pub fn unit_scope(&self, asked: Option<&str>) -> Result<Option<String>, ApiError> {
        let asked = asked.map(str::trim).filter(|u| !u.is_empty());
        match (self.own_unit(), asked) {
            (Some(own), Some(a)) if a != own => Err(ApiError::Forbidden(
                "Tài khoản lãnh đạo đơn vị chỉ được xem đơn vị của mình".into(),
            )),
            (Some(own), _) => Ok(Some(own.to_string())),
            (None, a) => Ok(a.map(str::to_string)),
        }
    }
}

/// A signed-in operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub username: String,
    pub full_name: String,
    pub role: Role,
}

pub struct NewOperator<'a> {
    pub username: &'a str,
    pub full_name: &'a str,
    pub role: Role,
    pub password: &'a str,
}

// By hand: a password never reaches a log line.
impl std::fmt::Debug for NewOperator<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewOperator")
            .field("username", &self.username)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

fn bad(msg: impl Into<String>) -> ApiError {
    ApiError::BadRequest(msg.into())
}

pub fn check_username(raw: &str) -> Result<String, ApiError> {
    let name = raw.trim().to_lowercase();
    let ok = (3..=40).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    if !ok {
        return Err(bad(
            "Tên đăng nhập: 3–40 ký tự, chỉ chữ thường không dấu, số, dấu chấm, gạch ngang, gạch dưới",
        ));
    }
    Ok(name)
}

fn hash_password(password: &str) -> Result<String, ApiError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)
        .map_err(|e| ApiError::Internal(format!("không tạo được muối mật khẩu: {e}")))?;
    let salt = SaltString::encode_b64(&bytes)
        .map_err(|e| ApiError::Internal(format!("không tạo được muối mật khẩu: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::Internal(format!("không băm được mật khẩu: {e}")))
}

fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

fn check_password(password: &str) -> Result<(), ApiError> {
    if password.chars().count() < MIN_PASSWORD_CHARS || password.len() > 1024 {
        return Err(bad(format!(
            "Mật khẩu: cần từ {MIN_PASSWORD_CHARS} ký tự (tối đa 1024 byte)"
        )));
    }
    Ok(())
}

/// Adds an account (in the caller's transaction, beside its audit entry).
pub async fn add(client: &impl GenericClient, new: &NewOperator<'_>) -> Result<String, ApiError> {
    let username = check_username(new.username)?;
    let full_name = new.full_name.trim();
    if full_name.is_empty()
        || full_name.chars().count() > 100
        || full_name.chars().any(char::is_control)
    {
        return Err(bad("Họ tên: từ 1 đến 100 ký tự, không có ký tự điều khiển"));
    }
    check_password(new.password)?;
    if let Some(unit) = new.role.own_unit() {
        let known = client
            .query_opt("SELECT 1 FROM unit WHERE code = $1", &[&unit])
            .await?;
        if known.is_none() {
            return Err(ApiError::NotFound(format!(
                "Không có đơn vị {unit}: thêm bằng `motcua-centre unit add` trước"
            )));
        }
    }
    let hash = hash_password(new.password)?;
    let inserted = client
        .execute(
            "INSERT INTO console_operator (username, full_name, role, unit_code, password_hash)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (username) DO NOTHING",
            &[
                &username,
                &full_name,
                &new.role.key(),
                &new.role.own_unit(),
                &hash,
            ],
        )
        .await?;
    if inserted == 0 {
        return Err(ApiError::Conflict(format!(
            "Tên đăng nhập {username} đã có"
        )));
    }
    Ok(username)
}

/// Why a sign-in did not succeed. The page says the same thing for a wrong name and a
/// wrong password, so it does not tell which names exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInError {
    Mismatch,
    /// The right password of a disabled account (told only then).
    Disabled,
    Locked {
        until: DateTime<Utc>,
    },
}

/// A PHC string of the same cost as a real one, checked when the name is unknown so the
/// time taken does not tell names apart.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

/// Checks a password. A wrong one counts against the account; at [`MAX_FAILED`] in a
/// row it waits [`LOCK_MINUTES`] (a right password included); a right one clears it.
pub async fn sign_in(
    client: &impl GenericClient,
    username: &str,
    password: &str,
) -> Result<Result<Account, SignInError>, ApiError> {
    let Ok(username) = check_username(username) else {
        let _ = verify(password, DUMMY_HASH);
        return Ok(Err(SignInError::Mismatch));
    };
    let row = client
        .query_opt(
            "SELECT full_name, role, unit_code, password_hash, locked_until
             FROM console_operator WHERE username = $1",
            &[&username],
        )
        .await?;
    let Some(row) = row else {
        let _ = verify(password, DUMMY_HASH);
        return Ok(Err(SignInError::Mismatch));
    };
    let locked_until: Option<DateTime<Utc>> = row.get(4);
    if let Some(until) = locked_until.filter(|u| *u > Utc::now()) {
        return Ok(Err(SignInError::Locked { until }));
    }
    let hash: String = row.get(3);
    if let Some(kept) = hash.strip_prefix(DISABLED) {
        return Ok(Err(if verify(password, kept) {
            SignInError::Disabled
        } else {
            SignInError::Mismatch
        }));
    }
    if !verify(password, &hash) {
        let lock_at = Utc::now() + Duration::minutes(LOCK_MINUTES);
        client
            .execute(
                "UPDATE console_operator SET
                   failed_count = CASE WHEN failed_count + 1 >= $2 THEN 0 ELSE failed_count + 1 END,
                   locked_until = CASE WHEN failed_count + 1 >= $2 THEN $3 ELSE locked_until END
                 WHERE username = $1",
                &[&username, &MAX_FAILED, &lock_at],
            )
            .await?;
        return Ok(Err(SignInError::Mismatch));
    }
    client
        .execute(
            "UPDATE console_operator SET failed_count = 0, locked_until = NULL WHERE username = $1",
            &[&username],
        )
        .await?;
    let role = Role::parse(row.get(1), row.get(2)).map_err(ApiError::Internal)?;
    Ok(Ok(Account {
        username,
        full_name: row.get(0),
        role,
    }))
}

/// A disabled account's hash starts with this mark (as a locked account's does in
/// `/etc/shadow`): no password matches it, and enabling gives the old one back.
pub const DISABLED: &str = "!";

/// An account as the province operator manages it.
#[derive(Debug, Clone)]
pub struct Listed {
    pub account: Account,
    pub disabled: bool,
    pub locked_until: Option<DateTime<Utc>>,
}

/// Every account, by name.
pub async fn list(client: &impl GenericClient) -> Result<Vec<Listed>, ApiError> {
    let rows = client
        .query(
            "SELECT username, full_name, role, unit_code, password_hash LIKE '!%', locked_until
             FROM console_operator ORDER BY username",
            &[],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Listed {
                account: Account {
                    username: r.get(0),
                    full_name: r.get(1),
                    role: Role::parse(r.get(2), r.get(3)).map_err(ApiError::Internal)?,
                },
                disabled: r.get(4),
                locked_until: r.get(5),
            })
        })
        .collect()
}

fn unknown(username: &str) -> ApiError {
    ApiError::NotFound(format!("Không có tài khoản {username}"))
}

/// Disables or enables an account (the caller ends its sessions in the same
/// transaction). Doing what is already so is no error.
pub async fn set_enabled(
    client: &impl GenericClient,
    username: &str,
    enabled: bool,
) -> Result<(), ApiError> {
    let username = check_username(username)?;
    let sql = if enabled {
        "UPDATE console_operator SET password_hash = CASE WHEN password_hash LIKE '!%'
             THEN substr(password_hash, 2) ELSE password_hash END WHERE username = $1"
    } else {
        "UPDATE console_operator SET password_hash = CASE WHEN password_hash LIKE '!%'
             THEN password_hash ELSE '!' || password_hash END WHERE username = $1"
    };
    if client.execute(sql, &[&username]).await? == 0 {
        return Err(unknown(&username));
    }
    Ok(())
}

/// Sets a new password (a reset by the province, or one's own change once the old one
/// was checked); a disabled account stays disabled, a lock is lifted.
pub async fn set_password(
    client: &impl GenericClient,
    username: &str,
    password: &str,
) -> Result<(), ApiError> {
    let username = check_username(username)?;
    check_password(password)?;
    let hash = hash_password(password)?;
    let n = client
        .execute(
            "UPDATE console_operator SET
               password_hash = CASE WHEN password_hash LIKE '!%' THEN '!' ELSE '' END || $2,
               failed_count = 0, locked_until = NULL
             WHERE username = $1",
            &[&username, &hash],
        )
        .await?;
    if n == 0 {
        return Err(unknown(&username));
    }
    Ok(())
}

/// Whether `password` is the account's own (for a change of one's own password).
pub async fn password_matches(
    client: &impl GenericClient,
    username: &str,
    password: &str,
) -> Result<bool, ApiError> {
    let row = client
        .query_opt(
            "SELECT password_hash FROM console_operator WHERE username = $1",
            &[&username],
        )
        .await?;
    let Some(row) = row else {
        return Ok(false);
    };
    let hash: String = row.get(0);
    Ok(verify(password, &hash))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_and_hold_a_leader_to_their_unit() {
        assert_eq!(Role::parse("province", None), Ok(Role::Province));
        assert!(Role::parse("leader", None).is_err());
        assert!(Role::parse("auditor", Some("X".into())).is_err());
        assert!(Role::parse("root", None).is_err());
        let leader = Role::Leader { unit: "A".into() };
        assert_eq!(leader.unit_scope(None).ok(), Some(Some("A".to_string())));
        assert_eq!(
            leader.unit_scope(Some("A")).ok(),
            Some(Some("A".to_string()))
        );
        assert!(leader.unit_scope(Some("B")).is_err());
        assert_eq!(
            Role::Auditor.unit_scope(Some("B")).ok(),
            Some(Some("B".to_string()))
        );
        assert!(!Role::Auditor.may_change() && !leader.may_change());
        assert!(Role::Province.may_change());
    }

    #[test]
    fn usernames_are_plain() {
        assert_eq!(
            check_username(" Lan.Nguyen ").ok(),
            Some("lan.nguyen".to_string())
        );
        assert!(check_username("ab").is_err());
        assert!(check_username("lan nguyen").is_err());
        assert!(check_username("<script>").is_err());
    }
}
