/* host-config.c: what the bearer-token hosts (DigitalOcean, deSEC,
 * Hetzner) read from their settings in the same way: the token from one of
 * its environment names (the host's own CLI's first, lego's after) or from
 * a file only its owner can read, and the API base URL. */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/str.h"
#include "providers/hosts.h"

#define HOST_TOKEN_MAX 512

/* The token file must be private: a token is a password. */
static enum aw_status
host_read_token(const char *host, const char *path, char **out,
    struct aw_error *err)
{
	struct stat sb;
	char buf[HOST_TOKEN_MAX + 2];
	ssize_t n;
	int fd;

	*out = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return aw_error_setw(err, AW_ERR_AUTH, path,
		    _("%s: cannot read the token file"), host);
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    (sb.st_mode & 077) != 0) {
		close(fd);
		return aw_error_setw(err, AW_ERR_AUTH, path,
		    _("%s: the token file must be a regular file only its owner can read (chmod 600)"),
		    host);
	}
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n > 0 && n <= HOST_TOKEN_MAX) {
		buf[n] = '\0';
		buf[strcspn(buf, "\r\n")] = '\0';
		if (buf[0] != '\0' && (*out = strdup(buf)) == NULL) {
			aw_mem_wipe(buf, sizeof buf);
			return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
		}
	}
	aw_mem_wipe(buf, sizeof buf);
	if (*out == NULL)
		return aw_error_setw(err, AW_ERR_AUTH, path,
		    _("%s: the token file is empty or too long"), host);
	return AW_OK;
}

enum aw_status
aw_host_token(const struct aw_provider_config *cfg, const char *host,
    const char *const *envs, const char *file_key, const char *file_option,
    char **out, struct aw_error *err)
{
	const char *token = NULL, *file;
	size_t i;
	enum aw_status st;

	*out = NULL;
	for (i = 0; envs[i] != NULL && token == NULL; i++)
		token = aw_provider_config_get(cfg, envs[i]);
	if (token != NULL) {
		if ((*out = strdup(token)) == NULL)
			return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	} else if ((file = aw_provider_config_get(cfg, file_key)) != NULL) {
		if ((st = host_read_token(host, file, out, err)) != AW_OK)
			return st;
	} else
		return aw_error_set(err, AW_ERR_AUTH,
		    _("%s: no API token (set %s, or --%s FILE)"), host, envs[0],
		    file_option);
	if (strpbrk(*out, "\r\n \t") != NULL) {
		aw_str_wipe(*out);
		free(*out);
		*out = NULL;
		return aw_error_set(err, AW_ERR_AUTH,
		    _("%s: the API token holds spaces or line breaks"), host);
	}
	return AW_OK;
}

enum aw_status
aw_host_base_url(const struct aw_provider_config *cfg, const char *host,
    const char *key, const char *alt_key, const char *def, char **out,
    struct aw_error *err)
{
	const char *base = aw_provider_config_get(cfg, key);
	size_t len;

	*out = NULL;
	if (base == NULL && alt_key != NULL)
		base = aw_provider_config_get(cfg, alt_key);
	if (base == NULL)
		base = def;
	if (strncmp(base, "http://", 7) != 0 && strncmp(base, "https://", 8) != 0)
		return aw_error_setw(err, AW_ERR_INVALID, base,
		    _("%s: the base URL must start with https://"), host);
	len = strlen(base);
	while (len > 0 && base[len - 1] == '/')
		len--;
	if ((*out = malloc(len + 1)) == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	memcpy(*out, base, len);
	(*out)[len] = '\0';
	return AW_OK;
}

enum aw_status
aw_host_bearer_request(struct aw_http_request *req, const char *scheme,
    const char *token, const char *method, const char *base, const char *path,
    char *body)
{
	struct aw_buf url, auth;
	enum aw_status st;

	aw_buf_init(&url);
	aw_buf_init(&auth);
	aw_buf_printf(&url, "%s%s", base, path);
	aw_buf_printf(&auth, "%s %s", scheme, token);
	st = url.data != NULL && auth.data != NULL ? AW_OK : AW_ERR_NOMEM;
	if (st == AW_OK)
		st = aw_http_request_set(req, method, aw_buf_str(&url));
	if (st == AW_OK)
		st = aw_http_request_header(req, "Authorization", aw_buf_str(&auth));
	if (st == AW_OK)
		st = aw_http_request_header(req, "Accept", "application/json");
	if (st == AW_OK && body != NULL) {
		aw_http_request_take_body(req, body);
		body = NULL;
		st = aw_http_request_header(req, "Content-Type", "application/json");
	}
	free(body);
	aw_buf_done(&url);
	aw_str_wipe(auth.data);
	aw_buf_done(&auth);
	return st;
}

char *
aw_host_relative_name(const char *name, const char *zone, const char *apex)
{
	size_t n = strlen(name), z = strlen(zone);
	char *out;

	if (aw_domain_equal(name, zone))
		return strdup(apex);
	if (n <= z + 1 || name[n - z - 1] != '.' ||
	    !aw_domain_equal(name + n - z, zone))
		return NULL;
	if ((out = malloc(n - z)) == NULL)
		return NULL;
	memcpy(out, name, n - z - 1);
	out[n - z - 1] = '\0';
	return out;
}

char *
aw_host_full_name(const char *rel, const char *zone)
{
	struct aw_buf b;
	char *full;

	if (rel == NULL || rel[0] == '\0' || strcmp(rel, "@") == 0)
		return aw_domain_normalize(zone);
	aw_buf_init(&b);
	aw_buf_printf(&b, "%s.%s", rel, zone);
	full = b.data != NULL ? aw_domain_normalize(aw_buf_str(&b)) : NULL;
	aw_buf_done(&b);
	return full;
}
