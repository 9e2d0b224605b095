#!/bin/sh
# Makes the Dockerfile's base image, debian:bookworm-slim, from Debian's packages, for machines that reach Debian's
# package mirror but no image registry (ContainerIT runs this when the image is missing; .ci/run does not cache it).
# What Debian's own slim image is, in short: debootstrap's minbase, without documentation, manuals and locales
# (also kept out of later installs), apt's caches cleaned after each install, no service started by an install;
# about 80 MB and 40-70 s. Needs root, debootstrap and podman. Does nothing when the image is there already.
#   usage: src/test/container/debian-base-image.sh [IMAGE]      (default docker.io/library/debian:bookworm-slim)
set -eu
image=${1:-docker.io/library/debian:bookworm-slim}
suite=bookworm
# one at a time: the same image asked for twice at once (CI and the test) is made once
exec 9>/tmp/debian-base-image.lock
flock 9
if podman image exists "$image"; then
    echo "debian-base-image: $image is there already"
    exit 0
fi
# the mirror apt on this machine uses (deb822 or one-line format), else Debian's own
mirror=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\/debian\)[[:space:]]*$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
[ -n "$mirror" ] || mirror=$(sed -n 's/^deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]*\/debian\)[[:space:]]\+'"$suite"'[[:space:]].*/\2/p' \
    /etc/apt/sources.list 2>/dev/null | head -n 1)
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
root=$(mktemp -d /var/tmp/debian-base-image.XXXXXX)
trap 'rm -rf "$root"' EXIT
echo "debian-base-image: debootstrap $suite from $mirror"
debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$root.log" 2>&1 \
    || { tail -n 20 "$root.log" >&2; rm -f "$root.log"; exit 1; }
rm -f "$root.log"

# slim: no documentation, manuals or locales, now or after later installs
cat >"$root/etc/dpkg/dpkg.cfg.d/docker" <<'X'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
path-exclude /usr/share/man/*
X
find "$root/usr/share/doc" -mindepth 1 -not -type d -not -name copyright -delete
find "$root/usr/share/info" "$root/usr/share/man" "$root/usr/share/locale" -mindepth 1 -not -type d \
    -not -name locale.alias -delete
# as in Debian's images: installs happen in image builds, where syncing, caches and started services are waste
echo force-unsafe-io >"$root/etc/dpkg/dpkg.cfg.d/docker-apt-speedup"
clean='"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true";'
cat >"$root/etc/apt/apt.conf.d/docker-clean" <<X
DPkg::Post-Invoke { $clean };
APT::Update::Post-Invoke { $clean };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
X
echo 'Acquire::GzipIndexes "true";' >"$root/etc/apt/apt.conf.d/docker-gzip-indexes"
echo 'Acquire::Languages "none";' >"$root/etc/apt/apt.conf.d/docker-no-languages"
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
# the sources Debian's image has (the release, its updates, security updates) as this machine's apt has them
rm -f "$root/etc/apt/sources.list"
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    cp /etc/apt/sources.list.d/debian.sources "$root/etc/apt/sources.list.d/debian.sources"
elif grep -qs '^deb ' /etc/apt/sources.list; then
    grep '^deb ' /etc/apt/sources.list >"$root/etc/apt/sources.list"
else
    cat >"$root/etc/apt/sources.list.d/debian.sources" <<X
Types: deb
URIs: $mirror
Suites: $suite $suite-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: $suite-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
X
fi
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb "$root"/var/log/*.log
tar --numeric-owner -C "$root" -c . | podman import --quiet --change 'CMD ["bash"]' - "$image" >/dev/null
echo "debian-base-image: made $image"
