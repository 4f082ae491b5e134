/* openssl.h: the only way OpenSSL gets into authwizard (as tui/curses.h
 * is for curses). libcrypto and libssl are opened when first used
 * (aw_crypto_load, aw_ssl_load: checks/openssl.c), not by the dynamic
 * loader at every start of the program (issue 16: libcrypto alone was
 * some 21,000 relocations of each start). DKIM's keys and the JWT
 * signature (checks/dkim-key.c), the BIMI mark certificate
 * (checks/bimi-media.c) and the DANE probe (checks/dane-smtp.c, the one
 * user of libssl) call them through the pointers of aw_crypto and
 * aw_ssl, typed by the headers' own declarations. A function newly
 * called is added to AW_CRYPTO_FUNCS or AW_SSL_FUNCS. Include this, never
 * <openssl/...>. */
#ifndef AW_CHECKS_OPENSSL_H
#define AW_CHECKS_OPENSSL_H

#include <stdbool.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "core/error.h"

#define AW_CRYPTO_FUNCS(X) X(ASN1_STRING_get0_data) X(ASN1_STRING_length) X(ASN1_TIME_to_tm) \
	X(BIO_ctrl) X(BIO_free) X(BIO_new) X(BIO_new_mem_buf) X(BIO_s_mem) \
	X(CRYPTO_free) X(ERR_clear_error) X(ERR_error_string_n) \
	X(ERR_get_error) X(EVP_DecodeFinal) X(EVP_DecodeInit) \
	X(EVP_DecodeUpdate) X(EVP_Digest) X(EVP_DigestSign) \
	X(EVP_DigestSignInit) X(EVP_ENCODE_CTX_free) X(EVP_ENCODE_CTX_new) \
	X(EVP_EncodeBlock) X(EVP_MD_CTX_free) X(EVP_MD_CTX_new) \
	X(EVP_PKEY_Q_keygen) X(EVP_PKEY_eq) X(EVP_PKEY_free) \
	X(EVP_PKEY_get_base_id) X(EVP_PKEY_get_bits) \
	X(EVP_PKEY_get_raw_public_key) X(EVP_PKEY_get_size) \
	X(EVP_PKEY_new_raw_public_key) X(EVP_sha256) X(EVP_sha512) \
	X(EXTENDED_KEY_USAGE_free) X(GENERAL_NAME_free) X(OBJ_obj2txt) \
	X(OPENSSL_cleanse) X(OPENSSL_init_crypto) X(OPENSSL_sk_new_null) X(OPENSSL_sk_num) \
	X(OPENSSL_sk_pop_free) X(OPENSSL_sk_push) X(OPENSSL_sk_value) \
	X(PEM_read_PrivateKey) X(PEM_read_bio_PrivateKey) \
	X(PEM_read_bio_X509) X(PEM_write_bio_PrivateKey) \
	X(PEM_write_bio_PrivateKey_traditional) X(X509_NAME_oneline) \
	X(X509_STORE_CTX_free) X(X509_STORE_CTX_get0_param) \
	X(X509_STORE_CTX_get_error) X(X509_STORE_CTX_init) \
	X(X509_STORE_CTX_new) X(X509_STORE_add_cert) X(X509_STORE_free) \
	X(X509_STORE_load_locations) X(X509_STORE_new) \
	X(X509_STORE_set_default_paths) X(X509_VERIFY_PARAM_set1_host) \
	X(X509_VERIFY_PARAM_set_flags) X(X509_cmp_current_time) \
	X(X509_free) X(X509_get0_notAfter) X(X509_get0_notBefore) \
	X(X509_get_X509_PUBKEY) X(X509_get_ext_d2i) \
	X(X509_get_subject_name) X(X509_verify_cert) \
	X(X509_verify_cert_error_string) X(d2i_PUBKEY) X(d2i_PublicKey) \
	X(i2d_PUBKEY) X(i2d_X509) X(i2d_X509_PUBKEY)
#define AW_SSL_FUNCS(X) X(SSL_CTX_free) X(SSL_CTX_new) X(SSL_connect) X(SSL_ctrl) \
	X(SSL_free) X(SSL_get1_peer_certificate) \
	X(SSL_get_peer_cert_chain) X(SSL_new) X(SSL_set_fd) \
	X(SSL_shutdown) X(TLS_client_method)

struct aw_crypto {
#define AW_OPENSSL_PTR(f) __typeof__(f) *f;
	AW_CRYPTO_FUNCS(AW_OPENSSL_PTR)
};
struct aw_ssl {
	AW_SSL_FUNCS(AW_OPENSSL_PTR)
#undef AW_OPENSSL_PTR
};
extern struct aw_crypto aw_crypto;
extern struct aw_ssl aw_ssl;

/* Open libcrypto, or libssl (and libcrypto), once; later calls return
 * true at once. False when it cannot, with err (may be NULL) naming the
 * Debian package. Every entry point that calls OpenSSL calls one first. */
bool aw_crypto_load(struct aw_error *err);
bool aw_ssl_load(struct aw_error *err);

#ifndef AW_OPENSSL_LOADER
#undef ASN1_STRING_get0_data
#define ASN1_STRING_get0_data (*aw_crypto.ASN1_STRING_get0_data)
#undef ASN1_STRING_length
#define ASN1_STRING_length (*aw_crypto.ASN1_STRING_length)
#undef ASN1_TIME_to_tm
#define ASN1_TIME_to_tm (*aw_crypto.ASN1_TIME_to_tm)
#undef BIO_ctrl
#define BIO_ctrl (*aw_crypto.BIO_ctrl)
#undef BIO_free
#define BIO_free (*aw_crypto.BIO_free)
#undef BIO_new
#define BIO_new (*aw_crypto.BIO_new)
#undef BIO_new_mem_buf
#define BIO_new_mem_buf (*aw_crypto.BIO_new_mem_buf)
#undef BIO_s_mem
#define BIO_s_mem (*aw_crypto.BIO_s_mem)
#undef CRYPTO_free
#define CRYPTO_free (*aw_crypto.CRYPTO_free)
#undef ERR_clear_error
#define ERR_clear_error (*aw_crypto.ERR_clear_error)
#undef ERR_error_string_n
#define ERR_error_string_n (*aw_crypto.ERR_error_string_n)
#undef ERR_get_error
#define ERR_get_error (*aw_crypto.ERR_get_error)
#undef EVP_DecodeFinal
#define EVP_DecodeFinal (*aw_crypto.EVP_DecodeFinal)
#undef EVP_DecodeInit
#define EVP_DecodeInit (*aw_crypto.EVP_DecodeInit)
#undef EVP_DecodeUpdate
#define EVP_DecodeUpdate (*aw_crypto.EVP_DecodeUpdate)
#undef EVP_Digest
#define EVP_Digest (*aw_crypto.EVP_Digest)
#undef EVP_DigestSign
#define EVP_DigestSign (*aw_crypto.EVP_DigestSign)
#undef EVP_DigestSignInit
#define EVP_DigestSignInit (*aw_crypto.EVP_DigestSignInit)
#undef EVP_ENCODE_CTX_free
#define EVP_ENCODE_CTX_free (*aw_crypto.EVP_ENCODE_CTX_free)
#undef EVP_ENCODE_CTX_new
#define EVP_ENCODE_CTX_new (*aw_crypto.EVP_ENCODE_CTX_new)
#undef EVP_EncodeBlock
#define EVP_EncodeBlock (*aw_crypto.EVP_EncodeBlock)
#undef EVP_MD_CTX_free
#define EVP_MD_CTX_free (*aw_crypto.EVP_MD_CTX_free)
#undef EVP_MD_CTX_new
#define EVP_MD_CTX_new (*aw_crypto.EVP_MD_CTX_new)
#undef EVP_PKEY_Q_keygen
#define EVP_PKEY_Q_keygen (*aw_crypto.EVP_PKEY_Q_keygen)
#undef EVP_PKEY_eq
#define EVP_PKEY_eq (*aw_crypto.EVP_PKEY_eq)
#undef EVP_PKEY_free
#define EVP_PKEY_free (*aw_crypto.EVP_PKEY_free)
#undef EVP_PKEY_get_base_id
#define EVP_PKEY_get_base_id (*aw_crypto.EVP_PKEY_get_base_id)
#undef EVP_PKEY_get_bits
#define EVP_PKEY_get_bits (*aw_crypto.EVP_PKEY_get_bits)
#undef EVP_PKEY_get_raw_public_key
#define EVP_PKEY_get_raw_public_key (*aw_crypto.EVP_PKEY_get_raw_public_key)
#undef EVP_PKEY_get_size
#define EVP_PKEY_get_size (*aw_crypto.EVP_PKEY_get_size)
#undef EVP_PKEY_new_raw_public_key
#define EVP_PKEY_new_raw_public_key (*aw_crypto.EVP_PKEY_new_raw_public_key)
#undef EVP_sha256
#define EVP_sha256 (*aw_crypto.EVP_sha256)
#undef EVP_sha512
#define EVP_sha512 (*aw_crypto.EVP_sha512)
#undef EXTENDED_KEY_USAGE_free
#define EXTENDED_KEY_USAGE_free (*aw_crypto.EXTENDED_KEY_USAGE_free)
#undef GENERAL_NAME_free
#define GENERAL_NAME_free (*aw_crypto.GENERAL_NAME_free)
#undef OBJ_obj2txt
#define OBJ_obj2txt (*aw_crypto.OBJ_obj2txt)
#undef OPENSSL_cleanse
#define OPENSSL_cleanse (*aw_crypto.OPENSSL_cleanse)
#undef OPENSSL_sk_new_null
#define OPENSSL_sk_new_null (*aw_crypto.OPENSSL_sk_new_null)
#undef OPENSSL_sk_num
#define OPENSSL_sk_num (*aw_crypto.OPENSSL_sk_num)
#undef OPENSSL_sk_pop_free
#define OPENSSL_sk_pop_free (*aw_crypto.OPENSSL_sk_pop_free)
#undef OPENSSL_sk_push
#define OPENSSL_sk_push (*aw_crypto.OPENSSL_sk_push)
#undef OPENSSL_sk_value
#define OPENSSL_sk_value (*aw_crypto.OPENSSL_sk_value)
#undef PEM_read_PrivateKey
#define PEM_read_PrivateKey (*aw_crypto.PEM_read_PrivateKey)
#undef PEM_read_bio_PrivateKey
#define PEM_read_bio_PrivateKey (*aw_crypto.PEM_read_bio_PrivateKey)
#undef PEM_read_bio_X509
#define PEM_read_bio_X509 (*aw_crypto.PEM_read_bio_X509)
#undef PEM_write_bio_PrivateKey
#define PEM_write_bio_PrivateKey (*aw_crypto.PEM_write_bio_PrivateKey)
#undef PEM_write_bio_PrivateKey_traditional
#define PEM_write_bio_PrivateKey_traditional (*aw_crypto.PEM_write_bio_PrivateKey_traditional)
#undef X509_NAME_oneline
#define X509_NAME_oneline (*aw_crypto.X509_NAME_oneline)
#undef X509_STORE_CTX_free
#define X509_STORE_CTX_free (*aw_crypto.X509_STORE_CTX_free)
#undef X509_STORE_CTX_get0_param
#define X509_STORE_CTX_get0_param (*aw_crypto.X509_STORE_CTX_get0_param)
#undef X509_STORE_CTX_get_error
#define X509_STORE_CTX_get_error (*aw_crypto.X509_STORE_CTX_get_error)
#undef X509_STORE_CTX_init
#define X509_STORE_CTX_init (*aw_crypto.X509_STORE_CTX_init)
#undef X509_STORE_CTX_new
#define X509_STORE_CTX_new (*aw_crypto.X509_STORE_CTX_new)
#undef X509_STORE_add_cert
#define X509_STORE_add_cert (*aw_crypto.X509_STORE_add_cert)
#undef X509_STORE_free
#define X509_STORE_free (*aw_crypto.X509_STORE_free)
#undef X509_STORE_load_locations
#define X509_STORE_load_locations (*aw_crypto.X509_STORE_load_locations)
#undef X509_STORE_new
#define X509_STORE_new (*aw_crypto.X509_STORE_new)
#undef X509_STORE_set_default_paths
#define X509_STORE_set_default_paths (*aw_crypto.X509_STORE_set_default_paths)
#undef X509_VERIFY_PARAM_set1_host
#define X509_VERIFY_PARAM_set1_host (*aw_crypto.X509_VERIFY_PARAM_set1_host)
#undef X509_VERIFY_PARAM_set_flags
#define X509_VERIFY_PARAM_set_flags (*aw_crypto.X509_VERIFY_PARAM_set_flags)
#undef X509_cmp_current_time
#define X509_cmp_current_time (*aw_crypto.X509_cmp_current_time)
#undef X509_free
#define X509_free (*aw_crypto.X509_free)
#undef X509_get0_notAfter
#define X509_get0_notAfter (*aw_crypto.X509_get0_notAfter)
#undef X509_get0_notBefore
#define X509_get0_notBefore (*aw_crypto.X509_get0_notBefore)
#undef X509_get_X509_PUBKEY
#define X509_get_X509_PUBKEY (*aw_crypto.X509_get_X509_PUBKEY)
#undef X509_get_ext_d2i
#define X509_get_ext_d2i (*aw_crypto.X509_get_ext_d2i)
#undef X509_get_subject_name
#define X509_get_subject_name (*aw_crypto.X509_get_subject_name)
#undef X509_verify_cert
#define X509_verify_cert (*aw_crypto.X509_verify_cert)
#undef X509_verify_cert_error_string
#define X509_verify_cert_error_string (*aw_crypto.X509_verify_cert_error_string)
#undef d2i_PUBKEY
#define d2i_PUBKEY (*aw_crypto.d2i_PUBKEY)
#undef d2i_PublicKey
#define d2i_PublicKey (*aw_crypto.d2i_PublicKey)
#undef i2d_PUBKEY
#define i2d_PUBKEY (*aw_crypto.i2d_PUBKEY)
#undef i2d_X509
#define i2d_X509 (*aw_crypto.i2d_X509)
#undef i2d_X509_PUBKEY
#define i2d_X509_PUBKEY (*aw_crypto.i2d_X509_PUBKEY)
#undef SSL_CTX_free
#define SSL_CTX_free (*aw_ssl.SSL_CTX_free)
#undef SSL_CTX_new
#define SSL_CTX_new (*aw_ssl.SSL_CTX_new)
#undef SSL_connect
#define SSL_connect (*aw_ssl.SSL_connect)
#undef SSL_ctrl
#define SSL_ctrl (*aw_ssl.SSL_ctrl)
#undef SSL_free
#define SSL_free (*aw_ssl.SSL_free)
#undef SSL_get1_peer_certificate
#define SSL_get1_peer_certificate (*aw_ssl.SSL_get1_peer_certificate)
#undef SSL_get_peer_cert_chain
#define SSL_get_peer_cert_chain (*aw_ssl.SSL_get_peer_cert_chain)
#undef SSL_new
#define SSL_new (*aw_ssl.SSL_new)
#undef SSL_set_fd
#define SSL_set_fd (*aw_ssl.SSL_set_fd)
#undef SSL_shutdown
#define SSL_shutdown (*aw_ssl.SSL_shutdown)
#undef TLS_client_method
#define TLS_client_method (*aw_ssl.TLS_client_method)
#endif

#endif
