//! The desk asks the centre for the newest release of its platform (issue 25 §3). The
//! answer is only an offer: `update::verify_release` decides after the download.

use reqwest::header::AUTHORIZATION;

use crate::sync::client::{CentreClient, SyncError, read};
use crate::sync::protocol::{ROUTE_RELEASE, ReleaseAnswer, ReleaseOffer};

impl CentreClient {
    /// The newest release the centre holds for `platform`, if any.
    pub async fn release_offer(
        &self,
        token: &str,
        platform: &str,
    ) -> Result<Option<ReleaseOffer>, SyncError> {
        let resp = self
            .http
            // Platform names are `[A-Za-z0-9_-]` (`update::this_platform`): nothing to escape.
            .get(format!("{}{ROUTE_RELEASE}?platform={platform}", self.base))
            .header(AUTHORIZATION, format!("Bearer {token}"))
            .send()
            .await;
        read::<ReleaseAnswer>(resp).await.map(|a| a.release)
    }
}
