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

language-menu = Language
language-menu-hint = The language of the interface. "System language" follows the computer's locale.
language-follow-system = System language ({ $language })
language-save-failed = Cannot save the language choice in { $path }: { $error }

## ==== end of names-fonts-language


## ==== camera-setup: Camera dialog, recording policy, objects, app shell and menus (helper strings-setup)

# App shell: top bar, tile menu, problems
app-menu-edit-camera = Edit camera…
app-menu-policy = Recording policy…
app-menu-zones = Draw zones…
app-menu-disable = Disable
app-menu-enable = Enable
app-menu-remove = Remove…
app-menu-instant-replay = Instant replay (last 30 s)
app-enable-failed = cannot enable { $name }: { $error }
app-disable-failed = cannot disable { $name }: { $error }
app-no-recordings-to-export = this view has no recordings to export
app-view-cannot-configure = this view cannot change the configuration
app-back-to-grid = Back to grid (Esc)
app-add-camera = + Add camera
app-clips = Clips
app-new-window = New window
app-dismiss = Dismiss
app-clear-cell = Clear cell

# Camera dialog
setup-cannot-yet = Cannot { $action } yet: { $reason }
setup-test-lost = the connection test stopped unexpectedly
setup-all-files = All files
setup-add-camera-title = Add camera
setup-edit-camera-title = Edit camera { $name }
setup-recording-policy = Recording policy
setup-find-login-hint = Type the camera's user and password above, then pick it again to fill its stream URLs.
setup-name = Name
setup-detect-url = Detect sub-stream URL
setup-optional = optional
setup-transport = Transport
setup-user = User
setup-password = Password
setup-credentials-note = The user and password are kept out of the URL shown here; the detect sub-stream uses them too.
setup-test-connection = Test connection
setup-testing = Testing…
setup-test-works = Works: { $summary }
setup-test-failed = Failed: { $error }
setup-policy-problem = recording policy: { $error }
setup-saving = Saving…
setup-camera-added = added camera '{ $name }'
setup-camera-saved = saved camera '{ $name }'
setup-live-url-not-saved = the camera is saved, its live sub-stream URL not: { $error }
setup-onvif-not-saved = the camera is saved, its ONVIF settings not: { $error }
setup-cannot-edit = cannot edit { $name }: { $error }
setup-cannot-edit-policy = cannot edit the policy of { $name }: { $error }
setup-cannot-remove = cannot remove { $name }: { $error }

# Camera dialog: Find cameras…
setup-find-lost = the search stopped unexpectedly
setup-find-failed = The search failed: { $error }.
setup-find-read-lost = the read stopped unexpectedly
setup-find-read-failed = Cannot read the stream URLs from { $url }: { $error }.
setup-find-cameras = Find cameras…
setup-find-hover = Ask the local network which ONVIF cameras are there (WS-Discovery)
setup-find-searching = Looking for ONVIF cameras ({ $seconds } s)…
setup-find-reading = Reading its stream URLs…
setup-find-unknown-model = unknown model
setup-find-no-name = (no name)

# Camera dialog: live sub-stream
setup-live-read-failed = cannot read the live sub-stream URL: { $error }
setup-live-still-reading = the live sub-stream URL is still being read
setup-live-problem = live sub-stream: { $error }
setup-live-url = Live sub-stream URL (optional)
setup-reading-lower = reading…
setup-live-note = The live sub-stream is for small live tiles only; when it is empty, the detect sub-stream serves them.

# Camera dialog: ONVIF
setup-onvif-read-failed = cannot read the ONVIF settings: { $error }
setup-onvif-still-reading = the ONVIF settings are still being read
setup-onvif-port-error = the ONVIF port must be a number from 1 to 65535 (usually { $default })
setup-onvif-reading = Reading the ONVIF settings…
setup-onvif-on = ONVIF events from the camera
setup-onvif-port = ONVIF port
setup-onvif-user = ONVIF user
setup-onvif-user-hint = the stream's user
setup-onvif-password = ONVIF password
setup-onvif-password-hint = the stream's password
setup-motion-events = Motion events
setup-motion-from-vigil = Motion from Vigil
setup-motion-from-camera = Motion from the camera
setup-motion-from-both = Motion from both
setup-onvif-note = Leave the ONVIF user and password empty to log in as the stream's user.

# Recording policy editor
setup-record = Record
setup-mode = { $mode ->
    [off] off
    [continuous] continuous
    [events] events
   *[both] both
}
setup-example = e.g. { $example }
setup-segment-length = Segment length
setup-keep-days = Keep (days)
setup-max-disk = Max disk (GB)
setup-max-disk-hint = empty: no cap
setup-pre-event = Pre-event
setup-post-event = Post-event
setup-max-clip = Max clip
setup-keep-events-days = Keep events (days)
setup-policy-saved = saved the recording policy of '{ $name }'
setup-objects-not-saved = the policy is saved, the objects not: { $error }
setup-policy-title = Recording policy of { $name }
setup-policy-note = Saving applies it at once: the open recording is finished and a new one starts.
setup-out-of-range = { $value } is out of range; use { $min } to { $max }
setup-days-range = use more than 0 and at most { $max } days
setup-not-days = '{ $raw }' is not a number of days
setup-gb-range = use more than 0 GB, or leave it empty for no cap
setup-not-gb = '{ $raw }' is not a number of GB; leave it empty for no cap
setup-prebuffer-too-big = { $pre } would hold ≈ { $size } in memory at { $bitrate }; the limit is { $limit } (at most { $max } at this bitrate)
setup-clip-longer = must be longer than the pre-event time ({ $pre })

# Recording policy editor: the disk and memory estimate
setup-estimate-off = records nothing: no disk is used
setup-estimate-no-bitrate = no bitrate measured yet: the estimate appears once the camera delivers video
setup-estimate-capped = keeps ≈ { $days } days in the { $cap } cap (fewer than the { $keep } days asked)
setup-estimate-within = needs ≈ { $size } for { $keep } days (within the { $cap } cap)
setup-estimate-needs = needs ≈ { $size } for { $keep } days
setup-estimate-continuous = continuous: ≈ { $size }/day at { $bitrate }
setup-estimate-events = events: per hour of events ≈ { $size } at { $bitrate }; how much is stored depends on how much happens (kept { $days } days)
setup-estimate-clip = each clip holds at least { $seconds } s (pre + post) ≈ { $size }
setup-estimate-prebuffer = pre-event buffer: ≈ { $size } of memory ({ $seconds } s kept: pre-event + { $margin } s margin)

# Recording policy editor: objects
setup-objects-problem = objects: { $error }
setup-objects = Objects
setup-objects-on = Record events only when a person is seen
setup-objects-cannot-run = The object detector cannot run: { $error }. Events come from motion alone until it is fixed.
setup-object-labels = Object labels
setup-min-score = Minimum score
setup-min-size = Minimum size
setup-min-size-hint = of the picture, e.g. 0.1%
setup-model = Model
setup-model-builtin = Built-in person detector
setup-model-onnx = ONNX model file
setup-objects-note = Motion then starts nothing by itself: an event needs the object inside a detect zone. Lower the score to catch more, raise it for fewer false alarms.
setup-model-file = Model file
setup-format = Format
setup-labels-file = Labels file
setup-choose-model = Choose the ONNX model
setup-model-filter = ONNX model
setup-choose-labels = Choose the labels file
setup-labels-filter = Labels
setup-browse-for = Browse… ({ $what })

# Recording policy editor: remove a camera
setup-remove-summary = '{ $name }' has { $count ->
    [one] { $count } recording
   *[other] { $count } recordings
} ({ $size }). Disabling the camera keeps them.
setup-remove-summary-none = '{ $name }' has no recordings.
setup-remove-delete-label = also delete its { $count ->
    [one] { $count } recording
   *[other] { $count } recordings
} ({ $size })
setup-remove-blocked = tick the box to delete its recordings too, or disable the camera instead
setup-remove-title = Remove camera { $name }?
setup-removing = removing the camera…
setup-disabling = disabling the camera…
setup-stopping = stopping the camera…
setup-deleting = deleting its recordings…
setup-removed = removed camera '{ $name }'
setup-removed-with-recordings = removed camera '{ $name }' and its { $count ->
    [one] { $count } recording
   *[other] { $count } recordings
}

# Recording policy editor: trigger sources
setup-trigger-name-taken = this camera already has a trigger source named '{ $name }'
setup-trigger-need-name = give it a name
setup-trigger-need-topic = give the MQTT topic
setup-trigger-need-condition = give the condition
setup-trigger-means-payload = parses as: active when the whole message is '{ $payload }'; any other message ends the event
setup-trigger-means-field = parses as: active when the JSON field '{ $path }' { $op ->
        [ne] is not
        [gt] is more than
        [ge] is at least
        [lt] is less than
        [le] is at most
       *[eq] is
    } { $kind ->
        [text] the text "{ $value }"
       *[other] { $value }
    }; the opposite ends the event, and messages without the field are ignored
setup-trigger-ends-never = on the opposite message
setup-trigger-ends-after = on the opposite message or { $hold } after
setup-trigger-ends-after-s = on the opposite message or { $seconds } s after
setup-triggers-read-failed = cannot read them: { $error }
setup-trigger-added = added trigger source '{ $name }'
setup-trigger-removed = removed trigger source '{ $name }'
setup-triggers = Trigger sources
setup-triggers-note = A message on an MQTT topic (a door contact, a button) starts this camera's events like motion does. Added and removed at once, apart from Save.
setup-triggers-no-clips = While recording is '{ $mode }', their events are listed but make no clips; choose events or both for clips.
setup-mqtt-off = MQTT is off: these wait until it is turned on (MQTT… in the top bar).
setup-reading = Reading…
setup-none-yet = None yet.
setup-trigger-topic = topic { $topic }
setup-trigger-line = active when { $condition }; ends { $ends }
setup-trigger-name = Trigger name
setup-trigger-name-hint = door (also its events' label)
setup-mqtt-topic = MQTT topic
setup-condition = Condition
setup-condition-hint = contact == false, or ON
setup-hold = Hold
setup-hold-hint = blank: until the opposite message; e.g. 30s
setup-add-trigger = Add trigger source

# Object detection in words, and the boxes switch
objects-event-title = { $label } in { $zone }
objects-problem = object detection: { $error }
objects-detecting = detecting { $wanted } ({ $detector }): { $runs } pictures, { $dropped } skipped while busy
objects-loading = detecting { $wanted }: loading the detector…
objects-boxes-read-failed = cannot read whether to show boxes: { $error }
objects-boxes-write-failed = cannot remember the boxes switch: { $error }
objects-boxes = Boxes (B)
objects-boxes-hover = draw what the object detector sees on the selected camera

setup-camera-id = ID: { $id } (used for folders, web addresses and MQTT topics)
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

# MQTT settings window (mqtt_settings/)
mqtt-title = MQTT settings
mqtt-connected = Connected to the broker.
mqtt-connecting = Connecting to the broker…
mqtt-not-connected = Not connected to the broker: { $why }
mqtt-cannot-open = cannot open the MQTT settings: { $error }
mqtt-saved = saved the MQTT settings (broker { $broker })
mqtt-turned-off = MQTT is off
mqtt-on-hint = MQTT is on; a running recorder uses these settings.
mqtt-off-hint = MQTT is off. Fill in the broker and save to turn it on.
mqtt-publishes-hint = Vigil publishes its cameras' motion, recording and events under the topic prefix; trigger sources are set in each camera's recording policy.
mqtt-password-stored-hint = ******** (stored; leave blank to keep it)
mqtt-none = none
mqtt-broker = Broker
mqtt-user = User
mqtt-password = Password
mqtt-remove-password = Remove the stored password
mqtt-client-id = Client id
mqtt-topic-prefix = Topic prefix
mqtt-ha-discovery = Publish Home Assistant discovery
mqtt-cannot-save-yet = Cannot save yet: { $reason }
mqtt-turn-off = Turn MQTT off
mqtt-saving = Saving…
mqtt-confirm-off = Turn MQTT off? The broker settings and its password are forgotten; trigger sources are kept and wait until it is turned on again.
mqtt-confirm-off-yes = Yes, turn MQTT off
mqtt-keep-on = Keep it on
mqtt-broker-missing = give the broker's address, e.g. mqtt://192.168.1.5:1883
mqtt-password-needs-user-or-remove = a password needs a user: fill in the user, or tick "Remove the stored password"
mqtt-password-needs-user = a password needs a user: fill in the user

# Export strip and save dialog (export/)
export-cannot = cannot export: { $error }
export-stopped-unexpectedly = the export stopped unexpectedly
export-nothing-recorded = this view has no recordings to export
export-no-file-chosen = export cancelled: no file chosen
export-wrote = wrote { $path }: { $summary }
export-failed = export failed: { $error }
export-planning = Export: finding the recordings…
export-picking = Export: choose where to save the MP4…
export-running = Exporting to { $path }
export-cancel = Cancel export
export-dismiss = Dismiss
export-dialog-title = Export to MP4
export-dialog-filter = MP4 video
export-summary = { $length } ({ $size } MB), { $start }
export-seconds = { $value } s
export-starts-before = starts at the keyframe { $lead } before the requested time
export-starts-exact = starts exactly at the requested time (a keyframe)
export-starts-after = starts { $lead } after the requested time (nothing was recorded before it)
export-gaps = { $count ->
    [one] { $count } gap of { $length } left out
   *[other] { $count } gaps of { $length } left out
}
export-ends-early = ends { $short } before the requested end (no finished recording after it)

# Instant replay in a tile (replay.rs)
replay-no-recordings = no replay: this view has no recordings
replay-starting = starting the replay…
replay-in-gap = nothing recorded here
replay-cannot = cannot replay: { $error }
replay-label = REPLAY { $behind }
replay-back-to-live = Back to live
replay-no-camera = no replay: there is no camera '{ $name }'
replay-failed = no replay: { $error }
replay-nothing-recorded = nothing recorded in the last 30 s
replay-nothing-events-only = nothing recorded in the last 30 s: this camera records only around events
replay-nothing-not-recording = nothing recorded in the last 30 s: this camera is not recording

# Tours: the menu, the running bar and the editor (tour/)
tour-menu = Tours
tour-none-yet = No tours yet.
tour-start = Start tour { $name }
tour-edit-menu = Edit tours…
tour-stop = Stop tour
tour-running = Tour { $name }: step { $step } of { $steps }
tour-paused = Tour paused — resumes in { $seconds } s
tour-resume = Resume
tour-cannot-read = cannot read the tours: { $error }
tour-has-no-steps = the tour '{ $name }' has no steps
tour-editor-title = Edit tours
tour-saved = saved the tour '{ $name }'
tour-deleted = deleted the tour '{ $name }'
tour-picker = Tour:
tour-new = New tour
tour-steps = Steps
tour-name = Tour name
tour-dwell = Seconds per step
tour-seconds-suffix = {" "}s
tour-save = Save tour
tour-delete = Delete tour
tour-step-layout = Layout { $name } ({ $kind })
tour-step-removed-layout = a removed layout (id { $id })
tour-step-camera = Camera { $name }
tour-step-removed-camera = a removed camera (id { $id })
tour-no-steps = No steps yet: add a saved layout or a camera.
tour-step-up = Up
tour-step-down = Down
tour-step-remove = Remove step { $number }
tour-add-step = Add a step…
tour-no-layouts = No saved layouts yet.

## ==== end of settings-playback


## ==== web: Web viewer: keys start with web- (helper web-i18n)
# The login page and the shell
web-login-title = Vigil — sign in
web-login-lead = Sign in to watch your cameras.
web-login-name = Name
web-login-password = Password
web-login-submit = Sign in
web-login-note = Accounts are made on the recorder with
web-language = Language
web-nav-live = Live
web-nav-events = Events
web-nav-audit = Audit
web-nav-admin = Admin
web-sign-out = Sign out
web-who = { $name } ({ $role })
web-role-viewer = viewer
web-role-operator = operator
web-role-admin = admin
web-session-ended = your session has ended
# Units
web-unit-s = s
web-unit-days = days
web-unit-gb = GB
# Camera settings: recording policy
web-settings-mode-off = Off (record nothing)
web-settings-mode-continuous = Continuous
web-settings-mode-events = Events (motion, triggers)
web-settings-mode-both = Continuous and events
web-settings-segment = Segment length
web-settings-retain = Keep recordings
web-settings-max-bytes = Disk cap (empty: no cap)
web-settings-pre-event = Before each event
web-settings-post-event = After each event
web-settings-max-clip = Longest clip
web-settings-event-retain = Keep events
web-settings-saved-off = records nothing
web-settings-saved-continuous = records continuously
web-settings-saved-events = records events
web-settings-saved-both = records continuously and on events
web-settings-back = ← Camera
web-settings-title = Settings of { $name }
web-settings-not-allowed = Your account ({ $name }) may not change camera settings: ask an administrator.
web-settings-record = Record
web-settings-save = Save policy
web-settings-continuous = Continuous recording
web-settings-event-clips = Event clips
web-settings-policy = Recording policy
web-settings-need-gb = { $label }: enter a number of GB, or leave it empty for no cap.
web-settings-need-seconds = { $label }: enter a number of seconds.
web-settings-need-days = { $label }: enter a number of days.
web-settings-saved = Saved: the camera { $what } now.
web-settings-not-saved = The policy was not saved: { $why }.
# Audit trail
web-audit-kind-everything = Everything
web-audit-kind-logins = Logins
web-audit-kind-failed-logins = Failed logins
web-audit-kind-exports = Exports
web-audit-kind-deletions = Deletions
web-audit-kind-users-added = Users added
web-audit-kind-roles-changed = Roles changed
web-audit-kind-users-removed = Users removed
web-audit-kind-passwords-changed = Passwords changed
web-audit-kind-cameras-added = Cameras added
web-audit-kind-cameras-edited = Cameras edited
web-audit-kind-cameras-renamed = Cameras renamed
web-audit-kind-cameras-enabled = Cameras enabled
web-audit-kind-cameras-disabled = Cameras disabled
web-audit-kind-cameras-removed = Cameras removed
web-audit-kind-tokens-added = Tokens added
web-audit-kind-tokens-removed = Tokens removed
web-audit-kind-policies = Recording policies
web-audit-kind-zones-added = Zones added
web-audit-kind-zones-changed = Zones changed
web-audit-kind-zones-removed = Zones removed
web-audit-kind = Kind of line
web-audit-when = When
web-audit-who = Who
web-audit-what = What
web-audit-detail = Detail
web-audit-from = From
web-audit-title = Audit trail
web-audit-empty = Nothing of this kind yet.
web-audit-command-line = (command line)
# Camera states (as /api/cameras names them)
web-state-connecting = connecting
web-state-connected = connected
web-state-recording = recording
web-state-retrying = retrying
web-state-waiting = waiting
web-state-disabled = disabled
web-state-stopped = stopped
# Live grid
web-live-no-cameras = No cameras yet: add one with "vigil camera add" or in the desktop app.
web-live-status-unavailable = Camera status is not available: { $why }
web-live-connecting = Connecting…
web-live-sd = SD
web-live-snapshot-alt = { $camera }: latest event picture
web-live-sub-stream = sub-stream { $width }×{ $height }
web-live-offline = Offline: { $why }
web-live-snapshot-note = Picture: latest event, { $when }.
web-live-recording = recording
web-live-rec = ● REC
web-live-motion = motion
web-live-problem = problem
web-live-no-mse = This browser cannot play live video (it has no Media Source Extensions).
web-live-reconnecting = reconnecting…
web-live-reconnecting-why = { $why }: reconnecting…
web-live-buffer-stuck = the video buffer was stuck
web-live-unplayable = This camera's video cannot be shown: { $why }
web-live-hevc = This camera sends H.265 video ({ $codec }), which this browser cannot play live. Its recordings can still be exported; an H.264 sub-stream would play here.
web-live-codec = This browser cannot play this camera's video ({ $codec }).
web-live-refused = the browser refused the video ({ $error })
# One camera: timeline and recordings
web-camera-zoom-24h = 24 h
web-camera-zoom-6h = 6 h
web-camera-zoom-1h = 1 h
web-camera-zoom-10min = 10 min
web-camera-no-name = This address names no camera.
web-camera-choose-one = Choose one on the live grid.
web-camera-bad-time = The address's time '{ $time }' is not a time (microseconds since 1970); showing today.
web-camera-day = Day
web-camera-zoom = Timeline zoom
web-camera-play = Play
web-camera-pause = Pause
web-camera-speed = Speed
web-camera-previous-day = Previous day
web-camera-next-day = Next day
web-camera-back = ← Live grid
web-camera-settings = Settings
web-camera-previous-event = Previous event
web-camera-previous-event-short = ‹ Event
web-camera-next-event = Next event
web-camera-next-event-short = Event ›
web-camera-unknown = There is no camera named '{ $camera }'.
web-camera-nothing-today = Nothing recorded on this day.
web-camera-tap-hint = Tap the timeline to play from that moment.
web-camera-recording-now = being recorded now
web-camera-event-at = { $what } at { $when }
web-camera-event = Event: { $what }
web-camera-caught-up = Caught up with the recording in progress: it plays on as soon as its file is written (or watch it live).
web-camera-gap-next = Nothing was recorded at { $when }; playing from the next recording.
web-camera-recording-live = That is being recorded right now: watch it on the live grid.
web-camera-gap = Nothing was recorded at { $when }.
web-camera-no-later-event = No later event on this day.
web-camera-no-earlier-event = No earlier event on this day.
# Recorded playback
web-play-no-mse = This browser cannot play recordings here (it has no Media Source Extensions).
web-play-codec = This browser cannot play this camera's video ({ $codec }); the desktop app or an export can.
web-play-stopped = Playback stopped: { $why }
# Event sources
web-source-motion = motion
web-source-external = trigger
web-source-camera = camera alarm
web-source-manual = manual
# Durations
web-duration-s = { $s } s
web-duration-min-s = { $m } min { $s } s
web-duration-h-min = { $h } h { $m } min
# Events
web-events-any-time = Any time
web-events-last-hour = Last hour
web-events-last-24h = Last 24 hours
web-events-last-7d = Last 7 days
web-events-last-30d = Last 30 days
web-events-custom = From … to …
web-events-any-source = Any source
web-events-source-motion = Motion
web-events-source-trigger = Trigger
web-events-source-camera = Camera alarm
web-events-source-manual = Manual
web-events-older = Show older events
web-events-none = No events match these filters.
web-events-all-cameras = All cameras
web-events-period = Period
web-events-from = From
web-events-to = To
web-events-source = Source
web-events-label = Label
web-events-zone = Zone
web-events-show = Show
web-events-need-period = Choose when the period starts or ends, or another period.
web-events-in-zone = in { $zone }
web-events-picture-alt = { $camera } at { $when }
web-events-play = Play
web-events-protected-title = Kept from retention
web-events-protected = Protected
web-events-going-on = going on
web-events-download = Download
web-events-unprotect = Unprotect
web-events-protect = Protect
web-events-unprotect-first = Unprotect it first
web-events-still-going-on = It is still going on
web-events-confirm-delete = Delete the { $what } event on { $camera } at { $when } and its recorded clips? This cannot be undone.
web-events-export-range = Export a range
web-events-no-camera = There is no camera to export from.
web-events-need-range = Choose when the export starts and ends.
web-events-range-order = The export must start before it ends.
# Motion zones (camera settings)
web-zones-overlay = Zones over the picture
web-zones-title = Motion zones
web-zones-hint-edit = Tap a zone (or its name below) to change it.
web-zones-none = No zones yet: motion anywhere in the picture counts.
web-zones-add = Add zone
web-zones-hint-draw = Tap the picture to add points ({ $count } so far); tap the first point or Finish to close the outline.
web-zones-finish = Finish
web-zones-undo = Undo point
web-zones-hint-drag = Drag a point to move it; then save.
web-zones-mask = mask
web-zones-detect = detect
web-zones-need-points = A zone needs at least 3 points; it has { $count }. Tap the picture to add more.
web-zones-name-label = Zone name
web-zones-name-example = e.g. driveway
web-zones-kind = Kind
web-zones-kind-detect = Detect motion here
web-zones-kind-mask = Mask: ignore motion here
web-zones-sensitivity = Sensitivity
web-zones-min-area-label = Minimum area, percent of the zone
web-zones-name = Name
web-zones-sensitivity-range = Sensitivity (0–100)
web-zones-min-area = Minimum area (% of the zone)
web-zones-save = Save zone
web-zones-min-area-bad = Minimum area: enter a percentage of the zone from 0 to 100.
web-zones-saved = Saved zone '{ $name }': the camera uses it now.
web-zones-not-saved = The zone was not saved: { $why }.
web-zones-confirm-delete = Delete the zone '{ $name }'?
web-zones-not-deleted = The zone was not deleted: { $why }.
# Administration: users
web-admin-not-allowed = Only admins may manage cameras and users; your account is a { $role }.
web-admin-title = Administration
web-admin-name = Name
web-admin-role = Role
web-admin-password = Password
web-admin-add-user = Add user
web-admin-users = Users
web-admin-add-a-user = Add a user
web-admin-users-unreadable = The users could not be read: { $why }
web-admin-role-of = Role of { $name }
web-admin-last-login = last signed in { $when }
web-admin-never-signed-in = never signed in
web-admin-added-at = added { $when }
web-admin-new-password = New password
web-admin-user-added = Added { $name }.
web-admin-role-set = { $name } is now a { $role }.
web-admin-new-password-for = New password for { $name }
web-admin-password-set = Changed the password of { $name }; their sessions have ended.
web-admin-set-password = Set password
web-admin-confirm-remove-user = Remove { $name }? Their sessions and API tokens end.
web-admin-remove-name = Remove { $name }
web-admin-removed = Removed { $name }.
# Administration: cameras
web-admin-cameras = Cameras
web-admin-add-a-camera = Add a camera
web-admin-cameras-unreadable = The cameras could not be read: { $why }
web-admin-no-cameras = No cameras yet: add one above.
web-admin-recordings-one = { $count } recording
web-admin-recordings-other = { $count } recordings
web-admin-sub-stream = sub-stream { $url }
web-admin-camera-disabled = { $name } is disabled.
web-admin-camera-enabled = { $name } is enabled.
web-admin-disable = Disable
web-admin-enable = Enable
web-admin-detect-placeholder = optional, for motion detection
web-admin-password-keep = leave empty to keep the stored one
web-admin-testing = Testing…
web-admin-test-works = Works: { $summary }
web-admin-test-fails = Does not work: { $summary }
web-admin-camera-saved = Saved { $name }.
web-admin-edit-camera = Edit { $name }
web-admin-url = URL
web-admin-sub-stream-url = Sub-stream URL
web-admin-user = User
web-admin-transport = Transport
web-admin-enabled = Enabled (recording)
web-admin-test = Test connection
web-admin-add-camera = Add camera
web-admin-camera-added = Added { $name }; it starts recording in a moment.
web-admin-confirm-remove-camera = Remove camera { $name }?
web-admin-camera-has = { $name } has { $recordings } ({ $size }). Disabling the camera keeps them.
web-admin-camera-has-none = { $name } has no recordings.
web-admin-also-delete = also delete its { $recordings }
web-admin-removing = Stopping and removing { $name }…
web-unit-mb = { $mb } MB
web-login-failed = wrong user name or password

## ==== end of web


## ==== viewer
viewer-banner-service = Recording is done by the Vigil service (pid { $pid }, user { $user }, { $dir }); this window shows its cameras and recordings.
viewer-banner-other = Recording is done by another Vigil (pid { $pid }, user { $user }, { $dir }); this window shows its cameras and recordings.
viewer-schema-older = Its library was written by an older Vigil (schema { $found }, this one knows { $known }): what is newer may be missing.
viewer-cannot-configure = Cameras and settings are changed where the recorder runs (vigil camera …, or its web viewer), not in this window: it only reads the recorder's library.
viewer-tile-no-live = The recorder holds this camera's connection: its live view is in the recorder's web viewer. Recordings are on the timeline below.
viewer-banner-stopped = The recorder of { $dir } has stopped: this window still shows its recordings; open Vigil again to record here.
viewer-tile-recorded = Recorded { $secs } s ago (the end of its newest recording). The live view is in the recorder's web viewer.
## ==== end of viewer

## ==== viewstatus
viewer-states-unknown = The recorder's camera states are unknown ({ $why }): its cameras show as stopped.
viewer-states-missing = it has not published them; an older Vigil does not
viewer-states-unreadable = its status file cannot be read: { $error }
viewer-states-corrupt = its status file is damaged
viewer-states-stale = its status file was last written { $secs } s ago, so the recorder may be hung
viewer-states-other-pid = its status file was written by pid { $pid }, which no longer records here
## ==== end of viewstatus

## ==== gaps
gap-span = No recording from { $from } to { $to } ({ $span })
gap-deleted-person = Deleted by { $who } at { $at }
gap-deleted-retention-age = Deleted by retention at { $at } (older than the camera keeps)
gap-deleted-retention-size = Deleted by retention at { $at } (over the camera's size limit)
gap-deleted-disk-floor = Deleted at { $at } because the disk was nearly full
gap-deleted-camera-removed = Deleted with its camera at { $at }
gap-deleted-file-missing = Its file was missing when Vigil started at { $at }
gap-offline = Camera offline: { $error }
gap-offline-plain = Camera offline
gap-disk-full = Disk full: recordings could not be written ({ $error })
gap-write-failed = Recordings could not be written: { $error }
gap-overloaded = The recorder fell behind (disk too slow?); the camera's stream waited
gap-paused = Recording paused
gap-off = Recording off (the camera's recording mode)
gap-disabled = Recording off (the camera is disabled)
gap-events-only = This camera records events only: nothing between events
gap-not-running-stopped = Vigil was not running (stopped at { $at })
gap-not-running-crashed = Vigil was not running (ended without stopping: crash or power loss; last seen at { $at })
gap-unknown = No record of why
clips-tab-events = Events
clips-tab-bookmarks = Bookmarks
bookmarks-search-hint = Search names and notes
bookmarks-count = { $count ->
    [one] 1 bookmark
   *[other] { $count } bookmarks
}
bookmarks-cannot-read = The bookmarks cannot be read: { $error }
bookmarks-removed = Bookmark “{ $name }” removed; its footage is kept only as long as retention allows.
bookmarks-already-gone = That bookmark was already removed.
bookmarks-cannot-remove = The bookmark could not be removed: { $error }
bookmarks-remove-question = Remove the bookmark “{ $name }”? Its footage stays until retention deletes it.
bookmarks-remove = Remove
bookmarks-keep = Keep it
bookmarks-play = Play
bookmarks-export = Export
bookmarks-at = at { $time }
bookmarks-range = from { $from } for { $span }
bookmarks-protected = protected
bookmarks-by = by { $who }
bookmark-add-button = Add bookmark…
bookmark-add-hover = Bookmark the playhead's moment, or the selected range
bookmark-add-title = Add bookmark
bookmark-camera = Camera
bookmark-name = Bookmark name
bookmark-note = Note
bookmark-protect = Protect its footage from retention
bookmark-save = Save bookmark
bookmark-at = At { $time }
bookmark-range = From { $from } to { $to } ({ $span })
bookmark-cannot-add = The bookmark was not added: { $error }
bookmark-tooltip = Bookmark “{ $name }”, { $when }
bookmark-tooltip-range = { $from } for { $span }
bookmark-tooltip-protected = Its footage is protected from retention
## ==== end of gaps
## ==== evidence
export-manifest-written = Its signed manifest is { $path } (key fingerprint { $fingerprint }).
export-manifest-failed = No signed manifest was written beside it: { $error }
export-watermark = Burn in the camera name and time (re-encodes the picture; the manifest records it)
export-running-watermark = Exporting to { $path }, re-encoding the picture to burn in the watermark
## ==== end of evidence
## ==== searchui
search-menu = Search motion here…
search-camera-unknown = Cannot search { $camera }: the library does not know this camera yet. Try again in a moment.
search-title = Motion search: { $camera }
search-close = Close
search-how-to-draw = Drag a rectangle on the picture, or click points for a polygon (click the first point to close it). Escape leaves.
search-drawing-area = Motion search region on { $camera }
search-period-hour = Last hour
search-period-day = Last 24 h
search-period-week = Last 7 days
search-period-window = Timeline window
search-period-selection = Selection
search-run = Search
search-cancel = Cancel
search-draw-first = Draw a region on the picture first: drag a rectangle or click a polygon.
search-no-selection = There is no selection on the timeline: shift-drag a range on it, or choose another period.
search-no-library = There is no library to search.
search-cancelled = The search was cancelled.
search-failed = The search failed: { $error }
search-no-index = There is no motion index in this period: the camera was not analysed then.
search-no-index-before = No index before { $at }: motion before then cannot be searched.
search-nothing-moved = No motion in this region in { $from } – { $to }.
search-hits = { $count ->
    [one] 1 moment with motion
   *[other] { $count } moments with motion
}
search-hit = { $at } · { $span } · { $percent }% of the region
search-region-refused = This region cannot be searched: { $error }.
## ==== end of searchui
## ==== audioexport
export-no-sound = Leave the sound out
export-sound = with sound ({ $format })
export-silent = no sound from { $from } to { $to } (recorded in another sound format)
## ==== end of audioexport
## ==== audioin
setup-record-sound = Record sound
setup-record-sound-note = Recording sound may be restricted by law where this camera is.
## ==== end of audioin

## Sound (audio/): playback and live listening
sound-no-output = No sound output: { $reason }
sound-no-device = no audio device was found
sound-no-such-device = no audio device is named { $name }
sound-device-busy = the audio device cannot play ({ $error })
sound-mute = Mute this camera's sound
sound-unmute = Unmute this camera's sound
sound-volume = Volume
sound-listen = Listen
sound-listen-hover = Play this camera's live sound
sound-off-for-camera = Sound is off for this camera
sound-speaker = Sound of { $camera }
sound-volume-of = Volume of { $camera }
sound-thread-failed = its thread cannot start ({ $error })
sound-thread-ended = its thread ended
sound-device-failed = the audio device failed ({ $error })
sound-cannot-list = cannot list the audio devices ({ $error })
