/* dkim-key.c: the wizard's new DKIM key (the "make a key" choice of the
 * DKIM step): made, or found again, in the state directory, and its
 * record handed to the model as an event. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checks/dkim.h"
#include "core/i18n.h"
#include "providers/journal.h"
#include "tui/dkim-key.h"

/* A 2048-bit RSA key (RFC 8301 §3.2: at least 1024, 2048 advised); the
 * private half in the state directory, 0600. A key already there for
 * this selector is used again (its public half published). */
void
aw_tui_make_dkim_key(struct aw_tui_model *m, aw_tui_event_cb post,
    void *arg)
{
	struct aw_tui_event ev;
	struct aw_error err;
	enum aw_dkim_key_type type = AW_DKIM_KEY_RSA;
	char *dir = NULL, *path = NULL, *pem = NULL, *p_b64 = NULL, *rec = NULL;
	char *note = NULL;
	size_t n;

	memset(&ev, 0, sizeof ev);
	aw_error_clear(&err);
	if (m->domain == NULL || aw_journal_dir(&dir, &err) != AW_OK)
		goto fail;
	n = strlen(dir) + strlen(m->domain) + strlen(m->dkim_selector.text) + 32;
	if ((path = malloc(n)) == NULL)
		goto fail;
	snprintf(path, n, "%s/%s._domainkey.%s.pem", dir, m->dkim_selector.text,
	    m->domain);
	if (access(path, F_OK) == 0) {
		if (aw_dkim_private_public(path, &type, &p_b64, &err) != AW_OK)
			goto fail;
	} else if (aw_dkim_keygen(AW_DKIM_KEY_RSA, 2048, &pem, &p_b64, &err) != AW_OK ||
	    aw_dkim_write_private(path, pem, false, &err) != AW_OK) {
		goto fail;
	}
	if ((rec = aw_dkim_record(type, p_b64)) == NULL)
		goto fail;
	ev.type = AW_EV_DKIM_KEY;
	ev.text = rec;
	post(&ev, arg);
	if (asprintf(&note, pem != NULL ?
	    _("The private key is in %s (mode 0600): give it to the mail server that signs.") :
	    _("The key in %s is used again (mode 0600)."), path) >= 0) {
		ev.type = AW_EV_NOTE;
		ev.text = note;
		post(&ev, arg);
		free(note);
	}
	goto done;
fail:
	ev.type = AW_EV_ERROR;
	ev.text = err.msg[0] ? err.msg : _("the DKIM key could not be made");
	/* A file error's message is the reason alone: say which file. */
	if (err.msg[0] && err.where[0] &&
	    asprintf(&note, "%s: %s", err.where, err.msg) >= 0)
		ev.text = note;
	else
		note = NULL;
	post(&ev, arg);
	free(note);
done:
	aw_dkim_secret_free(pem);
	free(p_b64);
	free(rec);
	free(path);
	free(dir);
}
