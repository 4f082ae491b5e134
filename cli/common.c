/* common.c: what every command shares: DNS options, domain arguments,
 * messages. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "checks/catalog.h"
#include "cli/cli.h"
#include "core/i18n.h"
#include "core/str.h"

const char *aw_cli_progname = "authwizard";
int aw_cli_out_errno;

void
aw_cli_error(const char *fmt, ...)
{
	va_list ap;

	char *msg = NULL;
	int n;

	/* Messages carry text from DNS, APIs and files (err->msg): shown
	 * with control characters and escape sequences made visible. */
	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: ", aw_cli_progname);
	if (n >= 0)
		aw_cli_put_escaped(stderr, msg, 2000);
	fputc('\n', stderr);
	free(msg);
}

const struct aw_catalog *
aw_cli_catalog(void)
{
	static bool reported;
	const struct aw_catalog *cat = aw_catalog_default();
	const struct aw_strv *pr;
	size_t i;

	if (cat == NULL || reported)
		return cat;
	reported = true;
	pr = aw_catalog_problems(cat);
	for (i = 0; i < pr->n; i++) {
		fprintf(stderr, _("%s: warning: sender catalog: skipped "),
		    aw_cli_progname);
		aw_cli_put_escaped(stderr, pr->v[i], 0);
		fputc('\n', stderr);
	}
	return cat;
}

int
aw_cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", aw_cli_progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (cmd != NULL)
		fprintf(stderr, _("Try '%s %s --help'.\n"), aw_cli_progname, cmd);
	else
		fprintf(stderr, _("Try '%s --help'.\n"), aw_cli_progname);
	return AW_EXIT_USAGE;
}

void
aw_cli_put_escaped(FILE *out, const char *s, size_t max)
{
	char *e = aw_str_escape_dup(s, strlen(s), max);

	if (e != NULL)
		fputs(e, out);
	free(e);
}

void
aw_cli_put_escaped_once(FILE *out, const char *s, size_t max)
{
	char *e = aw_str_escape_once_dup(s, strlen(s), max);

	if (e != NULL)
		fputs(e, out);
	free(e);
}

void
aw_cli_dns_usage(FILE *out)
{
	fputs(_("  --dns-server IP[:PORT]  ask this DNS server (repeatable; IPv6 as [IP]:PORT);\n"
	    "                          default: the system's resolvers\n"
	    "  --dns-timeout SECONDS   wait this long for the first try (default 2); each\n"
	    "                          further try waits twice as long (c-ares): 1 with\n"
	    "                          3 tries is 7 seconds at most\n"
	    "  --dns-tries N           tries per query (default 2)\n"), out);
}

/* "IP[:PORT]": an IPv4 address, "[IPv6]" or "[IPv6]:PORT", or a bare IPv6
 * address; PORT from 1 to 65535. False with the message printed. *bare
 * says "[IPv6]" with no port, which the resolver takes without brackets. */
static bool
dns_server_valid(const char *arg, bool *bare)
{
	char addr[INET6_ADDRSTRLEN + 1];
	unsigned char bin[sizeof(struct in6_addr)];
	const char *port = NULL, *colon;
	int family = AF_INET;
	size_t len;

	*bare = false;
	if (*arg == '\0' || strchr(arg, ',') != NULL) {
		aw_cli_error(_("--dns-server: give one IP[:PORT] per option: %s"),
		    arg);
		return false;
	}
	if (arg[0] == '[') {
		const char *close = strchr(arg, ']');

		if (close == NULL) {
			aw_cli_error(_("--dns-server: the IPv6 address has no closing ']': %s"),
			    arg);
			return false;
		}
		if (close[1] != '\0' && close[1] != ':') {
			aw_cli_error(_("--dns-server: expected ':PORT' after ']': %s"),
			    arg);
			return false;
		}
		family = AF_INET6;
		len = (size_t)(close - arg - 1);
		if (len >= sizeof addr)
			len = sizeof addr - 1;
		memcpy(addr, arg + 1, len);
		addr[len] = '\0';
		if (close[1] == ':')
			port = close + 2;
		*bare = port == NULL;
	} else if ((colon = strchr(arg, ':')) != NULL &&
	    strchr(colon + 1, ':') == NULL) {
		/* One colon: IPv4:PORT. More: a bare IPv6 address. */
		len = (size_t)(colon - arg);
		if (len >= sizeof addr)
			len = sizeof addr - 1;
		memcpy(addr, arg, len);
		addr[len] = '\0';
		port = colon + 1;
	} else {
		if (colon != NULL)
			family = AF_INET6;
		snprintf(addr, sizeof addr, "%s", arg);
	}
	if (inet_pton(family, addr, bin) != 1) {
		aw_cli_error(family == AF_INET6 ?
		    _("--dns-server: not an IPv6 address: %s") :
		    _("--dns-server: not an IPv4 address (IPv6 goes in brackets: [IP]:PORT): %s"),
		    arg);
		return false;
	}
	if (port != NULL) {
		char *end;
		long n;

		errno = 0;
		n = strtol(port, &end, 10);
		if (*port < '0' || *port > '9' || *end != '\0' || errno != 0 ||
		    n < 1 || n > 65535) {
			aw_cli_error(_("--dns-server: the port must be a number from 1 to 65535: %s"),
			    arg);
			return false;
		}
	}
	return true;
}

int
aw_cli_option_error(const char *cmd, char *const argv[], int c)
{
	const char *arg = optind > 0 ? argv[optind - 1] : NULL;
	char shortopt[3] = { '-', (char)optopt, '\0' };

	/* A long option's text is the argument getopt stopped after; a short
	 * one may sit in a cluster ("-hx"), so it is named by optopt. */
	if (arg == NULL || strncmp(arg, "--", 2) != 0) {
		if (optopt <= ' ' || optopt > '~')
			return aw_cli_usage_error(cmd, _("unknown option"));
		arg = shortopt;
	}
	fprintf(stderr, "%s: ", aw_cli_progname);
	/* getopt_long sets optopt for a known long option: its value is
	 * missing (or, with "=", given to an option that takes none). */
	if (c == ':' || (optopt != 0 && strncmp(arg, "--", 2) == 0 &&
	    strchr(arg, '=') == NULL)) {
		fprintf(stderr, _("option needs a value: "));
	} else {
		fprintf(stderr, _("unknown option: "));
	}
	aw_cli_put_escaped(stderr, arg, 100);
	fputc('\n', stderr);
	if (cmd != NULL)
		fprintf(stderr, _("Try '%s %s --help'.\n"), aw_cli_progname, cmd);
	else
		fprintf(stderr, _("Try '%s --help'.\n"), aw_cli_progname);
	return AW_EXIT_USAGE;
}

bool
aw_cli_dns_option(struct aw_session *d, int opt, const char *arg)
{
	char *end;
	double secs;
	long n;

	switch (opt) {
	case AW_OPT_DNS_SERVER:
	{
		bool bare;

		if (!dns_server_valid(arg, &bare))
			return false;
		if (bare)
			aw_strv_pushf(&d->servers, "%.*s", (int)strlen(arg) - 2,
			    arg + 1);
		else
			aw_strv_push(&d->servers, arg);
	}
		return true;
	case AW_OPT_DNS_TIMEOUT:
		errno = 0;
		secs = strtod(arg, &end);
		if (errno != 0 || *end != '\0' || !(secs > 0) || secs > 300) {
			aw_cli_error(_("--dns-timeout: expected seconds between 0 and 300, got: %s"),
			    arg);
			return false;
		}
		d->timeout_ms = (int)(secs * 1000);
		if (d->timeout_ms < 1)
			d->timeout_ms = 1;
		return true;
	case AW_OPT_DNS_TRIES:
		errno = 0;
		n = strtol(arg, &end, 10);
		if (errno != 0 || *end != '\0' || n < 1 || n > 10) {
			aw_cli_error(_("--dns-tries: expected a number from 1 to 10, got: %s"),
			    arg);
			return false;
		}
		d->tries = (int)n;
		return true;
	}
	return false;
}

bool
aw_cli_dns_start(struct aw_session *d)
{
	struct aw_error err;

	aw_error_clear(&err);
	if (aw_session_start_dns(d, &err) != AW_OK) {
		if (err.where[0])
			aw_cli_error("%s: %s", err.where, err.msg);
		else
			aw_cli_error("%s", err.msg);
		return false;
	}
	return true;
}

bool
aw_cli_ca_file_option(struct aw_session *d, const char *arg)
{
	FILE *fp = fopen(arg, "r");

	if (fp == NULL) {
		aw_cli_error(_("--ca-file: cannot read %s: %s"), arg,
		    aw_strerror(errno));
		return false;
	}
	fclose(fp);
	free(d->ca_file);
	if ((d->ca_file = strdup(arg)) == NULL) {
		aw_cli_error(_("out of memory"));
		return false;
	}
	return true;
}

bool
aw_cli_fetcher(struct aw_session *d, struct aw_fetcher *out)
{
	struct aw_error err;

	aw_error_clear(&err);
	if (aw_session_fetcher(d, out, &err) != AW_OK) {
		aw_cli_error("%s", err.msg);
		return false;
	}
	return true;
}

char *
aw_cli_domain_arg(const char *arg)
{
	struct aw_error err;
	char *ascii = NULL;

	aw_error_clear(&err);
	if (aw_domain_to_ascii(arg, &ascii, &err) != AW_OK) {
		aw_cli_error("%s", err.msg);
		return NULL;
	}
	if (!aw_domain_valid(ascii) || strchr(ascii, '.') == NULL) {
		fprintf(stderr, "%s: ", aw_cli_progname);
		fprintf(stderr, _("not a domain name: "));
		aw_cli_put_escaped(stderr, arg, 256);
		fputc('\n', stderr);
		free(ascii);
		return NULL;
	}
	return ascii;
}

/* Display columns of the first n bytes of s (UTF-8: continuation bytes
 * take none). */
static size_t
usage_cols(const char *s, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n && s[i] != '\0'; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

void
aw_cli_usage_item(FILE *out, const char *left, const char *text)
{
	aw_cli_usage_wrap(out, left, text, 26);
}

void
aw_cli_usage_wrap(FILE *out, const char *left, const char *text,
    size_t indent)
{
	const size_t width = 80;
	size_t col;
	const char *p = text;

	col = 2 + usage_cols(left, strlen(left));
	fprintf(out, "  %s", left);
	if (col + 1 > indent) {
		fputc('\n', out);
		col = 0;
	}
	while (*p != '\0') {
		size_t wlen = strcspn(p, " "), wcols = usage_cols(p, wlen);

		if (col <= indent) {
			fprintf(out, "%*s", (int)(indent - col), "");
			col = indent;
		} else if (col + 1 + wcols > width) {
			fprintf(out, "\n%*s", (int)indent, "");
			col = indent;
		} else {
			fputc(' ', out);
			col++;
		}
		fwrite(p, 1, wlen, out);
		col += wcols;
		p += wlen;
		while (*p == ' ')
			p++;
	}
	fputc('\n', out);
}
