# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""External ids: which CRM record a record of an external system became.
They make every sync idempotent."""
import datetime as dt

from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.transaction import Transaction

from trytond.modules.crm_core.common import id_slices

from .system import MAPPED_TYPES


class Link(ModelSQL, ModelView):
    __name__ = 'crm.integration.link'
    __string__ = "External ID"

    system = fields.Many2One(
        'crm.integration.system', "System", required=True,
        ondelete='CASCADE')
    record_type = fields.Selection(
        MAPPED_TYPES + [
            ('interaction', "Interactions"),
            ('ticket', "Tickets"),
            ('customer_export', "Customers (Export)"),
            ('ticket_export', "Tickets (Export)"),
            ], "Record Type", required=True)
    external_id = fields.Char("External ID", required=True)
    model = fields.Char("Model", required=True)
    record_id = fields.Integer("Record ID", required=True)
    record = fields.Function(
        fields.Reference("Record", selection='get_models'), 'get_record')
    checksum = fields.Char(
        "Checksum", help="Of the values last synced; an unchanged record "
        "is skipped.")
    synced = fields.DateTime("Synced")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('external_unique',
                Unique(t, t.system, t.record_type, t.external_id),
                'crm_integration.msg_link_unique'),
            ]
        cls._sql_indexes.add(
            Index(t, (t.model, Index.Equality()),
                (t.record_id, Index.Equality())))
        cls.__access__.add('system')

    @classmethod
    def get_models(cls):
        pool = Pool()
        IrModel = pool.get('ir.model')
        models = ['party.party', 'product.template', 'crm.purchase',
            'crm.property.project', 'crm.property.building', 'crm.property',
            'crm.interaction', 'crm.ticket']
        present = {name for name, _ in pool.iterobject()}
        return [(None, '')] + [(m, IrModel.get_name(m)) for m in models
            if m in present]

    def get_record(self, name):
        return '%s,%s' % (self.model, self.record_id)

    @classmethod
    def lookup(cls, system, record_type, external_ids):
        """Map the known external ids to (record id, checksum); with no
        system, the link of the first system that knows the id"""
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        found = {}
        for sub_ids in id_slices(sorted(set(external_ids))):
            where = ((table.record_type == record_type)
                & table.external_id.in_(sub_ids))
            if system is not None:
                where &= table.system == system.id
            cursor.execute(*table.select(
                    table.external_id, table.record_id, table.checksum,
                    where=where, order_by=[table.system.desc]))
            for external_id, record_id, checksum in cursor:
                found[external_id] = (record_id, checksum)
        return found

    @classmethod
    def store(cls, system, record_type, model, entries):
        """Record entries (external id, record id, checksum): new ones are
        inserted, known ones updated, in bulk."""
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        known = cls.lookup(system, record_type, [e[0] for e in entries])
        now = dt.datetime.now()
        user = Transaction().user
        inserts = [
            [system.id, record_type, ext, model, rid, checksum, now,
                user, now]
            for ext, rid, checksum in entries if ext not in known]
        if inserts:
            cursor.execute(*table.insert(
                    [table.system, table.record_type, table.external_id,
                        table.model, table.record_id, table.checksum,
                        table.synced, table.create_uid,
                        table.create_date],
                    inserts))
        for ext, rid, checksum in entries:
            if ext in known and known[ext] != (rid, checksum):
                cursor.execute(*table.update(
                        [table.record_id, table.checksum, table.synced,
                            table.write_uid, table.write_date],
                        [rid, checksum, now, user, now],
                        where=(table.system == system.id)
                        & (table.record_type == record_type)
                        & (table.external_id == ext)))

    @classmethod
    def forget(cls, model, record_ids):
        "Drop the links of deleted records"
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        for sub_ids in id_slices(record_ids):
            cursor.execute(*table.delete(
                    where=(table.model == model)
                    & table.record_id.in_(sub_ids)))
