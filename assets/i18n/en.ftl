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


## ==== end of live


## ==== settings-playback: MQTT settings, export, replay, tour (helper fonts-lang)


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

