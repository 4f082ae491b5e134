/* json-write.h: jansson's encoder, byte for byte, straight into a buffer
 * (the --json output path: one document per domain of a bulk run). */
#ifndef AW_CLI_JSON_WRITE_H
#define AW_CLI_JSON_WRITE_H

#include <stddef.h>

#include <jansson.h>

#include "core/buf.h"

/* Appends v to b exactly as json_dump_callback(v, ..., flags) of jansson
 * 2.14 would (key order, separators, indentation, string escapes,
 * numbers), and fails where it fails (not an array or object without
 * JSON_ENCODE_ANY, a string that is not UTF-8, a loop, b full). 0 on
 * success; -1 on failure, b then holding a partial document. Flags it
 * does not do itself (JSON_SORT_KEYS, JSON_EMBED), and trees nested
 * deeper than it walks, go to jansson's own encoder, as do reals. */
int aw_json_write(struct aw_buf *b, const json_t *v, size_t flags);

#endif
