//! The app's identity on the desktop: the application id its windows carry (which the
//! desktop entry `assets/org.vigilnvr.Vigil.desktop` matches by name and by
//! `StartupWMClass`) and the window icon, decoded once from the committed 256-px PNG.

use std::sync::{Arc, OnceLock};

use egui::{IconData, ViewportBuilder};

/// The freedesktop application id: the desktop entry's and metainfo's name, the Wayland
/// app id and the X11 `WM_CLASS` of every window.
pub const APP_ID: &str = "org.vigilnvr.Vigil";

/// The icon rendered from `assets/icons/vigil.svg` by `packaging/render-icons.sh`.
pub static ICON_PNG: &[u8] =
    include_bytes!("../../../assets/icons/hicolor/256x256/apps/org.vigilnvr.Vigil.png");

/// Decodes a PNG (any colour type) into the RGBA pixels a window icon takes.
pub fn decode_icon(png: &[u8]) -> Result<IconData, image::ImageError> {
    let rgba = image::load_from_memory_with_format(png, image::ImageFormat::Png)?.into_rgba8();
    let (width, height) = rgba.dimensions();
    Ok(IconData {
        rgba: rgba.into_raw(),
        width,
        height,
    })
}

/// The window icon, decoded on first use and shared by every window; `None` (logged once)
/// if the embedded PNG cannot be decoded: the windows then open without an icon.
pub fn window_icon() -> Option<Arc<IconData>> {
    static ICON: OnceLock<Option<Arc<IconData>>> = OnceLock::new();
    ICON.get_or_init(|| match decode_icon(ICON_PNG) {
        Ok(icon) => Some(Arc::new(icon)),
        Err(e) => {
            tracing::warn!("the window icon cannot be decoded, windows open without it: {e}");
            None
        }
    })
    .clone()
}

/// Gives a window the app id and the icon.
pub fn apply(builder: ViewportBuilder) -> ViewportBuilder {
    let builder = builder.with_app_id(APP_ID);
    match window_icon() {
        Some(icon) => builder.with_icon(icon),
        None => builder,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_icon_decodes_to_256_square_rgba() {
        let icon = decode_icon(ICON_PNG).unwrap();
        assert_eq!((icon.width, icon.height), (256, 256));
        assert_eq!(icon.rgba.len(), 256 * 256 * 4);
        // Not a blank picture: the corners are transparent (a rounded tile), the centre is not.
        let alpha = |x: usize, y: usize| icon.rgba[(y * 256 + x) * 4 + 3];
        assert_eq!(alpha(0, 0), 0, "corner should be transparent");
        assert_eq!(alpha(128, 128), 255, "centre should be opaque");
    }

    #[test]
    fn a_broken_icon_is_an_error_not_a_panic() {
        assert!(decode_icon(b"not a png").is_err());
        assert!(decode_icon(&ICON_PNG[..ICON_PNG.len() / 2]).is_err());
    }

    #[test]
    fn windows_get_the_app_id_and_the_icon() {
        let builder = apply(ViewportBuilder::default());
        assert_eq!(builder.app_id.as_deref(), Some(APP_ID));
        let icon = builder.icon.expect("the window icon");
        assert_eq!((icon.width, icon.height), (256, 256));
    }
}
