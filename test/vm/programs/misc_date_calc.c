/* Calendar arithmetic: leap years, day of week (Zeller), days between dates, day-of-year. */
#include <stdio.h>

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
static int days_in_month(int y, int m)
{
    static const int d[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return m == 2 && is_leap(y) ? 29 : d[m - 1];
}
static int day_of_week(int y, int m, int d) /* 0 = Saturday (Zeller) */
{
    int k, j;
    if (m < 3) {
        m += 12;
        y--;
    }
    k = y % 100;
    j = y / 100;
    return (d + 13 * (m + 1) / 5 + k + k / 4 + j / 4 + 5 * j) % 7;
}
static long long days_from_civil(int y, int m, int d) /* days since 1970-01-01 */
{
    int era, yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (long long)era * 146097 + doe - 719468;
}

int main(void)
{
    static const char *const names[7] = { "Sat", "Sun", "Mon", "Tue", "Wed", "Thu", "Fri" };
    int dates[][3] = { { 1970, 1, 1 }, { 2000, 2, 29 }, { 1601, 1, 1 }, { 2024, 12, 25 }, { 2038, 1, 19 }, { 1900, 3, 1 } };
    int i, y, leaps = 0, doy = 0, m;
    for (i = 0; i < 6; i++)
        printf("%04d-%02d-%02d %s days=%lld\n", dates[i][0], dates[i][1], dates[i][2], names[day_of_week(dates[i][0], dates[i][1], dates[i][2])],
               days_from_civil(dates[i][0], dates[i][1], dates[i][2]));
    for (y = 1600; y <= 2400; y++) leaps += is_leap(y);
    for (m = 1; m < 7; m++) doy += days_in_month(2024, m);
    printf("leap years 1600..2400=%d day-of-year(2024-07-04)=%d\n", leaps, doy + 4);
    printf("days 1601-01-01..1970-01-01=%lld (FILETIME epoch offset in days)\n", -days_from_civil(1601, 1, 1));
    return leaps % 100;
}
