//! How an appointment's messages reach its citizen: news of a booking, a move or a
//! cancellation by mail, and by SMS too where the errand sends text messages and the
//! citizen asked for them; the reminder by each of the errand's channels. No text message
//! goes to a citizen who did not ask for it, whatever the errand says.

use super::message_kind::MessageKind;

/// The channels an errand sends its reminders (and, for SMS, its news) by:
/// `reminder_channels = ["mail", "sms"]` in the organisation file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReminderChannels {
    pub mail: bool,
    pub sms: bool,
}

impl Default for ReminderChannels {
    fn default() -> Self {
        Self {
            mail: true,
            sms: false,
        }
    }
}

impl ReminderChannels {
    /// Reads a list of channel names; an empty list sends no reminder.
    pub fn parse<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Self, String> {
        let mut channels = Self {
            mail: false,
            sms: false,
        };
        for name in names {
            match name.trim() {
                "mail" => channels.mail = true,
                "sms" => channels.sms = true,
                other => return Err(format!("'{other}' is not a channel; use mail or sms")),
            }
        }
        Ok(channels)
    }

    /// The channels' names, mail first.
    pub fn names(self) -> Vec<&'static str> {
        [(self.mail, "mail"), (self.sms, "sms")]
            .into_iter()
            .filter_map(|(on, name)| on.then_some(name))
            .collect()
    }

    /// Reads the stored form, the names joined by commas.
    pub fn from_stored(stored: &str) -> Result<Self, String> {
        Self::parse(stored.split(',').filter(|n| !n.is_empty()))
    }

    /// The stored form: `mail,sms`.
    pub fn stored(self) -> String {
        self.names().join(",")
    }

    /// How news of a booking, a move or a cancellation goes: always by mail (the citizen
    /// always gives an address), and by SMS when both the errand and the citizen want it.
    pub fn news_ways(self, sms_opt_in: bool) -> Vec<MessageKind> {
        Self { mail: true, ..self }.reminder_ways(sms_opt_in)
    }

    /// How the reminder goes: by each channel of the errand, by SMS only for a citizen who
    /// asked.
    pub fn reminder_ways(self, sms_opt_in: bool) -> Vec<MessageKind> {
        let texts = self.sms && sms_opt_in;
        [(self.mail, MessageKind::Mail), (texts, MessageKind::Sms)]
            .into_iter()
            .filter_map(|(on, way)| on.then_some(way))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channels_read_and_store_back_and_refuse_unknown_names() {
        let both = ReminderChannels::parse(["sms", "mail"]).unwrap();
        assert_eq!(both.names(), ["mail", "sms"]);
        assert_eq!(ReminderChannels::from_stored(&both.stored()), Ok(both));
        assert_eq!(
            ReminderChannels::from_stored("mail"),
            Ok(ReminderChannels::default())
        );
        let none = ReminderChannels::parse([]).unwrap();
        assert_eq!(ReminderChannels::from_stored(&none.stored()), Ok(none));
        let wrong = ReminderChannels::parse(["mail", "fax"]).unwrap_err();
        assert!(wrong.contains("'fax'"), "{wrong}");
    }

    #[test]
    fn no_text_message_without_the_citizens_consent_and_the_errands_channel() {
        use MessageKind::{Mail, Sms};
        let both = ReminderChannels::parse(["mail", "sms"]).unwrap();
        let mail_only = ReminderChannels::default();
        let sms_only = ReminderChannels::parse(["sms"]).unwrap();
        assert_eq!(both.reminder_ways(true), [Mail, Sms]);
        assert_eq!(both.news_ways(true), [Mail, Sms]);
        assert_eq!(both.reminder_ways(false), [Mail]);
        assert_eq!(both.news_ways(false), [Mail]);
        assert_eq!(mail_only.reminder_ways(true), [Mail]);
        assert_eq!(mail_only.news_ways(true), [Mail]);
        assert_eq!(sms_only.reminder_ways(true), [Sms]);
        assert_eq!(sms_only.reminder_ways(false), []);
        assert_eq!(sms_only.news_ways(false), [Mail]);
    }
}
