/* Nested structs and arrays inside structs; member access through several levels. */
#include <stdio.h>

typedef struct { int x, y; } POINT;
typedef struct { POINT tl, br; } RECT;
typedef struct {
    char name[8];
    RECT bounds;
    POINT path[4];
    struct {
        unsigned color;
        struct { int width; int style; } pen;
    } style;
} SHAPE;

static int area(RECT r) { return (r.br.x - r.tl.x) * (r.br.y - r.tl.y); }

static RECT grow(RECT r, int d)
{
    r.tl.x -= d;
    r.tl.y -= d;
    r.br.x += d;
    r.br.y += d;
    return r;
}

int main(void)
{
    SHAPE s = { "box", { { 1, 2 }, { 11, 7 } }, { { 0, 0 }, { 1, 1 }, { 2, 4 }, { 3, 9 } }, { 0xFF8000u, { 3, 1 } } };
    SHAPE t;
    int i, perim = 0;

    printf("%s area=%d\n", s.name, area(s.bounds));
    s.bounds = grow(s.bounds, 2);
    printf("grown area=%d tl=(%d,%d)\n", area(s.bounds), s.bounds.tl.x, s.bounds.tl.y);
    for (i = 1; i < 4; i++) perim += s.path[i].y - s.path[i - 1].y;
    printf("path rise=%d pen=%d/%d color=%06x\n", perim, s.style.pen.width, s.style.pen.style, s.style.color);
    t = s;
    t.style.pen.width++;
    t.path[3].x = 100;
    t.bounds.br = t.path[2];
    printf("t: pen=%d path3.x=%d br=(%d,%d) area=%d\n", t.style.pen.width, t.path[3].x, t.bounds.br.x, t.bounds.br.y, area(t.bounds));
    printf("s: pen=%d path3.x=%d\n", s.style.pen.width, s.path[3].x);
    {
        SHAPE *ps = &t;
        POINT *pp = &ps->path[1];
        pp[1].y = -1;
        printf("via pointers: %d %d\n", ps->path[2].y, (&ps->bounds)->tl.x);
    }
    return area(s.bounds) % 100;
}
