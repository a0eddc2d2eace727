//! Fonts for every script the operator may type: egui's own fonts draw Latin and Cyrillic;
//! a CJK font is added after them as a fallback, once per egui context. The system's font
//! (Noto Sans CJK KR, Nanum Gothic, or what fontconfig names for Korean) comes first, then a
//! Hangul/kana/Hanja subset of Nanum Gothic compiled into the app, so Hangul always renders.

mod mapped;
mod system;

use egui::epaint::text::{FontInsert, FontPriority, InsertFontFamily};
use egui::{FontData, FontFamily};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use system::{find_system_font, SystemFont};

/// The bundled fallback: `assets/fonts/VigilHangul-Regular.ttf`, made by
/// `packaging/make-font-subset.sh` (SIL OFL 1.1, see `assets/fonts/OFL.txt`).
pub static BUNDLED_FONT: &[u8] = include_bytes!("../../../../assets/fonts/VigilHangul-Regular.ttf");

/// egui's name for the system CJK font.
pub const SYSTEM_FONT_NAME: &str = "vigil-cjk-system";
/// egui's name for the bundled CJK font.
pub const BUNDLED_FONT_NAME: &str = "vigil-cjk-bundled";

/// Where CJK fonts come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// The system's CJK font when there is one, then the bundled font.
    SystemThenBundled,
    /// Only the bundled font (`VIGIL_FONTS=bundled`; tests of a machine without CJK fonts).
    BundledOnly,
    /// No CJK font at all (`VIGIL_FONTS=none`): egui's own fonts, for measuring the cost.
    None,
}

impl Lookup {
    /// `VIGIL_FONTS=bundled` skips the system's fonts, `none` every CJK font; anything
    /// else searches the system's.
    pub fn from_env() -> Lookup {
        match std::env::var("VIGIL_FONTS").as_deref() {
            Ok("bundled") => Lookup::BundledOnly,
            Ok("none") => Lookup::None,
            _ => Lookup::SystemThenBundled,
        }
    }
}

/// What [`install_with`] added.
#[derive(Clone, Debug)]
pub struct Installed {
    /// The system font used, if any.
    pub system: Option<SystemFont>,
    /// Time spent finding and mapping the fonts (the glyphs are read lazily when drawn).
    pub elapsed: Duration,
}

fn installed_id() -> egui::Id {
    egui::Id::unique("vigil-fonts-installed")
}

/// Adds the CJK fallbacks to `ctx` unless they were added to it already (then it returns
/// at once): the lookup follows `VIGIL_FONTS`.
pub fn install(ctx: &egui::Context) {
    if ctx
        .data(|d| d.get_temp::<bool>(installed_id()))
        .unwrap_or(false)
    {
        return;
    }
    let done = install_with(ctx, Lookup::from_env());
    match &done.system {
        Some(f) => tracing::info!(
            font = %f.path.display(),
            index = f.index,
            ms = done.elapsed.as_secs_f64() * 1e3,
            "CJK fonts: system font, bundled fallback" // i18n-ignore: log
        ),
        None => tracing::info!(
            ms = done.elapsed.as_secs_f64() * 1e3,
            "CJK fonts: bundled fallback only, or none (VIGIL_FONTS)" // i18n-ignore: log
        ),
    }
}

/// Adds the CJK fonts `lookup` finds to `ctx`, after the fonts it already has; a later
/// [`install`] on `ctx` does nothing.
pub fn install_with(ctx: &egui::Context, lookup: Lookup) -> Installed {
    let started = Instant::now();
    ctx.data_mut(|d| d.insert_temp(installed_id(), true));
    let system = match lookup {
        Lookup::SystemThenBundled => find_system_font(),
        Lookup::BundledOnly | Lookup::None => None,
    };
    let mut used = None;
    if let Some(font) = system {
        match mapped::Mapped::open(&font.path) {
            Ok(bytes) => {
                let data = FontData::from_blob(Arc::new(bytes), font.index);
                ctx.add_font(FontInsert::new(SYSTEM_FONT_NAME, data, fallback()));
                used = Some(font);
            }
            Err(e) => tracing::warn!(font = %font.path.display(), "cannot read font: {e}"),
        }
    }
    if lookup != Lookup::None {
        let data = FontData::from_static(BUNDLED_FONT);
        ctx.add_font(FontInsert::new(BUNDLED_FONT_NAME, data, fallback()));
    }
    Installed {
        system: used,
        elapsed: started.elapsed(),
    }
}

/// After egui's own fonts, in both families.
fn fallback() -> Vec<InsertFontFamily> {
    [FontFamily::Proportional, FontFamily::Monospace]
        .into_iter()
        .map(|family| InsertFontFamily {
            family,
            priority: FontPriority::Lowest,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A context whose only font is `data`.
    fn only(data: FontData) -> egui::Context {
        let ctx = egui::Context::default();
        let mut defs = egui::FontDefinitions::empty();
        defs.font_data.insert("only".into(), Arc::new(data));
        defs.families
            .insert(FontFamily::Proportional, vec!["only".into()]);
        ctx.set_fonts(defs);
        ctx.run_ui(Default::default(), |_| {})
            .textures_delta
            .clear();
        ctx
    }

    fn has(ctx: &egui::Context, c: char) -> bool {
        ctx.fonts_mut(|f| f.has_glyph(&egui::FontId::proportional(14.0), c))
    }

    #[test]
    fn the_bundled_font_has_hangul_kana_and_hanja() {
        assert!(BUNDLED_FONT.len() < 3_000_000, "the subset grew past 3 MB");
        let ctx = only(FontData::from_static(BUNDLED_FONT));
        for c in "정문주차장출입구ㄱㅎあカ東門。Ａ".chars() {
            assert!(has(&ctx, c), "the bundled font lacks {c:?}");
        }
        assert!(!has(&ctx, '\u{E000}'));
    }

    #[test]
    fn the_system_font_found_has_hangul() {
        // This machine has fonts-noto-cjk / fonts-nanum (packaging/install-deps.sh).
        let font =
            find_system_font().expect("no Korean system font: apt-get install fonts-noto-cjk");
        let bytes = mapped::Mapped::open(&font.path).unwrap();
        let ctx = only(FontData::from_blob(Arc::new(bytes), font.index));
        assert!("정문주차장".chars().all(|c| has(&ctx, c)), "{font:?}");
    }

    #[test]
    fn install_adds_the_fallbacks_after_egui_s_own_fonts() {
        let ctx = egui::Context::default();
        let done = install_with(&ctx, Lookup::BundledOnly);
        assert!(done.system.is_none());
        ctx.run_ui(Default::default(), |_| {})
            .textures_delta
            .clear();
        let families = ctx.fonts(|f| f.definitions().families.clone());
        let proportional = &families[&FontFamily::Proportional];
        assert_eq!(
            proportional.last().map(String::as_str),
            Some(BUNDLED_FONT_NAME)
        );
        assert_ne!(
            proportional.first().map(String::as_str),
            Some(BUNDLED_FONT_NAME)
        );
    }
}
