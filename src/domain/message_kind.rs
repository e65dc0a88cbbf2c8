//! How a message goes: the one word that the outbox and the errands' reminder channels share,
//! kept apart so that neither has to import the other.

/// How a message goes.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::Display,
    strum::VariantArray,
)]
#[strum(serialize_all = "snake_case")]
pub enum MessageKind {
    Mail,
    Sms,
    Webhook,
}
