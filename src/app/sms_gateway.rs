//! The SMS transport: one JSON POST per message to an HTTP SMS gateway
//! (`SKRANKE_SMS_URL`, with `SKRANKE_SMS_TOKEN` as a bearer token), in the shape of a
//! common Danish gateway's REST API: `{"sender", "message", "recipients": [{"msisdn"}]}`.

use std::time::Duration;

use crate::app::transport::{Failure, Transport};
use crate::domain::sms::Sms;
use crate::error::{AppError, AppResult};

/// An HTTP SMS gateway.
pub struct SmsGateway {
    client: reqwest::blocking::Client,
    url: url::Url,
    token: Option<String>,
}

impl std::fmt::Debug for SmsGateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The token stays out of every log.
        write!(f, "SmsGateway({})", self.url.host_str().unwrap_or_default())
    }
}

impl SmsGateway {
    /// The gateway at `url` (http or https), signed in with `token` when one is given.
    pub fn new(url: &str, token: Option<&str>) -> AppResult<Self> {
        let bad = |why: String| AppError::invalid_field("SKRANKE_SMS_URL", why);
        let url = url::Url::parse(url).map_err(|e| bad(e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(bad("give an http or https URL".into()));
        }
        let client = reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(20))
            .build()
            .map_err(|e| AppError::Internal(format!("the SMS client: {e}")))?;
        Ok(Self {
            client,
            url,
            token: token.map(str::to_owned),
        })
    }
}

impl Transport<Sms> for SmsGateway {
    fn send(&self, sms: &Sms) -> Result<(), Failure> {
        let body = serde_json::json!({
            "sender": sms.sender,
            "message": sms.text,
            "recipients": [{"msisdn": sms.to.digits().parse::<u64>().unwrap_or_default()}],
        });
        let mut request = self.client.post(self.url.clone()).json(&body);
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        // Only the status is kept of an answer: a gateway's body may quote the number.
        match request.send() {
            Ok(answer) if answer.status().is_success() => Ok(()),
            Ok(answer) if answer.status() == 429 || answer.status().is_server_error() => Err(
                Failure::passing(&format!("the SMS gateway answered {}", answer.status())),
            ),
            Ok(answer) => Err(Failure::permanent(&format!(
                "the SMS gateway refused the message: {}",
                answer.status()
            ))),
            Err(e) => Err(Failure::passing(&format!(
                "the SMS gateway did not answer: {}",
                e.without_url()
            ))),
        }
    }
}
