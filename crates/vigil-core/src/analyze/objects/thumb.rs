//! Thumbnails of object events: the picture of the best sighting, scaled to the thumbnail
//! width, with the object's box drawn on it, as a JPEG.

use crate::media::decode::RgbPicture;
use crate::model::objects::ObjectBox;

/// The box's colour and line width, pixels.
const COLOUR: [u8; 3] = [255, 48, 48];
const LINE: u32 = 2;

/// `picture` scaled to `width` pixels wide (never enlarged), `bbox` drawn on it, as a JPEG;
/// `None` if the picture is not whole or cannot be encoded.
pub fn jpeg_with_box(picture: &RgbPicture, bbox: &ObjectBox, width: u32) -> Option<Vec<u8>> {
    let img = image::RgbImage::from_raw(picture.width, picture.height, picture.data.clone())?;
    let mut img = if width > 0 && width < img.width() {
        let h = (u64::from(img.height()) * u64::from(width) / u64::from(img.width())).max(1);
        image::imageops::thumbnail(&img, width, h as u32)
    } else {
        img
    };
    draw_box(&mut img, bbox);
    let mut jpeg = Vec::new();
    let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 80);
    img.write_with_encoder(enc).ok()?;
    Some(jpeg)
}

/// Draws the outline of `bbox` (picture fractions), `LINE` pixels wide, inside the picture.
fn draw_box(img: &mut image::RgbImage, bbox: &ObjectBox) {
    let (w, h) = (img.width(), img.height());
    if w == 0 || h == 0 {
        return;
    }
    let px = |f: f32, side: u32| ((f.clamp(0.0, 1.0) * side as f32) as u32).min(side - 1);
    let (x0, y0) = (px(bbox.x, w), px(bbox.y, h));
    let (x1, y1) = (px(bbox.x + bbox.w, w), px(bbox.y + bbox.h, h));
    let mut put = |x: u32, y: u32| img.put_pixel(x, y, image::Rgb(COLOUR));
    for t in 0..LINE {
        for x in x0..=x1 {
            put(x, (y0 + t).min(h - 1));
            put(x, y1.saturating_sub(t));
        }
        for y in y0..=y1 {
            put((x0 + t).min(w - 1), y);
            put(x1.saturating_sub(t), y);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_box_is_drawn_on_the_scaled_picture() {
        let picture = RgbPicture {
            width: 640,
            height: 360,
            data: vec![20; 640 * 360 * 3],
        };
        let bbox = ObjectBox::from_corners(0.25, 0.25, 0.75, 0.75);
        let jpeg = jpeg_with_box(&picture, &bbox, 320).expect("a JPEG");
        let img = image::load_from_memory(&jpeg).expect("decodes").to_rgb8();
        assert_eq!((img.width(), img.height()), (320, 180));
        let red = |x: u32, y: u32| {
            let p = img.get_pixel(x, y).0;
            p[0] > 180 && p[1] < 120
        };
        // On the outline (left edge at x = 80, top at y = 45), not inside or outside it.
        assert!(red(80, 90) && red(160, 45) && red(239, 90) && red(160, 134));
        assert!(!red(160, 90) && !red(20, 20));
    }

    #[test]
    fn a_picture_that_is_not_whole_gives_no_thumbnail() {
        let picture = RgbPicture {
            width: 640,
            height: 360,
            data: vec![0; 100],
        };
        assert_eq!(jpeg_with_box(&picture, &ObjectBox::default(), 320), None);
    }
}
