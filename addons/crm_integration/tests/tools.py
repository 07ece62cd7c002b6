# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"An external system of the company pointing at a stand-in server."
from trytond.pool import Pool
from trytond.transaction import Transaction


def create_system(url, kind='sales', code='SALES', **values):
    System = Pool().get('crm.integration.system')
    system, = System.create([dict({
                    'name': code.title(),
                    'code': code,
                    'kind': kind,
                    'transport': 'rest',
                    'endpoint': url,
                    'secret': 's3cret-token',
                    'page_size': 10,
                    'attempts': 3,
                    'retry_delay': 0.01,
                    'timeout': 2,
                    }, **values)])
    return system


def sync(system, direction='import'):
    "Plan and run the jobs of the system as the queue would"
    Job = Pool().get('crm.integration.job')
    with Transaction().set_context(_integration_no_commit=True):
        jobs = Job.plan([system], direction)
        Job.process(jobs)
    return Job.browse(jobs)


def resume(jobs):
    Job = Pool().get('crm.integration.job')
    with Transaction().set_context(_integration_no_commit=True):
        Job.write(list(jobs), {'state': 'queued', 'message': None})
        Job.process(list(jobs))
    return Job.browse(jobs)
