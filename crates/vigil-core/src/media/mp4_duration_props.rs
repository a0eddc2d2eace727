//! Property tests for the MP4 duration patcher: valid-ish box trees, then truncated, lying
//! and hostile ones. The patcher must never panic, never change the file's length, and only
//! ever change bytes inside the duration fields of `mvhd`/`tkhd` boxes that really are there.

use std::io::Cursor;

use proptest::prelude::*;

use super::*;

/// A box to serialize: a leaf with its payload, or a container.
#[derive(Debug, Clone)]
enum Node {
    Leaf([u8; 4], Vec<u8>, bool),
    Container([u8; 4], Vec<Node>, bool),
}

/// Where a serialized box landed: type, depth, start, payload start, end, parent index.
#[derive(Debug, Clone)]
struct Placed {
    kind: [u8; 4],
    start: usize,
    payload: usize,
    end: usize,
    parent: Option<usize>,
}

fn write_node(node: &Node, out: &mut Vec<u8>, placed: &mut Vec<Placed>, parent: Option<usize>) {
    let (kind, large) = match node {
        Node::Leaf(k, _, l) | Node::Container(k, _, l) => (*k, *l),
    };
    let start = out.len();
    let index = placed.len();
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&kind);
    if large {
        out.extend_from_slice(&[0; 8]);
    }
    let payload = out.len();
    placed.push(Placed {
        kind,
        start,
        payload,
        end: 0,
        parent,
    });
    match node {
        Node::Leaf(_, bytes, _) => out.extend_from_slice(bytes),
        Node::Container(_, children, _) => {
            for c in children {
                write_node(c, out, placed, Some(index));
            }
        }
    }
    let size = (out.len() - start) as u64;
    if large {
        out[start..start + 4].copy_from_slice(&1u32.to_be_bytes());
        out[start + 8..start + 16].copy_from_slice(&size.to_be_bytes());
    } else {
        out[start..start + 4].copy_from_slice(&(size as u32).to_be_bytes());
    }
    placed[index].end = out.len();
}

fn serialize(top: &[Node]) -> (Vec<u8>, Vec<Placed>) {
    let (mut out, mut placed) = (Vec::new(), Vec::new());
    for n in top {
        write_node(n, &mut out, &mut placed, None);
    }
    (out, placed)
}

/// A full box of standard length for its version, with `fields` written at their offsets.
fn full_box(
    kind: &'static [u8; 4],
    lens: (usize, usize),
    large: bool,
) -> impl Strategy<Value = Node> {
    let short = prop::bool::weighted(0.15);
    (
        0u8..3,
        any::<u32>(),
        prop::collection::vec(any::<u8>(), 0..4),
        short,
    )
        .prop_map(move |(version, timescale, junk, short)| {
            let len = if version == 1 { lens.1 } else { lens.0 };
            let mut p = vec![0u8; len];
            p[0] = version;
            for (i, b) in junk.iter().enumerate() {
                p[1 + i % 3] = *b; // flags
            }
            let ts_at = if version == 1 { 20 } else { 12 };
            p[ts_at..ts_at + 4].copy_from_slice(&timescale.to_be_bytes());
            if short {
                // A box cut before its duration field (but otherwise well formed).
                p.truncate(ts_at + 4);
            }
            Node::Leaf(*kind, p, large)
        })
}

fn leaf(kind: &'static [u8; 4]) -> impl Strategy<Value = Node> {
    (prop::collection::vec(any::<u8>(), 0..24), any::<bool>())
        .prop_map(move |(p, large)| Node::Leaf(*kind, p, large))
}

fn trak() -> impl Strategy<Value = Node> {
    let mdia = (full_box(b"mdhd", (24, 36), false), any::<bool>())
        .prop_map(|(mdhd, large)| Node::Container(*b"mdia", vec![mdhd], large));
    (
        prop::option::of(full_box(b"tkhd", (84, 96), false)),
        prop::option::of(leaf(b"edts")),
        mdia,
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(tkhd, edts, mdia, tkhd_last, large)| {
            let mut kids: Vec<Node> = edts.into_iter().chain([mdia]).collect();
            if let Some(t) = tkhd {
                if tkhd_last {
                    kids.push(t);
                } else {
                    kids.insert(0, t);
                }
            }
            Node::Container(*b"trak", kids, large)
        })
}

fn moov() -> impl Strategy<Value = Node> {
    (
        prop::option::of((any::<bool>(), full_box(b"mvhd", (100, 112), false))),
        prop::collection::vec(trak(), 0..3),
        prop::option::of(leaf(b"free")),
        any::<bool>(),
    )
        .prop_map(|(mvhd, traks, free, large)| {
            let mut kids: Vec<Node> = free.into_iter().collect();
            let mvhd_last = mvhd.as_ref().is_some_and(|(last, _)| *last);
            let mvhd = mvhd.map(|(_, b)| b);
            if !mvhd_last {
                kids.extend(mvhd.clone());
            }
            kids.extend(traks);
            if mvhd_last {
                kids.extend(mvhd);
            }
            Node::Container(*b"moov", kids, large)
        })
}

fn file() -> impl Strategy<Value = Vec<Node>> {
    (
        leaf(b"ftyp"),
        prop::option::of(moov()),
        prop::collection::vec(leaf(b"moof"), 0..3),
        leaf(b"mdat"),
    )
        .prop_map(|(ftyp, moov, moofs, mdat)| {
            let mut top = vec![ftyp];
            top.extend(moov);
            top.extend(moofs);
            top.push(mdat);
            top
        })
}

/// Ways to damage a serialized file.
#[derive(Debug, Clone)]
enum Damage {
    /// Sets a box's 32-bit size (box chosen by index, modulo the count).
    Size(usize, u32),
    /// Makes a box's size a largesize of this value (overwriting the 8 bytes after its type).
    Large(usize, u64),
    /// Cuts the file at this fraction (per mille) of its length.
    Truncate(u16),
    Byte(usize, u8),
}

fn damage() -> impl Strategy<Value = Damage> {
    let size = prop_oneof![
        Just(0u32),
        Just(1),
        Just(7),
        Just(8),
        Just(9),
        Just(16),
        Just(u32::MAX),
        any::<u32>(),
        0u32..200,
    ];
    prop_oneof![
        (any::<usize>(), size).prop_map(|(i, s)| Damage::Size(i, s)),
        (
            any::<usize>(),
            prop_oneof![
                Just(0u64),
                Just(15),
                Just(16),
                Just(u64::MAX),
                any::<u64>(),
                0u64..300
            ]
        )
            .prop_map(|(i, s)| Damage::Large(i, s)),
        (0u16..=1000).prop_map(Damage::Truncate),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Damage::Byte(i, b)),
    ]
}

fn apply(bytes: &mut Vec<u8>, placed: &[Placed], d: &Damage) {
    let len = bytes.len();
    if len == 0 {
        return;
    }
    match *d {
        Damage::Size(i, s) => {
            let at = placed[i % placed.len()].start;
            if at + 4 <= len {
                bytes[at..at + 4].copy_from_slice(&s.to_be_bytes());
            }
        }
        Damage::Large(i, s) => {
            let at = placed[i % placed.len()].start;
            if at + 16 <= len {
                bytes[at..at + 4].copy_from_slice(&1u32.to_be_bytes());
                bytes[at + 8..at + 16].copy_from_slice(&s.to_be_bytes());
            }
        }
        Damage::Truncate(f) => bytes.truncate(len * usize::from(f) / 1000),
        Damage::Byte(i, b) => bytes[i % len] = b,
    }
}

/// Whether the original file's header at `b.start` says exactly what `b` claims: its type,
/// its header length and its size (0: up to `parent_end`).
fn header_agrees(original: &[u8], b: &Mp4Box, parent_end: u64) -> Result<(), TestCaseError> {
    let (start, payload) = (b.start as usize, b.payload as usize);
    prop_assert!(
        start + 8 <= payload && b.payload <= b.end && b.end <= parent_end,
        "{:?}",
        b
    );
    prop_assert_eq!(&original[start + 4..start + 8], &b.kind[..]);
    let size32 = u32::from_be_bytes(original[start..start + 4].try_into().unwrap());
    let size = match size32 {
        0 => parent_end - b.start,
        1 => u64::from_be_bytes(original[start + 8..start + 16].try_into().unwrap()),
        n => u64::from(n),
    };
    prop_assert_eq!(payload - start, if size32 == 1 { 16 } else { 8 });
    prop_assert_eq!(size, b.end - b.start, "{:?}", b);
    Ok(())
}

/// What a patch is allowed to be: a duration field, at the offset its version byte (in the
/// original file) says, inside an mvhd or tkhd box in a moov (and trak), every one of them
/// as its own header describes it and nested inside the one before, inside the file.
fn check_patch(original: &[u8], p: &Patched) -> Result<(), TestCaseError> {
    let mut outer_end = original.len() as u64;
    let mut outer_payload = 0;
    for b in p.parents.iter().chain([&p.within]) {
        prop_assert!(
            b.start >= outer_payload,
            "{:?} starts before its parent's payload",
            b
        );
        header_agrees(original, b, outer_end)?;
        (outer_payload, outer_end) = (b.payload, b.end);
    }
    let kinds: Vec<&[u8; 4]> = p.parents.iter().map(|b| &b.kind).collect();
    let b = p.within;
    let expected_parents: &[&[u8; 4]] = if &b.kind == b"tkhd" {
        &[b"moov", b"trak"]
    } else {
        &[b"moov"]
    };
    prop_assert_eq!(&kinds[..], expected_parents);
    let payload = b.payload as usize;
    prop_assert!(b.payload < b.end, "{:?}", p);
    let offsets = match &b.kind {
        b"mvhd" => (16, 24),
        b"tkhd" => (20, 28),
        other => return Err(TestCaseError::fail(format!("patched a {other:?} box"))),
    };
    let (offset, width) = if original[payload] == 1 {
        (offsets.1, 8)
    } else {
        (offsets.0, 4)
    };
    prop_assert_eq!(
        p.field.clone(),
        b.payload + offset..b.payload + offset + width
    );
    prop_assert!(p.field.end <= b.end);
    Ok(())
}

fn run(bytes: &[u8], duration_us: i64) -> (std::io::Result<Vec<Patched>>, Vec<u8>) {
    let mut cursor = Cursor::new(bytes.to_vec());
    let result = patch_durations(&mut cursor, bytes.len() as u64, duration_us);
    (result, cursor.into_inner())
}

/// Only bytes inside reported fields changed, and each reported field is allowed.
fn check_only_fields_changed(
    original: &[u8],
    after: &[u8],
    patched: &[Patched],
) -> Result<(), TestCaseError> {
    prop_assert_eq!(after.len(), original.len(), "the file changed length");
    for p in patched {
        check_patch(original, p)?;
    }
    for (i, (a, b)) in original.iter().zip(after).enumerate() {
        if a != b {
            let i = i as u64;
            prop_assert!(
                patched.iter().any(|p| p.field.contains(&i)),
                "byte {} changed outside the patched fields {:?}",
                i,
                patched
            );
        }
    }
    Ok(())
}

/// The first box of `kind` among the children of `parent` (`None`: the top level).
fn child<'a>(
    placed: &'a [Placed],
    parent: Option<usize>,
    kind: &[u8; 4],
) -> Option<(usize, &'a Placed)> {
    placed
        .iter()
        .enumerate()
        .find(|(_, p)| p.parent == parent && &p.kind == kind)
}

proptest! {
    /// An intact file: exactly the mvhd and the first track's tkhd durations are written,
    /// with the duration in the movie's timescale.
    #[test]
    fn intact_files_get_exactly_their_duration_fields(top in file(), duration_us in any::<i64>()) {
        let (original, placed) = serialize(&top);
        let (result, after) = run(&original, duration_us);
        let moov = child(&placed, None, b"moov");
        let mvhd = moov.and_then(|(i, _)| child(&placed, Some(i), b"mvhd"));
        let Some((_, mvhd)) = mvhd else {
            prop_assert!(result.is_err());
            prop_assert_eq!(after, original);
            return Ok(());
        };
        let ts_at = mvhd.payload + if original[mvhd.payload] == 1 { 20 } else { 12 };
        if ts_at + 4 > mvhd.end {
            prop_assert!(result.is_err(), "an mvhd without a timescale");
            return Ok(());
        }
        let patched = result.map_err(|e| TestCaseError::fail(e.to_string()))?;
        check_only_fields_changed(&original, &after, &patched)?;
        let timescale = u128::from(u32::from_be_bytes(original[ts_at..ts_at + 4].try_into().unwrap()));
        let units = u64::try_from(u128::from(duration_us.max(0).unsigned_abs()) * timescale / 1_000_000)
            .unwrap_or(u64::MAX);
        let mut expected = Vec::new();
        let field_in = |p: &Placed, v0: usize, v1: usize| {
            let (off, w) = if original[p.payload] == 1 { (v1, 8) } else { (v0, 4) };
            (p.payload + off + w <= p.end).then_some(p.payload + off..p.payload + off + w)
        };
        expected.extend(field_in(mvhd, 16, 24));
        let trak = moov.and_then(|(i, _)| child(&placed, Some(i), b"trak"));
        if let Some((_, tkhd)) = trak.and_then(|(i, _)| child(&placed, Some(i), b"tkhd")) {
            expected.extend(field_in(tkhd, 20, 28));
        }
        let got: Vec<_> = patched.iter().map(|p| p.field.start as usize..p.field.end as usize).collect();
        prop_assert_eq!(&got, &expected);
        for f in got {
            let (value, want) = if f.len() == 8 {
                (u64::from_be_bytes(after[f].try_into().unwrap()), units)
            } else {
                let v = u32::from_be_bytes(after[f].try_into().unwrap());
                (u64::from(v), units.min(u64::from(u32::MAX)))
            };
            prop_assert_eq!(value, want);
        }
    }

    /// Damaged files: no panic, no length change, no byte outside a real duration field.
    #[test]
    fn damaged_files_are_never_written_outside_their_fields(
        top in file(),
        damages in prop::collection::vec(damage(), 1..4),
        duration_us in any::<i64>(),
    ) {
        let (mut bytes, placed) = serialize(&top);
        for d in &damages {
            apply(&mut bytes, &placed, d);
        }
        let (result, after) = run(&bytes, duration_us);
        match result {
            Ok(patched) => check_only_fields_changed(&bytes, &after, &patched)?,
            Err(_) => prop_assert_eq!(&after, &bytes, "an error after writing"),
        }
    }

    /// Pure noise (and tiny files): no panic, no length change.
    #[test]
    fn noise_is_never_written_past(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let (result, after) = run(&bytes, 1_000_000);
        match result {
            Ok(patched) => check_only_fields_changed(&bytes, &after, &patched)?,
            Err(_) => prop_assert_eq!(&after, &bytes),
        }
    }
}

#[test]
fn regressions_from_hostile_boxes() {
    // Each used to write past its box or the file, or overflow while walking boxes.
    let mvhd = |size: u32, payload_len: usize| {
        let mut b = size.to_be_bytes().to_vec();
        b.extend_from_slice(b"mvhd");
        let mut p = vec![0u8; payload_len];
        if payload_len >= 16 {
            p[12..16].copy_from_slice(&1000u32.to_be_bytes());
        }
        b.extend(p);
        b
    };
    let moov = |size: Option<u32>, kids: Vec<u8>| {
        let mut b = size.unwrap_or(8 + kids.len() as u32).to_be_bytes().to_vec();
        b.extend_from_slice(b"moov");
        b.extend(kids);
        b
    };
    // An mvhd too short for its duration field: the old code wrote past it (here, past the
    // end of the file, growing it).
    let short = moov(None, mvhd(24, 16));
    let (_, after) = run(&short, 5_000_000);
    assert_eq!(after, short);
    // An mvhd claiming more bytes than its moov holds: the old code wrote its "duration"
    // into the header of the box after the moov.
    let mut lying = moov(Some(8 + 8 + 16), mvhd(108, 16));
    let moof = [0, 0, 0, 8, b'm', b'o', b'o', b'f'];
    lying.extend_from_slice(&moof);
    let (result, after) = run(&lying, 5_000_000);
    assert!(result.is_err());
    assert_eq!(after, lying);
    // A moov claiming to be larger than the file (cut short): left alone.
    let cut = moov(Some(4096), mvhd(108, 100));
    let (result, after) = run(&cut, 5_000_000);
    assert!(result.is_err());
    assert_eq!(after, cut);
    // A largesize of u64::MAX used to overflow `pos + size` (a panic in debug builds).
    let mut huge = vec![0, 0, 0, 1];
    huge.extend_from_slice(b"free");
    huge.extend_from_slice(&u64::MAX.to_be_bytes());
    huge.extend(moov(None, mvhd(108, 100)));
    let (result, after) = run(&huge, 5_000_000);
    assert!(result.is_err());
    assert_eq!(after, huge);
    // A well-formed file still gets its duration.
    let good = moov(None, mvhd(108, 100));
    let (result, after) = run(&good, 5_000_000);
    assert_eq!(result.unwrap().len(), 1);
    assert_eq!(&after[8 + 8 + 16..8 + 8 + 20], &5000u32.to_be_bytes());
}
