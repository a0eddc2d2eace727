//! The app's words in the operator's language: every user-visible string comes from the
//! message catalogue (Project Fluent, one file per language in `assets/i18n/`), looked up by
//! key with [`tr!`](crate::tr) in the language chosen at start-up.

mod catalogue;
mod language;
#[cfg(test)]
mod lint_tests;

pub use catalogue::{Arg, CATALOGUE_FILES};
pub use language::{language, set_language, set_thread_language, Language};

/// The message `key` in the current language (English when the language lacks it; the key
/// itself, logged once, when no catalogue has it: the lint test keeps that from shipping).
pub fn t(key: &str) -> String {
    catalogue::format(language(), key, &[])
}

/// The message `key` with its placeables (`{ $name }`) filled from `args`.
pub fn t_args(key: &str, args: &[(&str, Arg)]) -> String {
    catalogue::format(language(), key, args)
}

/// `tr!("key")` or `tr!("key", name = value, count = n)`: the message in the current
/// language. Values may be text or numbers (numbers choose plural forms in the catalogue).
#[macro_export]
macro_rules! tr {
    ($key:literal) => {
        $crate::i18n::t($key)
    };
    ($key:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::t_args($key, &[$((stringify!($name), $crate::i18n::Arg::from($value))),+])
    };
}
