# SPDX-License-Identifier: GPL-2.0-only OR MIT
#
# Sourced by vm-run, uml-kernel and arm64-sysroot: fetch Debian packages
# through a private apt configuration and state directory under
# $CACHE/apt/SUITE (SUITE-ARCH with a second architecture), from the mirror
# this machine's own apt sources name. The system's apt sources and dpkg's
# architectures are never changed. Needs CACHE set and a die() function.

KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

# "URI SUITE" for every suite this machine's apt sources list, in order
# (deb822 .sources files and one-line .list files).
apt_source_pairs() {
	awk '
		function flush(i, j) {
			for (i = 1; i <= nu; i++) for (j = 1; j <= ns; j++) print uris[i], suites[j]
			nu = ns = 0
		}
		FNR == 1 { flush() }
		/^[[:space:]]*$/ { flush(); next }
		/^URIs:/ { for (i = 2; i <= NF; i++) uris[++nu] = $i }
		/^Suites:/ { for (i = 2; i <= NF; i++) suites[++ns] = $i }
		END { flush() }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true
	awk '$1 == "deb" { i = 2; if ($i ~ /^\[/) while ($i !~ /\]$/) i++; if ($i ~ /\]$/ && $i !~ /:\/\//) i++
		print $i, $(i + 1) }' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true
}

# The mirror for @suite: the URI listed with it, or, for a suite this machine
# does not use (trixie, trixie-backports), the URI of its main archive, which
# carries every suite but the security ones.
mirror_for() {
	local uri
	uri=$(apt_source_pairs | awk -v want="$1" '$2 == want { print $1; exit }')
	case "$1" in *-security) ;; *)
		[ -n "$uri" ] || uri=$(apt_source_pairs | awk '$2 !~ /-security$/ { print $1; exit }') ;;
	esac
	[ -n "$uri" ] && echo "$uri"
}

# apt_dir SUITE [ARCH]: the private state directory of SUITE, with the
# package lists of ARCH too when ARCH is not this machine's.
apt_dir() {
	local host
	host=$(dpkg --print-architecture)
	if [ -n "${2:-}" ] && [ "$2" != "$host" ]; then
		echo "$CACHE/apt/$1-$2"
	else
		echo "$CACHE/apt/$1"
	fi
}

# apt_private URI SUITE [ARCH]: sets APT_CONFIG to a private configuration
# for "deb URI SUITE main". With a foreign ARCH its packages are listed
# beside the host's: `apt-get download pkg:ARCH` fetches them, an
# unqualified name still the host's (linux-kbuild carries host programs).
apt_private() {
	local uri=$1 suite=$2 d host archs
	d=$(apt_dir "$suite" "${3:-}")
	host=$(dpkg --print-architecture)
	archs="\"$host\";"
	[ -z "${3:-}" ] || [ "$3" = "$host" ] || archs="$archs \"$3\";"
	mkdir -p "$d"/{lists/partial,archives/partial,state,cache}
	echo "deb [signed-by=$KEYRING] $uri $suite main" > "$d/sources.list"
	cat > "$d/apt.conf" <<-EOT
	Dir::Etc::SourceList "$d/sources.list";
	Dir::Etc::SourceParts "/dev/null";
	Dir::State "$d/state";
	Dir::State::Lists "$d/lists";
	Dir::State::status "/dev/null";
	Dir::Cache "$d/cache";
	Dir::Cache::Archives "$d/archives";
	Dir::Cache::pkgcache "";
	Dir::Cache::srcpkgcache "";
	APT::Sandbox::User "$(id -un)";
	APT::Architecture "$host";
	APT::Architectures { $archs };
	EOT
	export APT_CONFIG="$d/apt.conf"
}

# apt_suite SUITE [ARCH]: private configuration for SUITE (and ARCH) with
# fresh package lists.
apt_suite() {
	local uri log
	uri=$(mirror_for "$1") || die "no Debian mirror for $1 in /etc/apt/sources.list*"
	apt_private "$uri" "$1" "${2:-}"
	log=$(apt_dir "$1" "${2:-}")/update.log
	apt-get update -qq >"$log" 2>&1 ||
		die "apt-get update of $1${2:+ ($2)} from $uri failed: $(tail -n1 "$log")"
}
