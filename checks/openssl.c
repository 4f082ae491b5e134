/* openssl.c: opens libcrypto and libssl when first used and fills
 * aw_crypto and aw_ssl (checks/openssl.h), through which their users call
 * them (start-up, issue 16). */
#include "config.h"

#include <string.h>

#define AW_OPENSSL_LOADER 1
#include "checks/openssl.h"

#include "core/i18n.h"
#include "core/lib.h"

#ifndef AW_CRYPTO_SONAME
#define AW_CRYPTO_SONAME "libcrypto.so.3"
#endif
#ifndef AW_SSL_SONAME
#define AW_SSL_SONAME "libssl.so.3"
#endif

struct aw_crypto aw_crypto;
struct aw_ssl aw_ssl;

static const char *const aw_crypto_names[] = {
	AW_CRYPTO_FUNCS(AW_LIB_NAME)
};
static const char *const aw_ssl_names[] = {
	AW_SSL_FUNCS(AW_LIB_NAME)
};

/* Debian's libssl3 holds both libcrypto.so.3 and libssl.so.3. */
bool
aw_crypto_load(struct aw_error *err)
{
	if (aw_crypto.i2d_X509_PUBKEY != NULL)
		return true;
	if (aw_lib_open(AW_CRYPTO_SONAME, "libssl3", aw_crypto_names,
	    (void **)&aw_crypto, AW_LIB_SLOTS(aw_crypto), AW_ERR_INTERNAL,
	    err) == NULL)
		return false;
	/* No atexit clean-up: it freed every table of OpenSSL's one by one
	 * after the last line was printed (about 1 ms of each run that
	 * read a DKIM key); the memory goes with the process, and stays
	 * reachable from libcrypto's globals (no leak to report). */
	aw_crypto.OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, NULL);
	return true;
}

bool
aw_ssl_load(struct aw_error *err)
{
	if (aw_ssl.TLS_client_method != NULL)
		return true;
	return aw_crypto_load(err) &&
	    aw_lib_open(AW_SSL_SONAME, "libssl3", aw_ssl_names,
	    (void **)&aw_ssl, AW_LIB_SLOTS(aw_ssl), AW_ERR_INTERNAL,
	    err) != NULL;
}
