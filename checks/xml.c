/* xml.c: opens libxml2 when first used and fills aw_xml (checks/xml.h),
 * through which its users call it (start-up, issue 16). */
#include "config.h"

#include <dlfcn.h>
#include <string.h>

#define AW_XML_LOADER 1
#include "checks/xml.h"

#include "core/i18n.h"

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

bool
aw_xml_load(struct aw_error *err)
{
	void *h;

	if (aw_xml.free_fn != NULL)
		return true;
	if ((h = dlopen(AW_XML_SONAME, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		aw_error_set(err, AW_ERR_INTERNAL,
		    _("cannot load %s (install the Debian package %s): %s"),
		    AW_XML_SONAME, "libxml2", dlerror());
		return false;
	}
#define AW_XML_SYM(f) \
	if ((*(void **)&aw_xml.f = dlsym(h, #f)) == NULL) \
		goto missing;
	AW_XML_FUNCS(AW_XML_SYM)
#undef AW_XML_SYM
	if ((aw_xml.free_fn = dlsym(h, "xmlFree")) != NULL)
		return true;
missing:
	aw_error_set(err, AW_ERR_INTERNAL, _("cannot load %s: %s"),
	    AW_XML_SONAME, dlerror());
	memset(&aw_xml, 0, sizeof aw_xml);
	dlclose(h);
	return false;
}
