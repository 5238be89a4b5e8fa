/* A chained hash table with malloc'ed entries and string keys; insert, update, lookup, delete, rehash. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ENTRY { char *key; int value; struct ENTRY *next; } ENTRY;
typedef struct { ENTRY **buckets; unsigned nbuckets, count; } TABLE;

static unsigned hash(const char *s)
{
    unsigned h = 2166136261u;
    while (*s) h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

static char *dup(const char *s)
{
    char *d = (char *)malloc(strlen(s) + 1);
    strcpy(d, s);
    return d;
}

static void rehash(TABLE *t, unsigned n)
{
    ENTRY **nb = (ENTRY **)calloc(n, sizeof(ENTRY *));
    unsigned i;
    for (i = 0; i < t->nbuckets; i++) {
        ENTRY *e = t->buckets[i];
        while (e) {
            ENTRY *next = e->next;
            unsigned b = hash(e->key) % n;
            e->next = nb[b];
            nb[b] = e;
            e = next;
        }
    }
    free(t->buckets);
    t->buckets = nb;
    t->nbuckets = n;
}

static void put(TABLE *t, const char *k, int v)
{
    unsigned b = hash(k) % t->nbuckets;
    ENTRY *e;
    for (e = t->buckets[b]; e; e = e->next)
        if (strcmp(e->key, k) == 0) {
            e->value = v;
            return;
        }
    e = (ENTRY *)malloc(sizeof *e);
    e->key = dup(k);
    e->value = v;
    e->next = t->buckets[b];
    t->buckets[b] = e;
    if (++t->count > t->nbuckets * 2) rehash(t, t->nbuckets * 2 + 1);
}

static int get(const TABLE *t, const char *k, int *v)
{
    ENTRY *e;
    for (e = t->buckets[hash(k) % t->nbuckets]; e; e = e->next)
        if (strcmp(e->key, k) == 0) {
            *v = e->value;
            return 1;
        }
    return 0;
}

static int del(TABLE *t, const char *k)
{
    ENTRY **pp = &t->buckets[hash(k) % t->nbuckets];
    while (*pp) {
        if (strcmp((*pp)->key, k) == 0) {
            ENTRY *d = *pp;
            *pp = d->next;
            free(d->key);
            free(d);
            t->count--;
            return 1;
        }
        pp = &(*pp)->next;
    }
    return 0;
}

int main(void)
{
    TABLE t;
    char key[16];
    int i, v, found = 0, sum = 0;
    unsigned b, longest = 0;
    t.nbuckets = 3;
    t.count = 0;
    t.buckets = (ENTRY **)calloc(t.nbuckets, sizeof(ENTRY *));
    for (i = 0; i < 200; i++) {
        sprintf(key, "key%d", i * 7 % 150);
        put(&t, key, i);
    }
    printf("count=%u buckets=%u\n", t.count, t.nbuckets);
    for (i = 0; i < 160; i += 10) {
        sprintf(key, "key%d", i);
        if (get(&t, key, &v)) {
            found++;
            sum += v;
            printf("%s=%d ", key, v);
        } else printf("%s=missing ", key);
    }
    printf("\n");
    for (i = 0; i < 150; i += 2) {
        sprintf(key, "key%d", i);
        del(&t, key);
    }
    for (b = 0; b < t.nbuckets; b++) {
        unsigned len = 0;
        ENTRY *e;
        for (e = t.buckets[b]; e; e = e->next) len++;
        if (len > longest) longest = len;
    }
    printf("after delete count=%u longest chain=%u found=%d sum=%d\n", t.count, longest, found, sum);
    for (b = 0; b < t.nbuckets; b++)
        while (t.buckets[b]) {
            ENTRY *e = t.buckets[b];
            t.buckets[b] = e->next;
            free(e->key);
            free(e);
        }
    free(t.buckets);
    return found;
}
