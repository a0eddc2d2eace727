//! `vigil search motion`: the moments with motion in a region of a camera's picture over a
//! time range, read from the motion index (no video decoded); says which parts of the range
//! have no index.

use std::path::Path;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use vigil_core::model::time::{parse_duration_us, parse_rfc3339};
use vigil_core::search::{MotionQuery, MotionSearch, SearchRegion};
use vigil_core::service::{Archive, ServiceError};

#[derive(Subcommand, Debug)]
pub enum SearchCmd {
    /// Moments with motion in a region of a camera's picture (from the motion index every
    /// recording camera keeps).
    Motion(MotionArgs),
}

#[derive(Args, Debug)]
pub struct MotionArgs {
    /// The camera (identifier or display name).
    #[arg(long)]
    camera: String,
    /// The region as x,y,width,height in fractions of the picture, e.g. 0.4,0.4,0.2,0.2.
    #[arg(
        long,
        conflicts_with = "polygon",
        required_unless_present = "polygon",
        allow_hyphen_values = true
    )]
    region: Option<String>,
    /// The region as a polygon, "x,y x,y x,y …" in fractions of the picture.
    #[arg(long)]
    polygon: Option<String>,
    /// Start, RFC 3339, e.g. 2026-11-25T03:00:00Z.
    #[arg(long)]
    from: String,
    /// End, RFC 3339.
    #[arg(long)]
    to: String,
    /// Leave out moments shorter than this, e.g. 1s.
    #[arg(long, default_value = "0s")]
    min_duration: String,
    /// Motion closer together than this is one moment (default 2s; 3s on a camera whose
    /// index has one picture per key frame, so that key frames 2 s apart make one moment).
    #[arg(long = "merge")]
    merge: Option<String>,
    /// Print JSON (times in UTC microseconds).
    #[arg(long)]
    json: bool,
}

pub fn run(data_dir: &Path, cmd: SearchCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        SearchCmd::Motion(args) => motion(data_dir, &args),
    }
}

fn motion(data_dir: &Path, args: &MotionArgs) -> anyhow::Result<ExitCode> {
    let region = match (&args.region, &args.polygon) {
        (Some(r), _) => SearchRegion::parse_rect(r)?,
        (None, Some(p)) => SearchRegion::parse_polygon(p)?,
        (None, None) => anyhow::bail!("give the region to search: --region x,y,w,h or --polygon"),
    };
    let lib = super::open_library(data_dir)?;
    let camera = lib.resolve_camera(&args.camera)?;
    let key_frames = vigil_core::engine::indexes_key_frames_only(&lib, &camera)?;
    drop(lib);
    let query = MotionQuery {
        camera_id: camera.id,
        region,
        from_us: parse_rfc3339(&args.from)?,
        to_us: parse_rfc3339(&args.to)?,
        min_duration_us: parse_duration_us(&args.min_duration)?,
        merge_gap_us: match &args.merge {
            Some(gap) => parse_duration_us(gap)?,
            None if key_frames => KEY_FRAMES_MERGE_GAP_US,
            None => vigil_core::search::DEFAULT_MERGE_GAP_US,
        },
    };
    let archive = Archive::open(data_dir)?;
    let found =
        archive
            .search_motion(query, None)
            .wait()
            .ok_or(ServiceError::ArchiveJobLost {
                what: "the motion search",
            })??;
    if args.json {
        super::print_json(&found)?;
    } else {
        print_text(camera.name.as_str(), &found);
        if key_frames {
            println!("{KEY_FRAMES_NOTE}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The default merge gap on a camera indexed from key frames: more than a 2-s GOP.
const KEY_FRAMES_MERGE_GAP_US: i64 = 3_000_000;

/// What a search of a camera indexed from key frames only says about its time resolution.
const KEY_FRAMES_NOTE: &str = "this camera has no sub-stream: its motion index has one picture per key frame, every ~2 s (each moment starts at the key frame before the motion was seen there, so it may begin up to one key frame early)";

fn print_text(camera: &str, found: &MotionSearch) {
    let n = found.hits.len();
    let moments = if n == 1 { "moment" } else { "moments" };
    println!(
        "{n} {moments} with motion in the region ({} of 576 cells) on {camera}",
        found.region_cells
    );
    for h in &found.hits {
        println!(
            "  {}  to {}  {:>7.1} s  peak {:>3.0} % of the region, mean {:>3.0} %",
            local(h.start_us),
            local(h.end_us),
            h.duration_us() as f64 / 1e6,
            h.peak_fraction * 100.0,
            h.mean_fraction * 100.0
        );
    }
    for (start, end) in &found.unindexed {
        println!(
            "no motion index from {} to {} (the camera was not recording then, or its index was not kept)",
            local(*start),
            local(*end)
        );
    }
}

/// Local date and time to the tenth of a second, e.g. `2026-12-05 20:01:02.4`.
fn local(us: i64) -> String {
    let t = vigil_app::local_time::local(us);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond() / 100
    )
}
