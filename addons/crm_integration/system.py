# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"An external system connected to the CRM and how its records map."
import datetime as dt

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields)
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .connector import (
    DEFAULT_MAPPINGS, EXPORTS, IMPORTS, KINDS, TARGETS)
from .exceptions import IntegrationSystemError, MappingError

TRANSPORTS = [
    ('rest', "REST-JSON over HTTP"),
    ('file', "File Drop (CSV / XLSX)"),
    ('xmlrpc', "XML-RPC"),
    ]
TRANSFORMS = [
    ('none', "As Is"),
    ('trim', "Trim"),
    ('upper', "Upper Case"),
    ('lower', "Lower Case"),
    ('phone', "Phone Number"),
    ('email', "E-mail"),
    ('date', "Date"),
    ('datetime', "Date and Time"),
    ('decimal', "Decimal Number"),
    ('integer', "Integer"),
    ('boolean', "Yes / No"),
    ('code', "Code Table"),
    ]
MAPPED_TYPES = [
    ('customer', "Customers"),
    ('product', "Products"),
    ('order', "Orders"),
    ('order_line', "Order Lines"),
    ('project', "Projects"),
    ('building', "Buildings"),
    ('unit', "Units"),
    ('visit', "Visits and Reservations"),
    ('task', "Tasks and Approvals"),
    ]


class System(DeactivableMixin, ModelSQL, ModelView):
    __name__ = 'crm.integration.system'
    __string__ = "External System"

    name = fields.Char("Name", required=True, translate=True)
    code = fields.Char(
        "Code", required=True, strip=True,
        help="Short code of the system, part of the external ids "
        "stored in the CRM.")
    company = fields.Many2One('company.company', "Company", required=True)
    kind = fields.Selection(KINDS, "Kind", required=True)
    transport = fields.Selection(TRANSPORTS, "Transport", required=True)
    endpoint = fields.Char(
        "Endpoint", required=True,
        help="The base URL of the system, or the directory files are "
        "dropped in.")
    username = fields.Char("User Name")
    secret = fields.Char(
        "Secret", help="Password or API token; only integration "
        "administrators can read it.")
    timeout = fields.Float(
        "Timeout (s)", required=True,
        help="How long to wait for one answer of the system.")
    attempts = fields.Integer(
        "Attempts", required=True,
        help="Tries of one request before the job stops; the waits "
        "between them double.")
    retry_delay = fields.Float(
        "First Retry Delay (s)", required=True)
    page_size = fields.Integer(
        "Batch Size", required=True,
        help="Rows read and committed together.")
    unknown_product = fields.Selection([
            ('create', "Create the Product"),
            ('report', "Reject the Line"),
            ('description', "Keep the Code as Description"),
            ], "Unknown Products", required=True,
        states={'invisible': Eval('kind') != 'sales'})
    interval_hours = fields.Integer(
        "Sync Every (Hours)",
        help="Leave empty to sync only on demand.")
    last_sync = fields.DateTime("Last Sync", readonly=True)
    export_enabled = fields.Boolean(
        "Export Changes",
        help="Send the CRM's changed customers or tickets back to the "
        "system.")
    mappings = fields.One2Many(
        'crm.integration.mapping', 'system', "Field Mappings")
    api_users = fields.Many2Many(
        'crm.integration.system-res.user', 'system', 'user', "API Users",
        help="The users an integrator program may log in as to send data "
        "of this system through the API.")
    jobs = fields.One2Many(
        'crm.integration.job', 'system', "Jobs", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('code_unique', Unique(t, t.code),
                'crm_integration.msg_system_code_unique'),
            ]
        cls._buttons.update({
                'sync': {'invisible': ~Eval('active', True),
                    'depends': ['active']},
                'export': {
                    'invisible': ~Eval('export_enabled', False),
                    'depends': ['export_enabled']},
                'load_default_mappings': {},
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_transport():
        return 'rest'

    @staticmethod
    def default_timeout():
        return 30.0

    @staticmethod
    def default_attempts():
        return 4

    @staticmethod
    def default_retry_delay():
        return 1.0

    @staticmethod
    def default_page_size():
        return 500

    @staticmethod
    def default_unknown_product():
        return 'create'

    @classmethod
    def validate_fields(cls, systems, field_names):
        super().validate_fields(systems, field_names)
        for system in systems:
            for name in ['timeout', 'attempts', 'page_size']:
                value = getattr(system, name)
                if value is not None and value <= 0:
                    raise IntegrationSystemError(gettext(
                            'crm_integration.msg_system_positive',
                            system=system.rec_name,
                            field=cls.fields_get([name])[name]['string']))
            if (system.transport in {'rest', 'xmlrpc'}
                    and not (system.endpoint or '').startswith(
                        ('http://', 'https://'))):
                raise IntegrationSystemError(gettext(
                        'crm_integration.msg_system_endpoint_url',
                        system=system.rec_name))

    @property
    def record_types(self):
        return IMPORTS.get(self.kind, [])

    @property
    def export_types(self):
        return EXPORTS.get(self.kind, [])

    def mapping_for(self, record_type):
        "The mapping dicts of record_type, the defaults when none is set"
        mappings = [m.as_dict() for m in self.mappings
            if m.record_type == record_type]
        return mappings or DEFAULT_MAPPINGS.get(record_type, [])

    @classmethod
    @ModelView.button
    def load_default_mappings(cls, systems):
        Mapping = Pool().get('crm.integration.mapping')
        to_create = []
        for system in systems:
            present = {m.record_type for m in system.mappings}
            types = list(system.record_types)
            if 'order' in types:
                types.append('order_line')
            for record_type in types:
                if record_type in present:
                    continue
                for sequence, default in enumerate(
                        DEFAULT_MAPPINGS[record_type]):
                    to_create.append({
                            'system': system.id,
                            'record_type': record_type,
                            'sequence': sequence,
                            'external_field': default['external_field'],
                            'crm_field': default['crm_field'],
                            'transform': default['transform'],
                            'format': default['format'],
                            'required': default['required'],
                            'max_length': default['max_length'],
                            'codes': [('create', [
                                        {'external_code': k, 'value': v}
                                        for k, v in
                                        default['codes'].items()])],
                            })
        Mapping.create(to_create)

    @classmethod
    @ModelView.button
    def sync(cls, systems):
        Job = Pool().get('crm.integration.job')
        Job.start(Job.plan(systems, 'import'))

    @classmethod
    @ModelView.button
    def export(cls, systems):
        Job = Pool().get('crm.integration.job')
        Job.start(Job.plan(systems, 'export'))

    @classmethod
    def sync_due(cls):
        "Cron: sync the systems whose interval has passed"
        now = dt.datetime.now()
        due = [s for s in cls.search([('interval_hours', '>', 0)])
            if not s.last_sync
            or s.last_sync + dt.timedelta(hours=s.interval_hours) <= now]
        if due:
            cls.sync(due)
            exporting = [s for s in due if s.export_enabled]
            if exporting:
                cls.export(exporting)


class SystemUser(ModelSQL):
    __name__ = 'crm.integration.system-res.user'
    __string__ = "External System - API User"

    system = fields.Many2One(
        'crm.integration.system', "System", required=True,
        ondelete='CASCADE')
    user = fields.Many2One(
        'res.user', "User", required=True, ondelete='CASCADE')


class Mapping(ModelSQL, ModelView):
    __name__ = 'crm.integration.mapping'
    __string__ = "Field Mapping"

    system = fields.Many2One(
        'crm.integration.system', "System", required=True,
        ondelete='CASCADE')
    record_type = fields.Selection(MAPPED_TYPES, "Record Type", required=True)
    sequence = fields.Integer("Sequence")
    external_field = fields.Char(
        "External Field", required=True, strip=True,
        help="The field name in the system's records (column header of "
        "a file).")
    crm_field = fields.Char(
        "CRM Field", required=True, strip=True,
        help="The CRM field filled from it.")
    transform = fields.Selection(TRANSFORMS, "Transform", required=True)
    format = fields.Char(
        "Format", help="For dates: the format of the system, e.g. "
        "%Y/%m/%d; empty tries the usual ones.",
        states={'invisible': ~Eval('transform').in_(['date', 'datetime'])})
    required = fields.Boolean(
        "Required", help="A row without this field is rejected.")
    max_length = fields.Integer("Maximum Length")
    default = fields.Char(
        "Default", help="The value used when the field is empty.")
    codes = fields.One2Many(
        'crm.integration.mapping.code', 'mapping', "Code Table",
        states={'invisible': Eval('transform') != 'code'})

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('system', 'ASC'), ('record_type', 'ASC'),
            ('sequence', 'ASC'), ('id', 'ASC')]
        cls.__access__.add('system')

    @staticmethod
    def default_transform():
        return 'trim'

    @classmethod
    def validate_fields(cls, mappings, field_names):
        super().validate_fields(mappings, field_names)
        for mapping in mappings:
            if mapping.crm_field not in TARGETS[mapping.record_type]:
                raise MappingError(gettext(
                        'crm_integration.msg_mapping_unknown_field',
                        field=mapping.crm_field,
                        fields=', '.join(TARGETS[mapping.record_type])))

    def as_dict(self):
        return {
            'external_field': self.external_field,
            'crm_field': self.crm_field,
            'transform': self.transform,
            'format': self.format,
            'required': self.required,
            'max_length': self.max_length,
            'default': self.default,
            'codes': {c.external_code: c.value for c in self.codes},
            }


class MappingCode(ModelSQL, ModelView):
    __name__ = 'crm.integration.mapping.code'
    __string__ = "Mapping Code"

    mapping = fields.Many2One(
        'crm.integration.mapping', "Mapping", required=True,
        ondelete='CASCADE')
    external_code = fields.Char("External Code", required=True)
    value = fields.Char(
        "CRM Value", required=True,
        help="The CRM's value for this code, e.g. person, organisation.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('mapping')
