//! What an inquiry costs in each channel, the prices the report's cost is reckoned in.

use serde::Serialize;

/// What one inquiry costs in each channel, in kroner (Fredericia's figures by default).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ChannelCosts {
    pub letter: f64,
    pub in_person: f64,
    pub phone: f64,
    pub video: f64,
    pub digital: f64,
}

impl Default for ChannelCosts {
    fn default() -> Self {
        Self {
            letter: 110.0,
            in_person: 80.0,
            phone: 40.0,
            // A screen meeting takes the caseworker's time like a call does.
            video: 40.0,
            digital: 3.0,
        }
    }
}
