//! Local clerk accounts: sign-in works offline, so the desk keeps an argon2 hash of
//! each clerk's password (never the password) and who is an administrator.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rusqlite::{OptionalExtension, params};

use crate::domain::clock::{Timestamp, format_rfc3339};
use crate::domain::text;
use crate::store::Store;
use crate::store::error::{Result, StoreError};

/// Shortest password accepted for a clerk account.
pub const MIN_PASSWORD_CHARS: usize = 8;
const MAX_USERNAME: usize = 40;
const MAX_FULL_NAME: usize = 100;

/// A clerk as the application knows them after sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clerk {
    pub username: String,
    pub full_name: String,
    pub is_admin: bool,
    pub active: bool,
}

/// A new account as typed on the setup or settings screen, unchecked.
#[derive(Debug, Clone, Default)]
pub struct NewClerk {
    pub username: String,
    pub full_name: String,
    pub password: String,
    pub is_admin: bool,
}

/// A new account whose name, full name and password passed their checks.
struct CheckedClerk {
    username: String,
    full_name: String,
    hash: String,
    is_admin: bool,
}

impl CheckedClerk {
    fn of(input: &NewClerk) -> Result<CheckedClerk> {
        let username = check_username(&input.username)?;
        let full_name = text::clean_field(
            "full_name",
            "Họ và tên",
            &input.full_name,
            MAX_FULL_NAME,
            true,
        )
        .map_err(|e| invalid(e.to_string()))?;
        check_password(&input.password)?;
        let hash = hash_password(&input.password)?;
        Ok(CheckedClerk {
            username,
            full_name,
            hash,
            is_admin: input.is_admin,
        })
    }

    /// Writes the account in `tx`; the name must be new.
    fn insert(&self, tx: &rusqlite::Transaction<'_>, now: Timestamp) -> Result<Clerk> {
        let taken: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM clerk WHERE username = ?1)",
            [&self.username],
            |r| r.get(0),
        )?;
        if taken {
            return Err(invalid(format!(
                "Tên đăng nhập {} đã có; chọn tên khác",
                self.username
            )));
        }
        tx.execute(
            "INSERT INTO clerk (username, full_name, password_hash, role, active, created_at)
             VALUES (?1, ?2, ?3, ?4, 1, ?5)",
            params![
                self.username,
                self.full_name,
                self.hash,
                role(self.is_admin),
                format_rfc3339(now)
            ],
        )?;
        Ok(Clerk {
            username: self.username.clone(),
            full_name: self.full_name.clone(),
            is_admin: self.is_admin,
            active: true,
        })
    }
}

/// Why a sign-in failed. Unknown user and wrong password read the same on purpose.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoginError {
    #[error("Tên đăng nhập hoặc mật khẩu không đúng")]
    Mismatch,
    #[error("Tài khoản {0} đã bị khóa; liên hệ quản trị viên")]
    Disabled(String),
}

fn invalid(msg: impl Into<String>) -> StoreError {
    StoreError::Invalid(msg.into())
}

/// Lower-case ASCII letters, digits, dot, dash and underscore: easy to type at any
/// keyboard layout and unambiguous in the event log's `actor`.
fn check_username(raw: &str) -> Result<String> {
    let name = raw.trim().to_lowercase();
    if name.is_empty() {
        return Err(invalid("Tên đăng nhập: không được để trống"));
    }
    if name.chars().count() > MAX_USERNAME {
        return Err(invalid(format!(
            "Tên đăng nhập: tối đa {MAX_USERNAME} ký tự"
        )));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'))
    {
        return Err(invalid(
            "Tên đăng nhập: chỉ dùng chữ không dấu, chữ số và . - _ (ví dụ: nguyen.lan)",
        ));
    }
    Ok(name)
}

fn check_password(password: &str) -> Result<()> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(invalid(format!(
            "Mật khẩu: cần ít nhất {MIN_PASSWORD_CHARS} ký tự"
        )));
    }
    Ok(())
}

fn hash_password(password: &str) -> Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)
        .map_err(|e| invalid(format!("Không tạo được muối mật khẩu: {e}")))?;
    let salt = SaltString::encode_b64(&bytes)
        .map_err(|e| invalid(format!("Không tạo được muối mật khẩu: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| invalid(format!("Không băm được mật khẩu: {e}")))
}

fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// The v1 schema's role column: administrators manage settings and accounts.
fn role(is_admin: bool) -> &'static str {
    if is_admin { "admin" } else { "clerk" }
}

fn clerk_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Clerk> {
    Ok(Clerk {
        username: r.get(0)?,
        full_name: r.get(1)?,
        is_admin: r.get::<_, String>(2)? == "admin",
        active: r.get(3)?,
    })
}

impl Store {
    /// True once any account exists (the first-run screen creates the first one).
    pub fn has_clerks(&self) -> Result<bool> {
        Ok(self
            .conn()
            .query_row("SELECT EXISTS (SELECT 1 FROM clerk)", [], |r| r.get(0))?)
    }

    pub fn clerks(&self) -> Result<Vec<Clerk>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT username, full_name, role, active FROM clerk ORDER BY username")?;
        let rows = stmt.query_map([], clerk_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Adds an account; the name must be new.
    pub fn add_clerk(&mut self, input: &NewClerk, now: Timestamp) -> Result<Clerk> {
        let checked = CheckedClerk::of(input)?;
        self.write(|tx| checked.insert(tx, now))
    }

    /// First-run set-up in ONE transaction: the unit and this desk (unless `unit` is
    /// `None`: the database already has them) and the first administrator. Everything
    /// is checked before anything is written, so a refusal leaves nothing half done.
    pub fn set_up(
        &mut self,
        unit: Option<&crate::store::setup::InitInput>,
        admin: &NewClerk,
        now: Timestamp,
    ) -> Result<Clerk> {
        let unit = match unit {
            Some(input) => {
                let (unit, index) = input.validate()?;
                if let Some(existing) = self.unit_opt()? {
                    return Err(StoreError::AlreadyInitialised(existing.code.to_string()));
                }
                let desk = crate::store::setup::DeskConfig {
                    desk_id: uuid::Uuid::now_v7().to_string(),
                    index,
                };
                Some((unit, desk))
            }
            None => None,
        };
        let checked = CheckedClerk::of(admin)?;
        self.write(|tx| {
            if let Some((unit, desk)) = &unit {
                crate::store::setup::insert_unit(tx, unit, desk, now)?;
            }
            checked.insert(tx, now)
        })
    }

    /// Checks a password; on success records the sign-in time.
    pub fn login(
        &mut self,
        username: &str,
        password: &str,
        now: Timestamp,
    ) -> Result<std::result::Result<Clerk, LoginError>> {
        let username = username.trim().to_lowercase();
        let row = self
            .conn()
            .query_row(
                "SELECT username, full_name, role, active, password_hash FROM clerk
                 WHERE username = ?1",
                [&username],
                |r| {
                    Ok((
                        clerk_row(r)?,
                        r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                    ))
                },
            )
            .optional()?;
        let Some((clerk, hash)) = row else {
            // Spend the same effort as a real check so timing does not tell names apart.
            let _ = verify(
                password,
                "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            );
            return Ok(Err(LoginError::Mismatch));
        };
        if !verify(password, &hash) {
            return Ok(Err(LoginError::Mismatch));
        }
        if !clerk.active {
            return Ok(Err(LoginError::Disabled(clerk.username)));
        }
        self.write(|tx| {
            tx.execute(
                "UPDATE clerk SET last_login_at = ?1 WHERE username = ?2",
                params![format_rfc3339(now), clerk.username],
            )?;
            Ok(())
        })?;
        Ok(Ok(clerk))
    }

    /// Checks a clerk's password without changing anything (unlocking the screen).
    pub fn check_password(&self, username: &str, password: &str) -> Result<bool> {
        let hash: Option<Option<String>> = self
            .conn()
            .query_row(
                "SELECT password_hash FROM clerk WHERE username = ?1 AND active = 1",
                [username],
                |r| r.get(0),
            )
            .optional()?;
        Ok(hash.flatten().is_some_and(|h| verify(password, &h)))
    }

    pub fn set_password(&mut self, username: &str, password: &str) -> Result<()> {
        check_password(password)?;
        let hash = hash_password(password)?;
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE clerk SET password_hash = ?1 WHERE username = ?2",
                params![hash, username],
            )?;
            if n == 0 {
                return Err(invalid(format!("Không có tài khoản {username}")));
            }
            Ok(())
        })
    }

    /// Enables or disables an account; the last active administrator cannot be disabled.
    pub fn set_clerk_active(&mut self, username: &str, active: bool) -> Result<()> {
        self.write(|tx| {
            if !active {
                let other_admins: i64 = tx.query_row(
                    "SELECT COUNT(*) FROM clerk WHERE role = 'admin' AND active = 1 AND username <> ?1",
                    [username],
                    |r| r.get(0),
                )?;
                let is_admin: bool = tx
                    .query_row(
                        "SELECT role = 'admin' FROM clerk WHERE username = ?1",
                        [username],
                        |r| r.get(0),
                    )
                    .optional()?
                    .unwrap_or(false);
                if is_admin && other_admins == 0 {
                    return Err(invalid(
                        "Không thể khóa quản trị viên cuối cùng; hãy tạo quản trị viên khác trước",
                    ));
                }
            }
            tx.execute(
                "UPDATE clerk SET active = ?1 WHERE username = ?2",
                params![active, username],
            )?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clock::now_vn;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(crate::store::paths::DataPaths::in_dir(dir.path())).expect("open");
        (dir, store)
    }

    fn lan() -> NewClerk {
        NewClerk {
            username: " Nguyen.Lan ".into(),
            full_name: "Nguyễn Thị Lan".into(),
            password: "mật khẩu dài".into(),
            is_admin: true,
        }
    }

    #[test]
    fn login_checks_the_hash_and_never_stores_the_password() {
        let (_d, mut s) = store();
        assert!(!s.has_clerks().expect("q"));
        let c = s.add_clerk(&lan(), now_vn()).expect("add");
        assert_eq!(c.username, "nguyen.lan");
        assert!(s.has_clerks().expect("q"));
        let stored: String = s
            .conn()
            .query_row("SELECT password_hash FROM clerk", [], |r| r.get(0))
            .expect("row");
        assert!(stored.starts_with("$argon2id$"));
        assert!(!stored.contains("mật khẩu"));
        assert_eq!(
            s.login("NGUYEN.LAN", "mật khẩu dài", now_vn()).expect("db"),
            Ok(c)
        );
        assert_eq!(
            s.login("nguyen.lan", "sai mật khẩu", now_vn()).expect("db"),
            Err(LoginError::Mismatch)
        );
        assert_eq!(
            s.login("khong.co", "mật khẩu dài", now_vn()).expect("db"),
            Err(LoginError::Mismatch)
        );
        assert!(s.check_password("nguyen.lan", "mật khẩu dài").expect("db"));
    }

    #[test]
    fn bad_accounts_are_refused_in_vietnamese() {
        let (_d, mut s) = store();
        let short = NewClerk {
            password: "ngắn".into(),
            ..lan()
        };
        let e = s.add_clerk(&short, now_vn()).expect_err("short");
        assert!(e.to_string().contains("ít nhất 8 ký tự"), "{e}");
        let accented = NewClerk {
            username: "lân".into(),
            ..lan()
        };
        assert!(s.add_clerk(&accented, now_vn()).is_err());
        s.add_clerk(&lan(), now_vn()).expect("add");
        let e = s.add_clerk(&lan(), now_vn()).expect_err("dup");
        assert!(e.to_string().contains("đã có"), "{e}");
        let e = s
            .set_clerk_active("nguyen.lan", false)
            .expect_err("last admin");
        assert!(e.to_string().contains("quản trị viên cuối cùng"), "{e}");
    }
}
