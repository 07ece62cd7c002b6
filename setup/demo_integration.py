"""Demo data of crm_integration (when it is activated): a property-
management system whose projects, buildings and units are dropped as CSV
files under var/dropbox/pms and imported by a real sync job, a sales
system pointing at the stand-in server of the tests, and the recommended
units of the demo customers who stated wishes."""
import csv
import random
from pathlib import Path

from trytond.pool import Pool
from trytond.transaction import Transaction

import demo_names as N

ROOT = Path(__file__).resolve().parent.parent
DROPBOX = ROOT / 'var' / 'dropbox' / 'pms'
CITIES = {'上海市': 95000, '北京市': 85000}  # yuan per square metre
ORIENTATIONS = ['南', '南北', '东南', '西南', '东', '西']
ESTATE_WORDS = ['花园', '雅苑', '名邸', '公馆', '新城', '华庭']


def property_rows(seed=1):
    "Projects, buildings and units in the districts of the demo cities"
    rng = random.Random(seed)
    projects, buildings, units = [], [], []
    for city in N.CITIES:
        if city[0] not in CITIES:
            continue
        for district in city[7].split():
            code = 'PRJ%02d' % (len(projects) + 1)
            projects.append({'code': code, 'district': district,
                    'name': district[:2] + rng.choice(ESTATE_WORDS),
                    'city': city[0].rstrip('市')})
            for b in range(1, 3):
                building = '%s-B%d' % (code, b)
                buildings.append({'code': building, 'project': code,
                        'name': '%d号楼' % b})
                for n in range(8):
                    rooms = rng.choice([1, 2, 2, 3, 3, 4])
                    area = rng.randrange(40, 60) + 25 * rooms
                    floor = rng.randint(2, 30)
                    usage = 'rent' if rng.random() < .2 else 'sale'
                    price = (area * CITIES[city[0]] * rng.uniform(.85, 1.2)
                        if usage == 'sale' else area * rng.randint(90, 160))
                    units.append({
                            'id': 'U%05d' % (len(units) + 1),
                            'project': code, 'building': building,
                            'unit_no': '%d-%d%02d' % (b, floor, n + 1),
                            'usage': usage, 'rooms': rooms,
                            'halls': 1 + (rooms > 2), 'baths': 1 + (rooms > 3),
                            'area': '%.2f' % area, 'floor': floor,
                            'orientation': rng.choice(ORIENTATIONS),
                            'price': '%.2f' % round(price, -3),
                            'status': rng.choices(
                                ['available', 'reserved', 'sold', 'let'],
                                [70, 10, 15, 5])[0],
                            })
    return projects, buildings, units


def write_drop(directory=DROPBOX):
    directory.mkdir(parents=True, exist_ok=True)
    for name, rows in zip(['projects', 'buildings', 'units'],
            property_rows()):
        with open(directory / (name + '.csv'), 'w', newline='',
                encoding='utf-8-sig') as f:
            writer = csv.DictWriter(f, list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)


def load_integration(loader):
    "Create what is missing; return the number of units"
    pool = Pool()
    try:
        System = pool.get('crm.integration.system')
    except KeyError:
        return 0
    Job = pool.get('crm.integration.job')
    Party = pool.get('party.party')
    Property = pool.get('crm.property')
    Match = pool.get('crm.property.match')
    company = loader.context['company']
    write_drop()
    systems = loader.ensure(System, [{
                'code': 'DEMO-PMS', 'name': "物业管理系统（演示）",
                'kind': 'property', 'transport': 'file',
                'endpoint': str(DROPBOX), 'page_size': 100,
                'company': company,
                }, {
                'code': 'DEMO-SALES', 'name': "销售系统（演示）",
                'kind': 'sales', 'transport': 'rest',
                'endpoint': 'http://127.0.0.1:8765',
                'secret': 's3cret-token', 'page_size': 500,
                'company': company,
                }])
    with Transaction().set_context(_integration_no_commit=True):
        jobs = Job.plan([System(systems['DEMO-PMS'])], 'import')
        Job.process(jobs)
    wishing = Party.search([
            ('code', 'like', 'DEMO-%'),
            ['OR', ('wish_budget_max', '!=', None),
                ('wish_rooms', '!=', None)],
            ])
    Match.refresh_parties(wishing)
    return Property.search_count([])
