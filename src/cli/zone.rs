//! `vigil zone …`: motion zones (and masks) drawn as polygons in normalized coordinates,
//! and a detect zone's own object list when it differs from its camera's.

use std::path::Path;
use std::process::ExitCode;

use clap::Subcommand;
use serde::Serialize;

use vigil_core::detect::zone::{parse_min_area, parse_sensitivity};
use vigil_core::detect::{Polygon, ZoneKind, ZoneSpec};
use vigil_core::library::Library;
use vigil_core::model::objects::parse_objects;
use vigil_core::model::text::printable;
use vigil_core::model::{Camera, CameraName, DisplayName};

#[derive(Subcommand, Debug)]
pub enum ZoneCmd {
    /// Add a zone: motion inside it makes events (or, with --mask, is ignored).
    Add {
        /// The camera's name or identifier.
        #[arg(long)]
        camera: String,
        /// The name people see: any text (출입구, Einfahrt).
        #[arg(long)]
        name: String,
        /// The zone's identifier for flags (ASCII letters, digits, '-' and '_'); derived
        /// from --name when not given.
        #[arg(long)]
        id: Option<String>,
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
        /// Objects that make events in this zone when they differ from the camera's
        /// (`camera edit --objects`), e.g. person,car.
        #[arg(long, value_name = "LIST", conflicts_with = "mask")]
        objects: Option<String>,
    },
    /// Change a zone: its outline, sensitivity, minimum area or object list.
    Edit(ZoneEditArgs),
    /// List a camera's zones.
    List {
        #[arg(long)]
        camera: String,
        #[arg(long)]
        json: bool,
    },
    /// Remove a zone.
    Remove {
        /// The camera's name or identifier.
        #[arg(long)]
        camera: String,
        /// The zone's name or identifier.
        #[arg(long)]
        name: String,
    },
}

#[derive(clap::Args, Debug)]
pub struct ZoneEditArgs {
    /// The camera's name or identifier.
    #[arg(long)]
    camera: String,
    /// The zone's name or identifier.
    #[arg(long)]
    name: String,
    /// New points "x,y x,y x,y ..." from 0 to 1.
    #[arg(long)]
    polygon: Option<String>,
    /// 0 (least) to 100 (most sensitive).
    #[arg(long)]
    sensitivity: Option<String>,
    /// Share of the zone that must change, e.g. 0.5%.
    #[arg(long)]
    min_area: Option<String>,
    /// Objects that make events in this zone, instead of the camera's, e.g. person,car.
    #[arg(long, value_name = "LIST")]
    objects: Option<String>,
    /// Follow the camera's object list again.
    #[arg(long, conflicts_with = "objects")]
    camera_objects: bool,
}

#[derive(Serialize)]
struct ZoneJson {
    id: i64,
    /// The zone's identifier.
    name: String,
    /// The name people see, NFC.
    display_name: String,
    kind: &'static str,
    polygon: Vec<(f32, f32)>,
    sensitivity: u8,
    min_area: f32,
    /// The zone's own object list; `null` when it follows its camera's.
    objects: Option<Vec<String>>,
}

pub fn run(data_dir: &Path, cmd: ZoneCmd) -> anyhow::Result<ExitCode> {
    let mut lib = super::open_library(data_dir)?;
    match cmd {
        ZoneCmd::Add {
            camera,
            name,
            id,
            polygon,
            mask,
            sensitivity,
            min_area,
            objects,
        } => {
            let cam = lib.resolve_camera(&camera)?;
            let objects = objects.as_deref().map(parse_objects).transpose()?;
            let display = DisplayName::parse(&name)?;
            let mut spec = ZoneSpec::new(
                0,
                display.as_str(),
                if mask {
                    ZoneKind::Mask
                } else {
                    ZoneKind::Detect
                },
                Polygon::parse(&polygon)?,
            );
            spec.sensitivity = parse_sensitivity(&sensitivity)?;
            spec.min_area = parse_min_area(&min_area)?;
            if let Some(id) = &id {
                // Checked here: the library derives one from a name that is not an id.
                spec.name = CameraName::parse(id)
                    .map_err(|_| {
                        anyhow::anyhow!(
                            "zone identifier '{}' may only use ASCII letters, digits, '-' and '_'",
                            printable(id)
                        )
                    })?
                    .to_string();
                let taken = lib.zones(cam.id)?.into_iter().any(|z| z.name == spec.name);
                anyhow::ensure!(!taken, "this camera already has a zone with the id '{id}'");
            }
            let z = lib.add_zone(cam.id, &spec)?;
            if let Some(objects) = &objects {
                lib.set_zone_objects(z.id, Some(&objects.join(",")))?;
            }
            println!(
                "added {} zone '{}' (id {}) to camera '{}'{}",
                z.kind.as_str(),
                printable(&z.display_name),
                z.name,
                printable(cam.display_name.as_str()),
                objects_words(objects.as_deref())
            );
            if objects.is_some() {
                note_camera_objects(&lib, &cam)?;
            }
        }
        ZoneCmd::Edit(args) => edit(&mut lib, &args)?,
        ZoneCmd::List { camera, json } => list(&lib, &camera, json)?,
        ZoneCmd::Remove { camera, name } => {
            let cam = lib.resolve_camera(&camera)?;
            let zone = lib.resolve_zone(cam.id, &name)?;
            lib.remove_zone(cam.id, &zone.name)?;
            println!(
                "removed zone '{}' from camera '{}'",
                printable(&zone.display_name),
                printable(cam.display_name.as_str())
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `vigil zone list`: each zone with its own object list, if it has one.
fn list(lib: &Library, camera: &str, json: bool) -> anyhow::Result<()> {
    let cam = lib.resolve_camera(camera)?;
    let zones = lib.zones(cam.id)?;
    let own = lib.zone_objects(cam.id)?;
    let own_of = |id: i64| own.iter().find(|(z, _)| *z == id).map(|(_, o)| o.clone());
    if json {
        let rows: Vec<ZoneJson> = zones
            .iter()
            .map(|z| ZoneJson {
                id: z.id,
                name: z.name.clone(),
                display_name: z.display_name.clone(),
                kind: z.kind.as_str(),
                polygon: z.polygon.points().to_vec(),
                sensitivity: z.sensitivity,
                min_area: z.min_area,
                objects: own_of(z.id),
            })
            .collect();
        return super::print_json(&rows);
    }
    if zones.is_empty() {
        println!("no zones: motion anywhere in the picture counts");
    }
    for z in &zones {
        println!(
            "{:<16} {:<20} {:<6} sensitivity {:>3}  min area {:.2}%  {}{}",
            z.name,
            printable(&z.display_name),
            z.kind.as_str(),
            z.sensitivity,
            z.min_area * 100.0,
            z.polygon,
            match own_of(z.id) {
                Some(o) => format!("  objects: {}", o.join(", ")),
                None => String::new(),
            }
        );
    }
    Ok(())
}

/// `vigil zone edit`: changes only what its flags name; a mask has no objects.
fn edit(lib: &mut Library, args: &ZoneEditArgs) -> anyhow::Result<()> {
    let cam = lib.resolve_camera(&args.camera)?;
    let mut zone = lib.resolve_zone(cam.id, &args.name)?;
    let outline_changed =
        args.polygon.is_some() || args.sensitivity.is_some() || args.min_area.is_some();
    if !outline_changed && args.objects.is_none() && !args.camera_objects {
        anyhow::bail!(
            "nothing to change: give --polygon, --sensitivity, --min-area, --objects or \
             --camera-objects"
        );
    }
    let objects = args.objects.as_deref().map(parse_objects).transpose()?;
    if objects.is_some() && zone.kind == ZoneKind::Mask {
        anyhow::bail!(
            "zone '{}' is a mask, which ignores motion; only detect zones have objects",
            zone.name
        );
    }
    if let Some(p) = &args.polygon {
        zone.polygon = Polygon::parse(p)?;
    }
    if let Some(s) = &args.sensitivity {
        zone.sensitivity = parse_sensitivity(s)?;
    }
    if let Some(a) = &args.min_area {
        zone.min_area = parse_min_area(a)?;
    }
    if outline_changed {
        lib.update_zone(cam.id, &zone)?;
    }
    if objects.is_some() || args.camera_objects {
        let joined = objects.as_ref().map(|o| o.join(","));
        lib.set_zone_objects(zone.id, joined.as_deref())?;
    }
    println!(
        "changed zone '{}' of camera '{}'{}",
        zone.name,
        cam.name,
        match (&objects, args.camera_objects) {
            (_, true) => ", which follows the camera's objects again".to_string(),
            (o, false) => objects_words(o.as_deref()),
        }
    );
    if objects.is_some() {
        note_camera_objects(lib, &cam)?;
    }
    Ok(())
}

/// ", objects person, car" for a zone's own list.
fn objects_words(objects: Option<&[String]>) -> String {
    match objects {
        Some(o) => format!(", objects {}", o.join(", ")),
        None => String::new(),
    }
}

/// A zone's objects count only on a camera with object detection on: says so when it is off.
fn note_camera_objects(lib: &Library, cam: &Camera) -> anyhow::Result<()> {
    if lib.camera_objects(cam.id)?.is_none() {
        eprintln!(
            "note: camera '{}' has no object detection, so its events come from motion alone; \
             turn it on with: vigil camera edit --name {} --objects person",
            cam.name, cam.name
        );
    }
    Ok(())
}
