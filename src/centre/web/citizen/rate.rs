//! The rating form of the tracking page (issue 22 §3): offered once the result is
//! returned, posted with a per-page nonce (no cookie), written by the centre as a Rated
//! event of channel "web", one per dossier, bound to the token that opened the page.
//!
//! The nonce is `<issued unix seconds>.<HMAC-SHA256(secret, token | issued)>`: a post
//! must come from a page this centre served for this very token within the last two
//! hours. The secret is made at start-up, so a restart (or another instance behind a
//! load balancer) refuses older pages: the citizen reloads and posts again.

use std::time::{SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};

use crate::centre::admin::dossier_events;
use crate::centre::cross::lock_dossier;
use crate::centre::error::ApiError;
use crate::centre::feed::insert_event;
use crate::domain::clock::{now_vn, to_wall};
use crate::domain::event::{Actor, ActorRole, Event, EventBody, EventId};
use crate::domain::lifecycle;
use crate::domain::rating::{self, Answer, Choice, Indicator, RatingChannel};
use crate::domain::tracking::TrackingToken;
use crate::domain::trust::CENTRE_ORIGIN;

/// How long a served form may be posted.
const NONCE_LIFE_SECS: u64 = 2 * 3600;
/// Who the event names as its author.
pub const WEB_RATER: &str = "Người nộp hồ sơ (trang tra cứu)";

/// The per-process secret the nonces are signed with.
#[derive(Debug)]
pub struct NonceKey([u8; 32]);

impl NonceKey {
    pub fn generate() -> Result<Self, String> {
        let mut k = [0u8; 32];
        getrandom::fill(&mut k).map_err(|e| format!("không lấy được số ngẫu nhiên: {e}"))?;
        Ok(Self(k))
    }

    fn mac(&self, token: &TrackingToken, issued: u64) -> String {
        let (mut ipad, mut opad) = ([0x36u8; 64], [0x5cu8; 64]);
        for (i, k) in self.0.iter().enumerate() {
            ipad[i] ^= k;
            opad[i] ^= k;
        }
        let msg = format!("{}|{issued}", token.as_str());
        let inner = Sha256::new()
            .chain_update(ipad)
            .chain_update(msg.as_bytes())
            .finalize();
        let outer = Sha256::new()
            .chain_update(opad)
            .chain_update(inner)
            .finalize();
        outer.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// A nonce for a page served now.
    pub fn issue(&self, token: &TrackingToken) -> String {
        let now = unix_now();
        format!("{now}.{}", self.mac(token, now))
    }

    /// Whether `nonce` was issued by this process for `token`, not too long ago.
    pub fn verify(&self, token: &TrackingToken, nonce: &str) -> bool {
        let Some((issued, mac)) = nonce.split_once('.') else {
            return false;
        };
        let Ok(issued) = issued.parse::<u64>() else {
            return false;
        };
        let now = unix_now();
        if issued > now + 60 || now.saturating_sub(issued) > NONCE_LIFE_SECS {
            return false;
        }
        let expected = self.mac(token, issued);
        // Compared in constant time: a mismatch position tells nothing.
        expected.len() == mac.len()
            && expected
                .bytes()
                .zip(mac.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The form's field name for an asked indicator.
pub fn field(indicator: Indicator) -> String {
    format!("chi_so_{}", indicator.number())
}

/// The answers of a posted form: each asked question's field, `a`/`b`/`c`, skipped
/// when absent. Unknown values are refused.
pub fn answers_from(fields: &[(String, String)]) -> Result<Vec<Answer>, String> {
    let mut answers = Vec::new();
    for q in rating::QUESTIONS {
        let name = field(q.indicator);
        let Some((_, v)) = fields.iter().find(|(k, _)| *k == name) else {
            continue;
        };
        let choice = match v.as_str() {
            "a" => Choice::A,
            "b" => Choice::B,
            "c" => Choice::C,
            _ => return Err("Lựa chọn không hợp lệ".into()),
        };
        answers.push(Answer {
            indicator: q.indicator,
            choice,
        });
    }
    rating::check_answers(&answers).map_err(|e| e.to_string())?;
    Ok(answers)
}

/// Writes the citizen's rating of the dossier `token` opens: one transaction under the
/// unit's row lock, so two posts at once give one rating.
pub async fn record(
    client: &mut deadpool_postgres::Client,
    token: &TrackingToken,
    code: &str,
    answers: Vec<Answer>,
) -> Result<(), ApiError> {
    let tx = client.transaction().await?;
    let unit = code.split('-').next().unwrap_or("");
    // The unit rows (both units' for a cross-commune dossier), in unit order.
    lock_dossier(&tx, code, unit).await?;
    let events = dossier_events(&tx, code).await?;
    let state =
        lifecycle::fold(&events).map_err(|_| ApiError::NotFound("Không tìm thấy hồ sơ".into()))?;
    if state.tracking.as_ref() != Some(token) {
        return Err(ApiError::NotFound("Không tìm thấy hồ sơ".into()));
    }
    let r = rating::rate(&state, RatingChannel::Web, answers)
        .map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let body = EventBody::Rated { rating: r };
    let at = now_vn();
    lifecycle::check(&state, &body, to_wall(at), &Default::default())
        .map_err(|e| ApiError::Conflict(e.to_string()))?;
    let event = Event {
        id: EventId::new(),
        dossier: state.code.clone(),
        at,
        actor: Actor {
            name: WEB_RATER.into(),
            role: ActorRole::CentreOperator,
        },
        origin: CENTRE_ORIGIN.into(),
        body,
    };
    insert_event(&tx, &event, None).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nonce_is_bound_to_its_token_and_key() {
        let key = NonceKey::generate().expect("key");
        let t = TrackingToken::generate().expect("t");
        let other = TrackingToken::generate().expect("t");
        let n = key.issue(&t);
        assert!(key.verify(&t, &n));
        assert!(!key.verify(&other, &n));
        assert!(!NonceKey::generate().expect("key").verify(&t, &n));
        let old = format!("{}.{}", unix_now() - NONCE_LIFE_SECS - 10, "0".repeat(64));
        assert!(!key.verify(&t, &old));
        for bad in ["", ".", "x.y", "1.", &n[..n.len() - 1]] {
            assert!(!key.verify(&t, bad), "{bad}");
        }
    }

    #[test]
    fn posted_answers_are_read_and_checked() {
        let f = |k: &str, v: &str| (k.to_string(), v.to_string());
        let a =
            answers_from(&[f("chi_so_4", "b"), f("chi_so_7", "a"), f("x", "y")]).expect("answers");
        assert_eq!(a.len(), 2);
        assert!(answers_from(&[]).is_err());
        assert!(answers_from(&[f("chi_so_7", "b")]).is_err());
        assert!(answers_from(&[f("chi_so_4", "z")]).is_err());
    }
}
