//! 5×5 box blur in integer arithmetic, separable, into caller-owned buffers.

/// Blurs `height` rows of `width` pixels read from `src` (rows `stride` bytes apart) into
/// `out` (`width * height`, tightly packed). `rows` is scratch space for the horizontal pass.
/// Borders repeat the edge pixel. Each output is the rounded mean of its 5×5 neighbourhood.
///
/// The caller guarantees `width > 0`, `stride >= width` and that `src` holds every row.
pub fn box_blur5(
    src: &[u8],
    width: usize,
    height: usize,
    stride: usize,
    rows: &mut Vec<u16>,
    out: &mut Vec<u8>,
) {
    rows.resize(width * height, 0);
    out.resize(width * height, 0);
    for y in 0..height {
        let line = &src[y * stride..y * stride + width];
        horizontal(line, &mut rows[y * width..(y + 1) * width]);
    }
    let last = height as isize - 1;
    let row = |dy: isize, y: usize| {
        let r = (y as isize + dy).clamp(0, last) as usize;
        &rows[r * width..(r + 1) * width]
    };
    for y in 0..height {
        let (a, b, c, d, e) = (row(-2, y), row(-1, y), row(0, y), row(1, y), row(2, y));
        let (a, b, c, d, e) = (
            &a[..width],
            &b[..width],
            &c[..width],
            &d[..width],
            &e[..width],
        );
        let dst = &mut out[y * width..(y + 1) * width];
        for (x, o) in dst.iter_mut().enumerate() {
            // At most 25 * 255 = 6375: fits u16.
            let sum = a[x] + b[x] + c[x] + d[x] + e[x];
            *o = ((sum + 12) / 25) as u8;
        }
    }
}

/// Sums of 5 horizontal neighbours, the edge pixel repeated at both ends.
fn horizontal(line: &[u8], dst: &mut [u16]) {
    let w = line.len();
    let at = |x: isize| u16::from(line[x.clamp(0, w as isize - 1) as usize]);
    if w >= 5 {
        // Five shifted views of the line, all the same length: vectorizes well.
        let n = w - 4;
        let (a, b, c) = (&line[..n], &line[1..n + 1], &line[2..n + 2]);
        let (d, e) = (&line[3..n + 3], &line[4..n + 4]);
        for (i, o) in dst[2..n + 2].iter_mut().enumerate() {
            *o = u16::from(a[i])
                + u16::from(b[i])
                + u16::from(c[i])
                + u16::from(d[i])
                + u16::from(e[i]);
        }
    }
    let edges = [0, 1, w.saturating_sub(2), w.saturating_sub(1)];
    for x in edges {
        if x < w && (x < 2 || x + 2 >= w) {
            let x = x as isize;
            dst[x as usize] = (-2..=2).map(|k| at(x + k)).sum();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Straightforward reference: clamp every tap.
    fn reference(src: &[u8], w: usize, h: usize, stride: usize) -> Vec<u8> {
        let mut out = vec![0; w * h];
        for y in 0..h as isize {
            for x in 0..w as isize {
                let mut sum = 0u32;
                for dy in -2..=2 {
                    for dx in -2..=2 {
                        let yy = (y + dy).clamp(0, h as isize - 1) as usize;
                        let xx = (x + dx).clamp(0, w as isize - 1) as usize;
                        sum += u32::from(src[yy * stride + xx]);
                    }
                }
                out[y as usize * w + x as usize] = ((sum + 12) / 25) as u8;
            }
        }
        out
    }

    #[test]
    fn matches_reference_on_odd_sizes_and_strides() {
        let mut seed = 7u32;
        for (w, h, stride) in [(1, 1, 1), (3, 2, 5), (4, 7, 4), (5, 5, 8), (17, 9, 20)] {
            let src: Vec<u8> = (0..stride * h)
                .map(|_| {
                    seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                    (seed >> 24) as u8
                })
                .collect();
            let (mut rows, mut out) = (Vec::new(), Vec::new());
            box_blur5(&src, w, h, stride, &mut rows, &mut out);
            assert_eq!(
                out,
                reference(&src, w, h, stride),
                "{w}x{h} stride {stride}"
            );
        }
    }

    #[test]
    fn flat_image_stays_flat() {
        let src = vec![200u8; 30 * 20];
        let (mut rows, mut out) = (Vec::new(), Vec::new());
        box_blur5(&src, 30, 20, 30, &mut rows, &mut out);
        assert!(out.iter().all(|&v| v == 200));
    }
}
