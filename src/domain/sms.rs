//! Text messages: mobile numbers in E.164 (a Danish 8-digit number gets +45), and texts
//! that fit one SMS where they can (160 characters of the GSM 03.38 alphabet).

/// A mobile number in E.164: `+` and 8 to 15 digits (`+4512345678`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msisdn(String);

impl Msisdn {
    /// Reads a number as people write it: spaces, dashes and brackets between digits, a
    /// leading `00` for `+`; eight digits alone are a Danish number.
    pub fn parse(raw: &str) -> Result<Self, String> {
        // A country code may stand in brackets: `(+45) 1234 5678`.
        let trimmed = raw.trim().trim_start_matches('(');
        if !trimmed
            .chars()
            .all(|c| c.is_ascii_digit() || " +-()".contains(c))
            || trimmed.chars().skip(1).any(|c| c == '+')
        {
            return Err(
                "give a mobile number of digits, such as 12 34 56 78 or +45 12 34 56 78".into(),
            );
        }
        let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
        let international = if trimmed.starts_with('+') {
            digits
        } else if let Some(rest) = digits.strip_prefix("00") {
            rest.to_owned()
        } else if digits.len() == 8 {
            format!("45{digits}")
        } else {
            return Err(
                "give a Danish number of 8 digits, or the country code first (+47 …)".into(),
            );
        };
        if !(8..=15).contains(&international.len()) || international.starts_with('0') {
            return Err("a mobile number has a country code and 8 to 15 digits in all".into());
        }
        Ok(Self(format!("+{international}")))
    }

    /// `+4512345678`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The digits without the `+`, as SMS gateways take a recipient (`4512345678`).
    pub fn digits(&self) -> &str {
        &self.0[1..]
    }
}

/// One text message to one mobile number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sms {
    /// Who it is from as the phone shows it: at most 11 letters and digits.
    pub sender: String,
    pub to: Msisdn,
    pub text: String,
}

/// The sender name a phone shows: the letters, digits and spaces of `name` (Danish letters
/// spelt out), at most 11 (what an alphanumeric sender may be), or `Skranke` when none are left.
pub fn sender_name(name: &str) -> String {
    let spelt = name
        .replace('Æ', "Ae")
        .replace('æ', "ae")
        .replace('Ø', "Oe")
        .replace('ø', "oe")
        .replace('Å', "Aa")
        .replace('å', "aa");
    let kept: String = spelt
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == ' ')
        .take(11)
        .collect();
    match kept.trim() {
        "" => "Skranke".to_owned(),
        trimmed => trimmed.to_owned(),
    }
}

/// The characters one SMS of 160 can carry (GSM 03.38, the basic set; the extension set's
/// characters take two places and are left out here, so a text with them counts as not fitting).
const GSM7: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

/// Whether `text` is written in the GSM 03.38 basic alphabet.
pub fn is_gsm7(text: &str) -> bool {
    text.chars().all(|c| GSM7.contains(c))
}

/// Characters in one SMS of the GSM alphabet.
pub const ONE_SMS: usize = 160;

/// `text` in the GSM alphabet where it can be: the few look-alikes a text in Danish or
/// English may hold (dashes, curly quotes, the ellipsis, a non-breaking space) replaced by
/// their plain forms, so the text is not sent as UCS-2 with 70 characters per SMS.
pub fn plain(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '–' | '—' | '‑' => '-',
            '‘' | '’' => '\'',
            '“' | '”' | '„' => '"',
            '\u{a0}' | '\u{202f}' => ' ',
            other => other,
        })
        .collect::<String>()
        .replace('…', "...")
}

/// Whether `text` fits one SMS: GSM alphabet and at most [`ONE_SMS`] characters.
pub fn fits_one(text: &str) -> bool {
    is_gsm7(text) && text.chars().count() <= ONE_SMS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn danish_numbers_get_the_country_code() {
        for raw in [
            "12345678",
            "12 34 56 78",
            "+45 12 34 56 78",
            "0045 12345678",
            "(+45) 1234-5678",
        ] {
            assert_eq!(Msisdn::parse(raw).unwrap().as_str(), "+4512345678", "{raw}");
        }
        assert_eq!(
            Msisdn::parse("+47 912 34 567").unwrap().digits(),
            "4791234567"
        );
        assert_eq!(
            Msisdn::parse("+299 32 10 00").unwrap().as_str(),
            "+299321000"
        );
    }

    #[test]
    fn what_is_not_a_mobile_number_is_refused_with_a_reason() {
        for raw in [
            "",
            "1234567",
            "123456789",
            "+45 12a45678",
            "+1234567890123456",
            "45+12345678",
            "+0123456789",
        ] {
            let why = Msisdn::parse(raw).unwrap_err();
            assert!(!why.is_empty(), "{raw}");
        }
    }

    #[test]
    fn the_sender_is_at_most_eleven_plain_characters() {
        assert_eq!(sender_name("Skranke Kommune"), "Skranke Kom");
        assert_eq!(sender_name("Århus"), "Aarhus");
        assert_eq!(sender_name("«»"), "Skranke");
    }

    #[test]
    fn danish_letters_are_in_the_gsm_alphabet_and_curly_quotes_are_made_plain() {
        assert!(is_gsm7(
            "Påmindelse: Pas på Rådhuset, ønsker du at ændre? Æble"
        ));
        assert!(!is_gsm7("a “quote”"));
        assert!(is_gsm7(&plain("a “quote” – and… more")));
        assert!(!is_gsm7("€"), "an extension character takes two places");
        assert!(fits_one(&"a".repeat(160)));
        assert!(!fits_one(&"a".repeat(161)));
    }
}
