/* rfc2136-key.c: the RFC 2136 host's TSIG key: BIND's key-file format
 * (what tsig-keygen prints), the file's mode, the algorithm's name. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/str.h"
#include "providers/provider.h"
#include "providers/rfc2136.h"

#define RFC2136_KEYFILE_MAX (16 * 1024)

/* "hmac-sha256", "HMAC-SHA256.", "sha256" -> "hmac-sha256."; NULL when
 * not one of the three. Static. */
const char *
aw_rfc2136_algorithm(const char *word)
{
	static const char *const known[] = {
		"hmac-sha256.", "hmac-sha384.", "hmac-sha512."
	};
	char w[32];
	size_t i, n;

	if (word == NULL)
		return known[0];
	n = strlen(word);
	if (n > 0 && word[n - 1] == '.')
		n--;
	if (n == 0 || n >= sizeof w - 6)
		return NULL;
	if (strncasecmp(word, "hmac-", 5) != 0)
		snprintf(w, sizeof w, "hmac-%.*s.", (int)n, word);
	else
		snprintf(w, sizeof w, "%.*s.", (int)n, word);
	for (i = 0; i < sizeof known / sizeof known[0]; i++)
		if (strcasecmp(w, known[i]) == 0)
			return known[i];
	return NULL;
}

bool
aw_rfc2136_base64_ok(const char *s)
{
	size_t n = 0, pad = 0;

	for (; *s != '\0'; s++, n++) {
		if (*s == '=')
			pad++;
		else if (pad > 0 || !(('A' <= *s && *s <= 'Z') ||
		    ('a' <= *s && *s <= 'z') || ('0' <= *s && *s <= '9') ||
		    *s == '+' || *s == '/'))
			return false;
	}
	return n > 0 && n % 4 == 0 && pad <= 2;
}

/* One token of a BIND config: a word, a quoted string, or one of {};. */
static const char *
keyfile_token(const char *p, char *tok, size_t max)
{
	size_t n = 0;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (*p == '#' || (p[0] == '/' && p[1] == '/'))
			p += strcspn(p, "\n");
		else if (p[0] == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");

			p = e != NULL ? e + 2 : p + strlen(p);
		} else
			break;
	}
	tok[0] = '\0';
	if (*p == '\0')
		return NULL;
	if (*p == '{' || *p == '}' || *p == ';') {
		tok[0] = *p;
		tok[1] = '\0';
		return p + 1;
	}
	if (*p == '"') {
		for (p++; *p != '\0' && *p != '"'; p++)
			if (n + 1 < max)
				tok[n++] = *p;
		tok[n] = '\0';
		return *p == '"' ? p + 1 : NULL;
	}
	while (*p != '\0' && strchr(" \t\r\n{};\"", *p) == NULL) {
		if (n + 1 < max)
			tok[n++] = *p;
		p++;
	}
	tok[n] = '\0';
	return p;
}

/* Copies src into dst[max]; false (dst empty) when it does not fit. */
static bool
keyfile_copy(char *dst, size_t max, const char *src)
{
	size_t n = strlen(src);

	dst[0] = '\0';
	if (n >= max)
		return false;
	memcpy(dst, src, n + 1);
	return true;
}

/* BIND's key file (what tsig-keygen prints):
 *   key "name" { algorithm hmac-sha256; secret "BASE64"; };
 * The first key is taken. Caller frees the three strings. */
enum aw_status
aw_rfc2136_parse_keyfile(const char *text, char **name, char **alg,
    char **secret, struct aw_error *err)
{
	char tok[1024], key[256] = "", algo[64] = "", sec[1024] = "";
	const char *p = text;
	int depth = 0;
	bool in_key = false;

	*name = *alg = *secret = NULL;
	while ((p = keyfile_token(p, tok, sizeof tok)) != NULL) {
		if (!in_key && depth == 0 && strcmp(tok, "key") == 0) {
			if ((p = keyfile_token(p, tok, sizeof tok)) == NULL)
				break;
			keyfile_copy(key, sizeof key, tok);
			in_key = true;
		} else if (strcmp(tok, "{") == 0)
			depth++;
		else if (strcmp(tok, "}") == 0) {
			if (--depth == 0 && in_key)
				break;
		} else if (in_key && depth == 1 && (strcmp(tok, "algorithm") == 0 ||
		    strcmp(tok, "secret") == 0)) {
			bool is_alg = tok[0] == 'a';

			if ((p = keyfile_token(p, tok, sizeof tok)) == NULL)
				break;
			if (is_alg)
				keyfile_copy(algo, sizeof algo, tok);
			else
				keyfile_copy(sec, sizeof sec, tok);
		}
	}
	aw_mem_wipe(tok, sizeof tok);
	if (key[0] == '\0' || sec[0] == '\0' || !aw_rfc2136_base64_ok(sec)) {
		aw_mem_wipe(sec, sizeof sec);
		return aw_error_set(err, AW_ERR_INVALID,
		    _("RFC 2136: the key file holds no key \"NAME\" { algorithm ...; secret \"BASE64\"; }"));
	}
	*name = strdup(key);
	*alg = strdup(algo[0] != '\0' ? algo : "hmac-sha256");
	*secret = strdup(sec);
	aw_mem_wipe(sec, sizeof sec);
	if (*name == NULL || *alg == NULL || *secret == NULL) {
		free(*name);
		free(*alg);
		aw_str_wipe(*secret);
		free(*secret);
		*name = *alg = *secret = NULL;
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	}
	return AW_OK;
}

enum aw_status
aw_rfc2136_read_keyfile(const char *path, char **name, char **alg, char **secret,
    struct aw_error *err)
{
	char *buf;
	size_t len;
	enum aw_status st;

	switch (aw_secret_file_read(path, RFC2136_KEYFILE_MAX, &buf, &len)) {
	case AW_SECRET_FILE_OPEN:
		return aw_error_setw(err, AW_ERR_AUTH, path,
		    _("RFC 2136: cannot read the TSIG key file: %s"), aw_strerror(errno));
	case AW_SECRET_FILE_MODE:
		return aw_error_setw(err, AW_ERR_AUTH, path,
		    _("RFC 2136: the TSIG key file must be a regular file only its owner can read (chmod 600)"));
	case AW_SECRET_FILE_NOMEM:
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	case AW_SECRET_FILE_OK:
		break;
	}
	st = aw_rfc2136_parse_keyfile(buf, name, alg, secret, err);
	aw_mem_wipe(buf, len);
	free(buf);
	if (st != AW_OK && err != NULL)
		snprintf(err->where, sizeof err->where, "%s", path);
	return st;
}
