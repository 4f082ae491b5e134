#!/bin/sh
# Generates ./configure and config.h.in from configure.ac. PKG_CHECK_MODULES
# comes from the pkg.m4 that the pkg-config package installs; no automake.
set -e
cd "$(dirname "$0")"
acdir=${ACLOCAL_DIR:-/usr/share/aclocal}
if [ ! -f "$acdir/pkg.m4" ]; then
	echo "autogen.sh: $acdir/pkg.m4 not found: install the Debian package pkg-config" >&2
	exit 1
fi
autoconf -I "$acdir" -o configure.tmp configure.ac
autoheader -I "$acdir" configure.ac
# Autoconf's clean-up runs `rm -f core`, which complains about our core/
# directory (the source folder, not a core dump): drop that word.
sed -e 's/rm -f core /rm -f /g' configure.tmp > configure
rm -f configure.tmp
chmod +x configure
rm -rf autom4te.cache
