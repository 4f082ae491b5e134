/* model.h: the wizard's state and transitions, with no curses and no I/O.
 * Events go in (keys turned into actions, DNS sections finished, plan and
 * apply results); a bitmask of effects comes out (what to redraw, what the
 * main loop must start). The views read the struct to draw it; the unit
 * tests drive it with event scripts and no terminal. */
#ifndef AW_TUI_MODEL_H
#define AW_TUI_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "checks/dns.h"
#include "checks/dnshost.h"
#include "checks/domain.h"
#include "checks/findings.h"
#include "checks/preflight.h"
#include "core/strv.h"
#include "providers/plan.h"

enum aw_tui_screen {
	AW_SCR_DOMAIN = 0,  /* asks for the domain */
	AW_SCR_OVERVIEW,    /* one row per area, filled as checks finish */
	AW_SCR_SPF,
	AW_SCR_DKIM,
	AW_SCR_DMARC,
	AW_SCR_PTR,
	AW_SCR_MTASTS,      /* MTA-STS policy and TLS-RPT (model-mtasts.c) */
	AW_SCR_BIMI,        /* the logo, when DMARC is at enforcement */
	AW_SCR_REVIEW,      /* the whole diff */
	AW_SCR_TARGET,      /* where to apply, credentials */
	AW_SCR_APPLY,       /* progress and per-record results */
	AW_SCR_RECHECK,     /* the propagation watch */
	AW_SCR_COUNT
};

/* The overview's rows. */
enum aw_tui_row {
	AW_ROW_SPF = 0,
	AW_ROW_DKIM,
	AW_ROW_DMARC,
	AW_ROW_PTR,         /* PTR and HELO */
	AW_ROW_MX,
	AW_ROW_VERIFY,      /* vendor verification TXT records */
	AW_ROW_COUNT
};

/* The mailbox providers' sender rules (Gmail, Yahoo, Outlook.com;
 * checks/requirements.h) over the finished check, combined: a rule counts
 * once, failing when any provider's verdict on it fails; rules no
 * provider could judge from DNS ("not-checked") are left out. */
#define AW_TUI_REQ_MAX 12
struct aw_tui_req_summary {
	unsigned pass, total;            /* rules judged, and of them passed */
	size_t nfailing;
	const char *failing[AW_TUI_REQ_MAX]; /* rule ids ("dmarc"), static */
};
/* Sums up the judged rules r (a struct aw_requirements) into out. */
struct aw_requirements;
void aw_tui_req_summarize(const struct aw_requirements *r,
    struct aw_tui_req_summary *out);

enum aw_tui_event_type {
	/* Actions (the view maps keys to these). */
	AW_EV_NEXT = 1,     /* Enter: go on / commit the field */
	AW_EV_BACK,         /* Esc: leave the field, or the previous screen */
	AW_EV_UP,
	AW_EV_DOWN,
	AW_EV_LEFT,
	AW_EV_RIGHT,
	AW_EV_TAB,          /* next field */
	AW_EV_BACKTAB,
	AW_EV_TOGGLE,       /* Space on a list */
	AW_EV_CHAR,         /* a printable character: ev.ch */
	AW_EV_ERASE,        /* Backspace */
	AW_EV_DELETE,       /* Delete: remove the entry under the cursor */
	AW_EV_HELP,         /* ? or F1 */
	AW_EV_SWAP,         /* F2: the SPF step's suggested lighter include */
	AW_EV_QUIT,         /* q, Ctrl-C */
	AW_EV_CONFIRM,      /* y on a confirmation question */
	AW_EV_RESIZE,
	AW_EV_TICK,         /* a timer: spinners */
	/* Results from the main loop. */
	AW_EV_SECTION,      /* ev.sec finished (a copy is kept) */
	AW_EV_CHECK_DONE,   /* every section of the check finished */
	AW_EV_TXT_ANSWER,   /* ev.ans: the TXT records at the domain */
	AW_EV_SPF_EVAL,     /* ev.count: lookups of the draft record (deep) */
	AW_EV_DKIM_KEY,     /* ev.text: "v=DKIM1; k=rsa; p=..." generated */
	AW_EV_PTR_SECTION,  /* ev.sec: a PTR/HELO section of the PTR step;
	                     * NULL: that check finished */
	AW_EV_PLAN_READY,   /* the host's plan: ev.ok with ev.plan (the
	                     * model takes its contents and leaves it
	                     * initialised and empty), which replaces the plan
	                     * worked out from DNS; !ok: no plan (ev.text says
	                     * why when it failed) */
	AW_EV_PREFLIGHT,    /* the preflight of the host's plan
	                     * (checks/preflight.h) finished: ev.ok with
	                     * ev.preflight (copied), or !ok: it could not
	                     * run, ev.text says why */
	AW_EV_APPLY_RECORD, /* ev.index: ev.count 1 started, 2 skipped (not
	                     * for this host), else done: ev.ok, ev.text */
	AW_EV_APPLY_DONE,   /* ev.ok: every change applied */
	AW_EV_RECHECK,      /* ev.index, ev.ok: published as intended (on
	                     * ev.matched of ev.servers); ev.count 1: the
	                     * recheck ended (index may be past the end) */
	AW_EV_HOST_STATE,   /* the DNS host's own state of an applied change
	                     * (Route 53 GetChange): ev.text its label
	                     * ("Route 53 change C123"), ev.state its word
	                     * ("PENDING", "INSYNC"; NULL: being asked),
	                     * ev.ok: the host says every one of its servers
	                     * has it */
	AW_EV_DNS_HOST,     /* the DNS host found from the zone's NS set:
	                     * ev.host (from checks/dnshost.h's table, which
	                     * outlives the model; NULL: not recognised),
	                     * ev.text the zone, ev.count an enum
	                     * aw_dnshost_match */
	AW_EV_REQUIREMENTS, /* ev.req: the mailbox providers' sender rules
	                     * judged once over the finished check
	                     * (checks/requirements.h), summed up */
	AW_EV_POLICY_WRITTEN, /* the MTA-STS policy file: ev.ok written;
	                     * else ev.count 1: it exists (not replaced),
	                     * or ev.text why not */
	AW_EV_POLICY_FETCHED, /* ev.sec: the recheck's mta_sts section
	                     * (the policy fetched and parsed) */
	AW_EV_BIMI_CHECKED, /* the BIMI area over the step's draft (ev.text,
	                     * the record checked): ev.sec, or NULL when
	                     * the check could not run */
	AW_EV_ERROR,        /* ev.text: a failure to show (start, provider) */
	AW_EV_NOTE          /* ev.text: something to say (where a key went) */
};

struct aw_tui_event {
	enum aw_tui_event_type type;
	uint32_t ch;                      /* AW_EV_CHAR: Unicode code point */
	const struct aw_section *sec;     /* AW_EV_SECTION, AW_EV_PTR_SECTION */
	const struct aw_dns_answer *ans;  /* AW_EV_TXT_ANSWER */
	size_t index;
	bool ok;
	int count;
	const char *text;                 /* untrusted: escaped when drawn */
	unsigned matched, servers;        /* AW_EV_RECHECK: per-server tally */
	bool old;                         /* AW_EV_RECHECK: old value seen */
	unsigned round;                   /* AW_EV_RECHECK: the watch's round */
	const char *state;                /* AW_EV_HOST_STATE, untrusted */
	struct aw_plan *plan;             /* AW_EV_PLAN_READY: taken */
	const struct aw_preflight_result *preflight; /* AW_EV_PREFLIGHT */
	const struct aw_dnshost *host;    /* AW_EV_DNS_HOST */
	const struct aw_tui_req_summary *req; /* AW_EV_REQUIREMENTS */
};

/* Effects: a bitmask. */
#define AW_FX_NONE        0u
#define AW_FX_REDRAW      0x001u  /* redraw the screen */
#define AW_FX_STATUS      0x002u  /* only the status line changed */
#define AW_FX_START_CHECK 0x004u  /* run the domain check for m->domain */
#define AW_FX_PTR_CHECK   0x008u  /* check m->ips / m->helo (PTR step) */
#define AW_FX_SPF_EVAL    0x010u  /* evaluate m->spf_draft deeply (async) */
#define AW_FX_DKIM_KEYGEN 0x020u  /* generate a DKIM key for m->dkim_selector */
#define AW_FX_BUILD_PLAN  0x040u  /* m->wants are ready: make a plan */
#define AW_FX_APPLY       0x080u  /* apply m->plan at m->target */
#define AW_FX_RECHECK     0x100u  /* look up each change again */
#define AW_FX_QUIT        0x200u  /* leave (main prints m's apply report) */
#define AW_FX_PREFLIGHT   0x400u  /* preflight the host's plan made last */
#define AW_FX_WRITE_POLICY 0x800u /* write m->mtasts.policy to its path
                                   * (replace it: m->mtasts.overwrite) */
#define AW_FX_FETCH_POLICY 0x1000u /* check the mta_sts area again, the
                                   * policy fetched */
#define AW_FX_BIMI_CHECK  0x2000u /* check m->bimi_draft (the bimi area,
                                   * its files fetched) */

/* A sender from the catalog. Not owned by the model (static or the
 * catalog's); strings are A-labels/ASCII. */
struct aw_tui_dkim_cname {
	const char *name;    /* "s1._domainkey" (relative to the domain) */
	const char *target;  /* "s1.domainkey.u{account}.wl.sendgrid.net";
	                      * {account}, {domain}, {domain-dashed} */
};

struct aw_tui_sender {
	const char *id;                /* "sendgrid" */
	const char *name;              /* "SendGrid" (a brand, untranslated) */
	const char *spf;               /* "include:sendgrid.net" or NULL */
	int spf_lookups;               /* lookups the term costs in all */
	const char *account_label;     /* N_(): what {account} is, or NULL */
	size_t ndkim;
	const struct aw_tui_dkim_cname *dkim;
	size_t naccount;               /* values the account part holds
	                                * (placeholders), words apart */
	const char *spf_lighter;       /* "include:_spf5.leaddesk.com": a
	                                * lighter include of the same
	                                * sender, or NULL */
};

/* A text field. Bytes are UTF-8; secret fields are never drawn. */
#define AW_TUI_FIELD_MAX 256
struct aw_tui_field {
	char text[AW_TUI_FIELD_MAX];
	size_t len;
	bool secret;
};

enum aw_tui_apply_state {
	AW_TUI_PENDING = 0,
	AW_TUI_RUNNING,
	AW_TUI_DONE,
	AW_TUI_FAILED,
	AW_TUI_SKIPPED
};

/* What only the wizard tracks of the plan's change i (m->plan.changes[i],
 * same index): its apply and its recheck. The records are the plan's. */
struct aw_tui_change_state {
	enum aw_tui_apply_state state;
	char *message;             /* apply result, untrusted */
	int recheck;               /* -1 not yet, 0 not seen, 1 published */
	unsigned rc_matched;       /* servers that publish it as intended */
	unsigned rc_servers;       /* servers asked (0: the resolvers) */
	bool rc_old;               /* some server still has the old value */
};

/* A PTR that is not the DNS host's to change: the request to the IP's
 * owner (the review and the apply screen show it after the plan's
 * changes). */
struct aw_tui_request {
	char *name;                /* the reverse name, no trailing dot */
	char *ptr;                 /* the PTR name wanted, or NULL */
	char *text;                /* the request to send, raw */
	enum aw_tui_apply_state state;   /* SKIPPED once applying started */
};

/* The DNS host's state of a change it made (Route 53 GetChange), shown
 * on the recheck screen above the table. */
struct aw_tui_host_state {
	char *label;               /* "Route 53 change C123", raw */
	char *state;               /* "PENDING", "INSYNC", raw; NULL: asking */
	bool synced;               /* every one of the host's servers has it */
};

/* A sending IP of the PTR step and what its check found. */
struct aw_tui_ip {
	char *ip;
	bool checked;
	char *ptr;                 /* the PTR name found, raw, or NULL */
	bool confirmed;            /* forward-confirmed (FCrDNS) */
	bool dns_failure;
};

/* What an overview row shows. */
struct aw_tui_row_state {
	enum aw_check_status status;
	unsigned sections, finished;   /* progress */
	char *summary;                 /* one line, raw (escape to draw) */
	struct aw_strv details;        /* records, errors, warnings, raw */
};

/* Where to apply, a number: the DNS hosts of the provider table
 * (providers/registry.c), in its order (a host added there is offered
 * here with no other line), then "show the records" (to type in at any
 * host: the way the detected host's form wants them, and zone-file
 * lines). */
#define AW_TARGET_MAX 24           /* room for the table's hosts and show */
/* How many targets there are: the table's hosts (at most
 * AW_TARGET_MAX - 1) and show. */
int aw_tui_target_count(void);
#define AW_TARGET_COUNT (aw_tui_target_count())
#define AW_TARGET_SHOW (aw_tui_target_count() - 1)
/* The target of a --provider id ("show" too), or -1. */
int aw_tui_target_find(const char *id);

/* Credential fields a host may show: its ask options, in order. */
#define AW_TUI_CRED_MAX 6
struct aw_tui_target_info {
	const char *id;            /* "powerdns", for --provider */
	const char *name;          /* N_() */
	size_t ncred;
	struct {
		const char *label;     /* N_() */
		const char *env;       /* environment variable */
		bool secret;
	} cred[AW_TUI_CRED_MAX];
};
/* The targets' names and credential fields, from the provider table (each
 * host's title and its options that may be typed in), built on first use;
 * aw_tui_target_count() entries. */
const struct aw_tui_target_info *aw_tui_target_table(void);
#define aw_tui_targets (aw_tui_target_table())

/* The MTA-STS step (model-mtasts.c): what the check found at _mta-sts
 * and _smtp._tls, the policy built from the choices, and the recheck's
 * fetch of it. Strings raw (escape to draw). */
enum aw_tui_sts_choice { AW_TUI_STS_KEEP = 0, AW_TUI_STS_TESTING,
	AW_TUI_STS_ENFORCE };
struct aw_tui_mtasts {
	bool seen, tls_seen;            /* the sections came */
	bool unread, tls_unread;        /* their lookups failed */
	struct aw_strv cur;             /* v=STSv1 records at _mta-sts */
	char *cur_id;                   /* the id of the one record, or NULL */
	bool cur_fetched;               /* its policy was fetched */
	int cur_mode;                   /* enum aw_mta_sts_mode fetched */
	bool enforce_ready;             /* aw_mta_sts_enforce_ready */
	struct aw_strv mx_hosts;        /* the domain's MX hosts */
	struct aw_strv uncovered;       /* MX hosts the published policy
	                                 * misses */
	struct aw_strv cur_tls;         /* v=TLSRPTv1 records at _smtp._tls */
	enum aw_tui_sts_choice choice;
	struct aw_tui_field path;       /* FIELD1: where to write the policy */
	struct aw_tui_field rua;        /* FIELD2: TLS-RPT reports to */
	bool prefilled;
	char *policy;                   /* the policy file built, or NULL */
	char *policy_url;               /* where it must be served */
	char *id;                       /* its fresh id ... */
	char *id_for;                   /* ... made for this policy text */
	char *record, *tls_record;      /* the TXT records the plan adds */
	char *build_error;              /* the builders' message, or NULL */
	char *written;                  /* the policy text written, or NULL */
	char *written_path;             /* where */
	bool overwrite_asked;           /* the file exists: replace it? */
	bool overwrite;                 /* the next write may replace it */
	long long (*now)(void);         /* the UTC clock for ids (tests set
	                                 * it; default time()) */
	/* The recheck's fetch (AW_EV_POLICY_FETCHED). */
	bool fetching;
	int served;                     /* -1 not asked, 0 not served, 1 */
	bool served_same;               /* it says what was written */
	char *served_why;               /* a finding of the fetch, or NULL */
};

enum aw_tui_dmarc_policy { AW_TUI_DMARC_NONE = 0, AW_TUI_DMARC_QUARANTINE,
	AW_TUI_DMARC_REJECT };

/* Focus within a step: a list or one of its fields. */
enum aw_tui_focus {
	AW_FOCUS_LIST = 0,
	AW_FOCUS_FIELD1,
	AW_FOCUS_FIELD2,
	AW_FOCUS_FIELD3,
	AW_FOCUS_FIELD4,           /* the target screen's further */
	AW_FOCUS_FIELD5,           /* credential fields */
	AW_FOCUS_FIELD6
};

struct aw_tui_model {
	enum aw_tui_screen screen;
	bool help;                 /* the help window is open */
	bool confirming;           /* "apply N changes?" asked */
	bool confirm_forced;       /* the review's checks found an error:
	                            * asked again, "!" applies */
	bool quit_asked;           /* quit while applying: asked once */
	enum aw_tui_focus focus;
	char *error;               /* a message line, raw; NULL */
	char *note;                /* an informational line, raw; NULL */

	/* Domain. */
	struct aw_tui_field domain_field;
	char *domain;              /* A-labels */
	char *domain_unicode;      /* for display */

	/* Overview. */
	struct aw_tui_row_state rows[AW_ROW_COUNT];
	size_t row_cursor;
	bool check_running, check_done, dns_down;
	unsigned tick;
	struct aw_strv cur_spf;         /* published SPF records */
	struct aw_strv cur_dmarc;       /* published DMARC records */
	char *cur_dmarc_name;           /* where DMARC was found */
	struct aw_strv cur_verify;      /* vendor verification TXT */
	struct aw_strv cur_txt;         /* every TXT record at the domain */
	struct aw_strv dkim_selectors;  /* selectors to look at (check) */
	struct aw_strv dkim_found;      /* selectors with a key */
	struct aw_strv dkim_broken;     /* names: CNAMEs to nowhere */
	struct aw_strv dkim_unread;     /* names whose lookup failed
	                                 * (timeout, SERVFAIL) ... */
	struct aw_strv dkim_unread_why; /* ... and what DNS said, raw */
	bool req_known;                 /* AW_EV_REQUIREMENTS came */
	struct aw_tui_req_summary req;  /* its summary */
	char *req_line;                 /* the overview's line for it,
	                                 * translated (ids raw) */

	/* SPF step. */
	const struct aw_tui_sender *senders;
	size_t nsenders;
	bool *picked;                   /* per sender */
	struct aw_tui_field spf_filter; /* FIELD1 */
	struct aw_tui_field spf_own;    /* FIELD2: ip4:/ip6:/a:/mx:/include: */
	size_t spf_cursor;              /* index into the filtered list */
	struct aw_strv spf_terms;       /* own terms and ones kept */
	char *spf_all;                  /* "~all", "-all" */
	char *spf_draft;                /* the record the choices make */
	int spf_lookups;                /* local count */
	int spf_lookups_deep;           /* from AW_EV_SPF_EVAL, -1 none */
	bool *spf_light;                /* per sender: its lighter include
	                                 * is used */
	int spf_hint;                   /* over the limit: the sender whose
	                                 * lighter include F2 swaps in; -1 */
	bool spf_no_senders;
	char *spf_unread;               /* the TXT lookup at the domain
	                                 * failed: what DNS said; NULL */
	char *dmarc_unread;             /* the same at _dmarc.<domain> */
	struct aw_strv spf_warnings;    /* translated */
	size_t spf_dropped;             /* published terms left out */

	/* DKIM step. */
	size_t dkim_cursor;             /* 0..visible, the last: keygen */
	struct aw_tui_field dkim_filter;   /* type to filter the services */
	int dkim_sender;                /* index into senders, -1 none */
	bool dkim_keygen;               /* generate a key instead */
	struct aw_tui_field dkim_account;  /* FIELD1 */
	struct aw_tui_field dkim_selector; /* FIELD2 for keygen */
	char *dkim_key;                 /* generated public key record */
	char *dkim_key_for;             /* the selector it was made for: a
	                                 * key is named by its selector (the
	                                 * private half's file too) */

	/* DMARC step. */
	enum aw_tui_dmarc_policy dmarc_policy;
	struct aw_tui_field dmarc_rua;  /* FIELD1 */
	struct aw_tui_field dmarc_ruf;  /* FIELD2 */
	char *dmarc_draft;
	char *dmarc_field_error[2];     /* rua, ruf: the builder's message on
	                                 * an address it refuses, or NULL */
	struct aw_strv dmarc_warnings;
	struct aw_strv dmarc_staged;    /* the staged path, a line a step */

	/* PTR/HELO step. */
	struct aw_tui_field ptr_ip;     /* FIELD1: typed, Enter adds */
	struct aw_tui_field helo;       /* FIELD2 */
	struct aw_tui_ip *ips;
	size_t nips;
	size_t ip_cursor;
	struct aw_strv helo_addrs;      /* what the HELO name resolves to */
	char *helo_checked;             /* the HELO name last checked */
	bool ptr_running;
	bool dkim_prefilled, prefilled;

	struct aw_tui_mtasts mtasts;    /* MTA-STS step */

	/* BIMI step (model-bimi.c): offered when the bimi area of the
	 * overview's check says DMARC is at enforcement. */
	bool bimi_known;                /* the overview's bimi section came */
	bool bimi_enforced;             /* its dmarc_enforced */
	char *bimi_why;                 /* why it is not offered, translated */
	struct aw_strv cur_bimi;        /* published at default._bimi */
	struct aw_tui_field bimi_logo;  /* FIELD1: l= */
	struct aw_tui_field bimi_cert;  /* FIELD2: a= */
	struct aw_tui_field bimi_selector; /* FIELD3: "default" */
	bool bimi_prefilled;
	char *bimi_draft;               /* the record the fields make */
	char *bimi_field_error;         /* the builder's message, or NULL */
	bool bimi_checking;             /* AW_FX_BIMI_CHECK in flight */
	char *bimi_checked;             /* the draft the findings are of */
	struct aw_findings bimi_findings;  /* what the check said */
	bool bimi_forced;               /* added despite errors ("!") */
	char *bimi_accepted;            /* the draft going into the plan */

	/* DNSSEC per area (model-dnssec.c), from the overview's separate
	 * dnssec run; none without a validator (--no-dnssec). */
	char *dnssec_line;              /* translated, names raw */
	bool dnssec_bogus;              /* some answer was bogus */

	/* Review and apply: the choices as the CLI's wants, the plan made
	 * of them (worked out from what DNS said, then the host's), and
	 * what the wizard tracks of each of the plan's changes. */
	struct aw_wants wants;
	struct aw_plan plan;
	struct aw_tui_change_state *cstate;  /* plan.nchanges entries */
	struct aw_tui_request *requests;
	size_t nrequests;
	size_t scroll;                  /* first line shown (review, apply) */
	int target;                     /* 0 .. aw_tui_target_count() - 1 */
	bool target_locked;             /* --provider given */
	bool target_moved;              /* the user chose one: the detected
	                                 * host no longer moves it */
	/* The DNS host found from the zone's NS (AW_EV_DNS_HOST): it is
	 * preselected, and "show the records" shows them the way its
	 * form wants them. */
	const struct aw_dnshost *dns_host;  /* NULL: not recognised */
	char *dns_host_zone;            /* the zone of that NS set */
	bool dns_host_mixed;            /* NS of several hosts */
	struct aw_tui_field cred[AW_TARGET_MAX][AW_TUI_CRED_MAX];
	bool cred_from_env[AW_TARGET_MAX][AW_TUI_CRED_MAX];
	/* The host finds its credentials elsewhere when the fields are
	 * left empty (Route 53: AWS_PROFILE or ~/.aws/credentials, as the
	 * AWS CLI does); set by the caller, which may look at files. */
	bool cred_elsewhere[AW_TARGET_MAX];
	bool plan_ready;
	bool planning;                  /* asking the host what it holds */
	int plan_target;                /* the target m->plan was planned
	                                 * at; -1: worked out from DNS */
	char *plan_text;                /* warnings/refusals of the plan, raw */
	struct aw_findings review_checks; /* what the review's checks say,
	                                 * coded (aw_findings_find): the
	                                 * field errors and the preflight's */
	enum aw_tui_preflight_state {
		AW_TUI_PF_NONE = 0,     /* no host's plan to check */
		AW_TUI_PF_RUNNING,
		AW_TUI_PF_DONE,
		AW_TUI_PF_FAILED        /* it could not run: preflight_why */
	} preflight_state;
	struct aw_preflight_result preflight; /* its findings (a copy) */
	char *preflight_why;
	bool preflight_waited;          /* Enter came while it ran: the
	                                 * message goes when it is done */
	bool applying, applied;
	size_t napplied, nfailed;
	bool rechecking;
	unsigned recheck_rounds;
	struct aw_tui_host_state *hosts; /* AW_EV_HOST_STATE, by label */
	size_t nhosts;
};

/* A model over the catalog senders[0..n) (not owned, must outlive it).
 * NULL on no memory. Free with aw_tui_model_free (NULL: no-op). */
struct aw_tui_model *aw_tui_model_new(const struct aw_tui_sender *senders,
    size_t n);
void aw_tui_model_free(struct aw_tui_model *m);

/* Sets the domain (Unicode or A-labels) and moves to the overview; the
 * effects then include AW_FX_START_CHECK. Sets m->error and stays on the
 * domain screen when it is not a domain. */
unsigned aw_tui_model_set_domain(struct aw_tui_model *m, const char *domain);
/* Presets the provider (--provider); false when the id is unknown. */
bool aw_tui_model_set_target(struct aw_tui_model *m, const char *id);
/* A credential from the environment (value copied, never shown). */
void aw_tui_model_set_cred(struct aw_tui_model *m, int t,
    size_t i, const char *value);
/* A credential's value ("" when none). */
const char *aw_tui_model_cred(const struct aw_tui_model *m,
    int t, size_t i);

/* The one entry point: returns AW_FX_* bits. */
unsigned aw_tui_model_event(struct aw_tui_model *m,
    const struct aw_tui_event *ev);
/* Shorthands for scripts. */
unsigned aw_tui_model_key(struct aw_tui_model *m, enum aw_tui_event_type t);
unsigned aw_tui_model_type(struct aw_tui_model *m, const char *utf8);

/* The review's checks of the changes (coded findings): what only the
 * wizard knows ("dmarc.report-address-invalid", "spf.unknown",
 * "dmarc.unknown") and the preflight engine's findings over the host's
 * plan (checks/preflight.h: "spf.lookup-limit", "spf.weaken-all", ...,
 * and "preflight.failed" when it could not run). An error there asks for
 * a second confirmation before applying. */
const struct aw_findings *aw_tui_model_review_findings(
    const struct aw_tui_model *m);

/* The SPF lookup count shown: the lookup tree's (AW_EV_SPF_EVAL, the
 * count `check` makes), else the estimate. */
int aw_tui_model_spf_count(const struct aw_tui_model *m);

/* The SPF step's draft as the one TXT change a plan makes at the domain
 * (checks/preflight.h): before, every TXT record there; after, the same
 * with the SPF records replaced by the draft. The records are initialised
 * here (aw_record_done them, also on an error). */
enum aw_status aw_tui_model_spf_change(const struct aw_tui_model *m,
    struct aw_record *before, struct aw_record *after);

/* The senders shown in the SPF list under the filter: fills idx (up to
 * max) with indexes into m->senders; returns how many match. */
size_t aw_tui_model_spf_visible(const struct aw_tui_model *m, size_t *idx,
    size_t max);
/* The senders with DKIM CNAMEs, the same way. */
size_t aw_tui_model_dkim_visible(const struct aw_tui_model *m, size_t *idx,
    size_t max);
/* The DKIM records the choice makes, "name CNAME target" lines; the
 * caller frees with aw_strv_done. */
void aw_tui_model_dkim_records(const struct aw_tui_model *m,
    struct aw_strv *out);
/* The DKIM records the choice would make at names whose current records
 * could not be read (unknown is not absent): they are left out of
 * aw_tui_model_dkim_records; one translated sentence each into out
 * (initialised here; aw_strv_done). */
void aw_tui_model_dkim_unread(const struct aw_tui_model *m,
    struct aw_strv *out);
/* The check started: the overview rows expect per_row[AW_ROW_COUNT]
 * sections each (progress). */
void aw_tui_model_check_started(struct aw_tui_model *m, const unsigned *per_row);
/* The request to send to the owner of IP i when its PTR is missing or not
 * forward-confirmed; NULL when none is needed. The caller frees. */
char *aw_tui_model_ptr_request(const struct aw_tui_model *m, size_t i);
/* Rebuild m->wants, m->plan (worked out from what DNS said: see
 * aw_tui_plan_offline) and m->requests from the choices (done on
 * entering review). */
void aw_tui_model_build_changes(struct aw_tui_model *m);
/* The values of a plan change as the review draws them: gone (in old,
 * not in new), kept (in both), came (in new, not in old). Each vector is
 * initialised here (aw_strv_done them). */
void aw_tui_change_split(const struct aw_change *c, struct aw_strv *gone,
    struct aw_strv *kept, struct aw_strv *came);
/* The one value a change publishes, as the recheck looks for it: the
 * first that came, else the first that stays; NULL for a delete.
 * Borrowed from c. */
const char *aw_tui_change_value(const struct aw_change *c);
/* A zone-file line for value, one of the change's new records ("name.
 * 3600 IN TXT \"..\""), or for a delete "; delete: name. TYPE" (value
 * ignored). The caller frees. */
char *aw_tui_change_zone_line(const struct aw_change *c, const char *value);
/* The detected host's form lines for a change: "NAME  TYPE  VALUE" as
 * that host's web form wants them (checks/dnshost.h), one per new record,
 * appended to out; nothing when no host was recognised or the change is
 * a delete. */
void aw_tui_change_form_lines(const struct aw_tui_model *m,
    const struct aw_change *c, struct aw_strv *out);
/* After quitting: what was and was not applied, for stderr. NULL when
 * nothing was started. The caller frees. */
char *aw_tui_model_apply_report(const struct aw_tui_model *m);
/* True when the recheck found every change published (requests left
 * out) and every host state synced: "Every change is published". */
bool aw_tui_model_all_published(const struct aw_tui_model *m);
/* True while changes are being applied. */
bool aw_tui_model_busy(const struct aw_tui_model *m);

/* Screen names and help (translated). */
const char *aw_tui_screen_title(enum aw_tui_screen s);
const char *aw_tui_screen_keys(const struct aw_tui_model *m);
const char *aw_tui_screen_help(enum aw_tui_screen s);
const char *aw_tui_row_title(enum aw_tui_row r);

/* The BIMI step offers the record: DMARC is at enforcement (the bimi
 * area's prerequisite, over the overview's check). */
bool aw_tui_model_bimi_offered(const struct aw_tui_model *m);

/* The generated DKIM key belongs to the selector now typed. */
bool aw_tui_model_dkim_key_current(const struct aw_tui_model *m);

#endif
