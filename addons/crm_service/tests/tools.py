# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"A small service centre for the tests of crm_service and of other modules."
import datetime as dt

from trytond.modules.company.tests import create_employee
from trytond.pool import Pool


def create_centre(company, hours=((0, 5, 9, 18),), holidays=(),
        response_hours=2, resolution_hours=8):
    """A centre open on weekdays [first, last) from start to end hour,
    with a queue 'Rental' needing skill 'Leasing' >= 2 and an SLA."""
    pool = Pool()
    Centre = pool.get('crm.service.centre')
    Skill = pool.get('crm.service.skill')
    Queue = pool.get('crm.service.queue')
    Policy = pool.get('crm.service.sla.policy')
    lines = [
        {'weekday': str(day), 'start_time': dt.time(start),
            'end_time': dt.time(end)}
        for first, last, start, end in hours
        for day in range(first, last)]
    centre, = Centre.create([{
                'name': "Service Centre", 'company': company.id,
                'hours': [('create', lines)],
                'holidays': [('create', [
                            {'date': d, 'working': w}
                            for d, w in holidays])],
                }])
    skill, = Skill.create([{'name': "Leasing"}])
    policy, = Policy.create([{
                'name': "Standard", 'lines': [('create', [
                            {'priority': p, 'response_hours': response_hours,
                                'resolution_hours': resolution_hours}
                            for p in ['low', 'normal', 'high', 'urgent']])],
                }])
    queue, = Queue.create([{
                'name': "Rental", 'centre': centre.id,
                'sla_policy': policy.id,
                'skills': [('create', [{'skill': skill.id, 'level': 2}])],
                }])
    return centre, queue, skill


def create_agent(centre, skill, name, level=3, capacity=3,
        presence='available', channels=('phone', 'web', 'email'),
        idle_since=None):
    Agent = Pool().get('crm.service.agent')
    employee = create_employee(centre.company, name)
    agent, = Agent.create([{
                'employee': employee.id, 'centre': centre.id,
                'capacity': capacity, 'presence': presence,
                'channels': list(channels),
                'skills': [('create', [{'skill': skill.id, 'level': level}])],
                }])
    if idle_since:
        Agent.write([agent], {'idle_since': idle_since})
    return agent
