# Independent NumPy cross-check of the random-walk curves (Sutton & Barto 2018, Example 6.2).
# Not a dependency of the toolkit: run it by hand to compare with random-walk.csv.
import numpy as np
rng=np.random.default_rng(0)
true=np.arange(1,6)/6
def run(method,alpha,eps=100):
    V=np.zeros(7); V[1:6]=0.5; V[6]=0  # terminal values 0; reward 1 on right
    errs=[np.sqrt(np.mean((V[1:6]-true)**2))]
    for e in range(eps):
        s=3; traj=[3]; 
        while s not in (0,6):
            s2=s+(1 if rng.random()<0.5 else -1)
            r=1.0 if s2==6 else 0.0
            if method=='TD': V[s]+=alpha*(r+V[s2]-V[s])
            s=s2; traj.append(s)
        if method=='MC':
            G=1.0 if s==6 else 0.0
            for st in traj[:-1]: V[st]+=alpha*(G-V[st])
        errs.append(np.sqrt(np.mean((V[1:6]-true)**2)))
    return np.array(errs)
for m,a in [('TD',.05),('TD',.1),('TD',.15),('MC',.01),('MC',.02),('MC',.03),('MC',.04)]:
    E=np.mean([run(m,a) for _ in range(300)],axis=0)
    print(m,a,E[[0,10,25,50,100]].round(3))
