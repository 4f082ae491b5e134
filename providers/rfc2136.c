/* rfc2136.c: any name server that takes RFC 2136 dynamic updates signed
 * with TSIG (RFC 8945): BIND, Knot, PowerDNS. Messages are built, signed
 * and their answers' TSIG verified with ldns (never by hand); everything
 * goes to the zone's primary over TCP. Each update carries RFC 2136 §2.4
 * prerequisites: the RRset exactly as read (RDATA byte for byte, a TXT of
 * two character-strings stays two), or "RRset does not exist", so an edit
 * made by someone else after the read fails the update and changes nothing.
 *
 * The host speaks DNS, not HTTP: each step does its exchange itself
 * (blocking, bounded by a timeout) and finishes the op in that step; before
 * an update is sent the op's before_send is called (the journal first). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ldns/ldns.h>

#include "core/i18n.h"
#include "core/str.h"
#include "providers/hosts.h"
#include "providers/provider.h"
#include "providers/rfc2136.h"
#include "providers/rfc2136-ldns.h"

#define RFC2136_TIMEOUT_S 10
#define RFC2136_FUDGE 300

/* The RRset of a name as last read (raw RRs), for the prerequisites. */
struct rfc2136_seen {
	char *name;
	enum aw_record_type type;
	ldns_rr_list *rrs;            /* owned */
};

struct rfc2136 {
	char *server;                 /* "host:port" as given (shown) */
	struct sockaddr_storage addr;
	socklen_t addrlen;
	char *key_name;               /* "name." */
	char *secret;                 /* base64; secret */
	char *alg;                    /* "hmac-sha256." */
	struct rfc2136_seen *seen;
	size_t nseen;
	unsigned last_tsig_error;     /* of the last answer (0: none) */
	bool last_unsigned;           /* the last answer carried no TSIG */
};

static const struct aw_provider_option rfc2136_options[] = {
	{ "rfc2136-nameserver", "RFC2136_NAMESERVER",
	  N_("RFC 2136: the zone's primary name server, HOST[:PORT] (default: the SOA MNAME, port 53)"), false, false, NULL },
	{ "tsig-key", "RFC2136_TSIG_KEY", N_("RFC 2136: the TSIG key's name"),
	  false, true, N_("TSIG key name") },
	{ "tsig-secret", "RFC2136_TSIG_SECRET",
	  N_("RFC 2136: the TSIG secret (base64)"), true, true,
	  N_("TSIG secret") },
	{ "tsig-algorithm", "RFC2136_TSIG_ALGORITHM",
	  N_("RFC 2136: hmac-sha256 (default), hmac-sha384 or hmac-sha512"),
	  false, false, NULL },
	{ "tsig-keyfile", "RFC2136_TSIG_FILE",
	  N_("RFC 2136: a TSIG key file as tsig-keygen writes it (mode 0600)"),
	  false, false, NULL },
	{ NULL, NULL, NULL, false, false, NULL }
};

/* "host", "host:port", "[v6]:port", "v6" -> address. */
static enum aw_status
rfc2136_resolve(struct rfc2136 *s, const char *spec, struct aw_error *err)
{
	char host[256], port[8] = "53";
	const char *colon = strrchr(spec, ':');
	struct addrinfo hints, *res = NULL;
	int rc;

	if (spec[0] == '[') {
		const char *close = strchr(spec, ']');

		if (close == NULL || (size_t)(close - spec) >= sizeof host)
			goto bad;
		snprintf(host, sizeof host, "%.*s", (int)(close - spec - 1), spec + 1);
		if (close[1] == ':')
			snprintf(port, sizeof port, "%s", close + 2);
		else if (close[1] != '\0')
			goto bad;
	} else if (colon != NULL && strchr(spec, ':') == colon) {
		if ((size_t)(colon - spec) >= sizeof host || strlen(colon + 1) >= sizeof port)
			goto bad;
		snprintf(host, sizeof host, "%.*s", (int)(colon - spec), spec);
		snprintf(port, sizeof port, "%s", colon + 1);
	} else if (strlen(spec) < sizeof host)
		snprintf(host, sizeof host, "%s", spec);
	else
		goto bad;
	if (host[0] == '\0' || port[strspn(port, "0123456789")] != '\0' ||
	    atoi(port) <= 0 || atoi(port) > 65535)
		goto bad;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	if ((rc = getaddrinfo(host, port, &hints, &res)) != 0 || res == NULL) {
		aw_i18n_init();    /* gai_strerror's text in the language */
		return aw_error_setw(err, AW_ERR_DNS, spec,
		    _("RFC 2136: cannot find the name server's address: %s"),
		    gai_strerror(rc));
	}
	memcpy(&s->addr, res->ai_addr, res->ai_addrlen);
	s->addrlen = res->ai_addrlen;
	freeaddrinfo(res);
	return AW_OK;
bad:
	return aw_error_setw(err, AW_ERR_INVALID, spec,
	    _("RFC 2136: the name server must be HOST[:PORT]"));
}

static void
rfc2136_close(void *state)
{
	struct rfc2136 *s = state;
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nseen; i++) {
		free(s->seen[i].name);
		ldns_rr_list_deep_free(s->seen[i].rrs);
	}
	free(s->seen);
	free(s->server);
	free(s->key_name);
	aw_str_wipe(s->secret);
	free(s->secret);
	free(s->alg);
	free(s);
}

static enum aw_status
rfc2136_open(const struct aw_provider_config *cfg, void **state,
    struct aw_error *err)
{
	const char *server = aw_provider_config_get(cfg, "RFC2136_NAMESERVER");
	const char *file = aw_provider_config_get(cfg, "RFC2136_TSIG_FILE");
	const char *algword = aw_provider_config_get(cfg, "RFC2136_TSIG_ALGORITHM");
	char *name = NULL, *alg = NULL, *secret = NULL;
	struct rfc2136 *s;
	enum aw_status st;
	size_t n;

	if (!rfc2136_ldns_load(err))
		return AW_ERR_PROVIDER;
	if (file != NULL) {
		if ((st = aw_rfc2136_read_keyfile(file, &name, &alg, &secret, err)) != AW_OK)
			return st;
	} else {
		const char *k = aw_provider_config_get(cfg, "RFC2136_TSIG_KEY");
		const char *v = aw_provider_config_get(cfg, "RFC2136_TSIG_SECRET");

		if (k == NULL || v == NULL)
			return aw_error_set(err, AW_ERR_AUTH,
			    _("RFC 2136: no TSIG key (set RFC2136_TSIG_KEY and RFC2136_TSIG_SECRET, or --tsig-keyfile FILE)"));
		if (!aw_rfc2136_base64_ok(v))
			return aw_error_set(err, AW_ERR_AUTH,
			    _("RFC 2136: the TSIG secret is not base64"));
		name = strdup(k);
		secret = strdup(v);
		alg = algword != NULL ? strdup(algword) : NULL;
		if (name == NULL || secret == NULL || (algword != NULL && alg == NULL))
			goto nomem;
	}
	if ((s = calloc(1, sizeof *s)) == NULL)
		goto nomem;
	s->secret = secret;
	secret = NULL;
	n = strlen(name);
	if (n == 0 || n > 253 || asprintf(&s->key_name, "%s%s", name,
	    name[n - 1] == '.' ? "" : ".") < 0) {
		s->key_name = NULL;
		rfc2136_close(s);
		free(name);
		free(alg);
		return aw_error_set(err, AW_ERR_AUTH, _("RFC 2136: a bad TSIG key name"));
	}
	free(name);
	if (aw_rfc2136_algorithm(alg) == NULL) {
		st = aw_error_setw(err, AW_ERR_AUTH, alg,
		    _("RFC 2136: unknown TSIG algorithm (hmac-sha256, hmac-sha384, hmac-sha512)"));
		free(alg);
		rfc2136_close(s);
		return st;
	}
	s->alg = strdup(aw_rfc2136_algorithm(alg));
	free(alg);
	s->server = server != NULL ? strdup(server) : NULL;
	if (s->alg == NULL || (server != NULL && s->server == NULL)) {
		rfc2136_close(s);
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	}
	/* Without one: the primary named in the zone's SOA (find_zone). */
	if (server != NULL && (st = rfc2136_resolve(s, server, err)) != AW_OK) {
		rfc2136_close(s);
		return st;
	}
	*state = s;
	return AW_OK;
nomem:
	free(name);
	free(alg);
	aw_str_wipe(secret);
	free(secret);
	return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
}

/* The TSIG error of a reply's TSIG record (RFC 8945 §5.3), 0 if none. */
static unsigned
rfc2136_tsig_error(const ldns_pkt *p)
{
	const ldns_rr *t = ldns_pkt_tsig(p);

	if (t == NULL || ldns_rr_rd_count(t) < 6)
		return 0;
	return ldns_rdf2native_int16(ldns_rr_rdf(t, 5));
}

static const char *
rfc2136_tsig_error_name(unsigned e)
{
	switch (e) {
	case 16:
		return "BADSIG";
	case 17:
		return "BADKEY";
	case 18:
		return "BADTIME";
	case 22:
		return "BADTRUNC";
	}
	return "TSIG error";
}

static const char *
rfc2136_rcode_name(unsigned rc)
{
	static const char *const names[] = { "NOERROR", "FORMERR", "SERVFAIL",
	    "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET",
	    "NOTAUTH", "NOTZONE" };

	return rc < sizeof names / sizeof names[0] ? names[rc] : "RCODE?";
}

/* Signs q, sends it over TCP, reads and checks the reply: same id, and
 * its TSIG verified with the key (a TSIG error or an unsigned reply is
 * AW_ERR_AUTH). *sent: the server may have acted on it (false when it
 * was not sent, or refused with a TSIG error or an error code). */
static enum aw_status
rfc2136_exchange(struct rfc2136 *s, ldns_pkt *q, ldns_pkt **reply,
    bool *sent, struct aw_error *err)
{
	struct timeval tv = { RFC2136_TIMEOUT_S, 0 };
	ldns_buffer *qb = NULL;
	ldns_rdf *mac = NULL;
	uint8_t *wire = NULL;
	size_t size = 0;
	ldns_pkt *r = NULL;
	ldns_status ls;
	enum aw_status st = AW_OK;
	unsigned terr;
	int fd = -1;

	*reply = NULL;
	if (sent != NULL)
		*sent = false;
	s->last_tsig_error = 0;
	s->last_unsigned = false;
	ldns_pkt_set_id(q, ldns_get_random());
	if ((ls = ldns_pkt_tsig_sign(q, s->key_name, s->secret, RFC2136_FUDGE,
	    s->alg, NULL)) != LDNS_STATUS_OK)
		return aw_error_set(err, AW_ERR_AUTH,
		    _("RFC 2136: cannot sign with the TSIG key: %s"),
		    ldns_get_errorstr_by_id(ls));
	if ((mac = ldns_rdf_clone(ldns_rr_rdf(ldns_pkt_tsig(q), 3))) == NULL ||
	    (qb = ldns_buffer_new(LDNS_MAX_PACKETLEN)) == NULL ||
	    ldns_pkt2buffer_wire(qb, q) != LDNS_STATUS_OK) {
		st = aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
		goto out;
	}
	if ((fd = ldns_tcp_connect2(&s->addr, s->addrlen, tv)) < 0) {
		st = aw_error_setw(err, AW_ERR_DNS, s->server,
		    _("RFC 2136: cannot connect to the name server"));
		goto out;
	}
	if (ldns_tcp_send_query(qb, fd, &s->addr, s->addrlen) <= 0) {
		st = aw_error_setw(err, AW_ERR_DNS, s->server,
		    _("RFC 2136: the name server closed the connection"));
		if (sent != NULL)
			*sent = true;     /* part of it may have gone */
		goto out;
	}
	if (sent != NULL)
		*sent = true;
	wire = ldns_tcp_read_wire_timeout(fd, &size, tv);
	if (wire == NULL || ldns_wire2pkt(&r, wire, size) != LDNS_STATUS_OK ||
	    ldns_pkt_id(r) != ldns_pkt_id(q) || !ldns_pkt_qr(r)) {
		st = aw_error_setw(err, AW_ERR_DNS, s->server,
		    _("RFC 2136: no usable answer from the name server"));
		goto out;
	}
	if ((terr = rfc2136_tsig_error(r)) != 0) {
		s->last_tsig_error = terr;
		st = aw_error_setw(err, AW_ERR_AUTH, s->server,
		    _("RFC 2136: the name server refused the TSIG key %s: %s (%s)"),
		    s->key_name, rfc2136_tsig_error_name(terr),
		    rfc2136_rcode_name(ldns_pkt_get_rcode(r)));
		if (err != NULL)
			err->code = (int)ldns_pkt_get_rcode(r);
		if (sent != NULL)
			*sent = false;    /* refused before it was looked at */
		goto out;
	}
	if (ldns_pkt_tsig(r) == NULL) {
		s->last_unsigned = true;
		st = aw_error_setw(err, AW_ERR_AUTH, s->server,
		    _("RFC 2136: the answer is not signed with the TSIG key (%s)"),
		    rfc2136_rcode_name(ldns_pkt_get_rcode(r)));
		if (err != NULL)
			err->code = (int)ldns_pkt_get_rcode(r);
		/* An unsigned refusal: nothing done; an unsigned "done" is
		 * not believed (the read-back decides). */
		if (sent != NULL && ldns_pkt_get_rcode(r) != LDNS_RCODE_NOERROR)
			*sent = false;
		goto out;
	}
	if (!ldns_pkt_tsig_verify(r, wire, size, s->key_name, s->secret, mac)) {
		st = aw_error_setw(err, AW_ERR_AUTH, s->server,
		    _("RFC 2136: the answer's TSIG signature does not verify"));
		goto out;
	}
	*reply = r;
	r = NULL;
out:
	if (fd >= 0)
		close(fd);
	ldns_pkt_free(r);
	free(wire);
	ldns_buffer_free(qb);
	ldns_rdf_deep_free(mac);
	return st;
}

/* A neutral value (record.h) of one RR. Caller frees. */
static char *
rfc2136_value(const ldns_rr *rr)
{
	struct aw_buf b;
	size_t i;
	char *t;

	aw_buf_init(&b);
	switch (ldns_rr_get_type(rr)) {
	case LDNS_RR_TYPE_TXT:
		for (i = 0; i < ldns_rr_rd_count(rr); i++) {
			const ldns_rdf *f = ldns_rr_rdf(rr, i);
			const uint8_t *d = ldns_rdf_data(f);

			if (ldns_rdf_size(f) >= 1 && d[0] + 1u <= ldns_rdf_size(f))
				aw_buf_append(&b, d + 1, d[0]);
		}
		if (b.data == NULL)
			aw_buf_puts(&b, "");
		return aw_buf_steal(&b);
	case LDNS_RR_TYPE_MX:
		if (ldns_rr_rd_count(rr) < 2)
			break;
		aw_buf_printf(&b, "%u ", ldns_rdf2native_int16(ldns_rr_rdf(rr, 0)));
		t = ldns_rdf2str(ldns_rr_rdf(rr, 1));
		aw_buf_puts(&b, t != NULL ? t : "");
		free(t);
		t = aw_buf_steal(&b);
		if (t != NULL && strlen(t) > 1 && t[strlen(t) - 1] == '.')
			t[strlen(t) - 1] = '\0';
		return t;
	default:
		break;
	}
	aw_buf_done(&b);
	if (ldns_rr_rd_count(rr) < 1)
		return strdup("");
	t = ldns_rdf2str(ldns_rr_rdf(rr, 0));
	if (t != NULL && ldns_rdf_get_type(ldns_rr_rdf(rr, 0)) == LDNS_RDF_TYPE_DNAME) {
		char *n = aw_domain_normalize(t);

		free(t);
		t = n;
	}
	return t;
}

static char *
rfc2136_owner(const ldns_rr *rr)
{
	char *t = ldns_rdf2str(ldns_rr_owner(rr)), *n;

	if (t == NULL)
		return NULL;
	n = aw_domain_normalize(t);
	free(t);
	return n;
}

/* The RRs of rrs as one record of name and type (empty if none). */
static enum aw_status
rfc2136_to_record(const ldns_rr_list *rrs, const char *name,
    enum aw_record_type type, struct aw_record *out)
{
	enum aw_status st;
	size_t i;

	if ((st = aw_record_init(out, name, type, 0)) != AW_OK)
		return st;
	for (i = 0; rrs != NULL && i < ldns_rr_list_rr_count(rrs); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(rrs, i);
		char *v = rfc2136_value(rr);

		if (v == NULL)
			return AW_ERR_NOMEM;
		out->ttl = ldns_rr_ttl(rr);
		st = aw_record_add(out, v);
		free(v);
		if (st != AW_OK)
			return st;
	}
	return AW_OK;
}

static ldns_pkt *
rfc2136_query_pkt(const char *name, ldns_rr_type type)
{
	ldns_rdf *d = ldns_dname_new_frm_str(name);
	ldns_pkt *q;

	if (d == NULL)
		return NULL;
	q = ldns_pkt_query_new(d, type, LDNS_RR_CLASS_IN, 0);
	if (q == NULL)
		ldns_rdf_deep_free(d);
	return q;
}

/* Reads the RRset of name and type from the primary: *out (may be empty;
 * caller frees) keeps the RRs exactly as they came. */
static enum aw_status
rfc2136_read(struct rfc2136 *s, const char *name, enum aw_record_type type,
    ldns_rr_list **out, struct aw_error *err)
{
	ldns_pkt *q = rfc2136_query_pkt(name, (ldns_rr_type)type), *r = NULL;
	ldns_rr_list *ans, *keep;
	enum aw_status st;
	size_t i;

	*out = NULL;
	if (q == NULL)
		return aw_error_setw(err, AW_ERR_INVALID, name,
		    _("RFC 2136: not a DNS name"));
	st = rfc2136_exchange(s, q, &r, NULL, err);
	ldns_pkt_free(q);
	if (st != AW_OK)
		return st;
	if (ldns_pkt_get_rcode(r) != LDNS_RCODE_NOERROR &&
	    ldns_pkt_get_rcode(r) != LDNS_RCODE_NXDOMAIN) {
		st = aw_error_setw(err, AW_ERR_PROVIDER, name,
		    _("RFC 2136: the name server answered %s"),
		    rfc2136_rcode_name(ldns_pkt_get_rcode(r)));
		ldns_pkt_free(r);
		return st;
	}
	if (!ldns_pkt_aa(r)) {
		ldns_pkt_free(r);
		return aw_error_setw(err, AW_ERR_NOTFOUND, name,
		    _("RFC 2136: the name server is not authoritative for this name"));
	}
	if ((keep = ldns_rr_list_new()) == NULL) {
		ldns_pkt_free(r);
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	}
	ans = ldns_pkt_answer(r);
	for (i = 0; ans != NULL && i < ldns_rr_list_rr_count(ans); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(ans, i);
		char *owner;
		bool mine;

		if (ldns_rr_get_type(rr) != (ldns_rr_type)type ||
		    ldns_rr_get_class(rr) != LDNS_RR_CLASS_IN)
			continue;
		owner = rfc2136_owner(rr);
		mine = owner != NULL && aw_domain_equal(owner, name);
		free(owner);
		if (mine)
			ldns_rr_list_push_rr(keep, ldns_rr_clone(rr));
	}
	ldns_pkt_free(r);
	*out = keep;
	return AW_OK;
}

/* Keeps rrs (taken; NULL: forget) as what was last read of name and
 * type. */
static void
rfc2136_remember(struct rfc2136 *s, const char *name, enum aw_record_type type,
    ldns_rr_list *rrs)
{
	struct rfc2136_seen *v;
	size_t i;

	for (i = 0; i < s->nseen; i++)
		if (s->seen[i].type == type && aw_domain_equal(s->seen[i].name, name)) {
			ldns_rr_list_deep_free(s->seen[i].rrs);
			s->seen[i].rrs = rrs;
			return;
		}
	if (rrs == NULL)
		return;
	if ((v = realloc(s->seen, (s->nseen + 1) * sizeof *v)) == NULL ||
	    (v[s->nseen].name = strdup(name)) == NULL) {
		if (v != NULL)
			s->seen = v;
		ldns_rr_list_deep_free(rrs);
		return;
	}
	s->seen = v;
	v[s->nseen].type = type;
	v[s->nseen].rrs = rrs;
	s->nseen++;
}

/* What was last read of name and type; NULL: not read (or forgotten). */
static const ldns_rr_list *
rfc2136_seen(const struct rfc2136 *s, const char *name, enum aw_record_type type)
{
	size_t i;

	for (i = 0; i < s->nseen; i++)
		if (s->seen[i].type == type && aw_domain_equal(s->seen[i].name, name))
			return s->seen[i].rrs;
	return NULL;
}

/* The types a listing of every type reads (the ones authwizard edits or
 * must not clash with). */
static const enum aw_record_type rfc2136_list_types[] = {
	AW_RECORD_TXT, AW_RECORD_CNAME, AW_RECORD_A, AW_RECORD_AAAA,
	AW_RECORD_MX, AW_RECORD_PTR
};

static enum aw_status
rfc2136_list(struct rfc2136 *s, struct aw_provider_op *op, struct aw_error *err)
{
	size_t i, ntypes = sizeof rfc2136_list_types / sizeof rfc2136_list_types[0];
	enum aw_status st;

	for (i = 0; i < ntypes; i++) {
		enum aw_record_type t = rfc2136_list_types[i];
		ldns_rr_list *rrs;
		struct aw_record rec;

		if (op->type != AW_RECORD_ANY && op->type != t)
			continue;
		if ((st = rfc2136_read(s, op->name, t, &rrs, err)) != AW_OK)
			return st;
		memset(&rec, 0, sizeof rec);
		if (ldns_rr_list_rr_count(rrs) > 0) {
			if ((st = rfc2136_to_record(rrs, op->name, t, &rec)) != AW_OK ||
			    (st = aw_record_set_take(&op->records, &rec)) != AW_OK) {
				aw_record_done(&rec);
				ldns_rr_list_deep_free(rrs);
				return aw_error_set(err, st, _("out of memory"));
			}
		}
		rfc2136_remember(s, op->name, t, rrs);
	}
	op->done = true;
	return AW_OK;
}

/* The MNAME of the SOA at the closest enclosing zone of name, asked
 * through res (a recursive resolver). Caller frees. */
static char *
rfc2136_soa_mname(ldns_resolver *res, const char *name)
{
	struct aw_strv cands;
	char *mname = NULL;
	size_t i, j;

	aw_strv_init(&cands);
	if (aw_provider_suffixes(name, &cands) != AW_OK)
		cands.n = 0;
	for (i = 0; i < cands.n && mname == NULL; i++) {
		ldns_rdf *d = ldns_dname_new_frm_str(cands.v[i]);
		ldns_pkt *r = d != NULL ? ldns_resolver_query(res, d,
		    LDNS_RR_TYPE_SOA, LDNS_RR_CLASS_IN, LDNS_RD) : NULL;
		ldns_rr_list *ans = r != NULL ? ldns_pkt_answer(r) : NULL;

		for (j = 0; ans != NULL && j < ldns_rr_list_rr_count(ans) &&
		    mname == NULL; j++) {
			const ldns_rr *rr = ldns_rr_list_rr(ans, j);
			char *owner;

			if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_SOA ||
			    ldns_rr_rd_count(rr) < 1)
				continue;
			owner = rfc2136_owner(rr);
			if (owner != NULL && aw_domain_equal(owner, cands.v[i]))
				mname = ldns_rdf2str(ldns_rr_rdf(rr, 0));
			free(owner);
		}
		ldns_pkt_free(r);
		ldns_rdf_deep_free(d);
	}
	aw_strv_done(&cands);
	return mname;
}

/* No name server given: the SOA MNAME of the zone holding name (asked
 * through the system's resolvers), port 53. */
static enum aw_status
rfc2136_find_primary(struct rfc2136 *s, const char *name, struct aw_error *err)
{
	ldns_resolver *res = NULL;
	char *host, *spec = NULL;
	enum aw_status st;
	size_t n;

	if (ldns_resolver_new_frm_file(&res, NULL) != LDNS_STATUS_OK)
		return aw_error_set(err, AW_ERR_DNS,
		    _("RFC 2136: no name server given and no resolver to find the zone's primary (set RFC2136_NAMESERVER)"));
	ldns_resolver_set_timeout(res, (struct timeval){ RFC2136_TIMEOUT_S, 0 });
	host = rfc2136_soa_mname(res, name);
	ldns_resolver_deep_free(res);
	if (host == NULL)
		return aw_error_setw(err, AW_ERR_DNS, name,
		    _("RFC 2136: cannot find the zone's primary from its SOA (set RFC2136_NAMESERVER)"));
	n = strlen(host);
	if (n > 1 && host[n - 1] == '.')
		host[n - 1] = '\0';
	if (asprintf(&spec, "%s:53", host) < 0) {
		free(host);
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	}
	free(host);
	if ((st = rfc2136_resolve(s, spec, err)) != AW_OK) {
		free(spec);
		return st;
	}
	free(s->server);
	s->server = spec;
	return AW_OK;
}

static enum aw_status
rfc2136_find_zone(struct rfc2136 *s, struct aw_provider_op *op,
    struct aw_error *err)
{
	struct aw_strv cands;
	enum aw_status st;
	size_t i;

	if (s->server == NULL &&
	    (st = rfc2136_find_primary(s, op->name, err)) != AW_OK)
		return st;

	aw_strv_init(&cands);
	if ((st = aw_provider_suffixes(op->name, &cands)) != AW_OK) {
		aw_strv_done(&cands);
		return aw_error_set(err, st, _("out of memory"));
	}
	for (i = 0; i < cands.n; i++) {
		ldns_rr_list *soa = NULL;
		struct aw_error e;

		aw_error_clear(&e);
		st = rfc2136_read(s, cands.v[i], AW_RECORD_SOA, &soa, &e);
		if (st == AW_ERR_AUTH || st == AW_ERR_DNS) {
			*err = e;
			aw_strv_done(&cands);
			return st;
		}
		if (st == AW_OK && ldns_rr_list_rr_count(soa) > 0) {
			ldns_rr_list_deep_free(soa);
			op->zone.id = strdup(cands.v[i]);
			op->zone.name = strdup(cands.v[i]);
			aw_strv_done(&cands);
			if (op->zone.id == NULL || op->zone.name == NULL)
				return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
			op->done = true;
			return AW_OK;
		}
		ldns_rr_list_deep_free(soa);
	}
	aw_strv_done(&cands);
	return aw_error_setw(err, AW_ERR_NOTFOUND, op->name,
	    _("RFC 2136: the name server holds no zone for this name"));
}

static ldns_rr *
rfc2136_rr_empty(const char *name, ldns_rr_type type, ldns_rr_class cls)
{
	ldns_rr *rr = ldns_rr_new();
	ldns_rdf *d = ldns_dname_new_frm_str(name);

	if (rr == NULL || d == NULL) {
		ldns_rr_free(rr);
		ldns_rdf_deep_free(d);
		return NULL;
	}
	ldns_rr_set_owner(rr, d);
	ldns_rr_set_type(rr, type);
	ldns_rr_set_class(rr, cls);
	ldns_rr_set_ttl(rr, 0);
	ldns_rr_set_question(rr, false);
	return rr;
}

/* A new RR from a neutral value: TXT split into 255-byte strings. */
static ldns_rr *
rfc2136_rr_new(const struct aw_record *r, const char *value, unsigned ttl)
{
	ldns_rr *rr;
	char *text = NULL;

	if (r->type == AW_RECORD_TXT) {
		size_t len = strlen(value), off = 0;

		if ((rr = rfc2136_rr_empty(r->name, LDNS_RR_TYPE_TXT,
		    LDNS_RR_CLASS_IN)) == NULL)
			return NULL;
		ldns_rr_set_ttl(rr, ttl);
		do {
			size_t n = len - off > 255 ? 255 : len - off;
			uint8_t buf[256];
			ldns_rdf *f;

			buf[0] = (uint8_t)n;
			memcpy(buf + 1, value + off, n);
			if ((f = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_STR, n + 1,
			    buf)) == NULL || !ldns_rr_push_rdf(rr, f)) {
				ldns_rdf_deep_free(f);
				ldns_rr_free(rr);
				return NULL;
			}
			off += n;
		} while (off < len);
		return rr;
	}
	if (asprintf(&text, "%s. %u IN %s %s%s", r->name, ttl, r->type_name, value,
	    r->type == AW_RECORD_CNAME || r->type == AW_RECORD_PTR ||
	    r->type == AW_RECORD_NS || r->type == AW_RECORD_MX ? "." : "") < 0)
		return NULL;
	rr = NULL;
	if (ldns_rr_new_frm_str(&rr, text, 0, NULL, NULL) != LDNS_STATUS_OK)
		rr = NULL;
	free(text);
	return rr;
}

/* The UPDATE for change c given cur, the RRset as read (raw): the
 * prerequisite (cur exactly, or no such RRset), the RRset deleted, the
 * new values added (the ones kept as they were read). NULL: no memory or
 * a value ldns cannot take. */
ldns_pkt *
aw_rfc2136_update_pkt(const char *zone, const struct aw_change *c,
    const ldns_rr_list *cur, unsigned default_ttl)
{
	const struct aw_record *nr = &c->new;
	bool loaded = rfc2136_ldns_load(NULL);
	ldns_rr_list *pr = loaded ? ldns_rr_list_new() : NULL;
	ldns_rr_list *up = loaded ? ldns_rr_list_new() : NULL;
	ldns_rdf *z = loaded ? ldns_dname_new_frm_str(zone) : NULL;
	ldns_pkt *p = NULL;
	struct aw_record curv;
	size_t i, j, ncur = loaded && cur != NULL ? ldns_rr_list_rr_count(cur) : 0;
	unsigned ttl = nr->ttl ? nr->ttl : ncur > 0 ?
	    ldns_rr_ttl(ldns_rr_list_rr(cur, 0)) : default_ttl;
	ldns_rr_type type = (ldns_rr_type)nr->type;
	bool ok = pr != NULL && up != NULL && z != NULL;

	if (!loaded)
		return NULL;
	memset(&curv, 0, sizeof curv);
	if (ok && ncur == 0)
		ok = ldns_rr_list_push_rr(pr, rfc2136_rr_empty(nr->name, type,
		    LDNS_RR_CLASS_NONE));
	for (i = 0; ok && i < ncur; i++) {
		ldns_rr *rr = ldns_rr_clone(ldns_rr_list_rr(cur, i));

		if (rr != NULL)
			ldns_rr_set_ttl(rr, 0);
		ok = rr != NULL && ldns_rr_list_push_rr(pr, rr);
	}
	if (ok && ncur > 0)
		ok = ldns_rr_list_push_rr(up, rfc2136_rr_empty(nr->name, type,
		    LDNS_RR_CLASS_ANY));
	for (i = 0; ok && i < nr->values.n; i++) {
		ldns_rr *rr = NULL;

		/* A value that stays goes back as it was read. */
		for (j = 0; j < ncur && rr == NULL; j++) {
			char *v = rfc2136_value(ldns_rr_list_rr(cur, j));

			aw_record_done(&curv);
			if (v != NULL && aw_record_init(&curv, nr->name, nr->type, 0) == AW_OK &&
			    aw_record_add(&curv, v) == AW_OK &&
			    aw_record_find(&curv, nr->values.v[i]) >= 0)
				rr = ldns_rr_clone(ldns_rr_list_rr(cur, j));
			free(v);
		}
		if (rr == NULL)
			rr = rfc2136_rr_new(nr, nr->values.v[i], ttl);
		else
			ldns_rr_set_ttl(rr, ttl);
		ok = rr != NULL && ldns_rr_list_push_rr(up, rr);
	}
	aw_record_done(&curv);
	/* ldns takes z and copies the lists. */
	if (ok && (p = ldns_update_pkt_new(z, LDNS_RR_CLASS_IN, pr, up, NULL)) != NULL)
		ldns_pkt_set_rd(p, false);     /* RFC 2136 §2.2: zero */
	else
		ldns_rdf_deep_free(z);
	ldns_rr_list_deep_free(pr);
	ldns_rr_list_deep_free(up);
	return p;
}

/* One change: the RRset as read (this provider's last listing, else read
 * now), checked against c->old, the UPDATE, the journal, the send. */
static enum aw_status
rfc2136_change_one(struct rfc2136 *s, struct aw_provider_op *op,
    struct aw_change *c, struct aw_error *err)
{
	const ldns_rr_list *cur = rfc2136_seen(s, c->new.name, c->new.type);
	ldns_rr_list *fresh = NULL;
	struct aw_record curv;
	struct aw_http_request req;
	ldns_pkt *q, *r = NULL;
	enum aw_status st;
	bool same, sent = false;
	unsigned rc;

	if (cur == NULL) {
		if ((st = rfc2136_read(s, c->new.name, c->new.type, &fresh, err)) != AW_OK)
			return st;
		cur = fresh;
	}
	memset(&curv, 0, sizeof curv);
	st = rfc2136_to_record(cur, c->new.name, c->new.type, &curv);
	same = st == AW_OK && aw_record_same_values(&curv, &c->old);
	aw_record_done(&curv);
	if (!same) {
		ldns_rr_list_deep_free(fresh);
		c->state = AW_CHANGE_FAILED;
		return aw_error_setw(err, AW_ERR_CONFLICT, c->new.name,
		    _("%s %s changed since it was read; nothing was changed: make a new plan"),
		    c->new.name, c->new.type_name);
	}
	q = aw_rfc2136_update_pkt(op->zone.name, c, cur, aw_rfc2136_ops.default_ttl);
	ldns_rr_list_deep_free(fresh);
	if (q == NULL) {
		c->state = AW_CHANGE_FAILED;
		return aw_error_setw(err, AW_ERR_INVALID, c->new.name,
		    _("RFC 2136: cannot build the update for %s %s"), c->new.name,
		    c->new.type_name);
	}
	if (op->before_send != NULL) {
		aw_http_request_init(&req);
		st = aw_http_request_set(&req, "UPDATE", "dns:update");
		if (st == AW_OK)
			st = op->before_send(op, &req, op->before_arg, err);
		aw_http_request_done(&req);
		if (st != AW_OK) {
			ldns_pkt_free(q);
			return st;
		}
	}
	st = rfc2136_exchange(s, q, &r, &sent, err);
	ldns_pkt_free(q);
	if (sent)      /* what was read is no longer what is there */
		rfc2136_remember(s, c->new.name, c->new.type, NULL);
	if (st != AW_OK) {
		/* Not sent, or a refused key: nothing was made. Otherwise it
		 * stays in flight (the read-back decides). */
		if (!sent)
			c->state = AW_CHANGE_FAILED;
		return st;
	}
	rc = ldns_pkt_get_rcode(r);
	ldns_pkt_free(r);
	if (rc == LDNS_RCODE_NOERROR) {
		c->state = AW_CHANGE_MADE;
		return AW_OK;
	}
	c->state = AW_CHANGE_FAILED;
	if (err != NULL)
		err->code = (int)rc;
	if (rc == LDNS_RCODE_NXRRSET || rc == LDNS_RCODE_YXRRSET ||
	    rc == LDNS_RCODE_NXDOMAIN || rc == LDNS_RCODE_YXDOMAIN)
		return aw_error_setw(err, AW_ERR_CONFLICT, c->new.name,
		    _("%s %s was changed at the name server by someone else since it was read (prerequisite failed: %s); nothing was changed: make a new plan"),
		    c->new.name, c->new.type_name, rfc2136_rcode_name(rc));
	return aw_error_setw(err, rc == LDNS_RCODE_REFUSED ||
	    rc == LDNS_RCODE_NOTAUTH ? AW_ERR_AUTH : AW_ERR_PROVIDER, c->new.name,
	    _("RFC 2136: the name server refused the update of %s %s: %s"),
	    c->new.name, c->new.type_name, rfc2136_rcode_name(rc));
}

static enum aw_status
rfc2136_step(void *state, struct aw_provider_op *op,
    const struct aw_http_response *resp, struct aw_http_request *req,
    struct aw_error *err)
{
	struct rfc2136 *s = state;
	ldns_rr_list *rrs = NULL;
	enum aw_status st;

	(void)resp;
	(void)req;
	switch (op->kind) {
	case AW_OP_VERIFY:
		if (s->server == NULL) {
			/* The primary is found with the zone; the first
			 * listing checks the key. */
			op->done = true;
			return AW_OK;
		}
		/* A signed question: a TSIG error (unknown key, bad
		 * signature) or an answer that fails to verify stops here;
		 * a server that does not sign a refusal of a name it does
		 * not serve leaves the check to the first listing. */
		st = rfc2136_read(s, ".", AW_RECORD_SOA, &rrs, err);
		if (st == AW_ERR_AUTH && s->last_unsigned &&
		    s->last_tsig_error == 0)
			st = AW_OK;
		if (st == AW_ERR_AUTH || st == AW_ERR_DNS || st == AW_ERR_NOMEM)
			return st;
		ldns_rr_list_deep_free(rrs);
		aw_error_clear(err);
		op->done = true;
		return AW_OK;
	case AW_OP_FIND_ZONE:
		return rfc2136_find_zone(s, op, err);
	case AW_OP_LIST:
		if (s->server == NULL &&
		    (st = rfc2136_find_primary(s, op->zone.name, err)) != AW_OK)
			return st;
		return rfc2136_list(s, op, err);
	case AW_OP_CHANGE:
		if (s->server == NULL &&
		    (st = rfc2136_find_primary(s, op->zone.name, err)) != AW_OK)
			return st;
		for (; op->index < op->nchanges; op->index++) {
			struct aw_change *c = &op->changes[op->index];

			if (c->state != AW_CHANGE_PENDING)
				continue;
			if ((st = rfc2136_change_one(s, op, c, err)) != AW_OK)
				return st;
		}
		op->done = true;
		return AW_OK;
	case AW_OP_CHANGE_STATUS:
		return aw_error_set(err, AW_ERR_INVALID,
		    _("RFC 2136: an update is live when answered; no change states to ask about"));
	}
	return aw_error_set(err, AW_ERR_INTERNAL, _("unknown operation"));
}

const struct aw_provider_ops aw_rfc2136_ops = {
	.name = "rfc2136",
	.title = N_("RFC 2136 name server"),
	.options = rfc2136_options,
	.open = rfc2136_open,
	.close = rfc2136_close,
	.step = rfc2136_step,
	.op_done = NULL,
	.default_ttl = 3600,
	.per_change_requests = true,
	.blocking_step = true,
};
