//! The message catalogues compiled into the app (`assets/i18n/<tag>.ftl`), parsed once on
//! first use, and formatting a message with its arguments.

use super::Language;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

/// Each language's catalogue file, as compiled in: (language, file name, text).
pub const CATALOGUE_FILES: [(Language, &str, &str); 2] = [
    (
        Language::English,
        "en.ftl",
        include_str!("../../../../assets/i18n/en.ftl"),
    ),
    (
        Language::Korean,
        "ko.ftl",
        include_str!("../../../../assets/i18n/ko.ftl"),
    ),
];

/// A value for a message's placeable: text or a number.
pub struct Arg(FluentValue<'static>);

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg(FluentValue::from(s.to_string()))
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg(FluentValue::from(s))
    }
}
impl From<&String> for Arg {
    fn from(s: &String) -> Self {
        Arg(FluentValue::from(s.clone()))
    }
}
macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Self {
                Arg(FluentValue::from(n))
            }
        }
    )*};
}
number_arg!(i32, i64, u32, u64, usize, f32, f64);

type Bundle = FluentBundle<FluentResource>;

fn bundles() -> &'static Vec<(Language, Bundle)> {
    static BUNDLES: OnceLock<Vec<(Language, Bundle)>> = OnceLock::new();
    BUNDLES.get_or_init(|| {
        CATALOGUE_FILES
            .iter()
            .map(|(lang, file, text)| (*lang, build(*lang, file, text)))
            .collect()
    })
}

fn build(lang: Language, file: &str, text: &str) -> Bundle {
    let id = lang.tag().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // egui would draw Unicode isolation marks around placeables as boxes.
    bundle.set_use_isolating(false);
    let resource = FluentResource::try_new(text.to_string()).unwrap_or_else(|(partial, errs)| {
        tracing::error!("{file}: {} syntax errors in the catalogue", errs.len());
        partial
    });
    if let Err(errs) = bundle.add_resource(resource) {
        tracing::error!("{file}: {} duplicate messages in the catalogue", errs.len());
    }
    bundle
}

fn bundle(lang: Language) -> Option<&'static Bundle> {
    bundles().iter().find(|(l, _)| *l == lang).map(|(_, b)| b)
}

/// The message `key` in `lang` (falling back to English) with `args` filled in.
pub fn format(lang: Language, key: &str, args: &[(&str, Arg)]) -> String {
    let fluent_args = (!args.is_empty()).then(|| {
        let mut a = FluentArgs::new();
        for (name, value) in args {
            a.set(name.to_string(), value.0.clone());
        }
        a
    });
    for candidate in [lang, Language::English] {
        let Some(bundle) = bundle(candidate) else {
            continue;
        };
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            continue;
        };
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, fluent_args.as_ref(), &mut errors);
        if !errors.is_empty() {
            tracing::warn!("message {key}: {errors:?}");
        }
        return text.into_owned();
    }
    warn_missing(key);
    key.to_string()
}

/// Whether `lang`'s own catalogue has `key` (no fallback).
#[cfg(test)]
pub fn has(lang: Language, key: &str) -> bool {
    bundle(lang).is_some_and(|b| b.has_message(key))
}

fn warn_missing(key: &str) {
    static SEEN: Mutex<Option<HashSet<String>>> = Mutex::new(None);
    if let Ok(mut seen) = SEEN.lock() {
        if seen
            .get_or_insert_with(HashSet::new)
            .insert(key.to_string())
        {
            tracing::warn!("no catalogue has the message {key}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_format_in_each_language_with_arguments() {
        let en = format(
            Language::English,
            "common-cameras",
            &[("count", Arg::from(1))],
        );
        assert_eq!(en, "1 camera");
        let en = format(
            Language::English,
            "common-cameras",
            &[("count", Arg::from(3))],
        );
        assert_eq!(en, "3 cameras");
        let ko = format(
            Language::Korean,
            "common-cameras",
            &[("count", Arg::from(3))],
        );
        assert_eq!(ko, "카메라 3대");
        assert_eq!(format(Language::Korean, "common-cancel", &[]), "취소");
        assert_eq!(format(Language::Korean, "no-such-key", &[]), "no-such-key");
        assert!(has(Language::Korean, "common-cancel"));
    }
}
