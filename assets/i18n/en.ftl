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


## ==== end of camera-setup


## ==== live: Live grid, tiles, zones, layouts, status, monitor, timeline, clips, recorded, video (helper strings-live)


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


## ==== end of web

