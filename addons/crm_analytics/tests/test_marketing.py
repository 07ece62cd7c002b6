# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Campaign return on a hand-worked example."
import datetime as dt
from decimal import Decimal

from trytond.modules.company.tests import create_company, set_company
from trytond.modules.crm_analytics.exceptions import CampaignError
from trytond.modules.crm_core.tests.tools import DBTestCase, create_customer
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

D = dt.date


class MarketingTestCase(DBTestCase):
    "Marketing campaigns and their return"
    module = 'crm_analytics'

    def purchase(self, company, party, date, amount):
        Purchase = Pool().get('crm.purchase')
        Purchase.create([{
                    'company': company.id, 'party': party.id, 'date': date,
                    'quantity': 1, 'amount': Decimal(amount),
                    'currency': company.currency.id}])

    @with_transaction()
    def test_return_window_last_touch_and_control(self):
        "ROI, control group and last-touch attribution, worked by hand"
        pool = Pool()
        Segment = pool.get('crm.segment')
        Campaign = pool.get('crm.marketing.campaign')
        Interaction = pool.get('crm.interaction')
        Roi = pool.get('crm.marketing.campaign.roi')
        ChannelRoi = pool.get('crm.marketing.campaign.roi.channel')
        company = create_company()
        with set_company(company):
            segment, other = Segment.create([{'name': "Young families"},
                    {'name': "Investors"}])
            a, b, c, d, e = [create_customer(n, segment=segment.id)
                for n in 'ABCDE']
            f = create_customer('F', segment=other.id)
            spring, call, idle = Campaign.create([{
                        'name': "Spring", 'channel': 'sms',
                        'start_date': D(2025, 3, 1),
                        'end_date': D(2025, 3, 31), 'attribution_days': 10,
                        'target_segment': segment.id,
                        'costs': [('create', [
                                    {'description': "SMS", 'amount': 300},
                                    {'description': "Design",
                                        'amount': 200}])],
                        }, {
                        'name': "Call", 'channel': 'phone',
                        'attribution': 'last_touch',
                        'start_date': D(2025, 3, 1),
                        'end_date': D(2025, 3, 31), 'attribution_days': 10,
                        'targets': [('add', [a.id, b.id])],
                        'costs': [('create', [
                                    {'description': "Calls",
                                        'amount': 100}])],
                        }, {
                        'name': "Never started", 'channel': 'email',
                        'start_date': D(2025, 3, 1),
                        'end_date': D(2025, 3, 31),
                        'targets': [('add', [a.id])],
                        'costs': [('create', [
                                    {'description': "Mail", 'amount': 1}])],
                        }])
            self.assertEqual(spring.attribution_end, D(2025, 4, 10))
            with self.assertRaises(CampaignError):
                Campaign.start([spring])  # no targets yet
            Campaign.select_targets([spring])
            self.assertEqual(set(spring.targets), {a, b, c, d, e})
            Campaign.write([spring], {'targets': [('remove', [d.id, e.id])]})
            Campaign.start([spring, call])

            self.purchase(company, a, D(2025, 3, 5), 1000)
            self.purchase(company, a, D(2025, 4, 9), 200)
            self.purchase(company, a, D(2025, 4, 20), 999)  # after window
            self.purchase(company, b, D(2025, 2, 20), 777)  # before start
            self.purchase(company, d, D(2025, 3, 10), 300)  # control
            self.purchase(company, f, D(2025, 3, 10), 5000)  # other segment
            Interaction.create([{
                        'party': a.id, 'channel': 'phone',
                        'subject': "Offer", 'marketing_campaign': call.id,
                        'date': dt.datetime(2025, 3, 4, 15),
                        }, {
                        'party': a.id, 'channel': 'social',
                        'subject': "Reminder",
                        'marketing_campaign': spring.id,
                        'date': dt.datetime(2025, 4, 1, 9),
                        }])

            with Transaction().set_context(company=company.id):
                rows = {r.campaign: r for r in Roi.search([])}
                channels = {r.channel: r for r in ChannelRoi.search([])}
            self.assertEqual(set(rows), {spring, call})
            row = rows[spring]
            self.assertEqual(
                (row.cost, row.targeted, row.buyers, row.revenue),
                (500, 3, 1, 1200))
            self.assertEqual((row.control_customers, row.control_revenue),
                (2, 150))
            self.assertEqual(row.incremental_revenue, 1200 - 3 * 150)
            self.assertAlmostEqual(row.roi, 140.0)
            self.assertAlmostEqual(row.incremental_roi, 50.0)
            row = rows[call]
            # last touch: the 9 April purchase followed Spring's reminder
            self.assertEqual((row.cost, row.buyers, row.revenue),
                (100, 1, 1000))
            self.assertAlmostEqual(row.roi, 900.0)
            self.assertIsNone(row.incremental_roi)
            self.assertEqual(
                {k: (r.campaigns, r.cost, r.revenue, round(r.roi, 2))
                    for k, r in channels.items()},
                {'sms': (1, 500, 1200, 140.0),
                    'phone': (1, 100, 1000, 900.0)})

    @with_transaction()
    def test_start_refused_without_cost(self):
        "A campaign without cost cannot start: its return is undefined"
        pool = Pool()
        Campaign = pool.get('crm.marketing.campaign')
        company = create_company()
        with set_company(company):
            customer = create_customer('A')
            free, = Campaign.create([{
                        'name': "Free", 'channel': 'email',
                        'start_date': D(2025, 1, 1),
                        'end_date': D(2025, 1, 31),
                        'targets': [('add', [customer.id])],
                        'costs': [('create', [
                                    {'description': "Nothing",
                                        'amount': 0}])],
                        }])
            with self.assertRaises(CampaignError) as cm:
                Campaign.start([free])
            self.assertIn("Free", cm.exception.message)
            self.assertEqual(Campaign(free.id).state, 'draft')
