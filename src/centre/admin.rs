//! Operator actions on the centre: units, enrollment codes and enrolling desks,
//! centre-side dossier events, and official catalogue/calendar updates.
//!
//! Enrollment reconciles what the desk already is with what the centre expects: the
//! desk keeps the id it chose at `motcua init` (the origin of its events) and the
//! index it has numbered dossiers with. The code names a unit and may pin an index;
//! enrollment is refused, with the reason, when the desk's unit or index differs or
//! when another desk of the unit already has that index. Re-enrolling the same desk
//! (a lost token) needs a code issued for it with `--replace-desk N`; it replaces its
//! token and keeps its series. Any other code is refused for an enrolled desk id.

use chrono::{DateTime, Duration, Utc};
use deadpool_postgres::GenericClient;

use crate::centre::audit;
use crate::centre::auth::{hash_secret, new_enroll_code, new_token};
use crate::centre::cross;
use crate::centre::db::FEED_LOCK;
use crate::centre::error::ApiError;
use crate::centre::feed::insert_event;
use crate::domain::action::{self, ActionRequest};
use crate::domain::calendar::{CalendarEntry, WorkCalendar, official_entries};
use crate::domain::clock::{Timestamp, now_vn, to_wall};
use crate::domain::dossier::DossierState;
use crate::domain::dossier_code::DossierCode;
use crate::domain::due::WorkingHours;
use crate::domain::event::{Actor, ActorRole, Event, EventId};
use crate::domain::lifecycle;
use crate::domain::procedure::Procedure;
use crate::domain::unit::UnitCode;
use crate::sync::protocol::{CENTRE_ORIGIN, EnrollRequest, EnrollResponse};

pub async fn add_unit(
    client: &impl GenericClient,
    code: &str,
    name: &str,
) -> Result<UnitCode, ApiError> {
    let code = UnitCode::parse(code).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(ApiError::BadRequest(
            "Tên đơn vị phải có từ 1 đến 200 ký tự".into(),
        ));
    }
    let n = client
        .execute(
            "INSERT INTO unit (code, name) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING",
            &[&code.as_str(), &name],
        )
        .await?;
    if n == 0 {
        return Err(ApiError::Conflict(format!("Đơn vị {code} đã có")));
    }
    Ok(code)
}

/// (code, name, enrolled desks, events)
pub async fn list_units(
    client: &impl GenericClient,
) -> Result<Vec<(String, String, i64, i64)>, ApiError> {
    let rows = client
        .query(
            "SELECT u.code, u.name,
                    (SELECT count(*) FROM desk d WHERE d.unit_code = u.code),
                    (SELECT count(*) FROM event e WHERE e.unit_code = u.code)
             FROM unit u ORDER BY u.code",
            &[],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect())
}

/// Creates a single-use code; only its hash is stored. Returns the code and expiry.
pub async fn create_enroll_code(
    client: &impl GenericClient,
    unit: &str,
    desk_index: Option<u8>,
    valid_for: Duration,
) -> Result<(String, DateTime<Utc>), ApiError> {
    create_code(client, unit, desk_index, false, valid_for).await
}

/// A code that may replace the enrolled desk number `index` of `unit` (its token was
/// lost, or its machine changed): the only way an enrolled desk id is enrolled again.
pub async fn create_replace_code(
    client: &impl GenericClient,
    unit: &str,
    index: u8,
    valid_for: Duration,
) -> Result<(String, DateTime<Utc>), ApiError> {
    create_code(client, unit, Some(index), true, valid_for).await
}

async fn create_code(
    client: &impl GenericClient,
    unit: &str,
    desk_index: Option<u8>,
    replaces: bool,
    valid_for: Duration,
) -> Result<(String, DateTime<Utc>), ApiError> {
    if let Some(i) = desk_index
        && i > 9
    {
        return Err(ApiError::BadRequest("Số hiệu quầy phải từ 0 đến 9".into()));
    }
    let known = client
        .query_opt("SELECT 1 FROM unit WHERE code = $1", &[&unit])
        .await?;
    if known.is_none() {
        return Err(ApiError::BadRequest(format!(
            "Chưa có đơn vị {unit}. Thêm bằng: motcua-centre unit add --code {unit} --name TÊN"
        )));
    }
    let code = new_enroll_code().map_err(ApiError::Internal)?;
    let expires = Utc::now() + valid_for;
    client
        .execute(
            "INSERT INTO enroll_code (code_hash, unit_code, desk_index, expires_at, replaces_desk)
             VALUES ($1, $2, $3, $4, $5)",
            &[
                &hash_secret(&code),
                &unit,
                &desk_index.map(i16::from),
                &expires,
                &replaces,
            ],
        )
        .await?;
    Ok((code, expires))
}

pub async fn enroll_desk(
    client: &mut deadpool_postgres::Client,
    req: &EnrollRequest,
) -> Result<EnrollResponse, ApiError> {
    if req.desk_index > 9 {
        return Err(ApiError::BadRequest("desk_index phải từ 0 đến 9".into()));
    }
    let tx = client.transaction().await?;
    let row = tx
        .query_opt(
            "SELECT c.unit_code, c.desk_index, c.expires_at, c.used_at, u.name, c.replaces_desk
             FROM enroll_code c JOIN unit u ON u.code = c.unit_code
             WHERE c.code_hash = $1 FOR UPDATE OF c",
            &[&hash_secret(&req.code)],
        )
        .await?;
    let Some(row) = row else {
        return Err(ApiError::Unauthorized("Mã đăng ký không đúng".into()));
    };
    let unit: String = row.get(0);
    let pinned: Option<i16> = row.get(1);
    let expires: DateTime<Utc> = row.get(2);
    let used: Option<DateTime<Utc>> = row.get(3);
    let unit_name: String = row.get(4);
    let replaces: bool = row.get(5);
    if used.is_some() {
        return Err(ApiError::Unauthorized(
            "Mã đăng ký đã được dùng; xin mã mới".into(),
        ));
    }
    if expires < Utc::now() {
        return Err(ApiError::Unauthorized(
            "Mã đăng ký đã hết hạn; xin mã mới".into(),
        ));
    }
    if req.unit_code != unit {
        return Err(ApiError::Forbidden(format!(
            "Mã đăng ký dành cho đơn vị {unit}, nhưng quầy này được thiết lập cho đơn vị {}",
            req.unit_code
        )));
    }
    let index = i16::from(req.desk_index);
    if let Some(p) = pinned
        && p != index
    {
        return Err(ApiError::Conflict(format!(
            "Mã đăng ký dành cho quầy số {p}, nhưng quầy này đã đánh số hồ sơ theo quầy số {index}; xin mã cho quầy số {index} hoặc dùng đúng máy"
        )));
    }
    let other = tx
        .query_opt(
            "SELECT desk_id FROM desk WHERE unit_code = $1 AND desk_index = $2 AND desk_id <> $3
               AND retired_at IS NULL",
            &[&unit, &index, &req.desk_id],
        )
        .await?;
    if let Some(other) = other {
        if !replaces {
            return Err(ApiError::Conflict(format!(
                "Đơn vị {unit} đã có một quầy khác mang số {index}; hai quầy trùng số sẽ cấp trùng mã hồ sơ"
            )));
        }
        // A replacement code for this index hands it to a new machine: the old desk is
        // retired in the same transaction (its token stops working, its events stay).
        let old: uuid::Uuid = other.get(0);
        tx.execute(
            "UPDATE desk SET retired_at = now(), token_hash = 'retired:' || desk_id::text
             WHERE desk_id = $1",
            &[&old],
        )
        .await?;
        tracing::info!(unit = %unit, index, old = %old, new = %req.desk_id, "quầy được thay bằng máy mới");
    }
    let existing = tx
        .query_opt(
            "SELECT unit_code, desk_index FROM desk WHERE desk_id = $1",
            &[&req.desk_id],
        )
        .await?;
    if let Some(r) = &existing {
        let (u, i): (String, i16) = (r.get(0), r.get(1));
        if u != unit || i != index {
            return Err(ApiError::Conflict(format!(
                "Quầy này đã đăng ký là quầy số {i} của đơn vị {u}"
            )));
        }
        // A desk id is public (the origin of every event): enrolling it again would
        // take the desk over. Only a code an operator issued for that very desk may.
        if !replaces {
            return Err(ApiError::Conflict(format!(
                "Quầy số {i} của đơn vị {u} đã đăng ký. Nếu quầy mất mã truy cập hoặc thay máy, quản trị trung tâm cấp mã thay thế: motcua-centre enroll-code --unit {u} --replace-desk {i}"
            )));
        }
    }
    let token = new_token().map_err(ApiError::Internal)?;
    tx.execute(
        "INSERT INTO desk (desk_id, unit_code, desk_index, token_hash) VALUES ($1, $2, $3, $4)
         ON CONFLICT (desk_id) DO UPDATE SET token_hash = excluded.token_hash, enrolled_at = now(),
             retired_at = NULL",
        &[&req.desk_id, &unit, &index, &hash_secret(&token)],
    )
    .await?;
    tx.execute(
        "UPDATE enroll_code SET used_at = now(), used_by = $2 WHERE code_hash = $1",
        &[&hash_secret(&req.code), &req.desk_id],
    )
    .await?;
    tx.commit().await?;
    let public_url = crate::centre::settings::public_url(&*client).await?;
    Ok(EnrollResponse {
        desk_id: req.desk_id,
        unit_code: unit,
        unit_name,
        desk_index: req.desk_index,
        token,
        server_time: Utc::now(),
        public_url,
    })
}

/// Every event of one dossier as the centre holds it.
pub async fn dossier_events(
    client: &impl GenericClient,
    code: &str,
) -> Result<Vec<Event>, ApiError> {
    let rows = client
        .query("SELECT body FROM event WHERE dossier_code = $1", &[&code])
        .await?;
    rows.iter()
        .map(|r| {
            serde_json::from_str(r.get::<_, &str>(0))
                .map_err(|e| ApiError::Internal(format!("sự kiện hỏng: {e}")))
        })
        .collect()
}

/// Every event of one dossier in feed order, with the unit whose partition holds the
/// first (the dossier's unit: the files it uploaded are the ones it may be shown);
/// `None` when the centre has none.
pub async fn dossier_feed(
    client: &impl GenericClient,
    code: &str,
) -> Result<Option<(String, Vec<Event>)>, ApiError> {
    let rows = client
        .query(
            "SELECT body, unit_code FROM event WHERE dossier_code = $1 ORDER BY feed_seq",
            &[&code],
        )
        .await?;
    let Some(unit) = rows.first().map(|r| r.get::<_, String>(1)) else {
        return Ok(None);
    };
    let events = rows
        .iter()
        .map(|r| {
            serde_json::from_str(r.get::<_, &str>(0))
                .map_err(|e| ApiError::Internal(format!("sự kiện hỏng: {e}")))
        })
        .collect::<Result<Vec<Event>, ApiError>>()?;
    Ok(Some((unit, events)))
}

/// The work calendar the centre uses: the shipped table, overridden by every
/// calendar imported since, in order.
pub async fn calendar(client: &impl GenericClient) -> Result<WorkCalendar, ApiError> {
    let mut cal = WorkCalendar::new(official_entries());
    let rows = client
        .query(
            "SELECT body FROM official_update WHERE kind = 'calendar' ORDER BY feed_seq",
            &[],
        )
        .await?;
    for r in rows {
        let entries: Vec<CalendarEntry> = serde_json::from_str(r.get::<_, &str>(0))
            .map_err(|e| ApiError::Internal(format!("lịch hỏng: {e}")))?;
        cal.override_years(entries);
    }
    Ok(cal)
}

/// A centre-side step on a dossier (result ready, supplement request, stop, extend),
/// checked against the dossier's state as the centre knows it, then added to the feed.
pub async fn record(
    client: &mut deadpool_postgres::Client,
    code: &str,
    request: ActionRequest,
    by: &str,
    at: Option<Timestamp>,
    audit: Option<&audit::Entry<'_>>,
) -> Result<DossierState, ApiError> {
    let code = DossierCode::parse(code.trim()).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let cal = calendar(&*client).await?;
    let tx = client.transaction().await?;
    // The unit's feed row (both units' for a cross-commune dossier): the dossier's
    // state read here cannot change before the commit.
    cross::lock_dossier(&tx, &code.to_string(), code.unit().as_str()).await?;
    let events = dossier_events(&tx, &code.to_string()).await?;
    let mut state = lifecycle::fold(&events)
        .map_err(|_| ApiError::BadRequest(format!("Trung tâm chưa có hồ sơ {code}")))?;
    let at = at.unwrap_or_else(now_vn);
    // The centre does not hold a unit's office hours; they only matter to a received
    // supplement, which is a desk's action, never an operator's.
    let body = action::event_for(request, &state, at, &cal, &WorkingHours::default())
        .map_err(ApiError::BadRequest)?;
    lifecycle::check(&state, &body, to_wall(at), &cal)
        .map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let event = Event {
        id: EventId::new(),
        dossier: code,
        at,
        actor: Actor {
            name: by.to_string(),
            role: ActorRole::CentreOperator,
        },
        origin: CENTRE_ORIGIN.to_string(),
        body,
    };
    insert_event(&tx, &event, None).await?;
    if let Some(entry) = audit {
        audit::log(&tx, entry).await?;
    }
    tx.commit().await?;
    lifecycle::apply(&mut state, &event);
    Ok(state)
}

/// Adds an official update (catalogue or calendar) to the feed of every unit.
async fn add_update(
    client: &mut deadpool_postgres::Client,
    kind: &str,
    body: String,
    audit: Option<&audit::Entry<'_>>,
) -> Result<i64, ApiError> {
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&FEED_LOCK])
        .await?;
    let seq: i64 = tx
        .query_one(
            "INSERT INTO official_update (feed_seq, kind, body) VALUES (nextval('feed_seq'), $1, $2)
             RETURNING feed_seq",
            &[&kind, &body],
        )
        .await?
        .get(0);
    if let Some(entry) = audit {
        audit::log(&tx, entry).await?;
    }
    tx.commit().await?;
    Ok(seq)
}

pub async fn import_catalogue(
    client: &mut deadpool_postgres::Client,
    procedures: &[Procedure],
    audit: Option<&audit::Entry<'_>>,
) -> Result<i64, ApiError> {
    let body = serde_json::to_string(procedures).map_err(|e| ApiError::Internal(e.to_string()))?;
    add_update(client, "catalogue", body, audit).await
}

pub async fn import_calendar(
    client: &mut deadpool_postgres::Client,
    entries: &[CalendarEntry],
    audit: Option<&audit::Entry<'_>>,
) -> Result<i64, ApiError> {
    let body = serde_json::to_string(entries).map_err(|e| ApiError::Internal(e.to_string()))?;
    add_update(client, "calendar", body, audit).await
}
