/* cli-provider.c: options and output shared by plan, apply and undo. */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli-provider.h"
#include "core/i18n.h"
#include "core/str.h"
#include "providers/hosts.h"

#define CLI_KEY_FILE_MAX (64 * 1024)

void
aw_cli_provider_init(struct aw_cli_provider *cp)
{
	memset(cp, 0, sizeof *cp);
	aw_session_init(&cp->run);
	aw_provider_config_init(&cp->cfg);
	aw_strv_init(&cp->spf_terms);
	aw_strv_init(&cp->spf_remove);
	aw_strv_init(&cp->spf_replace);
	aw_strv_init(&cp->dkim_cnames);
	aw_strv_init(&cp->txts);
	aw_strv_init(&cp->addrs);
	aw_strv_init(&cp->ptrs);
}

void
aw_cli_provider_done(struct aw_cli_provider *cp)
{
	aw_provider_free(cp->p);
	aw_session_done(&cp->run);
	free(cp->provider);
	aw_provider_config_done(&cp->cfg);
	aw_strv_done(&cp->spf_terms);
	aw_strv_done(&cp->spf_remove);
	aw_strv_done(&cp->spf_replace);
	free(cp->spf_all);
	aw_strv_done(&cp->dkim_cnames);
	free(cp->dkim_key_file);
	free(cp->selector);
	free(cp->dmarc);
	aw_strv_done(&cp->txts);
	aw_strv_done(&cp->addrs);
	aw_strv_done(&cp->ptrs);
	memset(cp, 0, sizeof *cp);
}

/* Secrets are never taken on the command line (they would show in ps and
 * /proc/PID/cmdline): a secret option SECRET is given as SECRET-file FILE
 * (mode 0600) or SECRET-file - (standard input), besides its environment
 * variable and the prompt. Where the host has its own SECRET-file option
 * (Cloudflare's token file) that one is used, "-" read here. */
#define CLI_SECRET_MAX 4096
#define CLI_FILE_NAME_MAX 64
#define CLI_FILE_OPTS_MAX 64     /* every host option (nine API hosts and RFC 2136) */

/* Every host option, flattened: index i is option AW_OPT_HOST_FIRST + i. */
static const struct aw_provider_option *
cli_host_option(size_t idx)
{
	size_t i, j, k = 0;

	for (i = 0; aw_providers[i] != NULL; i++)
		for (j = 0; aw_providers[i]->options[j].option != NULL; j++, k++)
			if (k == idx)
				return &aw_providers[i]->options[j];
	return NULL;
}

static size_t
cli_host_index(const struct aw_provider_option *ho)
{
	size_t i;

	for (i = 0; cli_host_option(i) != NULL; i++)
		if (cli_host_option(i) == ho)
			return i;
	return (size_t)-1;
}

/* The host's own option named "<secret>-file", or NULL. */
static const struct aw_provider_option *
cli_secret_sibling(const struct aw_provider_option *secret)
{
	const struct aw_provider_option *o;
	size_t i, n = strlen(secret->option);

	for (i = 0; (o = cli_host_option(i)) != NULL; i++)
		if (strncmp(o->option, secret->option, n) == 0 &&
		    strcmp(o->option + n, "-file") == 0)
			return o;
	return NULL;
}

/* The secret whose "-file" option o is, or NULL. */
static const struct aw_provider_option *
cli_secret_of_file_option(const struct aw_provider_option *o)
{
	const struct aw_provider_option *s;
	size_t i;

	for (i = 0; (s = cli_host_option(i)) != NULL; i++)
		if (s->secret && cli_secret_sibling(s) == o)
			return s;
	return NULL;
}

/* "--NAME-file" for secret option i (static storage). */
static const char *
cli_secret_file_name(size_t i)
{
	static char names[CLI_FILE_OPTS_MAX][CLI_FILE_NAME_MAX];
	const struct aw_provider_option *ho = cli_host_option(i);

	if (ho == NULL || i >= CLI_FILE_OPTS_MAX)
		return NULL;
	snprintf(names[i], sizeof names[i], "%s-file", ho->option);
	return names[i];
}

/* Reads a secret from path ("-": standard input) into cfg under key.
 * A file must be a regular file only its owner can read. */
static bool
cli_read_secret(struct aw_cli_provider *cp, const char *cmd, const char *opt,
    const char *path, const char *key)
{
	char buf[CLI_SECRET_MAX + 1];
	size_t len = 0;
	ssize_t n;
	struct stat sb;
	int fd = STDIN_FILENO;
	bool ok;

	if (strcmp(path, "-") != 0) {
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
			aw_cli_usage_error(cmd, _("--%s: cannot read %s: %s"), opt, path,
			    aw_strerror(errno));
			return false;
		}
		if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
		    (sb.st_mode & 077) != 0) {
			close(fd);
			aw_cli_usage_error(cmd,
			    _("--%s: %s must be a regular file only its owner can read (chmod 600)"),
			    opt, path);
			return false;
		}
	}
	while (len < sizeof buf - 1 &&
	    (n = read(fd, buf + len, sizeof buf - 1 - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		len += (size_t)n;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	buf[len] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	ok = buf[0] != '\0' && len < sizeof buf - 1;
	if (!ok)
		aw_cli_usage_error(cmd, _("--%s: %s is empty or too long"), opt,
		    strcmp(path, "-") == 0 ? _("standard input") : path);
	else if (aw_provider_config_set(&cp->cfg, key, buf) != AW_OK)
		ok = false;
	aw_mem_wipe(buf, sizeof buf);
	return ok;
}

struct option *
aw_cli_provider_longopts(bool with_wants)
{
	static const struct option common[] = {
		{ "provider", required_argument, NULL, AW_OPT_PROVIDER },
		{ "json", no_argument, NULL, AW_OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		AW_CLI_DNS_LONGOPTS,
	};
	static const struct option wants[] = {
		{ "spf-include", required_argument, NULL, AW_OPT_SPF_INCLUDE },
		{ "spf-ip4", required_argument, NULL, AW_OPT_SPF_IP4 },
		{ "spf-ip6", required_argument, NULL, AW_OPT_SPF_IP6 },
		{ "spf-all", required_argument, NULL, AW_OPT_SPF_ALL },
		{ "spf-replace", required_argument, NULL, AW_OPT_SPF_REPLACE },
		{ "spf-remove", required_argument, NULL, AW_OPT_SPF_REMOVE },
		{ "dkim-cname", required_argument, NULL, AW_OPT_DKIM_CNAME },
		{ "dkim-key", required_argument, NULL, AW_OPT_DKIM_KEY },
		{ "selector", required_argument, NULL, AW_OPT_SELECTOR },
		{ "dmarc", required_argument, NULL, AW_OPT_DMARC },
		{ "txt", required_argument, NULL, AW_OPT_TXT },
		{ "a", required_argument, NULL, AW_OPT_A },
		{ "aaaa", required_argument, NULL, AW_OPT_AAAA },
		{ "ptr", required_argument, NULL, AW_OPT_PTR },
	};
	size_t nhost = 0, n, k = 0, i;
	struct option *o;

	while (cli_host_option(nhost) != NULL)
		nhost++;
	n = sizeof common / sizeof common[0] + 2 * nhost + 1 +
	    (with_wants ? sizeof wants / sizeof wants[0] : 0);
	if ((o = calloc(n, sizeof *o)) == NULL)
		return NULL;
	for (i = 0; i < sizeof common / sizeof common[0]; i++)
		o[k++] = common[i];
	for (i = 0; with_wants && i < sizeof wants / sizeof wants[0]; i++)
		o[k++] = wants[i];
	for (i = 0; i < nhost; i++) {
		const struct aw_provider_option *ho = cli_host_option(i);

		/* Kept so that a secret given as a value gets a clear refusal. */
		o[k].name = ho->option;
		o[k].has_arg = required_argument;
		o[k].val = AW_OPT_HOST_FIRST + (int)i;
		k++;
		if (ho->secret && cli_secret_sibling(ho) == NULL &&
		    cli_secret_file_name(i) != NULL) {
			o[k].name = cli_secret_file_name(i);
			o[k].has_arg = required_argument;
			o[k].val = AW_OPT_HOST_FILE_FIRST + (int)i;
			k++;
		}
	}
	return o;
}

static bool
cli_set(char **slot, const char *arg)
{
	free(*slot);
	*slot = strdup(arg);
	return *slot != NULL;
}

int
aw_cli_provider_option(struct aw_cli_provider *cp, const char *cmd, int opt,
    const char *arg)
{
	const struct aw_provider_option *ho;

	switch (opt) {
	case AW_OPT_PROVIDER:
		if (aw_provider_find(arg) == NULL) {
			aw_cli_usage_error(cmd,
			    _("--provider: unknown DNS host (%s): %s"),
			    aw_provider_names(false), arg);
			return -1;
		}
		return cli_set(&cp->provider, arg) ? 1 : -1;
	case AW_OPT_JSON:
		cp->json = true;
		return 1;
	case AW_OPT_SPF_INCLUDE:
		return aw_strv_pushf(&cp->spf_terms, "include:%s", arg) == AW_OK ? 1 : -1;
	case AW_OPT_SPF_IP4:
		if (strchr(arg, ':') != NULL || strspn(arg, "0123456789./") != strlen(arg)) {
			aw_cli_usage_error(cmd, _("--spf-ip4: not an IPv4 network: %s"), arg);
			return -1;
		}
		return aw_strv_pushf(&cp->spf_terms, "ip4:%s", arg) == AW_OK ? 1 : -1;
	case AW_OPT_SPF_IP6:
		if (strchr(arg, ':') == NULL ||
		    strspn(arg, "0123456789abcdefABCDEF:./") != strlen(arg)) {
			aw_cli_usage_error(cmd, _("--spf-ip6: not an IPv6 network: %s"), arg);
			return -1;
		}
		return aw_strv_pushf(&cp->spf_terms, "ip6:%s", arg) == AW_OK ? 1 : -1;
	case AW_OPT_SPF_ALL:
		if (strcmp(arg, "-all") != 0 && strcmp(arg, "~all") != 0 &&
		    strcmp(arg, "?all") != 0) {
			aw_cli_usage_error(cmd, _("--spf-all: one of -all, ~all, ?all"));
			return -1;
		}
		return cli_set(&cp->spf_all, arg) ? 1 : -1;
	case AW_OPT_SPF_REPLACE:
		if (strchr(arg, '=') == NULL || arg[0] == '=') {
			aw_cli_usage_error(cmd, _("--spf-replace: expected OLD=NEW, e.g. include:_spf.leaddesk.com=include:_spf5.leaddesk.com"));
			return -1;
		}
		return aw_strv_push(&cp->spf_replace, arg) == AW_OK ? 1 : -1;
	case AW_OPT_SPF_REMOVE:
		return aw_strv_push(&cp->spf_remove, arg) == AW_OK ? 1 : -1;
	case AW_OPT_DKIM_CNAME:
		if (strchr(arg, '=') == NULL) {
			aw_cli_usage_error(cmd, _("--dkim-cname: expected SELECTOR=TARGET"));
			return -1;
		}
		return aw_strv_push(&cp->dkim_cnames, arg) == AW_OK ? 1 : -1;
	case AW_OPT_DKIM_KEY:
		return cli_set(&cp->dkim_key_file, arg) ? 1 : -1;
	case AW_OPT_SELECTOR:
		return cli_set(&cp->selector, arg) ? 1 : -1;
	case AW_OPT_DMARC:
		return cli_set(&cp->dmarc, arg) ? 1 : -1;
	case AW_OPT_TXT:
		if (strchr(arg, '=') == NULL) {
			aw_cli_usage_error(cmd, _("--txt: expected NAME=VALUE"));
			return -1;
		}
		return aw_strv_push(&cp->txts, arg) == AW_OK ? 1 : -1;
	case AW_OPT_A:
	case AW_OPT_AAAA:
		if (strchr(arg, '=') == NULL) {
			aw_cli_usage_error(cmd, opt == AW_OPT_A ?
			    _("--a: expected NAME=IPV4") : _("--aaaa: expected NAME=IPV6"));
			return -1;
		}
		return aw_strv_pushf(&cp->addrs, "%s %s", opt == AW_OPT_A ? "A" : "AAAA",
		    arg) == AW_OK ? 1 : -1;
	case AW_OPT_PTR:
		if (strchr(arg, '=') == NULL) {
			aw_cli_usage_error(cmd, _("--ptr: expected IP=HOST"));
			return -1;
		}
		return aw_strv_push(&cp->ptrs, arg) == AW_OK ? 1 : -1;
	}
	if (opt >= AW_OPT_HOST_FILE_FIRST &&
	    (ho = cli_host_option((size_t)(opt - AW_OPT_HOST_FILE_FIRST))) != NULL)
		return cli_read_secret(cp, cmd, cli_secret_file_name(
		    (size_t)(opt - AW_OPT_HOST_FILE_FIRST)), arg, ho->env) ? 1 : -1;
	if (opt >= AW_OPT_HOST_FIRST &&
	    (ho = cli_host_option((size_t)(opt - AW_OPT_HOST_FIRST))) != NULL) {
		const struct aw_provider_option *secret;

		if (ho->secret) {
			const struct aw_provider_option *sib = cli_secret_sibling(ho);

			aw_cli_usage_error(cmd,
			    _("--%s takes no value on the command line (it would show in the process list): use --%s FILE (- for standard input) or %s"),
			    ho->option, sib != NULL ? sib->option :
			    cli_secret_file_name(cli_host_index(ho)), ho->env);
			return -1;
		}
		if (strcmp(arg, "-") == 0 &&
		    (secret = cli_secret_of_file_option(ho)) != NULL)
			return cli_read_secret(cp, cmd, ho->option, arg,
			    secret->env) ? 1 : -1;
		return aw_provider_config_set(&cp->cfg, ho->env, arg) == AW_OK ? 1 : -1;
	}
	return 0;
}

void
aw_cli_provider_usage(FILE *out, bool with_wants)
{
	const char *names = aw_provider_names(false), *p, *e;
	int col = 0;

	/* The hosts' ids wrapped under the help column (80 columns). */
	fputs(_("  --provider NAME         the DNS host, one of:"), out);
	col = 80;
	for (p = names; *p != '\0'; p = *e != '\0' ? e + 2 : e) {
		int n;

		if ((e = strstr(p, ", ")) == NULL)
			e = p + strlen(p);
		n = (int)(e - p);
		if (col + n + 2 > 78) {
			fputs("\n                         ", out);
			col = 25;
		}
		fprintf(out, " %.*s%s", n, p, *e != '\0' ? "," : "");
		col += n + 2;
	}
	fputc('\n', out);
	if (with_wants)
		fputs(_("  --spf-include DOMAIN    add include:DOMAIN to the SPF record (repeatable)\n"
		    "  --spf-ip4 NET           add ip4:NET (repeatable)\n"
		    "  --spf-ip6 NET           add ip6:NET (repeatable)\n"
		    "  --spf-all -all|~all|?all  the SPF record's final term\n"
		    "  --dkim-cname SEL=TARGET CNAME SEL._domainkey to TARGET (repeatable)\n"
		    "  --dkim-key FILE --selector S\n"
		    "                          publish the DKIM key in FILE (a \"v=DKIM1; ...\" record\n"
		    "                          or a PEM public key) at S._domainkey\n"
		    "  --dmarc RECORD          the DMARC record (replaces only the v=DMARC1 TXT)\n"
		    "  --txt NAME=VALUE        add a TXT value (vendor verification; NAME relative\n"
		    "                          to the domain, @ for the domain itself, absolute\n"
		    "                          when it ends in '.'; repeatable)\n"
		    "  --a NAME=IPV4, --aaaa NAME=IPV6\n"
		    "                          the address of a mail host (NAME relative as --txt)\n"
		    "  --ptr IP=HOST           PTR for IP in its reverse zone, when this DNS host\n"
		    "                          serves that zone (repeatable)\n"),
		    out);
	if (with_wants)
		fputs(_("  --spf-replace OLD=NEW   swap an SPF term in place, e.g. the lighter include:\n"
		    "                          include:_spf.leaddesk.com=include:_spf5.leaddesk.com\n"
		    "  --spf-remove TERM       take a term out of the SPF record (include:DOMAIN)\n"
		    "  Merging SPF records keeps the strictest \"all\" unless --spf-all says\n"
		    "  otherwise.\n"), out);
	aw_cli_provider_usage_hosts(out);
	fputs(_("  On a terminal, a missing token, key or URL is asked for (secrets are\n"
	    "  not shown).\n"), out);
}

void
aw_cli_provider_usage_hosts(FILE *out)
{
	size_t i;
	const struct aw_provider_option *ho;

	fputs(_("DNS host settings (each also from the environment variable shown):\n"), out);
	for (i = 0; (ho = cli_host_option(i)) != NULL; i++) {
		char left[80], *text = NULL;
		int r;

		/* A secret: its file option (the host's own one is listed
		 * in its place). */
		if (ho->secret && cli_secret_sibling(ho) != NULL)
			continue;
		if (ho->secret) {
			snprintf(left, sizeof left, "--%s FILE", cli_secret_file_name(i));
			r = asprintf(&text, _("%s, read from FILE (mode 0600; - for standard input) [%s]"),
			    _(ho->help), ho->env);
		} else if (cli_secret_of_file_option(ho) != NULL) {
			snprintf(left, sizeof left, "--%s FILE", ho->option);
			r = asprintf(&text, _("%s (- for standard input) [%s, or the token in %s]"),
			    _(ho->help), ho->env, cli_secret_of_file_option(ho)->env);
		} else {
			snprintf(left, sizeof left, "--%s", ho->option);
			r = asprintf(&text, "%s [%s]", _(ho->help), ho->env);
		}
		if (r < 0)
			continue;
		aw_cli_usage_item(out, left, text);
		free(text);
	}
	fputs(_("  Secrets are never taken as values on the command line (they would show\n"
	    "  in the process list): a file, standard input, the environment or the\n"
	    "  prompt.\n"), out);
	fputs(_("  Route 53 also reads AWS_PROFILE and ~/.aws/credentials\n"
	    "  (AWS_SHARED_CREDENTIALS_FILE) as the AWS CLI does.\n"), out);
}

void
aw_cli_provider_usage_dns(FILE *out)
{
	fputs(_("  --dns-server, --dns-timeout, --dns-tries\n"
	    "                          accepted as by every command; this one talks only\n"
	    "                          to the DNS host's API ('watch' asks the nameservers)\n"),
	    out);
}

bool
aw_cli_provider_has_wants(const struct aw_cli_provider *cp)
{
	return cp->spf_terms.n > 0 || cp->spf_all != NULL ||
	    cp->spf_remove.n > 0 || cp->spf_replace.n > 0 ||
	    cp->dkim_cnames.n > 0 || cp->dkim_key_file != NULL ||
	    cp->selector != NULL || cp->dmarc != NULL || cp->txts.n > 0 ||
	    cp->addrs.n > 0 || cp->ptrs.n > 0;
}

/* NAME relative to domain: "@" is the domain, a name already ending in
 * the domain stays, one ending in "." is absolute, anything else gets the
 * domain appended. */
static char *
cli_txt_name(const char *name, size_t len, const char *domain)
{
	struct aw_buf b;

	aw_buf_init(&b);
	if (len == 1 && name[0] == '@')
		aw_buf_puts(&b, domain);
	else if (len > 1 && name[len - 1] == '.')
		aw_buf_append(&b, name, len - 1);
	else {
		aw_buf_append(&b, name, len);
		if (!aw_domain_is_under(aw_buf_str(&b), domain))
			aw_buf_printf(&b, ".%s", domain);
	}
	return aw_buf_steal(&b);
}

/* A DKIM key file: a ready "v=DKIM1; ..." record (perhaps zone-file
 * quoted), or a PEM public key whose base64 becomes p= (RFC 6376 §3.6.1). */
static char *
cli_read_dkim_key(const char *path)
{
	FILE *f = fopen(path, "r");
	struct aw_buf raw, out;
	char line[4096];
	char *text = NULL;
	bool pem = false, in_pem = false;

	if (f == NULL) {
		aw_cli_error(_("--dkim-key: cannot read %s"), path);
		return NULL;
	}
	aw_buf_init(&raw);
	aw_buf_init(&out);
	raw.max = CLI_KEY_FILE_MAX;
	while (fgets(line, sizeof line, f) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (strncmp(line, "-----BEGIN", 10) == 0) {
			pem = in_pem = true;
			continue;
		}
		if (strncmp(line, "-----END", 8) == 0) {
			in_pem = false;
			continue;
		}
		if (pem && !in_pem)
			continue;
		if (aw_buf_puts(&raw, line) != AW_OK) {
			fclose(f);
			aw_buf_done(&raw);
			aw_cli_error(_("--dkim-key: %s is too large"), path);
			return NULL;
		}
		if (!pem)
			aw_buf_putc(&raw, ' ');
	}
	fclose(f);
	if (pem) {
		aw_buf_printf(&out, "v=DKIM1; k=rsa; p=%s", aw_buf_str(&raw));
		text = aw_buf_steal(&out);
	} else {
		struct aw_error err;
		char *s = aw_buf_str(&raw)[0] ? strdup(aw_buf_str(&raw)) : NULL;
		size_t n;

		if (s != NULL) {
			n = strlen(s);
			while (n > 0 && isspace((unsigned char)s[n - 1]))
				s[--n] = '\0';
			aw_error_clear(&err);
			if (aw_record_txt_unquote(s, 0, &text, &err) != AW_OK)
				text = NULL;
			free(s);
		}
	}
	aw_buf_done(&raw);
	aw_buf_done(&out);
	if (text == NULL || strstr(text, "p=") == NULL) {
		aw_cli_error(_("--dkim-key: %s holds neither a DKIM record nor a PEM public key"),
		    path);
		free(text);
		return NULL;
	}
	return text;
}

bool
aw_cli_provider_wants(struct aw_cli_provider *cp, const char *cmd,
    const char *domain, struct aw_wants *w)
{
	struct aw_error err;
	size_t i;

	aw_error_clear(&err);
	if (cp->spf_terms.n > 0 || cp->spf_all != NULL) {
		if (aw_wants_add_spf(w, domain, (const char *const *)cp->spf_terms.v,
		    cp->spf_terms.n, cp->spf_all, &err) != AW_OK)
			goto bad;
	}
	for (i = 0; i < cp->spf_remove.n; i++)
		if (aw_wants_spf_remove(w, domain, cp->spf_remove.v[i], &err) != AW_OK)
			goto bad;
	for (i = 0; i < cp->spf_replace.n; i++) {
		char *old = strdup(cp->spf_replace.v[i]), *eq;
		enum aw_status st;

		if (old == NULL)
			return false;
		/* OLD=NEW; a modifier's own '=' (redirect=x) is not the split. */
		eq = strchr(old, '=');
		if (eq != NULL && strchr(eq + 1, '=') != NULL &&
		    (aw_str_has_prefix_ci(old, "redirect=") ||
		    aw_str_has_prefix_ci(old, "exp=")))
			eq = strchr(eq + 1, '=');
		*eq = '\0';
		st = aw_wants_spf_replace(w, domain, old, eq + 1, &err);
		free(old);
		if (st != AW_OK)
			goto bad;
	}
	for (i = 0; i < cp->dkim_cnames.n; i++) {
		char *sel = strdup(cp->dkim_cnames.v[i]), *eq;

		if (sel == NULL)
			return false;
		eq = strchr(sel, '=');
		*eq = '\0';
		if (aw_wants_add_dkim_cname(w, domain, sel, eq + 1, &err) != AW_OK) {
			free(sel);
			goto bad;
		}
		free(sel);
	}
	if (cp->dkim_key_file != NULL) {
		char *rec;

		if (cp->selector == NULL) {
			aw_cli_usage_error(cmd, _("--dkim-key needs --selector"));
			return false;
		}
		if ((rec = cli_read_dkim_key(cp->dkim_key_file)) == NULL)
			return false;
		if (aw_wants_add_dkim_txt(w, domain, cp->selector, rec, &err) != AW_OK) {
			free(rec);
			goto bad;
		}
		free(rec);
	}
	if (cp->dmarc != NULL &&
	    aw_wants_add_dmarc(w, domain, cp->dmarc, &err) != AW_OK)
		goto bad;
	for (i = 0; i < cp->txts.n; i++) {
		const char *eq = strchr(cp->txts.v[i], '=');
		char *name = cli_txt_name(cp->txts.v[i],
		    (size_t)(eq - cp->txts.v[i]), domain);

		if (name == NULL)
			return false;
		if (aw_wants_add_txt(w, name, eq + 1, &err) != AW_OK) {
			free(name);
			goto bad;
		}
		free(name);
	}
	for (i = 0; i < cp->addrs.n; i++) {
		char *copy = strdup(cp->addrs.v[i]), *sp, *eq, *name;
		const char *vals[1];
		enum aw_record_type t;
		unsigned char buf[16];

		if (copy == NULL)
			return false;
		sp = strchr(copy, ' ');
		*sp = '\0';
		eq = strchr(sp + 1, '=');
		*eq = '\0';
		t = strcmp(copy, "A") == 0 ? AW_RECORD_A : AW_RECORD_AAAA;
		if (inet_pton(t == AW_RECORD_A ? AF_INET : AF_INET6, eq + 1, buf) != 1) {
			aw_cli_usage_error(cmd, _("not an IPv%c address: %s"),
			    t == AW_RECORD_A ? '4' : '6', eq + 1);
			free(copy);
			return false;
		}
		name = cli_txt_name(sp + 1, strlen(sp + 1), domain);
		vals[0] = eq + 1;
		if (name == NULL || aw_wants_add_rrset(w, name, t, vals, 1, 0, &err) != AW_OK) {
			free(name);
			free(copy);
			goto bad;
		}
		free(name);
		free(copy);
	}
	for (i = 0; i < cp->ptrs.n; i++) {
		char *copy = strdup(cp->ptrs.v[i]), *eq;

		if (copy == NULL)
			return false;
		eq = strchr(copy, '=');
		*eq = '\0';
		if (aw_wants_add_ptr(w, copy, eq + 1, &err) != AW_OK) {
			free(copy);
			goto bad;
		}
		free(copy);
	}
	if (w->n == 0) {
		aw_cli_usage_error(cmd,
		    _("nothing wanted: give --spf-include, --dkim-cname, --dmarc, --txt, ..."));
		return false;
	}
	return true;
bad:
	fprintf(stderr, "%s: ", aw_cli_progname);
	if (err.where[0] != '\0') {
		aw_cli_put_escaped(stderr, err.where, 200);
		fputs(": ", stderr);
	}
	aw_cli_put_escaped(stderr, err.msg, 2000);
	fputc('\n', stderr);
	return false;
}

void
aw_cli_provider_error(const struct aw_error *err)
{
	fprintf(stderr, "%s: ", aw_cli_progname);
	if (err->where[0] != '\0') {
		aw_cli_put_escaped_once(stderr, err->where, 200);
		fputs(": ", stderr);
	}
	aw_cli_put_escaped_once(stderr, err->msg, 2000);
	fputc('\n', stderr);
}

int
aw_cli_provider_exit(enum aw_status st)
{
	switch (st) {
	case AW_OK:
		return AW_EXIT_OK;
	case AW_ERR_NOMEM:
	case AW_ERR_INTERNAL:
		return AW_EXIT_INTERNAL;
	case AW_ERR_IO:
		return AW_EXIT_IO;
	case AW_ERR_INVALID:
		return AW_EXIT_USAGE;
	default:
		return AW_EXIT_PROVIDER;
	}
}

volatile sig_atomic_t aw_cli_stop;
static const char *cli_stop_msg[2];

/* The first signal asks the apply to stop (no new request; the one out
 * settles); the second leaves at once: the journal, written ahead of each
 * request, is already true. Only async-signal-safe calls here. */
static void
cli_stop_handler(int sig)
{
	const char *m = cli_stop_msg[aw_cli_stop != 0];

	if (m != NULL && write(STDERR_FILENO, m, strlen(m)) < 0)
		m = NULL;
	if (aw_cli_stop != 0)
		_exit(AW_EXIT_PARTIAL);
	aw_cli_stop = sig;
}

void
aw_cli_stop_signals(bool on)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	size_t i;

	/* The messages are looked up now: gettext is not for a handler. */
	cli_stop_msg[0] = _("\nStopping: no new change is sent; waiting for the one under way (again to leave at once)...\n");
	cli_stop_msg[1] = _("\nLeaving at once; the journal says what was in flight: run 'undo' or apply again.\n");
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: the wait in poll ends with EINTR. */
	sa.sa_handler = on ? cli_stop_handler : SIG_DFL;
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
	/* A file over RLIMIT_FSIZE is a write error, not death. */
	signal(SIGXFSZ, on ? SIG_IGN : SIG_DFL);
	if (on)
		aw_cli_stop = 0;
}

/* Shows prompt (on stderr) and reads one line from the terminal, not
 * echoed when hide. NULL at end of input. The caller wipes and frees. */
static char *
cli_read_line(const char *prompt, bool hide)
{
	struct termios old, quiet;
	bool restore = false;
	char buf[1024], *out = NULL;

	if (hide && tcgetattr(STDIN_FILENO, &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		quiet.c_lflag |= ECHONL;
		/* TCSANOW: what was typed ahead stays to be read. */
		restore = tcsetattr(STDIN_FILENO, TCSANOW, &quiet) == 0;
	}
	fputs(prompt, stderr);
	fflush(stderr);
	if (fgets(buf, sizeof buf, stdin) != NULL) {
		buf[strcspn(buf, "\r\n")] = '\0';
		out = strdup(buf);
	}
	if (restore)
		tcsetattr(STDIN_FILENO, TCSANOW, &old);
	{
		volatile char *v = buf;
		size_t k;

		for (k = 0; k < sizeof buf; k++)
			v[k] = '\0';
	}
	return out;
}

/* The host's credentials that may be typed in, asked for on a terminal
 * when opening failed for want of them (err is shown first). True when
 * something was typed. */
static bool
cli_ask_credentials(struct aw_cli_provider *cp, const char *name,
    const struct aw_error *err)
{
	const struct aw_provider_ops *ops = aw_provider_find(name);
	size_t i;
	bool any = false;

	if (ops == NULL || !isatty(STDIN_FILENO) || !isatty(STDERR_FILENO))
		return false;
	aw_cli_provider_error(err);
	for (i = 0; ops->options[i].option != NULL; i++) {
		const struct aw_provider_option *o = &ops->options[i];
		char *line, prompt[300];

		if (!o->ask || aw_provider_config_get(&cp->cfg, o->env) != NULL)
			continue;
		snprintf(prompt, sizeof prompt, o->secret ?
		    _("%s (typed, not shown): ") : "%s: ", _(o->help));
		line = cli_read_line(prompt, o->secret);
		if (line == NULL)
			return false;
		if (line[0] != '\0' &&
		    aw_provider_config_set(&cp->cfg, o->env, line) == AW_OK)
			any = true;
		aw_str_wipe(line);
		free(line);
	}
	return any;
}

int
aw_cli_provider_open(struct aw_cli_provider *cp, const char *name)
{
	struct aw_provider_op op;
	struct aw_error err;
	enum aw_status st;

	aw_error_clear(&err);
	if (name == NULL)
		name = cp->provider;
	if (name == NULL) {
		aw_cli_error(_("which DNS host? Give --provider %s"),
		    aw_provider_names(true));
		return AW_EXIT_USAGE;
	}
	st = aw_session_open_provider(&cp->run, name, &cp->cfg, &cp->p, &err);
	if (st == AW_ERR_NOMEM || st == AW_ERR_INTERNAL) {
		aw_cli_error("%s", err.msg[0] ? err.msg : _("out of memory"));
		return AW_EXIT_INTERNAL;
	}
	/* Missing credentials may be typed in, on a terminal. */
	if (st == AW_ERR_AUTH && cli_ask_credentials(cp, name, &err)) {
		aw_error_clear(&err);
		st = aw_session_open_provider(&cp->run, name, &cp->cfg, &cp->p,
		    &err);
	}
	if (st != AW_OK) {
		aw_cli_provider_error(&err);
		return st == AW_ERR_AUTH ? AW_EXIT_USAGE : aw_cli_provider_exit(st);
	}
	/* Credentials first: a clear "token refused" beats a 403 later. */
	aw_provider_op_init(&op, AW_OP_VERIFY);
	st = aw_provider_run_sync(cp->p, &op, &err);
	aw_provider_op_done(cp->p, &op);
	if (st != AW_OK) {
		aw_cli_provider_error(&err);
		return aw_cli_provider_exit(st);
	}
	return AW_EXIT_OK;
}

static void
cli_print_value(FILE *out, const char *mark, const struct aw_record *r,
    const char *v)
{
	fprintf(out, "    %s ", mark);
	if (r->type == AW_RECORD_TXT)
		fputc('"', out);
	aw_cli_put_escaped(out, v, 0);
	if (r->type == AW_RECORD_TXT)
		fputc('"', out);
	fputc('\n', out);
}

void
aw_cli_print_plan(FILE *out, const struct aw_plan *plan, bool states)
{
	size_t i, j, shown = 0;
	const char *title;
	const struct aw_provider_ops *ops = aw_provider_find(
	    plan->provider ? plan->provider : "");

	title = ops != NULL ? _(ops->title) : NULL;   /* unknown: not shown raw */
	fprintf(out, _("Plan for %s at %s:\n"), plan->domain ? plan->domain : "?",
	    title ? title : "?");
	for (i = 0; i < plan->nchanges; i++) {
		const struct aw_change *c = &plan->changes[i];
		const struct aw_record *o = &c->old, *n = &c->new;

		if (states && c->state == AW_CHANGE_SKIPPED)
			continue;
		shown++;
		fprintf(out, "  %s ", c->kind == AW_CHANGE_CREATE ? _("create") :
		    c->kind == AW_CHANGE_DELETE ? _("delete") : _("update"));
		aw_cli_put_escaped_once(out, n->name, 0);
		fprintf(out, " %s", n->type_name);
		if (n->ttl != 0 && n->ttl != o->ttl && o->values.n > 0)
			fprintf(out, _(" (TTL %u -> %u)"), o->ttl, n->ttl);
		else if (n->ttl != 0)
			fprintf(out, _(" (TTL %u)"), n->ttl);
		fprintf(out, _(" in zone %s"), c->zone.name ? c->zone.name : "?");
		if (states)
			fprintf(out, " [%s%s]", aw_change_state_name(c->state),
			    c->confirmed ? _(", confirmed") : "");
		fputc('\n', out);
		for (j = 0; j < o->values.n; j++)
			if (aw_record_find(n, o->values.v[j]) < 0)
				cli_print_value(out, "-", o, o->values.v[j]);
		for (j = 0; j < n->values.n; j++)
			if (aw_record_find(o, n->values.v[j]) < 0)
				cli_print_value(out, "+", n, n->values.v[j]);
		for (j = 0; j < n->values.n; j++)
			if (aw_record_find(o, n->values.v[j]) >= 0)
				cli_print_value(out, " ", n, n->values.v[j]);
		for (j = 0; j < c->notes.n; j++) {
			fputs(_("    note: "), out);
			aw_cli_put_escaped(out, c->notes.v[j], 0);
			fputc('\n', out);
		}
	}
	if (shown == 0)
		fputs(_("  no changes: everything is already as wanted\n"), out);
	for (i = 0; i < plan->refused.n; i++) {
		fputs(_("  refused: "), out);
		aw_cli_put_escaped(out, plan->refused.v[i], 0);
		fputc('\n', out);
	}
	for (i = 0; i < plan->warnings.n; i++) {
		fputs(_("  warning: "), out);
		aw_cli_put_escaped(out, plan->warnings.v[i], 0);
		fputc('\n', out);
	}
	for (i = 0; i < plan->notes.n; i++) {
		fputs(_("  note: "), out);
		aw_cli_put_escaped(out, plan->notes.v[i], 0);
		fputc('\n', out);
	}
	aw_cli_print_preflight(out, plan);
}
