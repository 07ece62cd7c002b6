# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The house-purchase centre over XML-RPC (a stand-in XML-RPC server on
127.0.0.1) and the office system by file drop: visits and reservations,
tasks and approvals become interactions with their status."""
import csv
import tempfile
import threading
from pathlib import Path
from xmlrpc.server import SimpleXMLRPCServer

from trytond.modules.company.tests import create_company, set_company
from trytond.modules.crm_core.engine.dedup import contact_key
from trytond.modules.crm_core.tests.tools import DBTestCase
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction

from . import standin
from .tools import create_system, sync


class XmlRpcStandIn:
    "The purchase centre's own API: fetch(collection, page, per_page)"

    def __init__(self, data):
        self.data = data
        self.server = SimpleXMLRPCServer(('127.0.0.1', 0), allow_none=True,
            logRequests=False)
        self.server.register_function(self.fetch, 'fetch')
        self.url = 'http://127.0.0.1:%s/' % self.server.server_address[1]

    def fetch(self, collection, page, per_page, since=None):
        rows = self.data.get(collection, [])
        start = (page - 1) * per_page
        return {'data': rows[start:start + per_page],
            'pages': -(-len(rows) // per_page)}

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever,
            daemon=True).start()
        return self

    def __exit__(self, *args):
        self.server.shutdown()
        self.server.server_close()


class ConnectorTestCase(DBTestCase):
    module = 'crm_integration'

    @with_transaction()
    def test_purchase_centre_visits(self):
        "Visits of known customers, walk-ins made prospects, reservations"
        pool = Pool()
        Interaction = pool.get('crm.interaction')
        Party = pool.get('party.party')
        data = standin.generate(customers=10, orders_per_customer=0,
            visits=30, tasks=0, seed=4)
        company = create_company()
        with XmlRpcStandIn(data) as centre, set_company(company):
            system = create_system(centre.url, kind='purchase_centre',
                code='PC', transport='xmlrpc')
            customers, visits = sync(system)
            self.assertEqual([customers.state, visits.state],
                ['done', 'done'])
            self.assertEqual(visits.rows_read, 30)
            walk_ins = [v for v in data['visits'] if not v['customer_id']]
            self.assertTrue(walk_ins)
            # reservations name units the CRM does not know: no origin
            self.assertEqual(visits.created, 30, [
                    e.message for e in visits.errors])
            logged = Interaction.search([('channel', '=', 'visit')])
            self.assertEqual(len(logged), 30)
            self.assertEqual(
                sorted(i.outcome for i in logged),
                sorted(v['kind'] for v in data['visits']))
            for mobile in {v['mobile'] for v in walk_ins}:
                walk_in, = Party.search([
                        ('contact_mechanisms.dedup_key', '=',
                            contact_key('mobile', mobile))])
                self.assertEqual(walk_in.lifecycle_stage, 'prospect')
                self.assertNotIn(walk_in.id, [
                        i.party.id for i in Interaction.search([
                                ('channel', '!=', 'visit')])])
            self.assertEqual(sync(system)[1].skipped, 30)
            self.assertEqual(
                Interaction.search_count([('channel', '=', 'visit')]), 30)

    @with_transaction()
    def test_office_tasks_by_file_drop(self):
        "Tasks of customers another system imported, with their status"
        pool = Pool()
        Interaction = pool.get('crm.interaction')
        data = standin.generate(customers=8, orders_per_customer=0,
            visits=0, tasks=12, seed=6)
        company = create_company()
        with standin.StandIn(data).start() as shop, \
                tempfile.TemporaryDirectory() as directory, \
                set_company(company):
            sync(create_system(shop.url))
            with open(Path(directory) / 'tasks.csv', 'w', newline='',
                    encoding='utf-8-sig') as f:
                writer = csv.DictWriter(f, list(data['tasks'][0]))
                writer.writeheader()
                writer.writerows(data['tasks'])
            office = create_system(directory, kind='office', code='OA',
                transport='file')
            tasks, = sync(office)
            self.assertEqual((tasks.state, tasks.created, tasks.failed),
                ('done', 12, 0))
            logged = Interaction.search([('channel', '=', 'office')])
            self.assertEqual(
                sorted((i.subject, i.outcome, i.follow_up_done)
                    for i in logged),
                sorted((t['subject'], t['status'], t['status'] != 'open')
                    for t in data['tasks']))

            # the office system closes a task: the next sync updates it
            opened = next(t for t in data['tasks'] if t['status'] == 'open')
            opened['status'] = 'done'
            with open(Path(directory) / 'tasks.csv', 'w', newline='',
                    encoding='utf-8-sig') as f:
                writer = csv.DictWriter(f, list(data['tasks'][0]))
                writer.writeheader()
                writer.writerows(data['tasks'])
            tasks, = sync(office)
            self.assertEqual((tasks.updated, tasks.skipped), (1, 11))
            done, = Interaction.search([('subject', '=', opened['subject']),
                    ('channel', '=', 'office')])
            self.assertTrue(done.follow_up_done)
