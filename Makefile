# Vigil: `make run` and `make test` are all a newcomer needs on Debian/Ubuntu.
# Each target first installs whatever system packages are missing (packaging/install-deps.sh).

CARGO ?= cargo
DATA_DIR ?=

.PHONY: all deps deps-build toolchain build run record gui test lint bench bench-detect soak screenshot clean package package-check

all: build

toolchain:
	@command -v $(CARGO) >/dev/null 2>&1 || { \
	  echo "error: cargo is not installed. Vigil needs Rust 1.95 or newer: install it with rustup (https://rustup.rs), then run make again." >&2; exit 1; }

deps-build:
	@bash packaging/install-deps.sh build

deps:
	@bash packaging/install-deps.sh all

build: toolchain deps-build
	$(CARGO) build --release

# Launches Vigil: the desktop app when there is a display (DISPLAY or WAYLAND_DISPLAY),
# else the headless recorder, which says so. With no camera configured it shows (and
# records) the built-in demo camera.
run: toolchain deps-build
	$(CARGO) build --release
	./target/release/vigil $(if $(DATA_DIR),--data-dir $(DATA_DIR),)

# The headless recorder, printing each camera's state every 30 s.
record: toolchain deps-build
	$(CARGO) build --release
	./target/release/vigil $(if $(DATA_DIR),--data-dir $(DATA_DIR),) run --status-every 30s

lint: toolchain deps-build
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

# Opens the desktop app (live camera tiles); recording runs while it is open.
gui: toolchain deps-build
	$(CARGO) build --release
	./target/release/vigil $(if $(DATA_DIR),--data-dir $(DATA_DIR),) gui

# Every test: unit tests, and integration tests against a real RTSP server, real FFmpeg and
# a real SQLite file on disk.
test: toolchain deps lint
	$(CARGO) test --workspace --all-targets --no-fail-fast -- --test-threads=2
	$(MAKE) package-check

# The Debian package target/debian/vigil_<version>_<arch>.deb (release binary; dpkg-dev
# comes with build-essential).
package: toolchain deps-build
	$(CARGO) build --release
	packaging/build-deb.sh --profile release

# The package checks (lintian, desktop-file-validate, appstreamcli, systemd-analyze, and an
# install/upgrade/remove/purge into a throw-away root) on a package of the DEBUG binary the
# tests just built: no release build here.
package-check: toolchain deps
	$(CARGO) build
	packaging/check-deb.sh --profile debug

# The long reliability runs (issue 9): 30 kill -9 cycles on two cameras, then 16 cameras for
# 30 minutes with retention and a flapping camera. VIGIL_CRASH_CYCLES=5 VIGIL_SOAK_MINUTES=3
# make them shorter.
soak: toolchain deps
	$(CARGO) test --release --test reliability crash_loop:: -- --ignored --nocapture --test-threads=1

bench: toolchain deps
	$(CARGO) build --release
	./target/release/vigil bench remux
	./target/release/vigil bench motion
	./target/release/vigil bench ui
	./target/release/vigil bench timeline
	./target/release/vigil bench seek
	./target/release/vigil bench export
	./target/release/vigil bench web
	./target/release/vigil bench web --fanout
	./target/release/vigil bench web-playback
	$(MAKE) bench-detect

# Object detection (issue 14): fetches the two real clips (~96 MB once) and the onnxruntime
# baseline (a venv; converting the built-in model needs TensorFlow once, ~460 MB).
bench-detect: toolchain deps
	$(CARGO) build --release
	packaging/fetch-detect-clips.sh
	packaging/bench-detect-setup.sh
	./target/release/vigil bench detect

# Renders the desktop app under Xvfb (demo camera, RTSP simulator, an offline camera) and
# headless (zone drawing, camera dialog, playback with the timeline), the web viewer on a
# phone in headless Chromium and Firefox, and saves the screenshots the README shows.
screenshot: toolchain deps
	VIGIL_SCREENSHOT=docs/screenshots/live-grid.png $(CARGO) test --test gui window::
	VIGIL_SCREENSHOT_DIR=docs/screenshots $(CARGO) test --test gui screens::
	VIGIL_SCREENSHOT_DIR=docs/screenshots $(CARGO) test --test engine -- web_browser:: web_live_browser:: \
	  web_settings::browser:: web_firefox::firefox_signs_in web_admin::in_chromium

clean:
	$(CARGO) clean
