# SPDX-License-Identifier: GPL-2.0-only OR MIT
#
# Sourced by vm-run and uml-kernel: fetch Debian packages through a private
# apt configuration and state directory under $CACHE/apt/SUITE, from the
# mirror this machine's own apt sources name. The system's apt sources are
# never changed. Needs CACHE set and a die() function.

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

# Sets APT_CONFIG to a private configuration for "deb $1 $2 main".
apt_private() {
	local uri=$1 suite=$2 d="$CACHE/apt/$2"
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
	EOT
	export APT_CONFIG="$d/apt.conf"
}

# apt_suite SUITE: private configuration for SUITE with fresh package lists.
apt_suite() {
	local uri
	uri=$(mirror_for "$1") || die "no Debian mirror for $1 in /etc/apt/sources.list*"
	apt_private "$uri" "$1"
	apt-get update -qq >"$CACHE/apt/$1/update.log" 2>&1 ||
		die "apt-get update of $1 from $uri failed: $(tail -n1 "$CACHE/apt/$1/update.log")"
}
