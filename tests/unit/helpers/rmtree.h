/* rmtree.h: removing a test's temporary directory (unit tests). */
#ifndef AW_TEST_RMTREE_H
#define AW_TEST_RMTREE_H

/* Removes dir and everything under it, links as links (never what they
 * point to); 0, or -1 when something could not be removed. */
int aw_test_rmtree(const char *dir);

#endif
