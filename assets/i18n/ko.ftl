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


## ==== end of names-fonts-language


## ==== camera-setup: Camera dialog, recording policy, objects, app shell and menus (helper strings-setup)


## ==== end of camera-setup


## ==== live: Live grid, tiles, zones, layouts, status, monitor, timeline, clips, recorded, video (helper strings-live)


## ==== end of live


## ==== settings-playback: MQTT settings, export, replay, tour (helper fonts-lang)


## ==== end of settings-playback


## ==== web: Web viewer: keys start with web- (helper web-i18n)
# The login page and the shell
web-login-title = Vigil — 로그인
web-login-lead = 로그인하여 카메라를 확인하세요.
web-login-name = 사용자 이름
web-login-password = 비밀번호
web-login-submit = 로그인
web-login-note = 계정은 레코더에서 다음 명령으로 만듭니다:
web-language = 언어
web-nav-live = 라이브
web-nav-events = 이벤트
web-nav-audit = 감사 로그
web-nav-admin = 관리
web-sign-out = 로그아웃
web-who = { $name } ({ $role })
web-role-viewer = 뷰어
web-role-operator = 운영자
web-role-admin = 관리자
web-session-ended = 세션이 만료되었습니다
# Units
web-unit-s = 초
web-unit-days = 일
web-unit-gb = GB
# Camera settings: recording policy
web-settings-mode-off = 끄기 (녹화 안 함)
web-settings-mode-continuous = 연속 녹화
web-settings-mode-events = 이벤트 녹화 (모션, 트리거)
web-settings-mode-both = 연속 녹화 및 이벤트 녹화
web-settings-segment = 세그먼트 길이
web-settings-retain = 녹화 보존 기간
web-settings-max-bytes = 디스크 한도 (비우면 제한 없음)
web-settings-pre-event = 사전 녹화
web-settings-post-event = 사후 녹화
web-settings-max-clip = 최대 클립 길이
web-settings-event-retain = 이벤트 보존 기간
web-settings-saved-off = 녹화하지 않습니다
web-settings-saved-continuous = 연속 녹화합니다
web-settings-saved-events = 이벤트를 녹화합니다
web-settings-saved-both = 연속 녹화와 이벤트 녹화를 합니다
web-settings-back = ← 카메라
web-settings-title = { $name } 설정
web-settings-not-allowed = 계정({ $name })에 카메라 설정 변경 권한이 없습니다. 관리자에게 문의하세요.
web-settings-record = 녹화
web-settings-save = 정책 저장
web-settings-continuous = 연속 녹화
web-settings-event-clips = 이벤트 클립
web-settings-policy = 녹화 정책
web-settings-need-gb = { $label }: GB 단위 숫자를 입력하거나, 제한이 없으면 비워 두세요.
web-settings-need-seconds = { $label }: 초 단위 숫자를 입력하세요.
web-settings-need-days = { $label }: 일 단위 숫자를 입력하세요.
web-settings-saved = 저장했습니다. 이제 카메라가 { $what }.
web-settings-not-saved = 정책을 저장하지 못했습니다: { $why }.
# Audit trail
web-audit-kind-everything = 전체
web-audit-kind-logins = 로그인
web-audit-kind-failed-logins = 로그인 실패
web-audit-kind-exports = 내보내기
web-audit-kind-deletions = 삭제
web-audit-kind-users-added = 사용자 추가
web-audit-kind-roles-changed = 역할 변경
web-audit-kind-users-removed = 사용자 삭제
web-audit-kind-passwords-changed = 비밀번호 변경
web-audit-kind-cameras-added = 카메라 추가
web-audit-kind-cameras-edited = 카메라 편집
web-audit-kind-cameras-renamed = 카메라 이름 변경
web-audit-kind-cameras-enabled = 카메라 사용
web-audit-kind-cameras-disabled = 카메라 사용 안 함
web-audit-kind-cameras-removed = 카메라 삭제
web-audit-kind-tokens-added = 토큰 추가
web-audit-kind-tokens-removed = 토큰 삭제
web-audit-kind-policies = 녹화 정책
web-audit-kind-zones-added = 영역 추가
web-audit-kind-zones-changed = 영역 변경
web-audit-kind-zones-removed = 영역 삭제
web-audit-kind = 항목 종류
web-audit-when = 시간
web-audit-who = 사용자
web-audit-what = 작업
web-audit-detail = 세부 정보
web-audit-from = 접속 주소
web-audit-title = 감사 로그
web-audit-empty = 해당 항목이 아직 없습니다.
web-audit-command-line = (명령줄)
# Camera states (as /api/cameras names them)
web-state-connecting = 연결 중
web-state-connected = 연결됨
web-state-recording = 녹화 중
web-state-retrying = 재시도 중
web-state-waiting = 대기 중
web-state-disabled = 사용 안 함
web-state-stopped = 중지됨
# Live grid
web-live-no-cameras = 카메라가 없습니다. "vigil camera add" 명령이나 데스크톱 앱에서 추가하세요.
web-live-status-unavailable = 카메라 상태를 가져올 수 없습니다: { $why }
web-live-connecting = 연결 중…
web-live-sd = SD
web-live-snapshot-alt = { $camera }: 최근 이벤트 사진
web-live-sub-stream = 보조 스트림 { $width }×{ $height }
web-live-offline = 오프라인: { $why }
web-live-snapshot-note = 사진: 최근 이벤트, { $when }.
web-live-recording = 녹화 중
web-live-rec = ● 녹화
web-live-motion = 모션
web-live-problem = 문제
web-live-no-mse = 이 브라우저는 라이브 영상을 재생할 수 없습니다 (Media Source Extensions 미지원).
web-live-reconnecting = 다시 연결 중…
web-live-reconnecting-why = { $why }: 다시 연결 중…
web-live-buffer-stuck = 영상 버퍼가 멈췄습니다
web-live-unplayable = 이 카메라의 영상을 표시할 수 없습니다: { $why }
web-live-hevc = 이 카메라는 H.265 영상({ $codec })을 보내며, 이 브라우저는 이를 라이브로 재생할 수 없습니다. 녹화 영상은 내보낼 수 있으며, H.264 보조 스트림은 여기서 재생됩니다.
web-live-codec = 이 브라우저는 이 카메라의 영상({ $codec })을 재생할 수 없습니다.
web-live-refused = 브라우저가 영상을 거부했습니다 ({ $error })
# One camera: timeline and recordings
web-camera-zoom-24h = 24시간
web-camera-zoom-6h = 6시간
web-camera-zoom-1h = 1시간
web-camera-zoom-10min = 10분
web-camera-no-name = 이 주소에는 카메라가 지정되어 있지 않습니다.
web-camera-choose-one = 라이브 화면에서 카메라를 선택하세요.
web-camera-bad-time = 주소의 시간 '{ $time }'이(가) 올바른 시간(1970년 이후 마이크로초)이 아닙니다. 오늘을 표시합니다.
web-camera-day = 날짜
web-camera-zoom = 타임라인 확대/축소
web-camera-play = 재생
web-camera-pause = 일시 정지
web-camera-speed = 재생 속도
web-camera-previous-day = 이전 날짜
web-camera-next-day = 다음 날짜
web-camera-back = ← 라이브 화면
web-camera-settings = 설정
web-camera-previous-event = 이전 이벤트
web-camera-previous-event-short = ‹ 이벤트
web-camera-next-event = 다음 이벤트
web-camera-next-event-short = 이벤트 ›
web-camera-unknown = '{ $camera }' 카메라가 없습니다.
web-camera-nothing-today = 이 날짜에 녹화된 영상이 없습니다.
web-camera-tap-hint = 타임라인을 누르면 해당 시점부터 재생합니다.
web-camera-recording-now = 현재 녹화 중
web-camera-event-at = { $when } { $what }
web-camera-event = 이벤트: { $what }
web-camera-caught-up = 진행 중인 녹화에 도달했습니다. 파일이 기록되는 대로 계속 재생합니다 (또는 라이브로 보세요).
web-camera-gap-next = { $when }에 녹화된 영상이 없습니다. 다음 녹화부터 재생합니다.
web-camera-recording-live = 지금 녹화 중인 시점입니다. 라이브 화면에서 보세요.
web-camera-gap = { $when }에 녹화된 영상이 없습니다.
web-camera-no-later-event = 이 날짜에 이후 이벤트가 없습니다.
web-camera-no-earlier-event = 이 날짜에 이전 이벤트가 없습니다.
# Recorded playback
web-play-no-mse = 이 브라우저는 여기서 녹화 영상을 재생할 수 없습니다 (Media Source Extensions 미지원).
web-play-codec = 이 브라우저는 이 카메라의 영상({ $codec })을 재생할 수 없습니다. 데스크톱 앱이나 내보내기를 이용하세요.
web-play-stopped = 재생이 중지되었습니다: { $why }
# Event sources
web-source-motion = 모션
web-source-external = 트리거
web-source-camera = 카메라 알람
web-source-manual = 수동
# Durations
web-duration-s = { $s }초
web-duration-min-s = { $m }분 { $s }초
web-duration-h-min = { $h }시간 { $m }분
# Events
web-events-any-time = 전체 기간
web-events-last-hour = 최근 1시간
web-events-last-24h = 최근 24시간
web-events-last-7d = 최근 7일
web-events-last-30d = 최근 30일
web-events-custom = 기간 지정…
web-events-any-source = 모든 소스
web-events-source-motion = 모션
web-events-source-trigger = 트리거
web-events-source-camera = 카메라 알람
web-events-source-manual = 수동
web-events-older = 이전 이벤트 더 보기
web-events-none = 조건에 맞는 이벤트가 없습니다.
web-events-all-cameras = 모든 카메라
web-events-period = 기간
web-events-from = 시작
web-events-to = 종료
web-events-source = 소스
web-events-label = 레이블
web-events-zone = 영역
web-events-show = 검색
web-events-need-period = 기간의 시작 또는 종료 시간을 선택하거나 다른 기간을 선택하세요.
web-events-in-zone = { $zone } 영역
web-events-picture-alt = { $camera }, { $when }
web-events-play = 재생
web-events-protected-title = 보존 기간이 지나도 삭제되지 않습니다
web-events-protected = 보호됨
web-events-going-on = 진행 중
web-events-download = 다운로드
web-events-unprotect = 보호 해제
web-events-protect = 보호
web-events-unprotect-first = 먼저 보호를 해제하세요
web-events-still-going-on = 아직 진행 중입니다
web-events-confirm-delete = { $camera }의 { $when } { $what } 이벤트와 녹화 클립을 삭제하시겠습니까? 이 작업은 되돌릴 수 없습니다.
web-events-export-range = 구간 내보내기
web-events-no-camera = 내보낼 카메라가 없습니다.
web-events-need-range = 내보낼 구간의 시작과 종료 시간을 선택하세요.
web-events-range-order = 내보내기 시작 시간은 종료 시간보다 빨라야 합니다.
# Motion zones (camera settings)
web-zones-overlay = 영상 위의 영역
web-zones-title = 모션 감지 영역
web-zones-hint-edit = 변경할 영역(또는 아래의 영역 이름)을 누르세요.
web-zones-none = 영역이 없습니다. 화면 전체의 모션을 감지합니다.
web-zones-add = 영역 추가
web-zones-hint-draw = 화면을 눌러 점을 추가하세요 (현재 { $count }개). 첫 번째 점이나 완료를 누르면 윤곽이 닫힙니다.
web-zones-finish = 완료
web-zones-undo = 점 취소
web-zones-hint-drag = 점을 끌어 이동한 다음 저장하세요.
web-zones-mask = 마스크
web-zones-detect = 감지
web-zones-need-points = 영역에는 점이 3개 이상 필요합니다 (현재 { $count }개). 화면을 눌러 점을 추가하세요.
web-zones-name-label = 영역 이름
web-zones-name-example = 예: 진입로
web-zones-kind = 종류
web-zones-kind-detect = 이 영역에서 모션 감지
web-zones-kind-mask = 마스크: 이 영역의 모션 무시
web-zones-sensitivity = 감도
web-zones-min-area-label = 최소 면적 (영역 대비 %)
web-zones-name = 이름
web-zones-sensitivity-range = 감도 (0–100)
web-zones-min-area = 최소 면적 (영역 대비 %)
web-zones-save = 영역 저장
web-zones-min-area-bad = 최소 면적: 0에서 100 사이의 백분율을 입력하세요.
web-zones-saved = '{ $name }' 영역을 저장했습니다. 이제 카메라에 적용됩니다.
web-zones-not-saved = 영역을 저장하지 못했습니다: { $why }.
web-zones-confirm-delete = '{ $name }' 영역을 삭제하시겠습니까?
web-zones-not-deleted = 영역을 삭제하지 못했습니다: { $why }.
# Administration: users
web-admin-not-allowed = 카메라와 사용자는 관리자만 관리할 수 있습니다. 현재 계정의 역할: { $role }.
web-admin-title = 관리
web-admin-name = 이름
web-admin-role = 역할
web-admin-password = 비밀번호
web-admin-add-user = 사용자 추가
web-admin-users = 사용자
web-admin-add-a-user = 사용자 추가
web-admin-users-unreadable = 사용자 목록을 읽지 못했습니다: { $why }
web-admin-role-of = { $name }의 역할
web-admin-last-login = 마지막 로그인 { $when }
web-admin-never-signed-in = 로그인 기록 없음
web-admin-added-at = 추가됨 { $when }
web-admin-new-password = 새 비밀번호
web-admin-user-added = { $name } 사용자를 추가했습니다.
web-admin-role-set = { $name }의 역할이 { $role }(으)로 변경되었습니다.
web-admin-new-password-for = { $name }의 새 비밀번호
web-admin-password-set = { $name }의 비밀번호를 변경했습니다. 기존 세션은 종료되었습니다.
web-admin-set-password = 비밀번호 설정
web-admin-confirm-remove-user = { $name } 사용자를 삭제하시겠습니까? 세션과 API 토큰이 모두 종료됩니다.
web-admin-remove-name = { $name } 삭제
web-admin-removed = { $name }을(를) 삭제했습니다.
# Administration: cameras
web-admin-cameras = 카메라
web-admin-add-a-camera = 카메라 추가
web-admin-cameras-unreadable = 카메라 목록을 읽지 못했습니다: { $why }
web-admin-no-cameras = 카메라가 없습니다. 위에서 추가하세요.
web-admin-recordings-one = 녹화 { $count }개
web-admin-recordings-other = 녹화 { $count }개
web-admin-sub-stream = 보조 스트림 { $url }
web-admin-camera-disabled = { $name } 카메라를 사용 안 함으로 설정했습니다.
web-admin-camera-enabled = { $name } 카메라를 사용하도록 설정했습니다.
web-admin-disable = 사용 안 함
web-admin-enable = 사용
web-admin-detect-placeholder = 선택 사항, 모션 감지용
web-admin-password-keep = 비워 두면 저장된 비밀번호를 유지합니다
web-admin-testing = 테스트 중…
web-admin-test-works = 정상: { $summary }
web-admin-test-fails = 연결 실패: { $summary }
web-admin-camera-saved = { $name } 카메라를 저장했습니다.
web-admin-edit-camera = { $name } 편집
web-admin-url = URL
web-admin-sub-stream-url = 보조 스트림 URL
web-admin-user = 사용자
web-admin-transport = 전송 방식
web-admin-enabled = 사용 (녹화)
web-admin-test = 연결 테스트
web-admin-add-camera = 카메라 추가
web-admin-camera-added = { $name } 카메라를 추가했습니다. 곧 녹화를 시작합니다.
web-admin-confirm-remove-camera = { $name } 카메라를 삭제하시겠습니까?
web-admin-camera-has = { $name } 카메라에 { $recordings }({ $size })이(가) 있습니다. 카메라를 사용 안 함으로 설정하면 녹화가 유지됩니다.
web-admin-camera-has-none = { $name } 카메라에 녹화가 없습니다.
web-admin-also-delete = { $recordings }도 함께 삭제
web-admin-removing = { $name } 중지 및 삭제 중…
web-unit-mb = { $mb } MB
web-login-failed = 사용자 이름 또는 비밀번호가 올바르지 않습니다

## ==== end of web

