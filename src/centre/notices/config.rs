//! The operator's choice of gateway, from `motcua-centre serve`'s flags or their
//! environment variables (secrets are best given by environment, not on the command
//! line where `ps` shows them).

use std::sync::Arc;
use std::time::Duration;

use clap::{Args, ValueEnum};

use super::gateway::{Gateway, http_client};
use super::sender::SenderSettings;
use super::sms::SmsBrandname;
use super::zalo::{ZNS_URL, ZaloZns};

/// The gateway `serve` sends through and how often it looks.
pub type Sending = (Arc<dyn Gateway>, SenderSettings);

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GatewayKind {
    /// Không gửi thông báo (tin vẫn được xếp hàng, gửi khi bật cổng)
    Off,
    /// Tin nhắn SMS thương hiệu (brandname) qua API HTTP của nhà cung cấp
    Sms,
    /// Zalo ZNS (mẫu tin đã đăng ký với Zalo)
    Zalo,
}

#[derive(Debug, Clone, Args)]
pub struct NoticeArgs {
    /// Cổng gửi thông báo cho công dân
    #[arg(long, env = "MOTCUA_NOTICE_GATEWAY", value_enum, default_value = "off")]
    pub notice_gateway: GatewayKind,
    /// Địa chỉ API gửi tin của nhà cung cấp (Zalo: mặc định địa chỉ của Zalo)
    #[arg(long, env = "MOTCUA_NOTICE_URL", value_name = "URL")]
    pub notice_url: Option<String>,
    /// Khóa API (SMS) hoặc access token của OA (Zalo); nên đặt bằng biến môi trường
    #[arg(long, env = "MOTCUA_NOTICE_KEY", hide_env_values = true)]
    pub notice_key: Option<String>,
    /// Tên thương hiệu (brandname) đã đăng ký, cho cổng SMS
    #[arg(long, env = "MOTCUA_NOTICE_BRANDNAME")]
    pub notice_brandname: Option<String>,
    /// Mã mẫu tin ZNS đã đăng ký với Zalo (tham số: don_vi, ma_ho_so, trang_thai, hen_tra)
    #[arg(long, env = "MOTCUA_NOTICE_ZNS_TEMPLATE")]
    pub notice_template: Option<String>,
    /// Thời gian chờ cổng gửi tin trả lời, tính bằng giây
    #[arg(
        long,
        env = "MOTCUA_NOTICE_TIMEOUT",
        default_value_t = 10,
        value_name = "GIÂY"
    )]
    pub notice_timeout: u64,
    /// Khoảng giữa hai lần tìm thông báo đến hạn gửi, tính bằng giây
    #[arg(
        long,
        env = "MOTCUA_NOTICE_EVERY",
        default_value_t = 5,
        value_name = "GIÂY"
    )]
    pub notice_every: u64,
}

fn required(value: &Option<String>, flag: &str, gateway: &str) -> Result<String, String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .ok_or_else(|| format!("Cổng {gateway} cần {flag}: hãy đặt tham số này rồi chạy lại"))
}

/// HTTPS, or plain HTTP to this machine only (a local relay, or the tests' gateway).
fn checked_url(raw: &str) -> Result<String, String> {
    let url = reqwest::Url::parse(raw)
        .map_err(|e| format!("Địa chỉ cổng gửi tin không hợp lệ ({raw}): {e}"))?;
    let local = url.scheme() == "http"
        && matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    if url.scheme() == "https" || local {
        Ok(raw.to_string())
    } else {
        Err(format!(
            "Địa chỉ cổng gửi tin phải bắt đầu bằng https:// (nhận {raw}): khóa API không được gửi qua mạng không mã hóa"
        ))
    }
}

impl NoticeArgs {
    /// The gateway and the sender's settings, or `None` when notices are off.
    pub fn build(&self) -> Result<Option<Sending>, String> {
        let client = || http_client(Duration::from_secs(self.notice_timeout.clamp(1, 120)));
        let gateway: Arc<dyn Gateway> = match self.notice_gateway {
            GatewayKind::Off => return Ok(None),
            GatewayKind::Sms => Arc::new(SmsBrandname {
                client: client()?,
                url: checked_url(&required(&self.notice_url, "--notice-url", "SMS")?)?,
                api_key: required(&self.notice_key, "--notice-key", "SMS")?,
                brandname: required(&self.notice_brandname, "--notice-brandname", "SMS")?,
            }),
            GatewayKind::Zalo => Arc::new(ZaloZns {
                client: client()?,
                url: checked_url(self.notice_url.as_deref().unwrap_or(ZNS_URL))?,
                access_token: required(&self.notice_key, "--notice-key", "Zalo")?,
                template_id: required(&self.notice_template, "--notice-template", "Zalo")?,
            }),
        };
        let settings = SenderSettings {
            every: Duration::from_secs(self.notice_every.clamp(1, 3600)),
            ..SenderSettings::default()
        };
        Ok(Some((gateway, settings)))
    }
}

#[cfg(test)]
mod tests {
    use super::checked_url;

    #[test]
    fn the_api_key_goes_over_https_or_stays_on_this_machine() {
        assert!(checked_url("https://api.example.vn/send").is_ok());
        assert!(checked_url("http://127.0.0.1:9000/sms").is_ok());
        assert!(checked_url("http://127.0.0.1.example.com/sms").is_err());
        assert!(checked_url("http://sms.example.vn/send").is_err());
        assert!(checked_url("không phải địa chỉ").is_err());
    }
}
