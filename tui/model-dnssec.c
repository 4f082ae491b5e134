/* model-dnssec.c: the overview's DNSSEC line: the state the dnssec area
 * (checks/check-dnssec.c) found for the zone and, per area, for the names
 * the other checks read (DKIM keys, MX and the MX hosts, _mta-sts, TLSA),
 * the worst of each area's names. It comes from a run of its own, so the
 * overview never waits on validation. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/dnssec.h"
#include "checks/domain.h"
#include "core/buf.h"
#include "core/i18n.h"
#include "tui/model-int.h"

/* bogus worst, then indeterminate, insecure, secure */
static int
rank(enum aw_dnssec_state s)
{
	switch (s) {
	case AW_DNSSEC_BOGUS: return 3;
	case AW_DNSSEC_INDETERMINATE: return 2;
	case AW_DNSSEC_INSECURE: return 1;
	default: return 0;
	}
}

static const char *
word(enum aw_dnssec_state s)
{
	switch (s) {
	case AW_DNSSEC_SECURE: return _("secure");
	case AW_DNSSEC_INSECURE: return _("insecure");
	case AW_DNSSEC_BOGUS: return _("bogus");
	default: return _("indeterminate");
	}
}

void
tm_dnssec_on_section(struct aw_tui_model *m, const struct aw_section *sec)
{
	static const struct { const char *role, *title; } areas[] = {
		{ "mx", "MX" }, { "mx-host", N_("MX hosts") }, { "dkim", "DKIM" },
		{ "mta-sts", "_mta-sts" }, { "tlsa", "TLSA" },
	};
	const struct aw_dnssec_detail *d = sec->detail;
	struct aw_buf b;
	size_t i, k;

	m->dnssec_bogus = false;
	aw_buf_init(&b);
	if (d == NULL) {
		aw_buf_printf(&b, "%s", word(AW_DNSSEC_INDETERMINATE));
	} else {
		aw_buf_printf(&b, _("zone %s"), word(d->state));
		if (d->reason != NULL && d->state != AW_DNSSEC_SECURE)
			aw_buf_printf(&b, " (%.40s)", d->reason);
		if (d->state == AW_DNSSEC_BOGUS)
			m->dnssec_bogus = true;
		for (k = 0; k < sizeof areas / sizeof areas[0]; k++) {
			int worst = -1;
			enum aw_dnssec_state st = AW_DNSSEC_SECURE;

			for (i = 0; i < d->n; i++) {
				if (strcmp(d->names[i].role, areas[k].role) != 0 ||
				    rank(d->names[i].state) <= worst)
					continue;
				worst = rank(d->names[i].state);
				st = d->names[i].state;
			}
			if (worst < 0)
				continue;
			if (st == AW_DNSSEC_BOGUS)
				m->dnssec_bogus = true;
			aw_buf_printf(&b, ", %s %s", _(areas[k].title), word(st));
		}
	}
	tm_set_str(&m->dnssec_line, aw_buf_str(&b));
	aw_buf_done(&b);
}
