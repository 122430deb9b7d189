//! `motcua-centre operator add`: the first console account (and any later one) is made
//! on the server's own command line. The password is read from standard input, never
//! from the arguments (which other users of the machine can read in the process list).

use std::io::{BufRead, Read};

use super::ctx::Ctx;
use crate::centre::audit::{self, Entry};
use crate::centre::console::operators::{self, NewOperator, Role};

/// Reads the password: the first line of standard input, without its line end.
fn read_password() -> Result<String, String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .take(4096)
        .read_line(&mut line)
        .map_err(|e| format!("không đọc được mật khẩu từ đầu vào chuẩn: {e}"))?;
    let password = line.trim_end_matches(['\n', '\r']).to_string();
    if password.is_empty() {
        return Err(
            "thiếu mật khẩu: đưa mật khẩu vào đầu vào chuẩn, ví dụ `motcua-centre operator add … < tệp_mật_khẩu`"
                .into(),
        );
    }
    Ok(password)
}

/// `operator add`: the account and its audit entry in one transaction.
pub(super) async fn add(
    ctx: &mut Ctx,
    username: &str,
    name: &str,
    role: &str,
    unit: Option<String>,
) -> Result<(), String> {
    let role = Role::parse(role.trim(), unit.map(|u| u.trim().to_string()))?;
    let password = read_password()?;
    let tx = ctx.client.transaction().await.map_err(|e| e.to_string())?;
    let new = NewOperator {
        username,
        full_name: name,
        role: role.clone(),
        password: &password,
    };
    let username = operators::add(&tx, &new).await.map_err(|e| e.to_string())?;
    let entry = Entry {
        operator: &ctx.operator,
        action: "operator add",
        detail: format!("tài khoản {username}, {}", role.label()),
    };
    audit::log(&tx, &entry).await.map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())?;
    println!("Đã thêm tài khoản {username} ({})", role.label());
    Ok(())
}
