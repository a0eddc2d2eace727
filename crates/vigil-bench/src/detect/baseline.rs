//! The baseline: onnxruntime's Python API (the venv `packaging/bench-detect-setup.sh` makes)
//! running the same models on the same input tensors in the same run, and giving back its
//! outputs so they can be checked against Vigil's.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde::Deserialize;

use super::timing::Times;
use crate::media::first_line;
use crate::BenchError;

const SCRIPT: &str = include_str!("ort_baseline.py");

fn cache() -> PathBuf {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("vigil")
}

/// The Python of the baseline venv.
pub fn python() -> PathBuf {
    cache().join("bench-venv/bin/python")
}

/// The built-in detector's sub-graph converted to ONNX by the setup script.
pub fn ssd_onnx() -> PathBuf {
    cache().join("bench-models/ssdlite-sub.onnx")
}

/// Why the baseline cannot run, or `None` when its venv is there.
pub fn missing() -> Option<String> {
    (!python().is_file()).then(|| {
        format!(
            "the onnxruntime baseline is not set up ({} is missing); run packaging/bench-detect-setup.sh",
            python().display()
        )
    })
}

/// One model for the baseline: its file and one input tensor (raw f32 and its shape).
pub struct Model {
    pub name: String,
    pub path: PathBuf,
    pub input: Vec<f32>,
    pub shape: Vec<usize>,
}

/// The baseline's figures for one model.
#[derive(Debug, Clone)]
pub struct Measured {
    /// (intra-op threads, times).
    pub times: Vec<(usize, Times)>,
    /// The model's outputs on the input, flattened.
    pub outputs: Vec<Vec<f32>>,
}

#[derive(Deserialize)]
struct Answer {
    onnxruntime: String,
    models: Vec<AnswerModel>,
}

#[derive(Deserialize)]
struct AnswerModel {
    ms: std::collections::BTreeMap<String, AnswerTimes>,
}

#[derive(Deserialize)]
struct AnswerTimes {
    wall: Vec<f64>,
    cpu: Vec<f64>,
}

/// Runs every model `runs` times per thread count. Returns onnxruntime's version and the
/// figures, in the models' order.
pub fn run(
    models: &[Model],
    runs: usize,
    threads: &[usize],
) -> Result<(String, Vec<Measured>), BenchError> {
    let dir = tempfile::tempdir().map_err(|e| BenchError::io("cannot make a temporary dir", e))?;
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes)
            .map_err(|e| BenchError::io(format!("cannot write {}", p.display()), e))
            .map(|_| p)
    };
    let script = write("ort_baseline.py", SCRIPT.as_bytes())?;
    let mut spec = Vec::new();
    for (i, m) in models.iter().enumerate() {
        let bytes: Vec<u8> = m.input.iter().flat_map(|v| v.to_le_bytes()).collect();
        let input = write(&format!("input{i}.f32"), &bytes)?;
        spec.push(serde_json::json!({
            "name": m.name, "path": m.path, "input": input, "shape": m.shape,
        }));
    }
    let spec = serde_json::json!({ "runs": runs, "threads": threads, "models": spec });
    let spec_path = write("spec.json", spec.to_string().as_bytes())?;
    let done = Command::new(python())
        .arg(&script)
        .arg(&spec_path)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| BenchError::io(format!("cannot run {}", python().display()), e))?;
    if !done.status.success() {
        let err = String::from_utf8_lossy(&done.stderr);
        let last = err
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        return Err(BenchError::Failed(format!(
            "the onnxruntime baseline failed: {last}"
        )));
    }
    let answer: Answer = serde_json::from_slice(&done.stdout).map_err(|e| {
        BenchError::Failed(format!(
            "the onnxruntime baseline's answer is unreadable ({e}): {}",
            first_line(&done.stdout)
        ))
    })?;
    let mut out = Vec::new();
    for (i, m) in answer.models.into_iter().enumerate() {
        let outputs = (0..)
            .map(|k| dir.path().join(format!("input{i}.f32.out{k}")))
            .take_while(|p| p.is_file())
            .map(|p| read_f32(&p))
            .collect::<Result<Vec<_>, _>>()?;
        let times =
            m.ms.into_iter()
                .map(|(t, v)| (t.parse().unwrap_or(0), to_times(&v)))
                .collect();
        out.push(Measured { times, outputs });
    }
    Ok((answer.onnxruntime, out))
}

fn to_times(v: &AnswerTimes) -> Times {
    let d = |ms: &f64| Duration::from_secs_f64(ms.max(0.0) / 1000.0);
    Times {
        wall: v.wall.iter().map(d).collect(),
        cpu: v.cpu.iter().map(d).collect(),
    }
}

fn read_f32(path: &std::path::Path) -> Result<Vec<f32>, BenchError> {
    let bytes = std::fs::read(path)
        .map_err(|e| BenchError::io(format!("cannot read {}", path.display()), e))?;
    Ok(bytes
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect())
}

/// Largest absolute difference between two outputs (infinite when their sizes differ).
pub fn max_abs_diff(a: &[f32], b: &[f32]) -> f32 {
    if a.len() != b.len() {
        return f32::INFINITY;
    }
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max)
}
