# Independent re-implementation (plain Python, written from COINr's documented conventions,
# not from gti's code) of min-max [0,100] + weighted arithmetic mean over the children present,
# on COINr's ASEM panel. Prints Index and pillar scores for a few units, per-year and pooled.
import csv, math
D='tests/data/coinr-asem/'  # run from the repository root
meta=list(csv.DictReader(open(D+'ASEM_iMeta.csv')))
rows=list(csv.DictReader(open(D+'ASEM_iData_p.csv')))
ind=[m for m in meta if m['Type']=='Indicator']
agg=[m for m in meta if m['Type']=='Aggregate']
def num(s): return None if s in ('NA','') else float(s)
years=sorted({int(r['Time']) for r in rows})
def normalised(pooled):
    out={}
    for m in ind:
        c=m['iCode']; d=float(m['Direction'])
        def sample(y): return [d*num(r[c]) for r in rows if (pooled or int(r['Time'])==y) and num(r[c]) is not None]
        for r in rows:
            y=int(r['Time']); v=num(r[c])
            s=sample(y); lo,hi=min(s),max(s)
            out[(r['uCode'],y,c)]=None if v is None else (d*v-lo)/(hi-lo)*100
    return out
def aggregate(vals):
    levels=sorted({int(m['Level']) for m in agg})
    for L in levels:
        for m in [m for m in agg if int(m['Level'])==L]:
            kids=[k for k in meta if k['Parent']==m['iCode'] and k['Type'] in ('Indicator','Aggregate')]
            for r in rows:
                u,y=r['uCode'],int(r['Time'])
                pres=[(vals[(u,y,k['iCode'])],float(k['Weight'])) for k in kids if vals[(u,y,k['iCode'])] is not None]
                vals[(u,y,m['iCode'])]=sum(v*w for v,w in pres)/sum(w for v,w in pres) if pres else None
    return vals
for label,pooled in (('year',False),('panel',True)):
    v=aggregate(normalised(pooled))
    for u in ('AUT','BGD','JPN'):
        for y in (2018,2020,2022):
            print(label,u,y,'Index',repr(v[(u,y,'Index')]),'Conn',repr(v[(u,y,'Conn')]),'LPI',repr(v[(u,y,'LPI')]))
