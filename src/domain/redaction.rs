//! Personal data taken out of text that is logged or stored: the e-mail addresses and
//! phone numbers that a mail server's refusal (`550 5.1.1 <jens@example.org>`) or another
//! transport error may quote.

/// What stands in for an e-mail address.
pub const EMAIL: &str = "[e-mail]";
/// What stands in for a phone number.
pub const PHONE: &str = "[phone]";

/// The fewest digits in a run that is taken for a phone number: the fewest a citizen's
/// phone number may have (`booking::Citizen`). Status codes like `5.1.1` stay readable.
const PHONE_DIGITS: usize = 6;

/// Characters of an address's local part (RFC 5322 atext and dots, and any letter beyond ASCII).
fn in_local_part(c: char) -> bool {
    c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c)
}

fn in_domain(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '.' || c == '[' || c == ']'
}

/// Characters that may separate the digits of a phone number.
fn in_phone_number(c: char) -> bool {
    c.is_ascii_digit() || " +-()".contains(c)
}

/// `text` with every e-mail address replaced by [`EMAIL`] and every phone number by [`PHONE`].
pub fn redact(text: &str) -> String {
    redact_phone_numbers(&redact_email_addresses(text))
}

fn redact_email_addresses(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (at, &c) in chars.iter().enumerate() {
        if c != '@' || at < copied {
            continue;
        }
        let mut start = at;
        while start > copied && in_local_part(chars[start - 1]) {
            start -= 1;
        }
        let mut end = at + 1;
        while end < chars.len() && in_domain(chars[end]) {
            end += 1;
        }
        if start == at || end == at + 1 {
            continue;
        }
        out.extend(&chars[copied..start]);
        out.push_str(EMAIL);
        copied = end;
    }
    out.extend(&chars[copied..]);
    out
}

fn redact_phone_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !(chars[i].is_ascii_digit() || chars[i] == '+' || chars[i] == '(') {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let mut end = i;
        while end < chars.len() && in_phone_number(chars[end]) {
            end += 1;
        }
        // The run may not end in separators that belong to the text around it.
        while end > i && !chars[end - 1].is_ascii_digit() {
            end -= 1;
        }
        let run = &chars[i..end];
        let digits = run.iter().filter(|c| c.is_ascii_digit()).count();
        let glued = i > 0 && chars[i - 1].is_alphanumeric();
        if digits >= PHONE_DIGITS && !glued {
            out.push_str(PHONE);
            i = end;
        } else {
            let step = end.max(i + 1);
            out.extend(&chars[i..step]);
            i = step;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_recipient_keeps_the_reason_and_loses_the_address() {
        let refusal =
            "permanent error (550): 5.1.1 <jens.jensen@example.org>: Recipient address rejected";
        assert_eq!(
            redact(refusal),
            "permanent error (550): 5.1.1 <[e-mail]>: Recipient address rejected"
        );
    }

    #[test]
    fn every_address_goes_whatever_surrounds_it() {
        let text = "to=a.b+c@sub.example.dk, cc=søren@æøå.dk;x@[192.0.2.1] and mail@example.dk.";
        let clean = redact(text);
        for gone in ["a.b+c", "example.dk", "søren", "æøå", "192.0.2.1"] {
            assert!(!clean.contains(gone), "{clean}");
        }
        assert_eq!(clean.matches(EMAIL).count(), 4, "{clean}");
    }

    #[test]
    fn phone_numbers_go_in_their_usual_forms() {
        for number in [
            "+45 12 34 56 78",
            "12345678",
            "(+45) 1234-5678",
            "0045 12345678",
        ] {
            let text = format!("no such subscriber {number} here");
            assert_eq!(redact(&text), "no such subscriber [phone] here", "{number}");
        }
    }

    #[test]
    fn status_codes_ports_and_short_numbers_stay() {
        for text in [
            "transient error (451): 4.3.0 try again later",
            "Connection error: 127.0.0.1:2525 refused",
            "attempt 3 of 8",
            "queued as 4F2A1B3C9D",
        ] {
            assert_eq!(redact(text), text);
        }
    }

    #[test]
    fn text_without_personal_data_is_unchanged_and_an_at_sign_alone_stays() {
        assert_eq!(redact(""), "");
        assert_eq!(redact("meet @ 10"), "meet @ 10");
        assert_eq!(redact("user@ host"), "user@ host");
    }
}
