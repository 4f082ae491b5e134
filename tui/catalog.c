/* catalog.c: the built-in senders (until the shared catalog lands). The
 * lookup counts are what each include costs in all, nested ones included,
 * as published when the list was written. */
#include "config.h"

#include "core/i18n.h"
#include "tui/catalog.h"

static const struct aw_tui_dkim_cname ms365_dkim[] = {
	{ "selector1._domainkey", "selector1-{domain-dashed}._domainkey.{account}.onmicrosoft.com" },
	{ "selector2._domainkey", "selector2-{domain-dashed}._domainkey.{account}.onmicrosoft.com" },
};
static const struct aw_tui_dkim_cname sendgrid_dkim[] = {
	{ "s1._domainkey", "s1.domainkey.u{account}.wl.sendgrid.net" },
	{ "s2._domainkey", "s2.domainkey.u{account}.wl.sendgrid.net" },
};
static const struct aw_tui_dkim_cname mailchimp_dkim[] = {
	{ "k2._domainkey", "dkim2.mcsv.net" },
	{ "k3._domainkey", "dkim3.mcsv.net" },
};
static const struct aw_tui_dkim_cname ses_dkim[] = {
	{ "{account}._domainkey", "{account}.dkim.amazonses.com" },
};
static const struct aw_tui_dkim_cname brevo_dkim[] = {
	{ "brevo1._domainkey", "b1.{domain-dashed}.dkim.brevo.com" },
	{ "brevo2._domainkey", "b2.{domain-dashed}.dkim.brevo.com" },
};
static const struct aw_tui_dkim_cname fastmail_dkim[] = {
	{ "fm1._domainkey", "fm1.{domain}.dkim.fmhosted.com" },
	{ "fm2._domainkey", "fm2.{domain}.dkim.fmhosted.com" },
	{ "fm3._domainkey", "fm3.{domain}.dkim.fmhosted.com" },
};
static const struct aw_tui_dkim_cname zendesk_dkim[] = {
	{ "zendesk1._domainkey", "zendesk1._domainkey.zendesk.com" },
	{ "zendesk2._domainkey", "zendesk2._domainkey.zendesk.com" },
};
static const struct aw_tui_dkim_cname proton_dkim[] = {
	{ "protonmail._domainkey", "protonmail.domainkey.{account}.domains.proton.ch" },
	{ "protonmail2._domainkey", "protonmail2.domainkey.{account}.domains.proton.ch" },
	{ "protonmail3._domainkey", "protonmail3.domainkey.{account}.domains.proton.ch" },
};

#define DK(a) (sizeof a / sizeof a[0]), a

static const struct aw_tui_sender senders[] = {
	{ "google", "Google Workspace", "include:_spf.google.com", 4,
	  NULL, 0, NULL },
	{ "microsoft365", "Microsoft 365", "include:spf.protection.outlook.com", 1,
	  N_("tenant name (the part before .onmicrosoft.com)"), DK(ms365_dkim) },
	{ "sendgrid", "SendGrid", "include:sendgrid.net", 1,
	  N_("user id (the digits after u in the CNAME target)"), DK(sendgrid_dkim) },
	{ "mailchimp", "Mailchimp / Mandrill", "include:servers.mcsv.net", 1,
	  NULL, DK(mailchimp_dkim) },
	{ "amazonses", "Amazon SES", "include:amazonses.com", 1,
	  N_("DKIM token shown by the SES console"), DK(ses_dkim) },
	{ "brevo", "Brevo (Sendinblue)", "include:spf.brevo.com", 1,
	  NULL, DK(brevo_dkim) },
	{ "fastmail", "Fastmail", "include:spf.messagingengine.com", 1,
	  NULL, DK(fastmail_dkim) },
	{ "zendesk", "Zendesk", "include:mail.zendesk.com", 1,
	  NULL, DK(zendesk_dkim) },
	{ "proton", "Proton Mail", "include:_spf.protonmail.ch", 1,
	  N_("domain key id from the Proton settings"), DK(proton_dkim) },
	{ "mailgun", "Mailgun", "include:mailgun.org", 3, NULL, 0, NULL },
	{ "mailjet", "Mailjet", "include:spf.mailjet.com", 1, NULL, 0, NULL },
	{ "postmark", "Postmark", "include:spf.mtasv.net", 1, NULL, 0, NULL },
	{ "salesforce", "Salesforce", "include:_spf.salesforce.com", 1, NULL, 0, NULL },
	{ "zoho", "Zoho Mail", "include:zoho.eu", 1, NULL, 0, NULL },
	{ "hubspot", "HubSpot", "include:_spf.hubspotemail.net", 1, NULL, 0, NULL },
	{ "constantcontact", "Constant Contact", "include:spf.constantcontact.com", 1,
	  NULL, 0, NULL },
	{ "freshdesk", "Freshdesk", "include:email.freshdesk.com", 1, NULL, 0, NULL },
	{ "sparkpost", "SparkPost", "include:sparkpostmail.com", 1, NULL, 0, NULL },
};

const struct aw_tui_sender *
aw_tui_catalog_builtin(size_t *n)
{
	*n = sizeof senders / sizeof senders[0];
	return senders;
}

const struct aw_tui_sender *
aw_tui_catalog(size_t *n)
{
	*n = sizeof senders / sizeof senders[0];
	return senders;
}
