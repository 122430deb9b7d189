//! Admission control for the sync routes: when the centre is saturated it says so at
//! once (503 with `Retry-After`) instead of letting requests queue until the desks'
//! 30 s timeout.
//!
//! Two limits, both cheap to check before any work:
//! - a request budget: at most `max_in_flight` sync requests are being served; one
//!   more is refused without waiting (a full budget means the queue is already long);
//! - a pool wait: a request admitted to the budget that cannot get a PostgreSQL
//!   connection within `pool_wait` is refused rather than left waiting.
//!
//! Why refuse rather than queue: after an outage every desk of the province returns
//! within a minute. A queue only moves the storm into the pool (open-mSupply saw pool
//! exhaustion and 408s); a quick 503 costs microseconds and tells each desk when to
//! come back. The desk waits at least `Retry-After` and spreads its return over as much
//! again at random (`sync::backoff`), so the returns arrive spread out, not at once.

use std::sync::Arc;
use std::time::Duration;

use deadpool_postgres::{Object, Pool};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::centre::error::ApiError;

/// The admission limits of the sync routes (see the module header).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AdmissionLimits {
    /// Sync requests served at once; one more is answered 503 at once.
    pub max_in_flight: usize,
    /// Longest wait for a PostgreSQL connection before answering 503.
    pub pool_wait: Duration,
    /// What `Retry-After` says (whole seconds, at least 1).
    pub retry_after: Duration,
}

impl Default for AdmissionLimits {
    /// Sized for 1,000 desks on a 16-connection pool (README, "1,000 desks on one
    /// centre"): 256 admitted requests are a quarter of the province at once, and a
    /// 2 s wait for a connection already means a long queue; both answer well before
    /// the desks' 30 s request timeout.
    fn default() -> Self {
        AdmissionLimits {
            max_in_flight: 256,
            pool_wait: Duration::from_secs(2),
            retry_after: Duration::from_secs(10),
        }
    }
}

/// The shared state of admission control.
#[derive(Debug)]
pub struct Admission {
    budget: Arc<Semaphore>,
    limits: AdmissionLimits,
}

/// An admitted request: its database connection, and its place in the budget,
/// given back when the handler drops it.
#[derive(Debug)]
pub struct Admitted {
    client: Object,
    _place: OwnedSemaphorePermit,
}

impl std::ops::Deref for Admitted {
    type Target = Object;
    fn deref(&self) -> &Object {
        &self.client
    }
}

impl std::ops::DerefMut for Admitted {
    fn deref_mut(&mut self) -> &mut Object {
        &mut self.client
    }
}

impl Admission {
    pub fn new(limits: AdmissionLimits) -> Self {
        Admission {
            budget: Arc::new(Semaphore::new(limits.max_in_flight.max(1))),
            limits,
        }
    }

    /// Admits one sync request and gets its connection, or answers 503.
    pub async fn admit(&self, pool: &Pool) -> Result<Admitted, ApiError> {
        let place = self
            .budget
            .clone()
            .try_acquire_owned()
            .map_err(|_| self.busy("quá nhiều quầy đang đồng bộ cùng lúc"))?;
        let client = match tokio::time::timeout(self.limits.pool_wait, pool.get()).await {
            Ok(got) => got?,
            Err(_) => return Err(self.busy("cơ sở dữ liệu đang bận")),
        };
        Ok(Admitted {
            client,
            _place: place,
        })
    }

    fn busy(&self, why: &str) -> ApiError {
        let secs = self.limits.retry_after.as_secs().max(1);
        tracing::warn!(
            why,
            retry_after = secs,
            "trung tâm quá tải, yêu cầu quầy quay lại sau"
        );
        ApiError::Busy {
            message: format!(
                "Trung tâm đang quá tải ({why}); quầy hãy thử lại sau {secs} giây. Dữ liệu vẫn an toàn trên máy."
            ),
            retry_after: secs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_budget_is_refused_with_retry_after() {
        let a = Admission::new(AdmissionLimits {
            max_in_flight: 1,
            pool_wait: Duration::from_millis(10),
            retry_after: Duration::from_secs(7),
        });
        let _held = a.budget.clone().try_acquire_owned().expect("first place");
        let e = a.busy("thử");
        assert_eq!(e.status().as_u16(), 503);
        assert!(a.budget.clone().try_acquire_owned().is_err());
        match e {
            ApiError::Busy { retry_after, .. } => assert_eq!(retry_after, 7),
            other => panic!("not busy: {other:?}"),
        }
    }
}
