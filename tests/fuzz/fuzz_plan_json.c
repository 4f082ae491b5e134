/* fuzz_plan_json.c: plan files and journals (providers/plan.c,
 * providers/journal.c: a journal is a plan's JSON with each change's
 * state), read back as aw_plan_load and aw_journal_load read them. A plan
 * that loads is written out and read again. */
#include "config.h"

#include <stdlib.h>

#include <jansson.h>

#include "providers/plan.h"
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aw_plan plan, again;
	struct aw_error err;
	json_error_t je;
	json_t *j, *out;

	if ((j = json_loadb((const char *)data, size, 0, &je)) == NULL)
		return 0;
	aw_plan_init(&plan);
	aw_error_clear(&err);
	if (aw_plan_from_json(j, &plan, &err) == AW_OK) {
		(void)aw_plan_count_pending(&plan);
		if ((out = aw_plan_to_json(&plan)) == NULL)
			abort();
		aw_plan_init(&again);
		aw_error_clear(&err);
		/* What we wrote we can read. */
		if (aw_plan_from_json(out, &again, &err) != AW_OK)
			abort();
		if (again.nchanges != plan.nchanges)
			abort();
		/* ...and it is written again the same (a journal survives
		 * being read and rewritten). */
		{
			json_t *out2 = aw_plan_to_json(&again);

			if (out2 == NULL || !json_equal(out, out2))
				abort();
			json_decref(out2);
		}
		aw_plan_done(&again);
		json_decref(out);
	}
	aw_plan_done(&plan);
	json_decref(j);
	return 0;
}
