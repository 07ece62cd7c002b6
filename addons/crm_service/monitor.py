# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Live supervisor views: one row per queue and per agent, in SQL."
import datetime as dt

from sql import Literal, Null
from sql.aggregate import Avg, Count, Min, Sum
from sql.conditionals import Case, Coalesce

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool

from .agent import PRESENCES
from .ticket import OPEN_STATES


def _today_start():
    return dt.datetime.combine(dt.date.today(), dt.time())


class QueueMonitor(ModelSQL, ModelView):
    __name__ = 'crm.service.queue.monitor'
    __string__ = "Queue Monitor"
    queue = fields.Many2One('crm.service.queue', "Queue")
    centre = fields.Many2One('crm.service.centre', "Centre")
    waiting = fields.Integer("Waiting")
    oldest_wait = fields.DateTime("Waiting Since")
    open = fields.Integer("Open")
    breaching = fields.Integer("About to Breach or Breached")

    @classmethod
    def table_query(cls):
        pool = Pool()
        Ticket = pool.get('crm.ticket')
        Queue = pool.get('crm.service.queue')
        ticket = Ticket.__table__()
        queue = Queue.__table__()
        is_open = ticket.state.in_(OPEN_STATES)
        waiting = (ticket.state == 'new') & (ticket.agent == Null)

        def count(condition):
            return Sum(Case((condition, 1), else_=0))
        return queue.join(ticket, 'LEFT',
            condition=(ticket.queue == queue.id) & is_open).select(
                queue.id.as_('id'),
                queue.id.as_('queue'),
                queue.centre.as_('centre'),
                Coalesce(count(waiting), 0).as_('waiting'),
                Min(Case((waiting, ticket.create_time))).as_('oldest_wait'),
                Count(ticket.id).as_('open'),
                Coalesce(count(ticket.sla_state.in_(
                            ['warning', 'breached'])), 0).as_('breaching'),
                where=queue.active == Literal(True),
                group_by=[queue.id, queue.centre])


class AgentMonitor(ModelSQL, ModelView):
    __name__ = 'crm.service.agent.monitor'
    __string__ = "Agent Monitor"
    agent = fields.Many2One('crm.service.agent', "Agent")
    centre = fields.Many2One('crm.service.centre', "Centre")
    presence = fields.Selection(PRESENCES, "Presence")
    open = fields.Integer("Open Tickets")
    capacity = fields.Integer("Capacity")
    handled_today = fields.Integer("Handled Today")
    handling_today = fields.Float(
        "Average Handling Today (min)", digits=(16, 1))

    @classmethod
    def table_query(cls):
        pool = Pool()
        Ticket = pool.get('crm.ticket')
        Agent = pool.get('crm.service.agent')
        ticket = Ticket.__table__()
        agent = Agent.__table__()
        today = ticket.resolved_time >= _today_start()
        return agent.join(ticket, 'LEFT',
            condition=ticket.agent == agent.id).select(
                agent.id.as_('id'),
                agent.id.as_('agent'),
                agent.centre.as_('centre'),
                agent.presence.as_('presence'),
                agent.capacity.as_('capacity'),
                Coalesce(Sum(Case(
                            (ticket.state.in_(OPEN_STATES), 1),
                            else_=0)), 0).as_('open'),
                Coalesce(Sum(Case((today, 1), else_=0)), 0).as_(
                    'handled_today'),
                (Avg(Case((today, ticket.handling_seconds))) / 60.0).as_(
                    'handling_today'),
                where=agent.active == Literal(True),
                group_by=[agent.id, agent.centre, agent.presence,
                    agent.capacity])
