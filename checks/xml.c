/* xml.c: opens libxml2 when first used and fills aw_xml (checks/xml.h),
 * through which its users call it (start-up, issue 16). */
#include "config.h"

#include <string.h>

#define AW_XML_LOADER 1
#include "checks/xml.h"

#include "core/i18n.h"
#include "core/lib.h"

#ifndef AW_XML_SONAME
#define AW_XML_SONAME "libxml2.so.2"
#endif

struct aw_xml aw_xml;

void
aw_xml_free_doc(xmlDocPtr doc)
{
	if (doc != NULL && aw_xml.xmlFreeDoc != NULL)
		aw_xml.xmlFreeDoc(doc);
}

/* The functions, then the variable xmlFree (free_fn, the last slot). */
static const char *const aw_xml_names[] = {
	AW_XML_FUNCS(AW_LIB_NAME) "xmlFree"
};

bool
aw_xml_load(struct aw_error *err)
{
	return aw_xml.free_fn != NULL ||
	    aw_lib_open(AW_XML_SONAME, "libxml2", aw_xml_names,
	    (void **)&aw_xml, AW_LIB_SLOTS(aw_xml), AW_ERR_INTERNAL,
	    err) != NULL;
}
