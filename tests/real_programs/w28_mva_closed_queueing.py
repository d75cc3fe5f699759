"""Capacity planning for a three-tier web service with exact Mean Value Analysis of a closed
queueing network: service demands per station in a list of floats, the recursion over the number
of users with plain Python lists and sum() over generators, a think-time delay station, an early
return when the demand is trivial; the loss combines the response time at the design population
with a utilisation limit, differentiated w.r.t. the service demands and the think time."""
import numpy as np


def mva(demands, think_time, n_users):
    queue = [0.0 for _ in demands]
    resp, throughput = 0.0, 0.0
    for n in range(1, n_users + 1):
        r_station = [d * (1.0 + q) for d, q in zip(demands, queue)]
        resp = sum(r_station)
        throughput = n / (think_time + resp)
        queue = [throughput * r for r in r_station]
    return resp, throughput, queue


def design_loss(demands, think_time, n_users=40, sla=1.5, u_max=0.85):
    if sum(demands) < 1e-6:
        return 0.0
    resp, x, queue = mva(demands, think_time, n_users)
    utilisation = [x * d for d in demands]
    over = sum(np.log1p(np.exp(50.0 * (u - u_max))) / 50.0 for u in utilisation)
    # stations listed front-to-back; report from the database upwards
    report = []
    for name, q in zip(reversed(["web", "app", "db"]), reversed(queue)):
        report.append(f"{name}: {q:.2f} in queue")
    print("; ".join(report))
    return (resp / sla) ** 2 + 10.0 * over - 0.01 * x


f = design_loss
KW = dict(wrt=("demands", "think_time"))
ARGS = ([0.012, 0.035, 0.028], 3.0)
