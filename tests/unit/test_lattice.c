/* test_lattice.c - the annotation lattice: unions, nullability, container
 * unification, equality, printing. */
#include <check.h>
#include <stdlib.h>

#include "annotator/internal.h"

static struct srcpos P = {"t.py", 1, 1, NULL};

static struct ann_value *k(enum ann_kind kind) { return ann_new(kind, P); }

START_TEST(test_impossible_is_bottom)
{
    struct ann_value *i = k(ANN_INT);
    ck_assert_ptr_eq(ann_union(ann_impossible(), i), i);
    ck_assert_ptr_eq(ann_union(i, ann_impossible()), i);
}
END_TEST

START_TEST(test_same_kinds_join)
{
    ck_assert_int_eq(ann_union(k(ANN_INT), k(ANN_INT))->kind, ANN_INT);
    ck_assert_int_eq(ann_union(k(ANN_STR), k(ANN_STR))->kind, ANN_STR);
    ck_assert_int_eq(ann_union(k(ANN_FLOAT), k(ANN_FLOAT))->kind, ANN_FLOAT);
}
END_TEST

START_TEST(test_no_silent_widening)
{
    /* bool and int, int and float, int and str never join. */
    ck_assert_ptr_null(ann_union(k(ANN_BOOL), k(ANN_INT)));
    ck_assert_ptr_null(ann_union(k(ANN_INT), k(ANN_FLOAT)));
    ck_assert_ptr_null(ann_union(k(ANN_INT), k(ANN_STR)));
}
END_TEST

START_TEST(test_none_makes_nullable)
{
    struct ann_value *s = ann_union(k(ANN_NONE), k(ANN_STR));
    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(s->kind, ANN_STR);
    ck_assert(s->nullable);
    ck_assert_str_eq(ann_describe(s), "str?");
    /* int may not be None */
    ck_assert_ptr_null(ann_union(k(ANN_INT), k(ANN_NONE)));
    ck_assert_ptr_null(ann_union(k(ANN_NONE), k(ANN_FLOAT)));
}
END_TEST

START_TEST(test_constants_lose_constness)
{
    struct ann_value *a = ann_of_const(fg_const_int(1));
    struct ann_value *b = ann_of_const(fg_const_int(2));
    struct ann_value *c = ann_of_const(fg_const_int(1));
    ck_assert(a->is_const);
    struct ann_value *u = ann_union(a, b);
    ck_assert_int_eq(u->kind, ANN_INT);
    ck_assert(!u->is_const);
    ck_assert(ann_union(a, c)->is_const);
    ck_assert(!ann_equal(a, b));
    ck_assert(ann_same(a, b));
}
END_TEST

START_TEST(test_list_defs_unify)
{
    struct ann_listdef *d1 = ann_new_listdef(false, k(ANN_INT), NULL);
    struct ann_listdef *d2 = ann_new_listdef(false, ann_impossible(), NULL);
    struct ann_value *l1 = ann_container(ANN_LIST, d1, P), *l2 = ann_container(ANN_LIST, d2, P);
    struct ann_value *u = ann_union(l1, l2);
    ck_assert_ptr_nonnull(u);
    ck_assert_ptr_eq(ann_listdef(d1), ann_listdef(d2));
    ck_assert_int_eq(ann_listdef(d2)->item->kind, ANN_INT);
    ck_assert_str_eq(ann_describe(l2), "list[int]");
    /* A list of str does not unify with a list of int. */
    struct ann_listdef *d3 = ann_new_listdef(false, k(ANN_STR), NULL);
    ck_assert_ptr_null(ann_union(l1, ann_container(ANN_LIST, d3, P)));
}
END_TEST

START_TEST(test_tuples_itemwise)
{
    struct ann_value *t1 = k(ANN_TUPLE), *t2 = k(ANN_TUPLE), *t3 = k(ANN_TUPLE);
    struct ann_value *i1[] = {k(ANN_INT), k(ANN_NONE)}, *i2[] = {k(ANN_INT), k(ANN_STR)}, *i3[] = {k(ANN_INT)};
    t1->nitems = t2->nitems = 2;
    t1->items = i1;
    t2->items = i2;
    t3->nitems = 1;
    t3->items = i3;
    struct ann_value *u = ann_union(t1, t2);
    ck_assert_ptr_nonnull(u);
    ck_assert_str_eq(ann_describe(u), "tuple[int, str?]");
    ck_assert_ptr_null(ann_union(t1, t3));
}
END_TEST

START_TEST(test_dict_describe)
{
    struct ann_listdef *d = ann_new_listdef(true, k(ANN_STR), k(ANN_FLOAT));
    ck_assert_str_eq(ann_describe(ann_container(ANN_DICT, d, P)), "dict[str, float]");
}
END_TEST

static Suite *lattice_suite(void)
{
    Suite *s = suite_create("lattice");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_impossible_is_bottom);
    tcase_add_test(tc, test_same_kinds_join);
    tcase_add_test(tc, test_no_silent_widening);
    tcase_add_test(tc, test_none_makes_nullable);
    tcase_add_test(tc, test_constants_lose_constness);
    tcase_add_test(tc, test_list_defs_unify);
    tcase_add_test(tc, test_tuples_itemwise);
    tcase_add_test(tc, test_dict_describe);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(lattice_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
