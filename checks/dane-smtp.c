/* dane-smtp.c: the opt-in DANE probe (dane --smtp): connect to an MX
 * host on port 25, EHLO, STARTTLS, and match the certificate chain it
 * presents against its TLSA records as RFC 7672 §3 says: DANE-EE (3) the
 * leaf alone (names and dates not checked), DANE-TA (2) a certificate of
 * the chain as trust anchor, the leaf chaining to it and naming the host.
 *
 * OpenSSL's libssl is used here (its one user, through checks/openssl.h,
 * opened when the probe first runs) rather than libcurl's SMTP: curl cannot stop
 * after STARTTLS without sending a mail command, hands the chain out as
 * PEM text that would need OpenSSL to parse anyway, and resolves the host
 * itself; here the address is the one the validator found. Blocking, each
 * step bounded by the timeout; loopback tests use another port. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "checks/dane.h"
#include "checks/openssl.h"
#include "core/i18n.h"

#define REPLY_MAX 8192

/* Reads one SMTP reply (all its lines); its code, or -1. *has_starttls
 * when a line offers STARTTLS (an EHLO reply). */
static int
read_reply(int fd, bool *has_starttls)
{
	char buf[REPLY_MAX];
	size_t used = 0, start = 0;
	ssize_t got;

	for (;;) {
		char *nl;

		while ((nl = memchr(buf + start, '\n', used - start)) != NULL) {
			char *line = buf + start;
			size_t len = (size_t)(nl - line);

			start += len + 1;
			if (len < 3 || line[0] < '2' || line[0] > '5')
				return -1;
			if (has_starttls != NULL && len >= 12 &&
			    strncasecmp(line + 4, "STARTTLS", 8) == 0)
				*has_starttls = true;
			if (len == 3 || line[3] == ' ' || line[3] == '\r')
				return (line[0] - '0') * 100 +
				    (line[1] - '0') * 10 + (line[2] - '0');
		}
		if (used == sizeof buf)
			return -1;           /* a reply longer than we read */
		got = recv(fd, buf + used, sizeof buf - used, 0);
		if (got <= 0)
			return -1;
		used += (size_t)got;
	}
}

static bool
send_line(int fd, const char *s)
{
	size_t len = strlen(s);

	return send(fd, s, len, MSG_NOSIGNAL) == (ssize_t)len;
}

static int
connect_to(const char *addr, int port, int timeout_ms)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *in4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };
	socklen_t sl;
	int fd;

	memset(&ss, 0, sizeof ss);
	if (inet_pton(AF_INET, addr, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)port);
		sl = sizeof *in4;
	} else if (inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		sl = sizeof *in6;
	} else {
		return -1;
	}
	if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	/* Linux bounds connect() by the send timeout too. */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	if (connect(fd, (struct sockaddr *)&ss, sl) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The bytes a TLSA record of this selector and matching type is compared
 * with, for cert. */
static bool
tlsa_matches(const struct aw_tlsa *t, X509 *cert)
{
	unsigned char *der = NULL, md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	int len;
	bool ok = false;

	if (t->selector == 0)
		len = i2d_X509(cert, &der);
	else
		len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &der);
	if (len <= 0)
		return false;
	if (t->mtype == 0)
		ok = (size_t)len == t->len && memcmp(der, t->data, t->len) == 0;
	else if (EVP_Digest(der, (size_t)len, md, &mdlen, t->mtype == 1 ?
	    EVP_sha256() : EVP_sha512(), NULL) == 1)
		ok = mdlen == t->len && memcmp(md, t->data, mdlen) == 0;
	OPENSSL_free(der);
	return ok;
}

/* DANE-TA: ta as the one trust anchor, the leaf chaining to it through
 * the rest of the chain and naming host (RFC 7672 §3.2.2). */
static bool
ta_verifies(X509 *ta, X509 *leaf, STACK_OF(X509) *chain, const char *host)
{
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	bool ok = false;

	if (store != NULL && ctx != NULL && X509_STORE_add_cert(store, ta) == 1 &&
	    X509_STORE_CTX_init(ctx, store, leaf, chain) == 1) {
		X509_VERIFY_PARAM *p = X509_STORE_CTX_get0_param(ctx);

		X509_VERIFY_PARAM_set_flags(p, X509_V_FLAG_PARTIAL_CHAIN);
		X509_VERIFY_PARAM_set1_host(p, host, 0);
		ok = X509_verify_cert(ctx) == 1;
	}
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	return ok;
}

/* Which usable record the presented chain satisfies; -1: none. */
static int
match_chain(const struct aw_tlsa *t, size_t n, X509 *leaf,
    STACK_OF(X509) *chain, const char *host)
{
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		if (t[i].selector > 1 || t[i].mtype > 2)
			continue;
		if (t[i].usage == 3 && tlsa_matches(&t[i], leaf))
			return (int)i;
		if (t[i].usage != 2)
			continue;
		for (k = 0; chain != NULL && k < sk_X509_num(chain); k++) {
			X509 *c = sk_X509_value(chain, k);

			if (tlsa_matches(&t[i], c) &&
			    ta_verifies(c, leaf, chain, host))
				return (int)i;
		}
	}
	return -1;
}

/* The TLS part, on fd after "220" to STARTTLS. */
static void
tls_probe(struct aw_findings *f, int fd, const char *host,
    struct aw_dane_host *h)
{
	SSL_CTX *ctx;
	SSL *ssl = NULL;
	X509 *leaf = NULL;
	struct aw_error err;
	int m;

	aw_error_clear(&err);
	if (!aw_ssl_load(&err)) {
		h->smtp = "tls-failed";
		aw_findings_add(f, AW_SEV_ERROR, "dane.smtp-tls-failed", NULL,
		    "%s", err.msg);
		return;
	}
	ctx = SSL_CTX_new(TLS_client_method());
	if (ctx == NULL || (ssl = SSL_new(ctx)) == NULL ||
	    SSL_set_fd(ssl, fd) != 1 ||
	    SSL_set_tlsext_host_name(ssl, host) != 1 ||
	    SSL_connect(ssl) != 1 ||
	    (leaf = SSL_get1_peer_certificate(ssl)) == NULL) {
		h->smtp = "tls-failed";
		aw_findings_add(f, AW_SEV_ERROR, "dane.smtp-tls-failed",
		    "RFC 7672 §2.2",
		    _("the TLS handshake with %s after STARTTLS failed"), host);
		goto out;
	}
	m = match_chain(h->tlsa, h->ntlsa, leaf, SSL_get_peer_cert_chain(ssl),
	    host);
	if (m >= 0) {
		h->smtp = "match";
		aw_findings_add(f, AW_SEV_NOTE, "dane.smtp-match", "RFC 7672 §3",
		    _("%s presents a certificate that TLSA record %u %u %u matches"),
		    host, h->tlsa[m].usage, h->tlsa[m].selector,
		    h->tlsa[m].mtype);
	} else {
		h->smtp = "no-match";
		aw_findings_add(f, AW_SEV_ERROR, "dane.smtp-no-match",
		    "RFC 7672 §3",
		    _("the certificate %s presents matches none of its TLSA records: DANE clients will not deliver to it"),
		    host);
	}
	SSL_shutdown(ssl);
out:
	X509_free(leaf);
	SSL_free(ssl);
	SSL_CTX_free(ctx);
}

static void probe(struct aw_findings *f, struct aw_dane_host *h, int port,
    int timeout_ms);

void
aw_dane_smtp_probe(struct aw_findings *f, struct aw_dane_host *h, int port,
    int timeout_ms)
{
	struct sigaction ign, old;

	/* a server that hangs up mid-handshake must not end the program:
	 * OpenSSL writes with plain send() */
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &old);
	probe(f, h, port, timeout_ms);
	sigaction(SIGPIPE, &old, NULL);
}

static void
probe(struct aw_findings *f, struct aw_dane_host *h, int port,
    int timeout_ms)
{
	struct sockaddr_storage me;
	socklen_t ml = sizeof me;
	char ehlo[80], ip[INET6_ADDRSTRLEN] = "127.0.0.1";
	bool starttls = false;
	int fd;

	if (h->addr[0] == '\0' ||
	    (fd = connect_to(h->addr, port, timeout_ms)) < 0) {
		h->smtp = "connect-failed";
		aw_findings_add(f, AW_SEV_WARNING, "dane.smtp-connect-failed",
		    NULL, _("could not connect to %s (%s) on port %d"),
		    h->host, h->addr[0] ? h->addr : "?", port);
		return;
	}
	/* EHLO with our address literal (RFC 5321 §4.1.3) */
	memset(&me, 0, sizeof me);
	if (getsockname(fd, (struct sockaddr *)&me, &ml) == 0) {
		if (me.ss_family == AF_INET6)
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&me)->sin6_addr,
			    ip, sizeof ip);
		else
			inet_ntop(AF_INET, &((struct sockaddr_in *)&me)->sin_addr,
			    ip, sizeof ip);
	}
	snprintf(ehlo, sizeof ehlo, "EHLO [%s%s]\r\n",
	    me.ss_family == AF_INET6 ? "IPv6:" : "", ip);
	if (read_reply(fd, NULL) != 220 || !send_line(fd, ehlo) ||
	    read_reply(fd, &starttls) != 250) {
		h->smtp = "smtp-failed";
		aw_findings_add(f, AW_SEV_WARNING, "dane.smtp-failed", NULL,
		    _("%s did not greet or answer EHLO as an SMTP server does"),
		    h->host);
	} else if (!starttls) {
		h->smtp = "no-starttls";
		aw_findings_add(f, AW_SEV_ERROR, "dane.smtp-no-starttls",
		    "RFC 7672 §2.2",
		    _("%s has TLSA records but does not offer STARTTLS: DANE clients will not deliver to it"),
		    h->host);
	} else if (!send_line(fd, "STARTTLS\r\n") ||
	    read_reply(fd, NULL) != 220) {
		h->smtp = "no-starttls";
		aw_findings_add(f, AW_SEV_ERROR, "dane.smtp-no-starttls",
		    "RFC 7672 §2.2",
		    _("%s offers STARTTLS but refused it"), h->host);
	} else {
		tls_probe(f, fd, h->host, h);
	}
	close(fd);
}
