# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Two agents taking the same ticket at once, on two real connections."
import threading

from trytond import backend
from trytond.modules.company.tests import create_company, set_company
from trytond.modules.crm_core.tests.tools import DBTestCase, create_customer
from trytond.modules.crm_service.exceptions import TicketTakenError
from trytond.modules.crm_service.tests.tools import create_agent, create_centre
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME
from trytond.transaction import Transaction

RETRIES = 5


class TakeConcurrencyTestCase(DBTestCase):
    "Exactly one of two simultaneous takers gets the ticket"
    module = 'crm_service'

    def setUp(self):
        super().setUp()
        if backend.name != 'postgresql':
            self.skipTest("needs PostgreSQL: SQLite runs one writer at a time")

    def _committed_ticket(self):
        "A new ticket nobody holds and two agents, committed"
        with Transaction().start(DB_NAME, 0) as transaction:
            Ticket = Pool().get('crm.ticket')
            company = create_company()
            with set_company(company):
                centre, queue, skill = create_centre(company)
                agents = [
                    create_agent(centre, skill, name, presence='away')
                    for name in ["First Taker", "Second Taker"]]
                ticket, = Ticket.create([{
                            'centre': centre.id, 'queue': queue.id,
                            'party': create_customer('A').id,
                            'subject': "Leak", 'channel': 'phone'}])
                result = (company.id, ticket.id,
                    [(a.id, a.employee.id, a.rec_name) for a in agents])
            transaction.commit()
        return result

    def _take(self, company_id, ticket_id, employee_id, barrier, outcome):
        """Take the ticket in a transaction of this thread, retried on a
        serialization failure as trytond's RPC dispatcher does."""
        barrier.wait(timeout=60)
        for _ in range(RETRIES):
            with Transaction().start(DB_NAME, 0, context={
                        'company': company_id,
                        'employee': employee_id}) as transaction:
                Ticket = Pool().get('crm.ticket')
                try:
                    Ticket.take([Ticket(ticket_id)])
                    transaction.commit()
                except TicketTakenError as error:
                    transaction.rollback()
                    outcome[employee_id] = error.message
                    return
                except backend.DatabaseOperationalError:
                    transaction.rollback()
                    continue
                outcome[employee_id] = 'taken'
                return
        outcome[employee_id] = 'gave up'

    def test_two_takers_one_winner(self):
        company_id, ticket_id, agents = self._committed_ticket()
        for _ in range(3):
            barrier = threading.Barrier(len(agents))
            outcome = {}
            threads = [threading.Thread(
                    target=self._take,
                    args=(company_id, ticket_id, employee_id, barrier,
                        outcome))
                for _, employee_id, _ in agents]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
            self.assertEqual(len(outcome), 2, outcome)
            winners = [e for e, o in outcome.items() if o == 'taken']
            self.assertEqual(len(winners), 1, outcome)
            loser, = set(outcome) - set(winners)
            winner_name = next(n for _, e, n in agents if e == winners[0])
            # the loser is told who has the ticket
            self.assertIn(winner_name, outcome[loser])
            with Transaction().start(DB_NAME, 0) as transaction:
                Ticket = Pool().get('crm.ticket')
                ticket = Ticket(ticket_id)
                self.assertEqual(ticket.state, 'assigned')
                self.assertEqual(ticket.agent.employee.id, winners[0])
                # free the ticket for the next round
                Ticket.write([ticket], {'agent': None, 'state': 'new'})
                transaction.commit()
