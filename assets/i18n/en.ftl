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


## ==== end of settings-playback


## ==== web: Web viewer: keys start with web- (helper web-i18n)


## ==== end of web

