/* catalog-template.c: the sender catalog's {placeholder} templates (DKIM
 * selectors, CNAME targets, verification values) filled for a domain; split
 * from catalog.c (which reads the files). */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "checks/catalog.h"
#include "core/buf.h"
#include "core/i18n.h"

bool
aw_catalog_template_needs_input(const char *tmpl)
{
	const char *p = tmpl, *close;

	while ((p = strchr(p, '{')) != NULL) {
		if ((close = strchr(p, '}')) == NULL)
			return false;
		if (!((close - p - 1 == 6 && strncmp(p + 1, "domain", 6) == 0) ||
		    (close - p - 1 == 13 &&
		    strncmp(p + 1, "domain_dashed", 13) == 0)))
			return true;
		p = close + 1;
	}
	return false;
}

enum aw_status
aw_catalog_expand(const char *tmpl, const char *domain,
    const char *const *names, const char *const *values, size_t n,
    char **out, struct aw_error *err)
{
	struct aw_buf b;
	const char *p = tmpl, *open, *close;
	char name[80];
	size_t i, len;

	*out = NULL;
	aw_buf_init(&b);
	b.max = 4096;
	while ((open = strchr(p, '{')) != NULL) {
		if (aw_buf_append(&b, p, (size_t)(open - p)) != AW_OK)
			goto nomem;
		if ((close = strchr(open, '}')) == NULL ||
		    (len = (size_t)(close - open - 1)) >= sizeof name) {
			aw_buf_done(&b);
			return aw_error_set(err, AW_ERR_INVALID,
			    _("unbalanced '{' in template: %s"), tmpl);
		}
		memcpy(name, open + 1, len);
		name[len] = '\0';
		if (strcmp(name, "domain") == 0 ||
		    strcmp(name, "domain_dashed") == 0) {
			const char *c;

			if (domain == NULL) {
				aw_buf_done(&b);
				return aw_error_set(err, AW_ERR_INVALID,
				    _("the template needs a domain: %s"), tmpl);
			}
			for (c = domain; *c != '\0'; c++)
				if (aw_buf_putc(&b, name[6] == '_' && *c == '.' ?
				    '-' : *c) != AW_OK)
					goto nomem;
		} else {
			for (i = 0; i < n; i++)
				if (strcmp(names[i], name) == 0 &&
				    values[i] != NULL)
					break;
			if (i == n) {
				aw_buf_done(&b);
				return aw_error_setw(err, AW_ERR_INVALID, name,
				    _("no value given for {%s}"), name);
			}
			if (aw_buf_puts(&b, values[i]) != AW_OK)
				goto nomem;
		}
		p = close + 1;
	}
	if (aw_buf_puts(&b, p) != AW_OK)
		goto nomem;
	*out = aw_buf_steal(&b);
	return *out != NULL ? AW_OK :
	    aw_error_set(err, AW_ERR_NOMEM, "%s", _("out of memory"));
nomem:
	aw_buf_done(&b);
	return aw_error_set(err, AW_ERR_NOMEM, "%s",
	    _("out of memory or template too long"));
}
