//! Where in the frame the motion is: the bounding box of the blocks of a difference image
//! that changed, so object detection can look closely at a small moving region.

/// Side of the square blocks counted, pixels.
const BLOCK: usize = 8;
/// Changed pixels a block needs to count (of 64): isolated noise does not stretch the box.
const BLOCK_MIN: usize = 6;

/// The box (x0, y0, x1, y1), in frame fractions, around every `BLOCK`×`BLOCK` block of
/// `diff` (a `width`×`height` difference image, stride = width) with at least `BLOCK_MIN`
/// pixels above `threshold`; `None` when no block changed.
pub fn changed_region(diff: &[u8], width: usize, height: usize, threshold: u8) -> Option<[f32; 4]> {
    if width == 0 || height == 0 || diff.len() < width * height {
        return None;
    }
    let (bw, bh) = (width.div_ceil(BLOCK), height.div_ceil(BLOCK));
    let mut counts = vec![0u16; bw * bh];
    for y in 0..height {
        let row = &diff[y * width..(y + 1) * width];
        let base = (y / BLOCK) * bw;
        for (x, &d) in row.iter().enumerate() {
            if d > threshold {
                counts[base + x / BLOCK] += 1;
            }
        }
    }
    let mut bounds: Option<(usize, usize, usize, usize)> = None;
    for (i, &c) in counts.iter().enumerate() {
        if usize::from(c) < BLOCK_MIN {
            continue;
        }
        let (bx, by) = (i % bw, i / bw);
        bounds = Some(match bounds {
            None => (bx, by, bx, by),
            Some((x0, y0, x1, y1)) => (x0.min(bx), y0.min(by), x1.max(bx), y1.max(by)),
        });
    }
    let (x0, y0, x1, y1) = bounds?;
    let fx = |b: usize| ((b * BLOCK).min(width)) as f32 / width as f32;
    let fy = |b: usize| ((b * BLOCK).min(height)) as f32 / height as f32;
    Some([fx(x0), fy(y0), fx(x1 + 1), fy(y1 + 1)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_box_covers_the_changed_blocks_and_ignores_specks() {
        let (w, h) = (160, 80);
        let mut diff = vec![0u8; w * h];
        // A changed patch at x 40..72, y 16..48.
        for y in 16..48 {
            diff[y * w + 40..y * w + 72].fill(50);
        }
        // A lone noisy pixel far away.
        diff[75 * w + 150] = 255;
        let r = changed_region(&diff, w, h, 20).expect("a region");
        assert_eq!(r, [40.0 / 160.0, 16.0 / 80.0, 72.0 / 160.0, 48.0 / 80.0]);
        assert_eq!(changed_region(&vec![0u8; w * h], w, h, 20), None);
        assert_eq!(changed_region(&diff[..10], w, h, 20), None);
    }
}
