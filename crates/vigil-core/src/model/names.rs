//! Names people give cameras and zones: any Unicode text (정문, Einfahrt Süd, 東門), compared
//! after NFC normalization, and the ASCII identifiers derived from them that name folders,
//! URLs, MQTT topics and CLI flags.

use std::fmt;

use serde::Serialize;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use super::camera::{CameraName, InvalidInput};
use super::text::is_unsafe;

/// Longest display name, in characters (after NFC).
pub const MAX_DISPLAY_CHARS: usize = 64;

/// Longest derived slug, leaving room for a `-N` suffix within an identifier's 64.
const MAX_SLUG_CHARS: usize = 56;

/// `raw` trimmed and in Unicode NFC: the form names are stored and compared in, so the
/// same name typed on two systems (composed or decomposed Hangul, `ü` or `u` + `¨`) is one.
pub fn normalize(raw: &str) -> String {
    raw.trim().nfc().collect()
}

/// The key two display names are compared by: NFC, then lower case (Latin `Gate` and
/// `gate` are one name; Hangul has no case).
pub fn fold(name: &str) -> String {
    normalize(name).to_lowercase()
}

/// A camera's or zone's name as a person wrote it: 1–64 characters of any text, stored in
/// NFC, with no control characters or bidirectional overrides and no surrounding spaces.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        let name = normalize(raw);
        let count = name.chars().count();
        if count == 0 || count > MAX_DISPLAY_CHARS {
            return Err(InvalidInput(format!(
                "name '{}' must be 1 to {MAX_DISPLAY_CHARS} characters long",
                super::text::printable(&name)
            )));
        }
        if name.chars().any(is_unsafe) {
            return Err(InvalidInput(format!(
                "name '{}' contains control characters; use letters, digits, spaces and \
                 punctuation",
                super::text::printable(&name)
            )));
        }
        Ok(Self(name))
    }

    /// A name read back from the library, where it was validated on the way in.
    pub(crate) fn trusted(name: String) -> Self {
        Self(name)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DisplayName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What an identifier names, for the `camera-N` / `zone-N` fallback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    Camera,
    Zone,
}

impl IdKind {
    fn prefix(self) -> &'static str {
        match self {
            IdKind::Camera => "camera",
            IdKind::Zone => "zone",
        }
    }
}

/// An identifier for `display` that `is_taken` does not refuse: the name itself when it is
/// already a valid identifier, else its ASCII slug (accents dropped, Hangul romanized),
/// else `camera-N` / `zone-N` (the first free N) when the name has letters that cannot be
/// transliterated (Han, kana…). A slug already taken gets `-2`, `-3`….
pub fn derive_id(display: &str, kind: IdKind, is_taken: impl Fn(&str) -> bool) -> CameraName {
    let name = normalize(display);
    let base = CameraName::parse(&name)
        .ok()
        .map(|id| id.as_str().to_string())
        .or_else(|| slug(&name));
    let candidate = match base {
        Some(base) => std::iter::once(base.clone())
            .chain((2..).map(|n| format!("{base}-{n}")))
            .find(|c| !is_taken(c)),
        None => (1..)
            .map(|n| format!("{}-{n}", kind.prefix()))
            .find(|c| !is_taken(c)),
    };
    // Both iterators are endless, so `find` only stops on a free identifier.
    CameraName::trusted(candidate.unwrap_or_else(|| kind.prefix().to_string()))
}

/// The ASCII slug of a name (`Einfahrt Süd` → `einfahrt-sud`, `주차장 B-2` →
/// `juchajang-b-2`), or `None` when it has a letter that cannot be transliterated or
/// nothing is left.
pub fn slug(name: &str) -> Option<String> {
    let mut out = String::new();
    for c in normalize(name).chars() {
        if let Some(roman) = romanize_hangul(c) {
            out.push_str(&roman);
            continue;
        }
        for d in c.nfd() {
            if is_combining_mark(d) {
                continue;
            }
            if d.is_ascii_alphanumeric() {
                out.push(d.to_ascii_lowercase());
            } else if let Some(latin) = latin_extra(d) {
                out.push_str(latin);
            } else if d.is_alphanumeric() {
                return None;
            } else if d == '_' {
                out.push('_');
            } else if !out.ends_with('-') {
                out.push('-');
            }
        }
    }
    let mut slug: String = out.trim_matches('-').chars().take(MAX_SLUG_CHARS).collect();
    while slug.ends_with('-') {
        slug.pop();
    }
    (!slug.is_empty()).then_some(slug)
}

/// Latin letters NFD does not split into a base letter and marks.
fn latin_extra(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' => "ss",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        'ø' | 'Ø' => "o",
        'đ' | 'Đ' | 'ð' | 'Ð' => "d",
        'ł' | 'Ł' => "l",
        'þ' | 'Þ' => "th",
        'ı' => "i",
        _ => return None,
    })
}

const HANGUL_FIRST: u32 = 0xAC00;
const HANGUL_LAST: u32 = 0xD7A3;

/// Revised Romanization of Korean, per jamo (no sound changes across syllables).
const INITIALS: [&str; 19] = [
    "g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p",
    "h",
];
const MEDIALS: [&str; 21] = [
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we",
    "wi", "yu", "eu", "ui", "i",
];
const FINALS: [&str; 28] = [
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p",
    "t", "t", "ng", "t", "t", "k", "t", "p", "t",
];

/// A Hangul syllable (U+AC00–U+D7A3) romanized: split into initial, medial and final jamo
/// (`index = (initial × 21 + medial) × 28 + final`), each looked up in the RR tables.
fn romanize_hangul(c: char) -> Option<String> {
    let code = u32::from(c);
    if !(HANGUL_FIRST..=HANGUL_LAST).contains(&code) {
        return None;
    }
    let index = (code - HANGUL_FIRST) as usize;
    let (initial, medial, last) = (index / (21 * 28), (index / 28) % 21, index % 28);
    Some(format!(
        "{}{}{}",
        INITIALS[initial], MEDIALS[medial], FINALS[last]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn free(_: &str) -> bool {
        false
    }

    #[test]
    fn normalize_trims_and_composes() {
        let nfd: String = "정문".nfd().collect();
        assert_ne!(nfd, "정문");
        assert_eq!(normalize(&format!("  {nfd} ")), "정문");
        assert_eq!(normalize("Su\u{308}d"), "Süd");
        assert_eq!(fold("Einfahrt SÜD"), fold("einfahrt süd"));
    }

    #[test]
    fn display_names_take_any_text_but_no_controls() {
        for ok in ["정문", "주차장 B-2", "Einfahrt Süd", "東門", "a/b", "x"] {
            assert_eq!(DisplayName::parse(ok).unwrap().as_str(), ok);
        }
        assert_eq!(DisplayName::parse(" 정문 ").unwrap().as_str(), "정문");
        assert!(DisplayName::parse("").is_err());
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse("door\u{1b}[31m").is_err());
        assert!(DisplayName::parse("a\u{202e}b").is_err());
        assert!(DisplayName::parse(&"문".repeat(64)).is_ok());
        assert!(DisplayName::parse(&"문".repeat(65)).is_err());
    }

    #[test]
    fn hangul_is_romanized_per_jamo() {
        assert_eq!(slug("정문").as_deref(), Some("jeongmun"));
        assert_eq!(slug("주차장 B-2").as_deref(), Some("juchajang-b-2"));
        assert_eq!(slug("후문").as_deref(), Some("humun"));
        assert_eq!(slug("꽃밭").as_deref(), Some("kkotbat"));
        assert_eq!(slug("의자").as_deref(), Some("uija"));
        // A decomposed (NFD) name romanizes the same.
        let nfd: String = "정문".nfd().collect();
        assert_eq!(slug(&nfd).as_deref(), Some("jeongmun"));
    }

    #[test]
    fn latin_letters_lose_their_accents() {
        assert_eq!(slug("Einfahrt Süd").as_deref(), Some("einfahrt-sud"));
        assert_eq!(slug("Café  Crème!").as_deref(), Some("cafe-creme"));
        assert_eq!(slug("Straße").as_deref(), Some("strasse"));
        assert_eq!(slug("Łódź").as_deref(), Some("lodz"));
        assert_eq!(slug("--Gate 1--").as_deref(), Some("gate-1"));
    }

    #[test]
    fn untransliterable_names_have_no_slug() {
        assert_eq!(slug("東門"), None);
        assert_eq!(slug("カメラ"), None);
        assert_eq!(slug("정문 東"), None);
        assert_eq!(slug("!!!"), None);
    }

    #[test]
    fn ids_are_derived_with_fallbacks_and_suffixes() {
        assert_eq!(derive_id("정문", IdKind::Camera, free).as_str(), "jeongmun");
        // A name that already is an identifier is kept as it is.
        assert_eq!(
            derive_id("Front_1", IdKind::Camera, free).as_str(),
            "Front_1"
        );
        assert_eq!(derive_id("東門", IdKind::Camera, free).as_str(), "camera-1");
        assert_eq!(derive_id("東門", IdKind::Zone, free).as_str(), "zone-1");
        let taken = |id: &str| ["camera-1", "camera-2", "jeongmun"].contains(&id);
        assert_eq!(
            derive_id("東門", IdKind::Camera, taken).as_str(),
            "camera-3"
        );
        let taken = |id: &str| ["jeongmun", "jeongmun-2"].contains(&id);
        assert_eq!(
            derive_id("정문", IdKind::Camera, taken).as_str(),
            "jeongmun-3"
        );
    }

    #[test]
    fn long_names_give_ids_that_still_parse() {
        let id = derive_id(&"정문".repeat(30), IdKind::Camera, |_| false);
        assert!(CameraName::parse(id.as_str()).is_ok());
        let taken = |c: &str| !c.ends_with("-2");
        let id = derive_id(&"정문".repeat(30), IdKind::Camera, taken);
        assert!(CameraName::parse(id.as_str()).is_ok(), "{id}");
    }
}
