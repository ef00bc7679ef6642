/* N-body simulation: C reference for bench/nbody/nbody.py, the same
   algorithm on separate arrays of doubles. The square root is pow(d2, 0.5)
   because that is what Python's `d2 ** 0.5` computes (gcc -O2 keeps the
   call: turning it into sqrt needs -funsafe-math-optimizations). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#define N 5
#define PI 3.14159265358979323
#define SOLAR_MASS (4.0 * PI * PI)
#define DAYS_PER_YEAR 365.24

static double xs[N] = {0.0, 4.84143144246472090e+00, 8.34336671824457987e+00,
                       1.28943695621391310e+01, 1.53796971148509165e+01};
static double ys[N] = {0.0, -1.16032004402742839e+00, 4.12479856412430479e+00,
                       -1.51111514016986312e+01, -2.59193146099879641e+01};
static double zs[N] = {0.0, -1.03622044471123109e-01, -4.03523417114321381e-01,
                       -2.23307578892655734e-01, 1.79258772950371181e-01};
static double vxs[N], vys[N], vzs[N], masses[N];

static void init(void)
{
    static const double vx0[N] = {0.0, 1.66007664274403694e-03, -2.76742510726862411e-03,
                                  2.96460137564761618e-03, 2.68067772490389322e-03};
    static const double vy0[N] = {0.0, 7.69901118419740425e-03, 4.99852801234917238e-03,
                                  2.37847173959480950e-03, 1.62824170038242295e-03};
    static const double vz0[N] = {0.0, -6.90460016972063023e-05, 2.30417297573763929e-05,
                                  -2.96589568540237556e-05, -9.51592254519715870e-05};
    static const double m0[N] = {1.0, 9.54791938424326609e-04, 2.85885980666130812e-04,
                                 4.36624404335156298e-05, 5.15138902046611451e-05};
    for (int i = 0; i < N; i++) {
        vxs[i] = i ? vx0[i] * DAYS_PER_YEAR : 0.0;
        vys[i] = i ? vy0[i] * DAYS_PER_YEAR : 0.0;
        vzs[i] = i ? vz0[i] * DAYS_PER_YEAR : 0.0;
        masses[i] = i ? m0[i] * SOLAR_MASS : SOLAR_MASS;
    }
}

static void offset_momentum(double *vx, double *vy, double *vz, const double *mass, int n)
{
    double px = 0.0, py = 0.0, pz = 0.0;
    for (int i = 0; i < n; i++) {
        px += vx[i] * mass[i];
        py += vy[i] * mass[i];
        pz += vz[i] * mass[i];
    }
    vx[0] = -px / SOLAR_MASS;
    vy[0] = -py / SOLAR_MASS;
    vz[0] = -pz / SOLAR_MASS;
}

static double energy(const double *x, const double *y, const double *z, const double *vx,
                     const double *vy, const double *vz, const double *mass, int n)
{
    double e = 0.0;
    for (int i = 0; i < n; i++) {
        e += 0.5 * mass[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i]);
        for (int j = i + 1; j < n; j++) {
            double dx = x[i] - x[j], dy = y[i] - y[j], dz = z[i] - z[j];
            e -= mass[i] * mass[j] / pow(dx * dx + dy * dy + dz * dz, 0.5);
        }
    }
    return e;
}

static void advance(double *x, double *y, double *z, double *vx, double *vy, double *vz,
                    const double *mass, int n, double dt, long steps)
{
    for (long s = 0; s < steps; s++) {
        for (int i = 0; i < n; i++) {
            double xi = x[i], yi = y[i], zi = z[i];
            double vxi = vx[i], vyi = vy[i], vzi = vz[i], mi = mass[i];
            for (int j = i + 1; j < n; j++) {
                double dx = xi - x[j], dy = yi - y[j], dz = zi - z[j];
                double d2 = dx * dx + dy * dy + dz * dz;
                double mag = dt / (d2 * pow(d2, 0.5));
                double mj = mass[j] * mag;
                vxi -= dx * mj;
                vyi -= dy * mj;
                vzi -= dz * mj;
                double mi_mag = mi * mag;
                vx[j] += dx * mi_mag;
                vy[j] += dy * mi_mag;
                vz[j] += dz * mi_mag;
            }
            vx[i] = vxi;
            vy[i] = vyi;
            vz[i] = vzi;
        }
        for (int i = 0; i < n; i++) {
            x[i] += dt * vx[i];
            y[i] += dt * vy[i];
            z[i] += dt * vz[i];
        }
    }
}

/* Print like Python's print(round(e, 9)): the value to 9 decimals, trailing
   zeros dropped, at least one digit after the point (exact for |e| < 1e6,
   where the 9-decimal string is the shortest round-trip repr). */
static void print_round9(double e)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.9f", e);
    size_t len = strlen(buf);
    while (len > 0 && buf[len - 1] == '0')
        buf[--len] = '\0';
    if (len > 0 && buf[len - 1] == '.')
        strcpy(buf + len, "0");
    puts(buf);
}

int main(void)
{
    init();
    offset_momentum(vxs, vys, vzs, masses, N);
    print_round9(energy(xs, ys, zs, vxs, vys, vzs, masses, N));
    advance(xs, ys, zs, vxs, vys, vzs, masses, N, 0.01, 800000);
    print_round9(energy(xs, ys, zs, vxs, vys, vzs, masses, N));
    return 0;
}
