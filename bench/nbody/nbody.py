# N-body simulation of the Jovian planets (the Benchmarks Game algorithm),
# written with plain lists of floats: float arithmetic, list indexing, loops.

PI = 3.14159265358979323
SOLAR_MASS = 4.0 * PI * PI
DAYS_PER_YEAR = 365.24

# Sun, Jupiter, Saturn, Uranus, Neptune.
xs = [0.0, 4.84143144246472090e+00, 8.34336671824457987e+00,
      1.28943695621391310e+01, 1.53796971148509165e+01]
ys = [0.0, -1.16032004402742839e+00, 4.12479856412430479e+00,
      -1.51111514016986312e+01, -2.59193146099879641e+01]
zs = [0.0, -1.03622044471123109e-01, -4.03523417114321381e-01,
      -2.23307578892655734e-01, 1.79258772950371181e-01]
vxs = [0.0, 1.66007664274403694e-03 * DAYS_PER_YEAR,
       -2.76742510726862411e-03 * DAYS_PER_YEAR,
       2.96460137564761618e-03 * DAYS_PER_YEAR,
       2.68067772490389322e-03 * DAYS_PER_YEAR]
vys = [0.0, 7.69901118419740425e-03 * DAYS_PER_YEAR,
       4.99852801234917238e-03 * DAYS_PER_YEAR,
       2.37847173959480950e-03 * DAYS_PER_YEAR,
       1.62824170038242295e-03 * DAYS_PER_YEAR]
vzs = [0.0, -6.90460016972063023e-05 * DAYS_PER_YEAR,
       2.30417297573763929e-05 * DAYS_PER_YEAR,
       -2.96589568540237556e-05 * DAYS_PER_YEAR,
       -9.51592254519715870e-05 * DAYS_PER_YEAR]
masses = [SOLAR_MASS, 9.54791938424326609e-04 * SOLAR_MASS,
          2.85885980666130812e-04 * SOLAR_MASS,
          4.36624404335156298e-05 * SOLAR_MASS,
          5.15138902046611451e-05 * SOLAR_MASS]


def offset_momentum(vx, vy, vz, mass, n):
    px = 0.0
    py = 0.0
    pz = 0.0
    for i in range(n):
        px += vx[i] * mass[i]
        py += vy[i] * mass[i]
        pz += vz[i] * mass[i]
    vx[0] = -px / SOLAR_MASS
    vy[0] = -py / SOLAR_MASS
    vz[0] = -pz / SOLAR_MASS


def energy(x, y, z, vx, vy, vz, mass, n):
    e = 0.0
    for i in range(n):
        e += 0.5 * mass[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i])
        for j in range(i + 1, n):
            dx = x[i] - x[j]
            dy = y[i] - y[j]
            dz = z[i] - z[j]
            e -= mass[i] * mass[j] / ((dx * dx + dy * dy + dz * dz) ** 0.5)
    return e


def advance(x, y, z, vx, vy, vz, mass, n, dt, steps):
    s = 0
    while s < steps:
        for i in range(n):
            xi = x[i]
            yi = y[i]
            zi = z[i]
            vxi = vx[i]
            vyi = vy[i]
            vzi = vz[i]
            mi = mass[i]
            for j in range(i + 1, n):
                dx = xi - x[j]
                dy = yi - y[j]
                dz = zi - z[j]
                d2 = dx * dx + dy * dy + dz * dz
                mag = dt / (d2 * (d2 ** 0.5))
                mj = mass[j] * mag
                vxi -= dx * mj
                vyi -= dy * mj
                vzi -= dz * mj
                mi_mag = mi * mag
                vx[j] += dx * mi_mag
                vy[j] += dy * mi_mag
                vz[j] += dz * mi_mag
            vx[i] = vxi
            vy[i] = vyi
            vz[i] = vzi
        for i in range(n):
            x[i] += dt * vx[i]
            y[i] += dt * vy[i]
            z[i] += dt * vz[i]
        s += 1


def main():
    n = len(masses)
    steps = 800000
    offset_momentum(vxs, vys, vzs, masses, n)
    print(round(energy(xs, ys, zs, vxs, vys, vzs, masses, n), 9))
    advance(xs, ys, zs, vxs, vys, vzs, masses, n, 0.01, steps)
    print(round(energy(xs, ys, zs, vxs, vys, vzs, masses, n), 9))


main()
