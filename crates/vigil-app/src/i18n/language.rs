//! Which language the app speaks: the system locale (`LC_ALL`, `LC_MESSAGES`, `LANG`) unless
//! the operator chose one; held process-wide so every widget reads the same.

use std::sync::atomic::{AtomicU8, Ordering};

/// A language with a complete catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Language {
    English,
    Korean,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::English, Language::Korean];

    /// The BCP 47 tag: "en", "ko".
    pub fn tag(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Korean => "ko",
        }
    }

    /// The language's own name, as shown in the language menu ("English", "한국어").
    pub fn native_name(self) -> &'static str {
        match self {
            Language::English => "English",
            Language::Korean => "한국어",
        }
    }

    /// The language a POSIX locale name asks for ("ko_KR.UTF-8" → Korean); `None` for a
    /// language without a catalogue.
    pub fn from_locale(locale: &str) -> Option<Language> {
        let lang = locale
            .split(['_', '.', '@', '-'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match lang.as_str() {
            "ko" => Some(Language::Korean),
            "en" | "c" | "posix" => Some(Language::English),
            _ => None,
        }
    }

    /// The language of the system locale, as the C library reads it: the first of
    /// `LC_ALL`, `LC_MESSAGES`, `LANG` that is set; English otherwise.
    pub fn from_env() -> Language {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|var| std::env::var(var).ok().filter(|v| !v.is_empty()))
            .and_then(|v| Language::from_locale(&v))
            .unwrap_or(Language::English)
    }

    fn index(self) -> u8 {
        match self {
            Language::English => 0,
            Language::Korean => 1,
        }
    }
}

static CURRENT: AtomicU8 = AtomicU8::new(u8::MAX);

thread_local! {
    static THIS_THREAD: std::cell::Cell<Option<Language>> = const { std::cell::Cell::new(None) };
}

/// The language in use: this thread's override, else the one set last, else the system
/// locale's.
pub fn language() -> Language {
    if let Some(lang) = THIS_THREAD.with(|l| l.get()) {
        return lang;
    }
    match CURRENT.load(Ordering::Relaxed) {
        0 => Language::English,
        1 => Language::Korean,
        _ => {
            let lang = Language::from_env();
            CURRENT.store(lang.index(), Ordering::Relaxed);
            lang
        }
    }
}

/// Speaks `lang` from the next frame on.
pub fn set_language(lang: Language) {
    CURRENT.store(lang.index(), Ordering::Relaxed);
}

/// Speaks `lang` on this thread only (`None`: the process's language again). For tests
/// that run side by side in one process (kittest draws on the test's own thread), so a
/// Korean screenshot does not turn another test's English labels into Korean.
pub fn set_thread_language(lang: Option<Language>) {
    THIS_THREAD.with(|l| l.set(lang));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_names_choose_the_language() {
        assert_eq!(Language::from_locale("ko_KR.UTF-8"), Some(Language::Korean));
        assert_eq!(Language::from_locale("ko"), Some(Language::Korean));
        assert_eq!(
            Language::from_locale("en_GB.UTF-8"),
            Some(Language::English)
        );
        assert_eq!(Language::from_locale("C.UTF-8"), Some(Language::English));
        assert_eq!(Language::from_locale("de_DE.UTF-8"), None);
    }
}
