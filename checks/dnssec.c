/* dnssec.c: the validating resolver on libunbound (its one owner file,
 * which opens it when the first validator is made).
 *
 * Why libunbound and not ldns (linked already for RFC 2136): ldns can
 * verify one signature at a time, but walking and caching the chain of
 * trust (DS, DNSKEY, denial of existence with NSEC/NSEC3, the algorithm
 * rules of RFC 6840) would be ours to write; libunbound is a complete,
 * maintained validator with asynchronous queries and a file descriptor
 * for an event loop, and says why an answer is bogus. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unbound.h>

#include "checks/dnssec.h"
#include "core/i18n.h"
#include "core/lib.h"
#include "core/loop.h"

#define DEFAULT_TIMEOUT_MS 15000

#ifndef AW_UNBOUND_SONAME
#define AW_UNBOUND_SONAME "libunbound.so.8"
#endif

/* libunbound is opened when the first validator is made
 * (aw_validator_new), not by the dynamic loader at every start of the
 * program (issue 16): only the DNSSEC checks need it. Every call below
 * goes through these pointers, typed by unbound.h's declarations; a
 * function newly called is added to DNSSEC_UB_FUNCS. */
#define DNSSEC_UB_FUNCS(X) X(ub_cancel) X(ub_ctx_add_ta) X(ub_ctx_add_ta_file) \
	X(ub_ctx_async) X(ub_ctx_create) X(ub_ctx_debugout) \
	X(ub_ctx_delete) X(ub_ctx_resolvconf) X(ub_ctx_set_fwd) \
	X(ub_ctx_set_option) X(ub_ctx_zone_remove) X(ub_fd) X(ub_process) \
	X(ub_resolve_async) X(ub_resolve_free) X(ub_strerror)

static struct {
#define DNSSEC_UB_PTR(f) __typeof__(f) *f;
	DNSSEC_UB_FUNCS(DNSSEC_UB_PTR)
#undef DNSSEC_UB_PTR
} dnssec_ub;

/* Opens libunbound once. */
static const char *const dnssec_ub_names[] = {
	DNSSEC_UB_FUNCS(AW_LIB_NAME)
};

static void *dnssec_ub_handle;
static size_t dnssec_ub_users;  /* contexts made and not yet deleted */

static bool
dnssec_ub_load(struct aw_error *err)
{
	if (dnssec_ub_handle == NULL)
		dnssec_ub_handle = aw_lib_open(AW_UNBOUND_SONAME, "libunbound8",
		    dnssec_ub_names, (void **)&dnssec_ub,
		    AW_LIB_SLOTS(dnssec_ub), AW_ERR_INTERNAL, err);
	return dnssec_ub_handle != NULL;
}

void
aw_validator_unload(void)
{
	if (dnssec_ub_handle == NULL || dnssec_ub_users > 0)
		return;
	aw_lib_close(dnssec_ub_handle);
	dnssec_ub_handle = NULL;
	memset(&dnssec_ub, 0, sizeof dnssec_ub);
}

#undef ub_cancel
#define ub_cancel (*dnssec_ub.ub_cancel)
#undef ub_ctx_add_ta
#define ub_ctx_add_ta (*dnssec_ub.ub_ctx_add_ta)
#undef ub_ctx_add_ta_file
#define ub_ctx_add_ta_file (*dnssec_ub.ub_ctx_add_ta_file)
#undef ub_ctx_async
#define ub_ctx_async (*dnssec_ub.ub_ctx_async)
#undef ub_ctx_create
#define ub_ctx_create (*dnssec_ub.ub_ctx_create)
#undef ub_ctx_debugout
#define ub_ctx_debugout (*dnssec_ub.ub_ctx_debugout)
#undef ub_ctx_delete
#define ub_ctx_delete (*dnssec_ub.ub_ctx_delete)
#undef ub_ctx_resolvconf
#define ub_ctx_resolvconf (*dnssec_ub.ub_ctx_resolvconf)
#undef ub_ctx_set_fwd
#define ub_ctx_set_fwd (*dnssec_ub.ub_ctx_set_fwd)
#undef ub_ctx_set_option
#define ub_ctx_set_option (*dnssec_ub.ub_ctx_set_option)
#undef ub_ctx_zone_remove
#define ub_ctx_zone_remove (*dnssec_ub.ub_ctx_zone_remove)
#undef ub_fd
#define ub_fd (*dnssec_ub.ub_fd)
#undef ub_process
#define ub_process (*dnssec_ub.ub_process)
#undef ub_resolve_async
#define ub_resolve_async (*dnssec_ub.ub_resolve_async)
#undef ub_resolve_free
#define ub_resolve_free (*dnssec_ub.ub_resolve_free)
#undef ub_strerror
#define ub_strerror (*dnssec_ub.ub_strerror)

/* The root zone's trust anchors (IANA, root-anchors.xml): KSK-2017 and
 * KSK-2024. */
static const char *const root_anchors[] = {
	". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D",
	". IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16",
};

struct vquery {
	struct aw_validator *v;
	const void *tag;
	int id;                      /* unbound's async id; 0: answered */
	aw_validator_cb cb;
	void *arg;
	struct aw_loop_timer *timer;
	char *qname;
	int qtype;
	bool held;                   /* waits for the trust anchor's keys */
	struct vquery *next, **prevp;
};

/* The trust anchor's own keys are fetched once, before any other
 * question (see anchor_start): when they cannot be validated, every
 * answer would be "indeterminate" anyway, and unbound would fetch them
 * again for each question waiting, one after another. */
enum anchor_state {
	ANCHOR_UNASKED,
	ANCHOR_ASKING,
	ANCHOR_VALID,                /* or not gated: a non-root anchor file */
	ANCHOR_FAILED
};

struct aw_validator {
	struct aw_loop *loop;
	struct ub_ctx *ctx;
	FILE *devnull;
	int fd;
	int timeout_ms;
	struct vquery *queries;
	enum anchor_state anchor;
	int anchor_id;               /* unbound's id of the root DNSKEY query */
	char *anchor_why;            /* why the anchor failed, or NULL */
	/* A deferred start (aw_validator_new_deferred): unbound is loaded
	 * and configured on the loop's first turn, after the other checks'
	 * first questions are on the wire. */
	struct aw_loop_timer *start_timer;
	struct aw_strv servers;
	char *start_error;           /* why the deferred start failed */
};

const char *
aw_dnssec_state_name(enum aw_dnssec_state s)
{
	switch (s) {
	case AW_DNSSEC_SECURE:
		return "secure";
	case AW_DNSSEC_INSECURE:
		return "insecure";
	case AW_DNSSEC_BOGUS:
		return "bogus";
	default:
		return "indeterminate";
	}
}

const char *
aw_dnssec_reason_of(const char *why)
{
	/* unbound's texts (validator/val_sigcrypt.c, val_utils.c). */
	static const struct {
		const char *text;
		const char *reason;
	} map[] = {
		{ "no keys have a ds", AW_DNSSEC_R_DS_MISMATCH },
		{ "signature expired", AW_DNSSEC_R_EXPIRED },
		{ "signature before inception", AW_DNSSEC_R_NOT_YET },
		{ "no signatures", AW_DNSSEC_R_NO_SIG },
		{ "no signature", AW_DNSSEC_R_NO_SIG },
		{ "no rrsig", AW_DNSSEC_R_NO_SIG },
		{ "matching ds", AW_DNSSEC_R_DS_MISMATCH },
		{ "match ds", AW_DNSSEC_R_DS_MISMATCH },
		{ "matches ds", AW_DNSSEC_R_DS_MISMATCH },
		{ "dnskey that matches", AW_DNSSEC_R_DS_MISMATCH },
		{ "signature verification failed", AW_DNSSEC_R_BAD_SIG },
		{ "signature crypto failed", AW_DNSSEC_R_BAD_SIG },
		{ "crypto failed", AW_DNSSEC_R_BAD_SIG },
		{ "signatures from unknown keys", AW_DNSSEC_R_BAD_SIG },
		{ "algorithm", AW_DNSSEC_R_ALGORITHM },
	};
	size_t i, k, n;

	if (why == NULL)
		return AW_DNSSEC_R_OTHER;
	n = strlen(why);
	for (i = 0; i < sizeof map / sizeof map[0]; i++) {
		size_t m = strlen(map[i].text);

		for (k = 0; k + m <= n; k++)
			if (strncasecmp(why + k, map[i].text, m) == 0)
				return map[i].reason;
	}
	return AW_DNSSEC_R_OTHER;
}

bool
aw_dnssec_rdata_name(const unsigned char *rd, size_t len, size_t *off,
    char *out, size_t outsz)
{
	size_t o = *off, w = 0, total = 0;

	if (outsz == 0)
		return false;
	out[0] = '\0';
	for (;;) {
		size_t l, i;

		if (o >= len)
			return false;
		l = rd[o++];
		if (l == 0)
			break;
		if (l > 63 || o + l > len || (total += l + 1) > 255)
			return false;
		if (w > 0) {
			if (w + 1 >= outsz)
				return false;
			out[w++] = '.';
		}
		for (i = 0; i < l; i++) {
			unsigned char c = rd[o + i];
			bool plain = (c >= 'a' && c <= 'z') ||
			    (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			    c == '-' || c == '_';

			if (w + (plain ? 1 : 4) >= outsz)
				return false;
			if (plain)
				out[w++] = (char)c;
			else
				w += (size_t)snprintf(out + w, outsz - w,
				    "\\%03u", c);
		}
		o += l;
	}
	out[w] = '\0';
	*off = o;
	return true;
}

static void
vquery_unlink(struct vquery *q)
{
	*q->prevp = q->next;
	if (q->next != NULL)
		q->next->prevp = q->prevp;
}

static void
vquery_free(struct vquery *q)
{
	if (q->timer != NULL)
		aw_loop_timer_cancel(q->v->loop, q->timer);
	free(q->qname);
	free(q);
}

/* The answer of a query that got none (timeout). */
static void
deliver_failure(struct vquery *q, const char *reason)
{
	struct aw_vanswer a;

	memset(&a, 0, sizeof a);
	a.qname = q->qname;
	a.qtype = q->qtype;
	a.state = AW_DNSSEC_INDETERMINATE;
	a.reason = reason;
	a.rcode = -1;
	if (strcmp(reason, AW_DNSSEC_R_ANCHOR) == 0)
		a.why = q->v->anchor_why;
	else if (q->v->start_error != NULL)
		a.why = q->v->start_error;
	q->cb(&a, q->arg);
}

static void
on_timeout(void *arg)
{
	struct vquery *q = arg;

	q->timer = NULL;
	if (q->id != 0)
		ub_cancel(q->v->ctx, q->id);
	vquery_unlink(q);
	deliver_failure(q, q->v->start_error != NULL ? AW_DNSSEC_R_FAILED :
	    q->held && q->v->anchor == ANCHOR_FAILED ?
	    AW_DNSSEC_R_ANCHOR : AW_DNSSEC_R_TIMEOUT);
	vquery_free(q);
}

static void on_result(void *mydata, int err, struct ub_result *r);

static void
vquery_send(struct vquery *q)
{
	int rc;

	q->held = false;
	rc = ub_resolve_async(q->v->ctx, q->qname, q->qtype, 1, q, on_result,
	    &q->id);
	if (rc != 0) {
		q->id = 0;
		vquery_unlink(q);
		deliver_failure(q, AW_DNSSEC_R_FAILED);
		vquery_free(q);
	}
}

/* The root's DNSKEY answered: send the questions held, or answer them
 * all with the anchor's failure. */
static void
on_anchor(void *mydata, int err, struct ub_result *r)
{
	struct aw_validator *v = mydata;
	struct vquery *q;
	bool failed;

	v->anchor_id = 0;
	failed = err != 0 || r == NULL ||
	    (r->bogus && r->why_bogus != NULL &&
	    strstr(r->why_bogus, "for trust anchor") != NULL) ||
	    (!r->secure && r->rcode != 0);
	if (failed) {
		v->anchor = ANCHOR_FAILED;
		if (r != NULL && r->why_bogus != NULL)
			v->anchor_why = strndup(r->why_bogus, 400);
		else if (r != NULL && asprintf(&v->anchor_why,
		    _("the root's DNSKEY query was answered with rcode %d"),
		    r->rcode) < 0)
			v->anchor_why = NULL;
	} else {
		v->anchor = ANCHOR_VALID;
	}
	if (r != NULL)
		ub_resolve_free(r);
	/* One at a time from the head: a callback may cancel or add
	 * questions. */
	for (;;) {
		for (q = v->queries; q != NULL && !q->held; q = q->next)
			;
		if (q == NULL)
			break;
		if (!failed) {
			vquery_send(q);
			continue;
		}
		vquery_unlink(q);
		deliver_failure(q, AW_DNSSEC_R_ANCHOR);
		vquery_free(q);
	}
}

/* Runs from ub_process, that is from the loop. */
static void
on_result(void *mydata, int err, struct ub_result *r)
{
	struct vquery *q = mydata;
	struct aw_vanswer a;

	q->id = 0;
	vquery_unlink(q);
	if (err != 0 || r == NULL) {
		deliver_failure(q, AW_DNSSEC_R_FAILED);
		vquery_free(q);
		if (r != NULL)
			ub_resolve_free(r);
		return;
	}
	memset(&a, 0, sizeof a);
	a.qname = q->qname;
	a.qtype = q->qtype;
	a.rcode = r->rcode;
	a.nxdomain = r->nxdomain != 0;
	a.why = r->why_bogus;
	if (r->bogus && r->why_bogus != NULL &&
	    strstr(r->why_bogus, "for trust anchor") != NULL) {
		a.state = AW_DNSSEC_INDETERMINATE;
		a.reason = AW_DNSSEC_R_ANCHOR;
	} else if (r->bogus) {
		a.state = AW_DNSSEC_BOGUS;
		a.reason = aw_dnssec_reason_of(r->why_bogus);
	} else if (r->rcode != 0 && r->rcode != 3) {
		a.state = AW_DNSSEC_INDETERMINATE;
		a.reason = AW_DNSSEC_R_FAILED;
	} else {
		a.state = r->secure ? AW_DNSSEC_SECURE : AW_DNSSEC_INSECURE;
	}
	if (r->havedata && r->data != NULL) {
		while (r->data[a.n] != NULL)
			a.n++;
		a.data = (const unsigned char *const *)r->data;
	}
	/* r->len is int[]: hand out size_t copies. */
	if (a.n > 0) {
		size_t *lens = calloc(a.n, sizeof *lens), i;

		if (lens == NULL) {
			a.n = 0;
			a.data = NULL;
			a.len = NULL;
		} else {
			for (i = 0; i < a.n; i++)
				lens[i] = r->len[i] < 0 ? 0 : (size_t)r->len[i];
			a.len = lens;
		}
		q->cb(&a, q->arg);
		free(lens);
	} else {
		a.len = NULL;
		q->cb(&a, q->arg);
	}
	ub_resolve_free(r);
	vquery_free(q);
}

static void
on_readable(int fd, int revents, void *arg)
{
	struct aw_validator *v = arg;

	(void)fd;
	(void)revents;
	ub_process(v->ctx);
}

/* "IP", "IP:PORT", "[IPv6]:PORT" or a bare IPv6 address into unbound's
 * "IP@PORT". */
static char *
forwarder(const char *s)
{
	const char *colon = strchr(s, ':');
	char *out;
	size_t n = strlen(s);

	if ((out = malloc(n + 8)) == NULL)
		return NULL;
	if (s[0] == '[') {
		const char *end = strchr(s, ']');

		if (end == NULL) {
			free(out);
			return NULL;
		}
		snprintf(out, n + 8, "%.*s%s%s", (int)(end - s - 1), s + 1,
		    end[1] == ':' ? "@" : "", end[1] == ':' ? end + 2 : "");
	} else if (colon != NULL && strchr(colon + 1, ':') == NULL) {
		snprintf(out, n + 8, "%.*s@%s", (int)(colon - s), s, colon + 1);
	} else {
		snprintf(out, n + 8, "%s", s);
	}
	return out;
}

/* Does the anchor file hold an anchor for the root (a line whose owner
 * is ".")? Only then are the root's keys fetched first. */
static bool
anchors_root(FILE *fp)
{
	char line[512];

	while (fgets(line, sizeof line, fp) != NULL) {
		const char *p = line;

		while (*p == ' ' || *p == '\t')
			p++;
		if (p[0] == '.' && (p[1] == ' ' || p[1] == '\t'))
			return true;
	}
	return false;
}

static enum aw_status
configure(struct aw_validator *v, const struct aw_strv *servers,
    const char *anchor_file, struct aw_error *err)
{
	static const char *const opts[][2] = {
		{ "verbosity:", "0" },
		/* why_bogus is filled from level 2 on (it logs to devnull) */
		{ "val-log-level:", "2" },
		{ "do-not-query-localhost:", "no" },
		{ "qname-minimisation:", "no" },
		/* private address space is asked like any other name */
		{ "unblock-lan-zones:", "yes" },
		{ "insecure-lan-zones:", "yes" },
		/* no RFC 8145 key-tag queries (_ta-XXXX): they tell root
		 * operators nothing here and cost a round trip each */
		{ "trust-anchor-signaling:", "no" },
		/* a REFUSED or SERVFAIL is tried once more, not five times */
		{ "outbound-msg-retry:", "1" },
	};
	size_t i;
	int rc;

	for (i = 0; i < sizeof opts / sizeof opts[0]; i++)
		ub_ctx_set_option(v->ctx, opts[i][0], opts[i][1]);
	if (v->devnull != NULL)
		ub_ctx_debugout(v->ctx, v->devnull);
	if ((rc = ub_ctx_async(v->ctx, 1)) != 0)
		return aw_error_set(err, AW_ERR_INTERNAL,
		    _("the DNSSEC validator could not start: %s"),
		    ub_strerror(rc));
	if (servers != NULL && servers->n > 0) {
		for (i = 0; i < servers->n; i++) {
			char *fwd = forwarder(servers->v[i]);

			rc = fwd == NULL ? UB_NOMEM : ub_ctx_set_fwd(v->ctx, fwd);
			free(fwd);
			if (rc != 0)
				return aw_error_set(err, AW_ERR_INVALID,
				    _("the DNSSEC validator cannot use the DNS server %s: %s"),
				    servers->v[i], ub_strerror(rc));
		}
	} else if ((rc = ub_ctx_resolvconf(v->ctx, NULL)) != 0) {
		return aw_error_set(err, AW_ERR_IO,
		    _("the DNSSEC validator cannot read the system's resolvers: %s"),
		    ub_strerror(rc));
	}
	if (anchor_file != NULL) {
		FILE *fp = fopen(anchor_file, "r");

		if (fp == NULL)
			return aw_error_set(err, AW_ERR_IO,
			    _("cannot read the trust anchor file %s"),
			    anchor_file);
		if (!anchors_root(fp))
			v->anchor = ANCHOR_VALID;    /* nothing to fetch first */
		fclose(fp);
		if ((rc = ub_ctx_add_ta_file(v->ctx, anchor_file)) != 0)
			return aw_error_set(err, AW_ERR_INVALID,
			    _("the trust anchor file %s holds no DS or DNSKEY records unbound accepts: %s"),
			    anchor_file, ub_strerror(rc));
	} else {
		for (i = 0; i < sizeof root_anchors / sizeof root_anchors[0];
		    i++)
			if ((rc = ub_ctx_add_ta(v->ctx, root_anchors[i])) != 0)
				return aw_error_set(err, AW_ERR_INTERNAL,
				    "%s", ub_strerror(rc));
	}
	/* unbound answers "test." (RFC 6761) itself with NXDOMAIN; the
	 * resolvers the other checks use are asked, so this one asks too */
	rc = ub_ctx_zone_remove(v->ctx, "test.");
	/* that made the context final: a bad anchor file shows here */
	if (rc != 0 && rc != UB_NOERROR && anchor_file != NULL)
		return aw_error_set(err, AW_ERR_INVALID,
		    _("the trust anchor file %s holds no DS or DNSKEY records unbound accepts: %s"),
		    anchor_file, ub_strerror(rc));
	if (rc != 0 && rc != UB_NOERROR)
		return aw_error_set(err, AW_ERR_INTERNAL,
		    _("the DNSSEC validator could not start: %s"),
		    ub_strerror(rc));
	return AW_OK;
}

/* Loads unbound and makes its context: the costly part of a validator
 * (the libraries, the context, its configuration; some milliseconds). */
static enum aw_status
validator_start(struct aw_validator *v, const struct aw_strv *servers,
    const char *anchor_file, struct aw_error *err)
{
	if (!dnssec_ub_load(err))
		return AW_ERR_INTERNAL;
	if ((v->ctx = ub_ctx_create()) == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	dnssec_ub_users++;
	v->devnull = fopen("/dev/null", "w");
	return configure(v, servers, anchor_file, err);
}

static struct aw_validator *
validator_alloc(struct aw_loop *loop, int timeout_ms)
{
	struct aw_validator *v = calloc(1, sizeof *v);

	if (v == NULL)
		return NULL;
	v->loop = loop;
	v->fd = -1;
	v->timeout_ms = timeout_ms > 0 ? timeout_ms : DEFAULT_TIMEOUT_MS;
	aw_strv_init(&v->servers);
	return v;
}

enum aw_status
aw_validator_new(struct aw_loop *loop, const struct aw_strv *servers,
    const char *anchor_file, int timeout_ms, struct aw_validator **out,
    struct aw_error *err)
{
	struct aw_validator *v;
	enum aw_status st;

	*out = NULL;
	if ((v = validator_alloc(loop, timeout_ms)) == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	if ((st = validator_start(v, servers, anchor_file, err)) != AW_OK) {
		aw_validator_free(v);
		return st;
	}
	*out = v;
	return AW_OK;
}

/* Watches unbound's descriptor and asks the root's keys first (the
 * others wait for them: see on_anchor). */
static enum aw_status
validator_arm(struct aw_validator *v)
{
	enum aw_status st;
	int rc;

	if (v->fd < 0) {
		v->fd = ub_fd(v->ctx);
		if (v->fd < 0)
			return AW_ERR_INTERNAL;
		if ((st = aw_loop_watch(v->loop, v->fd, AW_LOOP_READ,
		    on_readable, v)) != AW_OK) {
			v->fd = -1;
			return st;
		}
	}
	if (v->anchor == ANCHOR_UNASKED) {
		/* the root's DNSKEY first (RFC 4035 §5: the chain starts at
		 * the anchor); the others wait for it */
		rc = ub_resolve_async(v->ctx, ".", 48, 1, v, on_anchor,
		    &v->anchor_id);
		v->anchor = rc == 0 ? ANCHOR_ASKING : ANCHOR_VALID;
	}
	return AW_OK;
}

/* The deferred start, on the loop's first turn. The questions asked
 * before it are held; they go out now, or are answered with its
 * failure. */
static void
on_start(void *arg)
{
	struct aw_validator *v = arg;
	struct aw_error err;
	struct vquery *q;

	v->start_timer = NULL;
	aw_error_clear(&err);
	if (validator_start(v, &v->servers, NULL, &err) == AW_OK &&
	    (v->queries == NULL || validator_arm(v) == AW_OK)) {
		/* one at a time from the head: a callback may cancel or
		 * add questions */
		while (v->anchor == ANCHOR_VALID) {
			for (q = v->queries; q != NULL && !q->held;
			    q = q->next)
				;
			if (q == NULL)
				break;
			vquery_send(q);
		}
		return;
	}
	v->start_error = strdup(err.msg[0] != '\0' ? err.msg :
	    _("the DNSSEC validator could not start"));
	if (v->start_error == NULL)
		v->start_error = strdup("out of memory");
	while ((q = v->queries) != NULL) {
		vquery_unlink(q);
		deliver_failure(q, AW_DNSSEC_R_FAILED);
		vquery_free(q);
	}
}

enum aw_status
aw_validator_new_deferred(struct aw_loop *loop,
    const struct aw_strv *servers, int timeout_ms,
    struct aw_validator **out, struct aw_error *err)
{
	struct aw_validator *v;
	size_t i;

	*out = NULL;
	if ((v = validator_alloc(loop, timeout_ms)) == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	for (i = 0; servers != NULL && i < servers->n; i++)
		if (aw_strv_push(&v->servers, servers->v[i]) != AW_OK)
			break;
	if ((servers != NULL && i < servers->n) ||
	    (v->start_timer = aw_loop_timer_add(loop, 0, on_start,
	    v)) == NULL) {
		aw_validator_free(v);
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	}
	*out = v;
	return AW_OK;
}

const char *
aw_validator_start_error(const struct aw_validator *v)
{
	return v != NULL ? v->start_error : NULL;
}

void
aw_validator_free(struct aw_validator *v)
{
	if (v == NULL)
		return;
	while (v->queries != NULL) {
		struct vquery *q = v->queries;

		if (q->id != 0)
			ub_cancel(v->ctx, q->id);
		vquery_unlink(q);
		vquery_free(q);
	}
	if (v->start_timer != NULL)
		aw_loop_timer_cancel(v->loop, v->start_timer);
	if (v->fd >= 0)
		aw_loop_watch(v->loop, v->fd, 0, NULL, NULL);
	if (v->anchor_id != 0)
		ub_cancel(v->ctx, v->anchor_id);
	if (v->ctx != NULL) {
		ub_ctx_delete(v->ctx);
		dnssec_ub_users--;
	}
	if (v->devnull != NULL)
		fclose(v->devnull);
	aw_strv_done(&v->servers);
	free(v->start_error);
	free(v->anchor_why);
	free(v);
}

enum aw_status
aw_validator_ask(struct aw_validator *v, const void *tag, const char *name,
    int type, aw_validator_cb cb, void *arg)
{
	struct vquery *q;
	int rc;

	if ((q = calloc(1, sizeof *q)) == NULL ||
	    (q->qname = strdup(name[0] ? name : ".")) == NULL) {
		free(q);
		return AW_ERR_NOMEM;
	}
	q->v = v;
	q->tag = tag;
	q->cb = cb;
	q->arg = arg;
	q->qtype = type;
	/* a failed start is answered from the loop (cb never runs from
	 * here) by a zero timer */
	q->timer = aw_loop_timer_add(v->loop, v->start_error != NULL ? 0 :
	    v->timeout_ms, on_timeout, q);
	if (q->timer == NULL) {
		vquery_free(q);
		return AW_ERR_NOMEM;
	}
	q->next = v->queries;
	if (q->next != NULL)
		q->next->prevp = &q->next;
	q->prevp = &v->queries;
	v->queries = q;
	if (v->ctx == NULL) {
		/* not started yet (on_start sends it), or failed to */
		q->held = true;
		return AW_OK;
	}
	if (validator_arm(v) != AW_OK) {
		vquery_unlink(q);
		vquery_free(q);
		return AW_ERR_INTERNAL;
	}
	if (v->anchor == ANCHOR_ASKING || v->anchor == ANCHOR_FAILED) {
		/* held; a failed anchor is answered from the loop (cb never
		 * runs from here) by a zero timer */
		q->held = true;
		if (v->anchor == ANCHOR_FAILED) {
			aw_loop_timer_cancel(v->loop, q->timer);
			q->timer = aw_loop_timer_add(v->loop, 0, on_timeout, q);
			if (q->timer == NULL) {
				vquery_unlink(q);
				vquery_free(q);
				return AW_ERR_NOMEM;
			}
		}
		return AW_OK;
	}
	rc = ub_resolve_async(v->ctx, q->qname, type, 1, q, on_result, &q->id);
	if (rc != 0) {
		vquery_unlink(q);
		vquery_free(q);
		return AW_ERR_INTERNAL;
	}
	return AW_OK;
}

void
aw_validator_cancel(struct aw_validator *v, const void *tag)
{
	struct vquery *q = v->queries, *next;

	for (; q != NULL; q = next) {
		next = q->next;
		if (q->tag != tag)
			continue;
		if (q->id != 0)
			ub_cancel(v->ctx, q->id);
		vquery_unlink(q);
		vquery_free(q);
	}
}
