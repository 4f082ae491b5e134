/* bench-check.c: how fast the check engine (checks/domain.h) runs many
 * domain checks at once over the in-memory DNS source (checks/dns-memory.h).
 *
 * Each of N domains publishes an SPF record with includes (three of them
 * shared by every domain, one of its own, 7 DNS lookups in all), a
 * 2048-bit DKIM key, a DMARC record and two MX hosts; the SPF, DKIM (one
 * selector), DMARC and MX areas are checked. At most C checks are in flight
 * at a time (a new one starts when one finishes). It prints domains per
 * second, DNS queries per second, CPU time and the peak RSS (getrusage).
 * A measurement, not a test: `make bench` runs it; it fails only when a
 * check does not give the expected result.
 *
 *   build/bench/bench-check [-n DOMAINS] [-c CONCURRENT] */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "checks/dns-memory.h"
#include "checks/domain.h"
#include "core/loop.h"

/* A 2048-bit RSA public key (the one tests/zones/example.test.zone uses). */
static const char dkim_key[] =
    "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAnlJuOf64uOr"
    "Lkj7yPeY1uKSmcH/tOOxAiYX1c36tJ0zx3+Cvr0sca3MZehb3MsyRmhg/5dwL4/u2xcxVtdm"
    "OPT6Jf7x7zdOyo27a3FbmSzBq4QbHhFH3oK0JMKJW0N3ZSIN64rDzdyFxr23dSSiEEntr/sL"
    "pJYHXwV0daPtWlFuV49I4SVKj/oJgRjVsd+qNraJuG/HTN7JProQHnDZyzbjXo2FFMsYbQji/"
    "kKiPAYj6k1DrFZb3xVinEQEpgqNi9zZAznJDYHiwh0GW3d5O5Cenf2O/5BytZHoJbtTf36J3"
    "zAsgFwd2c1vwiipqLhkW7aVm0Yz0/E0taUwblEnsTQIDAQAB";

struct bench {
	struct aw_loop *loop;
	struct aw_dns_source src;
	struct aw_domain_check_opts opts;
	char **names;
	size_t n, next, running, finished, bad;
	size_t concurrent;
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
zone_fill(struct aw_dns_memory *m, char **names, size_t n)
{
	char name[128], text[512];
	size_t i;

	/* Shared by every domain: an ESP with one nested include, a CRM. */
	aw_dns_memory_add_txt1(m, "_spf.esp.bench",
	    "v=spf1 include:_spf2.esp.bench ip4:198.51.100.0/24 ~all");
	aw_dns_memory_add_txt1(m, "_spf2.esp.bench",
	    "v=spf1 ip4:203.0.113.0/24 ip6:2001:db8:e5::/48 ~all");
	aw_dns_memory_add_txt1(m, "spf.crm.bench",
	    "v=spf1 ip4:192.0.2.128/25 -all");
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof name, "d%05zu.bench", i);
		names[i] = strdup(name);
		if (names[i] == NULL) {
			fprintf(stderr, "bench-check: out of memory\n");
			exit(1);
		}
		snprintf(text, sizeof text,
		    "v=spf1 mx a:out.%s include:_spf.esp.bench "
		    "include:spf.crm.bench include:_spf.%s -all", name, name);
		aw_dns_memory_add_txt1(m, name, text);
		snprintf(text, sizeof text, "_spf.%s", name);
		aw_dns_memory_add_txt1(m, text, "v=spf1 ip4:192.0.2.1 -all");
		snprintf(text, sizeof text, "out.%s", name);
		aw_dns_memory_add_addr(m, text, "192.0.2.10");
		snprintf(text, sizeof text, "mx1.%s", name);
		aw_dns_memory_add_mx(m, name, 10, text);
		aw_dns_memory_add_addr(m, text, "192.0.2.25");
		aw_dns_memory_add_addr(m, text, "2001:db8::25");
		snprintf(text, sizeof text, "mx2.%s", name);
		aw_dns_memory_add_mx(m, name, 20, text);
		aw_dns_memory_add_addr(m, text, "192.0.2.26");
		snprintf(text, sizeof text, "s1._domainkey.%s", name);
		aw_dns_memory_add_txt1(m, text, dkim_key);
		snprintf(text, sizeof text, "_dmarc.%s", name);
		{
			char rec[256];

			snprintf(rec, sizeof rec,
			    "v=DMARC1; p=reject; rua=mailto:dmarc@%s", name);
			aw_dns_memory_add_txt1(m, text, rec);
		}
	}
}

static void start_next(struct bench *b);

static void
free_later(void *dc)
{
	aw_domain_check_free(dc);
}

static void
one_done(struct aw_domain_check *dc, struct aw_section *sec, void *arg)
{
	struct bench *b = arg;
	size_t i;

	if (sec != NULL)
		return;
	/* Every area must have found what the zone holds. */
	for (i = 0; i < aw_domain_check_count(dc); i++) {
		struct aw_section *s = aw_domain_check_section(dc, i);

		if (s->f.status != AW_CHECK_OK) {
			if (b->bad++ == 0)
				fprintf(stderr,
				    "bench-check: %s: %s is %s, not ok\n",
				    aw_domain_check_domain(dc), s->area,
				    aw_check_status_name(s->f.status));
		}
	}
	b->running--;
	b->finished++;
	/* Freed later: the check is still inside its own callback. */
	aw_loop_timer_add(b->loop, 0, free_later, dc);
	start_next(b);
}

static void
start_next(struct bench *b)
{
	while (b->running < b->concurrent && b->next < b->n) {
		struct aw_domain_check *dc;

		b->running++;
		if (aw_domain_check_start(&b->src, b->names[b->next++],
		    &b->opts, one_done, b, &dc, NULL) != AW_OK || dc == NULL) {
			fprintf(stderr, "bench-check: could not start a check\n");
			exit(1);
		}
		if (aw_domain_check_finished(dc)) {   /* nothing asked */
			b->running--;
			b->finished++;
			aw_domain_check_free(dc);
		}
	}
}

static double
tv_s(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

int
main(int argc, char **argv)
{
	static const char *const selectors[] = { "s1" };
	static const char *const areas[] = { "spf", "dkim", "dmarc", "mx" };
	struct aw_dns_memory *m;
	struct rusage ru0, ru;
	struct bench b;
	double t0, t_fill, t;
	size_t i;
	int c;

	memset(&b, 0, sizeof b);
	b.n = 1000;
	b.concurrent = 0;
	while ((c = getopt(argc, argv, "n:c:h")) != -1) {
		switch (c) {
		case 'n':
			b.n = strtoul(optarg, NULL, 10);
			break;
		case 'c':
			b.concurrent = strtoul(optarg, NULL, 10);
			break;
		default:
			fprintf(stderr,
			    "usage: bench-check [-n DOMAINS] [-c CONCURRENT]\n");
			return c == 'h' ? 0 : 2;
		}
	}
	if (b.n == 0)
		b.n = 1;
	if (b.concurrent == 0 || b.concurrent > b.n)
		b.concurrent = b.n;
	b.loop = aw_loop_new();
	m = b.loop ? aw_dns_memory_new(b.loop) : NULL;
	b.names = calloc(b.n, sizeof *b.names);
	if (m == NULL || b.names == NULL) {
		fprintf(stderr, "bench-check: out of memory\n");
		return 1;
	}
	t0 = now_s();
	zone_fill(m, b.names, b.n);
	t_fill = now_s() - t0;
	b.src = aw_dns_memory_source(m);
	b.opts.selectors = selectors;
	b.opts.nselectors = 1;
	b.opts.areas = areas;
	b.opts.nareas = sizeof areas / sizeof areas[0];

	getrusage(RUSAGE_SELF, &ru0);
	t0 = now_s();
	start_next(&b);
	while (b.finished < b.n)
		if (!aw_loop_run_once(b.loop, 1000))
			break;
	while (aw_loop_run_once(b.loop, 0))   /* the deferred frees */
		;
	t = now_s() - t0;
	getrusage(RUSAGE_SELF, &ru);

	printf("domains checked     %zu (areas spf, dkim, dmarc, mx; %zu at a time)\n",
	    b.finished, b.concurrent);
	printf("zone                %zu names filled in %.3f s\n", b.n, t_fill);
	printf("wall time           %.3f s\n", t);
	printf("domains/second      %.0f\n", t > 0 ? (double)b.finished / t : 0);
	printf("DNS queries         %lu (%.0f/s)\n", aw_dns_memory_queries(m),
	    t > 0 ? (double)aw_dns_memory_queries(m) / t : 0);
	printf("CPU user+sys        %.3f s\n",
	    tv_s(ru.ru_utime) - tv_s(ru0.ru_utime) +
	    tv_s(ru.ru_stime) - tv_s(ru0.ru_stime));
	printf("peak RSS            %.1f MiB\n", (double)ru.ru_maxrss / 1024.0);
	printf("checks not ok       %zu\n", b.bad);

	aw_dns_memory_free(m);
	aw_loop_free(b.loop);
	for (i = 0; i < b.n; i++)
		free(b.names[i]);
	free(b.names);
	return b.bad == 0 && b.finished == b.n ? 0 : 1;
}
