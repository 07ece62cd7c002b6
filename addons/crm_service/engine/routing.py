# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Skill-based routing of tickets to agents.

Tickets are served by priority (urgent first), complaints first, higher
customer value tier first, then oldest first.  Each goes to the eligible
agent with the lowest load relative to capacity, then the highest skill
level over what the ticket needs, then the longest idle, then the lowest
id.

>>> import datetime as dt
>>> t0 = dt.datetime(2024, 1, 1)
>>> expert = Agent(id=1, channels=frozenset(), skills={7: 5},
...     queues=frozenset(), capacity=2, load=0, idle_since=t0)
>>> junior = Agent(id=2, channels=frozenset({'email'}), skills={7: 3},
...     queues=frozenset({1}), capacity=2, load=1, idle_since=t0)
>>> ticket = Ticket(id=10, channel='email', queue=1, skills={7: 3},
...     priority='normal', value_tier=None, complaint=False, received=t0)
>>> assign([ticket], [expert, junior])
{10: 1}
"""
import datetime as dt
import heapq
from dataclasses import dataclass

PRIORITIES = ['urgent', 'high', 'normal', 'low']
# crm_core's party.value_tier is 'a' (key) to 'd' (low).
VALUE_TIERS = {
    'vip': 0, 'a': 0,
    'high': 1, 'b': 1,
    'medium': 2, 'c': 2,
    'low': 3, 'd': 3,
    }
_PRIORITY_RANK = {p: i for i, p in enumerate(PRIORITIES)}


@dataclass(frozen=True, kw_only=True)
class Agent:
    id: int
    channels: frozenset  # empty: all channels
    skills: dict  # {skill: level 1..5}
    queues: frozenset  # empty: all queues
    capacity: int
    load: int
    idle_since: dt.datetime


@dataclass(frozen=True, kw_only=True)
class Ticket:
    id: int
    channel: str
    queue: int
    skills: dict  # {skill: minimum level}
    priority: str
    value_tier: str | None
    complaint: bool
    received: dt.datetime


def _qualified(ticket, agent):
    "Whether the agent may take the ticket, whatever the load."
    return ((not agent.channels or ticket.channel in agent.channels)
        and (not agent.queues or ticket.queue in agent.queues)
        and all(s in agent.skills and agent.skills[s] >= level
            for s, level in ticket.skills.items()))


def eligible(ticket, agent):
    return agent.load < agent.capacity and _qualified(ticket, agent)


def surplus(ticket, agent):
    "How far the agent's skills exceed what the ticket needs (>= 0)."
    return sum(agent.skills[s] - level for s, level in ticket.skills.items())


def ticket_order_key(ticket):
    return (
        _PRIORITY_RANK.get(ticket.priority, len(PRIORITIES)),
        not ticket.complaint,
        VALUE_TIERS.get(ticket.value_tier, len(VALUE_TIERS)),
        ticket.received,
        ticket.id)


def assign(tickets, agents):
    """{ticket id: agent id} of the tickets that an agent can take.

    The agents' loads grow with each assignment; the inputs are left as
    they are.
    """
    agents = list(agents)
    loads = [a.load for a in agents]
    by_queue, anywhere = {}, []
    for i, agent in enumerate(agents):
        if agent.load >= agent.capacity:
            continue
        if agent.queues:
            for queue in agent.queues:
                by_queue.setdefault(queue, []).append(i)
        else:
            anywhere.append(i)
    # One heap of candidates per kind of ticket, with lazily refreshed
    # loads: a load only grows, so a stale entry never ranks too low.
    heaps, result = {}, {}
    for ticket in sorted(tickets, key=ticket_order_key):
        kind = (ticket.channel, ticket.queue,
            frozenset(ticket.skills.items()))
        if kind not in heaps:
            heaps[kind] = _candidates(ticket, agents, loads,
                by_queue.get(ticket.queue, []) + anywhere)
        best = _pop_best(heaps[kind], agents, loads)
        if best is None:
            continue
        gap, i = best
        result[ticket.id] = agents[i].id
        loads[i] += 1
        if loads[i] < agents[i].capacity:
            heapq.heappush(heaps[kind], _key(gap, i, agents, loads))
    return result


def _candidates(ticket, agents, loads, indices):
    heap = []
    for i in indices:
        agent = agents[i]
        if loads[i] < agent.capacity and _qualified(ticket, agent):
            heap.append(_key(surplus(ticket, agent), i, agents, loads))
    heapq.heapify(heap)
    return heap


def _key(gap, i, agents, loads):
    agent = agents[i]
    return (loads[i] / agent.capacity, -gap,
        agent.idle_since or dt.datetime.min, agent.id, i, loads[i])


def _pop_best(heap, agents, loads):
    "(surplus, index) of the best agent, taken out of the heap, or None."
    while heap:
        _, gap, _, _, i, load = heapq.heappop(heap)
        gap = -gap
        if load == loads[i]:
            return gap, i
        if loads[i] < agents[i].capacity:
            heapq.heappush(heap, _key(gap, i, agents, loads))
    return None
