/* dkim-key.c: DKIM keys with OpenSSL 3's libcrypto (through
 * checks/openssl.h, opened when first used): generation, base64, reading
 * published keys, comparing with a private key file. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "checks/dkim.h"
#include "checks/openssl.h"
#include "core/file.h"
#include "core/i18n.h"

/* Longest p= accepted: a 16384-bit key is ~2.8 kB of base64. */
#define DKIM_B64_MAX 8192
/* Largest private key file read. */
#define DKIM_PEM_MAX (64 * 1024)

static const char *
ossl_reason(void)
{
	unsigned long e = ERR_get_error();
	static char buf[160];

	if (e == 0)
		return _("unknown OpenSSL error");
	ERR_error_string_n(e, buf, sizeof buf);
	ERR_clear_error();
	return buf;
}

enum aw_status
aw_dkim_base64_decode(const char *b64, unsigned char **out, size_t *outlen)
{
	EVP_ENCODE_CTX *ctx;
	unsigned char *buf;
	size_t len = strlen(b64);
	int n = 0, fin = 0, rc;

	*out = NULL;
	*outlen = 0;
	if (!aw_crypto_load(NULL))
		return AW_ERR_INTERNAL;
	/* RFC 4648 §4: groups of four; padding only at the end. */
	if (len > DKIM_B64_MAX || len % 4 != 0 ||
	    strspn(b64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789+/=") != len)
		return AW_ERR_INVALID;
	if (len > 0) {
		const char *eq = strchr(b64, '=');

		if (eq != NULL && (size_t)(eq - b64) < len - 2)
			return AW_ERR_INVALID;
		if (eq != NULL && eq[1] != '\0' && eq[1] != '=')
			return AW_ERR_INVALID;
	}
	if ((buf = malloc(len / 4 * 3 + 1)) == NULL)
		return AW_ERR_NOMEM;
	if ((ctx = EVP_ENCODE_CTX_new()) == NULL) {
		free(buf);
		return AW_ERR_NOMEM;
	}
	EVP_DecodeInit(ctx);
	rc = EVP_DecodeUpdate(ctx, buf, &n, (const unsigned char *)b64,
	    (int)len);
	if (rc < 0 || EVP_DecodeFinal(ctx, buf + n, &fin) != 1) {
		EVP_ENCODE_CTX_free(ctx);
		free(buf);
		return AW_ERR_INVALID;
	}
	EVP_ENCODE_CTX_free(ctx);
	*out = buf;
	*outlen = (size_t)(n + fin);
	return AW_OK;
}

char *
aw_dkim_base64_encode(const unsigned char *data, size_t len)
{
	char *out;
	int n;

	if (len > DKIM_PEM_MAX || !aw_crypto_load(NULL))
		return NULL;
	if ((out = malloc(4 * ((len + 2) / 3) + 1)) == NULL)
		return NULL;
	/* EVP_EncodeBlock writes no newlines, unlike EVP_EncodeUpdate. */
	n = EVP_EncodeBlock((unsigned char *)out, data, (int)len);
	out[n] = '\0';
	return out;
}

/* The published key as an EVP_PKEY. */
static EVP_PKEY *
pubkey_from(enum aw_dkim_key_type type, const unsigned char *der, size_t len,
    struct aw_error *err)
{
	const unsigned char *q = der;
	EVP_PKEY *pk;

	if (type == AW_DKIM_KEY_ED25519) {
		/* RFC 8463 §4.2: the raw 32-byte public key, not SPKI. */
		if (len != AW_DKIM_ED25519_KEY_LEN) {
			aw_error_set(err, AW_ERR_INVALID,
			    _("an Ed25519 key is 32 bytes, this one is %zu (RFC 8463 §4.2)"),
			    len);
			return NULL;
		}
		pk = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, der,
		    len);
		if (pk == NULL)
			aw_error_set(err, AW_ERR_INVALID, "%s", ossl_reason());
		return pk;
	}
	/* RFC 6376 §3.6.1 p= for rsa: SubjectPublicKeyInfo in practice,
	 * a bare RSAPublicKey by §3.3.1; accept both. */
	pk = d2i_PUBKEY(NULL, &q, (long)len);
	if (pk != NULL && q != der + len) {
		EVP_PKEY_free(pk);
		pk = NULL;
	}
	if (pk == NULL) {
		ERR_clear_error();
		q = der;
		pk = d2i_PublicKey(EVP_PKEY_RSA, NULL, &q, (long)len);
		if (pk != NULL && q != der + len) {
			EVP_PKEY_free(pk);
			pk = NULL;
		}
	}
	if (pk == NULL) {
		ERR_clear_error();
		aw_error_set(err, AW_ERR_INVALID, "%s",
		    _("p= is not an RSA public key (DER SubjectPublicKeyInfo)"));
		return NULL;
	}
	if (EVP_PKEY_get_base_id(pk) != EVP_PKEY_RSA) {
		EVP_PKEY_free(pk);
		aw_error_set(err, AW_ERR_INVALID, "%s",
		    _("p= holds a key of another type than RSA"));
		return NULL;
	}
	return pk;
}

enum aw_status
aw_dkim_pubkey_bits(enum aw_dkim_key_type type, const unsigned char *der,
    size_t len, unsigned *bits, struct aw_error *err)
{
	EVP_PKEY *pk;

	*bits = 0;
	if (!aw_crypto_load(err))
		return AW_ERR_INTERNAL;
	if ((pk = pubkey_from(type, der, len, err)) == NULL)
		return AW_ERR_INVALID;
	*bits = (unsigned)EVP_PKEY_get_bits(pk);
	EVP_PKEY_free(pk);
	return AW_OK;
}

/* The p= value of a key: SPKI DER for RSA, raw bytes for Ed25519. */
static char *
p_of(EVP_PKEY *pk, enum aw_dkim_key_type type)
{
	unsigned char raw[AW_DKIM_ED25519_KEY_LEN], *der = NULL;
	size_t rawlen = sizeof raw;
	char *b64;
	int n;

	if (type == AW_DKIM_KEY_ED25519) {
		if (EVP_PKEY_get_raw_public_key(pk, raw, &rawlen) != 1)
			return NULL;
		return aw_dkim_base64_encode(raw, rawlen);
	}
	if ((n = i2d_PUBKEY(pk, &der)) <= 0)
		return NULL;
	b64 = aw_dkim_base64_encode(der, (size_t)n);
	OPENSSL_free(der);
	return b64;
}

static char *
bio_text(BIO *bio)
{
	char *data, *out;
	long n = BIO_get_mem_data(bio, &data);

	if (n <= 0 || (out = malloc((size_t)n + 1)) == NULL)
		return NULL;
	memcpy(out, data, (size_t)n);
	out[n] = '\0';
	return out;
}

enum aw_status
aw_dkim_keygen(enum aw_dkim_key_type type, unsigned bits, char **pem,
    char **p_b64, struct aw_error *err)
{
	EVP_PKEY *pk = NULL;
	BIO *bio = NULL;
	enum aw_status st = AW_OK;
	int ok;

	*pem = NULL;
	*p_b64 = NULL;
	if (!aw_crypto_load(err))
		return AW_ERR_INTERNAL;
	if (type == AW_DKIM_KEY_RSA) {
		if (bits == 0)
			bits = AW_DKIM_RSA_GOOD_BITS;
		if (bits != 1024 && bits != 2048 && bits != 3072 &&
		    bits != 4096)
			return aw_error_set(err, AW_ERR_INVALID,
			    _("RSA key size must be 1024, 2048, 3072 or 4096 bits, not %u"),
			    bits);
		pk = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)bits);
	} else if (type == AW_DKIM_KEY_ED25519) {
		pk = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	} else {
		return aw_error_set(err, AW_ERR_INVALID, "%s",
		    _("unknown key type"));
	}
	if (pk == NULL)
		return aw_error_set(err, AW_ERR_INTERNAL,
		    _("key generation failed: %s"), ossl_reason());
	if ((bio = BIO_new(BIO_s_mem())) == NULL) {
		st = aw_error_set(err, AW_ERR_NOMEM, "%s", _("out of memory"));
		goto done;
	}
	/* opendkim, rspamd and dkimpy read PKCS#1 for RSA. */
	if (type == AW_DKIM_KEY_RSA)
		ok = PEM_write_bio_PrivateKey_traditional(bio, pk, NULL, NULL,
		    0, NULL, NULL);
	else
		ok = PEM_write_bio_PrivateKey(bio, pk, NULL, NULL, 0, NULL,
		    NULL);
	if (ok != 1 || (*pem = bio_text(bio)) == NULL ||
	    (*p_b64 = p_of(pk, type)) == NULL) {
		aw_dkim_secret_free(*pem);
		*pem = NULL;
		st = aw_error_set(err, AW_ERR_INTERNAL,
		    _("could not encode the key: %s"), ossl_reason());
	}
done:
	if (bio != NULL) {
		/* The memory BIO held the secret: clear before freeing. */
		char *data;
		long n = BIO_get_mem_data(bio, &data);

		if (n > 0)
			OPENSSL_cleanse(data, (size_t)n);
		BIO_free(bio);
	}
	EVP_PKEY_free(pk);
	return st;
}

void
aw_dkim_secret_free(char *secret)
{
	if (secret == NULL)
		return;
	if (aw_crypto_load(NULL))
		OPENSSL_cleanse(secret, strlen(secret));
	else {
		/* What OPENSSL_cleanse does, when the library is missing. */
		volatile char *v = secret;

		while (*v != '\0')
			*v++ = '\0';
	}
	free(secret);
}

enum aw_status
aw_dkim_write_private(const char *path, const char *pem, bool overwrite,
    struct aw_error *err)
{
	enum aw_file_step step;
	int e;

	/* Replacing: the new key goes beside the old one and is renamed over
	 * it only once it is on disk, so a full disk keeps the old key;
	 * --force replaces a key, never a device or a FIFO (root could
	 * otherwise swap /dev/null for a key file). Otherwise O_EXCL: never
	 * write through an existing file or symlink. 0600 whatever the umask. */
	e = aw_file_replace(path, pem, strlen(pem), 0600,
	    overwrite ? AW_FILE_ONLY_FILE : AW_FILE_NEW, &step);
	if (e == 0)
		return AW_OK;
	if (step == AW_FILE_STEP_CHECK)
		return aw_error_setw(err, AW_ERR_IO, path, "%s",
		    _("not a regular file: --force replaces only a key file"));
	if (e == EEXIST && !overwrite)
		return aw_error_setw(err, AW_ERR_CONFLICT, path, "%s",
		    _("the file exists; give --force to replace it"));
	return aw_error_setw(err, AW_ERR_IO, path, "%s", aw_strerror(e));
}

static EVP_PKEY *
read_private(const char *path, struct aw_error *err)
{
	EVP_PKEY *pk;
	struct stat stb;
	FILE *fp;

	if ((fp = fopen(path, "r")) == NULL) {
		aw_error_setw(err, AW_ERR_IO, path, "%s", aw_strerror(errno));
		return NULL;
	}
	if (fstat(fileno(fp), &stb) != 0 || stb.st_size > DKIM_PEM_MAX) {
		fclose(fp);
		aw_error_setw(err, AW_ERR_INVALID, path, "%s",
		    _("not a private key file (too large)"));
		return NULL;
	}
	pk = PEM_read_PrivateKey(fp, NULL, NULL, NULL);
	fclose(fp);
	if (pk == NULL) {
		ERR_clear_error();
		aw_error_setw(err, AW_ERR_INVALID, path, "%s",
		    _("not a PEM private key"));
	}
	return pk;
}

enum aw_status
aw_rsa_sha256_sign(const char *pem, size_t pem_len, const void *data,
    size_t len, unsigned char **sig, size_t *siglen, struct aw_error *err)
{
	EVP_PKEY *pk = NULL;
	EVP_MD_CTX *md = NULL;
	BIO *bio;
	enum aw_status st = AW_OK;

	*sig = NULL;
	*siglen = 0;
	if (!aw_crypto_load(err))
		return AW_ERR_INTERNAL;
	if (pem_len > DKIM_PEM_MAX || pem_len > INT_MAX ||
	    (bio = BIO_new_mem_buf(pem, (int)pem_len)) == NULL)
		return aw_error_set(err, AW_ERR_INVALID, "%s",
		    _("not a PEM private key"));
	pk = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (pk == NULL || EVP_PKEY_get_base_id(pk) != EVP_PKEY_RSA) {
		ERR_clear_error();
		EVP_PKEY_free(pk);
		return aw_error_set(err, AW_ERR_INVALID, "%s",
		    _("not a PEM RSA private key"));
	}
	if ((md = EVP_MD_CTX_new()) == NULL ||
	    (*sig = malloc((size_t)EVP_PKEY_get_size(pk))) == NULL)
		st = aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	else {
		*siglen = (size_t)EVP_PKEY_get_size(pk);
		/* RSA keys sign PKCS#1 v1.5 by default. */
		if (EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, pk) != 1 ||
		    EVP_DigestSign(md, *sig, siglen, data, len) != 1)
			st = aw_error_set(err, AW_ERR_INVALID,
			    _("cannot sign: %s"), ossl_reason());
	}
	if (st != AW_OK) {
		free(*sig);
		*sig = NULL;
		*siglen = 0;
	}
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(pk);
	return st;
}

static enum aw_dkim_key_type
type_of(EVP_PKEY *pk)
{
	switch (EVP_PKEY_get_base_id(pk)) {
	case EVP_PKEY_RSA:
		return AW_DKIM_KEY_RSA;
	case EVP_PKEY_ED25519:
		return AW_DKIM_KEY_ED25519;
	}
	return AW_DKIM_KEY_UNKNOWN;
}

enum aw_status
aw_dkim_private_public(const char *path, enum aw_dkim_key_type *type,
    char **p_b64, struct aw_error *err)
{
	EVP_PKEY *pk;

	*p_b64 = NULL;
	if (!aw_crypto_load(err))
		return AW_ERR_INTERNAL;
	if ((pk = read_private(path, err)) == NULL)
		return err != NULL && err->status != AW_OK ? err->status :
		    AW_ERR_INVALID;
	*type = type_of(pk);
	if (*type == AW_DKIM_KEY_UNKNOWN) {
		EVP_PKEY_free(pk);
		return aw_error_setw(err, AW_ERR_INVALID, path, "%s",
		    _("the key is neither RSA nor Ed25519"));
	}
	*p_b64 = p_of(pk, *type);
	EVP_PKEY_free(pk);
	if (*p_b64 == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, "%s", _("out of memory"));
	return AW_OK;
}

enum aw_status
aw_dkim_key_matches(const char *path, enum aw_dkim_key_type type,
    const unsigned char *der, size_t len, bool *match, struct aw_error *err)
{
	EVP_PKEY *priv, *pub;

	*match = false;
	if (!aw_crypto_load(err))
		return AW_ERR_INTERNAL;
	if ((priv = read_private(path, err)) == NULL)
		return err != NULL && err->status != AW_OK ? err->status :
		    AW_ERR_INVALID;
	if (type_of(priv) != type) {
		/* A different type is simply not the same key. */
		EVP_PKEY_free(priv);
		return AW_OK;
	}
	if ((pub = pubkey_from(type, der, len, err)) == NULL) {
		EVP_PKEY_free(priv);
		return AW_ERR_INVALID;
	}
	/* EVP_PKEY_eq compares the public components. */
	*match = EVP_PKEY_eq(priv, pub) == 1;
	ERR_clear_error();
	EVP_PKEY_free(pub);
	EVP_PKEY_free(priv);
	return AW_OK;
}
