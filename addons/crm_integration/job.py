# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A sync job: one record type read from (or sent to) an external system,
a batch at a time, each batch committed with the job's counters so that
a crash resumes after the last committed batch."""
import datetime as dt
import json
import logging
import time
from collections import Counter

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .connector import COLLECTIONS, RECORD_TYPES
from .engine import transform
from .engine.backoff import call_with_retry
from .importer import (
    Row, field_errors, import_customers, import_orders, import_products)
from .importer_records import IMPORTERS, import_records
from .transport import TransportError, transport_for

logger = logging.getLogger(__name__)
COUNTERS = ['rows_read', 'created', 'merged', 'updated', 'skipped', 'failed']


class Job(Workflow, ModelSQL, ModelView):
    __name__ = 'crm.integration.job'
    __string__ = "Sync Job"

    system = fields.Many2One(
        'crm.integration.system', "System", required=True, readonly=True,
        ondelete='CASCADE')
    record_type = fields.Selection(
        RECORD_TYPES, "Record Type", required=True, readonly=True)
    direction = fields.Selection([
            ('import', "Import"),
            ('export', "Export"),
            ], "Direction", required=True, readonly=True)
    state = fields.Selection([
            ('queued', "Queued"),
            ('running', "Running"),
            ('done', "Done"),
            ('failed', "Failed"),
            ], "State", required=True, readonly=True, sort=False)
    started = fields.DateTime("Started", readonly=True)
    finished = fields.DateTime("Finished", readonly=True)
    duration = fields.Float("Duration (s)", digits=(16, 1), readonly=True)
    cursor = fields.Integer(
        "Batches Done", readonly=True,
        help="Batches committed; a resumed job goes on after them.")
    pages = fields.Integer("Batches", readonly=True)
    progress = fields.Function(
        fields.Float("Progress (%)", digits=(16, 0)), 'get_progress')
    rows_read = fields.Integer("Read", readonly=True)
    created = fields.Integer("Created", readonly=True)
    merged = fields.Integer(
        "Merged", readonly=True,
        help="Rows matched to an existing customer by phone or e-mail.")
    updated = fields.Integer("Updated", readonly=True)
    skipped = fields.Integer(
        "Unchanged", readonly=True, help="Rows already synced as they are.")
    failed = fields.Integer("Failed", readonly=True)
    retries = fields.Integer(
        "Retries", readonly=True,
        help="Requests repeated after a transport error.")
    message = fields.Text("Message", readonly=True)
    errors = fields.One2Many(
        'crm.integration.job.error', 'job', "Row Errors", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('create_date', 'DESC'), ('id', 'DESC')]
        cls.__access__.add('system')
        cls._transitions |= {
            ('queued', 'running'),
            ('running', 'done'),
            ('running', 'failed'),
            ('queued', 'failed'),
            ('failed', 'queued'),
            ('running', 'queued'),
            }
        cls._buttons.update({
                # a queued or running job whose process died resumes too
                'resume': {
                    'invisible': Eval('state') == 'done',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_state():
        return 'queued'

    @staticmethod
    def default_direction():
        return 'import'

    @classmethod
    def default_cursor(cls):
        return 0

    for _name in COUNTERS + ['retries']:
        locals()['default_' + _name] = default_cursor
    del _name

    def get_progress(self, name):
        if self.state == 'done':
            return 100.0
        if self.pages:
            return round(100.0 * (self.cursor or 0) / self.pages)
        return 0.0

    def get_rec_name(self, name):
        kind = dict(RECORD_TYPES)[self.record_type]
        return '%s - %s' % (self.system.rec_name, kind)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        return [('system.rec_name', operator, operand, *extra)]

    @classmethod
    def plan(cls, systems, direction):
        "Jobs of every record type of the systems, in sync order"
        vlist = []
        for system in systems:
            types = (system.record_types if direction == 'import'
                else system.export_types)
            for record_type in types:
                vlist.append({
                        'system': system.id,
                        'record_type': record_type,
                        'direction': direction,
                        })
        return cls.create(vlist)

    @classmethod
    def start(cls, jobs):
        if jobs:
            cls.__queue__.process(jobs)

    @classmethod
    @ModelView.button
    def resume(cls, jobs):
        "Go on after the last committed batch"
        cls.write(jobs, {'state': 'queued', 'message': None})
        cls.__queue__.process(jobs)

    @classmethod
    def process(cls, jobs):
        """Run the queued jobs in order; after a failed job the later jobs
        of the same system wait (orders need their customers)."""
        stopped = set()
        for job in cls.browse(jobs):
            if job.state not in {'queued', 'running'}:
                continue
            if job.system.id in stopped:
                job._fail(gettext('crm_integration.msg_job_previous_failed'))
                continue
            job.run()
            if job.state == 'failed':
                stopped.add(job.system.id)
        System = Pool().get('crm.integration.system')
        done = {j.system.id for j in cls.browse(jobs) if j.state == 'done'}
        if done - stopped:
            System.write(System.browse(list(done - stopped)),
                {'last_sync': dt.datetime.now()})
            cls._commit()

    @staticmethod
    def _commit():
        "Make the batch durable: a crash after it resumes from here"
        transaction = Transaction()
        if not transaction.context.get('_integration_no_commit'):
            transaction.commit()

    def _fail(self, message):
        self.state = 'failed'
        self.message = message
        self.finished = dt.datetime.now()
        self.save()
        self._commit()

    def run(self):
        self.state = 'running'
        if not self.started:
            self.started = dt.datetime.now()
        self.save()
        self._commit()
        begin = time.monotonic()
        try:
            if self.direction == 'import':
                self._import()
            else:
                self._export()
        except TransportError as e:
            logger.warning('job %s: %s', self.id, e)
            self._fail(gettext(
                    'crm_integration.msg_job_transport',
                    reason=str(e), batch=(self.cursor or 0) + 1))
            return
        self.state = 'done'
        self.finished = dt.datetime.now()
        self.duration = round(
            (self.duration or 0) + time.monotonic() - begin, 1)
        self.save()
        self._commit()

    def _fetch(self, transport, page):
        system = self.system

        def on_retry(attempt, exc, delay):
            self.retries = (self.retries or 0) + 1
        return call_with_retry(
            lambda: transport.fetch(
                COLLECTIONS[self.record_type], page, system.page_size),
            attempts=system.attempts,
            is_transient=lambda e: (
                isinstance(e, TransportError) and e.transient),
            base=system.retry_delay, on_retry=on_retry)

    def _import(self):
        transport = transport_for(self.system)
        mapping = self.system.mapping_for(self.record_type)
        page = (self.cursor or 0) + 1
        seen = set()
        while True:
            result = self._fetch(transport, page)
            rows = result['data']
            if not rows:
                break
            first = (page - 1) * self.system.page_size + 1
            self.import_rows(rows, mapping, first, seen)
            self.cursor = page
            self.pages = max(result['pages'], page)
            self.save()
            self._commit()
            if page >= result['pages']:
                break
            page += 1

    def import_rows(self, raw_rows, mapping, first=1, seen=None):
        """Map and apply rows; refused rows are kept with the reason.
        seen holds the external ids of the earlier batches of the read."""
        rows, refused = [], []
        for number, raw in enumerate(raw_rows, first):
            if not isinstance(raw, dict):
                refused.append((Row(number, {'row': raw}, {}), gettext(
                            'crm_integration.msg_row_not_record')))
                continue
            values, errors = transform.map_row(raw, mapping)
            row = Row(number, raw, values)
            if errors:
                refused.append((row, field_errors(errors)))
            else:
                rows.append(row)
        done, refused_ = Counter(), []
        if rows:
            done, refused_ = self.importer()(self, rows, seen)
        refused += refused_
        self.rows_read = (self.rows_read or 0) + len(raw_rows)
        for name in ['created', 'merged', 'updated', 'skipped']:
            setattr(self, name, (getattr(self, name) or 0) + done[name])
        self.failed = (self.failed or 0) + len(refused)
        self.save()
        self.store_errors(refused)
        return done, refused

    def importer(self):
        if self.record_type == 'customer':
            return import_customers
        elif self.record_type == 'product':
            return import_products
        elif self.record_type == 'order':
            return import_orders
        elif self.record_type in IMPORTERS:
            return import_records
        raise KeyError(self.record_type)

    def store_errors(self, refused):
        Error = Pool().get('crm.integration.job.error')
        Error.create([{
                    'job': self.id,
                    'row': row.number,
                    'external_id': (row.external_id
                        or str(row.raw.get('id', '') or ''))[:64],
                    'message': message,
                    'raw': json.dumps(
                        row.raw, ensure_ascii=False, default=str),
                    } for row, message in refused])

    def _export(self):
        "Send the records changed since they were last sent"
        pool = Pool()
        Link = pool.get('crm.integration.link')
        transport = transport_for(self.system)
        records = self.export_records()
        known = Link.lookup(self.system, self.record_type,
            [key for _, key, _ in records])
        changed = []
        for record_id, key, payload in records:
            checksum = transform.row_checksum(payload)
            if known.get(key, (None, None))[1] == checksum:
                self.skipped = (self.skipped or 0) + 1
            else:
                changed.append((record_id, key, payload, checksum))
        size = self.system.page_size
        self.pages = (self.cursor or 0) + -(-len(changed) // size)
        self.rows_read = len(records)
        # a resumed export finds the batches sent before unchanged
        for index in range(0, len(changed), size):
            batch = changed[index:index + size]
            system = self.system
            call_with_retry(
                lambda: transport.send(
                    COLLECTIONS[self.record_type], [b[2] for b in batch]),
                attempts=system.attempts,
                is_transient=lambda e: (
                    isinstance(e, TransportError) and e.transient),
                base=system.retry_delay)
            Link.store(system, self.record_type, self.export_model(),
                [(key, rid, checksum) for rid, key, _, checksum in batch])
            self.updated = (self.updated or 0) + len(batch)
            self.cursor = (self.cursor or 0) + 1
            self.save()
            self._commit()

    def export_model(self):
        return {'customer_export': 'party.party'}[self.record_type]

    def export_records(self):
        "[(record id, external key, JSON-able payload)] to send"
        if self.record_type == 'customer_export':
            return self._export_customers()
        raise KeyError(self.record_type)

    def _export_customers(self):
        pool = Pool()
        Party = pool.get('party.party')
        Link = pool.get('crm.integration.link')
        links = Link.search([
                ('system', '=', self.system.id),
                ('record_type', '=', 'customer'),
                ])
        external = {l.record_id: l.external_id for l in links}
        parties = Party.search([('id', 'in', list(external))],
            order=[('id', 'ASC')])
        result = []
        for party in parties:
            payload = {
                'id': external[party.id],
                'crm_code': party.code,
                'name': party.name,
                'mobile': party.mobile or '',
                'email': party.email or '',
                'lifecycle_stage': party.lifecycle_stage,
                'segment': party.segment.code if party.segment else '',
                'value_tier': party.value_tier or '',
                }
            result.append((party.id, external[party.id], payload))
        return result


class JobError(ModelSQL, ModelView):
    __name__ = 'crm.integration.job.error'
    __string__ = "Sync Job Row Error"

    job = fields.Many2One(
        'crm.integration.job', "Job", required=True, ondelete='CASCADE')
    row = fields.Integer("Row", help="Position of the row in the read.")
    external_id = fields.Char("External ID")
    message = fields.Text("Reason")
    raw = fields.Text(
        "Row as Received", help="The row exactly as the system sent it.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('job', 'DESC'), ('row', 'ASC'), ('id', 'ASC')]
        cls.__access__.add('job')
