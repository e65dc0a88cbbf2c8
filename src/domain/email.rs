//! Citizens' e-mail addresses, accepted only when the mailer can send to them: the mail
//! library's own address syntax (lettre's `Address`), the lengths of RFC 5321 and a domain
//! name with a dot. An address that passes here is never refused by the mailer for its form.

use lettre::Address;

/// The most characters before the `@` (RFC 5321, 4.5.3.1.1).
pub const MAX_LOCAL_PART: usize = 64;
/// The most characters after the `@` (RFC 5321, 4.5.3.1.2).
pub const MAX_DOMAIN: usize = 255;
/// The most characters of the whole address: a path of 256 with its angle brackets.
pub const MAX_ADDRESS: usize = 254;

/// The address as it is stored and sent (trimmed, in lower case), or what is wrong with it
/// in words for the citizen. The message never repeats the address.
pub fn parse(raw: &str) -> Result<String, String> {
    let address = raw.trim().to_lowercase();
    let Some((local, domain)) = address.rsplit_once('@') else {
        return Err("is not an e-mail address: it needs an @".into());
    };
    if local.is_empty() || domain.is_empty() {
        return Err("is not an e-mail address: give a name before and a domain after the @".into());
    }
    if local.len() > MAX_LOCAL_PART {
        return Err(format!(
            "the part before the @ may be at most {MAX_LOCAL_PART} characters"
        ));
    }
    if domain.len() > MAX_DOMAIN || address.len() > MAX_ADDRESS {
        return Err(format!(
            "an e-mail address may be at most {MAX_ADDRESS} characters"
        ));
    }
    // A domain literal (`[192.0.2.1]`) is valid syntax but no citizen's address.
    let host_name = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.starts_with('[');
    if !host_name {
        return Err("is not an e-mail address: the part after the @ must be a domain name such as example.dk".into());
    }
    address
        .parse::<Address>()
        .map_err(|_| "is not an e-mail address that mail can be sent to".to_owned())?;
    Ok(address)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_addresses_pass_trimmed_and_in_lower_case() {
        assert_eq!(parse(" Ada@Example.DK ").unwrap(), "ada@example.dk");
        for ok in [
            "jens.jensen+tid@example.org",
            "o'brien@post.example.dk",
            "søren@example.dk",
            "a@æøå.dk",
        ] {
            assert!(parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn the_lengths_of_rfc_5321_hold() {
        let local = |n: usize| "a".repeat(n);
        assert!(parse(&format!("{}@example.dk", local(64))).is_ok());
        let long = parse(&format!("{}@example.dk", local(65))).unwrap_err();
        assert!(long.contains("64"), "{long}");
        // Labels of 63 make a domain that is long but valid; the whole may not pass 254.
        let label = "b".repeat(63);
        let domain = format!("{label}.{label}.{label}.dk");
        assert!(parse(&format!("{}@{domain}", local(58))).is_ok());
        let whole = parse(&format!("{}@{domain}", local(60))).unwrap_err();
        assert!(whole.contains("254"), "{whole}");
    }

    #[test]
    fn what_the_mailer_would_refuse_is_refused_here() {
        for bad in [
            "no-at-sign",
            "@example.dk",
            "a@",
            "a@b",
            "a@.example.dk",
            "a@example.dk.",
            "a@[192.0.2.1]",
            "a b@example.dk",
            "a..b@example.dk",
            "a@exa mple.dk",
            "a@-example.dk",
            "a\u{0}b@example.dk",
            "a@b@example.dk",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
