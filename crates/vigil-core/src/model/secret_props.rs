//! Property tests for credential masking, scrubbing and the credential round trip.

use proptest::prelude::*;

use super::*;
use crate::model::camera::validate_url;

/// A password as a user may type it: printable ASCII (reserved characters included), some
/// non-ASCII, and `%` escapes that may or may not be valid.
fn password() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,16}",
        "[a-z0-9:/?#@%\\[\\]!$&'()*+,;=.~-]{0,16}",
        "[a-zé密]{0,4}(%[0-9A-Fa-f]{2}|%|%[gG])[a-z:@/#?]{0,6}",
        "\\PC{0,10}",
    ]
}

/// A user name: anything printable but `:` (ffmpeg and the URL crates end the user at the
/// first `:`, so a `:` there would belong to the password).
fn user() -> impl Strategy<Value = String> {
    prop_oneof!["[a-zA-Z0-9._-]{0,8}", "[!-9;-~]{0,8}"]
}

/// A host, optional port, path, query and fragment (IPv4, IPv6, names).
fn address() -> impl Strategy<Value = String> {
    let host = prop_oneof![
        "[a-z][a-z0-9.-]{0,12}",
        "(25[0-5]|1?[0-9]{1,2})\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}",
        Just("[::1]".to_string()),
        "\\[2001:db8::[0-9a-f]{1,4}\\]",
    ];
    let port = prop_oneof![
        Just(String::new()),
        "[0-9]{1,5}".prop_map(|p| format!(":{p}"))
    ];
    let path = prop_oneof![
        Just(String::new()),
        Just("/".to_string()),
        "(/[a-zA-Z0-9._~-]{1,8}){1,3}"
    ];
    let query = prop_oneof![
        Just(String::new()),
        "\\?[a-z]{1,5}=[a-z0-9@:/]{0,6}",
        "#[a-z@]{0,5}",
    ];
    (host, port, path, query).prop_map(|(h, p, pa, q)| format!("{h}{p}{pa}{q}"))
}

fn scheme() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("rtsp://".to_string()),
        Just("rtsps://".to_string()),
        Just("http://".to_string()),
        Just(String::new()),
    ]
}

/// Percent-encodes every byte that is not unreserved (what a careful user would type).
fn encode_all(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The credentials ffmpeg's `av_url_split` finds (up to the last `@` before the first `/`,
/// `?` or `#` after `://`), split at the first `:` and percent-decoded as its HTTP/RTSP
/// authentication does.
fn ffmpeg_credentials(url: &str) -> Option<(String, String)> {
    let rest = &url[url.find("://")? + 3..];
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let auth = &rest[..rest[..host_end].rfind('@')?];
    let (user, password) = auth.split_once(':').unwrap_or((auth, ""));
    Some((percent_decode(user)?, percent_decode(password)?))
}

proptest! {

    /// The masked URL does not depend on the password at all, so no byte of it can show.
    #[test]
    fn masking_never_shows_the_password(
        scheme in scheme(),
        user in user(),
        pw in password(),
        encode in any::<bool>(),
        address in address(),
    ) {
        let pw = if encode { encode_all(&pw) } else { pw };
        let url = format!("{scheme}{user}:{pw}@{address}");
        let masked = mask_url(&url);
        let canonical = mask_url(&format!("{scheme}{user}:@{address}"));
        prop_assert_eq!(&masked, &canonical, "{}", url);
        let rest = format!("{scheme}{user}:***@{address}");
        if pw.chars().count() >= 3 && !rest.contains(&pw) {
            prop_assert!(!masked.contains(&pw), "{} -> {}", url, masked);
        }
        // Validation errors quote the masked URL only: they do not change with the
        // password's letters and digits (its other characters may change the verdict).
        let blurred: String = pw.chars().map(|c| if c.is_alphanumeric() { 'x' } else { c }).collect();
        prop_assert_eq!(
            validate_url(&url).err(),
            validate_url(&format!("{scheme}{user}:{blurred}@{address}")).err()
        );
    }

    /// Masking any string at all never panics and never grows a password-free string.
    #[test]
    fn masking_arbitrary_text_never_panics(text in "\\PC{0,40}") {
        let masked = mask_url(&text);
        if !text.contains('@') {
            prop_assert_eq!(masked, text);
        }
    }

    /// An error message quoting the URL or the password (as typed or decoded) keeps neither.
    #[test]
    fn scrubbed_messages_keep_no_password(
        scheme in scheme(),
        user in user(),
        pw in password(),
        encode in any::<bool>(),
        address in address(),
    ) {
        let typed = if encode { encode_all(&pw) } else { pw.clone() };
        let url = format!("{scheme}{user}:{typed}@{address}");
        let decoded = percent_decode_lossy(&typed);
        let text = format!("{url}: Server returned 401 ({typed}) [{decoded}]");
        let clean = scrub(&text, &url);
        for secret in [&typed, &decoded] {
            if !secret.is_empty() && !secret.contains('*') {
                prop_assert!(!clean.contains(secret.as_str()), "{} -> {}", text, clean);
            }
        }
    }

    /// Credentials typed into their own fields make a URL that ffmpeg reads back exactly,
    /// that validation accepts, that masks, and that splits back into the same fields.
    #[test]
    fn credentials_round_trip_through_the_url(
        scheme in prop_oneof![Just("rtsp://"), Just("rtsps://"), Just("http://")],
        user in "\\PC{0,8}",
        pw in password(),
        address in address(),
    ) {
        prop_assume!(!user.is_empty() || !pw.is_empty());
        // An '@' after the host is refused (see below); here the address has none.
        let address = address.replace('@', "");
        let base = format!("{scheme}{address}");
        let Ok(url) = with_credentials(&base, &user, &pw) else {
            // The url crate refuses some hosts (bad IPv4, port > 65535): nothing to check.
            return Ok(());
        };
        prop_assert!(validate_url(&url).is_ok(), "{}", url);
        prop_assert_eq!(ffmpeg_credentials(&url), Some((user.clone(), pw.clone())), "{}", url);
        let (plain, user2, pw2) = split_credentials(&url);
        prop_assert_eq!((&user2, &pw2), (&user, &pw), "{}", url);
        prop_assert_eq!(with_credentials(&plain, &user2, &pw2), Ok(url.clone()));
        let masked = mask_url(&url);
        let stored_user = url[scheme.len()..].split([':', '@']).next().unwrap_or_default();
        // The stored address (as the url crate wrote it) holds no '@': it was not ambiguous.
        let stored_address = url.rsplit('@').next().unwrap_or_default();
        let skeleton = format!("{scheme}{stored_user}:***@{stored_address}");
        if pw.is_empty() {
            prop_assert_eq!(&masked, &url);
        } else {
            prop_assert_eq!(&masked, &skeleton, "{}", url);
        }
    }
}
