# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Importers of the property-management system (projects, buildings,
units), the house-purchase centre (visits and reservations) and the office
system (tasks and approvals): one record per external record, created or
updated by its external id."""
import datetime as dt
from collections import Counter
from decimal import Decimal

from trytond.i18n import gettext
from trytond.pool import Pool

from trytond.modules.crm_core.engine.dedup import contact_key

from .exceptions import RowError
from .importer import (
    linked_records, parties_by_key, split_known, unique_rows)
from .savepoint import apply_isolated, create_sliced


def upsert(job, rows, record_type, model, to_values, seen=None):
    """Create or update one record of model per row; to_values(rows)
    returns the values of each row (or a RowError for it)."""
    system = job.system
    rows, refused = unique_rows(rows, seen)
    same, changed, new = split_known(system, record_type, rows)
    pairs = [(row, rid) for row, rid in changed] + [(row, None)
        for row in new]
    values = to_values(job, [row for row, _ in pairs])
    ready = []
    for (row, record_id), row_values in zip(pairs, values):
        if isinstance(row_values, RowError):
            refused.append((row, row_values.message))
        else:
            ready.append((row, record_id, row_values))

    def apply(batch):
        pool = Pool()
        Model = pool.get(model)
        Link = pool.get('crm.integration.link')
        creates = [(row, v) for row, rid, v in batch if rid is None]
        writes = [(row, rid, v) for row, rid, v in batch
            if rid is not None]
        records = create_sliced(Model, [v for _, v in creates])
        args = []
        for _, rid, v in writes:
            args.extend([[Model(rid)], v])
        if args:
            Model.write(*args)
        Link.store(system, record_type, model,
            [(row.external_id, record.id, row.checksum)
                for (row, _), record in zip(creates, records)]
            + [(row.external_id, rid, row.checksum)
                for row, rid, _ in writes])
        return Counter(created=len(creates), updated=len(writes))
    done, refused_ = apply_isolated(ready, apply)
    done['skipped'] += len(same)
    refused += [(r[0], m) for r, m in refused_]
    return done, refused


def _lookup(job, record_type, rows, name, message, any_system=False):
    "Map each row's external reference name to the CRM record id"
    ids = linked_records(job.system, record_type,
        [str(r.values[name]) for r in rows if r.values.get(name)],
        any_system=any_system)

    def get(row, required=True):
        value = row.values.get(name)
        if not value:
            if required:
                raise RowError(gettext(
                        'crm_integration.msg_row_missing', field=name))
            return None
        if str(value) not in ids:
            raise RowError(gettext(
                    'crm_integration.' + message, external_id=value))
        return ids[str(value)]
    return get


def _collect(rows, build):
    result = []
    for row in rows:
        try:
            result.append(build(row))
        except RowError as e:
            result.append(e)
    return result


def project_values(job, rows):
    company = job.system.company.id
    return _collect(rows, lambda row: {
            'company': company,
            'code': row.external_id,
            'name': row.values['name'],
            'district': row.values.get('district'),
            'city': row.values.get('city'),
            })


def building_values(job, rows):
    project = _lookup(job, 'project', rows, 'project',
        'msg_row_unknown_project')
    return _collect(rows, lambda row: {
            'project': project(row),
            'code': row.external_id,
            'name': row.values['name'],
            })


def unit_values(job, rows):
    project = _lookup(job, 'project', rows, 'project',
        'msg_row_unknown_project')
    building = _lookup(job, 'building', rows, 'building',
        'msg_row_unknown_building')

    def build(row):
        v = row.values
        return {
            'project': project(row),
            'building': building(row, required=False),
            'unit_no': v['unit_no'],
            'usage': v['usage'],
            'rooms': v.get('rooms'),
            'halls': v.get('halls'),
            'baths': v.get('baths'),
            'area': float(v['area']) if v.get('area') is not None
            else None,
            'floor': v.get('floor'),
            'orientation': v.get('orientation'),
            'price': (Decimal(v['price']).quantize(Decimal('0.01'))
                if v.get('price') is not None else None),
            'status': v['status'],
            'external_id': '%s:%s' % (job.system.code, row.external_id),
            }
    return _collect(rows, build)


def _customer_of(job, rows):
    """A visitor's customer: by the system's customer id, else by the
    mobile number, else a new prospect"""
    pool = Pool()
    Party = pool.get('party.party')
    by_id = linked_records(job.system, 'customer',
        [str(r.values['customer']) for r in rows if r.values.get('customer')],
        any_system=True)
    by_key = parties_by_key([contact_key('mobile', r.values.get('mobile'))
            for r in rows if r.values.get('mobile')])
    created = {}

    def get(row):
        customer = row.values.get('customer')
        if customer and str(customer) in by_id:
            return by_id[str(customer)]
        key = contact_key('mobile', row.values.get('mobile'))
        if key in by_key:
            return by_key[key]
        if key in created:
            return created[key]
        if not (row.values.get('name') and key):
            raise RowError(gettext(
                    'crm_integration.msg_row_unknown_customer',
                    external_id=customer or row.values.get('mobile') or ''))
        party, = Party.create([{
                    'name': row.values['name'],
                    'lifecycle_stage': 'prospect',
                    'contact_mechanisms': [('create', [{
                                    'type': 'mobile',
                                    'value': row.values['mobile']}])],
                    }])
        created[key] = party.id
        return party.id
    return get


def visit_values(job, rows):
    """Visits and reservations as interactions; the project and unit are
    named in the subject (and the unit is the origin) when the property
    system's import knows them, else by the code the centre sent"""
    pool = Pool()
    Property = pool.get('crm.property')
    Project = pool.get('crm.property.project')
    company = job.system.company.id
    customer = _customer_of(job, rows)
    projects = linked_records(job.system, 'project',
        [str(r.values['project']) for r in rows if r.values.get('project')],
        any_system=True)
    units = linked_records(job.system, 'unit',
        [str(r.values['unit']) for r in rows if r.values.get('unit')],
        any_system=True)

    def build(row):
        v = row.values
        unit = units.get(str(v.get('unit') or ''))
        project = projects.get(str(v.get('project') or ''))
        if unit:
            place = Property(unit).rec_name
        elif project:
            place = Project(project).rec_name
        else:
            place = ' '.join(str(v[k]) for k in ['project', 'unit']
                if v.get(k))
        subject = gettext(
            'crm_integration.msg_%s_subject' % v['kind'], place=place)
        return {
            'company': company,
            'party': customer(row),
            'channel': 'visit',
            'direction': 'inbound',
            'date': v['date'],
            'subject': subject[:200],
            'notes': v.get('note'),
            'outcome': v['kind'],
            'origin': ('crm.property,%s' % unit) if unit else None,
            }
    return _collect(rows, build)


def task_values(job, rows):
    company = job.system.company.id
    customer = _lookup(job, 'customer', rows, 'customer',
        'msg_row_unknown_customer', any_system=True)

    def build(row):
        v = row.values
        return {
            'company': company,
            'party': customer(row),
            'channel': 'office',
            'direction': 'outbound',
            'date': dt.datetime.combine(
                v.get('due') or dt.date.today(), dt.time(9)),
            'subject': v['subject'],
            'outcome': v['status'],
            'follow_up_date': v.get('due'),
            'follow_up_done': v['status'] != 'open',
            }
    return _collect(rows, build)


IMPORTERS = {
    'project': ('crm.property.project', project_values),
    'building': ('crm.property.building', building_values),
    'unit': ('crm.property', unit_values),
    'visit': ('crm.interaction', visit_values),
    'task': ('crm.interaction', task_values),
    }


def import_records(job, rows, seen=None):
    model, to_values = IMPORTERS[job.record_type]
    return upsert(job, rows, job.record_type, model, to_values, seen)
