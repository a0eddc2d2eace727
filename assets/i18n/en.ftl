# Vigil's words in English: Project Fluent syntax (https://projectfluent.org/fluent/guide/).
# Every key here has its twin in the other languages' files; `cargo test -p vigil-app i18n`
# checks that, and that the app's code uses no text outside the catalogue.


## ==== common: Common words (lead). Shared by every part of the app: prefer these keys.

common-cancel = Cancel
common-save = Save
common-ok = OK
common-close = Close
common-add = Add
common-edit = Edit
common-remove = Remove
common-delete = Delete
common-apply = Apply
common-browse = Browse…
common-retry = Retry
common-yes = Yes
common-no = No
common-on = On
common-off = Off
common-camera = Camera
common-cameras = { $count ->
    [one] { $count } camera
   *[other] { $count } cameras
}

## ==== end of common


## ==== names-fonts-language: Names, fonts, language and date settings (helper fonts-lang)


## ==== end of names-fonts-language


## ==== camera-setup: Camera dialog, recording policy, objects, app shell and menus (helper strings-setup)


## ==== end of camera-setup


## ==== live: Live grid, tiles, zones, layouts, status, monitor, timeline, clips, recorded, video (helper strings-live)
live-camera-unavailable = camera unavailable
live-retrying-in = { $why } — retrying in { $secs } s
live-retrying-now = { $why } — retrying now
live-state-waiting = waiting for the camera to answer (checked twice a second)
live-waiting-because = { $why } — { live-state-waiting }
live-connecting-again = { $why } — connecting again…
live-state-connecting = connecting…
live-state-stopped = stopped
live-state-disabled = disabled — right-click to enable
live-badge-motion = MOTION
live-badge-trigger = TRIGGER: { $labels }
live-stream-facts = { $codec } { $width }×{ $height } · { $fps } fps · { $mbits } Mbit/s
live-recording = recording
live-not-recording = not recording
live-segments-written = { $count ->
    [one] { $count } segment, { $size } written this session
   *[other] { $count } segments, { $size } written this session
}
live-recording-problem = recording problem: { $error }
live-showing-main = showing the main stream { $width }×{ $height }
live-showing-sub = showing the sub-stream { $width }×{ $height }
live-showing-keyframes-only = { $shown }, key frames only (decoding is behind)
live-disk-unknown = Disk: unknown
live-disk = Disk: { $used } used, { $free } free of { $total }
live-camera-counts = { $cameras }: { $states }
live-count-live = { $count } live
live-count-connecting = { $count } connecting
live-count-offline = { $count } offline
live-count-stopped = { $count } stopped
live-count-disabled = { $count } disabled
live-problem-recording = recording: { $error }
live-problem-sub = sub-stream: { $error }
live-problem-detect-sub = detect sub-stream: { $error }
live-problem-onvif = ONVIF events: { $error }
live-clock-utc = { $time } UTC
live-layout-auto = Auto
live-grid-page = page { $page } of { $pages }
live-no-live-picture = no live picture: { $error }
live-waiting-first-picture = waiting for the first picture…
live-tile-label = tile { $name }
live-keyframes-only-hover = key frames only: decoding is behind, so this tile shows one picture a key frame; the selected tile stays smooth
live-no-cameras-enabled = No cameras are enabled. Add one with: vigil camera add --name NAME --url rtsp://…
live-no-problems = No problems
live-problems-earlier = { $count ->
    [one] { $count } problem earlier
   *[other] { $count } problems earlier
}
live-problems-now = { $count ->
    [one] { $count } problem now
   *[other] { $count } problems now
}
live-problems-hover = Show every camera's last errors
live-problems-heading = Problems
live-problems-none = Nothing has gone wrong since Vigil started.
live-problem-engine = engine
live-stats-summary = UI { $p50 } ms p50 · { $p95 } p95 · { $max } max · { $fps } fps · { $pictures } pictures/s
live-stats-overlay = { $summary } · { $tiles } tiles

## ==== end of live


## ==== settings-playback: MQTT settings, export, replay, tour (helper fonts-lang)


## ==== end of settings-playback


## ==== web: Web viewer: keys start with web- (helper web-i18n)


## ==== end of web

