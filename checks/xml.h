/* xml.h: the only way libxml2 gets into authwizard (as tui/curses.h is
 * for curses). libxml2 is opened when first used (aw_xml_load,
 * checks/xml.c), not by the dynamic loader at every start of the program
 * (issue 16): Route 53's API (providers/route53.c) and BIMI's SVG check
 * (checks/bimi-media.c) call it through the pointers of aw_xml, typed by
 * the headers' own declarations. A function newly called is added to
 * AW_XML_FUNCS. Include this, never <libxml/...>. */
#ifndef AW_CHECKS_XML_H
#define AW_CHECKS_XML_H

#include <stdbool.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>

#include "core/error.h"

#define AW_XML_FUNCS(X) X(xmlReadMemory) X(xmlStrcmp) X(xmlNodeGetContent) \
	X(xmlDocGetRootElement) X(xmlFreeDoc) X(xmlGetProp) X(xmlHasProp) \
	X(xmlBufferCreate) X(xmlBufferContent) X(xmlBufferFree) \
	X(xmlNewTextWriterMemory) X(xmlFreeTextWriter) \
	X(xmlTextWriterStartDocument) X(xmlTextWriterEndDocument) \
	X(xmlTextWriterStartElement) X(xmlTextWriterEndElement) \
	X(xmlTextWriterWriteElement) X(xmlTextWriterWriteAttribute)

struct aw_xml {
#define AW_XML_PTR(f) __typeof__(f) *f;
	AW_XML_FUNCS(AW_XML_PTR)
#undef AW_XML_PTR
	/* The library's variable xmlFree (a function pointer), by address. */
	xmlFreeFunc *free_fn;
};
extern struct aw_xml aw_xml;

/* Opens libxml2 (once; later calls return true at once). False when it
 * cannot, with err (may be NULL) naming the Debian package. Every entry
 * point that calls libxml2 calls this first. */
bool aw_xml_load(struct aw_error *err);
/* xmlFreeDoc that takes NULL even when libxml2 was never opened (a
 * parse that failed, or found no library, frees its NULL document). */
void aw_xml_free_doc(xmlDocPtr doc);

#ifndef AW_XML_LOADER
#undef xmlFree
#define xmlFree (*aw_xml.free_fn)
#define xmlReadMemory (*aw_xml.xmlReadMemory)
#define xmlStrcmp (*aw_xml.xmlStrcmp)
#define xmlNodeGetContent (*aw_xml.xmlNodeGetContent)
#define xmlDocGetRootElement (*aw_xml.xmlDocGetRootElement)
#define xmlFreeDoc aw_xml_free_doc
#define xmlGetProp (*aw_xml.xmlGetProp)
#define xmlHasProp (*aw_xml.xmlHasProp)
#define xmlBufferCreate (*aw_xml.xmlBufferCreate)
#define xmlBufferContent (*aw_xml.xmlBufferContent)
#define xmlBufferFree (*aw_xml.xmlBufferFree)
#define xmlNewTextWriterMemory (*aw_xml.xmlNewTextWriterMemory)
#define xmlFreeTextWriter (*aw_xml.xmlFreeTextWriter)
#define xmlTextWriterStartDocument (*aw_xml.xmlTextWriterStartDocument)
#define xmlTextWriterEndDocument (*aw_xml.xmlTextWriterEndDocument)
#define xmlTextWriterStartElement (*aw_xml.xmlTextWriterStartElement)
#define xmlTextWriterEndElement (*aw_xml.xmlTextWriterEndElement)
#define xmlTextWriterWriteElement (*aw_xml.xmlTextWriterWriteElement)
#define xmlTextWriterWriteAttribute (*aw_xml.xmlTextWriterWriteAttribute)
#endif

#endif
