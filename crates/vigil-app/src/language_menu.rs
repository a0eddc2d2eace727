//! The operator's choice of language: the system locale's unless they picked one in the
//! Language menu, kept per user in `$XDG_CONFIG_HOME/vigil/ui.json` (`{"language": "ko"}`)
//! and applied from the next frame on. `VIGIL_LANG=ko` overrides both (tests, scripts).

use crate::i18n::{self, Language};
use crate::tr;
use egui::{Color32, Id, RichText, Ui};
use std::path::{Path, PathBuf};

/// What the operator chose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    /// Follow the system locale (`LC_ALL`, `LC_MESSAGES`, `LANG`).
    System,
    Fixed(Language),
}

/// The JSON key in `ui.json`.
const KEY: &str = "language"; // i18n-ignore: JSON key

/// `$XDG_CONFIG_HOME/vigil/ui.json` (`~/.config/vigil/ui.json`).
pub fn settings_path() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("vigil").join("ui.json"))
}

/// The choice saved in `path`; `System` when there is none or the file is unreadable.
pub fn read_choice(path: &Path) -> Choice {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Choice::System;
    };
    let value: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    value
        .get(KEY)
        .and_then(|v| v.as_str())
        .and_then(Language::from_locale)
        .map_or(Choice::System, Choice::Fixed)
}

/// Saves `choice` in `path`, keeping the file's other settings; written to a temporary
/// file and renamed, so a crash never leaves half a file.
pub fn write_choice(path: &Path, choice: Choice) -> std::io::Result<()> {
    let mut value: serde_json::Value = std::fs::read_to_string(path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .filter(serde_json::Value::is_object)
        .unwrap_or_else(|| serde_json::json!({}));
    if let Some(map) = value.as_object_mut() {
        match choice {
            Choice::System => map.remove(KEY),
            Choice::Fixed(lang) => map.insert(KEY.into(), lang.tag().into()),
        };
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, serde_json::to_vec_pretty(&value)?)?;
    std::fs::rename(&tmp, path)
}

/// The language to speak: `VIGIL_LANG` if it names one, else the saved choice, else the
/// system's.
pub fn resolve(env: Option<&str>, choice: Choice, system: Language) -> Language {
    if let Some(lang) = env.and_then(Language::from_locale) {
        return lang;
    }
    match choice {
        Choice::Fixed(lang) => lang,
        Choice::System => system,
    }
}

/// Sets the language at start-up from `VIGIL_LANG`, `ui.json` and the locale.
pub fn apply_at_startup() -> Language {
    let choice = settings_path().map_or(Choice::System, |p| read_choice(&p));
    let env = std::env::var("VIGIL_LANG").ok(); // i18n-ignore: env var
    let lang = resolve(env.as_deref(), choice, Language::from_env());
    i18n::set_language(lang);
    lang
}

/// The menu's memory, kept in the egui context.
#[derive(Clone, Debug)]
struct MenuState {
    path: Option<PathBuf>,
    choice: Choice,
    error: Option<String>,
}

fn state_id() -> Id {
    Id::unique("vigil-language-menu")
}

/// Makes the menu read and save its choice in `path` instead of the user's `ui.json`.
pub fn use_settings_file(ctx: &egui::Context, path: PathBuf) {
    let state = MenuState {
        choice: read_choice(&path),
        path: Some(path),
        error: None,
    };
    ctx.data_mut(|d| d.insert_temp(state_id(), state));
}

fn state(ctx: &egui::Context) -> MenuState {
    if let Some(s) = ctx.data(|d| d.get_temp::<MenuState>(state_id())) {
        return s;
    }
    let path = settings_path();
    let state = MenuState {
        choice: path.as_deref().map_or(Choice::System, read_choice),
        path,
        error: None,
    };
    ctx.data_mut(|d| d.insert_temp(state_id(), state.clone()));
    state
}

/// The Language menu button: the system's language or one of the catalogue's; a click
/// switches at once and saves the choice.
pub fn menu(ui: &mut Ui) {
    let mut st = state(ui.ctx());
    let before = st.choice;
    ui.menu_button(tr!("language-menu"), |ui| {
        let system = Language::from_env();
        let follow = tr!("language-follow-system", language = system.native_name());
        if ui
            .selectable_label(st.choice == Choice::System, follow)
            .clicked()
        {
            st.choice = Choice::System;
        }
        for lang in Language::ALL {
            let on = st.choice == Choice::Fixed(lang);
            if ui.selectable_label(on, lang.native_name()).clicked() {
                st.choice = Choice::Fixed(lang);
            }
        }
        if let Some(err) = &st.error {
            ui.label(RichText::new(err).color(Color32::from_rgb(235, 90, 80)));
        }
    })
    .response
    .on_hover_text(tr!("language-menu-hint"));
    if st.choice != before {
        i18n::set_language(resolve(None, st.choice, Language::from_env()));
        st.error = st.path.as_deref().and_then(|p| {
            write_choice(p, st.choice).err().map(|e| {
                tr!(
                    "language-save-failed",
                    path = p.display().to_string(),
                    error = e.to_string()
                )
            })
        });
        ui.ctx().request_repaint();
    }
    ui.ctx().data_mut(|d| d.insert_temp(state_id(), st));
}

#[cfg(test)]
mod tests {
    use super::*;
    use Language::{English, Korean};

    #[test]
    fn the_choice_survives_a_restart_and_keeps_other_settings() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vigil").join("ui.json");
        assert_eq!(read_choice(&path), Choice::System);
        write_choice(&path, Choice::Fixed(Korean)).unwrap();
        assert_eq!(read_choice(&path), Choice::Fixed(Korean));
        let mut v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        v["grid"] = serde_json::json!(3);
        std::fs::write(&path, v.to_string()).unwrap();
        write_choice(&path, Choice::System).unwrap();
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(v, serde_json::json!({"grid": 3}));
        assert_eq!(read_choice(&path), Choice::System);
        std::fs::write(&path, "not json").unwrap();
        assert_eq!(read_choice(&path), Choice::System);
    }

    #[test]
    fn the_env_override_beats_the_choice_which_beats_the_locale() {
        assert_eq!(resolve(Some("ko"), Choice::Fixed(English), English), Korean);
        assert_eq!(resolve(Some("xx"), Choice::Fixed(Korean), English), Korean);
        assert_eq!(resolve(None, Choice::Fixed(Korean), English), Korean);
        assert_eq!(resolve(None, Choice::System, Korean), Korean);
        assert_eq!(resolve(Some(""), Choice::System, English), English);
    }
}
