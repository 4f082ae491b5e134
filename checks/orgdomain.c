/* orgdomain.c: organizational domains through libpsl. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <libpsl.h>

#include "checks/orgdomain.h"
#include "core/str.h"

/* The system's list (kept current by the publicsuffix package) when there
 * is one, else the list built into libpsl. Never freed: one per process. */
static const psl_ctx_t *
psl(void)
{
	static const psl_ctx_t *ctx;

	if (ctx == NULL)
		ctx = psl_latest(NULL);
	if (ctx == NULL)
		ctx = psl_builtin();
	return ctx;
}

char *
aw_org_domain(const char *name)
{
	char *norm = aw_domain_normalize(name), *out = NULL;
	const char *reg;

	if (norm == NULL || psl() == NULL) {
		free(norm);
		return NULL;
	}
	reg = psl_registrable_domain(psl(), norm);
	if (reg != NULL)
		out = strdup(reg);
	free(norm);
	return out;
}

int
aw_is_public_suffix(const char *name)
{
	char *norm = aw_domain_normalize(name);
	int r;

	if (norm == NULL || psl() == NULL) {
		free(norm);
		return 0;
	}
	r = psl_is_public_suffix(psl(), norm);
	free(norm);
	return r;
}
