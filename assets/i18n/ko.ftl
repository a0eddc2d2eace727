# Vigil's words in Korean (한국어): Project Fluent syntax (https://projectfluent.org/fluent/guide/).
# Every key here has its twin in the other languages' files; `cargo test -p vigil-app i18n`
# checks that, and that the app's code uses no text outside the catalogue.


## ==== common: Common words (lead). Shared by every part of the app: prefer these keys.

common-cancel = 취소
common-save = 저장
common-ok = 확인
common-close = 닫기
common-add = 추가
common-edit = 편집
common-remove = 제거
common-delete = 삭제
common-apply = 적용
common-browse = 찾아보기…
common-retry = 다시 시도
common-yes = 예
common-no = 아니요
common-on = 켜짐
common-off = 꺼짐
common-camera = 카메라
common-cameras = 카메라 { $count }대

## ==== end of common


## ==== names-fonts-language: Names, fonts, language and date settings (helper fonts-lang)

language-menu = 언어
language-menu-hint = 인터페이스 언어입니다. "시스템 언어"는 컴퓨터의 로캘 설정을 따릅니다.
language-follow-system = 시스템 언어 ({ $language })
language-save-failed = 언어 설정을 { $path }에 저장할 수 없습니다: { $error }

## ==== end of names-fonts-language


## ==== camera-setup: Camera dialog, recording policy, objects, app shell and menus (helper strings-setup)


## ==== end of camera-setup


## ==== live: Live grid, tiles, zones, layouts, status, monitor, timeline, clips, recorded, video (helper strings-live)


## ==== end of live


## ==== settings-playback: MQTT settings, export, replay, tour (helper fonts-lang)


## ==== end of settings-playback


## ==== web: Web viewer: keys start with web- (helper web-i18n)


## ==== end of web

