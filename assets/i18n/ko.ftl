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

# MQTT settings window (mqtt_settings/)
mqtt-title = MQTT 설정
mqtt-connected = 브로커에 연결되었습니다.
mqtt-connecting = 브로커에 연결 중…
mqtt-not-connected = 브로커에 연결되지 않았습니다: { $why }
mqtt-cannot-open = MQTT 설정을 열 수 없습니다: { $error }
mqtt-saved = MQTT 설정을 저장했습니다 (브로커 { $broker })
mqtt-turned-off = MQTT를 껐습니다
mqtt-on-hint = MQTT 사용 중입니다. 실행 중인 녹화기가 이 설정을 사용합니다.
mqtt-off-hint = MQTT가 꺼져 있습니다. 브로커를 입력하고 저장하면 켜집니다.
mqtt-publishes-hint = Vigil은 카메라의 모션, 녹화, 이벤트를 토픽 접두어 아래에 게시합니다. 트리거 소스는 각 카메라의 녹화 정책에서 설정합니다.
mqtt-password-stored-hint = ******** (저장됨, 유지하려면 비워 두세요)
mqtt-none = 없음
mqtt-broker = 브로커
mqtt-user = 사용자
mqtt-password = 비밀번호
mqtt-remove-password = 저장된 비밀번호 삭제
mqtt-client-id = 클라이언트 ID
mqtt-topic-prefix = 토픽 접두어
mqtt-ha-discovery = Home Assistant 자동 검색 게시
mqtt-cannot-save-yet = 아직 저장할 수 없습니다: { $reason }
mqtt-turn-off = MQTT 끄기
mqtt-saving = 저장 중…
mqtt-confirm-off = MQTT를 끄시겠습니까? 브로커 설정과 비밀번호는 삭제되며, 트리거 소스는 유지되어 다시 켤 때까지 대기합니다.
mqtt-confirm-off-yes = 예, MQTT 끄기
mqtt-keep-on = 계속 사용
mqtt-broker-missing = 브로커 주소를 입력하세요 (예: mqtt://192.168.1.5:1883)
mqtt-password-needs-user-or-remove = 비밀번호에는 사용자가 필요합니다: 사용자를 입력하거나 "저장된 비밀번호 삭제"를 선택하세요
mqtt-password-needs-user = 비밀번호에는 사용자가 필요합니다: 사용자를 입력하세요

# Export strip and save dialog (export/)
export-cannot = 내보낼 수 없습니다: { $error }
export-stopped-unexpectedly = 내보내기가 예기치 않게 중단되었습니다
export-nothing-recorded = 이 화면에는 내보낼 녹화 영상이 없습니다
export-no-file-chosen = 내보내기 취소: 파일을 선택하지 않았습니다
export-wrote = { $path } 저장 완료: { $summary }
export-failed = 내보내기 실패: { $error }
export-planning = 내보내기: 녹화 영상을 찾는 중…
export-picking = 내보내기: MP4를 저장할 위치를 선택하세요…
export-running = { $path }(으)로 내보내는 중
export-cancel = 내보내기 취소
export-dismiss = 닫기
export-dialog-title = MP4로 내보내기
export-dialog-filter = MP4 동영상
export-summary = { $length } ({ $size } MB), { $start }
export-seconds = { $value }초
export-starts-before = 요청한 시각보다 { $lead } 앞선 키프레임에서 시작합니다
export-starts-exact = 요청한 시각(키프레임)에 정확히 시작합니다
export-starts-after = 요청한 시각보다 { $lead } 늦게 시작합니다 (그 전에는 녹화가 없습니다)
export-gaps = 빈 구간 { $count }개({ $length }) 제외
export-ends-early = 요청한 종료 시각보다 { $short } 일찍 끝납니다 (그 이후 완료된 녹화가 없습니다)

# Instant replay in a tile (replay.rs)
replay-no-recordings = 다시보기 불가: 이 화면에는 녹화 영상이 없습니다
replay-starting = 다시보기 시작 중…
replay-in-gap = 이 구간에는 녹화가 없습니다
replay-cannot = 다시보기를 할 수 없습니다: { $error }
replay-label = 다시보기 { $behind }
replay-back-to-live = 실시간으로 돌아가기
replay-no-camera = 다시보기 불가: 카메라 '{ $name }'이(가) 없습니다
replay-failed = 다시보기 불가: { $error }
replay-nothing-recorded = 최근 30초 동안 녹화된 영상이 없습니다
replay-nothing-events-only = 최근 30초 동안 녹화된 영상이 없습니다: 이 카메라는 이벤트 전후만 녹화합니다
replay-nothing-not-recording = 최근 30초 동안 녹화된 영상이 없습니다: 이 카메라는 녹화하지 않습니다

# Tours: the menu, the running bar and the editor (tour/)
tour-menu = 투어
tour-none-yet = 투어가 없습니다.
tour-start = 투어 시작: { $name }
tour-edit-menu = 투어 편집…
tour-stop = 투어 중지
tour-running = 투어 { $name }: { $steps }단계 중 { $step }단계
tour-paused = 투어 일시 중지 — { $seconds }초 후 재개
tour-resume = 재개
tour-cannot-read = 투어를 읽을 수 없습니다: { $error }
tour-has-no-steps = 투어 '{ $name }'에 단계가 없습니다
tour-editor-title = 투어 편집
tour-saved = 투어 '{ $name }'을(를) 저장했습니다
tour-deleted = 투어 '{ $name }'을(를) 삭제했습니다
tour-picker = 투어:
tour-new = 새 투어
tour-steps = 단계
tour-name = 투어 이름
tour-dwell = 단계당 시간(초)
tour-seconds-suffix = 초
tour-save = 투어 저장
tour-delete = 투어 삭제
tour-step-layout = 레이아웃 { $name } ({ $kind })
tour-step-removed-layout = 삭제된 레이아웃 (ID { $id })
tour-step-camera = 카메라 { $name }
tour-step-removed-camera = 삭제된 카메라 (ID { $id })
tour-no-steps = 단계가 없습니다: 저장된 레이아웃이나 카메라를 추가하세요.
tour-step-up = 위로
tour-step-down = 아래로
tour-step-remove = { $number }단계 제거
tour-add-step = 단계 추가…
tour-no-layouts = 저장된 레이아웃이 없습니다.

## ==== end of settings-playback


## ==== web: Web viewer: keys start with web- (helper web-i18n)


## ==== end of web

