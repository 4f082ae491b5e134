#!/usr/bin/env bash
# make-web-keys.sh: generates the test CA and certificates under
# tests/keys/web/ for the local HTTPS server of the MTA-STS and BIMI tests
# (tests/integration/mta-sts.py, bimi.py). Generated once with OpenSSL and
# committed; run again to renew (valid for 20 years from generation).
# Test material only: the keys are public, trust them nowhere else.
set -eu
cd "$(dirname "$0")"
mkdir -p web
cd web
days=7300
ossl() { openssl "$@" 2>/dev/null; }

# The test CA.
ossl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days $days \
    -subj "/CN=authwizard test web CA" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign"

# The web server: every policy host of tests/zones/posture.test.zone
# except mta-sts.badcert.posture.test (a certificate for another name).
sans="DNS:mta-sts.good.posture.test,DNS:mta-sts.ctype.posture.test"
sans="$sans,DNS:mta-sts.redirect.posture.test,DNS:mta-sts.big.posture.test"
sans="$sans,DNS:mta-sts.uncovered.posture.test,DNS:mta-sts.testing.posture.test"
sans="$sans,DNS:bimi.posture.test"
ossl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr \
    -subj "/CN=mta-sts.good.posture.test"
printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$sans" > server.ext
ossl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
    -out server.pem -days $days -extfile server.ext

# BIMI mark certificates (PEM chains: the mark certificate, then the CA).
mark() {  # NAME SAN EKU DAYS
	ossl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" \
	    -subj "/CN=$2/O=authwizard test mark"
	printf 'subjectAltName=DNS:%s\nextendedKeyUsage=%s\n' "$2" "$3" > "$1.ext"
	ossl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial \
	    -out "$1.crt" -days "$4" -extfile "$1.ext"
	cat "$1.crt" ca.pem > "$1.pem"
	rm -f "$1.csr" "$1.ext" "$1.crt" "$1.key"
}
mark mark-good good.posture.test 1.3.6.1.5.5.7.3.31 $days
mark mark-noeku good.posture.test serverAuth $days
mark mark-othername other.example 1.3.6.1.5.5.7.3.31 $days
mark mark-expired good.posture.test 1.3.6.1.5.5.7.3.31 -1  # expired at once
rm -f ca.srl ca.key server.csr server.ext  # the CA key is not kept
