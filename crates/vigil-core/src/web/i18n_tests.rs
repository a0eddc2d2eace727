//! The web catalogue's guards: both languages parse (the subset the web section allows) with
//! the same keys and placeables; every key the pages and scripts ask for exists and every
//! web- message is asked for; and the pages and scripts show no words of their own.

use std::collections::{BTreeMap, BTreeSet};

use super::super::pages::ASSETS;
use super::*;

/// The text pages and scripts: (file name, text).
fn sources() -> Vec<(&'static str, String)> {
    let mut out: Vec<(&str, String)> = ASSETS
        .iter()
        .filter(|a| a.name.ends_with(".js") || a.name.ends_with(".html"))
        .map(|a| (a.name, String::from_utf8_lossy(a.body).into_owned()))
        .collect();
    out.push(("login.html", include_str!("assets/login.html").to_string()));
    out.push(("app.html", include_str!("assets/app.html").to_string()));
    out
}

fn catalogues() -> Vec<(&'static str, BTreeMap<String, String>)> {
    browser_messages().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn both_languages_have_every_web_message_with_the_same_placeables() {
    let all = catalogues();
    let (en_file, en) = &all[0];
    assert!(en.keys().filter(|k| k.starts_with(PREFIX)).count() > 100);
    for (file, other) in &all[1..] {
        let a: BTreeSet<_> = en.keys().collect();
        let b: BTreeSet<_> = other.keys().collect();
        assert_eq!(
            a.symmetric_difference(&b).collect::<Vec<_>>(),
            Vec::<&&String>::new(),
            "{en_file} and {file} differ in keys"
        );
        for (key, text) in en {
            assert_eq!(
                placeables(text),
                placeables(&other[key]),
                "{file}: {key} has other placeables than in {en_file}"
            );
        }
    }
}

#[test]
fn the_parser_takes_the_subset_and_refuses_the_rest() {
    let ok = "## ==== web: x\nweb-a = Hello { $name }!\n# note\n\nweb-b = B\n## ==== end of web\n";
    let m = parse(ok).unwrap();
    assert_eq!(m["web-a"], "Hello { $name }!");
    assert_eq!(placeables(&m["web-a"]), vec!["name"]);
    for bad in [
        "web-a = { $n ->\n    [one] x\n   *[other] y\n}",
        "web-a = x\n    continued",
        "web-a = { -term }",
        "web-a = { \"literal\" }",
        "web-a = { NUMBER($n) }",
        "web-a = a } b",
        "web-a = { $n",
        "web-a =",
        "Web-A = x",
        "web-a = x\nweb-a = y",
    ] {
        let text = format!("## ==== web: x\n{bad}\n## ==== end of web\n");
        assert!(parse(&text).is_err(), "{bad:?} parsed");
    }
    assert_eq!(parse("# nothing\n"), Err(CatalogueError::NoSection));
    let outside = "web-a = x\n## ==== web: x\n## ==== end of web\n";
    assert!(parse(outside).is_err(), "a web- key outside its section");
    let common = "## ==== common: c\ncommon-ok = OK\ncommon-n = { $count ->\n   *[other] n\n}\n## ==== end of common\n";
    assert_eq!(common_of(common), vec!["common-ok"]);
}

fn common_of(text: &str) -> Vec<String> {
    common(text).into_keys().collect()
}

/// The quoted literals in `text` starting with `web-` or `common-`, and the keys counted
/// with `tn('…'` (which stand for `…-one` and `…-other`).
fn keys_used(text: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut keys = BTreeSet::new();
    let mut counted = BTreeSet::new();
    for quote in ['\'', '"'] {
        for prefix in [PREFIX, "common-"] {
            let open = format!("{quote}{prefix}");
            for (at, _) in text.match_indices(&open) {
                let rest = &text[at + 1..];
                let Some(end) = rest.find(quote) else {
                    continue;
                };
                let key = &rest[..end];
                if text[..at].ends_with("tn(") {
                    counted.insert(key.to_string());
                } else {
                    keys.insert(key.to_string());
                }
            }
        }
    }
    (keys, counted)
}

#[test]
fn every_key_the_pages_ask_for_exists_and_every_web_message_is_asked_for() {
    let all = catalogues();
    let (_, en) = &all[0];
    let mut used = BTreeSet::new();
    let mut missing = Vec::new();
    let mut files = sources();
    // The login page's refusal names its message for the page's script.
    files.push(("login.rs", include_str!("login.rs").to_string()));
    for (file, text) in files {
        let (keys, counted) = keys_used(&text);
        for key in keys {
            if !en.contains_key(&key) {
                missing.push(format!("{file}: {key}"));
            }
            used.insert(key);
        }
        for key in counted {
            for form in ["one", "other"] {
                let k = format!("{key}-{form}");
                if !en.contains_key(&k) {
                    missing.push(format!("{file}: {k}"));
                }
                used.insert(k);
            }
        }
    }
    assert!(missing.is_empty(), "not in the catalogue: {missing:#?}");
    let unused: Vec<_> = en
        .keys()
        .filter(|k| k.starts_with(PREFIX) && !used.contains(*k))
        .collect();
    assert!(
        unused.is_empty(),
        "web messages nothing asks for: {unused:#?}"
    );
}

#[test]
fn the_pages_and_scripts_show_no_words_outside_the_catalogue() {
    let mut found = Vec::new();
    for (file, text) in sources() {
        let hits = if file.ends_with(".html") {
            super::i18n_scan::html_words(&text)
        } else {
            super::i18n_scan::js_words(&text)
        };
        found.extend(
            hits.into_iter()
                .map(|(line, s)| format!("{file}:{line}: {s:?}")),
        );
    }
    assert!(
        found.is_empty(),
        "words shown without the catalogue (use t('web-…') or data-i18n; \
         `// i18n-ignore` for text that is not shown): {found:#?}"
    );
}

#[test]
fn the_scanner_sees_shown_words_but_not_code() {
    use super::i18n_scan::{html_words, js_words};
    let js = "// A comment with 'Words in it'.\n\
              const a = el('span', { class: 'live-badge rec' }, 'motion');\n\
              p.textContent = 'stopped';\n\
              const r = /codecs=\"([^\"]*)\"/.exec(x);\n\
              if (!window.confirm(`Delete ${x}?`)) return;\n\
              const ok = t('web-key', { name: 'x' });\n\
              headers['Content-Type'] = 'application/json'; // i18n-ignore\n\
              problem('Something went wrong.');\n";
    let words: Vec<String> = js_words(js).into_iter().map(|(_, s)| s).collect();
    assert_eq!(
        words,
        vec!["motion", "stopped", "Delete ?", "Something went wrong."]
    );
    let html = "<title>Vigil — sign in</title><p data-i18n=\"web-x\">Words</p>\
                <code>vigil user add</code><input placeholder=\"Your name\"><h1>Vigil</h1>";
    let words: Vec<String> = html_words(html).into_iter().map(|(_, s)| s).collect();
    assert_eq!(words, vec!["Vigil — sign in", "placeholder=\"Your name\""]);
}

#[test]
fn the_catalogue_is_served_without_a_session_and_unknown_languages_are_not() {
    let ko = answers().get("ko").expect("ko");
    let v: serde_json::Value = serde_json::from_str(ko).unwrap();
    assert_eq!(v["lang"], "ko");
    assert_eq!(v["messages"]["web-login-submit"], "로그인");
    assert_eq!(v["messages"]["common-cancel"], "취소");
    assert!(
        v["messages"].get("common-cameras").is_none(),
        "selectors stay in the app"
    );
    assert!(answers().get("xx").is_none());
}
