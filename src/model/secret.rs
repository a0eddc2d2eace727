//! Credentials in camera URLs: masking for logs and the UI, and splitting user/password out.

/// Returns the URL with its password replaced by `***` (the user name stays visible).
/// Works on URLs the `url` crate cannot parse too, so nothing leaks on bad input.
pub fn mask_url(raw: &str) -> String {
    let Some(scheme_end) = raw.find("://") else {
        return raw.to_string();
    };
    let auth_start = scheme_end + 3;
    let rest = &raw[auth_start..];
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..host_end];
    let Some(at) = authority.rfind('@') else {
        return raw.to_string();
    };
    let userinfo = &authority[..at];
    let user = match userinfo.find(':') {
        Some(colon) => &userinfo[..colon],
        None => return raw.to_string(),
    };
    format!(
        "{}{}:***{}",
        &raw[..auth_start],
        user,
        &raw[auth_start + at..]
    )
}

/// Replaces every occurrence of the URL's password in `text` with `***`.
/// Used on error strings that may have come from a library quoting the URL.
pub fn scrub(text: &str, raw_url: &str) -> String {
    match password_of(raw_url) {
        Some(pw) if !pw.is_empty() => text
            .replace(&pw, "***")
            .replace(raw_url, &mask_url(raw_url)),
        _ => text.to_string(),
    }
}

fn password_of(raw: &str) -> Option<String> {
    let parsed = url::Url::parse(raw).ok()?;
    let pw = parsed.password()?;
    Some(percent_decode(pw).unwrap_or_else(|| pw.to_string()))
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Puts `user` and `password` into a URL that has no credentials of its own
/// (the GUI keeps them in separate fields). Both are percent-encoded.
pub fn with_credentials(raw: &str, user: &str, password: &str) -> Result<String, String> {
    let mut parsed =
        url::Url::parse(raw).map_err(|e| format!("'{}' is not a valid URL: {e}", mask_url(raw)))?;
    parsed
        .set_username(user)
        .map_err(|()| format!("a user name cannot be set on '{}'", mask_url(raw)))?;
    parsed
        .set_password(Some(password))
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
    let decode = |s: &str| percent_decode(s).unwrap_or_else(|| s.to_string());
    let user = decode(parsed.username());
    let password = parsed.password().map(decode).unwrap_or_default();
    if user.is_empty() && password.is_empty() {
        return unchanged();
    }
    if parsed.set_password(None).is_err() || parsed.set_username("").is_err() {
        return unchanged();
    }
    (parsed.to_string(), user, password)
}

#[cfg(test)]
mod tests {
    use super::*;

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
