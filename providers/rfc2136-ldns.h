/* rfc2136-ldns.h: libldns opened when RFC 2136 is first used, not by the
 * dynamic loader at start-up (issue 16: libldns and the libssl it pulls
 * in were some 3 ms of every start). Included once, by providers/rfc2136.c
 * after <ldns/ldns.h>: every ldns call there goes through these pointers,
 * typed by the header's own declarations. */
#ifndef AW_PROVIDERS_RFC2136_LDNS_H
#define AW_PROVIDERS_RFC2136_LDNS_H

#include "core/lib.h"

#ifndef AW_LDNS_SONAME
#define AW_LDNS_SONAME "libldns.so.3"
#endif

#define RFC2136_LDNS_FUNCS(X) X(ldns_buffer_free) X(ldns_buffer_new) X(ldns_dname_new_frm_str) \
	X(ldns_get_errorstr_by_id) X(ldns_get_random) \
	X(ldns_pkt2buffer_wire) X(ldns_pkt_aa) X(ldns_pkt_answer) \
	X(ldns_pkt_free) X(ldns_pkt_get_rcode) X(ldns_pkt_id) \
	X(ldns_pkt_qr) X(ldns_pkt_query_new) X(ldns_pkt_set_id) \
	X(ldns_pkt_set_rd) X(ldns_pkt_tsig) X(ldns_pkt_tsig_sign) \
	X(ldns_pkt_tsig_verify) X(ldns_rdf2native_int16) X(ldns_rdf2str) \
	X(ldns_rdf_clone) X(ldns_rdf_data) X(ldns_rdf_deep_free) \
	X(ldns_rdf_get_type) X(ldns_rdf_new_frm_data) X(ldns_rdf_size) \
	X(ldns_resolver_deep_free) X(ldns_resolver_new_frm_file) \
	X(ldns_resolver_query) X(ldns_resolver_set_timeout) \
	X(ldns_rr_clone) X(ldns_rr_free) X(ldns_rr_get_class) \
	X(ldns_rr_get_type) X(ldns_rr_list_deep_free) \
	X(ldns_rr_list_new) X(ldns_rr_list_push_rr) X(ldns_rr_list_rr) \
	X(ldns_rr_list_rr_count) X(ldns_rr_new) X(ldns_rr_new_frm_str) \
	X(ldns_rr_owner) X(ldns_rr_push_rdf) X(ldns_rr_rd_count) \
	X(ldns_rr_rdf) X(ldns_rr_set_class) X(ldns_rr_set_owner) \
	X(ldns_rr_set_question) X(ldns_rr_set_ttl) X(ldns_rr_set_type) \
	X(ldns_rr_ttl) X(ldns_tcp_connect2) \
	X(ldns_tcp_read_wire_timeout) X(ldns_tcp_send_query) \
	X(ldns_update_pkt_new) X(ldns_wire2pkt)

static struct {
#define RFC2136_LDNS_PTR(f) __typeof__(f) *f;
	RFC2136_LDNS_FUNCS(RFC2136_LDNS_PTR)
#undef RFC2136_LDNS_PTR
} rfc2136_ldns;

/* Opens libldns once; err may be NULL. */
static const char *const rfc2136_ldns_names[] = {
	RFC2136_LDNS_FUNCS(AW_LIB_NAME)
};

static bool
rfc2136_ldns_load(struct aw_error *err)
{
	return rfc2136_ldns.ldns_wire2pkt != NULL ||
	    aw_lib_open(AW_LDNS_SONAME, "libldns3", rfc2136_ldns_names,
	    (void **)&rfc2136_ldns, AW_LIB_SLOTS(rfc2136_ldns),
	    AW_ERR_PROVIDER, err) != NULL;
}

#define ldns_buffer_free (*rfc2136_ldns.ldns_buffer_free)
#define ldns_buffer_new (*rfc2136_ldns.ldns_buffer_new)
#define ldns_dname_new_frm_str (*rfc2136_ldns.ldns_dname_new_frm_str)
#define ldns_get_errorstr_by_id (*rfc2136_ldns.ldns_get_errorstr_by_id)
#define ldns_get_random (*rfc2136_ldns.ldns_get_random)
#define ldns_pkt2buffer_wire (*rfc2136_ldns.ldns_pkt2buffer_wire)
#define ldns_pkt_aa (*rfc2136_ldns.ldns_pkt_aa)
#define ldns_pkt_answer (*rfc2136_ldns.ldns_pkt_answer)
#define ldns_pkt_free (*rfc2136_ldns.ldns_pkt_free)
#define ldns_pkt_get_rcode (*rfc2136_ldns.ldns_pkt_get_rcode)
#define ldns_pkt_id (*rfc2136_ldns.ldns_pkt_id)
#define ldns_pkt_qr (*rfc2136_ldns.ldns_pkt_qr)
#define ldns_pkt_query_new (*rfc2136_ldns.ldns_pkt_query_new)
#define ldns_pkt_set_id (*rfc2136_ldns.ldns_pkt_set_id)
#define ldns_pkt_set_rd (*rfc2136_ldns.ldns_pkt_set_rd)
#define ldns_pkt_tsig (*rfc2136_ldns.ldns_pkt_tsig)
#define ldns_pkt_tsig_sign (*rfc2136_ldns.ldns_pkt_tsig_sign)
#define ldns_pkt_tsig_verify (*rfc2136_ldns.ldns_pkt_tsig_verify)
#define ldns_rdf2native_int16 (*rfc2136_ldns.ldns_rdf2native_int16)
#define ldns_rdf2str (*rfc2136_ldns.ldns_rdf2str)
#define ldns_rdf_clone (*rfc2136_ldns.ldns_rdf_clone)
#define ldns_rdf_data (*rfc2136_ldns.ldns_rdf_data)
#define ldns_rdf_deep_free (*rfc2136_ldns.ldns_rdf_deep_free)
#define ldns_rdf_get_type (*rfc2136_ldns.ldns_rdf_get_type)
#define ldns_rdf_new_frm_data (*rfc2136_ldns.ldns_rdf_new_frm_data)
#define ldns_rdf_size (*rfc2136_ldns.ldns_rdf_size)
#define ldns_resolver_deep_free (*rfc2136_ldns.ldns_resolver_deep_free)
#define ldns_resolver_new_frm_file (*rfc2136_ldns.ldns_resolver_new_frm_file)
#define ldns_resolver_query (*rfc2136_ldns.ldns_resolver_query)
#define ldns_resolver_set_timeout (*rfc2136_ldns.ldns_resolver_set_timeout)
#define ldns_rr_clone (*rfc2136_ldns.ldns_rr_clone)
#define ldns_rr_free (*rfc2136_ldns.ldns_rr_free)
#define ldns_rr_get_class (*rfc2136_ldns.ldns_rr_get_class)
#define ldns_rr_get_type (*rfc2136_ldns.ldns_rr_get_type)
#define ldns_rr_list_deep_free (*rfc2136_ldns.ldns_rr_list_deep_free)
#define ldns_rr_list_new (*rfc2136_ldns.ldns_rr_list_new)
#define ldns_rr_list_push_rr (*rfc2136_ldns.ldns_rr_list_push_rr)
#define ldns_rr_list_rr (*rfc2136_ldns.ldns_rr_list_rr)
#define ldns_rr_list_rr_count (*rfc2136_ldns.ldns_rr_list_rr_count)
#define ldns_rr_new (*rfc2136_ldns.ldns_rr_new)
#define ldns_rr_new_frm_str (*rfc2136_ldns.ldns_rr_new_frm_str)
#define ldns_rr_owner (*rfc2136_ldns.ldns_rr_owner)
#define ldns_rr_push_rdf (*rfc2136_ldns.ldns_rr_push_rdf)
#define ldns_rr_rd_count (*rfc2136_ldns.ldns_rr_rd_count)
#define ldns_rr_rdf (*rfc2136_ldns.ldns_rr_rdf)
#define ldns_rr_set_class (*rfc2136_ldns.ldns_rr_set_class)
#define ldns_rr_set_owner (*rfc2136_ldns.ldns_rr_set_owner)
#define ldns_rr_set_question (*rfc2136_ldns.ldns_rr_set_question)
#define ldns_rr_set_ttl (*rfc2136_ldns.ldns_rr_set_ttl)
#define ldns_rr_set_type (*rfc2136_ldns.ldns_rr_set_type)
#define ldns_rr_ttl (*rfc2136_ldns.ldns_rr_ttl)
#define ldns_tcp_connect2 (*rfc2136_ldns.ldns_tcp_connect2)
#define ldns_tcp_read_wire_timeout (*rfc2136_ldns.ldns_tcp_read_wire_timeout)
#define ldns_tcp_send_query (*rfc2136_ldns.ldns_tcp_send_query)
#define ldns_update_pkt_new (*rfc2136_ldns.ldns_update_pkt_new)
#define ldns_wire2pkt (*rfc2136_ldns.ldns_wire2pkt)

#endif
