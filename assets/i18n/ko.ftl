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

# App shell: top bar, tile menu, problems
app-menu-edit-camera = 카메라 편집…
app-menu-policy = 녹화 정책…
app-menu-zones = 영역 그리기…
app-menu-disable = 비활성화
app-menu-enable = 활성화
app-menu-remove = 제거…
app-menu-instant-replay = 즉시 재생 (최근 30초)
app-enable-failed = ‘{ $name }’ 카메라를 활성화할 수 없습니다: { $error }
app-disable-failed = ‘{ $name }’ 카메라를 비활성화할 수 없습니다: { $error }
app-no-recordings-to-export = 이 화면에는 내보낼 녹화가 없습니다
app-view-cannot-configure = 이 화면에서는 설정을 변경할 수 없습니다
app-back-to-grid = 그리드로 돌아가기 (Esc)
app-add-camera = + 카메라 추가
app-clips = 클립
app-new-window = 새 창
app-dismiss = 닫기
app-clear-cell = 셀 비우기

# Camera dialog
setup-cannot-yet = 아직 { $action }할 수 없습니다: { $reason }
setup-test-lost = 연결 테스트가 예기치 않게 중단되었습니다
setup-all-files = 모든 파일
setup-add-camera-title = 카메라 추가
setup-edit-camera-title = 카메라 편집: { $name }
setup-recording-policy = 녹화 정책
setup-find-login-hint = 위에 카메라의 사용자와 비밀번호를 입력한 뒤 카메라를 다시 선택하면 스트림 URL이 채워집니다.
setup-name = 이름
setup-detect-url = 감지용 서브 스트림 URL
setup-optional = 선택 사항
setup-transport = 전송 방식
setup-user = 사용자
setup-password = 비밀번호
setup-credentials-note = 사용자와 비밀번호는 여기 표시되는 URL에서 빠지며, 감지용 서브 스트림에도 사용됩니다.
setup-test-connection = 연결 테스트
setup-testing = 테스트 중…
setup-test-works = 연결 성공: { $summary }
setup-test-failed = 연결 실패: { $error }
setup-policy-problem = 녹화 정책: { $error }
setup-saving = 저장 중…
setup-camera-added = ‘{ $name }’ 카메라를 추가했습니다
setup-camera-saved = ‘{ $name }’ 카메라를 저장했습니다
setup-live-url-not-saved = 카메라는 저장했지만 라이브 서브 스트림 URL은 저장하지 못했습니다: { $error }
setup-onvif-not-saved = 카메라는 저장했지만 ONVIF 설정은 저장하지 못했습니다: { $error }
setup-cannot-edit = ‘{ $name }’ 카메라를 편집할 수 없습니다: { $error }
setup-cannot-edit-policy = ‘{ $name }’ 카메라의 녹화 정책을 편집할 수 없습니다: { $error }
setup-cannot-remove = ‘{ $name }’ 카메라를 제거할 수 없습니다: { $error }

# Camera dialog: Find cameras…
setup-find-lost = 검색이 예기치 않게 중단되었습니다
setup-find-failed = 검색하지 못했습니다: { $error }.
setup-find-read-lost = 읽기가 예기치 않게 중단되었습니다
setup-find-read-failed = 스트림 URL을 읽을 수 없습니다({ $url }): { $error }.
setup-find-cameras = 카메라 찾기…
setup-find-hover = 로컬 네트워크에서 ONVIF 카메라를 검색합니다 (WS-Discovery)
setup-find-searching = ONVIF 카메라 검색 중 ({ $seconds }초)…
setup-find-reading = 스트림 URL 읽는 중…
setup-find-unknown-model = 알 수 없는 모델
setup-find-no-name = (이름 없음)

# Camera dialog: live sub-stream
setup-live-read-failed = 라이브 서브 스트림 URL을 읽을 수 없습니다: { $error }
setup-live-still-reading = 라이브 서브 스트림 URL을 아직 읽는 중입니다
setup-live-problem = 라이브 서브 스트림: { $error }
setup-live-url = 라이브 서브 스트림 URL (선택 사항)
setup-reading-lower = 읽는 중…
setup-live-note = 라이브 서브 스트림은 작은 라이브 타일에만 사용됩니다. 비어 있으면 감지용 서브 스트림이 대신 사용됩니다.

# Camera dialog: ONVIF
setup-onvif-read-failed = ONVIF 설정을 읽을 수 없습니다: { $error }
setup-onvif-still-reading = ONVIF 설정을 아직 읽는 중입니다
setup-onvif-port-error = ONVIF 포트는 1에서 65535 사이의 숫자여야 합니다 (보통 { $default })
setup-onvif-reading = ONVIF 설정 읽는 중…
setup-onvif-on = 카메라의 ONVIF 이벤트 사용
setup-onvif-port = ONVIF 포트
setup-onvif-user = ONVIF 사용자
setup-onvif-user-hint = 스트림 사용자
setup-onvif-password = ONVIF 비밀번호
setup-onvif-password-hint = 스트림 비밀번호
setup-motion-events = 모션 이벤트
setup-motion-from-vigil = Vigil 모션 감지
setup-motion-from-camera = 카메라 모션 감지
setup-motion-from-both = 둘 다 사용
setup-onvif-note = ONVIF 사용자와 비밀번호를 비워 두면 스트림 사용자로 로그인합니다.

# Recording policy editor
setup-record = 녹화
setup-mode = { $mode ->
    [off] 사용 안 함
    [continuous] 연속 녹화
    [events] 이벤트 녹화
   *[both] 연속 + 이벤트
}
setup-example = 예: { $example }
setup-segment-length = 세그먼트 길이
setup-keep-days = 보존 기간 (일)
setup-max-disk = 최대 디스크 (GB)
setup-max-disk-hint = 비워 두면 제한 없음
setup-pre-event = 사전 녹화
setup-post-event = 사후 녹화
setup-max-clip = 최대 클립 길이
setup-keep-events-days = 이벤트 보존 기간 (일)
setup-policy-saved = ‘{ $name }’ 카메라의 녹화 정책을 저장했습니다
setup-objects-not-saved = 녹화 정책은 저장했지만 객체 설정은 저장하지 못했습니다: { $error }
setup-policy-title = 녹화 정책: { $name }
setup-policy-note = 저장하면 즉시 적용됩니다: 진행 중인 녹화가 끝나고 새 녹화가 시작됩니다.
setup-out-of-range = { $value }: 범위를 벗어났습니다. { $min }~{ $max } 사이로 입력하세요
setup-days-range = 0보다 크고 { $max }일 이하로 입력하세요
setup-not-days = 올바른 일수가 아닙니다: ‘{ $raw }’
setup-gb-range = 0 GB보다 큰 값을 입력하거나, 제한하지 않으려면 비워 두세요
setup-not-gb = 올바른 GB 값이 아닙니다: ‘{ $raw }’. 제한하지 않으려면 비워 두세요
setup-prebuffer-too-big = 사전 녹화 { $pre }: { $bitrate }에서 메모리 약 { $size } 필요, 한도 { $limit } (이 비트레이트에서 최대 { $max })
setup-clip-longer = 사전 녹화 시간({ $pre })보다 길어야 합니다

# Recording policy editor: the disk and memory estimate
setup-estimate-off = 녹화하지 않음: 디스크를 사용하지 않습니다
setup-estimate-no-bitrate = 아직 측정된 비트레이트가 없습니다: 카메라 영상이 들어오면 예상치가 표시됩니다
setup-estimate-capped = { $cap } 한도에서 약 { $days }일 보관 (요청한 { $keep }일보다 짧음)
setup-estimate-within = { $keep }일 보관에 약 { $size } 필요 ({ $cap } 한도 이내)
setup-estimate-needs = { $keep }일 보관에 약 { $size } 필요
setup-estimate-continuous = 연속 녹화: { $bitrate }에서 하루 약 { $size }
setup-estimate-events = 이벤트 녹화: { $bitrate }에서 이벤트 1시간당 약 { $size }. 저장량은 이벤트 발생량에 따라 다릅니다 ({ $days }일 보관)
setup-estimate-clip = 클립당 최소 { $seconds }초 (사전 + 사후) ≈ { $size }
setup-estimate-prebuffer = 사전 녹화 버퍼: 메모리 약 { $size } ({ $seconds }초 보관: 사전 녹화 + 여유 { $margin }초)

# Recording policy editor: objects
setup-objects-problem = 객체: { $error }
setup-objects = 객체 감지
setup-objects-on = 사람이 감지될 때만 이벤트 녹화
setup-objects-cannot-run = 객체 감지기를 실행할 수 없습니다: { $error }. 문제가 해결될 때까지 이벤트는 모션 감지만으로 발생합니다.
setup-object-labels = 객체 레이블
setup-min-score = 최소 점수
setup-min-size = 최소 크기
setup-min-size-hint = 화면 대비, 예: 0.1%
setup-model = 모델
setup-model-builtin = 내장 사람 감지기
setup-model-onnx = ONNX 모델 파일
setup-objects-note = 이 경우 모션만으로는 이벤트가 시작되지 않습니다: 객체가 감지 영역 안에 있어야 합니다. 더 많이 감지하려면 점수를 낮추고, 오경보를 줄이려면 높이세요.
setup-model-file = 모델 파일
setup-format = 형식
setup-labels-file = 레이블 파일
setup-choose-model = ONNX 모델 선택
setup-model-filter = ONNX 모델
setup-choose-labels = 레이블 파일 선택
setup-labels-filter = 레이블
setup-browse-for = 찾아보기… ({ $what })

# Recording policy editor: remove a camera
setup-remove-summary = ‘{ $name }’ 카메라에 녹화 { $count }개({ $size })가 있습니다. 카메라를 비활성화하면 녹화는 유지됩니다.
setup-remove-summary-none = ‘{ $name }’ 카메라에 녹화가 없습니다.
setup-remove-delete-label = 녹화 { $count }개({ $size })도 함께 삭제
setup-remove-blocked = 녹화도 삭제하려면 확인란을 선택하고, 아니면 카메라를 비활성화하세요
setup-remove-title = ‘{ $name }’ 카메라를 제거할까요?
setup-removing = 카메라 제거 중…
setup-disabling = 카메라 비활성화 중…
setup-stopping = 카메라 정지 중…
setup-deleting = 녹화 삭제 중…
setup-removed = ‘{ $name }’ 카메라를 제거했습니다
setup-removed-with-recordings = ‘{ $name }’ 카메라와 녹화 { $count }개를 제거했습니다

# Recording policy editor: trigger sources
setup-trigger-name-taken = 이 카메라에 같은 이름의 트리거 소스가 이미 있습니다: ‘{ $name }’
setup-trigger-need-name = 이름을 입력하세요
setup-trigger-need-topic = MQTT 토픽을 입력하세요
setup-trigger-need-condition = 조건을 입력하세요
setup-trigger-means-payload = 해석: 메시지 전체가 ‘{ $payload }’이면 활성, 다른 메시지가 오면 이벤트가 끝납니다
setup-trigger-means-field = 해석: JSON 필드 ‘{ $path }’ 값이 { $kind ->
        [text] 텍스트 "{ $value }"
       *[other] { $value }
    }{ $op ->
        [ne] 이(가) 아니면
        [gt] 보다 크면
        [ge] {" "}이상이면
        [lt] 보다 작으면
        [le] {" "}이하이면
       *[eq] 이면
    } 활성, 반대 조건이면 이벤트가 끝나며 이 필드가 없는 메시지는 무시합니다
setup-trigger-ends-never = 반대 메시지가 올 때
setup-trigger-ends-after = 반대 메시지가 오거나 { $hold } 후
setup-trigger-ends-after-s = 반대 메시지가 오거나 { $seconds }초 후
setup-triggers-read-failed = 트리거 소스를 읽을 수 없습니다: { $error }
setup-trigger-added = 트리거 소스를 추가했습니다: ‘{ $name }’
setup-trigger-removed = 트리거 소스를 제거했습니다: ‘{ $name }’
setup-triggers = 트리거 소스
setup-triggers-note = MQTT 토픽의 메시지(도어 접점, 버튼 등)가 모션처럼 이 카메라의 이벤트를 시작합니다. 추가와 제거는 저장과 별도로 즉시 적용됩니다.
setup-triggers-no-clips = 녹화 방식이 ‘{ $mode ->
    [off] 사용 안 함
   *[other] 연속 녹화
}’인 동안에는 이벤트가 목록에만 표시되고 클립은 만들어지지 않습니다. 클립을 만들려면 이벤트 녹화 또는 연속 + 이벤트를 선택하세요.
setup-mqtt-off = MQTT가 꺼져 있습니다: 켜질 때까지 대기합니다 (상단 바의 MQTT…).
setup-reading = 읽는 중…
setup-none-yet = 아직 없습니다.
setup-trigger-topic = 토픽 { $topic }
setup-trigger-line = 활성 조건: { $condition } · 종료: { $ends }
setup-trigger-name = 트리거 이름
setup-trigger-name-hint = door (이벤트 레이블로도 사용)
setup-mqtt-topic = MQTT 토픽
setup-condition = 조건
setup-condition-hint = contact == false 또는 ON
setup-hold = 유지 시간
setup-hold-hint = 비워 두면 반대 메시지까지; 예: 30s
setup-add-trigger = 트리거 소스 추가

# Object detection in words, and the boxes switch
objects-event-title = { $label } ({ $zone })
objects-problem = 객체 감지: { $error }
objects-detecting = { $wanted } 감지 중 ({ $detector }): 이미지 { $runs }장, 처리 중 건너뜀 { $dropped }장
objects-loading = { $wanted } 감지 중: 감지기 불러오는 중…
objects-boxes-read-failed = 박스 표시 설정을 읽을 수 없습니다: { $error }
objects-boxes-write-failed = 박스 표시 설정을 저장할 수 없습니다: { $error }
objects-boxes = 박스 표시 (B)
objects-boxes-hover = 선택한 카메라에 객체 감지 결과를 표시합니다

setup-camera-id = ID: { $id } (폴더, 웹 주소, MQTT 토픽에 사용)
## ==== end of camera-setup


## ==== live: Live grid, tiles, zones, layouts, status, monitor, timeline, clips, recorded, video (helper strings-live)
live-camera-unavailable = 카메라를 사용할 수 없습니다
live-retrying-in = { $why } — { $secs }초 후 다시 연결
live-retrying-now = { $why } — 다시 연결 중
live-state-waiting = 카메라 응답 대기 중 (1초에 두 번 확인)
live-waiting-because = { $why } — { live-state-waiting }
live-connecting-again = { $why } — 다시 연결 중…
live-state-connecting = 연결 중…
live-state-stopped = 정지됨
live-state-disabled = 사용 안 함 — 마우스 오른쪽 버튼으로 사용 설정
live-badge-motion = 모션
live-badge-trigger = 트리거: { $labels }
live-stream-facts = { $codec } { $width }×{ $height } · { $fps } fps · { $mbits } Mbit/s
live-recording = 녹화 중
live-not-recording = 녹화 안 함
live-segments-written = 세그먼트 { $count }개, 이번 세션에 { $size } 기록
live-recording-problem = 녹화 문제: { $error }
live-showing-main = 메인 스트림 { $width }×{ $height } 표시 중
live-showing-sub = 서브 스트림 { $width }×{ $height } 표시 중
live-showing-keyframes-only = { $shown }, 키 프레임만 표시 (디코딩 지연)
live-disk-unknown = 디스크: 알 수 없음
live-disk = 디스크: 전체 { $total } 중 { $used } 사용, { $free } 남음
live-camera-counts = { $cameras }: { $states }
live-count-live = 연결 { $count }
live-count-connecting = 연결 중 { $count }
live-count-offline = 오프라인 { $count }
live-count-stopped = 정지 { $count }
live-count-disabled = 사용 안 함 { $count }
live-problem-recording = 녹화: { $error }
live-problem-sub = 서브 스트림: { $error }
live-problem-detect-sub = 감지용 서브 스트림: { $error }
live-problem-onvif = ONVIF 이벤트: { $error }
live-clock-utc = { $time } UTC
live-layout-auto = 자동
live-grid-page = { $page } / { $pages } 페이지
live-no-live-picture = 실시간 영상 없음: { $error }
live-waiting-first-picture = 첫 영상 대기 중…
live-tile-label = 타일 { $name }
live-keyframes-only-hover = 키 프레임만 표시: 디코딩이 지연되어 이 타일은 키 프레임마다 한 장씩 표시합니다. 선택한 타일은 계속 부드럽게 재생됩니다
live-no-cameras-enabled = 사용 중인 카메라가 없습니다. 다음 명령으로 추가하세요: vigil camera add --name NAME --url rtsp://…
live-no-problems = 문제 없음
live-problems-earlier = 이전 문제 { $count }건
live-problems-now = 현재 문제 { $count }건
live-problems-hover = 모든 카메라의 최근 오류 표시
live-problems-heading = 문제
live-problems-none = Vigil 시작 이후 발생한 문제가 없습니다.
live-problem-engine = 엔진
live-stats-summary = UI { $p50 } ms p50 · { $p95 } p95 · { $max } 최대 · { $fps } fps · 초당 { $pictures }장
live-stats-overlay = { $summary } · 타일 { $tiles }개
zones-too-few-points = 영역에는 점이 3개 이상 필요합니다. 현재 { $count }개 — 영상을 클릭하여 점을 추가하세요
zones-outline-closed = 윤곽선이 닫혀 있습니다: 점을 드래그하여 이동하거나, 마우스 오른쪽 버튼으로 클릭하여 제거하세요
zones-name-missing = 영역 이름을 입력하세요
zones-still-storing = 마지막 변경 사항을 저장하는 중입니다. 다시 시도하세요
zones-cannot-save = 영역 { $name } 저장 실패: { $error }
zones-cannot-reread = 영역을 다시 읽을 수 없습니다: { $error }
zones-saved = 영역 { $name } 저장됨
zones-removed = 영역 { $name } 제거됨
zones-cannot-remove = 영역 { $name } 제거 실패: { $error }
zones-select-point-first = 먼저 점을 클릭하여 선택한 다음 Delete 키를 누르세요
zones-cannot-open = { $camera }의 영역을 편집할 수 없습니다: { $error }
zones-drawing-area = { $camera } 영역 그리기 화면
zones-heading = { $camera } 영역
zones-how-to = 영상을 클릭하여 점을 찍고, 첫 번째 점을 클릭하면 윤곽선이 닫힙니다. 점을 드래그하면 이동하고, 마우스 오른쪽 버튼으로 클릭하면(또는 선택 후 Delete 키) 제거합니다. 영역을 클릭하면 편집할 수 있습니다.
zones-new = 새 영역
zones-done = 완료
zones-done-hover = 영역 그리기 종료 (Esc)
zones-editing = { $name } 편집 중
zones-name = 영역 이름
zones-name-hint = 예: 정문
zones-detect = 감지
zones-detect-hover = 이 영역의 모션이 이벤트를 시작합니다
zones-mask = 마스크
zones-mask-hover = 이 영역의 모션은 모든 영역에서 무시됩니다
zones-sensitivity = 감도
zones-min-area = 최소 면적
zones-min-area-hover = 모션으로 판단하기 위해 변해야 하는 영역의 비율
zones-points-closed = 점 { $count }개, 닫힘
zones-points-open = 점 { $count }개, 열림
zones-close-polygon = 다각형 닫기
zones-none-yet = 영역이 없습니다. 전체 화면에서 모션을 감지합니다.
zones-kind-detect = 감지 영역
zones-kind-mask = 마스크
zones-edit-named = 영역 { $name } 편집
zones-delete-named = 영역 { $name } 삭제
zones-mask-note = 이 영역의 모션은 무시됩니다
zones-sensitivity-short = 감도
zones-sensitivity-of = { $name } 감도
zones-min-area-of = 최소 면적 { $percent }%
zones-moving = { $percent }% 변화
zones-moving-motion = { $percent }% 변화 — 모션
zones-no-level = 모션 수준 정보 없음
layouts-title-changed = 레이아웃: { $name } (변경됨)
layouts-title = 레이아웃: { $name }
layouts-title-auto = 레이아웃: 자동 ({ $shape })
layouts-shape = 분할
layouts-camera-list = 카메라 목록 (셀로 드래그)
layouts-need-library = 저장된 레이아웃을 사용하려면 라이브러리가 필요합니다.
layouts-saved = 저장된 레이아웃
layouts-none-yet = 없음
layouts-save-as-menu = 레이아웃을 다른 이름으로 저장…
layouts-save-named = “{ $name }” 저장
layouts-rename-named = “{ $name }” 이름 변경…
layouts-delete-named = “{ $name }” 삭제…
layouts-cannot-save = 레이아웃을 저장할 수 없습니다: { $error }
layouts-save-as-title = 레이아웃을 다른 이름으로 저장
layouts-rename-title = 레이아웃 이름 변경
layouts-delete-title = 레이아웃 삭제
layouts-rename = 이름 변경
layouts-delete-question = 저장된 레이아웃 “{ $name }”을(를) 삭제하시겠습니까? 카메라와 녹화 영상은 영향을 받지 않습니다.
layouts-name = 레이아웃 이름
layouts-replaces = 저장하면 레이아웃 “{ $name }”을(를) 대체합니다.
layouts-still-working = 처리 중
layouts-cameras = 카메라
layouts-drag-hint = 카메라를 셀로 드래그하세요.
layouts-no-cameras = 카메라가 없습니다.
layouts-place = 배치
layouts-place-hover = 첫 번째 빈 셀 또는 선택한 카메라의 셀에 표시
layouts-on-screen = 표시 중
layouts-place-named = { $name } 배치
layouts-drag-hover = 셀로 드래그하면 그 셀에 이 카메라를 표시합니다
layouts-cell-removed = 이 셀에 배치된 카메라가 제거되었습니다
layouts-cell-waiting = { $name }: 레코더 상태 대기 중
layouts-cell-empty = 비어 있음: 여기로 카메라를 드래그하세요
layouts-cell-label = 셀 { $cell } { $text }
layouts-drop-to-swap = 셀에 놓으면 위치를 바꿉니다
layouts-cannot-restore = 마지막 레이아웃을 복원할 수 없습니다: { $error }
layouts-cannot-read = 저장된 레이아웃을 읽을 수 없습니다: { $error }
layouts-cannot-remember = 다음 시작 때 사용할 레이아웃을 기억할 수 없습니다: { $error }
layouts-cannot-follow-renames = 이름이 바뀐 카메라를 반영할 수 없습니다: { $error }
monitor-too-many = 추가 창은 최대 { $count }개까지 열 수 있습니다. 먼저 창 하나를 닫으세요
monitor-cannot-remember = 창 구성을 기억할 수 없습니다: { $error }
monitor-cannot-reopen = 저장된 창을 다시 열 수 없습니다: { $error }
monitor-title = Vigil — 창 { $number }
monitor-back-to-grid = 분할 화면으로 돌아가기 (Esc)
monitor-layout = 레이아웃:
monitor-layout-label = 창 { $number } 레이아웃 { $layout }
monitor-saved-layout-label = 창 { $number } 저장된 레이아웃 { $name }
monitor-close-window = 이 창 닫기
monitor-camera-removed = 카메라 제거됨
monitor-empty-cell = 빈 셀
timeline-now = 현재
timeline-now-hover = 실시간으로 돌아가기
timeline-live = 실시간
timeline-showing = { $span } 표시 중
timeline-selected = 선택: { $from } ~ { $to } ({ $span })
timeline-clear = 선택 해제
timeline-help = 휠: 확대/축소 · 드래그: 이동 · Shift+드래그: 선택
clips-heading = 클립
clips-event-count = 이벤트 { $count }건
clips-all-cameras = 모든 카메라
clips-any-source = 모든 소스
clips-search-hint = 라벨 또는 영역 검색…
clips-source-motion = 모션
clips-source-object = 객체
clips-source-trigger = 트리거
clips-source-manual = 수동
clips-delete-question = 이벤트 { $id }({ $label }, { $camera }, { $time })을(를) 삭제하시겠습니까? 클립 { $clips }개({ $size })가 함께 삭제됩니다.
clips-delete-question-others = { $question } 해당 클립에 포함된 다른 이벤트 { $count }건의 영상도 삭제됩니다.
clips-delete-event = 이벤트 삭제
clips-keep-it = 유지
clips-protected = 보호됨
clips-protect = 보호
clips-export-id = { $id } 내보내기…
clips-delete-id = { $id } 삭제…
clips-in-progress = 진행 중
clips-score = 신뢰도 { $percent }%
clips-last-hour = 최근 1시간
clips-last-day = 최근 24시간
clips-last-week = 최근 7일
clips-all-time = 전체
clips-no-recordings = 이 화면에는 녹화 영상이 없습니다
clips-cannot-read = 이벤트를 읽을 수 없습니다: { $error }
clips-cannot-change = 이벤트 { $id } 변경 실패: { $error }
clips-cannot-delete = 이벤트 { $id } 삭제 실패: { $error }
clips-deleted = 이벤트 { $id } 및 클립 { $clips }개({ $size }) 삭제됨
recorded-cannot-read-timeline = 타임라인을 읽을 수 없습니다: { $error }
recorded-cannot-read-cameras = 카메라 목록을 읽을 수 없습니다: { $error }
recorded-cannot-play = 녹화 영상을 재생할 수 없습니다: { $error }
recorded-select-tile-to-export = 선택한 구간을 내보내려면 카메라 타일을 선택하세요.
recorded-export-selection = { $camera } 선택 구간 내보내기…
recorded-step-back = < 이전 프레임
recorded-step-back-hover = 한 프레임 뒤로 (←)
recorded-pause = 일시 정지
recorded-play = 재생
recorded-space-key = Space 키
recorded-step-forward = 다음 프레임 >
recorded-step-forward-hover = 한 프레임 앞으로 (→)
recorded-ended-at = 녹화 영상 끝: { $time }
recorded-playing-at = { $speed }× 재생 중: { $time }
recorded-paused-at = 일시 정지됨: { $time }
recorded-skipped-gap = { $state }; 녹화 없는 구간 { $gap } 건너뜀
recorded-loading = 녹화 영상 불러오는 중…
recorded-next-at = 이 시점에는 녹화가 없습니다. 다음 녹화 시작: { $time }
video-sub-undecodable = 서브 스트림을 디코딩할 수 없습니다 ({ $error })
video-sub-silent = 서브 스트림에서 { $secs }초 동안 영상이 없습니다
video-sub-failed = 서브 스트림 실패: { $error }
timeline-label = 타임라인

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


## ==== viewer
viewer-banner-service = 녹화는 Vigil 서비스가 하고 있습니다 (pid { $pid }, 사용자 { $user }, { $dir }). 이 창은 그 카메라와 녹화를 보여 줍니다.
viewer-banner-other = 녹화는 다른 Vigil이 하고 있습니다 (pid { $pid }, 사용자 { $user }, { $dir }). 이 창은 그 카메라와 녹화를 보여 줍니다.
viewer-schema-older = 이 라이브러리는 이전 버전의 Vigil이 만들었습니다 (스키마 { $found }, 이 버전은 { $known }). 새로 추가된 내용은 없을 수 있습니다.
viewer-cannot-configure = 카메라와 설정은 녹화기가 실행되는 곳에서 변경합니다 (vigil camera … 또는 녹화기의 웹 뷰어). 이 창은 녹화기의 라이브러리를 읽기만 합니다.
viewer-tile-no-live = 이 카메라의 연결은 녹화기가 맡고 있습니다. 실시간 화면은 녹화기의 웹 뷰어에서 볼 수 있고, 녹화는 아래 타임라인에 있습니다.
viewer-banner-stopped = { $dir }의 녹화기가 멈췄습니다. 이 창은 계속 녹화를 보여 줍니다. 여기서 녹화하려면 Vigil을 다시 여세요.
viewer-tile-recorded = { $secs }초 전에 녹화됨 (가장 최근 녹화의 끝). 실시간 화면은 녹화기의 웹 뷰어에 있습니다.
## ==== end of viewer

## ==== viewstatus
viewer-states-unknown = 녹화기의 카메라 상태를 알 수 없습니다 ({ $why }). 카메라가 멈춤으로 표시됩니다.
viewer-states-missing = 녹화기가 상태를 알리지 않았습니다. 이전 버전의 Vigil은 알리지 않습니다
viewer-states-unreadable = 상태 파일을 읽을 수 없습니다: { $error }
viewer-states-corrupt = 상태 파일이 손상되었습니다
viewer-states-stale = 상태 파일이 { $secs }초 전에 마지막으로 기록되었습니다. 녹화기가 멈춰 있을 수 있습니다
viewer-states-other-pid = 상태 파일을 쓴 pid { $pid }는 더 이상 여기서 녹화하지 않습니다
## ==== end of viewstatus

## ==== gaps
gap-span = 녹화 없음: { $from } ~ { $to } ({ $span })
gap-deleted-person = { $who }님이 { $at }에 삭제함
gap-deleted-retention-age = 보존 기간에 따라 { $at }에 삭제됨 (카메라 보관 기간 초과)
gap-deleted-retention-size = 보존 정책에 따라 { $at }에 삭제됨 (카메라 용량 한도 초과)
gap-deleted-disk-floor = 디스크가 거의 가득 차서 { $at }에 삭제됨
gap-deleted-camera-removed = 카메라와 함께 { $at }에 삭제됨
gap-deleted-file-missing = { $at }에 Vigil이 시작할 때 파일이 없었음
gap-offline = 카메라 오프라인: { $error }
gap-offline-plain = 카메라 오프라인
gap-disk-full = 디스크 가득 참: 녹화를 쓸 수 없었음 ({ $error })
gap-write-failed = 녹화를 쓸 수 없었음: { $error }
gap-overloaded = 녹화기가 뒤처졌습니다 (디스크가 느린가요?). 카메라 스트림이 대기했습니다
gap-paused = 녹화 일시 중지됨
gap-off = 녹화 꺼짐 (카메라의 녹화 모드)
gap-disabled = 녹화 꺼짐 (카메라가 비활성화됨)
gap-events-only = 이 카메라는 이벤트만 녹화합니다: 이벤트 사이에는 녹화가 없습니다
gap-not-running-stopped = Vigil이 실행 중이 아니었음 ({ $at }에 중지됨)
gap-not-running-crashed = Vigil이 실행 중이 아니었음 (정상 종료 없이 끝남: 충돌 또는 정전. 마지막 확인 { $at })
gap-unknown = 이유 기록 없음
clips-tab-events = 이벤트
clips-tab-bookmarks = 북마크
bookmarks-search-hint = 이름과 메모 검색
bookmarks-count = 북마크 { $count }개
bookmarks-cannot-read = 북마크를 읽을 수 없습니다: { $error }
bookmarks-removed = 북마크 “{ $name }”을(를) 삭제했습니다. 영상은 보존 정책이 허용하는 동안만 유지됩니다.
bookmarks-already-gone = 그 북마크는 이미 삭제되었습니다.
bookmarks-cannot-remove = 북마크를 삭제할 수 없습니다: { $error }
bookmarks-remove-question = 북마크 “{ $name }”을(를) 삭제할까요? 영상은 보존 정책이 지울 때까지 남습니다.
bookmarks-remove = 삭제
bookmarks-keep = 유지
bookmarks-play = 재생
bookmarks-export = 내보내기
bookmarks-at = { $time }
bookmarks-range = { $from }부터 { $span }
bookmarks-protected = 보호됨
bookmarks-by = 작성: { $who }
bookmark-add-button = 북마크 추가…
bookmark-add-hover = 재생 위치의 순간이나 선택한 구간을 북마크합니다
bookmark-add-title = 북마크 추가
bookmark-camera = 카메라
bookmark-name = 북마크 이름
bookmark-note = 메모
bookmark-protect = 보존 정책에서 영상 보호
bookmark-save = 북마크 저장
bookmark-at = { $time }
bookmark-range = { $from } ~ { $to } ({ $span })
bookmark-cannot-add = 북마크를 추가하지 못했습니다: { $error }
bookmark-tooltip = 북마크 “{ $name }”, { $when }
bookmark-tooltip-range = { $from }부터 { $span }
bookmark-tooltip-protected = 이 영상은 보존 정책에서 보호됩니다
## ==== end of gaps
## ==== evidence
export-manifest-written = 서명된 매니페스트: { $path } (키 지문 { $fingerprint }).
export-manifest-failed = 서명된 매니페스트를 옆에 쓰지 못했습니다: { $error }
export-watermark = 카메라 이름과 시각을 영상에 새기기 (화면을 다시 인코딩하며, 매니페스트에 기록됩니다)
export-running-watermark = { $path }(으)로 내보내는 중: 워터마크를 새기려고 화면을 다시 인코딩합니다
## ==== end of evidence
## ==== searchui
search-menu = 여기서 움직임 검색…
search-camera-unknown = { $camera }을(를) 검색할 수 없습니다: 라이브러리가 아직 이 카메라를 모릅니다. 잠시 후 다시 시도하세요.
search-title = 움직임 검색: { $camera }
search-close = 닫기
search-how-to-draw = 화면에서 사각형을 드래그하거나, 점을 클릭해 다각형을 그리세요(첫 점을 클릭하면 닫힙니다). Esc로 나갑니다.
search-drawing-area = { $camera }의 움직임 검색 영역
search-period-hour = 최근 1시간
search-period-day = 최근 24시간
search-period-week = 최근 7일
search-period-window = 타임라인에 보이는 범위
search-period-selection = 선택 범위
search-run = 검색
search-cancel = 취소
search-draw-first = 먼저 화면에 영역을 그리세요: 사각형을 드래그하거나 다각형을 클릭하세요.
search-no-selection = 타임라인에 선택 범위가 없습니다: Shift를 누른 채 드래그하거나 다른 기간을 고르세요.
search-no-library = 검색할 라이브러리가 없습니다.
search-cancelled = 검색을 취소했습니다.
search-failed = 검색에 실패했습니다: { $error }
search-no-index = 이 기간에는 움직임 색인이 없습니다: 그때 카메라가 분석되지 않았습니다.
search-no-index-before = { $at } 이전에는 색인이 없어 그 전의 움직임은 검색할 수 없습니다.
search-nothing-moved = { $from } – { $to }에 이 영역에서 움직임이 없었습니다.
search-hits = 움직임이 있던 순간 { $count }개
search-hit = { $at } · { $span } · 영역의 { $percent }%
search-region-refused = 이 영역은 검색할 수 없습니다: { $error }.
## ==== end of searchui
## ==== audioexport
export-no-sound = 소리 빼고 내보내기
export-sound = 소리 포함 ({ $format })
export-silent = { $from }부터 { $to }까지 소리 없음 (다른 소리 형식으로 녹음됨)
## ==== end of audioexport
## ==== audioin
setup-record-sound = 소리 녹음
setup-record-sound-note = 이 카메라가 있는 곳에서는 소리 녹음이 법으로 제한될 수 있습니다.
## ==== end of audioin

## Sound (audio/): playback and live listening
sound-no-output = 소리 출력 없음: { $reason }
sound-no-device = 오디오 장치를 찾지 못했습니다
sound-no-such-device = { $name } 오디오 장치가 없습니다
sound-device-busy = 오디오 장치에서 재생할 수 없습니다 ({ $error })
sound-mute = 이 카메라의 소리 끄기
sound-unmute = 이 카메라의 소리 켜기
sound-volume = 음량
sound-listen = 듣기
sound-listen-hover = 이 카메라의 실시간 소리 재생
sound-off-for-camera = 이 카메라는 소리가 꺼져 있습니다
sound-speaker = { $camera }의 소리
sound-volume-of = { $camera }의 음량
sound-thread-failed = 스레드를 시작할 수 없습니다 ({ $error })
sound-thread-ended = 스레드가 끝났습니다
sound-device-failed = 오디오 장치에 문제가 생겼습니다 ({ $error })
sound-cannot-list = 오디오 장치 목록을 읽을 수 없습니다 ({ $error })
