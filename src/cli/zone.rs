//! `vigil zone …`: motion zones (and masks) drawn as polygons in normalized coordinates.

use std::path::Path;
use std::process::ExitCode;

use clap::Subcommand;
use serde::Serialize;

use vigil_core::detect::zone::{parse_min_area, parse_sensitivity};
use vigil_core::detect::{Polygon, ZoneKind, ZoneSpec};

#[derive(Subcommand, Debug)]
pub enum ZoneCmd {
    /// Add a zone: motion inside it makes events (or, with --mask, is ignored).
    Add {
        #[arg(long)]
        camera: String,
        #[arg(long)]
        name: String,
        /// Points "x,y x,y x,y ..." from 0 to 1, x to the right, y down.
        #[arg(long)]
        polygon: String,
        /// Motion here is ignored.
        #[arg(long)]
        mask: bool,
        /// 0 (least) to 100 (most sensitive).
        #[arg(long, default_value = "50")]
        sensitivity: String,
        /// Share of the zone that must change, e.g. 0.5%.
        #[arg(long, default_value = "0.5%")]
        min_area: String,
    },
    /// List a camera's zones.
    List {
        #[arg(long)]
        camera: String,
        #[arg(long)]
        json: bool,
    },
    /// Remove a zone.
    Remove {
        #[arg(long)]
        camera: String,
        #[arg(long)]
        name: String,
    },
}

#[derive(Serialize)]
struct ZoneJson {
    id: i64,
    name: String,
    kind: &'static str,
    polygon: Vec<(f32, f32)>,
    sensitivity: u8,
    min_area: f32,
}

pub fn run(data_dir: &Path, cmd: ZoneCmd) -> anyhow::Result<ExitCode> {
    let mut lib = super::open_library(data_dir)?;
    match cmd {
        ZoneCmd::Add {
            camera,
            name,
            polygon,
            mask,
            sensitivity,
            min_area,
        } => {
            let cam = lib.camera_by_name(&camera)?;
            let mut spec = ZoneSpec::new(
                0,
                name,
                if mask {
                    ZoneKind::Mask
                } else {
                    ZoneKind::Detect
                },
                Polygon::parse(&polygon)?,
            );
            spec.sensitivity = parse_sensitivity(&sensitivity)?;
            spec.min_area = parse_min_area(&min_area)?;
            let z = lib.add_zone(cam.id, &spec)?;
            println!(
                "added {} zone '{}' to camera '{}'",
                z.kind.as_str(),
                z.name,
                camera
            );
        }
        ZoneCmd::List { camera, json } => {
            let cam = lib.camera_by_name(&camera)?;
            let zones = lib.zones(cam.id)?;
            if json {
                let rows: Vec<ZoneJson> = zones
                    .iter()
                    .map(|z| ZoneJson {
                        id: z.id,
                        name: z.name.clone(),
                        kind: z.kind.as_str(),
                        polygon: z.polygon.points().to_vec(),
                        sensitivity: z.sensitivity,
                        min_area: z.min_area,
                    })
                    .collect();
                super::print_json(&rows)?;
            } else if zones.is_empty() {
                println!("no zones: motion anywhere in the picture counts");
            } else {
                for z in &zones {
                    println!(
                        "{:<16} {:<6} sensitivity {:>3}  min area {:.2}%  {}",
                        z.name,
                        z.kind.as_str(),
                        z.sensitivity,
                        z.min_area * 100.0,
                        z.polygon
                    );
                }
            }
        }
        ZoneCmd::Remove { camera, name } => {
            let cam = lib.camera_by_name(&camera)?;
            lib.remove_zone(cam.id, &name)?;
            println!("removed zone '{name}' from camera '{camera}'");
        }
    }
    Ok(ExitCode::SUCCESS)
}
