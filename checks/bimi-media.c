/* bimi-media.c: what BIMI fetches, checked: the logo against the SVG
 * Tiny PS basics (libxml2: no network, no entity expansion, no DTD
 * loading) and the mark certificate (OpenSSL: validity, the BIMI EKU,
 * the domain in its names, the chain to a trust store). Both libraries
 * through their owners, checks/xml.h and checks/openssl.h (opened when
 * first used). */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checks/bimi.h"
#include "checks/openssl.h"
#include "checks/xml.h"
#include "core/i18n.h"
#include "core/str.h"

#define REF "draft-brand-indicators-for-message-identification"
#define SVG_NS "http://www.w3.org/2000/svg"
#define SVG_DEPTH_MAX 64
#define CERT_NAMES_MAX 64

/* ---- the logo ---- */

static bool
name_is(const xmlChar *n, const char *s)
{
	return n != NULL && strcmp((const char *)n, s) == 0;
}

/* A reference that leaves the document: anything but "#fragment". */
static bool
external_ref(const char *v)
{
	while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')
		v++;
	return *v != '#' && *v != '\0';
}

/* url(...) in a style that points outside the document. */
static bool
external_url(const char *v)
{
	const char *p = v;

	while ((p = strstr(p, "url(")) != NULL) {
		p += 4;
		while (*p == ' ' || *p == '\'' || *p == '"')
			p++;
		if (*p != '#')
			return true;
	}
	return false;
}

static void
svg_walk(xmlNodePtr n, struct aw_bimi_svg *out, unsigned depth)
{
	for (; n != NULL; n = n->next) {
		xmlAttrPtr a;

		if (n->type == XML_ENTITY_REF_NODE)
			out->external = true;   /* entities are not expanded */
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (name_is(n->name, "script"))
			out->script = true;
		if (name_is(n->name, "foreignObject") ||
		    name_is(n->name, "image"))
			out->external = true;
		if (name_is(n->name, "style") && n->children != NULL &&
		    n->children->content != NULL &&
		    external_url((const char *)n->children->content))
			out->external = true;
		for (a = n->properties; a != NULL; a = a->next) {
			xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
			const char *s = v ? (const char *)v : "";

			if (a->name != NULL && aw_strncasecmp((const char *)
			    a->name, "on", 2) == 0)
				out->script = true;
			if (name_is(a->name, "href") && external_ref(s))
				out->external = true;
			if (external_url(s))
				out->external = true;
			xmlFree(v);
		}
		if (depth < SVG_DEPTH_MAX)
			svg_walk(n->children, out, depth + 1);
	}
}

static bool
attr_is(xmlNodePtr n, const char *name, const char *want)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	bool eq = v != NULL && strcmp((const char *)v, want) == 0;

	xmlFree(v);
	return eq;
}

void
aw_bimi_svg_check(const char *body, size_t len, struct aw_bimi_svg *out,
    struct aw_findings *f)
{
	xmlDocPtr doc;
	xmlNodePtr root, c;
	struct aw_error err;

	memset(out, 0, sizeof out[0]);
	if (len > AW_BIMI_SVG_MAX) {
		aw_findings_add(f, AW_SEV_ERROR, "bimi.svg-too-large", REF,
		    _("the BIMI logo is larger than %u bytes"), AW_BIMI_SVG_MAX);
		return;
	}
	aw_error_clear(&err);
	if (!aw_xml_load(&err)) {
		/* The logo could not be read: the message names the package. */
		aw_findings_add(f, AW_SEV_ERROR, "bimi.svg-not-svg", REF, "%s",
		    err.msg);
		return;
	}
	/* No XML_PARSE_NOENT (entities stay unexpanded), no DTD loading,
	 * no network. */
	doc = xmlReadMemory(body, (int)len, "logo.svg", NULL, XML_PARSE_NONET |
	    XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
	root = doc != NULL ? xmlDocGetRootElement(doc) : NULL;
	if (root == NULL || !name_is(root->name, "svg") || root->ns == NULL ||
	    !name_is(root->ns->href, SVG_NS)) {
		aw_findings_add(f, AW_SEV_ERROR, "bimi.svg-not-svg", REF,
		    _("the BIMI logo is not an SVG document"));
		xmlFreeDoc(doc);
		return;
	}
	out->parsed = true;
	if (doc->intSubset != NULL && (doc->intSubset->entities != NULL ||
	    doc->intSubset->pentities != NULL))
		out->external = true;
	out->tiny_ps = attr_is(root, "baseProfile", "tiny-ps");
	for (c = root->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE && name_is(c->name, "title"))
			out->has_title = true;
	svg_walk(root, out, 0);
	if (!out->tiny_ps)
		aw_findings_add(f, AW_SEV_ERROR, "bimi.svg-not-tiny-ps", REF,
		    _("the BIMI logo is not SVG Tiny PS: its <svg> lacks baseProfile=\"tiny-ps\""));
	if (!attr_is(root, "version", "1.2"))
		aw_findings_add(f, AW_SEV_WARNING, "bimi.svg-version", REF,
		    _("the BIMI logo's <svg> should say version=\"1.2\" (SVG Tiny PS)"));
	if (!out->has_title)
		aw_findings_add(f, AW_SEV_ERROR, "bimi.svg-no-title", REF,
		    _("the BIMI logo has no <title> (SVG Tiny PS requires one)"));
	if (out->script)
		aw_findings_add(f, AW_SEV_ERROR, "bimi.svg-script", REF,
		    _("the BIMI logo holds a script or event attributes, which SVG Tiny PS forbids"));
	if (out->external)
		aw_findings_add(f, AW_SEV_ERROR, "bimi.svg-external", REF,
		    _("the BIMI logo refers to something outside itself (a link, image, entity or url()), which SVG Tiny PS forbids"));
	if (xmlHasProp(root, (const xmlChar *)"x") != NULL ||
	    xmlHasProp(root, (const xmlChar *)"y") != NULL)
		aw_findings_add(f, AW_SEV_WARNING, "bimi.svg-root-xy", REF,
		    _("the BIMI logo's <svg> has x= or y=, which SVG Tiny PS does not allow"));
	out->ok = out->tiny_ps && out->has_title && !out->script &&
	    !out->external;
	xmlFreeDoc(doc);
}

/* ---- the mark certificate ---- */

void
aw_bimi_cert_init(struct aw_bimi_cert *c)
{
	memset(c, 0, sizeof *c);
	aw_strv_init(&c->names);
}

void
aw_bimi_cert_done(struct aw_bimi_cert *c)
{
	free(c->subject);
	free(c->not_before);
	free(c->not_after);
	free(c->chain_error);
	aw_strv_done(&c->names);
	aw_bimi_cert_init(c);
}

static char *
time_text(const ASN1_TIME *t)
{
	struct tm tm;
	char buf[32];

	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
		return NULL;
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return strdup(buf);
}

static bool
has_bimi_eku(X509 *x)
{
	EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(x, NID_ext_key_usage,
	    NULL, NULL);
	char buf[80];
	bool found = false;
	int i;

	for (i = 0; eku != NULL && i < sk_ASN1_OBJECT_num(eku); i++) {
		if (OBJ_obj2txt(buf, sizeof buf, sk_ASN1_OBJECT_value(eku, i),
		    1) > 0 && strcmp(buf, AW_BIMI_EKU_OID) == 0)
			found = true;
	}
	EXTENDED_KEY_USAGE_free(eku);
	return found;
}

static void
dns_names(X509 *x, struct aw_strv *out)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL,
	    NULL);
	int i;

	for (i = 0; gens != NULL && i < sk_GENERAL_NAME_num(gens) &&
	    out->n < CERT_NAMES_MAX; i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
		char *name;

		if (g->type != GEN_DNS)
			continue;
		name = aw_str_escape_dup((const char *)ASN1_STRING_get0_data(
		    g->d.dNSName), (size_t)ASN1_STRING_length(g->d.dNSName),
		    256);
		if (name != NULL)
			aw_strv_push(out, name);
		free(name);
	}
	sk_GENERAL_NAME_pop_free(gens, GENERAL_NAME_free);
}

/* The chain to the trust store: the system's CAs and ca_file. */
static void
verify_chain(X509 *leaf, STACK_OF(X509) *rest, const char *ca_file,
    struct aw_bimi_cert *out)
{
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();

	if (store == NULL || ctx == NULL)
		goto done;
	X509_STORE_set_default_paths(store);
	if (ca_file != NULL && X509_STORE_load_locations(store, ca_file,
	    NULL) != 1) {
		out->chain_error = strdup(_("the trust store could not be read"));
		goto done;
	}
	if (X509_STORE_CTX_init(ctx, store, leaf, rest) != 1)
		goto done;
	if (X509_verify_cert(ctx) == 1)
		out->chain_ok = true;
	else
		out->chain_error = strdup(X509_verify_cert_error_string(
		    X509_STORE_CTX_get_error(ctx)));
done:
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	ERR_clear_error();
}

enum aw_status
aw_bimi_cert_check(const char *pem, size_t len, const char *domain,
    const char *org, const char *ca_file, struct aw_bimi_cert *out,
    struct aw_findings *f)
{
	BIO *bio;
	STACK_OF(X509) *rest;
	X509 *leaf = NULL, *x;
	char buf[256];
	size_t i;
	struct aw_error err;

	aw_error_clear(&err);
	if (!aw_crypto_load(&err)) {
		/* The certificate could not be read: the message names the
		 * package. */
		aw_findings_add(f, AW_SEV_ERROR, "bimi.cert-unreadable", REF,
		    "%s", err.msg);
		return AW_OK;
	}
	bio = len <= AW_BIMI_PEM_MAX ? BIO_new_mem_buf(pem, (int)len) : NULL;
	rest = sk_X509_new_null();
	if (bio != NULL)
		leaf = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	while (leaf != NULL && rest != NULL && sk_X509_num(rest) < 8 &&
	    (x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL)
		if (!sk_X509_push(rest, x))
			X509_free(x);
	ERR_clear_error();
	if (leaf == NULL) {
		aw_findings_add(f, AW_SEV_ERROR, "bimi.cert-unreadable", REF,
		    _("the BIMI mark certificate is not a PEM certificate"));
		goto done;
	}
	out->parsed = true;
	X509_NAME_oneline(X509_get_subject_name(leaf), buf, sizeof buf);
	out->subject = aw_str_escape_dup(buf, strlen(buf), 200);
	out->not_before = time_text(X509_get0_notBefore(leaf));
	out->not_after = time_text(X509_get0_notAfter(leaf));
	if (X509_cmp_current_time(X509_get0_notBefore(leaf)) > 0)
		aw_findings_add(f, AW_SEV_ERROR, "bimi.cert-not-yet-valid",
		    REF, _("the BIMI mark certificate is valid only from %s"),
		    out->not_before ? out->not_before : "?");
	else if (X509_cmp_current_time(X509_get0_notAfter(leaf)) < 0)
		aw_findings_add(f, AW_SEV_ERROR, "bimi.cert-expired", REF,
		    _("the BIMI mark certificate expired on %s"),
		    out->not_after ? out->not_after : "?");
	else
		out->valid_now = true;
	if (!(out->bimi_eku = has_bimi_eku(leaf)))
		aw_findings_add(f, AW_SEV_ERROR, "bimi.cert-no-bimi-eku", REF,
		    _("the certificate lacks the BIMI extended key usage (%s): it is no mark certificate"),
		    AW_BIMI_EKU_OID);
	dns_names(leaf, &out->names);
	for (i = 0; i < out->names.n; i++)
		if (aw_domain_equal(out->names.v[i], domain) ||
		    (org != NULL && aw_domain_equal(out->names.v[i], org)))
			out->names_domain = true;
	if (!out->names_domain)
		aw_findings_add(f, AW_SEV_ERROR, "bimi.cert-wrong-domain", REF,
		    _("the BIMI mark certificate does not name %s among its subject alternative names"),
		    domain);
	verify_chain(leaf, rest, ca_file, out);
	if (!out->chain_ok)
		aw_findings_add(f, AW_SEV_ERROR, "bimi.cert-untrusted", REF,
		    _("the BIMI mark certificate does not chain to a trusted CA: %s"),
		    out->chain_error ? out->chain_error : "?");
done:
	X509_free(leaf);
	sk_X509_pop_free(rest, X509_free);
	BIO_free(bio);
	ERR_clear_error();
	return AW_OK;
}
