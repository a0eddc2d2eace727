//! A stored (uncompressed) ZIP archive written front to back while its entries' bytes pass
//! through, so a download can hold a video still being made: each entry's CRC-32 and size
//! follow its bytes in a data descriptor. ZIP64 structures are always written (one code
//! path for a 1-MB clip and a 40-GB one; every current unzip reads them).

const LOCAL: u32 = 0x0403_4b50;
const DESCRIPTOR: u32 = 0x0807_4b50;
const CENTRAL: u32 = 0x0201_4b50;
const ZIP64_END: u32 = 0x0606_4b50;
const ZIP64_LOCATOR: u32 = 0x0706_4b50;
const END: u32 = 0x0605_4b50;
/// ZIP64, as `version needed`.
const VERSION: u16 = 45;
/// Sizes and CRC in a data descriptor (bit 3); UTF-8 names (bit 11).
const FLAGS: u16 = 0x0808;

/// One entry written.
struct Entry {
    name: String,
    crc: u32,
    size: u64,
    offset: u64,
}

/// The archive being written: call [`ZipStream::begin`], send its bytes, feed the entry's
/// bytes to [`ZipStream::data`] as they are sent, [`ZipStream::end_entry`]; at the end,
/// [`ZipStream::finish`].
pub struct ZipStream {
    entries: Vec<Entry>,
    /// Bytes of the archive produced so far.
    offset: u64,
    current: Option<Entry>,
    time: u16,
    date: u16,
}

impl ZipStream {
    /// An archive whose entries are dated `at_us` (UTC µs).
    pub fn new(at_us: i64) -> Self {
        let (time, date) = dos_time(at_us);
        Self {
            entries: Vec::new(),
            offset: 0,
            current: None,
            time,
            date,
        }
    }

    /// Starts the entry `name`: its local header.
    pub fn begin(&mut self, name: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(30 + name.len() + 20);
        put32(&mut out, LOCAL);
        put16(&mut out, VERSION);
        put16(&mut out, FLAGS);
        put16(&mut out, 0); // stored
        put16(&mut out, self.time);
        put16(&mut out, self.date);
        put32(&mut out, 0); // CRC-32: in the descriptor
        put32(&mut out, u32::MAX); // sizes: ZIP64, in the descriptor
        put32(&mut out, u32::MAX);
        put16(&mut out, name.len() as u16);
        put16(&mut out, 20);
        out.extend_from_slice(name.as_bytes());
        put16(&mut out, 0x0001); // ZIP64 extra: sizes unknown yet
        put16(&mut out, 16);
        put64(&mut out, 0);
        put64(&mut out, 0);
        self.current = Some(Entry {
            name: name.to_string(),
            crc: !0,
            size: 0,
            offset: self.offset,
        });
        self.offset += out.len() as u64;
        out
    }

    /// Counts `bytes` of the current entry (the caller sends them).
    pub fn data(&mut self, bytes: &[u8]) {
        if let Some(e) = self.current.as_mut() {
            e.crc = crc32_update(e.crc, bytes);
            e.size += bytes.len() as u64;
            self.offset += bytes.len() as u64;
        }
    }

    /// Ends the current entry: its data descriptor.
    pub fn end_entry(&mut self) -> Vec<u8> {
        let Some(mut e) = self.current.take() else {
            return Vec::new();
        };
        e.crc = !e.crc;
        let mut out = Vec::with_capacity(24);
        put32(&mut out, DESCRIPTOR);
        put32(&mut out, e.crc);
        put64(&mut out, e.size);
        put64(&mut out, e.size);
        self.offset += out.len() as u64;
        self.entries.push(e);
        out
    }

    /// A whole entry at once: header, bytes and descriptor.
    pub fn entry(&mut self, name: &str, bytes: &[u8]) -> Vec<u8> {
        let mut out = self.begin(name);
        self.data(bytes);
        out.extend_from_slice(bytes);
        out.extend(self.end_entry());
        out
    }

    /// The central directory and its end records.
    pub fn finish(mut self) -> Vec<u8> {
        let tail = self.end_entry();
        let mut out = tail;
        let start = self.offset + out.len() as u64;
        for e in &self.entries {
            put32(&mut out, CENTRAL);
            put16(&mut out, (3 << 8) | VERSION); // made by: Unix
            put16(&mut out, VERSION);
            put16(&mut out, FLAGS);
            put16(&mut out, 0);
            put16(&mut out, self.time);
            put16(&mut out, self.date);
            put32(&mut out, e.crc);
            put32(&mut out, u32::MAX);
            put32(&mut out, u32::MAX);
            put16(&mut out, e.name.len() as u16);
            put16(&mut out, 28); // extra
            put16(&mut out, 0); // comment
            put16(&mut out, 0); // disk
            put16(&mut out, 0); // internal attributes
            put32(&mut out, 0o100644 << 16); // external: a regular file, rw-r--r--
            put32(&mut out, u32::MAX); // offset: in the ZIP64 extra
            out.extend_from_slice(e.name.as_bytes());
            put16(&mut out, 0x0001);
            put16(&mut out, 24);
            put64(&mut out, e.size);
            put64(&mut out, e.size);
            put64(&mut out, e.offset);
        }
        let end64 = self.offset + out.len() as u64;
        let dir_len = end64 - start;
        let n = self.entries.len() as u64;
        put32(&mut out, ZIP64_END);
        put64(&mut out, 44);
        put16(&mut out, (3 << 8) | VERSION);
        put16(&mut out, VERSION);
        put32(&mut out, 0);
        put32(&mut out, 0);
        put64(&mut out, n);
        put64(&mut out, n);
        put64(&mut out, dir_len);
        put64(&mut out, start);
        put32(&mut out, ZIP64_LOCATOR);
        put32(&mut out, 0);
        put64(&mut out, end64);
        put32(&mut out, 1);
        put32(&mut out, END);
        put16(&mut out, 0);
        put16(&mut out, 0);
        put16(&mut out, u16::MAX);
        put16(&mut out, u16::MAX);
        put32(&mut out, u32::MAX);
        put32(&mut out, u32::MAX);
        put16(&mut out, 0);
        out
    }
}

fn put16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put64(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// MS-DOS (time, date) of `at_us`, UTC (ZIP has no zone; 1980 at the earliest).
fn dos_time(at_us: i64) -> (u16, u16) {
    let Ok(t) = time::OffsetDateTime::from_unix_timestamp(at_us.div_euclid(1_000_000)) else {
        return (0, 0x21);
    };
    if t.year() < 1980 {
        return (0, 0x21);
    }
    let time =
        (u16::from(t.hour()) << 11) | (u16::from(t.minute()) << 5) | u16::from(t.second() / 2);
    let year = u16::try_from(t.year() - 1980).unwrap_or(127).min(127);
    let date = (year << 9) | (u16::from(u8::from(t.month())) << 5) | u16::from(t.day());
    (time, date)
}

/// CRC-32 (IEEE 802.3, reflected), continuing from `crc` (start with `!0`, end with `!`).
fn crc32_update(mut crc: u32, bytes: &[u8]) -> u32 {
    static TABLE: std::sync::OnceLock<[u32; 256]> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t = [0u32; 256];
        for (i, slot) in t.iter_mut().enumerate() {
            let mut c = i as u32;
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
            *slot = c;
        }
        t
    });
    for &b in bytes {
        crc = table[((crc ^ u32::from(b)) & 0xff) as usize] ^ (crc >> 8);
    }
    crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_is_the_ieee_one() {
        assert_eq!(!crc32_update(!0, b"123456789"), 0xCBF4_3926);
    }

    /// Python's zipfile (a real reader) opens the archive, checks every CRC and reads both
    /// entries back.
    #[test]
    fn a_streamed_archive_is_read_back_by_python_zipfile() {
        let mut zip = ZipStream::new(1_796_378_400_000_000);
        let mut out = zip.begin("clip.mp4");
        let video: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        for chunk in video.chunks(65_536) {
            zip.data(chunk);
            out.extend_from_slice(chunk);
        }
        out.extend(zip.end_entry());
        out.extend(zip.entry("clip.mp4.manifest.json", b"{\"a\": 1}\n"));
        out.extend(zip.finish());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.zip");
        std::fs::write(&path, &out).unwrap();
        let script = "import sys, zipfile, hashlib\n\
                      z = zipfile.ZipFile(sys.argv[1])\n\
                      assert z.testzip() is None\n\
                      for i in z.infolist():\n\
                      \x20   print(i.filename, i.file_size, i.date_time, hashlib.sha256(z.read(i)).hexdigest())\n";
        let run = std::process::Command::new("python3")
            .args(["-c", script])
            .arg(&path)
            .output()
            .expect("python3 is needed by this test (make test installs it)");
        let said = String::from_utf8_lossy(&run.stdout);
        assert!(
            run.status.success(),
            "{said}{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let lines: Vec<&str> = said.lines().collect();
        let sha = crate::evidence::digest::hex(&{
            use sha2::Digest;
            sha2::Sha256::digest(&video)
        });
        assert_eq!(
            lines[0],
            format!("clip.mp4 200000 (2026, 12, 4, 10, 0, 0) {sha}")
        );
        assert!(lines[1].starts_with("clip.mp4.manifest.json 9 "), "{said}");
    }
}
