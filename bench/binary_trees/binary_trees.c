/* Binary trees: C reference for bench/binary_trees/binary_trees.py (the
 * Benchmarks Game algorithm). Every node is malloc'ed and free'd one at a
 * time, like the scalar C entries: no memory pool, no threads. */
#include <stdio.h>
#include <stdlib.h>

typedef struct Node {
    struct Node *left;
    struct Node *right;
} Node;

static Node *new_node(Node *left, Node *right)
{
    Node *n = malloc(sizeof(Node));
    if (n == NULL) {
        fputs("out of memory\n", stderr);
        exit(1);
    }
    n->left = left;
    n->right = right;
    return n;
}

static Node *make_tree(long depth)
{
    if (depth == 0)
        return new_node(NULL, NULL);
    Node *left = make_tree(depth - 1);
    Node *right = make_tree(depth - 1);
    return new_node(left, right);
}

static long check(const Node *n)
{
    if (n->left == NULL || n->right == NULL)
        return 1;
    return 1 + check(n->left) + check(n->right);
}

static void free_tree(Node *n)
{
    if (n->left != NULL)
        free_tree(n->left);
    if (n->right != NULL)
        free_tree(n->right);
    free(n);
}

int main(void)
{
    long n = 16;
    long min_depth = 4;
    long max_depth = n;
    if (max_depth < min_depth + 2)
        max_depth = min_depth + 2;

    long stretch_depth = max_depth + 1;
    Node *stretch = make_tree(stretch_depth);
    printf("stretch tree of depth %ld\t check: %ld\n", stretch_depth, check(stretch));
    free_tree(stretch);

    Node *long_lived = make_tree(max_depth);

    for (long depth = min_depth; depth <= max_depth; depth += 2) {
        long iterations = 1L << (max_depth - depth + min_depth);
        long sum = 0;
        for (long i = 0; i < iterations; i++) {
            Node *t = make_tree(depth);
            sum += check(t);
            free_tree(t);
        }
        printf("%ld\t trees of depth %ld\t check: %ld\n", iterations, depth, sum);
    }

    printf("long lived tree of depth %ld\t check: %ld\n", max_depth, check(long_lived));
    free_tree(long_lived);
    return 0;
}
