/* text.c: the wizard's words: screen titles, the status line of keys, and
 * each screen's help. No curses: the model and the tests use them too. */
#include "config.h"

#include "core/i18n.h"
#include "tui/model.h"

const char *
aw_tui_screen_title(enum aw_tui_screen s)
{
	switch (s) {
	case AW_SCR_DOMAIN: return _("Domain");
	case AW_SCR_OVERVIEW: return _("Overview");
	case AW_SCR_SPF: return _("SPF: who may send");
	case AW_SCR_DKIM: return _("DKIM: signing keys");
	case AW_SCR_DMARC: return _("DMARC: policy and reports");
	case AW_SCR_PTR: return _("PTR/HELO: reverse DNS of sending IPs");
	case AW_SCR_MTASTS: return _("MTA-STS: TLS for mail to you");
	case AW_SCR_BIMI: return _("BIMI: the brand logo");
	case AW_SCR_REVIEW: return _("Review: every change");
	case AW_SCR_TARGET: return _("Where to apply");
	case AW_SCR_APPLY: return _("Apply");
	case AW_SCR_RECHECK: return _("Recheck: is it published?");
	case AW_SCR_COUNT: break;
	}
	return "";
}

const char *
aw_tui_row_title(enum aw_tui_row r)
{
	switch (r) {
	case AW_ROW_SPF: return _("SPF");
	case AW_ROW_DKIM: return _("DKIM");
	case AW_ROW_DMARC: return _("DMARC");
	case AW_ROW_PTR: return _("PTR/HELO");
	case AW_ROW_MX: return _("MX");
	case AW_ROW_VERIFY: return _("Verification TXT");
	case AW_ROW_COUNT: break;
	}
	return "";
}

/* The status line is cut at COLS - 2: every hint line, in every language,
 * fits 78 columns (80x24), "q: quit" included. Two spaces between hints
 * where three do not fit. */
const char *
aw_tui_screen_keys(const struct aw_tui_model *m)
{
	if (m->help)
		return _("Any key: close the help");
	if (m->confirming)
		return _("y: apply now   n/Esc: not now");
	switch (m->screen) {
	case AW_SCR_DOMAIN:
		return _("Type the domain   Enter: check it   Esc: quit   F1: help");
	case AW_SCR_OVERVIEW:
		return _("Up/Down: area   Enter: set it up   r: check again   ?: help   q: quit");
	case AW_SCR_SPF:
		if (m->focus != AW_FOCUS_LIST)
			return _("Type an IP, network or host  Enter: add  Backspace: remove last  Tab/Esc: list");
		return _("Space: pick  Tab: own IPs/hosts  Enter: next  Esc: back  ?: help  q: quit");
	case AW_SCR_DKIM:
		if (m->focus != AW_FOCUS_LIST)
			return _("Type the account part   Enter: next step   Tab/Esc: list");
		return _("Up/Down, Space: choose  Tab: field  Enter: next  Esc: back  ?: help  q: quit");
	case AW_SCR_DMARC:
		if (m->focus != AW_FOCUS_LIST)
			return _("Type addresses, comma-separated  Tab: next field  Enter: next  Esc: policy");
		return _("Up/Down: policy  Tab: addresses  Enter: next  Esc: back  ?: help  q: quit");
	case AW_SCR_PTR:
		if (m->focus == AW_FOCUS_FIELD1)
			return _("Type a sending IP  Enter: add, check (empty: next)  Tab: HELO name  Esc: list");
		if (m->focus == AW_FOCUS_FIELD2)
			return _("Type the HELO name  Enter: check (again: next step)  Tab/Esc: list");
		return _("Up/Down: IP  Del: remove  Tab: field  Enter: next  Esc: back  ?: help  q: quit");
	case AW_SCR_MTASTS:
		if (m->focus == AW_FOCUS_FIELD1)
			return _("Type the policy file's path  Enter: write it  Tab: reports to  Esc: list");
		if (m->focus == AW_FOCUS_FIELD2)
			return _("Type report addresses, comma-separated  Enter: write/next  Tab/Esc: list");
		return _("Up/Down: mode  w: write policy  Tab: fields  Enter: next  Esc: back  q: quit");
	case AW_SCR_BIMI:
		if (m->focus != AW_FOCUS_LIST)
			return _("Type the URL  Tab: next field  Enter: check, then next  Esc: leave field");
		return _("Tab: URLs  Enter: check, then next  !: add despite errors  Esc: back  q: quit");
	case AW_SCR_REVIEW:
		return _("Up/Down: scroll   Enter: choose where to apply   Esc: back   ?: help   q: quit");
	case AW_SCR_TARGET:
		if (m->focus != AW_FOCUS_LIST)
			return _("Type (hidden for secrets)   Tab: next field   Enter: go on   Esc: list");
		return _("Up/Down: where  Tab: credentials  Enter: go on  Esc: back  ?: help  q: quit");
	case AW_SCR_APPLY:
		if (m->applying)
			return _("Applying...   q: quit (what was applied is reported)");
		return _("Up/Down: scroll   Enter: recheck   Esc: back   ?: help   q: quit");
	case AW_SCR_RECHECK:
		return _("Enter/r: check again   Esc: new overview   ?: help   q: quit");
	case AW_SCR_COUNT:
		break;
	}
	return "";
}

const char *
aw_tui_screen_help(enum aw_tui_screen s)
{
	switch (s) {
	case AW_SCR_DOMAIN:
		return _("Type the domain whose mail you want to authenticate, for example\n"
		    "example.com. Internationalised names (bücher.example) are fine.\n"
		    "Enter checks what it publishes now; nothing is changed yet.\n\n"
		    "Keys everywhere: Tab moves between fields, Enter goes on, Esc goes\n"
		    "back, ? or F1 shows this help, q or Ctrl-C quits.");
	case AW_SCR_OVERVIEW:
		return _("What the domain publishes now, one row per area, filled in as the\n"
		    "DNS answers arrive:\n"
		    "  SPF    which servers may send mail as the domain (RFC 7208)\n"
		    "  DKIM   the keys that sign its mail (RFC 6376)\n"
		    "  DMARC  what receivers do with mail that fails (RFC 7489)\n"
		    "  PTR    reverse DNS of the sending IPs, and the HELO name\n"
		    "  MX     where mail to the domain goes\n"
		    "  Verification TXT  records services asked you to publish\n\n"
		    "Enter on a row starts the steps there; r checks again.");
	case AW_SCR_SPF:
		return _("Pick every service that sends mail as your domain (type to filter\n"
		    "the list, Space picks), then add your own servers with Tab: an IP\n"
		    "address, a network (192.0.2.0/24) or a host name.\n\n"
		    "Receivers allow at most 10 DNS lookups while evaluating SPF (RFC 7208\n"
		    "§4.6.4); the count is shown as you go. There must be exactly one SPF\n"
		    "record: the wizard merges what is published into one.");
	case AW_SCR_DKIM:
		return _("Choose the email service that signs your mail: its DNS names and\n"
		    "targets come from the catalog, you type only your account's part.\n"
		    "Or choose \"Generate a new key\" for your own server: the wizard\n"
		    "publishes the public key and stores the private key (mode 0600).");
	case AW_SCR_DMARC:
		return _("DMARC tells receivers what to do with mail that fails SPF and DKIM,\n"
		    "and where to send reports. Go in stages:\n"
		    "  1. p=none with a report address: collect reports for 2-4 weeks and\n"
		    "     fix every legitimate sender they show;\n"
		    "  2. p=quarantine: failing mail goes to spam;\n"
		    "  3. p=reject once the reports are clean.\n"
		    "Report addresses in another domain need that domain's consent record\n"
		    "(RFC 7489 §7.1).");
	case AW_SCR_PTR:
		return _("Receivers check that a sending IP's reverse name (PTR) resolves back\n"
		    "to the IP (forward-confirmed reverse DNS) and that the HELO name is a\n"
		    "real host. Type each IP your mail leaves from and the HELO name your\n"
		    "server announces. The wizard adds the missing forward record in your\n"
		    "zone; the PTR belongs to whoever owns the IP (your hosting or ISP):\n"
		    "it shows the exact request to send them.");
	case AW_SCR_MTASTS:
		return _("MTA-STS (RFC 8461) tells sending servers to deliver to your MX\n"
		    "hosts only over TLS with a valid certificate. It is a policy file\n"
		    "you serve at https://mta-sts.DOMAIN/.well-known/mta-sts.txt (as\n"
		    "text/plain, with a certificate valid for mta-sts.DOMAIN, no\n"
		    "redirects) and a TXT record _mta-sts.DOMAIN \"v=STSv1; id=...\"\n"
		    "whose id changes whenever the policy does. Start with mode testing\n"
		    "and TLS reports (RFC 8460, _smtp._tls.DOMAIN): senders report\n"
		    "failures but still deliver. Enforce is offered once the testing\n"
		    "policy is served and covers every MX host.");
	case AW_SCR_BIMI:
		return _("BIMI shows your logo beside your mail in the mailbox providers\n"
		    "that support it. It needs DMARC at enforcement (p=quarantine or\n"
		    "p=reject for the domain and its subdomains, pct=100, no t=y).\n"
		    "Give the https URL of the logo (SVG Tiny PS) and, for most\n"
		    "providers, of the mark certificate (VMC or CMC, PEM). Enter\n"
		    "fetches both and checks them; errors keep the record out unless\n"
		    "you press !. Leave the logo URL empty to skip this step.");
	case AW_SCR_REVIEW:
		return _("Every change the wizard would make, as a diff: - is removed, + is\n"
		    "added. Nothing is applied until you choose where and confirm.");
	case AW_SCR_TARGET:
		return _("Choose your DNS host. Credentials come from the environment\n"
		    "(CLOUDFLARE_API_TOKEN; AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY;\n"
		    "PDNS_API_URL and PDNS_API_KEY) or are typed here: secrets are never\n"
		    "shown. \"Show the records\" prints zone-file lines to paste anywhere.");
	case AW_SCR_APPLY:
		return _("Each record with its result. If applying stops midway, the list\n"
		    "says exactly which records were changed and which were not.");
	case AW_SCR_RECHECK:
		return _("Looks up every changed record again until DNS publishes it.\n"
		    "Caches may keep old answers until their TTL runs out.\n"
		    "Route 53: the line above the table is its own state of the\n"
		    "change (PENDING, then INSYNC once all its servers have it);\n"
		    "every change counts as published only after INSYNC.");
	case AW_SCR_COUNT:
		break;
	}
	return "";
}
