//! How a web export's bytes reach the client: the bare fragmented MP4 (`format=mp4`), or,
//! by default, a ZIP holding the MP4 and then its signed manifest, made once the MP4's last
//! byte has been sent and hashed ([`super::zip`]).

use crate::service::export::{ExportFile, StreamHash, MANIFEST_SUFFIX as SUFFIX};
use crate::service::{ExportPlan, ExportReport, StreamSeal};

use super::zip::ZipStream;

/// Wraps the export's bytes on their way to the client.
pub trait Framing: Send {
    /// Bytes sent before the first byte of the MP4.
    fn head(&mut self) -> Vec<u8> {
        Vec::new()
    }
    /// Sees each piece of the MP4 as it is sent.
    fn data(&mut self, _bytes: &[u8]) {}
    /// Bytes sent after the MP4 once the export has finished, or why they cannot be made.
    fn tail(&mut self, _report: &ExportReport) -> Result<Vec<u8>, String> {
        Ok(Vec::new())
    }
}

/// The MP4 alone.
pub struct Bare;

impl Framing for Bare {}

/// A ZIP: `<name>.mp4`, then `<name>.mp4.manifest.json`.
pub struct Sealed {
    zip: Option<ZipStream>,
    hash: StreamHash,
    seal: StreamSeal,
    plan: ExportPlan,
    /// The MP4's name in the archive.
    name: String,
}

impl Sealed {
    pub fn new(seal: StreamSeal, plan: ExportPlan, name: String) -> Self {
        Self {
            zip: Some(ZipStream::new(crate::model::time::now_us())),
            hash: StreamHash::new(),
            seal,
            plan,
            name,
        }
    }
}

impl Framing for Sealed {
    fn head(&mut self) -> Vec<u8> {
        self.zip
            .as_mut()
            .map(|z| z.begin(&self.name))
            .unwrap_or_default()
    }

    fn data(&mut self, bytes: &[u8]) {
        if let Some(z) = self.zip.as_mut() {
            z.data(bytes);
        }
        self.hash.update(bytes);
    }

    fn tail(&mut self, report: &ExportReport) -> Result<Vec<u8>, String> {
        let mut zip = self.zip.take().ok_or("the archive was already finished")?;
        let mut out = zip.end_entry();
        let (bytes, sha256) = std::mem::take(&mut self.hash).finish();
        let file = ExportFile {
            name: self.name.clone(),
            bytes,
            sha256,
        };
        let manifest = self
            .seal
            .seal(&self.plan, report, file)
            .map_err(|e| format!("the export's manifest could not be made: {e}"))?;
        out.extend(zip.entry(&format!("{}{SUFFIX}", self.name), &manifest.to_json()));
        out.extend(zip.finish());
        Ok(out)
    }
}
