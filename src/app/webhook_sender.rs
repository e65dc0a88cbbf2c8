//! The HTTP transport of webhooks: one JSON POST per delivery to its endpoint, with the
//! Standard Webhooks headers `webhook-id`, `webhook-timestamp` and `webhook-signature`.

use std::time::Duration;

use crate::app::transport::{Failure, Transport};
use crate::app::webhooks::WebhookPost;
use crate::error::{AppError, AppResult};

/// Posts deliveries to their endpoints.
#[derive(Debug)]
pub struct WebhookSender {
    client: reqwest::blocking::Client,
}

impl WebhookSender {
    pub fn new() -> AppResult<Self> {
        let client = reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(15))
            // A receiver answers where it stands; a redirect could lead anywhere.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| AppError::Internal(format!("the webhook client: {e}")))?;
        Ok(Self { client })
    }
}

impl Transport<WebhookPost> for WebhookSender {
    /// Every refusal may pass (a receiver being deployed, a full disk): all are tried again
    /// for a day. Only the status is kept of an answer, never the endpoint's address.
    fn send(&self, post: &WebhookPost) -> Result<(), Failure> {
        let answer = self
            .client
            .post(&post.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("webhook-id", &post.id)
            .header("webhook-timestamp", post.timestamp.to_string())
            .header("webhook-signature", &post.signature)
            .body(post.body.clone())
            .send();
        match answer {
            Ok(answer) if answer.status().is_success() => Ok(()),
            Ok(answer) => Err(Failure::passing(&format!(
                "the endpoint answered {}",
                answer.status()
            ))),
            Err(e) => Err(Failure::passing(&format!(
                "the endpoint did not answer: {}",
                e.without_url()
            ))),
        }
    }
}
