//! Credentials in camera URLs: masking for logs and the UI, and splitting user/password out.

/// The index just after `scheme://`, when the string starts with a scheme (a letter, then
/// letters, digits, `+`, `-` or `.`). A `://` after anything else (`admin:x://y@cam`, a
/// password holding `://` typed without a scheme) does not count.
pub fn scheme_end(raw: &str) -> Option<usize> {
    let i = raw.find("://")?;
    let scheme = &raw[..i];
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(i + 3)
}

/// Where a URL's credentials may lie: from just after `://` (or the start, for a string with
/// no scheme) to the LAST `@` of the whole string. That is wider than what a URL parser (or
/// ffmpeg, which ends the address at the first `/`, `?` or `#`) calls the user info, on
/// purpose: a password typed with an unencoded `/`, `?`, `#` or `@` still lies inside it, so
/// masking never depends on how the password is spelled. Returns (start, index of the `@`).
fn credentials_span(raw: &str) -> Option<(usize, usize)> {
    let start = scheme_end(raw).unwrap_or(0);
    let at = start + raw[start..].rfind('@')?;
    Some((start, at))
}

/// What the password may be, as written in the URL (percent-encoded or not), longest first:
/// what follows the first `:` of the credentials (the user name cannot hold a `:`; ffmpeg
/// splits there too) up to the last `@`, or up to any earlier `@` (the later ones may be
/// in a path or query).
fn password_candidates(raw: &str) -> Vec<&str> {
    let Some((start, at)) = credentials_span(raw) else {
        return Vec::new();
    };
    let Some(colon) = raw[start..at].find(':') else {
        return Vec::new();
    };
    let from = start + colon + 1;
    let mut candidates: Vec<&str> = raw[from..=at]
        .match_indices('@')
        .map(|(i, _)| &raw[from..from + i])
        .filter(|pw| !pw.is_empty())
        .collect();
    candidates.reverse();
    candidates
}

/// Returns the URL with its password replaced by `***` (the user name stays visible).
/// Works on any string, URL or not, so nothing leaks on bad input: everything between the
/// first `:` after `://` and the last `@` is hidden (see [`credentials_span`]), which may hide
/// more than the password when a path or query holds an `@`, never less.
pub fn mask_url(raw: &str) -> String {
    let Some((start, at)) = credentials_span(raw) else {
        return raw.to_string();
    };
    let Some(colon) = raw[start..at].find(':') else {
        return raw.to_string();
    };
    format!("{}:***{}", &raw[..start + colon], &raw[at..])
}

/// Replaces the URL, and every occurrence of what may be its password (as written and
/// percent-decoded, see [`password_candidates`]), in `text` with their masked forms. Used on error strings that may have come from a
/// library quoting the URL (ffmpeg quotes it whole: `rtsp://u:p@h/s: Server returned 401`).
pub fn scrub(text: &str, raw_url: &str) -> String {
    if raw_url.is_empty() {
        return text.to_string();
    }
    let mut out = text.replace(raw_url, &mask_url(raw_url));
    for pw in password_candidates(raw_url) {
        out = out.replace(pw, "***");
        let decoded = percent_decode_lossy(pw);
        if !decoded.is_empty() && decoded != pw {
            out = out.replace(&decoded, "***");
        }
    }
    out
}

/// Whether a URL's address has an `@` after its first `/`, `?` or `#`. ffmpeg (and the `url`
/// crate) end the host at that character, so a password holding an unencoded `/`, `?` or `#`
/// is not read as a password at all; an `@` in a path is ambiguous in the same way. Such
/// URLs are refused (see [`crate::model::camera::validate_url`]); masking is safe either way.
pub fn has_ambiguous_credentials(raw: &str) -> bool {
    let Some(start) = scheme_end(raw) else {
        return false;
    };
    let rest = &raw[start..];
    match rest.find(['/', '?', '#']) {
        // `file:///a@b.mp4` has no address, so nothing to mistake for credentials.
        Some(host_end) => host_end > 0 && rest[host_end..].contains('@'),
        None => false,
    }
}

/// Decodes `%XX` escapes as ffmpeg does (a `%` not followed by two hex digits stays as is).
/// `None` when the bytes are not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    String::from_utf8(percent_decode_bytes(s)).ok()
}

pub(crate) fn percent_decode_lossy(s: &str) -> String {
    String::from_utf8_lossy(&percent_decode_bytes(s)).into_owned()
}

fn percent_decode_bytes(s: &str) -> Vec<u8> {
    let bytes = s.as_bytes();
    let hex = |b: u8| char::from(b).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escape = (bytes[i] == b'%')
            .then(|| Some((hex(*bytes.get(i + 1)?)?, hex(*bytes.get(i + 2)?)?)))
            .flatten();
        match escape {
            Some((hi, lo)) => {
                // Two hex digits make a byte: hi * 16 + lo <= 255.
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    out
}

/// Puts `user` and `password` into a URL that has no credentials of its own
/// (the GUI keeps them in separate fields). Both are percent-encoded, `%` included (ffmpeg
/// decodes the credentials, so a literal `%` must reach it as `%25`).
pub fn with_credentials(raw: &str, user: &str, password: &str) -> Result<String, String> {
    let mut parsed =
        url::Url::parse(raw).map_err(|e| format!("'{}' is not a valid URL: {e}", mask_url(raw)))?;
    parsed
        .set_username(&user.replace('%', "%25"))
        .map_err(|()| format!("a user name cannot be set on '{}'", mask_url(raw)))?;
    parsed
        .set_password(Some(&password.replace('%', "%25")))
        .map_err(|()| format!("a password cannot be set on '{}'", mask_url(raw)))?;
    Ok(parsed.to_string())
}

/// Takes the user name and password out of a URL: `(url without them, user, password)`, both
/// percent-decoded (the GUI shows them in their own fields). A URL without credentials, or
/// one the `url` crate cannot parse (a file path), comes back unchanged with empty ones.
pub fn split_credentials(raw: &str) -> (String, String, String) {
    let unchanged = || (raw.to_string(), String::new(), String::new());
    let Ok(mut parsed) = url::Url::parse(raw.trim()) else {
        return unchanged();
    };
    // Credentials that do not decode to text cannot be shown in a field and typed back:
    // they stay in the URL.
    let (Some(user), Some(password)) = (
        percent_decode(parsed.username()),
        percent_decode(parsed.password().unwrap_or_default()),
    ) else {
        return unchanged();
    };
    if user.is_empty() && password.is_empty() {
        return unchanged();
    }
    if parsed.set_password(None).is_err() || parsed.set_username("").is_err() {
        return unchanged();
    }
    (parsed.to_string(), user, password)
}

#[cfg(test)]
#[path = "secret_props.rs"]
mod props;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_characters_in_a_password_stay_masked() {
        // Issue 9: the mask used to end at the first '/', '?' or '#'.
        for (url, masked) in [
            ("rtsp://admin:pa#ss@cam/", "rtsp://admin:***@cam/"),
            (
                "rtsp://admin:pa/ss@cam:554/h264",
                "rtsp://admin:***@cam:554/h264",
            ),
            (
                "rtsp://admin:p?ss@[::1]:554/",
                "rtsp://admin:***@[::1]:554/",
            ),
            (
                "rtsp://admin:p@s:s@[2001:db8::5]/a",
                "rtsp://admin:***@[2001:db8::5]/a",
            ),
            // No scheme: the credentials are hidden all the same.
            ("admin:secret@10.0.0.5/s", "admin:***@10.0.0.5/s"),
            ("admin:x://secret@cam/", "admin:***@cam/"),
        ] {
            assert_eq!(mask_url(url), masked, "{url}");
        }
        // An '@' in a query hides more than the password, never less.
        assert_eq!(mask_url("rtsp://u:pw@cam/s?e=a@b"), "rtsp://u:***@b");
    }

    #[test]
    fn scrub_handles_what_the_url_parser_cannot() {
        // ffmpeg quotes the whole URL in its messages.
        let url = "rtsp://admin:pa#ss@cam:554/h264";
        let msg = format!("{url}: Invalid argument (pa#ss)");
        let clean = scrub(&msg, url);
        assert!(!clean.contains("pa#ss"), "{clean}");
        assert!(clean.contains("rtsp://admin:***@cam:554/h264"), "{clean}");
        let url = "rtsp://u:wr%2Fong@[::1]:554/";
        let clean = scrub(&format!("{url} said no to wr/ong"), url);
        assert!(
            !clean.contains("wr/ong") && !clean.contains("wr%2Fong"),
            "{clean}"
        );
        assert_eq!(scrub("nothing here", ""), "nothing here");
        // An '@' in the query: the password ends at an earlier '@' (found by the props).
        let url = "rtsp://u:pw1@cam/s?e=a@b";
        assert_eq!(scrub("pw1 rejected", url), "*** rejected");
    }

    #[test]
    fn a_percent_in_a_password_survives_the_round_trip() {
        // ffmpeg percent-decodes the credentials, so '%' must be stored as %25.
        let url = with_credentials("rtsp://cam/s", "admin", "a%41b%").unwrap();
        assert_eq!(url, "rtsp://admin:a%2541b%25@cam/s");
        let (base, user, pw) = split_credentials(&url);
        assert_eq!(
            (base.as_str(), user.as_str(), pw.as_str()),
            ("rtsp://cam/s", "admin", "a%41b%")
        );
        // Credentials that are not text stay in the URL rather than being changed.
        let raw = "rtsp://admin:%FF@cam/s";
        assert_eq!(split_credentials(raw).0, raw);
    }

    #[test]
    fn masks_password_keeps_user_and_path() {
        assert_eq!(
            mask_url("rtsp://user:pass@10.0.0.5/stream1"),
            "rtsp://user:***@10.0.0.5/stream1"
        );
        assert_eq!(
            mask_url("rtsp://admin:p@ss:w0rd@cam.local:554/a?b=c"),
            "rtsp://admin:***@cam.local:554/a?b=c"
        );
        assert_eq!(
            mask_url("rtsp://10.0.0.5/stream1"),
            "rtsp://10.0.0.5/stream1"
        );
        assert_eq!(mask_url("rtsp://user@10.0.0.5/s"), "rtsp://user@10.0.0.5/s");
        assert_eq!(mask_url("/videos/a.mp4"), "/videos/a.mp4");
        assert_eq!(mask_url("demo://"), "demo://");
    }

    #[test]
    fn scrub_removes_password_from_messages() {
        let url = "rtsp://user:s3cr%21t@10.0.0.5/stream1";
        let msg = format!("failed to open {url}: password s3cr!t rejected");
        let clean = scrub(&msg, url);
        assert!(!clean.contains("s3cr"), "{clean}");
        assert!(clean.contains("user:***@10.0.0.5"), "{clean}");
    }

    #[test]
    fn credentials_are_encoded_into_url() {
        let url = with_credentials("rtsp://10.0.0.5/s", "admin", "a@b:c").unwrap();
        assert_eq!(url, "rtsp://admin:a%40b%3Ac@10.0.0.5/s");
        assert_eq!(mask_url(&url), "rtsp://admin:***@10.0.0.5/s");
    }

    #[test]
    fn credentials_are_split_out_of_a_url_and_back() {
        let (url, user, pw) = split_credentials("rtsp://admin:a%40b%3Ac@10.0.0.5:554/s?x=1");
        assert_eq!(
            (url.as_str(), user.as_str(), pw.as_str()),
            ("rtsp://10.0.0.5:554/s?x=1", "admin", "a@b:c")
        );
        assert_eq!(
            with_credentials(&url, &user, &pw).unwrap(),
            "rtsp://admin:a%40b%3Ac@10.0.0.5:554/s?x=1"
        );
        for plain in ["rtsp://10.0.0.5/s", "demo://", "/videos/a.mp4"] {
            assert_eq!(
                split_credentials(plain),
                (plain.to_string(), String::new(), String::new())
            );
        }
    }
}
