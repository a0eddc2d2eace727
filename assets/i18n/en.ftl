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
zones-too-few-points = a zone needs at least 3 points; it has { $count } — click on the picture to add more
zones-outline-closed = the outline is closed: drag its points to move them, or right-click one to remove it
zones-name-missing = give the zone a name
zones-still-storing = the last change is still being stored; try again
zones-cannot-save = cannot save zone { $name }: { $error }
zones-cannot-reread = cannot read the zones again: { $error }
zones-saved = saved zone { $name }
zones-removed = removed zone { $name }
zones-cannot-remove = cannot remove zone { $name }: { $error }
zones-select-point-first = select a point first (click it), then press Delete
zones-cannot-open = cannot edit the zones of { $camera }: { $error }
zones-drawing-area = zone drawing area of { $camera }
zones-heading = Zones of { $camera }
zones-how-to = Click on the picture to place points and click the first point to close the outline. Drag a point to move it; right-click it (or select it and press Delete) to remove it. Click a zone to edit it.
zones-new = New zone
zones-done = Done
zones-done-hover = Leave zone drawing (Esc)
zones-editing = Editing { $name }
zones-name = Zone name
zones-name-hint = e.g. gate
zones-detect = Detect
zones-detect-hover = Motion here starts events
zones-mask = Mask
zones-mask-hover = Motion here is ignored by every zone
zones-sensitivity = Sensitivity
zones-min-area = Minimum area
zones-min-area-hover = How much of the zone must change to count as motion
zones-points-closed = { $count ->
    [one] { $count } point, closed
   *[other] { $count } points, closed
}
zones-points-open = { $count ->
    [one] { $count } point, open
   *[other] { $count } points, open
}
zones-close-polygon = Close polygon
zones-none-yet = No zones yet: motion is looked for in the whole picture.
zones-kind-detect = detect zone
zones-kind-mask = mask
zones-edit-named = Edit zone { $name }
zones-delete-named = Delete zone { $name }
zones-mask-note = motion here is ignored
zones-sensitivity-short = sensitivity
zones-sensitivity-of = Sensitivity of { $name }
zones-min-area-of = minimum area { $percent } %
zones-moving = { $percent } % moving
zones-moving-motion = { $percent } % moving — MOTION
zones-no-level = no motion level yet
layouts-title-changed = Layout: { $name } (changed)
layouts-title = Layout: { $name }
layouts-title-auto = Layout: Auto ({ $shape })
layouts-shape = Shape
layouts-camera-list = Camera list (drag onto a cell)
layouts-need-library = Saved layouts need the library.
layouts-saved = Saved layouts
layouts-none-yet = none yet
layouts-save-as-menu = Save layout as…
layouts-save-named = Save “{ $name }”
layouts-rename-named = Rename “{ $name }”…
layouts-delete-named = Delete “{ $name }”…
layouts-cannot-save = cannot save the layout: { $error }
layouts-save-as-title = Save layout as
layouts-rename-title = Rename layout
layouts-delete-title = Delete layout
layouts-rename = Rename
layouts-delete-question = Delete the saved layout “{ $name }”? The cameras and their recordings are not affected.
layouts-name = Layout name
layouts-replaces = Saving replaces the layout “{ $name }”.
layouts-still-working = still working
layouts-cameras = Cameras
layouts-drag-hint = Drag a camera onto a cell.
layouts-no-cameras = No cameras yet.
layouts-place = Place
layouts-place-hover = Show in the first empty cell, or in the selected camera's
layouts-on-screen = on screen
layouts-place-named = place { $name }
layouts-drag-hover = Drag onto a cell to show this camera there
layouts-cell-removed = The camera placed here was removed
layouts-cell-waiting = { $name }: waiting for the recorder's status
layouts-cell-empty = Empty: drag a camera here
layouts-cell-label = cell { $cell } { $text }
layouts-drop-to-swap = drop on a cell to swap
layouts-cannot-restore = cannot restore the last layout: { $error }
layouts-cannot-read = cannot read the saved layouts: { $error }
layouts-cannot-remember = cannot remember the layout for the next start: { $error }
layouts-cannot-follow-renames = cannot follow renamed cameras: { $error }
monitor-too-many = Vigil opens at most { $count } extra windows; close one first
monitor-cannot-remember = cannot remember the windows: { $error }
monitor-cannot-reopen = cannot reopen the saved windows: { $error }
monitor-title = Vigil — window { $number }
monitor-back-to-grid = Back to grid (Esc)
monitor-layout = Layout:
monitor-layout-label = window { $number } layout { $layout }
monitor-saved-layout-label = window { $number } saved layout { $name }
monitor-close-window = Close this window
monitor-camera-removed = camera removed
monitor-empty-cell = empty cell
timeline-now = Now
timeline-now-hover = Back to live
timeline-live = LIVE
timeline-showing = showing { $span }
timeline-selected = selected { $from } to { $to } ({ $span })
timeline-clear = Clear
timeline-help = wheel: zoom · drag: pan · shift-drag: select
timeline-span-s = { $n } s
timeline-span-min = { $n } min
timeline-span-h = { $n } h
timeline-span-days = { $n } days
clips-heading = Clips
clips-event-count = { $count ->
    [one] { $count } event
   *[other] { $count } events
}
clips-all-cameras = All cameras
clips-any-source = Any source
clips-search-hint = label or zone contains…
clips-source-motion = Motion
clips-source-object = Object
clips-source-trigger = Trigger
clips-source-manual = Manual
clips-delete-question = Delete event { $id } ({ $label }, { $camera }, { $time })? It removes { $clips } clip(s), { $size }.
clips-delete-question-others = { $question } { $count } other event(s) in those clips lose their video.
clips-delete-event = Delete event
clips-keep-it = Keep it
clips-protected = Protected
clips-protect = Protect
clips-export-id = Export { $id }…
clips-delete-id = Delete { $id }…
clips-in-progress = in progress
clips-score = score { $percent }%
clips-last-hour = Last hour
clips-last-day = Last 24 h
clips-last-week = Last 7 days
clips-all-time = All
clips-no-recordings = this view has no recordings
clips-cannot-read = cannot read the events: { $error }
clips-cannot-change = cannot change event { $id }: { $error }
clips-cannot-delete = cannot delete event { $id }: { $error }
clips-deleted = deleted event { $id } and { $clips } clip(s), { $size }
recorded-cannot-read-timeline = cannot read the timeline: { $error }
recorded-cannot-read-cameras = cannot read the cameras: { $error }
recorded-cannot-play = cannot play the recordings: { $error }
recorded-select-tile-to-export = Select a camera's tile to export the selected range.
recorded-export-selection = Export { $camera } selection…
recorded-step-back = < Step
recorded-step-back-hover = One picture back (←)
recorded-pause = Pause
recorded-play = Play
recorded-space-key = Space
recorded-step-forward = Step >
recorded-step-forward-hover = One picture forward (→)
recorded-ended-at = end of the recordings at { $time }
recorded-playing-at = playing at { $speed }× at { $time }
recorded-paused-at = paused at { $time }
recorded-skipped-gap = { $state }; skipped { $gap } with no recording
recorded-loading = loading the recording…
recorded-next-at = nothing recorded here; the next recording starts at { $time }
video-sub-undecodable = the sub-stream cannot be decoded ({ $error })
video-sub-silent = the sub-stream sent no picture for { $secs } s
video-sub-failed = sub-stream failed: { $error }
timeline-label = timeline

## ==== end of live


## ==== settings-playback: MQTT settings, export, replay, tour (helper fonts-lang)


## ==== end of settings-playback


## ==== web: Web viewer: keys start with web- (helper web-i18n)


## ==== end of web

