/* openssl.c: opens libcrypto and libssl when first used and fills
 * aw_crypto and aw_ssl (checks/openssl.h), through which their users call
 * them (start-up, issue 16). */
#include "config.h"

#include <dlfcn.h>
#include <string.h>

#define AW_OPENSSL_LOADER 1
#include "checks/openssl.h"

#include "core/i18n.h"

#ifndef AW_CRYPTO_SONAME
#define AW_CRYPTO_SONAME "libcrypto.so.3"
#endif
#ifndef AW_SSL_SONAME
#define AW_SSL_SONAME "libssl.so.3"
#endif

struct aw_crypto aw_crypto;
struct aw_ssl aw_ssl;

/* dlopen of soname; NULL with err set (naming the Debian package). */
static void *
openssl_open(const char *soname, struct aw_error *err)
{
	void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);

	if (h == NULL)
		aw_error_set(err, AW_ERR_INTERNAL,
		    _("cannot load %s (install the Debian package %s): %s"),
		    soname, "libssl3", dlerror());
	return h;
}

bool
aw_crypto_load(struct aw_error *err)
{
	void *h;

	if (aw_crypto.i2d_X509_PUBKEY != NULL)
		return true;
	if ((h = openssl_open(AW_CRYPTO_SONAME, err)) == NULL)
		return false;
#define AW_OPENSSL_SYM(t, f) \
	if ((*(void **)&t.f = dlsym(h, #f)) == NULL) \
		goto missing;
#define AW_CRYPTO_SYM(f) AW_OPENSSL_SYM(aw_crypto, f)
	AW_CRYPTO_FUNCS(AW_CRYPTO_SYM)
#undef AW_CRYPTO_SYM
	return true;
missing:
	aw_error_set(err, AW_ERR_INTERNAL, _("cannot load %s: %s"),
	    AW_CRYPTO_SONAME, dlerror());
	memset(&aw_crypto, 0, sizeof aw_crypto);
	dlclose(h);
	return false;
}

bool
aw_ssl_load(struct aw_error *err)
{
	void *h;

	if (aw_ssl.TLS_client_method != NULL)
		return true;
	if (!aw_crypto_load(err) || (h = openssl_open(AW_SSL_SONAME, err)) == NULL)
		return false;
#define AW_SSL_SYM(f) AW_OPENSSL_SYM(aw_ssl, f)
	AW_SSL_FUNCS(AW_SSL_SYM)
#undef AW_SSL_SYM
#undef AW_OPENSSL_SYM
	return true;
missing:
	aw_error_set(err, AW_ERR_INTERNAL, _("cannot load %s: %s"),
	    AW_SSL_SONAME, dlerror());
	memset(&aw_ssl, 0, sizeof aw_ssl);
	dlclose(h);
	return false;
}
