# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"With crm_service: tickets opened through the API, tickets exported."
from trytond.i18n import gettext
from trytond.pool import Pool, PoolMeta

from trytond.modules.crm_core.common import CHANNELS

from .engine.validate import Field
from .exceptions import ApiError

TICKET = {
    'external_id': Field('str', max_length=64, nullable=True),
    'customer': Field('str', required=True, max_length=64),
    'channel': Field(
        'str', required=True, choices=[c for c, _ in CHANNELS]),
    'type': Field('str', choices=[
            'inquiry', 'complaint', 'feedback', 'repair', 'dispute',
            'defective', 'order_tracking'], nullable=True),
    'priority': Field(
        'str', choices=['low', 'normal', 'high', 'urgent'], nullable=True),
    'subject': Field('str', required=True, max_length=200),
    'description': Field('str', max_length=10000, nullable=True),
    'queue': Field('str', max_length=120, nullable=True),
    }


class Api(metaclass=PoolMeta):
    __name__ = 'crm.api'

    @classmethod
    def open_ticket(cls, system_code, ticket):
        """Open a service ticket for a customer of the system; it is
        routed like any other.  With an external_id a ticket sent twice
        is opened once.  Returns id, number, state and status."""
        pool = Pool()
        Ticket = pool.get('crm.ticket')
        Queue = pool.get('crm.service.queue')
        Link = pool.get('crm.integration.link')
        system = cls._system(system_code)
        values = cls._validate(ticket, TICKET, 'ticket')
        with cls._as_root(system):
            party = cls._party(system, values.pop('customer'))
            external_id = values.pop('external_id', None)
            if external_id:
                known = Link.lookup(system, 'ticket', [external_id])
                if external_id in known:
                    record = Ticket(known[external_id][0])
                    return cls._ticket_result(record, 'unchanged')
            domain = [('centre.company', '=', system.company.id)]
            queue_name = values.pop('queue', None)
            if queue_name:
                domain.append(('name', '=', queue_name))
            queues = Queue.search(domain, limit=1, order=[('id', 'ASC')])
            if not queues:
                raise ApiError('not_found', gettext(
                        'crm_integration.msg_api_queue_unknown',
                        queue=queue_name or ''))
            queue, = queues
            values = {k: v for k, v in values.items() if v is not None}
            values.update(party=party.id, company=system.company.id,
                centre=queue.centre.id, queue=queue.id)
            record, = Ticket.create([values])
            if external_id:
                Link.store(system, 'ticket', 'crm.ticket',
                    [(external_id, record.id, None)])
            return cls._ticket_result(Ticket(record.id), 'created')

    @staticmethod
    def _ticket_result(ticket, status):
        return {'id': ticket.id, 'number': ticket.number,
            'state': ticket.state, 'status': status,
            'agent': ticket.agent.rec_name if ticket.agent else None}

    @classmethod
    def _card(cls, system, party):
        Ticket = Pool().get('crm.ticket')
        card = super()._card(system, party)
        card['open_tickets'] = [{
                'id': t.id, 'number': t.number, 'subject': t.subject,
                'state': t.state, 'priority': t.priority,
                'received': t.create_time}
            for t in Ticket.search([
                    ('party', '=', party.id),
                    ('state', 'not in', ['resolved', 'closed']),
                    ])]
        return card


class Job(metaclass=PoolMeta):
    __name__ = 'crm.integration.job'

    def export_model(self):
        if self.record_type == 'ticket_export':
            return 'crm.ticket'
        return super().export_model()

    def export_records(self):
        if self.record_type == 'ticket_export':
            return self._export_tickets()
        return super().export_records()

    def _export_tickets(self):
        "The company's tickets of customers known to the system"
        pool = Pool()
        Ticket = pool.get('crm.ticket')
        Link = pool.get('crm.integration.link')
        customers = {}
        for link in Link.search([
                    ('record_type', '=', 'customer'),
                    ('model', '=', 'party.party'),
                    ], order=[('system', 'ASC')]):
            customers.setdefault(link.record_id, link.external_id)
        tickets = Ticket.search([
                ('company', '=', self.system.company.id),
                ('party', 'in', list(customers)),
                ], order=[('id', 'ASC')])
        return [(t.id, t.number, {
                    'number': t.number,
                    'customer_id': customers[t.party.id],
                    'subject': t.subject,
                    'type': t.type,
                    'priority': t.priority,
                    'state': t.state,
                    'resolution': t.resolution or '',
                    'received': t.create_time.isoformat()
                    if t.create_time else '',
                    }) for t in tickets]
